"""English step sentences: the forms users write ("Click \"Sign in\"", "Assert \"Saved\" is visible")
as rules, tried in order by agent.language.sentences.parse_sentence.

Assertions come before actions so that "Check that …" is an assertion and not a checkbox; within each
group the more specific shapes come first. The shared machinery (quoted spans, numbers, `Ctx`, the
builders both languages use) is agent.language.sentence_rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from agent.language.sentence_rules import (
    SECS,
    Ctx,
    Rule,
    compile_rule,
    goto,
    press,
    scroll_to,
    to_number,
    to_seconds,
    wait_for,
    wait_gone,
)
from agent.language.sentence_rules import TARGET as _T  # short: the patterns below use it everywhere
from agent.language.steps import (
    Ask,
    AssertCount,
    AssertNotVisible,
    AssertState,
    AssertVisible,
    Back,
    Check,
    Clear,
    Click,
    Do,
    Fill,
    Hover,
    Reload,
    Scroll,
    Select,
    Step,
    TakeScreenshot,
    Type,
    Wait,
    singular_kinds,
)

__all__ = ["RULES", "FORMS", "looks_like_assertion"]

RULES: list[Rule] = []


def _rule(pattern: str, build: Callable[[Ctx], Step]) -> None:
    RULES.append(compile_rule(pattern, build))


_EA = (r"^(?:(?:assert|verify|expect|ensure|confirm|validate)(?:\s+(?:that|if|whether))?|"
       r"check\s+(?:that|if|whether)|make\s+sure(?:\s+that)?)\s+")
_VIS = r"(?:visible|shown|displayed|present|there|on\s+(?:the\s+)?(?:page|screen))"
_BE = r"(?:is|are|should\s+be|must\s+be|to\s+be|is\s+now|are\s+now)"


def looks_like_assertion(skeleton: str) -> bool:
    """Does the sentence open like an assertion (for the hint when no rule reads it)?"""
    return bool(re.match(_EA, skeleton + " ", re.I))


_STATE_WORDS = {"checked": "checked", "ticked": "checked", "selected": "checked", "unchecked": "unchecked",
                "unticked": "unchecked", "not checked": "unchecked", "not ticked": "unchecked",
                "disabled": "disabled", "greyed out": "disabled", "grayed out": "disabled",
                "not enabled": "disabled", "enabled": "enabled", "not disabled": "enabled",
                "focused": "focused", "in focus": "focused"}


_NEGATED = {"checked": "unchecked", "ticked": "unchecked", "unchecked": "checked", "unticked": "checked",
            "disabled": "enabled", "greyed out": "enabled", "grayed out": "enabled", "enabled": "disabled"}


def _state_en(c: Ctx) -> Step:
    word = re.sub(r"\s+", " ", c.m.group("s").lower())
    if c.has("neg"):
        if word not in _NEGATED:
            raise c.fail(f"there is no 'not {word}' state; states are checked, unchecked, disabled, "
                         f"enabled, focused")
        word = _NEGATED[word]
    return AssertState(c.target(), _STATE_WORDS[word], **c.meta)


def _check(c: Ctx, checked: bool) -> Step:
    if re.search(r"\s(?:is|are|isn't|aren't|should|must)\s", f" {c.m.group('t')} ", re.I):
        raise c.fail('to assert something write Check that "…" is visible / is checked; '
                     'to tick a box write Check "…"')
    return Check(c.target(), checked, **c.meta)


# -- English: assertions first (so "Check that …" is not a checkbox) ----------------------------
_rule(_EA + _T + r"\s+(?:is|are)\s+(?P<neg>not\s+)?(?:currently\s+)?(?P<s>(?:not\s+)?checked|unchecked|"
      r"(?:not\s+)?ticked|unticked|(?:not\s+)?disabled|(?:not\s+)?enabled|focused|in\s+focus|"
      r"gr[ae]yed\s+out)$", _state_en)
_rule(_EA + _T + r"\s+(?:should\s+be|must\s+be|to\s+be)\s+(?P<s>(?:not\s+)?checked|unchecked|"
      r"(?:not\s+)?disabled|(?:not\s+)?enabled|focused|in\s+focus|gr[ae]yed\s+out)$", _state_en)
_rule(_EA + _T + r"\s+(?:isn't|aren't)\s+(?P<neg>)(?P<s>checked|ticked|disabled|enabled)$",
      lambda c: AssertState(c.target(), {"checked": "unchecked", "ticked": "unchecked", "disabled": "enabled",
                                         "enabled": "disabled"}[c.m.group("s").lower()], **c.meta))
_rule(_EA + _T + r"\s+(?:has|should\s+have|must\s+have)\s+(?:the\s+)?focus$",
      lambda c: AssertState(c.target(), "focused", **c.meta))
_rule(_EA + r"there\s+(?:are|is)\s+(?:exactly\s+)?(?P<n>CNT)\s+" + _T + r"(?:\s+" + _VIS + r")?$",
      lambda c: AssertCount(singular_kinds(c.target()), c.number("n"), **c.meta))
_rule(_EA + r"(?:exactly\s+)?(?P<n>CNT)\s+" + _T + r"\s+(?:are|is)\s+" + _VIS + "$",
      lambda c: AssertCount(singular_kinds(c.target()), c.number("n"), **c.meta))
_rule(_EA + r"(?:the\s+)?(?:number|count)\s+of\s+" + _T + r"\s+(?:is|equals|=)\s+(?P<n>CNT)$",
      lambda c: AssertCount(singular_kinds(c.target()), c.number("n"), **c.meta))
_NOT_VISIBLE_EN = [
    _T + r"\s+(?:is|are)\s+(?:not|no\s+longer|never)\s+" + _VIS,
    _T + r"\s+(?:isn't|aren't)\s+" + _VIS,
    _T + r"\s+(?:is|are)\s+(?:hidden|invisible|gone|absent)",
    _T + r"\s+(?:does\s+not|doesn't|do\s+not|don't)\s+(?:appear|exist|show)",
    _T + r"\s+(?:should\s+not|shouldn't|must\s+not|mustn't)\s+(?:be\s+" + _VIS + r"|appear|exist)",
    _T + r"\s+(?:not\s+to|to\s+not)\s+be\s+" + _VIS,
    _T + r"\s+(?:has|have)\s+disappeared",
    _T + r"\s+not\s+visible",
    r"(?:the\s+)?(?:page|screen)\s+(?:does\s+not|doesn't|should\s+not|shouldn't|must\s+not|no\s+longer)\s+"
    r"(?:shows?|contains?|displays?|have|has|includes?|says?)\s+" + _T,
    r"there\s+(?:is|are)\s+no\s+" + _T,
]
_WITHIN = r"(?:\s+(?:within|in|for\s+up\s+to|up\s+to)\s+(?P<n>NUM)\s*" + SECS + ")?"


def _timeout(c: Ctx) -> float | None:
    return to_seconds(c.m.group("n"), c.m.group("u")) if c.has("n") else None


for _p in _NOT_VISIBLE_EN:
    _rule(_EA + _p + _WITHIN + "$", lambda c: AssertNotVisible(c.target(), _timeout(c), **c.meta))
_VISIBLE_EN = [
    _T + r"\s+" + _BE + r"\s+" + _VIS,
    _T + r"\s+(?:appears|exists|shows|is\s+showing|should\s+appear|should\s+exist)",
    _T + r"\s+visible",
    r"there\s+(?:is|are)\s+(?:an?|some)\s+" + _T,
    r"(?:the\s+)?(?:page|screen)\s+(?:should\s+|does\s+)?(?:shows?|contains?|displays?|has|have|includes?|"
    r"says?|reads?)\s+" + _T,
]
for _p in _VISIBLE_EN:
    _rule(_EA + _p + _WITHIN + "$", lambda c: AssertVisible(c.target(), _timeout(c), **c.meta))
_rule(_EA + r"(?:exactly\s+)?(?P<n>CNT)\s+" + _T + "$",
      lambda c: AssertCount(singular_kinds(c.target()), c.number("n"), **c.meta))
_rule(r"^(?:i\s+)?(?:should\s+not|shouldn't|do\s+not|don't|cannot|can't|should\s+no\s+longer)\s+see\s+"
      + _T + "$", lambda c: AssertNotVisible(c.target(), **c.meta))
_rule(r"^(?:i\s+)?(?:should\s+|can\s+)?see\s+" + _T + "$", lambda c: AssertVisible(c.target(), **c.meta))

# -- English: actions -----------------------------------------------------------------------------
_CLICK_MOD = {"double": ("left", 2), "triple": ("left", 3), "right": ("right", 1), "middle": ("middle", 1)}
_rule(r"^(?:(?P<mod>double|triple|right|middle)[- ]?)?(?:click|tap)(?:\s+on)?\b\s*" + _T
      + r"(?P<twice>\s+twice)?$",
      lambda c: Click(c.target(), *(_CLICK_MOD[c.m.group("mod").lower()] if c.has("mod")
                                    else ("left", 2 if c.has("twice") else 1)), **c.meta))
_rule(r"^(?:hover|mouse)(?:\s+(?:over|on|onto))?\b\s*" + _T + "$", lambda c: Hover(c.target(), **c.meta))
_rule(r"^move\s+(?:the\s+)?(?:mouse|cursor|pointer)\s+(?:over|onto|to)\s+" + _T + "$",
      lambda c: Hover(c.target(), **c.meta))
_IN = r"\s+(?:into|in|inside|to)\s+"
_IN_WORD = r"(?<=\s)(?:into|in|inside|to)(?=\s)"
_rule(r"^(?:type|enter|input|write|put)\b\s*(?P<v>.+?)" + _IN + _T + "$",
      lambda c: Fill(c.target(), c.value("v", _IN_WORD), **c.meta))
_rule(r"^fill(?:\s+(?:in|out))?\b\s*" + _T + r"\s+with\s+(?P<v>.+)$",
      lambda c: Fill(c.target(), c.value("v", r"(?<=\s)with(?=\s)"), **c.meta))
_rule(r"^(?:type|enter|input|write)\b\s*(?P<v>.+)$", lambda c: Type(c.value("v"), **c.meta))
_rule(r"^(?:clear|empty)\b\s*" + _T + "$", lambda c: Clear(c.target(), **c.meta))
_rule(r"^(?:press|hit|push)(?:\s+(?:the|down))?\b\s*(?P<k>.+?)(?:\s+key)?$", press)
_rule(r"^(?:uncheck|untick|deselect|unselect)\b\s*" + _T + "$", lambda c: _check(c, False))
_rule(r"^(?:check|tick)\b\s*" + _T + "$", lambda c: _check(c, True))
_rule(r"^(?:select|choose|pick)\b\s*(?P<v>.+?)\s+(?:in|from|on)\s+" + _T + "$",
      lambda c: Select(c.target(), c.value("v", r"(?<=\s)(?:in|from|on)(?=\s)"), **c.meta))
_rule(r"^in\s+" + _T + r",?\s+(?:select|choose|pick)\s+(?P<v>.+)$",
      lambda c: Select(c.target(), c.value("v"), **c.meta))
_rule(r"^scroll(?:\s+the\s+page|\s+page)?\s+(?P<d>down|up|left|right)(?:\s+the\s+page)?"
      r"(?:\s+(?P<n>NUM)\s*(?:times?|x)|\s+(?P<w>once|twice|thrice))?$",
      lambda c: Scroll(c.m.group("d").lower(), c.number("n") if c.has("n")
                       else int(to_number(c.m.group("w") or "1")), **c.meta))
_rule(r"^scroll\s+(?:(?:down|up)\s+)?(?:to|until)\s+" + _T
      + r"(?:\s+(?:is\s+visible|is\s+shown|appears|comes\s+into\s+view|is\s+in\s+view))?$", scroll_to)
_rule(r"^scroll\s+" + _T + r"\s+into\s+view$", scroll_to)
_rule(r"^(?:go|navigate|browse)\s+back$|^back$|^go\s+to\s+the\s+previous\s+page$", lambda c: Back(**c.meta))
_rule(r"^(?:reload|refresh)(?:\s+the)?(?:\s+page)?$", lambda c: Reload(**c.meta))
_rule(r"^(?:go\s+to|goto|navigate\s+to|open|visit|load|browse\s+to)(?:\s+the)?(?:\s+(?:page|url|address))?"
      r"\b\s*(?P<u>.+?)(?:\s+page)?$", goto)
_rule(r"^wait(?:\s+for)?\s+(?P<n>NUM)\s*" + SECS + "$",
      lambda c: Wait(None, to_seconds(c.m.group("n"), c.m.group("u")), **c.meta))
_UPTO = r"(?:,?\s+(?:for\s+)?(?:up\s+to|at\s+most|max(?:imum)?|within)\s+(?P<n>NUM)\s*" + SECS + ")?"
_rule(r"^wait\s+(?:for|until)\s+" + _T + r"\s+(?:to\s+disappear|disappears|is\s+gone|to\s+be\s+gone|"
      r"is\s+hidden|to\s+be\s+hidden|to\s+go\s+away|goes\s+away|is\s+no\s+longer\s+visible)" + _UPTO + "$",
      wait_gone)
_rule(r"^wait\s+(?:up\s+to|at\s+most)\s+(?P<n>NUM)\s*" + SECS + r"\s+(?:for|until)\s+" + _T
      + r"(?:\s+(?:to\s+appear|appears|is\s+visible|to\s+be\s+visible|shows\s+up|to\s+show\s+up))?$", wait_for)
_rule(r"^wait\s+(?:for|until)\s+" + _T + r"(?:\s+(?:to\s+appear|appears|to\s+be\s+visible|is\s+visible|"
      r"to\s+show(?:\s+up)?|shows(?:\s+up)?|is\s+shown|to\s+be\s+shown))?" + _UPTO + "$", wait_for)
_rule(r"^ask\b\s*(?P<q>.+?)(?:\s*[,;]?\s*(?:and\s+)?(?:expect(?:s|ing)?|the\s+answer\s+should\s+(?:contain|be)"
      r"|answer)\s*:?\s*(?P<e>.+))?$",
      lambda c: Ask(c.value("q"), c.value("e") if c.has("e") else None, **c.meta))
_rule(r"^do\b\s*:?\s*(?P<g>Q)$", lambda c: Do(c.value("g"), **c.meta))
_rule(r"^(?:(?:take|save|capture)\s+(?:a\s+)?screenshot|screenshot)(?:\s+(?:named|called|as))?"
      r"(?:(?:\s+|(?=Q))(?P<n>.+))?$",
      lambda c: TakeScreenshot(c.value("n") if c.has("n") else "screenshot", **c.meta))

# What an unreadable sentence's error lists: one example of each form above.
FORMS = ('Click "…"', 'Double-click "…"', 'Right-click "…"', 'Hover over "…"', 'Type "…" into "…"',
         'Fill "…" with "…"', 'Clear "…"', 'Type "…"', "Press Enter", 'Check "…"', 'Uncheck "…"', 'Select "…" in "…"',
         "Scroll down [3 times]", 'Scroll to "…"', "Go to /path", "Go back", "Reload", 'Wait for "…"',
         "Wait 2 seconds", 'Assert "…" is visible', 'Assert the page shows "…"', 'Assert "…" is not visible',
         'Assert there are 3 "…" buttons', 'Assert "…" is checked', 'Ask "…" expect "…"',
         'Take a screenshot "…"')
