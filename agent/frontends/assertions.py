"""`expect(ui)`: assertions about what the page shows, retried until they hold or time out.

    from agent import expect

    expect(ui).to_show('"Welcome, alice"')
    expect(ui).to_have('"删除" button', count=3, timeout=10)
    expect(ui).to_be_checked('"Remember me" checkbox')
    expect(ui).to_look_like("home", level="layout", mask=['"Last login" text'])

Like Playwright's `expect`, one snapshot is not a verdict: each assertion looks again until it holds
or `timeout` seconds pass (default 5, see `set_default_timeout`). A failure is an `AssertionFailed`
(also an AssertionError) whose message says what was expected, what was seen instead (nearest
candidates: kind, text, box) and the path of an annotated screenshot written under the test's
output folder. Each assertion runs the same typed step a scenario's `assert:` would.
"""

from __future__ import annotations

import sys
from typing import Any

from agent.engine.records import StepRecord
from pagesight_errors import AssertionFailed, ElementNotFound

__all__ = ["expect", "set_default_timeout", "get_default_timeout", "UIAssertions"]

_default_timeout = 5.0

# pytest shows a failed expectation at the test's own line (`--full-trace` shows pagesight's frames).
__tracebackhide__ = True


def set_default_timeout(seconds: float) -> None:
    """How long every later `expect(...)` assertion retries when given no `timeout=` (seconds)."""
    global _default_timeout
    if seconds <= 0:
        raise ValueError(f"the timeout must be positive, got {seconds}")
    _default_timeout = float(seconds)


def get_default_timeout() -> float:
    return _default_timeout


def expect(ui: Any) -> UIAssertions:
    """Assertions about what `ui` (an agent.frontends.ui.UI, e.g. the pytest `ui` fixture) shows."""
    if not hasattr(ui, "agent") or not hasattr(ui, "run"):
        raise TypeError(f"expect() takes the `ui` fixture (agent.UI), not {type(ui).__name__}; for "
                        f"Playwright pages and locators use playwright.sync_api.expect")
    return UIAssertions(ui)


class UIAssertions:
    """What `expect(ui)` returns. Targets are descriptions as in scenario files ('"OK" button')."""

    def __init__(self, ui: Any):
        self.ui = ui

    def to_show(self, target: str, timeout: float | None = None) -> StepRecord:
        """`target` is on screen (waits up to `timeout` for it to appear)."""
        return self._assert({"visible": target, "timeout": self._t(timeout)}, target, timeout)

    def not_to_show(self, target: str, timeout: float | None = None) -> StepRecord:
        """`target` is not on screen (waits up to `timeout` for it to go)."""
        return self._assert({"not_visible": target, "timeout": self._t(timeout)}, target, timeout)

    def to_have(self, target: str, count: int, timeout: float | None = None) -> StepRecord:
        """Exactly `count` things on screen fit `target` (e.g. '"Delete" button', count=3)."""
        return self._assert({"count": target, "equals": count}, target, timeout)

    def to_be_checked(self, target: str, timeout: float | None = None) -> StepRecord:
        return self._assert({"state": target, "is": "checked"}, target, timeout)

    def not_to_be_checked(self, target: str, timeout: float | None = None) -> StepRecord:
        return self._assert({"state": target, "is": "unchecked"}, target, timeout)

    def to_be_disabled(self, target: str, timeout: float | None = None) -> StepRecord:
        return self._assert({"state": target, "is": "disabled"}, target, timeout)

    def to_be_enabled(self, target: str, timeout: float | None = None) -> StepRecord:
        return self._assert({"state": target, "is": "enabled"}, target, timeout)

    def to_be_focused(self, target: str, timeout: float | None = None) -> StepRecord:
        return self._assert({"state": target, "is": "focused"}, target, timeout)

    def to_answer(self, question: str, contains: str, timeout: float | None = None) -> str:
        """Asking `question` about the page gives an answer containing `contains` (case-insensitive).

        Needs a model backend, or the `ocr` backend where it can read the answer off the screen
        (otherwise UnsupportedQuestion, which is not retried).
        """
        step = self._step({"ask": {"question": question, "expect": contains}}, depth=2)
        return self.ui.retry(step, self._t(timeout)).answer

    def to_look_like(self, name: str, level: str = "layout", mask: Any = None, tolerance: int | None = None
                     ) -> StepRecord:
        """The screen matches the baseline `name` at `level` (pixel, layout or content), `mask` regions
        ignored (targets or [x1, y1, x2, y2] boxes in CSS pixels). Baselines live beside the test file in
        `__baselines__/<test file stem>/`; a missing one is written and the assertion fails saying so;
        pytest's `--update-baselines` rewrites them. Not retried: a screen either matches or it does not.
        """
        from agent.engine.baselines import Baselines

        caller = sys._getframe(1)
        body: dict[str, Any] = {"looks_like": name, "level": level}
        if mask is not None:
            body["mask"] = mask
        if tolerance is not None:
            body["tolerance"] = tolerance
        step = self._step({"assert": body}, depth=2)
        update = bool(getattr(self.ui, "update_baselines", False))
        self.ui.agent.baselines = Baselines.beside(caller.f_code.co_filename, update)
        return self.ui.run(step)

    # -- one path for every assertion ----------------------------------------------------------------
    @staticmethod
    def _t(timeout: float | None) -> float:
        return _default_timeout if timeout is None else float(timeout)

    @staticmethod
    def _step(value: dict[str, Any], depth: int = 3) -> Any:
        from agent.language.step_dicts import step_from_dict

        key = next(iter(value))
        body = value[key]
        caller = sys._getframe(depth)  # the test line that called expect(...).to_...
        source = f"expect(ui) {key}: {body}"
        return step_from_dict(value if key == "ask" else {"assert": body}, line=caller.f_lineno,
                              source=source)

    def _assert(self, body: dict[str, Any], target: str, timeout: float | None = None) -> StepRecord:
        step = self._step({"assert": body})
        try:
            # Steps without their own timeout (count, state) poll for the UI's timeout: set it here.
            with self.ui.timeout_of(self._t(timeout)):
                return self.ui.run(step)
        except ElementNotFound as exc:  # a state assertion whose target never appeared
            what = body.get("is", "there")
            raise self._seen(AssertionFailed(f"expected {target!r} to be {what}, but it was not found on "
                                             f"the screen", exc.candidates, exc.screenshot), target) from None
        except AssertionFailed as exc:
            raise self._seen(exc, target) from None

    def _seen(self, exc: AssertionFailed, target: str) -> AssertionFailed:
        """`exc`, saying what was seen instead where the backend offered no candidates."""
        if exc.candidates:
            return exc
        try:
            nearest = self.ui.nearest(target)
        except Exception:  # a message helper must never hide the assertion that failed
            return exc
        base = str(exc)
        suffix = f"; screenshot: {exc.screenshot}" if exc.screenshot else ""
        if suffix and base.endswith(suffix):
            base = base[: -len(suffix)]
        if not nearest:
            return AssertionFailed(base + "; nothing like it was seen on the screen", (), exc.screenshot)
        if exc.screenshot:
            self.ui.redraw(exc.screenshot, nearest)
        return AssertionFailed(base, nearest, exc.screenshot)
