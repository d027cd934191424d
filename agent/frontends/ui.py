"""`UI`: the scenario verbs as Python methods on a Playwright page, for pytest and scripts.

    ui = UI(page, load_backend("ocr"), timeout=10, output_dir="test-results/t1")
    ui.goto("/login.html")
    ui.fill('"Email address"', "alice@example.com")
    ui.click('"Sign in" button')

Every verb builds the same typed step a scenario file would (through `step_from_dict`, so the same
checks and normalisation apply) and runs it through the `Agent`: behaviour is identical to
`pagesight run`. Everything a `UI` hands back is in CSS pixels (what `page.mouse` takes), not in
screenshot pixels: at a device scale factor of 2 a screenshot is twice the page's CSS size.

Screenshots are written only where they help: a failing step's screenshots (the annotated one
named in the error included) go to `output_dir`; passing steps leave nothing on disk unless
`screenshots="on"`. `ui.screenshot()` always writes.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from agent.engine.loop import POLL_PAUSE_S, Agent, Recorder
from agent.engine.records import StepRecord
from browser.screenshot import Screenshot, box_to_css, to_css
from pagesight_errors import AssertionFailed, ElementNotFound, PagesightError, TargetError
from vision.backend import VisionBackend, load_backend
from vision.types import Element, Location, Parse

__all__ = ["UI"]

# pytest shows a failing verb at the test's own line, not inside pagesight (`--full-trace` shows all).
__tracebackhide__ = True


class _StepRecorder(Recorder):
    """Names files at once but writes them only when asked (a failure, or "on"): encoding every
    step's before/after screenshots costs time and fills test-results/ with files nobody opens."""

    def __init__(self, folder: str | Path, prefix: str = "", keep_all: bool = False):
        super().__init__(folder, prefix)
        self.keep_all = keep_all
        self.saved = 0  # files are numbered in the order the agent asked for them
        self.pending: dict[str, tuple[Screenshot, Element | None, tuple[int, int] | None]] = {}

    def save(self, shot: Screenshot, name: str, element: Element | None = None,
             point: tuple[int, int] | None = None) -> str:
        self.saved += 1
        path = str(self.folder / f"{self.prefix}{self.saved:03d}-{name}.png")
        self.pending[path] = (shot, element, point)
        if self.keep_all:
            self.write(path)
        return path

    def write(self, path: str, candidates: tuple[Any, ...] = ()) -> str | None:
        """Write one pending screenshot; `candidates` (nearest elements) are drawn on it too."""
        item = self.pending.pop(path, None)
        if item is None:
            return path if Path(path).exists() else None
        shot, element, point = item
        self.folder.mkdir(parents=True, exist_ok=True)
        drawn = [c for c in candidates if isinstance(c, Element)]
        if element is None and point is None and not drawn:
            Path(path).write_bytes(shot.png)
            return path
        from vision.annotate import annotate

        elements = ([element] if element is not None else []) + drawn
        annotate(shot.image, elements, highlight=element, point=point, show_text=bool(drawn)).save(path)
        return path

    def flush(self, focus: str | None = None, candidates: tuple[Any, ...] = ()) -> list[str]:
        """Write every pending screenshot (a step failed); `focus` is the one the error names."""
        written = []
        for path in list(self.pending):
            done = self.write(path, candidates if path == focus else ())
            if done:
                written.append(done)
        return written

    def discard(self) -> None:
        self.pending.clear()


class UI:
    """Drive a Playwright sync `page` by what is seen on it, with one vision backend.

    `backend` is a VisionBackend or a backend name (None: $PAGESIGHT_BACKEND or `ocr`). `timeout` is
    how long a step waits for its target (seconds). `base_url` makes `goto("/path")` relative to it
    (otherwise relative URLs follow the current page). Screenshots go under `output_dir`.
    """

    def __init__(self, page: Any, backend: VisionBackend | str | None = None, *, timeout: float = 10.0,
                 output_dir: str | Path | None = None, base_url: str | None = None,
                 screenshots: str = "only-on-failure", prefix: str = ""):
        from browser.session import BrowserSession

        if screenshots not in ("on", "only-on-failure"):
            raise ValueError(f"screenshots must be 'on' or 'only-on-failure', not {screenshots!r}")
        self.page = page
        self.backend = backend if isinstance(backend, VisionBackend) else load_backend(backend)
        self.output_dir = Path(output_dir) if output_dir is not None else Path("test-results") / "pagesight"
        self.session = BrowserSession.attach(page, base_url=base_url, timeout=max(timeout, 30.0))
        self._recorder = _StepRecorder(self.output_dir, prefix, keep_all=screenshots == "on")
        self.agent = Agent(self.session, self.backend, timeout=timeout, recorder=self._recorder)
        self.failure_screenshots: list[str] = []  # every screenshot written for a failed step
        self.update_baselines = False  # expect(ui).to_look_like rewrites its baseline (pytest --update-baselines)

    # -- bookkeeping ---------------------------------------------------------------------------------
    @property
    def timeout(self) -> float:
        return self.agent.timeout

    @timeout.setter
    def timeout(self, seconds: float) -> None:
        self.agent.timeout = float(seconds)

    @property
    def records(self) -> list[StepRecord]:
        """One record per step run so far (description, status, timings, screenshot paths)."""
        return self.agent.records

    url = property(lambda self: self.session.url, doc="The page's URL now.")

    def close(self) -> None:
        """Stop listening to the page (the page itself belongs to its owner and stays open)."""
        self.session.close()

    @contextmanager
    def timeout_of(self, seconds: float | None) -> Iterator[None]:
        """Within the block, steps wait up to `seconds` (None: unchanged)."""
        old = self.agent.timeout
        if seconds is not None:
            self.agent.timeout = float(seconds)
        try:
            yield
        finally:
            self.agent.timeout = old

    # -- running steps -------------------------------------------------------------------------------
    def run(self, step: Any, keep: bool = False) -> StepRecord:
        """Run one typed step (agent.language.steps). Its screenshots are written when it fails (or `keep`)."""
        try:
            record = self.agent.run(step)
        except PagesightError as exc:
            raise self._failed(exc) from exc.__cause__
        except Exception:
            self.failure_screenshots += self._recorder.flush()
            raise
        if keep:
            self._recorder.flush()
        self._recorder.discard()
        return record

    def retry(self, step: Any, timeout: float) -> StepRecord:
        """Run a step that looks only once (ask) until it passes or `timeout` s pass (two tries at
        least). Only AssertionFailed is retried; the last failure keeps its screenshots."""

        deadline = time.monotonic() + timeout
        tries = 0
        while True:
            tries += 1
            try:
                record = self.agent.run(step)
            except AssertionFailed as exc:
                if tries >= 2 and time.monotonic() >= deadline:
                    raise self._failed(exc) from exc.__cause__
                self._recorder.discard()
                time.sleep(POLL_PAUSE_S)
                continue
            except PagesightError as exc:
                raise self._failed(exc) from exc.__cause__
            self._recorder.discard()
            return record

    def _failed(self, exc: PagesightError) -> PagesightError:
        """`exc`, screenshots written, without the agent's frames (its message explains it)."""
        self._keep_failure(exc)
        return exc.with_traceback(None)

    def _keep_failure(self, exc: PagesightError) -> None:
        focus = getattr(exc, "screenshot", None)
        candidates = tuple(getattr(exc, "candidates", ()) or ())
        written = self._recorder.flush(focus, candidates)
        if focus and candidates and self._recorder.keep_all:
            self.redraw(focus, candidates)  # written before the step failed: draw what was seen now
        if not focus and self.agent.last_shot is not None:
            # The error names no screenshot (e.g. an action that changed nothing): keep the last look.
            seen = self._recorder.save(self.agent.last_shot, "failed")
            written += self._recorder.flush()
            exc.add_note(f"screenshot: {seen}")
        self.failure_screenshots += written
        target = getattr(exc, "target", None)
        if isinstance(exc, ElementNotFound) and not exc.candidates and target:
            # The backend offered nothing close: say what the screen does show that looks like it.
            try:
                near = self.nearest(target)
            except Exception:  # a message helper must never hide the error itself
                near = ()
            if near:
                exc.candidates = list(near)
                exc.add_note("seen instead: " + "; ".join(f"{e.kind} {e.name!r} at {list(e.box)}" for e in near))
                if focus:
                    self.redraw(focus, near)

    def _verb(self, key: str, value: Any, call: str, keep: bool = False) -> StepRecord:
        from agent.language.step_dicts import step_from_dict

        caller = sys._getframe(2)  # the test line that called the verb, for records and reports
        return self.run(step_from_dict({key: value}, line=caller.f_lineno, source=call), keep=keep)

    def step(self, step: str | Mapping[str, Any]) -> StepRecord:
        """Run one step written as in a scenario file: a sentence (`点击 "登录"`) or a dict."""
        if isinstance(step, Mapping):
            from agent.language.step_dicts import step_from_dict

            typed = step_from_dict(step, line=sys._getframe(1).f_lineno, source=str(dict(step)))
        else:
            from agent.language.sentences import parse_sentence

            typed = parse_sentence(step, line=sys._getframe(1).f_lineno)
        return self.run(typed)

    # -- the verbs (same as the scenario format) -------------------------------------------------------
    def goto(self, url: str) -> StepRecord:
        return self._verb("goto", url, f"ui.goto({url!r})")

    def back(self) -> StepRecord:
        return self._verb("back", True, "ui.back()")

    def reload(self) -> StepRecord:
        return self._verb("reload", True, "ui.reload()")

    def click(self, target: str, button: str = "left", count: int = 1) -> StepRecord:
        return self._verb("click", {"target": target, "button": button, "count": count},
                          f"ui.click({target!r})")

    def double_click(self, target: str) -> StepRecord:
        return self._verb("click", {"target": target, "count": 2}, f"ui.double_click({target!r})")

    def right_click(self, target: str) -> StepRecord:
        return self._verb("click", {"target": target, "button": "right"}, f"ui.right_click({target!r})")

    def __getattr__(self, name: str) -> Any:
        """`ui.hover(target)`, `ui.clear(target)`: every one-target step in agent.language.steps."""
        from agent.language.steps import TARGET_STEPS

        if name not in TARGET_STEPS:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return lambda target: self._verb(name, target, f"ui.{name}({target!r})")

    def fill(self, target: str, text: str) -> StepRecord:
        return self._verb("fill", {"target": target, "text": text}, f"ui.fill({target!r}, {text!r})")

    def type(self, text: str) -> StepRecord:
        return self._verb("type", {"text": text}, f"ui.type({text!r})")

    def press(self, key: str) -> StepRecord:
        return self._verb("press", {"key": key}, f"ui.press({key!r})")

    def check(self, target: str) -> StepRecord:
        return self._verb("check", target, f"ui.check({target!r})")

    def uncheck(self, target: str) -> StepRecord:
        return self._verb("uncheck", target, f"ui.uncheck({target!r})")

    def select(self, target: str, option: str) -> StepRecord:
        return self._verb("select", {"target": target, "option": option},
                          f"ui.select({target!r}, {option!r})")

    def scroll(self, direction: str = "down", times: int = 1, to: str | None = None) -> StepRecord:
        value: dict[str, Any] = {"to": to} if to is not None else {"direction": direction, "times": times}
        call = f"ui.scroll(to={to!r})" if to else f"ui.scroll({direction!r}, {times})"
        return self._verb("scroll", value, call)

    def wait_for(self, target: str | None = None, seconds: float | None = None,
                 timeout: float | None = None) -> StepRecord:
        """Wait until `target` is seen (up to `timeout`, default the UI's), or pause `seconds`."""
        value: dict[str, Any] = {"for": target, "seconds": seconds}
        if timeout is not None:
            value["timeout"] = timeout
        return self._verb("wait", {k: v for k, v in value.items() if v is not None},
                          f"ui.wait_for({target!r})" if target else f"ui.wait_for(seconds={seconds})")

    def ask(self, question: str) -> str:
        """A free question about the page, answered in text (model backends; `ocr` where it can)."""
        return self._verb("ask", {"question": question}, f"ui.ask({question!r})").answer

    def do(self, goal: str, max_steps: int = 15) -> StepRecord:
        """A free-form goal, planned step by step by a model backend."""
        return self._verb("do", {"goal": goal, "max_steps": max_steps}, f"ui.do({goal!r})")

    def screenshot(self, name: str = "screenshot") -> str:
        """Save the page as seen now under output_dir; returns the file's path."""
        record = self._verb("screenshot", {"name": name}, f"ui.screenshot({name!r})", keep=True)
        written = record.after
        if not written or not Path(written).exists():
            raise PagesightError(f"could not save the screenshot {name!r} under {self.output_dir}")
        return written

    # -- looking, in CSS pixels ----------------------------------------------------------------------
    def locate(self, target: str, timeout: float | None = None) -> Location:
        """Where `target` is, waiting for it like the verbs do (raises ElementNotFound).

        Point, box, element and candidates are in CSS pixels (screenshot pixels divided by the
        device scale factor), so `page.mouse.click(*ui.locate('"OK"').point)` clicks it.
        """
        record = self._adhoc(f"locate {target}")
        started = time.perf_counter()
        try:
            shot, loc = self.agent.find(target, timeout)
        except PagesightError as exc:
            record.status, record.error = "failed", str(exc)
            raise self._failed(exc) from exc.__cause__
        finally:
            record.duration_s = time.perf_counter() - started
        self._recorder.discard()
        return _location_css(loc, shot.scale)

    def parse(self) -> Parse:
        """Every element seen on the page now, with boxes in CSS pixels."""
        record = self._adhoc("parse the screen")
        started = time.perf_counter()
        shot = self.agent.observe()
        parsed = self.backend.parse(shot.image)
        record.duration_s = time.perf_counter() - started
        return Parse(shot.viewport[0], shot.viewport[1],
                     tuple(_element_css(e, shot.scale) for e in parsed.elements))

    def nearest(self, target: str, n: int = 3) -> tuple[Element, ...]:
        """Elements of the last screenshot whose text is most like `target`'s (screenshot pixels): what
        was seen instead, for failures where the backend offered no candidates."""
        shot = self.agent.last_shot
        if shot is None:
            return ()
        from vision.target import parse_target

        try:
            want = parse_target(target).text or target
        except TargetError:
            want = target
        elements = self.backend.parse(shot.image).elements
        scored = sorted(((_closeness(want, e.name), i, e) for i, e in enumerate(elements) if e.name),
                        key=lambda s: (-s[0], s[1]))
        return tuple(e for score, _, e in scored[:n] if score >= 0.3)

    def redraw(self, path: str, elements: tuple[Any, ...]) -> None:
        """Draw `elements` (screenshot pixels) on an already written failure screenshot."""
        drawn = [e for e in elements if isinstance(e, Element)]
        if not drawn or not Path(path).is_file():
            return
        from vision.annotate import annotate

        annotate(path, drawn, show_text=True).save(path)

    def _adhoc(self, description: str) -> StepRecord:  # a record for locate/parse, which are not steps
        record = StepRecord(index=len(self.agent.records) + 1, description=description,
                            line=sys._getframe(2).f_lineno)
        self.agent.records.append(record)
        self.agent.record = record
        return record

    def __repr__(self) -> str:
        return f"UI(backend={getattr(self.backend, 'name', '?')!r}, timeout={self.timeout:g})"


def _closeness(query: str, text: str) -> float:
    """How alike two texts look to a person reading a failure message: OCR-aware similarity, or the
    share of the query found as one run in the text ("Welcome, bob" ~ "Welcome back")."""
    from difflib import SequenceMatcher

    from vision.textmatch import normalize, similarity

    q, t = normalize(query), normalize(text)
    if not q or not t:
        return 0.0
    run = SequenceMatcher(None, q, t, autojunk=False).find_longest_match(0, len(q), 0, len(t)).size
    return max(similarity(query, text), run / len(q) if run >= 2 else 0.0)


def _element_css(el: Element, scale: float) -> Element:
    return replace(el, box=box_to_css(el.box, scale))


def _location_css(loc: Location, scale: float) -> Location:
    point = None
    if loc.point is not None:
        x, y = to_css(loc.point, scale)
        point = (round(x), round(y))
    return replace(loc, point=point,
                   element=_element_css(loc.element, scale) if loc.element is not None else None,
                   candidates=tuple(_element_css(c, scale) for c in loc.candidates),
                   matches=tuple(_element_css(m, scale) for m in loc.matches))
