"""Typed test steps, and the dict form of SCENARIO_FORMAT.md turned into them.

Every step is a frozen dataclass with `line` (1-based line in its file, 0 when not from a file) and
`source` (the text the user wrote, for display). Neither takes part in `==`, so the same step written
as a sentence and as a dict compares equal. Targets stay the user's description as written (quotes,
kind words, ordinals, relations): the vision layer reads targets, this module only checks shapes.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from agent.errors import ScenarioError

__all__ = [
    "Click", "Hover", "Fill", "Type", "Press", "Check", "Select", "Scroll", "Goto", "Back", "Reload",
    "Wait", "AssertVisible", "AssertNotVisible", "AssertCount", "AssertState", "AssertSentence", "Ask",
    "Do", "TakeScreenshot", "Step", "STEP_KEYS", "STEP_FIELDS", "TEXT_FIELDS", "SHORTHAND_TEXT",
    "STATES", "step_from_dict", "needs_model", "normalize_key", "singular_kinds",
]


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
        | TakeScreenshot)


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


# ---- dict form ----------------------------------------------------------------------------------

# Step key -> the fields its mapping form accepts (the first is what the shorthand sets).
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "click": ("target", "button", "count"), "hover": ("target",), "fill": ("target", "text"),
    "type": ("text",), "press": ("key",), "check": ("target",), "uncheck": ("target",),
    "select": ("target", "option"), "scroll": ("direction", "times", "to"), "goto": ("url",),
    "back": (), "reload": (), "wait": ("for", "seconds", "timeout"),
    "assert": ("visible", "not_visible", "count", "equals", "state", "is", "timeout"),
    "ask": ("question", "expect"), "do": ("goal", "max_steps"), "screenshot": ("name",),
}
STEP_KEYS = tuple(STEP_FIELDS)
# Fields whose YAML value is text even when it looks like a number or a boolean (`text: 0123`,
# `option: No`, `is: on`): the loader hands these over as written.
TEXT_FIELDS: dict[str, frozenset[str]] = {
    "click": frozenset({"target", "button"}), "hover": frozenset({"target"}),
    "fill": frozenset({"target", "text"}), "type": frozenset({"text"}), "press": frozenset({"key"}),
    "check": frozenset({"target"}), "uncheck": frozenset({"target"}),
    "select": frozenset({"target", "option"}), "scroll": frozenset({"direction", "to"}),
    "goto": frozenset({"url"}), "wait": frozenset({"for"}),
    "assert": frozenset({"visible", "not_visible", "count", "state", "is"}),
    "ask": frozenset({"question", "expect"}), "do": frozenset({"goal"}), "screenshot": frozenset({"name"}),
}
SHORTHAND_TEXT = frozenset({"click", "hover", "type", "press", "check", "uncheck", "scroll", "goto",
                            "ask", "do", "screenshot", "assert"})

_FULL_FORM = {
    "click": 'click: {target: "…", button: left/right/middle, count: 1/2/3}',
    "fill": 'fill: {target: "…", text: "…"}', "select": 'select: {target: "…", option: "…"}',
    "scroll": "scroll: down, or scroll: {direction: down/up/left/right, times: 3}, or scroll: {to: TARGET}",
    "wait": "wait: TARGET, or wait: {for: TARGET, timeout: 5}, or wait: {seconds: 1}",
    "assert": ('assert: {visible: T}, {not_visible: T}, {count: T, equals: 3}, '
               '{state: T, is: checked/unchecked/disabled/enabled/focused}, or assert: "a sentence"'),
    "ask": 'ask: {question: "…", expect: "…"}', "do": 'do: "a goal", or do: {goal: "…", max_steps: 15}',
}


def _suggest(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(str(word).lower(), list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def step_from_dict(d: Mapping[str, Any], line: int = 0, file: str | None = None,
                   field_lines: Mapping[str, int] | None = None, source: str = "") -> Step:
    """One dict-form step (`{"click": '"Sign in" button'}`) -> a Step; ScenarioError saying what is right.

    `field_lines` (field name -> line) points errors about one field at that field's own line.
    """
    field_lines = field_lines or {}

    def err(msg: str, fld: str | None = None) -> ScenarioError:
        return ScenarioError(msg, file, field_lines.get(fld or "", line) or line or None)

    if not isinstance(d, Mapping) or not d:
        raise err(f"a step is one key such as `click: TARGET`, not {d!r}")
    keys = [str(k) for k in d]
    if len(keys) > 1:
        lead = [k for k in keys if k in STEP_FIELDS]
        if len(lead) == 1 and d[lead[0]] is None and all(k in STEP_FIELDS[lead[0]] for k in keys if k != lead[0]):
            raise err(f"{', '.join(k for k in keys if k != lead[0])} belong(s) to {lead[0]!r}: indent them "
                      f"under it, e.g. {_FULL_FORM.get(lead[0], lead[0] + ': …')}")
        raise err(f"a step has one key, this one has {len(keys)} ({', '.join(keys)}); "
                  f"write each step as its own list item")
    key = keys[0]
    value = d[key]
    if key not in STEP_FIELDS:
        hint = _suggest(key, STEP_KEYS)
        if not hint and (" " in key or any(ord(c) > 127 for c in key)):
            hint = " (a step sentence that contains ': ' must be quoted as a whole)"
        raise err(f"unknown step {key!r}{hint}; steps are: {', '.join(STEP_KEYS)}")
    src = source or f"{key}: {value}"
    meta: dict[str, Any] = {"line": line, "source": src}
    fields: dict[str, Any]
    if isinstance(value, Mapping):
        fields = {str(k): v for k, v in value.items()}
        for k in fields:
            if k not in STEP_FIELDS[key]:
                allowed = ", ".join(STEP_FIELDS[key]) or "no fields"
                raise err(f"{key!r} has no field {k!r}{_suggest(k, STEP_FIELDS[key])}; it takes {allowed}", k)
    elif isinstance(value, list):
        raise err(f"{key!r} takes {'a value or ' if key in SHORTHAND_TEXT else ''}a mapping, not a list; "
                  f"write {_FULL_FORM.get(key, key + ': …')}")
    elif key in ("fill", "select"):
        raise err(f"{key!r} needs a mapping: {_FULL_FORM[key]}")
    else:
        fields = {} if key in ("back", "reload") else {STEP_FIELDS[key][0]: value}

    def opt(name: str, empty_ok: bool = False) -> str | None:
        v = fields.get(name)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, str | int | float):
            raise err(f"{key}.{name} must be text, not {v!r} (quote it)", name)
        s = str(v).strip()
        if not s and not empty_ok:
            raise err(f"{key}.{name} is empty", name)
        return s

    def text(name: str, empty_ok: bool = False) -> str:
        s = opt(name, empty_ok)
        if s is None:
            raise err(f"{key!r} needs {name!r}: {_FULL_FORM.get(key, f'{key}: …')}", name)
        return s

    def number(name: str, kind: type = float, lo: float = 0, hi: float = 3600) -> Any:
        v = fields.get(name)
        if v is None:
            return None
        ok = isinstance(v, int | float) and not isinstance(v, bool) and (kind is float or isinstance(v, int))
        if not ok or not lo < v <= hi:
            what = "a whole number" if kind is int else "a number of seconds"
            raise err(f"{key}.{name} must be {what} above {lo:g} and at most {hi:g}, not {v!r}", name)
        return kind(v)

    if key == "click":
        button = (opt("button") or "left").lower()
        if button not in ("left", "right", "middle"):
            raise err(f"click.button must be left, right or middle, not {button!r}", "button")
        count = fields.get("count", 1)
        if isinstance(count, bool) or count not in (1, 2, 3):
            raise err(f"click.count must be 1, 2 or 3 (double-click: 2), not {count!r}", "count")
        return Click(text("target"), button, int(count), **meta)
    if key == "hover":
        return Hover(text("target"), **meta)
    if key == "fill":
        return Fill(text("target"), text("text", empty_ok=True), **meta)
    if key == "type":
        return Type(text("text"), **meta)
    if key == "press":
        try:
            return Press(normalize_key(text("key")), **meta)
        except ValueError as e:
            raise err(str(e), "key") from None
    if key in ("check", "uncheck"):
        return Check(text("target"), key == "check", **meta)
    if key == "select":
        return Select(text("target"), text("option"), **meta)
    if key == "scroll":
        to = opt("to")
        if to is not None:
            if "direction" in fields or "times" in fields:
                raise err("scroll takes either `to: TARGET` or `direction`/`times`, not both")
            return Scroll(to=to, **meta)
        direction = (opt("direction") or "down").lower()
        if direction not in ("down", "up", "left", "right"):
            raise err(f"scroll direction must be down, up, left or right, not {direction!r}"
                      f"{_suggest(direction, ('down', 'up', 'left', 'right'))}; "
                      f"to scroll to something write scroll: {{to: TARGET}}", "direction")
        return Scroll(direction, number("times", int, 0, 100) or 1, **meta)
    if key == "goto":
        return Goto(text("url"), **meta)
    if key in ("back", "reload"):
        if value not in (True, None):
            raise err(f"write `{key}: true` (or the sentence `{'Go back' if key == 'back' else 'Reload'}`)")
        return Back(**meta) if key == "back" else Reload(**meta)
    if key == "wait":
        if not isinstance(value, Mapping) and isinstance(value, int | float) and not isinstance(value, bool):
            raise err(f"`wait: {value}` is ambiguous: write wait: {{seconds: {value}}} to pause, or "
                      f"wait: '\"{value}\"' to wait for that text")
        target, seconds = opt("for"), number("seconds", float, 0, 600)
        if (target is None) == (seconds is None):
            raise err(f"wait takes either `for` or `seconds`: {_FULL_FORM['wait']}")
        if seconds is not None and "timeout" in fields:
            raise err("wait: {seconds: …} takes no timeout", "timeout")
        return Wait(target, seconds, number("timeout", float, 0, 3600), **meta)
    if key == "assert":
        return _assert_from(value, fields, text, opt, number, err, meta)
    if key == "ask":
        return Ask(text("question"), opt("expect"), **meta)
    if key == "do":
        return Do(text("goal"), number("max_steps", int, 0, 200) or 15, **meta)
    return TakeScreenshot(text("name"), **meta)


def _assert_from(value: Any, fields: dict, text: Any, opt: Any, number: Any, err: Any, meta: dict) -> Step:
    if not isinstance(value, Mapping):
        return AssertSentence(text("visible"), **meta)  # shorthand: `assert: "a sentence"`
    kinds = [k for k in ("visible", "not_visible", "count", "state") if k in fields]
    if len(kinds) != 1:
        raise err(f"assert takes exactly one of visible, not_visible, count, state: {_FULL_FORM['assert']}")
    kind = kinds[0]
    if kind != "count" and "equals" in fields:
        raise err("`equals` goes with `count`: assert: {count: TARGET, equals: 3}", "equals")
    if kind != "state" and "is" in fields:
        raise err("`is` goes with `state`: assert: {state: TARGET, is: checked}", "is")
    if kind in ("count", "state") and "timeout" in fields:
        raise err("`timeout` goes with visible / not_visible", "timeout")
    if kind == "visible":
        return AssertVisible(text("visible"), number("timeout", float, 0, 3600), **meta)
    if kind == "not_visible":
        return AssertNotVisible(text("not_visible"), number("timeout", float, 0, 3600), **meta)
    if kind == "count":
        equals = fields.get("equals")
        if isinstance(equals, bool) or not isinstance(equals, int) or equals < 0:
            raise err(f"assert count needs `equals: N` (a whole number, 0 or more), not {equals!r}", "equals")
        return AssertCount(singular_kinds(text("count")), equals, **meta)
    state = (opt("is") or "").lower()
    if state not in STATES:
        raise err(f"assert state needs `is:` one of {', '.join(STATES)}, not {state or None!r}"
                  f"{_suggest(state, STATES)}", "is")
    return AssertState(text("state"), state, **meta)
