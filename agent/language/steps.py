"""Typed test steps: one frozen dataclass per step kind, and the plural kind-word helper counts use.

Every step is a frozen dataclass with `line` (1-based line in its file, 0 when not from a file) and
`source` (the text the user wrote, for display). Neither takes part in `==`, so the same step written
as a sentence and as a dict compares equal. Targets stay the user's description as written (quotes,
kind words, ordinals, relations): the vision layer reads targets. The dict form that builds them
(`step_from_dict`) lives in agent.language.step_dicts; a step that takes one target and nothing else
is registered here with `@target_step(key)`, and its dict form, the loader's text fields and its `ui`
verb follow from that alone. Its handler is registered with `@handles(Type)` in agent.engine.handlers.
Key names are browser.keys' (`normalize_key` is re-exported here for the dict form and sentences).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from browser.keys import normalize_key
from pagesight_errors import ScenarioError, TargetError
from vision.target import check_description
from vision.vocabulary import scan_quotes

__all__ = [
    "Click", "Hover", "Fill", "Type", "Press", "Check", "Select", "Scroll", "Goto", "Back", "Reload",
    "Wait", "AssertVisible", "AssertNotVisible", "AssertCount", "AssertState", "AssertSentence", "Ask",
    "Do", "TakeScreenshot", "Clear", "AssertLooksLike", "Step", "STATES", "TARGET_STEPS", "target_step", "needs_model",
    "normalize_key", "singular_kinds",
]

#: dict-form key -> step type, for steps that take one target and nothing else (`hover: TARGET`)
TARGET_STEPS: dict[str, type] = {}


def target_step(key: str) -> Callable[[type], type]:
    """Register a one-target step under its dict-form key (agent.language.step_dicts builds it from this)."""
    def register(cls: type) -> type:
        TARGET_STEPS[key] = cls
        return cls
    return register


def _meta() -> Any:
    return field(default=0, kw_only=True, compare=False)


def _src() -> Any:
    return field(default="", kw_only=True, compare=False)


class _Checked:
    """Checks a step's target once, where it is built, so the dict form and the sentences share it.

    The error is a ScenarioError without a place; step_from_dict and parse_sentence add file:line.
    """

    def __post_init__(self) -> None:
        for name in ("target", "to", "within"):
            value = getattr(self, name, None)
            if value is not None:
                try:
                    check_description(value)
                except TargetError as e:
                    raise ScenarioError(str(e)) from None


@dataclass(frozen=True)
class Click(_Checked):
    target: str
    button: str = "left"
    count: int = 1
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        verb = {2: "double-click", 3: "triple-click"}.get(self.count, "click")
        if self.button != "left":
            verb = f"{self.button}-{verb}"
        return f"{verb} {self.target}"


@target_step("hover")
@dataclass(frozen=True)
class Hover(_Checked):
    target: str
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        return f"hover over {self.target}"


@dataclass(frozen=True)
class Fill(_Checked):
    target: str
    text: str
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        return f"fill {self.target} with {self.text!r}" if self.text else f"clear {self.target}"


@target_step("clear")
@dataclass(frozen=True)
class Clear(_Checked):
    """Empty a field (SCENARIO_FORMAT v1.1): `clear: TARGET`, `Clear "Search"`, `清空 "搜索"`."""

    target: str
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        return f"clear {self.target}"


@dataclass(frozen=True)
class Type:
    text: str
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        return f"type {self.text!r}"


@dataclass(frozen=True)
class Press:
    key: str
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        return f"press {self.key}"


@dataclass(frozen=True)
class Check(_Checked):
    target: str
    checked: bool = True
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        return f"{'check' if self.checked else 'uncheck'} {self.target}"


@dataclass(frozen=True)
class Select(_Checked):
    target: str
    option: str
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        return f"select {self.option!r} in {self.target}"


@dataclass(frozen=True)
class Scroll(_Checked):
    direction: str = "down"
    times: int = 1
    to: str | None = None
    within: str | None = None  # `scroll: {in: TARGET}`: wheel over that area, not the viewport centre
    line: int = _meta()
    source: str = _src()

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.to is None and not 1 <= self.times <= 100:  # `Scroll down 0 times` used to scroll once
            raise ScenarioError(f"scroll times must be a whole number from 1 to 100, not {self.times!r}")

    def describe(self) -> str:
        if self.to is not None:
            return f"scroll to {self.to}"
        return (f"scroll {self.direction}" + (f" {self.times} times" if self.times != 1 else "")
                + (f" in {self.within}" if self.within else ""))


@dataclass(frozen=True)
class Goto:
    url: str
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        return f"go to {self.url}"


@dataclass(frozen=True)
class Back:
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        return "go back"


@dataclass(frozen=True)
class Reload:
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        return "reload"


@dataclass(frozen=True)
class Wait(_Checked):
    """Either wait `for` a target (up to `timeout`, None: the scenario's) or plain `seconds`."""

    target: str | None = None
    seconds: float | None = None
    timeout: float | None = None
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        if self.target is None:
            return f"wait {self.seconds:g} s"
        return f"wait for {self.target}" + (f" (up to {self.timeout:g} s)" if self.timeout else "")


@dataclass(frozen=True)
class AssertVisible(_Checked):
    target: str
    timeout: float | None = None
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        return f"assert {self.target} is visible"


@dataclass(frozen=True)
class AssertNotVisible(_Checked):
    target: str
    timeout: float | None = None
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        return f"assert {self.target} is not visible"


@dataclass(frozen=True)
class AssertCount(_Checked):
    target: str
    equals: int
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        return f"assert {self.equals} of {self.target}"


STATES = ("checked", "unchecked", "disabled", "enabled", "focused")


@dataclass(frozen=True)
class AssertState(_Checked):
    target: str
    state: str
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        return f"assert {self.target} is {self.state}"


@dataclass(frozen=True)
class AssertSentence:
    sentence: str
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        return f"assert {self.sentence!r}"


@dataclass(frozen=True)
class Ask:
    question: str
    expect: str | None = None
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        return f"ask {self.question!r}" + (f" expect {self.expect!r}" if self.expect is not None else "")


@dataclass(frozen=True)
class Do:
    goal: str
    max_steps: int = 15
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        return f"do {self.goal!r}"


@dataclass(frozen=True)
class TakeScreenshot:
    name: str
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        return f"screenshot {self.name}"


@dataclass(frozen=True)
class AssertLooksLike:
    """`assert: {looks_like: NAME, level: layout, mask: [...], tolerance: 4}` (SCENARIO_FORMAT v1.1): the
    screen matches the baseline NAME at `level` (agent.engine.baselines)."""

    name: str
    level: str = "layout"
    mask: tuple[Any, ...] = ()  # vision.masks.Mask
    tolerance: int | None = None
    line: int = _meta()
    source: str = _src()

    def __post_init__(self) -> None:
        from vision.compare.compare import LEVELS  # the one list of levels

        if not re.fullmatch(r"[\w][\w.-]{0,99}", self.name) or self.name.endswith("."):
            raise ScenarioError(f"looks_like names a baseline file: letters, digits, '_', '-' and '.' "
                                f"(e.g. home-page), not {self.name!r}")
        if self.level not in LEVELS:
            raise ScenarioError(f"level must be one of {', '.join(LEVELS)}, not {self.level!r}")

    def describe(self) -> str:
        return f"assert the screen looks like {self.name!r} ({self.level})"


Step = (Click | Hover | Fill | Type | Press | Check | Select | Scroll | Goto | Back | Reload | Wait
        | AssertVisible | AssertNotVisible | AssertCount | AssertState | AssertSentence | Ask | Do
        | TakeScreenshot | Clear | AssertLooksLike)


def needs_model(step: Step) -> bool:
    """True for steps only a model backend can run. `Ask` is left to the agent: OCR may read the answer."""
    return isinstance(step, Do | AssertSentence)


# ---- plural kind words ---------------------------------------------------------------------------

_PLURALS = [
    (r"menu items", "menu item"), (r"radio buttons", "radio button"), (r"text boxes", "text box"),
    (r"textboxes", "textbox"), (r"checkboxes", "checkbox"), (r"check boxes", "check box"),
    (r"buttons", "button"), (r"links", "link"), (r"fields", "field"), (r"inputs", "input"),
    (r"radios", "radio"), (r"selects", "select"), (r"dropdowns", "dropdown"), (r"tabs", "tab"),
    (r"menus", "menu"), (r"icons", "icon"), (r"images", "image"),
]
_PLURAL_RE = re.compile(r"\b(" + "|".join(p for p, _ in _PLURALS) + r")\b", re.IGNORECASE)


def singular_kinds(target: str) -> str:
    """Plural kind words outside quotes made singular: `"Delete" buttons` -> `"Delete" button`."""
    singular = {p: s for p, s in _PLURALS}
    pieces, last = [], 0
    for start, end in scan_quotes(target):  # vision.vocabulary's one scanner
        pieces.append(_PLURAL_RE.sub(lambda k: singular[k.group(1).lower()], target[last:start]))
        pieces.append(target[start:end])
        last = end
    pieces.append(_PLURAL_RE.sub(lambda k: singular[k.group(1).lower()], target[last:]))
    return "".join(pieces)
