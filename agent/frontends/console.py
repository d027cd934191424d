"""Live progress and the closing summary table on the terminal."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path
from typing import Any

import click

from agent.engine.records import FAILED, PASSED, ScenarioResult, StepRecord
from agent.engine.scenarios import Progress

__all__ = ["ConsoleProgress", "print_summary"]

MARK = {PASSED: "✓", FAILED: "✗", "skipped": "-"}


def _color(text: str, status: str) -> str:
    fg = {PASSED: "green", FAILED: "red"}.get(status, "yellow")
    return click.style(text, fg=fg) if sys.stdout.isatty() else text


class ConsoleProgress(Progress):
    def scenario_started(self, index: int, total: int, scenario: Any) -> None:
        click.echo(f"[{index}/{total}] {scenario.name}  ({scenario.path})")

    def step_finished(self, record: StepRecord) -> None:
        line = f"  {MARK.get(record.status, '?')} {record.description}  {record.duration_s:.2f}s"
        click.echo(_color(line, record.status))
        if record.status == FAILED:
            click.echo(f"      {record.error}")
            if record.before and record.before not in (record.error or ""):  # the error may name it already
                click.echo(f"      screenshot: {record.before}")

    def scenario_finished(self, result: ScenarioResult) -> None:
        if result.status == FAILED and not result.steps:
            click.echo(_color(f"  ✗ {result.error}", FAILED))
        click.echo(_color(f"  {result.status} in {result.duration_s:.1f}s", result.status))


def _cells(text: str) -> int:
    """Terminal columns `text` takes: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1
               for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _cells(text))


def print_summary(results: list[ScenarioResult], index: Path) -> None:
    width = max([_cells(r.name) for r in results] + [8])
    click.echo("")
    click.echo(f"{_pad('scenario', width)}  status   steps   time")
    for r in results:
        done = sum(s.status == PASSED for s in r.steps)
        click.echo(_color(f"{_pad(r.name, width)}  {r.status:7}  {done:>2}/{len(r.steps):<3}  {r.duration_s:5.1f}s",
                          r.status))
    passed = sum(r.status == PASSED for r in results)
    failed = sum(r.status == FAILED for r in results)
    skipped = len(results) - passed - failed
    click.echo(f"\n{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    click.echo(f"report: {index}")
