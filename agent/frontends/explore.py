"""`pagesight explore URL|FILE`: try steps on a live page, one line at a time, and keep the ones that work.

Every input line either runs (a step sentence or a `:command`) or prints one line saying what went
wrong: nothing typed ends the session but `quit`/`:quit` or the end of input. Kept steps are written to
a scenario file after each one, so a session that dies loses nothing. A local file opened by path is
served over HTTP and kept as a `serve:` entry (the file's folder, relative to the saved scenario), so
the saved scenario runs from any working directory.

Ctrl-C cancels the running step, never the session: the browser is started with its Playwright driver
ignoring SIGINT (a Ctrl-C in a terminal goes to the whole process group, and the driver used to die of
it), so the interrupt reaches Python alone and lands in `repl`.
"""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TextIO

import click
import yaml

from pagesight_errors import PagesightError

__all__ = ["explore", "Explorer", "StartPage", "HELP"]

HELP = """Type a step in the scenario format's sentence form (English or Chinese), e.g. Click "Sign in", or:
    :parse              list what the backend sees        :locate TARGET   where TARGET is
    :shot [FILE]        save an annotated screenshot       :url             the current URL
    :steps              list the kept steps                :undo            forget the last kept step
    :save FILE          write the kept steps to FILE (folders are created) and keep saving there
    :help               this text                          quit, :quit      leave (so does Ctrl-D)
Ctrl-C cancels the step that is running; the session goes on."""

QUIT = frozenset({"quit", ":quit", ":q", ":exit"})
USAGE = {"locate": ":locate TARGET, e.g. :locate \"Sign in\" button", "save": ":save FILE, e.g. :save signin.yaml"}


class StartPage:
    """Where the session started: a URL, or a local file served over HTTP (kept as `serve:` + `url:`)."""

    def __init__(self, given: str):
        self.given = given
        path = Path(given)
        self.local = "://" not in given and path.is_file()
        self.folder = path.resolve().parent if self.local else None
        self.url = "/" + path.name if self.local else given

    def entries(self, scenario_file: Path) -> dict[str, str]:
        """The scenario's `serve:`/`url:` keys for a file saved at `scenario_file`."""
        if self.folder is None:
            return {"url": self.url}
        serve = os.path.relpath(self.folder, scenario_file.resolve().parent)
        return {"serve": Path(serve).as_posix(), "url": self.url}


class Explorer:
    """Runs input lines; `handle` never raises a pagesight error (it prints one line instead)."""

    def __init__(self, agent: Any, start: StartPage, out: TextIO = sys.stdout, keep_file: Path | None = None):
        self.agent = agent
        self.start = start
        self.out = out
        self.keep_file = keep_file
        self.kept: list[str] = []

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def fail(self, exc: BaseException) -> None:
        """One line, whatever went wrong (a pagesight error, or a bug: the session goes on)."""
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        name = "" if isinstance(exc, PagesightError | OSError) else f"{type(exc).__name__}: "
        self.say(f"✗ {name}{text or type(exc).__name__}")

    def handle(self, line: str) -> bool:
        """Run one input line; False means quit. Ctrl-C (KeyboardInterrupt) passes through to the caller."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        if line.lower() in QUIT:
            return False
        try:
            if line.startswith(":"):
                self.command(line)
            else:
                self.step(line)
        except Exception as exc:  # noqa: BLE001 - the REPL forgives: one line, then the prompt
            self.fail(exc)
        return True

    def step(self, line: str) -> None:
        from agent.language.sentences import parse_sentence

        step = parse_sentence(line)
        record = self.agent.run(step)
        where = f"  at {record.target_box}" if record.target_box else ""
        answer = f"  → {record.answer}" if record.answer and not record.target_box else ""
        self.say(f"✓ {record.description}  {record.duration_s:.2f}s{where}{answer}")
        self.kept.append(line)
        self.autosave()

    def command(self, line: str) -> None:
        name, _, arg = line[1:].partition(" ")
        name, arg = name.lower(), arg.strip()
        if name in USAGE and not arg:
            self.say(f"usage: {USAGE[name]}")
            return
        handler = getattr(self, f"cmd_{name}", None)
        if handler is None:
            self.say(f"unknown command {line!r}; :help lists them")
            return
        handler(arg)

    # -- commands --------------------------------------------------------------------------------------
    def cmd_help(self, arg: str) -> None:
        self.say(HELP)

    cmd_h = cmd_help

    def cmd_url(self, arg: str) -> None:
        self.say(self.agent.session.url)

    def cmd_parse(self, arg: str) -> None:
        shot = self.agent.observe()
        for e in self.agent.backend.parse(shot.image).elements:
            extra = f" [{e.label}]" if e.label and e.label != e.text else ""
            self.say(f"{e.id:>3} {e.kind:9} {list(e.box)!s:22} {e.text}{extra}")

    def cmd_locate(self, arg: str) -> None:
        shot = self.agent.observe()
        loc = self.agent.locate(shot, arg)
        if loc.found and loc.element is not None:
            self.say(f"{loc.element.kind} {loc.element.name!r} box {list(loc.element.box)} point {loc.point}")
        else:
            seen = "; ".join(f"{c.kind} {c.name!r}" for c in loc.candidates) or "nothing similar"
            self.say(f"not found (nearest: {seen})")

    def cmd_shot(self, arg: str) -> None:
        from vision.annotate import annotate

        shot = self.agent.observe()
        path = Path(arg or "pagesight-explore.png")
        path.parent.mkdir(parents=True, exist_ok=True)
        annotate(shot.image, list(self.agent.backend.parse(shot.image).elements)).save(path)
        self.say(f"saved {path}")

    def cmd_steps(self, arg: str) -> None:
        if not self.kept:
            self.say("no steps kept yet")
        for i, line in enumerate(self.kept, 1):
            self.say(f"{i:>3}  {line}")

    def cmd_undo(self, arg: str) -> None:
        if not self.kept:
            self.say("nothing to undo: no steps kept")
            return
        line = self.kept.pop()
        self.say(f"forgot step {len(self.kept) + 1}: {line} (the page stays as it is)")
        self.autosave()

    def cmd_save(self, arg: str) -> None:
        self.keep_file = Path(arg)
        self.write(self.keep_file)
        self.say(f"saved {len(self.kept)} step(s) to {self.keep_file}; kept steps go there from now on")

    # -- the scenario file -----------------------------------------------------------------------------
    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"name": path.stem.replace("_", " "), **self.start.entries(path), "steps": list(self.kept)}
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def autosave(self) -> None:
        """Write the kept steps after each change, so a session that dies loses nothing."""
        if self.keep_file is None or not self.kept and not self.keep_file.exists():
            return
        try:
            self.write(self.keep_file)
        except OSError as exc:
            self.say(f"✗ could not save the kept steps to {self.keep_file}: {exc.strerror or exc}")
            return
        self.say(f"  ({len(self.kept)} kept step(s) saved in {self.keep_file})")


def _read_line(interactive: bool) -> str | None:
    """The next input line; None at the end of input. Ctrl-C at the prompt is an empty line."""
    try:
        if interactive:
            return input("pagesight> ")
        line = sys.stdin.readline()
        return line or None
    except EOFError:
        return None
    except KeyboardInterrupt:
        click.echo("\n(quit or Ctrl-D leaves; Ctrl-C cancels a running step)")
        return ""


def repl(explorer: Explorer, interactive: bool) -> None:
    while True:
        line = _read_line(interactive)
        if line is None:
            break
        try:
            if not explorer.handle(line):
                break
        except KeyboardInterrupt:
            explorer.say(f"✗ cancelled: {line.strip()} (not kept; the page is as the step left it)")


@click.command()
@click.argument("url")
@click.option("--backend", help="ocr (default), glm, openai")
@click.option("--model", help="model path or name for glm/openai")
@click.option("--viewport", default="1280x800", show_default=True)
@click.option("--headed", is_flag=True, help="show the browser window")
@click.option("--timeout", default=5.0, show_default=True, help="seconds a step waits for its target")
@click.option("--save", "save_to", default="pagesight-explore.yaml", show_default=True, type=click.Path(),
              help="scenario file the kept steps are written to after each one")
def explore(url: str, backend: str | None, model: str | None, viewport: str, headed: bool, timeout: float,
            save_to: str) -> None:
    """Try steps interactively on URL or a local FILE (type :help). A local file is served over HTTP
    and saved as a `serve:` entry, so the saved scenario runs from any folder."""
    from agent.engine.loop import Agent
    from agent.engine.opening import open_page
    from browser.launch import check_display
    from browser.serve import serve_folder
    from browser.session import BrowserSession
    from vision.backend import load_backend

    try:
        w, h = (int(v) for v in viewport.lower().split("x"))
    except ValueError:
        raise click.BadParameter(f"--viewport must look like 1280x800, got {viewport!r}") from None
    start = StartPage(url)
    try:
        check_display(headed)
        vision = load_backend(backend, **({"model": model} if model else {}))
    except PagesightError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    with ExitStack() as stack:
        base = stack.enter_context(serve_folder(start.folder)) if start.folder else None
        session = stack.enter_context(BrowserSession(viewport=(w, h), headed=headed, base_url=base,
                                                     keep_on_ctrl_c=True))
        explorer = Explorer(Agent(session, vision, timeout=timeout), start, keep_file=Path(save_to))
        try:
            open_page(session, start.url)
        except PagesightError as exc:  # the session goes on: `Go to` another page
            explorer.fail(exc)
        explorer.say(f"pagesight explore {url} — type a step (e.g. Click \"Sign in\"), :help, or quit. "
                     f"Kept steps are saved in {save_to}")
        repl(explorer, sys.stdin.isatty())
