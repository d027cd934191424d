"""Running scenarios: serve, open a browser, run each step through the agent, collect results."""

from __future__ import annotations

import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from agent.engine.loop import Agent, Recorder
from agent.engine.records import FAILED, PASSED, SKIPPED, ScenarioResult, StepRecord
from pagesight_errors import PagesightError
from vision.backend import VisionBackend, backend_name, load_backend

__all__ = ["RunOptions", "run_scenarios", "run_scenario", "Progress"]


@dataclass
class RunOptions:
    backend: str | None = None
    backend_options: dict[str, Any] = field(default_factory=dict)
    base_url: str | None = None
    report_dir: Path = Path("pagesight-report")
    headed: bool = False
    fail_fast: bool = False
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
    results: list[ScenarioResult] = []
    try:
        for i, sc in enumerate(scenarios, 1):
            if options.fail_fast and any(r.status == FAILED for r in results):
                results.append(ScenarioResult(sc.name, str(sc.path), status=SKIPPED, error="skipped (--fail-fast)"))
                continue
            progress.scenario_started(i, len(scenarios), sc)
            result = run_scenario(sc, backends.get(options.backend or sc.backend), options, i, progress)
            progress.scenario_finished(result)
            results.append(result)
    finally:
        backends.close()
    return results


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _locator_cache(sc: Any, options: RunOptions) -> Any:
    from agent.engine.locator_cache import LocatorCache, cache_path, check_mode

    mode = check_mode(options.cache)
    if mode == "off" or sc.path is None:
        return None
    return LocatorCache(cache_path(sc.path, options.cache_dir), mode)


def run_scenario(sc: Any, backend: VisionBackend, options: RunOptions, index: int = 1,
                 progress: Progress | None = None) -> ScenarioResult:
    from browser.serve import serve_folder
    from browser.session import BrowserSession

    progress = progress or Progress()
    result = ScenarioResult(sc.name, str(sc.path), backend=getattr(backend, "name", "?"))
    started = time.perf_counter()
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
            recorder = Recorder(Path(options.report_dir) / "steps", prefix=f"{index:02d}-")
            session.animations = options.animations
            cache = _locator_cache(sc, options)
            if cache is not None:
                stack.callback(cache.save)
            agent = Agent(session, backend, timeout=sc.timeout, recorder=recorder, origins=(_origin(url),),
                          masks=tuple(getattr(sc, "mask", ())) + tuple(options.masks), cache=cache)
            session.goto(url)
        except PagesightError as exc:
            result.status, result.error = FAILED, str(exc)
            result.duration_s = time.perf_counter() - started
            return result
        for step in sc.steps:
            progress.step_started(step)
            try:
                record = agent.run(step)
            except PagesightError as exc:
                record = agent.records[-1]
                result.status, result.error = FAILED, f"step {record.index} ({record.description}): {exc}"
            except Exception as exc:  # noqa: BLE001 - a crash fails this scenario, not the run
                record = agent.records[-1]
                result.status = FAILED
                result.error = f"step {record.index} ({record.description}) crashed: {type(exc).__name__}: {exc}"
            result.steps.append(record)
            progress.step_finished(record)
            if result.status == FAILED:
                break
    result.duration_s = time.perf_counter() - started
    if result.status != FAILED:
        result.status = PASSED
    return result
