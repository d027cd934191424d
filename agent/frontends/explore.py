"""`pagesight explore URL`: try steps on a live page, one line at a time, and keep the ones that work.

Each line is a step in the scenario format's sentence form (English or Chinese) or a command:
    :parse              list what the backend sees        :locate TARGET   where TARGET is
    :shot [FILE]        save an annotated screenshot       :url             the current URL
    :save FILE          write the passed steps as a scenario file            :help, :quit
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, TextIO

import click
import yaml

from pagesight_errors import PagesightError, ScenarioError

__all__ = ["explore", "Explorer"]

HELP = __doc__.split("\n", 2)[2]


class Explorer:
    """The REPL's state: one agent on one page, and the steps that passed (for :save)."""

    def __init__(self, agent: Any, start_url: str, out: TextIO = sys.stdout):
        self.agent = agent
        self.start_url = start_url
        self.out = out
        self.kept: list[str] = []

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def handle(self, line: str) -> bool:
        """Run one input line; False means quit."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        if line.startswith(":"):
            return self.command(line)
        from agent.language.sentences import parse_sentence

        try:
            step = parse_sentence(line)
        except ScenarioError as exc:
            self.say(f"✗ {exc.message}")
            return True
        try:
            record = self.agent.run(step)
        except PagesightError as exc:
            self.say(f"✗ {exc}")
            return True
        where = f"  at {record.target_box}" if record.target_box else ""
        answer = f"  → {record.answer}" if record.answer and not record.target_box else ""
        self.say(f"✓ {record.description}  {record.duration_s:.2f}s{where}{answer}")
        self.kept.append(line)
        return True

    def command(self, line: str) -> bool:
        name, _, arg = line[1:].partition(" ")
        arg = arg.strip()
        agent = self.agent
        if name in ("q", "quit", "exit"):
            return False
        if name in ("h", "help"):
            self.say(HELP)
        elif name == "url":
            self.say(agent.session.url)
        elif name == "parse":
            shot = agent.observe()
            for e in agent.backend.parse(shot.image).elements:
                extra = f" [{e.label}]" if e.label and e.label != e.text else ""
                self.say(f"{e.id:>3} {e.kind:9} {list(e.box)!s:22} {e.text}{extra}")
        elif name == "locate" and arg:
            shot = agent.observe()
            loc = agent.locate(shot, arg)
            if loc.found and loc.element is not None:
                self.say(f"{loc.element.kind} {loc.element.name!r} box {list(loc.element.box)} point {loc.point}")
            else:
                seen = "; ".join(f"{c.kind} {c.name!r}" for c in loc.candidates) or "nothing similar"
                self.say(f"not found (nearest: {seen})")
        elif name == "shot":
            from vision.annotate import annotate

            shot = agent.observe()
            path = arg or "pagesight-explore.png"
            annotate(shot.image, list(agent.backend.parse(shot.image).elements)).save(path)
            self.say(f"saved {path}")
        elif name == "save" and arg:
            self.save(Path(arg))
        else:
            self.say(f"unknown command {line!r}; :help lists them")
        return True

    def save(self, path: Path) -> None:
        data = {"name": path.stem.replace("_", " "), "url": self.start_url, "steps": list(self.kept)}
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        self.say(f"saved {len(self.kept)} step(s) to {path}")


@click.command()
@click.argument("url")
@click.option("--backend", help="ocr (default), glm, openai")
@click.option("--model", help="model path or name for glm/openai")
@click.option("--viewport", default="1280x800", show_default=True)
@click.option("--headed", is_flag=True, help="show the browser window")
@click.option("--timeout", default=5.0, show_default=True, help="seconds a step waits for its target")
def explore(url: str, backend: str | None, model: str | None, viewport: str, headed: bool, timeout: float) -> None:
    """Try steps interactively on URL (type :help)."""
    from agent.engine.loop import Agent
    from browser.session import BrowserSession
    from vision.backend import load_backend

    try:
        w, h = (int(v) for v in viewport.lower().split("x"))
    except ValueError:
        raise click.BadParameter(f"--viewport must look like 1280x800, got {viewport!r}") from None
    vision = load_backend(backend, **({"model": model} if model else {}))
    with BrowserSession(viewport=(w, h), headed=headed) as session:
        session.goto(url)
        explorer = Explorer(Agent(session, vision, timeout=timeout), url)
        interactive = sys.stdin.isatty()
        explorer.say(f"pagesight explore {url} — type a step (e.g. Click \"Sign in\"), :help or :quit")
        while True:
            if interactive:
                click.echo("pagesight> ", nl=False)
            line = sys.stdin.readline()
            if not line or not explorer.handle(line):
                break
