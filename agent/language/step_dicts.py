"""The dict form of SCENARIO_FORMAT.md (`click: TARGET`, `fill: {target: …, text: …}`) -> typed Steps.

`step_from_dict` checks one step's shape (its single key, the fields that key takes, their types and
ranges) and builds the matching dataclass from `agent.language.steps`; every mistake is a ScenarioError that
says what to write instead, pointed at the field's own line when the loader knows it. The tables here
(STEP_FIELDS, TEXT_FIELDS, SHORTHAND_TEXT) also tell the YAML loader which values to keep as text.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from agent.language.steps import (
    STATES,
    TARGET_STEPS,
    Ask,
    AssertCount,
    AssertLooksLike,
    AssertNotVisible,
    AssertSentence,
    AssertState,
    AssertVisible,
    Back,
    Check,
    Click,
    Do,
    Fill,
    Goto,
    Press,
    Reload,
    Scroll,
    Select,
    Step,
    TakeScreenshot,
    Type,
    Wait,
    normalize_key,
    singular_kinds,
)
from pagesight_errors import ScenarioError

__all__ = ["STEP_KEYS", "STEP_FIELDS", "TEXT_FIELDS", "SHORTHAND_TEXT", "step_from_dict"]

# Step key -> the fields its mapping form accepts (the first is what the shorthand sets).
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "click": ("target", "button", "count"), "hover": ("target",), "fill": ("target", "text"),
    "type": ("text",), "press": ("key",), "check": ("target",), "uncheck": ("target",),
    "select": ("target", "option"), "scroll": ("direction", "times", "to", "in"), "goto": ("url",),
    "back": (), "reload": (), "wait": ("for", "seconds", "timeout"),
    "assert": ("visible", "not_visible", "count", "equals", "state", "is", "timeout", "looks_like", "level", "mask",
               "tolerance"),
    "ask": ("question", "expect"), "do": ("goal", "max_steps"), "screenshot": ("name",),
}
for _key in TARGET_STEPS:  # one-target steps registered in agent.language.steps (`clear: TARGET`)
    STEP_FIELDS.setdefault(_key, ("target",))
STEP_KEYS = tuple(STEP_FIELDS)
# Fields whose YAML value is text even when it looks like a number or a boolean (`text: 0123`,
# `option: No`, `is: on`): the loader hands these over as written.
TEXT_FIELDS: dict[str, frozenset[str]] = {
    "click": frozenset({"target", "button"}), "hover": frozenset({"target"}),
    "fill": frozenset({"target", "text"}), "type": frozenset({"text"}), "press": frozenset({"key"}),
    "check": frozenset({"target"}), "uncheck": frozenset({"target"}),
    "select": frozenset({"target", "option"}), "scroll": frozenset({"direction", "to", "in"}),
    "goto": frozenset({"url"}), "wait": frozenset({"for"}),
    "assert": frozenset({"visible", "not_visible", "count", "state", "is", "looks_like", "level"}),
    "ask": frozenset({"question", "expect"}), "do": frozenset({"goal"}), "screenshot": frozenset({"name"}),
}
TEXT_FIELDS.update({k: frozenset({"target"}) for k in TARGET_STEPS if k not in TEXT_FIELDS})
SHORTHAND_TEXT = frozenset({"click", "hover", "type", "press", "check", "uncheck", "scroll", "goto",
                            "ask", "do", "screenshot", "assert", *TARGET_STEPS})

_FULL_FORM = {
    "click": 'click: {target: "…", button: left/right/middle, count: 1/2/3}',
    "fill": 'fill: {target: "…", text: "…"}', "select": 'select: {target: "…", option: "…"}',
    "scroll": ("scroll: down, or scroll: {direction: down/up/left/right, times: 3, in: TARGET}, or "
               "scroll: {to: TARGET}"),
    "wait": "wait: TARGET, or wait: {for: TARGET, timeout: 5}, or wait: {seconds: 1}",
    "assert": ('assert: {visible: T}, {not_visible: T}, {count: T, equals: 3}, '
               '{state: T, is: checked/unchecked/disabled/enabled/focused}, {looks_like: NAME, level: layout}, '
               'or assert: "a sentence"'),
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
    try:
        return _step_from_dict(d, line, file, field_lines or {}, source)
    except ScenarioError as e:
        if e.file is None and e.line is None:  # a step's own check (agent.language.steps): add the place
            raise ScenarioError(e.message, file, line or None) from None
        raise


def _step_from_dict(d: Mapping[str, Any], line: int, file: str | None, field_lines: Mapping[str, int],
                    source: str) -> Step:

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
    if key in TARGET_STEPS:  # hover, clear, …: one target, checked like every target
        return TARGET_STEPS[key](text("target"), **meta)
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
            if "direction" in fields or "times" in fields or "in" in fields:
                raise err("scroll takes either `to: TARGET` or `direction`/`times`/`in`, not both")
            return Scroll(to=to, **meta)
        direction = (opt("direction") or "down").lower()
        if direction not in ("down", "up", "left", "right"):
            raise err(f"scroll direction must be down, up, left or right, not {direction!r}"
                      f"{_suggest(direction, ('down', 'up', 'left', 'right'))}; "
                      f"to scroll to something write scroll: {{to: TARGET}}", "direction")
        return Scroll(direction, number("times", int, 0, 100) or 1, within=opt("in"), **meta)
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
    kinds = [k for k in ("visible", "not_visible", "count", "state", "looks_like") if k in fields]
    if len(kinds) != 1:
        raise err(f"assert takes exactly one of visible, not_visible, count, state, looks_like: "
                  f"{_FULL_FORM['assert']}")
    kind = kinds[0]
    if kind == "looks_like":
        return _looks_like(fields, text, opt, err, meta)
    for k in ("level", "mask", "tolerance"):
        if k in fields:
            raise err(f"`{k}` goes with `looks_like`: assert: {{looks_like: NAME, {k}: …}}", k)
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


def _looks_like(fields: dict, text: Any, opt: Any, err: Any, meta: dict) -> Step:
    """`assert: {looks_like: NAME, level: layout, mask: [...], tolerance: 4}`."""
    from pagesight_errors import TargetError
    from vision.masks import parse_masks

    if "timeout" in fields:
        raise err("`timeout` goes with visible / not_visible", "timeout")
    try:
        masks = parse_masks(fields.get("mask"))
    except TargetError as e:
        raise err(f"assert looks_like: {e}", "mask") from None
    tol = fields.get("tolerance")
    if tol is not None and (isinstance(tol, bool) or not isinstance(tol, int) or not 0 <= tol <= 500):
        raise err(f"assert looks_like: tolerance is a whole number of pixels from 0 to 500, not {tol!r}",
                  "tolerance")
    level = (opt("level") or "layout").lower()
    try:
        return AssertLooksLike(text("looks_like"), level, masks, tol, **meta)
    except ScenarioError as e:
        raise err(e.message, "level" if "level" in e.message else "looks_like") from None
