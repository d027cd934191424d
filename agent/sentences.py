"""Step sentences in English and Chinese -> the same typed Steps as the dict form.

Quoted spans are set aside first (any of "…" '…' “…” ‘…’ 「…」 『…』), so words inside them never
steer the parse; each rule then matches the sentence's skeleton. Targets are kept as written, quotes,
kind words and ordinals included (the vision layer reads them); typed text, options, questions and
answers are unquoted. A sentence no rule reads is a ScenarioError that quotes it and lists the
forms: the parser never guesses, and never hands a sentence to a model.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from typing import Any

from agent.errors import ScenarioError
from agent.steps import (
    Ask,
    AssertCount,
    AssertNotVisible,
    AssertState,
    AssertVisible,
    Back,
    Check,
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
    normalize_key,
    singular_kinds,
    step_from_dict,
)

__all__ = ["parse_sentence", "step_from_sentence", "parse_step", "FORMS_EN", "FORMS_ZH"]

FORMS_EN = ('Click "…"', 'Double-click "…"', 'Right-click "…"', 'Hover over "…"', 'Type "…" into "…"',
            'Fill "…" with "…"', 'Type "…"', "Press Enter", 'Check "…"', 'Uncheck "…"', 'Select "…" in "…"',
            "Scroll down [3 times]", 'Scroll to "…"', "Go to /path", "Go back", "Reload", 'Wait for "…"',
            "Wait 2 seconds", 'Assert "…" is visible', 'Assert the page shows "…"', 'Assert "…" is not visible',
            'Assert there are 3 "…" buttons', 'Assert "…" is checked', 'Ask "…" expect "…"',
            'Take a screenshot "…"')
FORMS_ZH = ('点击 "…"', '双击 "…"', '右键点击 "…"', '悬停在 "…" 上', '在 "…" 中输入 "…"', '输入 "…"',
            "按下 Enter / 按回车", '勾选 "…"', '取消勾选 "…"', '在 "…" 中选择 "…"', "向下滚动 [3 次]", '滚动到 "…"',
            "打开 /path", "返回", "刷新", '等待 "…" 出现', "等待 2 秒", '断言 "…" 可见', '断言页面显示 "…"',
            '断言 "…" 不可见', '断言有 3 个 "…" 按钮', '断言 "…" 已勾选', '询问 "…" 期望 "…"', '截图 "…"')

_CLOSERS = {'"': '"“”＂', "“": '"“”＂', "”": '"“”＂', "＂": '"“”＂', "'": "'‘’", "‘": "'‘’", "’": "'‘’",
            "「": "」", "『": "』"}
_APOSTROPHES = "'‘’"
_Q = "\ue000\\d+\ue001"  # a quoted span in the skeleton
_QRE = re.compile("\ue000(\\d+)\ue001")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


def _scan(text: str) -> tuple[str, list[str]]:
    """(skeleton with each quoted span replaced by a placeholder, the spans as written)."""
    out: list[str] = []
    quotes: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        opens = ch in _CLOSERS and not (ch in _APOSTROPHES and i and _ASCII_WORD.match(text[i - 1]))
        if not opens:
            out.append(ch)
            i += 1
            continue
        j = i + 1
        while j < len(text):
            if text[j] in _CLOSERS[ch] and not (ch in _APOSTROPHES and j + 1 < len(text)
                                                and _ASCII_WORD.match(text[j + 1])):
                break
            j += 1
        if j >= len(text):
            if ch in _APOSTROPHES:  # a lone apostrophe is just a letter
                out.append(ch)
                i += 1
                continue
            raise ValueError(f"the quote {ch} at character {i + 1} is not closed")
        out.append(f"\ue000{len(quotes)}\ue001")
        quotes.append(text[i:j + 1])
        i = j + 1
    return "".join(out), quotes


# ---- numbers ------------------------------------------------------------------------------------

_WORDS = {"zero": 0, "no": 0, "a": 1, "an": 1, "one": 1, "once": 1, "two": 2, "twice": 2, "three": 3,
          "thrice": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
          "eleven": 11, "twelve": 12, "twenty": 20}
_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_NUM = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百]+|zero|one|two|three|four|five|six|seven|eight|nine|" \
       r"ten|eleven|twelve|twenty|an|a)"
_CNT = r"(?:\d+|[零〇一二两三四五六七八九十百]+|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|" \
       r"twelve|twenty)"
_SECS = r"(?P<u>seconds?|secs?|s|milliseconds?|ms|minutes?|mins?|秒钟|秒|毫秒|分钟)"


def _number(s: str) -> float:
    s = s.strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return float(s)
    if s in _WORDS:
        return float(_WORDS[s])
    total, cur = 0, 0
    for ch in s:  # Chinese numerals up to 999: 三, 十二, 二十, 一百零五
        if ch in _ZH_DIGITS:
            cur = _ZH_DIGITS[ch]
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
        else:
            raise ValueError(s)
    return float(total + cur)


def _seconds(n: str, unit: str | None) -> float:
    value, unit = _number(n), (unit or "s").lower()
    if unit in ("ms", "millisecond", "milliseconds", "毫秒"):
        return value / 1000
    if unit.startswith("min") or unit == "分钟":
        return value * 60
    return value


# ---- the rules ----------------------------------------------------------------------------------


class _Ctx:
    def __init__(self, skeleton: str, quotes: list[str], m: re.Match, source: str, line: int,
                 file: str | None):
        self.skeleton, self.quotes, self.m, self.source = skeleton, quotes, m, source
        self.line, self.file = line, file
        self.meta: dict[str, Any] = {"line": line, "source": source}

    def fail(self, why: str) -> ScenarioError:
        return ScenarioError(f"cannot read step {self.source!r}: {why}", self.file, self.line or None)

    def has(self, name: str) -> bool:
        return bool(self.m.groupdict().get(name))

    def raw(self, name: str) -> str:
        return _QRE.sub(lambda q: self.quotes[int(q.group(1))], self.m.group(name)).strip()

    def target(self, name: str = "t") -> str:
        return self.raw(name)

    def value(self, name: str, separator: str | None = None) -> str:
        """Text to type/choose/expect: the inside of one quoted span, or plain text with no quotes."""
        g = self.m.group(name).strip()
        whole = _QRE.fullmatch(g)
        if whole:
            return self.quotes[int(whole.group(1))][1:-1]
        if _QRE.search(g):
            raise self.fail(f"{self.raw(name)!r} mixes quoted and plain words: quote the text as a whole, "
                            f"and write one step per list item")
        if separator and len(re.findall(separator, f" {self.skeleton} ", re.I)) > 1:
            raise self.fail("ambiguous without quotes; quote the text, e.g. Type \"…\" into \"…\"")
        return g

    def number(self, name: str, whole: bool = True) -> Any:
        value = _number(self.m.group(name))
        if whole and value != int(value):
            raise self.fail(f"{self.m.group(name)} is not a whole number")
        return int(value) if whole else value


_URL = re.compile(r"(?:[a-z][a-z0-9+.\-]*://\S+|about:\S+|data:\S+|/\S*|\.{1,2}/\S*|[?#]\S*|"
                  r"[\w.\-~%]+(?:/[\w.\-~%/]*)?\.(?:html?|php|aspx?|jsp)(?:[?#]\S*)?|[\w\-~%]+/\S*)", re.I)
_DOMAIN = re.compile(r"(?:www\.|localhost\b|127\.0\.0\.1|[\w\-]+\.(?:com|org|net|io|cn|dev|app|edu|gov)\b)", re.I)
_EDGES = {"top", "bottom", "end", "the top", "the bottom", "the end", "top of the page", "bottom of the page",
          "the top of the page", "the bottom of the page", "顶部", "底部", "页面顶部", "页面底部", "最底部", "最顶部",
          "页底", "页顶", "底端", "顶端", "页面底端", "页面顶端", "最下面", "最上面"}


def _goto(c: _Ctx) -> Step:
    g = c.m.group("u").strip()
    whole = _QRE.fullmatch(g)
    url = c.quotes[int(whole.group(1))][1:-1].strip() if whole else c.raw("u")
    if _DOMAIN.match(url) and "://" not in url:
        raise c.fail(f"write the full address, e.g. http://{url}")
    if not _URL.fullmatch(url):
        raise c.fail(f"{url!r} is not a URL or path (Go to /settings, 打开 https://…); "
                     f"to open a link or menu write Click \"…\" / 点击 \"…\"")
    return Goto(url, **c.meta)


def _scroll_to(c: _Ctx) -> Step:
    to = c.target()
    if not _QRE.search(c.m.group("t")) and to.lower() in _EDGES:
        raise c.fail('Scroll to needs something on the page; for the page end write Press End '
                     '(or Scroll down 10 times / 向下滚动 10 次), for the top Press Home')
    return Scroll(to=to, **c.meta)


def _press(c: _Ctx) -> Step:
    whole = _QRE.fullmatch(c.m.group("k").strip())
    try:
        return Press(normalize_key(c.quotes[int(whole.group(1))][1:-1] if whole else c.raw("k")), **c.meta)
    except ValueError as e:
        raise c.fail(f"{e}; to click a button write Click \"…\"") from None


_PAGE_LOAD = re.compile(r"(?:the\s+)?page(?:\s+to)?\s+(?:load|finish|be\s+ready|settle)|(?:the\s+)?page\s+load|"
                        r"loading\s+to\s+finish|页面.*(?:加载|就绪|稳定)|加载完成", re.I)


def _wait_for(c: _Ctx) -> Step:
    if not _QRE.search(c.m.group("t")) and _PAGE_LOAD.search(c.m.group("t")):
        raise c.fail('pagesight already waits for the page to be still before every step; to wait for '
                     'something on it write Wait for "…" / 等待 "…" 出现')
    if re.fullmatch(_NUM, c.m.group("t").strip(), re.I):
        n = c.m.group("t").strip()
        raise c.fail(f'ambiguous: write Wait {n} seconds / 等待 {n} 秒 to pause, or Wait for "{n}" for that text')
    timeout = _seconds(c.m.group("n"), c.m.group("u")) if c.has("n") else None
    return Wait(c.target(), None, timeout, **c.meta)


def _wait_gone(c: _Ctx) -> Step:
    timeout = _seconds(c.m.group("n"), c.m.group("u")) if c.has("n") else None
    return AssertNotVisible(c.target(), timeout, **c.meta)


_STATE_WORDS = {"checked": "checked", "ticked": "checked", "selected": "checked", "unchecked": "unchecked",
                "unticked": "unchecked", "not checked": "unchecked", "not ticked": "unchecked",
                "disabled": "disabled", "greyed out": "disabled", "grayed out": "disabled",
                "not enabled": "disabled", "enabled": "enabled", "not disabled": "enabled",
                "focused": "focused", "in focus": "focused"}


_NEGATED = {"checked": "unchecked", "ticked": "unchecked", "unchecked": "checked", "unticked": "checked",
            "disabled": "enabled", "greyed out": "enabled", "grayed out": "enabled", "enabled": "disabled"}


def _state_en(c: _Ctx) -> Step:
    word = re.sub(r"\s+", " ", c.m.group("s").lower())
    if c.has("neg"):
        if word not in _NEGATED:
            raise c.fail(f"there is no 'not {word}' state; states are checked, unchecked, disabled, "
                         f"enabled, focused")
        word = _NEGATED[word]
    return AssertState(c.target(), _STATE_WORDS[word], **c.meta)


def _check(c: _Ctx, checked: bool) -> Step:
    if re.search(r"\s(?:is|are|isn't|aren't|should|must)\s", f" {c.m.group('t')} ", re.I):
        raise c.fail('to assert something write Check that "…" is visible / is checked; '
                     'to tick a box write Check "…"')
    return Check(c.target(), checked, **c.meta)


Rule = tuple[re.Pattern, Callable[[_Ctx], Step]]
_R: list[Rule] = []


def _rule(pattern: str, build: Callable[[_Ctx], Step]) -> None:
    pattern = pattern.replace("Q", _Q).replace("NUM", _NUM).replace("CNT", _CNT)
    _R.append((re.compile(pattern, re.I), build))


_T = r"(?P<t>.+?)"
_EA = (r"^(?:(?:assert|verify|expect|ensure|confirm|validate)(?:\s+(?:that|if|whether))?|"
       r"check\s+(?:that|if|whether)|make\s+sure(?:\s+that)?)\s+")
_ZA = r"^(?:断言|验证|确认|检查|校验|期望|预期|确保|判断|检验)(?:一下)?\s*[:：,，]?\s*"
_VIS = r"(?:visible|shown|displayed|present|there|on\s+(?:the\s+)?(?:page|screen))"
_BE = r"(?:is|are|should\s+be|must\s+be|to\s+be|is\s+now|are\s+now)"

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
_WITHIN = r"(?:\s+(?:within|in|for\s+up\s+to|up\s+to)\s+(?P<n>NUM)\s*" + _SECS + ")?"


def _timeout(c: _Ctx) -> float | None:
    return _seconds(c.m.group("n"), c.m.group("u")) if c.has("n") else None


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
_rule(r"^(?:clear|empty)\b\s*" + _T + "$", lambda c: Fill(c.target(), "", **c.meta))
_rule(r"^(?:press|hit|push)(?:\s+(?:the|down))?\b\s*(?P<k>.+?)(?:\s+key)?$", _press)
_rule(r"^(?:uncheck|untick|deselect|unselect)\b\s*" + _T + "$", lambda c: _check(c, False))
_rule(r"^(?:check|tick)\b\s*" + _T + "$", lambda c: _check(c, True))
_rule(r"^(?:select|choose|pick)\b\s*(?P<v>.+?)\s+(?:in|from|on)\s+" + _T + "$",
      lambda c: Select(c.target(), c.value("v", r"(?<=\s)(?:in|from|on)(?=\s)"), **c.meta))
_rule(r"^in\s+" + _T + r",?\s+(?:select|choose|pick)\s+(?P<v>.+)$",
      lambda c: Select(c.target(), c.value("v"), **c.meta))
_rule(r"^scroll(?:\s+the\s+page|\s+page)?\s+(?P<d>down|up|left|right)(?:\s+the\s+page)?"
      r"(?:\s+(?P<n>NUM)\s*(?:times?|x)|\s+(?P<w>once|twice|thrice))?$",
      lambda c: Scroll(c.m.group("d").lower(), c.number("n") if c.has("n")
                       else int(_number(c.m.group("w") or "1")), **c.meta))
_rule(r"^scroll\s+(?:(?:down|up)\s+)?(?:to|until)\s+" + _T
      + r"(?:\s+(?:is\s+visible|is\s+shown|appears|comes\s+into\s+view|is\s+in\s+view))?$", _scroll_to)
_rule(r"^scroll\s+" + _T + r"\s+into\s+view$", _scroll_to)
_rule(r"^(?:go|navigate|browse)\s+back$|^back$|^go\s+to\s+the\s+previous\s+page$", lambda c: Back(**c.meta))
_rule(r"^(?:reload|refresh)(?:\s+the)?(?:\s+page)?$", lambda c: Reload(**c.meta))
_rule(r"^(?:go\s+to|goto|navigate\s+to|open|visit|load|browse\s+to)(?:\s+the)?(?:\s+(?:page|url|address))?"
      r"\b\s*(?P<u>.+?)(?:\s+page)?$", _goto)
_rule(r"^wait(?:\s+for)?\s+(?P<n>NUM)\s*" + _SECS + "$",
      lambda c: Wait(None, _seconds(c.m.group("n"), c.m.group("u")), **c.meta))
_UPTO = r"(?:,?\s+(?:for\s+)?(?:up\s+to|at\s+most|max(?:imum)?|within)\s+(?P<n>NUM)\s*" + _SECS + ")?"
_rule(r"^wait\s+(?:for|until)\s+" + _T + r"\s+(?:to\s+disappear|disappears|is\s+gone|to\s+be\s+gone|"
      r"is\s+hidden|to\s+be\s+hidden|to\s+go\s+away|goes\s+away|is\s+no\s+longer\s+visible)" + _UPTO + "$",
      _wait_gone)
_rule(r"^wait\s+(?:up\s+to|at\s+most)\s+(?P<n>NUM)\s*" + _SECS + r"\s+(?:for|until)\s+" + _T
      + r"(?:\s+(?:to\s+appear|appears|is\s+visible|to\s+be\s+visible|shows\s+up|to\s+show\s+up))?$", _wait_for)
_rule(r"^wait\s+(?:for|until)\s+" + _T + r"(?:\s+(?:to\s+appear|appears|to\s+be\s+visible|is\s+visible|"
      r"to\s+show(?:\s+up)?|shows(?:\s+up)?|is\s+shown|to\s+be\s+shown))?" + _UPTO + "$", _wait_for)
_rule(r"^ask\b\s*(?P<q>.+?)(?:\s*[,;]?\s*(?:and\s+)?(?:expect(?:s|ing)?|the\s+answer\s+should\s+(?:contain|be)"
      r"|answer)\s*:?\s*(?P<e>.+))?$",
      lambda c: Ask(c.value("q"), c.value("e") if c.has("e") else None, **c.meta))
_rule(r"^do\b\s*:?\s*(?P<g>Q)$", lambda c: Do(c.value("g"), **c.meta))
_rule(r"^(?:(?:take|save|capture)\s+(?:a\s+)?screenshot|screenshot)(?:\s+(?:named|called|as))?"
      r"(?:(?:\s+|(?=Q))(?P<n>.+))?$",
      lambda c: TakeScreenshot(c.value("n") if c.has("n") else "screenshot", **c.meta))

# -- 中文 -----------------------------------------------------------------------------------------
_ZS = r"(?:状态|的)?$"
_rule(_ZA + _T + r"\s*(?:未|没有|没|未被|没有被|不是|不)(?:被)?(?:勾选|选中|打勾)" + _ZS,
      lambda c: AssertState(c.target(), "unchecked", **c.meta))
_rule(_ZA + _T + r"\s*(?:未被|未|没有被|没有|没)禁用" + _ZS, lambda c: AssertState(c.target(), "enabled", **c.meta))
_rule(_ZA + _T + r"\s*(?:是|已|已经|被|处于)?(?:被)?(?:禁用|不可用|不可点击|置灰|灰显)" + _ZS,
      lambda c: AssertState(c.target(), "disabled", **c.meta))
_rule(_ZA + _T + r"\s*(?:是|已|已经|处于)?(?:启用|可用|可点击|激活)" + _ZS,
      lambda c: AssertState(c.target(), "enabled", **c.meta))
_rule(_ZA + _T + r"\s*(?:是|已|已经|被|处于)?(?:被)?(?:勾选|选中|打勾)" + _ZS,
      lambda c: AssertState(c.target(), "checked", **c.meta))
_rule(_ZA + _T + r"\s*(?:是|已|已经|处于)?(?:获得了焦点|获得焦点|获取焦点|有焦点|被聚焦|聚焦|处于焦点)" + _ZS,
      lambda c: AssertState(c.target(), "focused", **c.meta))
_MEASURE = r"\s*(?:个|项|条|处|张|行|份|篇|次)?\s*"
_rule(_ZA + r"(?:页面上?|屏幕上?)?\s*(?:有|存在|共有|显示|出现)(?:了)?\s*(?P<n>CNT)" + _MEASURE + r"(?P<t>.+)$",
      lambda c: AssertCount(singular_kinds(c.target()), c.number("n"), **c.meta))
_rule(_ZA + _T + r"\s*(?:的)?(?:数量|个数|数目)\s*(?:为|是|等于|=)\s*(?P<n>CNT)" + _MEASURE + "$",
      lambda c: AssertCount(singular_kinds(c.target()), c.number("n"), **c.meta))
_NOT_VISIBLE_ZH = [
    _T + r"\s*(?:不可见|不显示|未显示|没有显示|不存在|没有出现|未出现|不出现|已消失|消失了|消失|不在页面上|已隐藏|被隐藏|隐藏)",
    r"(?:页面上?|屏幕上?)\s*(?:不|没有|未|并未|没)(?:显示|包含|出现|含有|展示)?(?:了)?\s*(?P<t>.+)",
    r"(?:没有|不存在|看不到)\s*(?P<t>.+)",
]
for _p in _NOT_VISIBLE_ZH:
    _rule(_ZA + _p + "$", lambda c: AssertNotVisible(c.target(), **c.meta))
_VISIBLE_ZH = [
    _T + r"\s*(?:是)?(?:可见的|可见|已显示|显示在页面上|显示|已出现|出现在页面上|出现|存在|在页面上)(?:了)?",
    r"(?:页面上?|屏幕上?)\s*(?:应该|应当|应)?(?:显示|包含|出现|含有|有|展示|存在)(?:了)?\s*(?P<t>.+)",
    r"(?:存在|出现|显示|能看到|看到|可以看到)(?:了)?\s*(?P<t>.+)",
]
for _p in _VISIBLE_ZH:
    _rule(_ZA + _p + "$", lambda c: AssertVisible(c.target(), **c.meta))
_rule(r"^(?:我)?(?:不应该|不应当|不应|不能|应该看不到|看不到)(?:看到)?\s*(?P<t>.+)$",
      lambda c: AssertNotVisible(c.target(), **c.meta))
_rule(r"^(?:我)?(?:应该|应当|应|能|可以)?(?:能)?看到\s*(?P<t>.+)$", lambda c: AssertVisible(c.target(), **c.meta))
_rule(r"^页面(?:上)?(?:应该|应当|应)?(?:显示|包含|出现)(?:了)?\s*(?P<t>.+)$",
      lambda c: AssertVisible(c.target(), **c.meta))

_ZH_MOD = {"双击": ("left", 2), "三击": ("left", 3), "右键单击": ("right", 1), "右键点击": ("right", 1),
           "右击": ("right", 1), "右键": ("right", 1), "中键点击": ("middle", 1)}
_MOUSE = r"^(?:(?:用|使用)?鼠标)?"
_rule(_MOUSE + r"(?P<mod>双击|三击|右键单击|右键点击|右击|右键|中键点击)\s*(?P<t>.+)$",
      lambda c: Click(c.target(), *_ZH_MOD[c.m.group("mod")], **c.meta))
_rule(_MOUSE + r"(?:左键点击|左键单击|点击|单击|点按|轻触|轻点|点一下)(?:一下)?\s*" + _T + r"(?P<twice>\s*两次)?$",
      lambda c: Click(c.target(), "left", 2 if c.has("twice") else 1, **c.meta))
_rule(r"^(?:(?:将|把)?鼠标(?:指针)?\s*)?(?:悬停|悬浮)(?:在|于|到)?\s*" + _T + r"\s*(?:上面|之上|上)?$",
      lambda c: Hover(c.target(), **c.meta))
_rule(r"^(?:将|把)?鼠标(?:指针)?\s*(?:移到|移动到|移至|放到|放在|停在|停留在)\s*" + _T + r"\s*(?:上面|之上|上)?$",
      lambda c: Hover(c.target(), **c.meta))
_IN_ZH = r"\s*(?:之中|中|里面|里|内)?"
_TYPE_ZH = r"(?:输入|填写|填入|键入|录入|填)(?!框|栏)"
_rule(r"^(?:在|向|往|于|给)\s*" + _T + _IN_ZH + r"\s*" + _TYPE_ZH + r"\s*(?:内容|文字|文本)?\s*[:：]?\s*(?P<v>.+)$",
      lambda c: Fill(c.target(), c.value("v"), **c.meta))
_rule(r"^(?:输入|填写|填入|键入)\s*(?P<v>.+?)\s*(?:到|至|进|进入|在|于)\s*" + _T + _IN_ZH + "$",
      lambda c: Fill(c.target(), c.value("v", r"到|至|进|在|于"), **c.meta))
_rule(r"^(?:将|把)\s*(?P<v>.+?)\s*(?:(?:输入|填写|键入|填)(?:到|至|进|进入|在)|填入|写入|输进)\s*" + _T + _IN_ZH + "$",
      lambda c: Fill(c.target(), c.value("v", r"到|至|进|在"), **c.meta))
_rule(r"^(?:(?:将|把)\s*" + _T + r"\s*(?:填写|填|输入)|填写\s*" + _T.replace("t", "t2") + r"\s*)(?:为|成)\s*(?P<v>.+)$",
      lambda c: Fill(c.target("t" if c.has("t") else "t2"), c.value("v"), **c.meta))
_rule(r"^(?:清空|清除)\s*" + _T + r"(?:\s*(?:的)?(?:内容|文本|文字))?$", lambda c: Fill(c.target(), "", **c.meta))
_rule(r"^(?:在|从|于)\s*" + _T + _IN_ZH + r"\s*(?:选择|选中|选取|挑选|选)(?:选项)?\s*[:：]?\s*(?P<v>.+)$",
      lambda c: Select(c.target(), c.value("v"), **c.meta))
_rule(r"^(?:将|把)\s*" + _T + r"\s*(?:选为|选择为|选成)\s*(?P<v>.+)$",
      lambda c: Select(c.target(), c.value("v"), **c.meta))
_rule(r"^(?:选择|选取)\s*(?P<t>Q.*?)\s*(?:中|里)的\s*(?P<v>.+)$", lambda c: Select(c.target(), c.value("v"), **c.meta))
_rule(r"^(?:选择|选取)\s*" + _T + r"\s*(?:的值)?为\s*(?P<v>.+)$", lambda c: Select(c.target(), c.value("v"), **c.meta))
_rule(r"^(?:选择|选取)\s*(?P<v>.+?)\s*(?:在|于)\s*" + _T + _IN_ZH + "$",
      lambda c: Select(c.target(), c.value("v", r"在|于"), **c.meta))
_rule(r"^(?:键入|输入|录入)\s*(?P<v>.+)$", lambda c: Type(c.value("v"), **c.meta))
_rule(r"^(?:按下|按|敲击|敲)\s*(?P<k>.+?)\s*(?:键)?$", _press)
_rule(r"^(?:取消勾选|取消选中|取消选择|不勾选|去掉勾选|去除勾选)\s*" + _T + "$",
      lambda c: Check(c.target(), False, **c.meta))
_rule(r"^(?:勾选|选中|勾上|打勾)\s*" + _T + "$", lambda c: Check(c.target(), True, **c.meta))
_DIR = {"上": "up", "下": "down", "左": "left", "右": "right"}
_TIMES_ZH = r"(?:\s*(?P<n>NUM)\s*(?:次|下|屏|页))?$"
_rule(r"^(?:将|把)?(?:页面)?\s*(?:向|往|朝)(?P<d>上|下|左|右)(?:方)?\s*(?:滚动|滑动|翻动|滚|滑|翻)(?:页面|屏幕)?"
      + _TIMES_ZH, lambda c: Scroll(_DIR[c.m.group("d")], c.number("n") if c.has("n") else 1, **c.meta))
_rule(r"^(?:滚动|滑动)(?:页面|屏幕)?\s*(?:向|往|朝)?(?P<d>上|下|左|右)(?:方)?" + _TIMES_ZH,
      lambda c: Scroll(_DIR[c.m.group("d")], c.number("n") if c.has("n") else 1, **c.meta))
_rule(r"^(?:滚动|滑动|滚|翻)(?:页面)?\s*(?:到|至|直到)\s*" + _T + r"\s*(?:处|位置|出现|可见|为止)?$", _scroll_to)
_rule(r"^(?:返回|后退|回退|回到)(?:到)?(?:上一页|上一个页面|前一页)?$|^浏览器(?:返回|后退)$", lambda c: Back(**c.meta))
_rule(r"^(?:刷新|重新加载|重载)(?:一下)?(?:页面|网页|当前页面?)?$", lambda c: Reload(**c.meta))
_rule(r"^(?:打开|访问|跳转到|跳转至|前往|导航到|转到|进入|浏览)(?:页面|网址|链接|地址)?\s*[:：]?\s*(?P<u>.+?)\s*(?:页面)?$",
      _goto)
_rule(r"^(?:等待|等|暂停|停留)\s*(?P<n>NUM)\s*" + _SECS + "$",
      lambda c: Wait(None, _seconds(c.m.group("n"), c.m.group("u")), **c.meta))
_ZUPTO = r"(?:\s*[，,]?\s*(?:最多|至多|超时)\s*(?P<n>NUM)\s*" + _SECS + ")?"
_rule(r"^(?:最多|至多)\s*(?:等待|等)\s*(?P<n>NUM)\s*" + _SECS + r"\s*(?:直到|等待|等)?\s*" + _T
      + r"\s*(?:出现|显示|可见)?$", _wait_for)
_rule(r"^(?:等待|等)(?:到|直到)?\s*" + _T + r"\s*(?:消失|不可见|隐藏|不见)(?:了)?" + _ZUPTO + "$", _wait_gone)
_rule(r"^(?:等待|等)(?:到|直到)?\s*" + _T + r"\s*(?:出现|显示|可见)?(?:了)?" + _ZUPTO + "$", _wait_for)
_rule(r"^(?:询问|提问|问)\s*(?P<q>.+?)(?:\s*[，,;；]?\s*(?:并)?(?:期望|预期|期待|答案应?(?:包含|是|为))(?:答案)?"
      r"(?:包含|是|为)?\s*[:：]?\s*(?P<e>.+))?$",
      lambda c: Ask(c.value("q"), c.value("e") if c.has("e") else None, **c.meta))
_rule(r"^(?:截图|截屏|截取屏幕|截个图|保存截图)(?:并)?(?:命名为|名为|保存为|为)?\s*[:：]?\s*(?P<n>.+)?$",
      lambda c: TakeScreenshot(c.value("n") if c.has("n") else "screenshot", **c.meta))

# ---- entry points -------------------------------------------------------------------------------

_LEAD_EN = re.compile(r"^(?:(?:and\s+)?then|and|but|when|next|finally|now|also|after\s+that)\b[\s,]*", re.I)
_LEAD_I = re.compile(r"^i\s+(?=(?:click|double-click|right-click|tap|type|enter|press|fill|select|choose|"
                     r"check|uncheck|scroll|go|open|visit|wait|hover|navigate|reload|refresh|ask)\b)", re.I)
_LEAD_ZH = re.compile(r"^(?:然后|接着|之后|随后|最后|再次|再|并且|并)(?!一)[，,\s]*|^(?:用户|我)(?=点击|单击|双击|输入|在|按|勾选|"
                      r"选择|打开|访问|等待|刷新|返回|滚动|向|悬停|右键)")
_COMPOUND = re.compile(
    r"\s(?:and|then)\s+(?:then\s+)?(?:click|tap|type|enter|press|hit|fill|select|choose|check|uncheck|scroll|go|"
    r"open|navigate|wait|assert|verify|hover|reload|refresh|see|should)\b"
    r"|(?:并且|并|然后|接着|之后|再)\s*(?:点击|单击|双击|输入|按(?!钮)|等待|断言|勾选|选择|滚动|打开|刷新|返回|悬停)", re.I)
_VERBS = ("click", "double-click", "right-click", "hover", "type", "enter", "fill", "press", "check",
          "uncheck", "select", "scroll", "go", "open", "reload", "wait", "assert", "verify", "ask", "screenshot")


def _forms_message(skeleton: str) -> str:
    zh = re.search(r"[\u4e00-\u9fff]", skeleton)
    forms = " · ".join(FORMS_ZH if zh else FORMS_EN)
    return f"write one of: {forms}; or use the dict form (click: …, fill: {{target: …, text: …}})"


def parse_sentence(text: str, line: int = 0, file: str | None = None) -> Step:
    """One step sentence -> its Step (`line`/`file` only place error messages)."""
    source = str(text).strip()
    where: dict[str, Any] = {"file": file, "line": line or None}
    if not source:
        raise ScenarioError("empty step; " + _forms_message(""), **where)
    try:
        skeleton, quotes = _scan(source)
    except ValueError as e:
        raise ScenarioError(f"cannot read step {source!r}: {e}", **where) from None
    skeleton = re.sub(r"[\s.。!！;；,，]+$", "", " ".join(skeleton.split()))
    for lead in (_LEAD_EN, _LEAD_I, _LEAD_ZH):
        skeleton = lead.sub("", skeleton, count=1)
    if _COMPOUND.search(skeleton, 1):
        raise ScenarioError(f"cannot read step {source!r}: it holds more than one step; write one step per "
                            f"list item", **where)
    for pattern, build in _R:
        m = pattern.match(skeleton)
        if m:
            return build(_Ctx(skeleton, quotes, m, source, line, file))
    hint = ""
    first = re.match(r"[A-Za-z-]+", skeleton)
    if first:
        close = difflib.get_close_matches(first.group(0).lower(), _VERBS, n=1, cutoff=0.75)
        if close and close[0] != first.group(0).lower():
            hint = f" (did you mean {close[0]!r}?)"
    if re.match(_EA, skeleton + " ", re.I) or re.match(_ZA, skeleton):
        hint += (' (did you mean Assert "…" is visible / 断言 "…" 可见? for a check only a model can judge, '
                 'use the dict form: assert: "a sentence")')
    raise ScenarioError(f"cannot read step {source!r}{hint}; {_forms_message(skeleton)}", **where)


step_from_sentence = parse_sentence


def parse_step(obj: Any, line: int = 0, file: str | None = None) -> Step:
    """A Step from what a user hands over: a sentence, a dict-form mapping, or a Step already."""
    if isinstance(obj, str):
        return parse_sentence(obj, line, file)
    if isinstance(obj, Mapping):
        return step_from_dict(obj, line, file)
    if hasattr(obj, "describe") and hasattr(obj, "line"):
        return obj
    raise ScenarioError(f"a step is a sentence or a mapping such as {{'click': 'Sign in'}}, not {obj!r}",
                        file, line or None)
