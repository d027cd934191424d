"""Typed test steps: one frozen dataclass per step kind, plus the key and kind-word helpers they share.

Every step is a frozen dataclass with `line` (1-based line in its file, 0 when not from a file) and
`source` (the text the user wrote, for display). Neither takes part in `==`, so the same step written
as a sentence and as a dict compares equal. Targets stay the user's description as written (quotes,
kind words, ordinals, relations): the vision layer reads targets. The dict form that builds them
(`step_from_dict`) lives in `agent.step_dicts`; a step that takes one target and nothing else is
registered here with `@target_step(key)`, and the dict form, the loader and the docs' key list follow
from that alone. Its handler is registered with `@handles(Type)` in the engine (agent.actions).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Click", "Hover", "Fill", "Type", "Press", "Check", "Select", "Scroll", "Goto", "Back", "Reload",
    "Wait", "AssertVisible", "AssertNotVisible", "AssertCount", "AssertState", "AssertSentence", "Ask",
    "Do", "TakeScreenshot", "Clear", "Step", "STATES", "TARGET_STEPS", "target_step", "needs_model",
    "normalize_key", "singular_kinds",
]

#: dict-form key -> step type, for steps that take one target and nothing else (`hover: TARGET`)
TARGET_STEPS: dict[str, type] = {}


def target_step(key: str) -> Callable[[type], type]:
    """Register a one-target step under its dict-form key (agent.step_dicts builds it from this)."""
    def register(cls: type) -> type:
        TARGET_STEPS[key] = cls
        return cls
    return register


def _meta() -> Any:
    return field(default=0, kw_only=True, compare=False)


def _src() -> Any:
    return field(default="", kw_only=True, compare=False)


@dataclass(frozen=True)
class Click:
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
class Hover:
    target: str
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        return f"hover over {self.target}"


@dataclass(frozen=True)
class Fill:
    target: str
    text: str
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        return f"fill {self.target} with {self.text!r}" if self.text else f"clear {self.target}"


@target_step("clear")
@dataclass(frozen=True)
class Clear:
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
class Check:
    target: str
    checked: bool = True
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        return f"{'check' if self.checked else 'uncheck'} {self.target}"


@dataclass(frozen=True)
class Select:
    target: str
    option: str
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        return f"select {self.option!r} in {self.target}"


@dataclass(frozen=True)
class Scroll:
    direction: str = "down"
    times: int = 1
    to: str | None = None
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        if self.to is not None:
            return f"scroll to {self.to}"
        return f"scroll {self.direction}" + (f" {self.times} times" if self.times != 1 else "")


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
class Wait:
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
class AssertVisible:
    target: str
    timeout: float | None = None
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        return f"assert {self.target} is visible"


@dataclass(frozen=True)
class AssertNotVisible:
    target: str
    timeout: float | None = None
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        return f"assert {self.target} is not visible"


@dataclass(frozen=True)
class AssertCount:
    target: str
    equals: int
    line: int = _meta()
    source: str = _src()

    def describe(self) -> str:
        return f"assert {self.equals} of {self.target}"


STATES = ("checked", "unchecked", "disabled", "enabled", "focused")


@dataclass(frozen=True)
class AssertState:
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


Step = (Click | Hover | Fill | Type | Press | Check | Select | Scroll | Goto | Back | Reload | Wait
        | AssertVisible | AssertNotVisible | AssertCount | AssertState | AssertSentence | Ask | Do
        | TakeScreenshot | Clear)


def needs_model(step: Step) -> bool:
    """True for steps only a model backend can run. `Ask` is left to the agent: OCR may read the answer."""
    return isinstance(step, Do | AssertSentence)


# ---- keys ---------------------------------------------------------------------------------------

# Playwright key names (its US keyboard layout); single characters are always fine.
_NAMED_KEYS = {k.lower(): k for k in (
    "Enter Tab Escape Space Backspace Delete Insert Home End PageUp PageDown ArrowUp ArrowDown "
    "ArrowLeft ArrowRight Shift Control Alt Meta ControlOrMeta AltGraph CapsLock NumLock ScrollLock "
    "ContextMenu Pause PrintScreen Backquote Minus Equal Backslash BracketLeft BracketRight Semicolon "
    "Quote Comma Period Slash ShiftLeft ShiftRight ControlLeft ControlRight AltLeft AltRight MetaLeft "
    "MetaRight NumpadAdd NumpadSubtract NumpadMultiply NumpadDivide NumpadDecimal NumpadEnter"
).split()}
_NAMED_KEYS.update({f"f{i}": f"F{i}" for i in range(1, 13)})
_NAMED_KEYS.update({f"digit{i}": f"Digit{i}" for i in range(10)})
_NAMED_KEYS.update({f"numpad{i}": f"Numpad{i}" for i in range(10)})
_NAMED_KEYS.update({f"key{c}": f"Key{c.upper()}" for c in "abcdefghijklmnopqrstuvwxyz"})
_KEY_ALIASES = {
    "return": "Enter", "enter key": "Enter", "esc": "Escape", "spacebar": "Space", "space bar": "Space",
    "del": "Delete", "ins": "Insert", "ctrl": "Control", "strg": "Control", "cmd": "Meta",
    "command": "Meta", "win": "Meta", "windows": "Meta", "super": "Meta", "option": "Alt",
    "opt": "Alt", "up": "ArrowUp", "down": "ArrowDown", "left": "ArrowLeft", "right": "ArrowRight",
    "up arrow": "ArrowUp", "down arrow": "ArrowDown", "left arrow": "ArrowLeft",
    "right arrow": "ArrowRight", "arrow up": "ArrowUp", "arrow down": "ArrowDown",
    "arrow left": "ArrowLeft", "arrow right": "ArrowRight", "page up": "PageUp",
    "page down": "PageDown", "pgup": "PageUp", "pgdn": "PageDown", "pgdown": "PageDown",
    "回车": "Enter", "回车键": "Enter", "确认键": "Enter", "换行": "Enter", "空格": "Space",
    "空格键": "Space", "退格": "Backspace", "退格键": "Backspace", "删除": "Delete", "删除键": "Delete",
    "制表符": "Tab", "制表键": "Tab", "退出": "Escape", "退出键": "Escape",
    "上": "ArrowUp", "下": "ArrowDown", "左": "ArrowLeft", "右": "ArrowRight",
    "上箭头": "ArrowUp", "下箭头": "ArrowDown", "左箭头": "ArrowLeft", "右箭头": "ArrowRight",
    "向上键": "ArrowUp", "向下键": "ArrowDown", "向左键": "ArrowLeft", "向右键": "ArrowRight",
}


def normalize_key(key: str) -> str:
    """`enter` -> `Enter`, `ctrl+a` -> `Control+a`, `回车` -> `Enter`; ValueError for an unknown name."""
    key = key.strip()
    if len(key) == 1:
        return key
    parts = re.split(r"\s*\+\s*", key) if "+" in key[1:] else [key]
    out = []
    for part in parts:
        low = part.lower()
        if len(part) == 1:
            out.append(part)
        elif low in _KEY_ALIASES:
            out.append(_KEY_ALIASES[low])
        elif low in _NAMED_KEYS:
            out.append(_NAMED_KEYS[low])
        else:
            close = difflib.get_close_matches(low, list(_NAMED_KEYS) + list(_KEY_ALIASES), n=1, cutoff=0.7)
            hint = f" (did you mean {(_NAMED_KEYS.get(close[0]) or _KEY_ALIASES[close[0]])!r}?)" if close else ""
            raise ValueError(f"unknown key {part!r}{hint}; use Playwright key names such as Enter, Tab, "
                             f"Escape, ArrowDown, Control+A, or one character")
    return "+".join(out)


_PLURALS = [
    (r"menu items", "menu item"), (r"radio buttons", "radio button"), (r"text boxes", "text box"),
    (r"textboxes", "textbox"), (r"checkboxes", "checkbox"), (r"check boxes", "check box"),
    (r"buttons", "button"), (r"links", "link"), (r"fields", "field"), (r"inputs", "input"),
    (r"radios", "radio"), (r"selects", "select"), (r"dropdowns", "dropdown"), (r"tabs", "tab"),
    (r"menus", "menu"), (r"icons", "icon"), (r"images", "image"),
]
_PLURAL_RE = re.compile(r"\b(" + "|".join(p for p, _ in _PLURALS) + r")\b", re.IGNORECASE)
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'|“[^”]*”|‘[^’]*’|「[^」]*」|『[^』]*』|＂[^＂]*＂")


def singular_kinds(target: str) -> str:
    """Plural kind words outside quotes made singular: `"Delete" buttons` -> `"Delete" button`."""
    singular = {p: s for p, s in _PLURALS}
    pieces, last = [], 0
    for m in _QUOTED.finditer(target):
        pieces.append(_PLURAL_RE.sub(lambda k: singular[k.group(1).lower()], target[last:m.start()]))
        pieces.append(m.group(0))
        last = m.end()
    pieces.append(_PLURAL_RE.sub(lambda k: singular[k.group(1).lower()], target[last:]))
    return "".join(pieces)
