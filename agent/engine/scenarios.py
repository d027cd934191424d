"""Running scenarios: serve, open a browser, run each step through the agent, collect results.

A scenario that fails is run again up to its retries (`--retries N`, else the file's `retries:`); one
that fails and then passes is "flaky". A run that is stopped (Ctrl-C, SIGTERM, a closed stdout: the
CLI turns each into a KeyboardInterrupt) returns what finished, the scenario it stopped in marked
"interrupted", and those not started "skipped".
"""

from __future__ import annotations

import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from agent.engine.loop import Agent
from agent.engine.opening import open_start_page
from agent.engine.records import FAILED, FLAKY, INTERRUPTED, PASSED, SKIPPED, ScenarioResult, StepRecord
from agent.engine.shots import ReportRecorder
from agent.language.env_vars import Secrets
from pagesight_errors import PagesightError
from vision.backend import VisionBackend, backend_name, load_backend

__all__ = ["RunOptions", "run_scenarios", "run_scenario", "Progress", "Interrupted"]


class Interrupted(KeyboardInterrupt):
    """The run was told to stop (a signal, or nobody reads its output any more)."""


@dataclass
class RunOptions:
    backend: str | None = None
    backend_options: dict[str, Any] = field(default_factory=dict)
    base_url: str | None = None
    report_dir: Path = Path("pagesight-report")
    headed: bool = False
    fail_fast: bool = False
    retries: int | None = None  # None: each scenario's `retries:` (default 0)
    numbers: list[int] | None = None  # each scenario's place in the whole (unsharded) run
    update_baselines: bool = False  # `assert: {looks_like: …}` rewrites its baseline and passes
    cache: str | None = None  # locator cache mode: read-write, read-only, off (None: by $CI)
    cache_dir: Path | None = None  # where cache files go (None: __pagesight_cache__ beside each file)
    animations: str = "allow"  # "disabled": screenshots with CSS animations finished (Playwright's option)
    masks: tuple[Any, ...] = ()  # vision.masks.Mask for every scenario (--mask), with each file's own


class Progress:
    """Callbacks for live output; the CLI prints, tests may record. Default: silent."""

    def scenario_started(self, index: int, total: int, scenario: Any) -> None: ...
    def step_started(self, step: Any) -> None: ...
    def step_finished(self, record: StepRecord) -> None: ...
    def scenario_finished(self, result: ScenarioResult) -> None: ...
    def retrying(self, result: ScenarioResult, attempt: int, retries: int) -> None: ...


class _Backends:
    """Backends by name, loaded once per run (model loading is the slow part)."""

    def __init__(self, options: RunOptions):
        self.options = options
        self.loaded: dict[str, VisionBackend] = {}

    def get(self, name: str | None) -> VisionBackend:
        key = backend_name(name)  # the one rule: the name given, else $PAGESIGHT_BACKEND, else ocr
        if key not in self.loaded:
            self.loaded[key] = load_backend(key, **self.options.backend_options)
        return self.loaded[key]

    def close(self) -> None:
        for backend in self.loaded.values():
            backend.close()


def run_scenarios(scenarios: list[Any], options: RunOptions, progress: Progress | None = None
                  ) -> list[ScenarioResult]:
    progress = progress or Progress()
    backends = _Backends(options)
    numbers = options.numbers or list(range(1, len(scenarios) + 1))
    results: list[ScenarioResult] = []
    try:
        for i, (sc, number) in enumerate(zip(scenarios, numbers, strict=True), 1):
            stop = any(r.status == INTERRUPTED for r in results)
            if stop or (options.fail_fast and any(r.status == FAILED for r in results)):
                why = "not run: the run was interrupted" if stop else "skipped (--fail-fast)"
                results.append(ScenarioResult(sc.name, str(sc.path), status=SKIPPED, error=why, number=number))
                continue
            try:
                progress.scenario_started(i, len(scenarios), sc)
                result = _with_retries(sc, number, backends, options, progress)
                progress.scenario_finished(result)
            except KeyboardInterrupt:  # between scenarios, or while loading a backend
                results.append(ScenarioResult(sc.name, str(sc.path), status=INTERRUPTED, number=number,
                                              error="interrupted before it started"))
                continue
            results.append(result)
    finally:
        backends.close()
    return results


def _with_retries(sc: Any, number: int, backends: _Backends, options: RunOptions,
                  progress: Progress) -> ScenarioResult:
    retries = options.retries if options.retries is not None else (sc.retries or 0)
    tries: list[ScenarioResult] = []
    while True:
        result = run_scenario(sc, backends.get(options.backend or sc.backend), options, number, progress,
                              attempt=len(tries))
        if result.status != FAILED or len(tries) >= retries:
            break
        tries.append(result)
        progress.retrying(result, len(tries), retries)
    if tries:
        result.attempts = tries
        if result.status == PASSED:
            result.status = FLAKY
    return result


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _locator_cache(sc: Any, options: RunOptions, secrets: Secrets) -> Any:
    from agent.engine.locator_cache import LocatorCache, cache_path, check_mode

    mode = check_mode(options.cache)
    if mode == "off" or sc.path is None:
        return None
    return LocatorCache(cache_path(sc.path, options.cache_dir), mode, redact=secrets)


def run_scenario(sc: Any, backend: VisionBackend, options: RunOptions, index: int = 1,
                 progress: Progress | None = None, attempt: int = 0) -> ScenarioResult:
    """One try at one scenario. `index` is its number in the run; `attempt` counts retries (0 first)."""
    from browser.serve import serve_folder
    from browser.session import BrowserSession

    progress = progress or Progress()
    secrets = Secrets(sc.secrets)
    result = ScenarioResult(sc.name, str(sc.path), backend=getattr(backend, "name", "?"), number=index)
    prefix = f"{result.key}-" + (f"retry{attempt}-" if attempt else "")
    recorder = ReportRecorder(Path(options.report_dir) / "steps", prefix=prefix, redact=secrets)
    started = time.perf_counter()
    agent: Agent | None = None
    with ExitStack() as stack:
        try:
            base = options.base_url or sc.base_url
            if sc.serve is not None and not options.base_url:
                base = stack.enter_context(serve_folder(sc.serve))
            url = urljoin((base or "").rstrip("/") + "/", sc.url) if base else sc.url
            result.url = url
            session = stack.enter_context(BrowserSession(
                viewport=tuple(sc.viewport), scale=sc.device_scale_factor, headed=options.headed,
                base_url=base, timeout=sc.timeout))
            session.animations = options.animations
            cache = _locator_cache(sc, options, secrets)
            if cache is not None:
                stack.callback(cache.save)
            agent = Agent(session, backend, timeout=sc.timeout, recorder=recorder, origins=(_origin(url),),
                          masks=sc.mask + tuple(options.masks), cache=cache)
            if sc.path is not None:
                from agent.engine.baselines import Baselines

                agent.baselines = Baselines.beside(sc.path, options.update_baselines, sc.mask)
            not_opened = open_start_page(session, url)  # a 404 or a refused connection: a failed step 0
            if not_opened is not None:
                result.steps.append(secrets.record(not_opened))
                result.status = FAILED
                result.error = secrets(f"step 0 ({not_opened.description}): {not_opened.error}")
                progress.step_finished(not_opened)
            for step in sc.steps if not_opened is None else ():
                progress.step_started(step)
                record = _run_step(agent, step, result, recorder, secrets)
                progress.step_finished(record)
                if result.status == FAILED:
                    break
        except PagesightError as exc:
            result.status, result.error = FAILED, secrets(str(exc))
        except KeyboardInterrupt:
            _interrupted(agent, result, recorder, secrets)
            _close_quietly(stack.pop_all())
        finally:
            try:
                recorder.close()
            except KeyboardInterrupt:  # stopped while the last images were written: keep the results
                result.status, result.error = INTERRUPTED, result.error or "interrupted"
                recorder.close()
    result.duration_s = time.perf_counter() - started
    if result.status not in (FAILED, INTERRUPTED):
        result.status = PASSED
    return secrets.result(result)


def _run_step(agent: Agent, step: Any, result: ScenarioResult, recorder: ReportRecorder,
              secrets: Secrets) -> StepRecord:
    try:
        record = agent.run(step)
    except PagesightError as exc:
        record = agent.records[-1]
        result.status, result.error = FAILED, f"step {record.index} ({record.description}): {exc}"
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # noqa: BLE001 - a crash fails this scenario, not the run
        record = agent.records[-1]
        result.status = FAILED
        result.error = f"step {record.index} ({record.description}) crashed: {type(exc).__name__}: {exc}"
    recorder.finish(record, agent.saved)
    result.error = secrets(result.error)
    result.steps.append(secrets.record(record))
    return record


def _interrupted(agent: Agent | None, result: ScenarioResult, recorder: ReportRecorder, secrets: Secrets) -> None:
    """Keep what finished; the step that was running is marked interrupted, with its images."""
    result.status, result.error = INTERRUPTED, "interrupted"
    if agent is not None and agent.records and (not result.steps or result.steps[-1] is not agent.records[-1]):
        record = agent.records[-1]
        record.status, record.error = INTERRUPTED, "interrupted"
        try:
            recorder.finish(record, agent.saved)
        except Exception:  # noqa: BLE001 - the images of a half-done step are not worth losing the report
            pass
        result.steps.append(secrets.record(record))
        result.error = f"interrupted at step {record.index} ({record.description})"


def _close_quietly(stack: ExitStack) -> None:
    """Close the browser and server after an interruption; a driver that died with it is not an error."""
    try:
        stack.close()
    except BaseException:  # noqa: BLE001 - a second Ctrl-C, or a dead driver, while closing
        pass
