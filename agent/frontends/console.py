"""Live progress and the closing summary table on the terminal.

When nobody reads the output any more (`pagesight run … | head` ended), the run stops as if
interrupted: further output goes nowhere, and the report still gets what finished.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from pathlib import Path
from typing import Any

import click

from agent.engine.records import FAILED, FLAKY, INTERRUPTED, PASSED, ScenarioResult, StepRecord
from agent.engine.scenarios import Interrupted, Progress

__all__ = ["ConsoleProgress", "print_summary", "echo"]

MARK = {PASSED: "✓", FAILED: "✗", "skipped": "-", FLAKY: "~", INTERRUPTED: "!"}


def echo(text: str = "") -> None:
    """click.echo, except that a closed stdout stops the run (Interrupted) instead of crashing it."""
    try:
        click.echo(text)
    except BrokenPipeError:
        _silence_stdout()
        raise Interrupted("stdout was closed") from None


def _silence_stdout() -> None:
    # Python would print "Exception ignored … BrokenPipeError" when it flushes stdout at exit.
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _color(text: str, status: str) -> str:
    fg = {PASSED: "green", FAILED: "red", INTERRUPTED: "red"}.get(status, "yellow")
    return click.style(text, fg=fg) if sys.stdout.isatty() else text


class ConsoleProgress(Progress):
    def scenario_started(self, index: int, total: int, scenario: Any) -> None:
        from agent.language.env_vars import Secrets

        name = Secrets(getattr(scenario, "secrets", ()))(scenario.name)
        echo(f"[{index}/{total}] {name}  ({scenario.path})")

    def step_finished(self, record: StepRecord) -> None:
        line = f"  {MARK.get(record.status, '?')} {record.description}  {record.duration_s:.2f}s"
        echo(_color(line, record.status))
        if record.status == FAILED:
            echo(f"      {record.error}")
            if record.before and record.before not in (record.error or ""):  # the error may name it already
                echo(f"      screenshot: {record.before}")

    def retrying(self, result: ScenarioResult, attempt: int, retries: int) -> None:
        echo(_color(f"  ✗ failed; retry {attempt} of {retries}", FLAKY))

    def scenario_finished(self, result: ScenarioResult) -> None:
        if result.status in (FAILED, INTERRUPTED) and not result.steps:
            echo(_color(f"  ✗ {result.error}", FAILED))
        tries = f" (passed on try {len(result.attempts) + 1})" if result.status == FLAKY else ""
        echo(_color(f"  {result.status}{tries} in {result.duration_s:.1f}s", result.status))


def _cells(text: str) -> int:
    """Terminal columns `text` takes: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1
               for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _cells(text))


def print_summary(results: list[ScenarioResult], index: Path, interrupted: bool = False) -> None:
    width = max([_cells(r.name) for r in results] + [8])
    echo("")
    echo(f"{_pad('scenario', width)}  status       steps   time")
    for r in results:
        done = sum(s.status == PASSED for s in r.steps)
        echo(_color(f"{_pad(r.name, width)}  {r.status:11}  {done:>2}/{len(r.steps):<3}  {r.duration_s:5.1f}s",
                    r.status))
    counts = {s: sum(r.status == s for r in results) for s in (PASSED, FLAKY, FAILED, INTERRUPTED, "skipped")}
    words = [f"{counts[PASSED]} passed", f"{counts[FAILED]} failed"]
    words += [f"{n} {s}" for s, n in counts.items() if n and s not in (PASSED, FAILED)]
    echo("\n" + ", ".join(words) + (" — the run was interrupted" if interrupted else ""))
    echo(f"report: {index}")
