"""Every error pagesight raises, in one hierarchy.

    PagesightError                  base: catch this to catch everything pagesight raises
    ├── ScenarioError               a scenario file is wrong (file, line, what would be right)
    ├── BrowserError                no browser, or the browser failed
    ├── BackendError                a vision backend failed
    │   ├── BackendUnavailable      a backend's extra or model is missing (names what to install)
    │   └── UnsupportedQuestion     this backend cannot answer that (e.g. `ocr` and a free question)
    ├── TargetError                 a target description is empty or names nothing (also a ValueError)
    ├── ElementNotFound             a target was not on screen (description, candidates, screenshot)
    ├── ActionFailed                an action ran but the screen did not change as expected
    ├── AssertionFailed             an assertion step or `expect` did not hold
    ├── PlannerError                a model-planned goal went off its rails (bad JSON, loop, step limit)
    ├── BadInput                    a source the grounding bench cannot measure (exit 2, one line)
    └── BadImage                    an image cannot be read, or is too large to read safely

This package imports nothing from pagesight and sits below every layer (agent, vision, browser), so
each of them raises these without an import running up; `agent` re-exports them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "PagesightError",
    "ScenarioError",
    "BrowserError",
    "BackendError",
    "BackendUnavailable",
    "UnsupportedQuestion",
    "ElementNotFound",
    "ActionFailed",
    "AssertionFailed",
    "PlannerError",
    "TargetError",
    "BadInput",
    "BadImage",
]


class PagesightError(Exception):
    """Base of every pagesight error."""


class ScenarioError(PagesightError):
    """A scenario file is malformed. `str()` reads `file:line: message`."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None):
        self.message = message
        self.file = file
        self.line = line
        where = ""
        if file:
            where = f"{file}:{line}: " if line else f"{file}: "
        super().__init__(f"{where}{message}")


class BrowserError(PagesightError):
    """No usable browser, or the browser failed."""


class BackendError(PagesightError):
    """A vision backend failed."""


class BackendUnavailable(BackendError):
    """A backend cannot run here: its extra, model or hardware is missing."""


class UnsupportedQuestion(BackendError):
    """The backend cannot answer this kind of question (it says which backend can)."""


class TargetError(PagesightError, ValueError):
    """A target description is empty or names nothing. A ValueError too, for callers that checked
    descriptions before the tree had this class."""


def _describe(candidates: Sequence[Any]) -> str:
    parts = []
    for c in candidates:
        kind = getattr(c, "kind", "?")
        text = getattr(c, "text", "") or getattr(c, "label", "")
        box = getattr(c, "box", None)
        parts.append(f"{kind} {text!r} at {list(box) if box else '?'}")
    return "; ".join(parts)


class ElementNotFound(PagesightError):
    """A target description matched nothing on screen."""

    def __init__(self, target: str, candidates: Sequence[Any] = (), screenshot: str | None = None,
                 detail: str = ""):
        self.target = target
        self.candidates = list(candidates)
        self.screenshot = screenshot
        msg = f"could not find {target!r} on the screen"
        if detail:
            msg += f" ({detail})"
        if self.candidates:
            msg += f"; nearest candidates: {_describe(self.candidates)}"
        else:
            msg += "; nothing similar was seen"
        if screenshot:
            msg += f"; screenshot: {screenshot}"
        super().__init__(msg)


class ActionFailed(PagesightError):
    """An action ran but had no visible effect, even after one retry."""


class AssertionFailed(PagesightError, AssertionError):
    """An assertion did not hold. Also an AssertionError, so pytest shows it as a failure."""

    def __init__(self, message: str, candidates: Sequence[Any] = (), screenshot: str | None = None):
        self.candidates = list(candidates)
        self.screenshot = screenshot
        full = message
        if self.candidates:
            full += f"; seen instead: {_describe(self.candidates)}"
        if screenshot:
            full += f"; screenshot: {screenshot}"
        super().__init__(full)


class PlannerError(PagesightError):
    """A model-planned goal stopped: invalid action, a loop, or the step limit."""


class BadInput(PagesightError):
    """A source the grounding bench cannot measure: exit 2 with one line."""


class BadImage(PagesightError, ValueError):
    """An image that cannot be read, or one too large to decode safely (it says the limit)."""
