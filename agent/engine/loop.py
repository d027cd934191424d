"""The agent: one step at a time, in named phases — observe, locate, act, verify, record.

Errors from every phase are handled in one place (`Agent.run`): the step's record is completed and
its screenshots written whether the step passed or failed, then the error goes on to the caller.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agent.engine import overlap
from agent.engine.records import FAILED, PASSED, StepRecord
from browser.screenshot import Screenshot
from pagesight_errors import ActionFailed, ElementNotFound, PagesightError
from vision.base import VisionBackend
from vision.types import Element, Location

__all__ = ["Agent", "Recorder"]

POLL_PAUSE_S = 0.15


class Recorder:
    """Writes step screenshots as separate PNG files (never inlined) under one folder."""

    def __init__(self, folder: str | Path, prefix: str = ""):
        self.folder = Path(folder)
        self.prefix = prefix
        self._count = 0

    def save(self, shot: Screenshot, name: str, element: Element | None = None,
             point: tuple[int, int] | None = None) -> str:
        """Save `shot` (annotated with the target box and click point when given); returns its path."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._count += 1
        path = self.folder / f"{self.prefix}{self._count:03d}-{name}.png"
        if element is None and point is None:
            path.write_bytes(shot.png)
        else:
            from vision.annotate import annotate

            annotate(shot.image, highlight=element, point=point).save(path)
        return str(path)


class Agent:
    """Drives one browser session with one vision backend. Used by scenarios, `ui` and `explore`."""

    def __init__(self, session: Any, backend: VisionBackend, *, timeout: float = 10.0,
                 recorder: Recorder | None = None, origins: tuple[str, ...] = (),
                 still_timeout: float = 3.0, masks: tuple[Any, ...] = (), cache: Any = None):
        self.session = session
        self.backend = backend
        self.timeout = timeout
        self.recorder = recorder
        self.origins = origins
        self.still_timeout = still_timeout
        self.records: list[StepRecord] = []
        self.record: StepRecord = StepRecord(0, "")
        self.last_shot: Screenshot | None = None
        self.saved: dict[str, str] = {}  # named screenshots
        self.baselines: Any = None  # agent.engine.baselines.Baselines: where `looks_like` keeps its baselines
        self.masks = tuple(masks)  # vision.masks.Mask: regions the stillness wait ignores
        self.cache = cache  # agent.engine.locator_cache.LocatorCache, or None
        self._mask_at: tuple[str, list[Any]] = ("", [])  # masks resolved on one screenshot (its hash)
        self._still_png: bytes | None = None  # the last settled screenshot, while nothing was done since
        self._moving: tuple[Any, ...] = ()  # where the page moved on its own at the last look
        self._looks = 0  # finds so far in this step: part of the cache key

    # -- one place for errors ------------------------------------------------------------------------
    def run(self, step: Any) -> StepRecord:
        """Run one typed step; its record is kept even when it fails (then the error is re-raised)."""
        record = StepRecord(index=len(self.records) + 1, description=_describe(step),
                            line=getattr(step, "line", 0))
        self.record = record
        self.records.append(record)
        self._looks = 0
        started = time.perf_counter()
        try:
            self.perform(step)
            record.status = PASSED
        except PagesightError as exc:
            record.status = FAILED
            record.error = str(exc)
            self._record_failure(exc)
            raise
        except Exception as exc:  # a bug or a browser crash: still leave a readable record
            record.status = FAILED
            record.error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            record.duration_s = time.perf_counter() - started
        return record

    def perform(self, step: Any) -> None:
        """Run a step's handler (agent.engine.handlers.HANDLERS, keyed by its type) inside the current record:
        how `run` acts, and how the planner runs the steps it plans within its `do:` step."""
        from agent.engine import checks, scrolling  # noqa: F401 - register their steps' handlers
        from agent.engine.handlers import perform

        perform(self, step)

    def _record_failure(self, exc: PagesightError) -> None:
        candidates = getattr(exc, "candidates", None) or []
        self.record.candidates = [c.to_json() if hasattr(c, "to_json") else dict(c) for c in candidates]
        if self.record.before is None and self.last_shot is not None and self.recorder:
            self.record.before = self.recorder.save(self.last_shot, "seen")

    # -- phases ----------------------------------------------------------------------------------------
    def observe(self, *, settle: bool = False, first: Screenshot | None = None,
                since: float | None = None) -> Screenshot:
        """A still screenshot (bounded wait), timed into the step's record. Masked regions do not count as
        motion; motion that stays in small places elsewhere (a spinner, a clock) ends the wait unless
        `settle` (then only the bound does): `find` waits on when its target is in such a place. `first`
        is a capture taken at `since` that counts as the wait's first (agent.engine.overlap)."""
        t0 = time.perf_counter() if since is None else since
        previous = self._still_png
        extra = {} if first is None else {"first": first.png}
        shot = self.session.stable_screenshot(timeout=self.still_timeout, ignore=self.mask_boxes(),
                                              local=not settle, previous=previous, known_moving=self._moving,
                                              **extra)
        elapsed = time.perf_counter() - t0
        wait = getattr(self.session, "last_wait", None)
        # A still page costs at least two captures; count one as "screenshot", the rest as waiting.
        shots = max(1, getattr(wait, "shots", 1))
        capture = elapsed / shots
        self.record.add_time("screenshot", capture)
        self.record.add_time("stability", elapsed - capture)
        outcome = getattr(wait, "outcome", "still")
        self.record.stillness.append(outcome)
        if outcome == "moving":
            self.record.notes.append(f"the page was still moving after {elapsed:.1f}s; looked anyway")
        # a reference for the next look, while nothing is done: still, or moving only in small places
        settled = getattr(wait, "still", False) or outcome == "moving-elsewhere"
        self._still_png = shot.png if settled else None
        self._moving = tuple(getattr(wait, "moving", ()))  # places that move on their own (a spinner)
        self.last_shot = shot
        return shot

    def mask_boxes(self) -> list[Any]:
        """The masks in screenshot pixels: boxes scaled, descriptions located on the last screenshot."""
        if not self.masks:
            return []
        from vision.masks import resolve_masks

        if all(m.box is not None for m in self.masks):
            return resolve_masks(self.masks, None, scale=self.session.scale)[0]
        shot = self.last_shot or self.session.screenshot()
        if self._mask_at[0] != shot.hash:
            t0 = time.perf_counter()
            boxes = resolve_masks(self.masks, shot.image, self.backend, scale=shot.scale, size=shot.size)[0]
            self.record.add_time("vision", time.perf_counter() - t0)
            self._mask_at = (shot.hash, boxes)
        return self._mask_at[1]

    def _moving_at(self, loc: Location) -> bool:
        """The located element lies where the page was still moving when the screenshot was taken."""
        wait = getattr(self.session, "last_wait", None)
        box = loc.element.box if loc.element is not None else (loc.covered.box if loc.covered else None)
        return bool(box is not None and wait is not None and any(
            box[0] < m[2] and m[0] < box[2] and box[1] < m[3] and m[1] < box[3] for m in wait.moving))

    def locate(self, shot: Screenshot, target: str) -> Location:
        t0 = time.perf_counter()
        try:
            return self.backend.locate(shot.image, target)
        finally:
            self.record.add_time("vision", time.perf_counter() - t0)

    def find(self, target: str, timeout: float | None = None, *, covered_ok: bool = False,
             verb: str = "clicked") -> tuple[Screenshot, Location]:
        """Observe and locate until the target is seen or `timeout` passes (at least two looks).

        Seen only behind an open modal's backdrop (`loc.covered`), the look ends: with `covered_ok` (a
        check of what is visible) that is the answer; otherwise nothing can be `verb` there, and the step
        fails naming the dialog. With a locator cache, a cached place seen on the screen is the answer
        (never unseen: see locator_cache.py); what grounding finds is written back to it."""
        key, first = self._cache_key(target, verb), None
        if key is not None and key in self.cache.entries:
            first = self.observe()
            t0 = time.perf_counter()
            hit = self.cache.confirm(key, first.image)
            self.record.add_time("vision", time.perf_counter() - t0)
            if hit is not None and not self._moving_at(hit):
                self.record.cache = "hit"
                return first, hit
            self.record.cache = "miss"
            self.record.notes.append("the cached place of this target no longer matched the screen; "
                                     "grounding it again")
        shot, loc = self.poll(target, lambda lc: lc.found or lc.covered is not None, timeout, what="find",
                              first=first)
        if key is not None and loc.found:
            healed = self.record.cache == "miss"
            self.cache.store(key, shot.image, loc, step=self.record.index, description=self.record.description,
                             viewport=self.session.viewport, scale=shot.scale, healed=healed)
            self.record.cache = "healed" if healed else "new"
        if not loc.found and not covered_ok:
            raise self.blocked(target, shot, loc, verb)
        return shot, loc

    def _cache_key(self, target: str, verb: str) -> str | None:
        if self.cache is None or self.cache.mode == "off":
            return None
        from agent.engine.locator_cache import CACHED_VERBS

        self._looks += 1
        if verb not in CACHED_VERBS:
            return None
        return self.cache.key(self.record.index, self.record.description, target, self._looks,
                              self.session.viewport, self.session.scale)

    def poll(self, target: str, done: Callable[[Location], bool], timeout: float | None,
             what: str = "find", first: Screenshot | None = None) -> tuple[Screenshot, Location]:
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        looks = 0
        while True:
            if first is None and looks == 0 and overlap.speculative(self):
                shot, loc = overlap.look(self, target)  # grounding starts while stillness is confirmed
            else:
                shot = first or self.observe()
                loc = self.locate(shot, target)
            first = None
            if self._moving_at(loc):  # it is where the page still moves: let that settle, look again
                self.record.stillness.append("moving-at-target")
                shot = self.observe(settle=True)
                loc = self.locate(shot, target)
            looks += 1
            if done(loc):
                return shot, loc
            if looks >= 2 and time.monotonic() >= deadline:
                if what == "find":
                    raise self.not_found(target, shot, loc)
                return shot, loc
            time.sleep(POLL_PAUSE_S)

    def not_found(self, target: str, shot: Screenshot, loc: Location) -> ElementNotFound:
        path = self.save(shot, "not-found", element=None) if self.recorder else None
        if path:
            self.record.before = path
        return ElementNotFound(target, loc.candidates, screenshot=path, detail=loc.detail)

    def blocked(self, target: str, shot: Screenshot, loc: Location, verb: str = "clicked") -> ActionFailed:
        """The step's target lies behind an open modal's backdrop: a click there would hit the backdrop."""
        el = loc.covered
        path = self.save(shot, "behind-dialog", element=el) if self.recorder else None
        if path:
            self.record.before = path
        name = (el.name if el else "") or target
        dialog = f'the "{loc.dialog}" dialog' if loc.dialog else "a dialog"
        where = f" at {list(el.box)}" if el else ""
        return ActionFailed(f'{dialog} is open over the page: "{name}"{where} lies behind its backdrop and '
                            f"cannot be {verb}; close the dialog first"
                            + (f"; screenshot: {path}" if path else ""))

    def act(self, name: str, fn: Callable[[], Any]) -> Any:
        self._still_png = None  # the page may change now: the next look needs two captures again
        t0 = time.perf_counter()
        try:
            return fn()
        finally:
            self.record.add_time("action", time.perf_counter() - t0)

    def css(self, shot: Screenshot, point: tuple[int, int]) -> tuple[float, float]:
        return shot.to_css(point)

    # -- record ----------------------------------------------------------------------------------------
    def save(self, shot: Screenshot, name: str, element: Element | None = None,
             point: tuple[int, int] | None = None) -> str | None:
        if not self.recorder:
            return None
        return self.recorder.save(shot, name, element, point)

    def note_target(self, shot: Screenshot, loc: Location) -> None:
        """Record what the backend answered and draw it on the before-screenshot."""
        el, point = loc.element, loc.point
        if el is not None:
            self.record.target_box = [int(v) for v in el.box]
            self.record.answer = f"{el.kind} {el.name!r} at {list(el.box)}"
        if point is not None:
            self.record.point = [int(point[0]), int(point[1])]
        self.record.before = self.save(shot, "before", el, point)

    def note_after(self, shot: Screenshot) -> None:
        self.record.after = self.save(shot, "after")


def _describe(step: Any) -> str:
    describe = getattr(step, "describe", None)
    return describe() if callable(describe) else str(step)
