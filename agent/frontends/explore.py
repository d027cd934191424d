"""`pagesight explore URL|FILE`: try steps on a live page, one line at a time, and keep the ones that work.

The REPL itself (commands, kept steps, saving) is agent.frontends.explorer; this module opens the page
and runs the loop. Ctrl-C cancels the running step, never the session: the browser is started with its
Playwright driver ignoring SIGINT (a Ctrl-C in a terminal goes to the whole process group, and the
driver used to die of it), so the interrupt reaches Python alone and lands here.
"""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path

import click

from agent.frontends.explorer import Explorer, StartPage
from pagesight_errors import PagesightError

__all__ = ["explore"]


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
