"""`pagesight` on the command line. Exit codes: 0 all passed (or flaky), 1 a scenario/query failed,
2 bad usage, a bad scenario file, an unreadable input or no browser, 130 a run was interrupted."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from agent import __version__
from pagesight_errors import BackendUnavailable, BrowserError, PagesightError, ScenarioError

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


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
@click.option("--report", "report_dir", type=click.Path(file_okay=False),
              help="Folder for index.html, results.json, junit.xml; this run cleans and locks it "
                   "[default: pagesight-report, with --shard i/n: pagesight-report/shard-i-of-n].")
@click.option("--junit", type=click.Path(dir_okay=False), help="Also write JUnit XML here.")
@click.option("--headed", is_flag=True, help="Show the browser window.")
@click.option("--fail-fast", is_flag=True, help="Stop after the first failing scenario.")
@click.option("--shard", help="Run only shard i of n (e.g. 1/4), split by file.")
@click.option("--glob", "glob", metavar="PATTERN",
              help="In folders, run the files matching PATTERN (e.g. '**/*.scenario.yml') instead of every "
                   "YAML file with a top-level steps: key.")
@click.option("--retries", type=click.IntRange(0, 10), default=None,
              help="Run a failing scenario again up to N times (wins over the files' retries:); one that "
                   "fails, then passes, is flaky.")
@click.option("--update-baselines", is_flag=True,
              help="Rewrite the baselines of `assert: {looks_like: NAME}` steps (they pass) instead of comparing.")
@click.option("--cache", "cache_mode", type=click.Choice(["read-write", "read-only", "off"]),
              help="Locator cache beside each file (__pagesight_cache__/): read-write (default), read-only "
                   "(default when CI=true), off.")
@click.option("--animations", type=click.Choice(["allow", "disabled"]), default="allow", show_default=True,
              help="disabled: screenshots with CSS animations and transitions finished (Playwright's option).")
@click.option("--mask", "masks", multiple=True, metavar="TARGET|X1,Y1,X2,Y2",
              help="A region the stillness wait ignores, in every scenario (repeatable); CSS pixels for a box.")
def run(paths: tuple[str, ...], backend: str | None, model: str | None, base_url: str | None,
        report_dir: str | None, junit: str | None, headed: bool, fail_fast: bool, shard: str | None,
        glob: str | None, retries: int | None, update_baselines: bool, cache_mode: str | None,
        animations: str, masks: tuple[str, ...]) -> None:
    """Run scenario files (default: scenarios/). The file format, with an example of every step: docs/scenario-format.md.

    Exit codes: 0 every scenario passed or was flaky, 1 one failed, 2 bad usage or a bad file, 130 interrupted."""
    from agent.engine.scenarios import RunOptions
    from agent.language.scenario import discover, load_all, parse_shard, shard_paths
    from browser.launch import check_display, find_browser

    try:
        every = discover(list(paths) or ["scenarios"], glob)
        files = every
        if shard:
            i, n = parse_shard(shard)
            files = shard_paths(every, i, n)
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
    from agent.engine.preflight import preflight

    try:
        preflight(scenarios, backend, base_url)  # model-only steps on ocr, a relative url with no base
    except ScenarioError as exc:
        _fail(str(exc))
    try:
        find_browser()
        check_display(headed)  # once, exit 2: not once per scenario
    except BrowserError as exc:
        _fail(str(exc))
    if report_dir is None:
        report_dir = f"pagesight-report/shard-{i}-of-{n}" if shard else "pagesight-report"
    numbers = [every.index(f) + 1 for f in files]  # places in the whole run: shards' image names never collide
    options = RunOptions(backend=backend, base_url=base_url, report_dir=Path(report_dir), headed=headed,
                         fail_fast=fail_fast, backend_options={"model": model} if model else {},
                         retries=retries, numbers=numbers, update_baselines=update_baselines,
                         cache=cache_mode, animations=animations, masks=_cli_masks(masks))
    sys.exit(_run_and_report(scenarios, options, junit, shard))


def _run_and_report(scenarios: list, options: object, junit: str | None, shard: str | None) -> int:
    """Run with the report folder claimed; SIGTERM and a closed stdout stop the run as Ctrl-C does,
    and what finished is written anyway (exit 130)."""
    import signal

    from agent.engine.records import FAILED, INTERRUPTED
    from agent.engine.scenarios import Interrupted, run_scenarios
    from agent.frontends.console import ConsoleProgress, print_summary
    from agent.frontends.report import write_all, write_junit
    from agent.frontends.report_folder import ReportFolderError, claim, release

    folder = options.report_dir  # type: ignore[attr-defined]
    try:
        claim(folder)
    except ReportFolderError as exc:
        _fail(str(exc))

    def stop(signum: int, frame: object) -> None:
        raise Interrupted(f"signal {signum}")

    old_term = signal.signal(signal.SIGTERM, stop)
    try:
        try:
            results = run_scenarios(scenarios, options, ConsoleProgress())  # type: ignore[arg-type]
        except (BackendUnavailable, BrowserError) as exc:
            _fail(str(exc))
        # Reports are written whole: a second Ctrl-C now would leave them half-written.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        interrupted = any(r.status == INTERRUPTED for r in results)
        index = write_all(results, folder, interrupted=interrupted, shard=shard)
        if junit:
            write_junit(results, junit, interrupted=interrupted)
        try:
            print_summary(results, index, interrupted)
        except Interrupted:
            interrupted = True
    finally:
        signal.signal(signal.SIGTERM, old_term)
        release(folder)
    if interrupted:
        return EXIT_INTERRUPTED
    return EXIT_FAILED if any(r.status == FAILED for r in results) else EXIT_OK


@main.command("merge-reports")
@click.argument("folders", nargs=-1, required=True, type=click.Path())
@click.option("--report", "report_dir", default="pagesight-report", show_default=True,
              type=click.Path(file_okay=False), help="Folder for the merged index.html, results.json, junit.xml.")
def merge_reports_command(folders: tuple[str, ...], report_dir: str) -> None:
    """Join the reports of shards (`run --shard i/n`) into one report, images included."""
    from agent.frontends.merge_reports import merge_reports
    from agent.frontends.report_folder import ReportFolderError

    try:
        index, results = merge_reports([Path(f) for f in folders], Path(report_dir))
    except ReportFolderError as exc:
        _fail(str(exc))
    counts = ", ".join(f"{sum(r.status == s for r in results)} {s}" for s in
                       sorted({r.status for r in results}))
    click.echo(f"merged {len(folders)} reports: {len(results)} scenarios ({counts})")
    click.echo(f"report: {index}")


def _cli_masks(values: tuple[str, ...]) -> tuple:
    """--mask values (vision.masks.parse_mask_args); a bad one is a usage error."""
    from pagesight_errors import TargetError
    from vision.masks import parse_mask_args

    try:
        return parse_mask_args(values)
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
    from agent.frontends.cli_diff import diff

    main.add_command(diff)
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
