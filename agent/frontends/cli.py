"""`pagesight` on the command line. Exit codes: 0 all passed, 1 a scenario/query failed,
2 bad usage, a bad scenario file, an unreadable input or no browser."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from agent import __version__
from pagesight_errors import BackendUnavailable, BrowserError, PagesightError, ScenarioError

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="pagesight")
def main() -> None:
    """pagesight: test web apps the way a person looks at them."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--backend", help="Vision backend: ocr (default), glm, openai. Env: PAGESIGHT_BACKEND.")
@click.option("--model", help="Model path or name for the glm/openai backends.")
@click.option("--base-url", help="Base URL for relative scenario URLs (wins over the file's base_url).")
@click.option("--report", "report_dir", default="pagesight-report", show_default=True,
              type=click.Path(file_okay=False), help="Folder for index.html, results.json, junit.xml.")
@click.option("--junit", type=click.Path(dir_okay=False), help="Also write JUnit XML here.")
@click.option("--headed", is_flag=True, help="Show the browser window.")
@click.option("--fail-fast", is_flag=True, help="Stop after the first failing scenario.")
@click.option("--shard", help="Run only shard i of n (e.g. 1/4), split by file.")
@click.option("--cache", "cache_mode", type=click.Choice(["read-write", "read-only", "off"]),
              help="Locator cache beside each file (__pagesight_cache__/): read-write (default), read-only "
                   "(default when CI=true), off.")
@click.option("--animations", type=click.Choice(["allow", "disabled"]), default="allow", show_default=True,
              help="disabled: screenshots with CSS animations and transitions finished (Playwright's option).")
@click.option("--mask", "masks", multiple=True, metavar="TARGET|X1,Y1,X2,Y2",
              help="A region the stillness wait ignores, in every scenario (repeatable); CSS pixels for a box.")
def run(paths: tuple[str, ...], backend: str | None, model: str | None, base_url: str | None,
        report_dir: str, junit: str | None, headed: bool, fail_fast: bool, shard: str | None,
        cache_mode: str | None, animations: str, masks: tuple[str, ...]) -> None:
    """Run scenario files (default: scenarios/). The file format, with an example of every step: docs/scenario-format.md."""
    from agent.engine.scenarios import RunOptions, run_scenarios
    from agent.frontends.console import ConsoleProgress, print_summary
    from agent.frontends.report import write_junit, write_report
    from agent.language.scenario import discover, load_all, parse_shard, shard_paths
    from browser.launch import find_browser

    try:
        files = discover(list(paths) or ["scenarios"])
        if shard:
            i, n = parse_shard(shard)
            files = shard_paths(files, i, n)
        scenarios = load_all(files)  # the whole set is validated before any browser opens
    except ScenarioError as exc:
        _fail(str(exc))
    if not scenarios:
        click.echo("no scenarios to run", err=True)
        sys.exit(EXIT_OK if shard else EXIT_USAGE)
    if backend or any(sc.backend is None for sc in scenarios):
        from vision.backend import backend_name

        try:
            backend_name(backend)  # a bad --backend or $PAGESIGHT_BACKEND fails here, before any browser
        except BackendUnavailable as exc:
            _fail(str(exc))
    try:
        find_browser()
    except BrowserError as exc:
        _fail(str(exc))
    options = RunOptions(backend=backend, base_url=base_url, report_dir=Path(report_dir), headed=headed,
                         fail_fast=fail_fast, backend_options={"model": model} if model else {},
                         cache=cache_mode, animations=animations, masks=_cli_masks(masks))
    try:
        results = run_scenarios(scenarios, options, ConsoleProgress())
    except BackendUnavailable as exc:
        _fail(str(exc))
    except BrowserError as exc:
        _fail(str(exc))
    index = write_report(results, report_dir)
    write_junit(results, Path(report_dir) / "junit.xml")
    if junit:
        write_junit(results, junit)
    print_summary(results, index)
    sys.exit(EXIT_OK if all(r.status != "failed" for r in results) else EXIT_FAILED)


def _cli_masks(values: tuple[str, ...]) -> tuple:
    """--mask values: "x1,y1,x2,y2" is a box in CSS pixels, anything else a target description."""
    import re

    from pagesight_errors import TargetError
    from vision.masks import parse_masks

    num = r"\s*-?\d+(?:\.\d+)?\s*"
    items: list = [[float(v) for v in m.split(",")] if re.fullmatch(",".join([num] * 4), m) else m for m in values]
    try:
        return parse_masks(items) if items else ()
    except TargetError as exc:
        _fail(f"--mask: {exc}")
    return ()


@main.command()
def doctor() -> None:
    """Show the browser, OCR models, GPU and backends pagesight would use."""
    from agent.frontends.doctor import run_doctor

    sys.exit(run_doctor())


def _register_extra_commands() -> None:
    from agent.frontends import cli_vision

    main.add_command(cli_vision.parse)
    main.add_command(cli_vision.locate)
    main.add_command(cli_vision.bench)
    try:
        from agent.frontends.explore import explore
    except ImportError:  # pragma: no cover
        return
    main.add_command(explore)


_register_extra_commands()


def entry() -> None:  # pragma: no cover - console script shim
    try:
        main()
    except PagesightError as exc:
        _fail(str(exc))


if __name__ == "__main__":  # pragma: no cover
    main()
