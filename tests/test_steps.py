"""The dict form of every step (SCENARIO_FORMAT.md's table) -> typed Steps, and every way to get it wrong."""

from __future__ import annotations

import dataclasses

import pytest

from agent.errors import ScenarioError
from agent.language.step_dicts import step_from_dict
from agent.language.steps import (
    Ask,
    AssertCount,
    AssertLooksLike,
    AssertNotVisible,
    AssertSentence,
    AssertState,
    AssertVisible,
    Back,
    Check,
    Clear,
    Click,
    Do,
    Fill,
    Goto,
    Hover,
    Press,
    Reload,
    Scroll,
    Select,
    Step,
    TakeScreenshot,
    Type,
    Wait,
    needs_model,
    normalize_key,
    singular_kinds,
)
from vision.masks import Mask

DICT_FORMS = [
    ({"click": '"Sign in" button'}, Click('"Sign in" button')),
    ({"click": {"target": "Row 1", "button": "right"}}, Click("Row 1", "right", 1)),
    ({"click": {"target": "Row 1", "count": 2}}, Click("Row 1", "left", 2)),
    ({"click": {"target": "Row 1", "button": "middle", "count": 3}}, Click("Row 1", "middle", 3)),
    ({"click": 5}, Click("5")),  # a page-number button
    ({"hover": "Menu"}, Hover("Menu")),
    ({"hover": {"target": "Menu"}}, Hover("Menu")),
    ({"fill": {"target": "Email address", "text": "alice@example.com"}}, Fill("Email address", "alice@example.com")),
    ({"fill": {"target": "Search", "text": ""}}, Fill("Search", "")),
    ({"fill": {"target": "Zip", "text": 12345}}, Fill("Zip", "12345")),
    ({"type": "Walk the dog"}, Type("Walk the dog")),
    ({"type": {"text": "Walk the dog"}}, Type("Walk the dog")),
    ({"press": "Enter"}, Press("Enter")),
    ({"press": "enter"}, Press("Enter")),
    ({"press": "Control+A"}, Press("Control+A")),
    ({"press": {"key": "ctrl+shift+k"}}, Press("Control+Shift+k")),
    ({"check": "Remember me"}, Check("Remember me", True)),
    ({"uncheck": "Remember me"}, Check("Remember me", False)),
    ({"check": {"target": "Remember me"}}, Check("Remember me")),
    ({"select": {"target": "Country", "option": "China"}}, Select("Country", "China")),
    ({"scroll": "down"}, Scroll("down", 1)),
    ({"scroll": "UP"}, Scroll("up", 1)),
    ({"scroll": {"direction": "down", "times": 3}}, Scroll("down", 3)),
    ({"scroll": {"times": 2}}, Scroll("down", 2)),
    ({"scroll": {"to": "Footer"}}, Scroll(to="Footer")),
    ({"goto": "/settings"}, Goto("/settings")),
    ({"goto": {"url": "https://example.com/"}}, Goto("https://example.com/")),
    ({"back": True}, Back()),
    ({"back": None}, Back()),
    ({"reload": True}, Reload()),
    ({"wait": "Saved"}, Wait("Saved")),
    ({"wait": {"for": "Saved", "timeout": 5}}, Wait("Saved", None, 5.0)),
    ({"wait": {"seconds": 1}}, Wait(None, 1.0)),
    ({"wait": {"seconds": 0.25}}, Wait(None, 0.25)),
    ({"assert": {"visible": "Welcome"}}, AssertVisible("Welcome")),
    ({"assert": {"visible": "Welcome", "timeout": 3}}, AssertVisible("Welcome", 3.0)),
    ({"assert": {"not_visible": "Error"}}, AssertNotVisible("Error")),
    ({"assert": {"count": '"Delete" button', "equals": 3}}, AssertCount('"Delete" button', 3)),
    ({"assert": {"count": '"Delete" buttons', "equals": 0}}, AssertCount('"Delete" button', 0)),
    ({"assert": {"state": "Remember me", "is": "checked"}}, AssertState("Remember me", "checked")),
    ({"assert": {"state": "Save", "is": "Disabled"}}, AssertState("Save", "disabled")),
    ({"assert": "the cart shows two items"}, AssertSentence("the cart shows two items")),
    ({"assert": {"looks_like": "home"}}, AssertLooksLike("home", "layout")),
    ({"assert": {"looks_like": "home", "level": "Pixel", "tolerance": 3, "mask": [[0, 0, 10, 10]]}},
     AssertLooksLike("home", "pixel", (Mask(box=(0.0, 0.0, 10.0, 10.0)),), 3)),
    ({"ask": {"question": "How many items are left?", "expect": "2"}}, Ask("How many items are left?", "2")),
    ({"ask": {"question": "What is the total?"}}, Ask("What is the total?", None)),
    ({"ask": "What is the total?"}, Ask("What is the total?")),
    ({"do": "log in as admin"}, Do("log in as admin", 15)),
    ({"do": {"goal": "log in as admin", "max_steps": 5}}, Do("log in as admin", 5)),
    ({"screenshot": "after-login"}, TakeScreenshot("after-login")),
    ({"clear": '"Search" field'}, Clear('"Search" field')),
    ({"clear": {"target": "Search"}}, Clear("Search")),
]


@pytest.mark.parametrize(("d", "expected"), DICT_FORMS, ids=[repr(d)[:60] for d, _ in DICT_FORMS])
def test_dict_form(d, expected):
    step = step_from_dict(d, line=7, file="s.yaml")
    assert step == expected
    assert type(step) is type(expected)
    assert step.line == 7
    assert step.source  # something to show in reports
    assert step.describe()


def test_every_step_type_has_a_dict_form_here():
    covered = {type(s) for _, s in DICT_FORMS}
    assert covered == set(Step.__args__)


def test_line_and_source_do_not_take_part_in_equality_and_steps_are_frozen():
    a = Click("OK", line=3, source="click: OK")
    b = Click("OK", line=9, source="Click OK")
    assert a == b and hash(a) == hash(b)
    assert Click("OK") != Click("OK", count=2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.target = "Cancel"  # type: ignore[misc]


def test_describe_is_a_short_human_label():
    assert Click('"Sign in" button').describe() == 'click "Sign in" button'
    assert Click("Row", count=2).describe() == "double-click Row"
    assert Click("File", button="right").describe() == "right-click File"
    assert Fill('"Email"', "a@b.c").describe() == "fill \"Email\" with 'a@b.c'"
    assert Fill('"Email"', "").describe() == 'clear "Email"'
    assert Check("X", False).describe() == "uncheck X"
    assert Scroll("down", 3).describe() == "scroll down 3 times"
    assert Scroll(to="Footer").describe() == "scroll to Footer"
    assert Wait(None, 2.0).describe() == "wait 2 s"
    assert Wait("Saved", None, 5.0).describe() == "wait for Saved (up to 5 s)"
    assert AssertState("X", "checked").describe() == "assert X is checked"


def test_needs_model_marks_do_and_sentence_asserts_only():
    assert needs_model(Do("log in"))
    assert needs_model(AssertSentence("the cart is empty"))
    assert not needs_model(Ask("What is the total?", "42"))  # the agent decides: OCR may read it
    assert not needs_model(Click("OK"))
    assert not needs_model(AssertVisible("Welcome"))


@pytest.mark.parametrize(("written", "playwright"), [
    ("Enter", "Enter"), ("enter", "Enter"), ("Return", "Enter"), ("esc", "Escape"), ("TAB", "Tab"),
    ("space", "Space"), ("ctrl+a", "Control+a"), ("Control+A", "Control+A"), ("cmd+c", "Meta+c"),
    ("Shift + Tab", "Shift+Tab"), ("page down", "PageDown"), ("down", "ArrowDown"), ("f5", "F5"),
    ("a", "a"), ("+", "+"), ("回车", "Enter"), ("空格键", "Space"), ("ControlOrMeta+K", "ControlOrMeta+K"),
])
def test_normalize_key(written, playwright):
    assert normalize_key(written) == playwright


def test_unknown_key_names_the_closest():
    with pytest.raises(ValueError, match="did you mean 'Enter'"):
        normalize_key("Entr")
    with pytest.raises(ValueError, match="unknown key 'Foo'"):
        normalize_key("Control+Foo")


def test_singular_kinds_only_outside_quotes():
    assert singular_kinds('"Delete" buttons') == '"Delete" button'
    assert singular_kinds('"Links" links') == '"Links" link'
    assert singular_kinds("checkboxes below 'Options'") == "checkbox below 'Options'"
    assert singular_kinds('menu items in "File"') == 'menu item in "File"'


BAD_DICTS = [
    ({"clik": "Sign in"}, "did you mean 'click'"),
    ({"Click": "Sign in"}, "did you mean 'click'"),
    ({"Assert the page shows": "Welcome"}, "must be quoted"),
    ({"click": "A", "hover": "B"}, "has one key, this one has 2"),
    ({"fill": None, "target": "Email", "text": "x"}, "indent them under it"),
    ({"fill": "Email"}, "'fill' needs a mapping"),
    ({"fill": {"target": "Email"}}, "'fill' needs 'text'"),
    ({"fill": {"text": "x"}}, "'fill' needs 'target'"),
    ({"fill": {"target": "Email", "txt": "x"}}, "did you mean 'text'"),
    ({"click": None}, "'click' needs 'target'"),
    ({"click": ""}, "click.target is empty"),
    ({"click": ["A", "B"]}, "not a list"),
    ({"click": {"target": "A", "button": "double"}}, "left, right or middle"),
    ({"click": {"target": "A", "count": 4}}, "1, 2 or 3"),
    ({"click": {"target": "A", "count": True}}, "1, 2 or 3"),
    ({"type": True}, "must be text"),
    ({"press": "Entr"}, "did you mean 'Enter'"),
    ({"select": {"target": "Country"}}, "'select' needs 'option'"),
    ({"select": {"target": "Country", "options": "China"}}, "did you mean 'option'"),
    ({"scroll": "downward"}, "did you mean 'down'"),
    ({"scroll": {"direction": "down", "times": 0}}, "whole number above 0"),
    ({"scroll": {"to": "Footer", "times": 2}}, "not both"),
    ({"back": False}, "back: true"),
    ({"wait": {"timeout": 5}}, "either `for` or `seconds`"),
    ({"wait": {"for": "Saved", "seconds": 1}}, "either `for` or `seconds`"),
    ({"wait": {"seconds": -1}}, "above 0"),
    ({"wait": 5}, "ambiguous"),
    ({"assert": {"visble": "X"}}, "did you mean 'visible'"),
    ({"assert": {"visible": "X", "not_visible": "Y"}}, "exactly one of"),
    ({"assert": {"count": "Delete"}}, "needs `equals: N`"),
    ({"assert": {"count": "Delete", "equals": "three"}}, "needs `equals: N`"),
    ({"assert": {"visible": "X", "equals": 3}}, "`equals` goes with `count`"),
    ({"assert": {"state": "X", "is": "chekced"}}, "did you mean 'checked'"),
    ({"assert": {"state": "X"}}, "one of checked, unchecked"),
    ({"assert": {"state": "X", "is": "checked", "timeout": 3}}, "`timeout` goes with visible"),
    ({"ask": {"expect": "2"}}, "'ask' needs 'question'"),
    ({"do": {"goal": "x", "max_steps": 0}}, "max_steps must be a whole number"),
    ({"screenshot": None}, "'screenshot' needs 'name'"),
    ({}, "a step is one key"),
]


@pytest.mark.parametrize(("d", "needle"), BAD_DICTS, ids=[repr(d)[:60] for d, _ in BAD_DICTS])
def test_bad_dict_form_says_where_and_what_is_right(d, needle):
    with pytest.raises(ScenarioError) as info:
        step_from_dict(d, line=12, file="checkout.yaml")
    assert str(info.value).startswith("checkout.yaml:12: ")
    assert needle in str(info.value)
    assert info.value.file == "checkout.yaml" and info.value.line == 12


def test_field_lines_point_errors_at_the_field():
    with pytest.raises(ScenarioError) as info:
        step_from_dict({"click": {"target": "A", "count": 9}}, line=4, file="f.yaml",
                       field_lines={"target": 5, "count": 6})
    assert info.value.line == 6
