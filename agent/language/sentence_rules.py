"""The machinery the step-sentence rules share: quoted spans, numbers, the match context, and builders.

A sentence is first turned into a skeleton: each quoted span ("…" '…' “…” ‘…’ 「…」 『…』) becomes a
placeholder, so words inside quotes never steer a rule. A rule is a regular expression over that
skeleton (with Q, NUM and CNT standing for a quoted span, a number and a count) and a builder that
gets a `Ctx` and returns a Step. Builders used by both languages (go to, scroll to, press, wait for)
live here; the rules themselves are in agent.language.sentences_en and agent.language.sentences_zh.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from agent.language.steps import AssertNotVisible, Goto, Press, Scroll, Step, Wait, normalize_key
from pagesight_errors import ScenarioError
from vision import vocabulary
from vision.vocabulary import chinese_number

__all__ = ["scan_quotes", "to_number", "to_seconds", "Ctx", "Rule", "compile_rule", "TARGET", "NUM", "CNT",
           "SECS", "goto", "scroll_to", "press", "wait_for", "wait_gone"]

_Q = "\ue000\\d+\ue001"  # a quoted span in the skeleton
_QRE = re.compile("\ue000(\\d+)\ue001")


def scan_quotes(text: str) -> tuple[str, list[str]]:
    """(skeleton with each quoted span replaced by a placeholder, the spans as written). The spans are
    vision.vocabulary's (one scanner for sentences and targets); an unclosed quote is a ValueError."""
    out: list[str] = []
    quotes: list[str] = []
    last = 0
    for start, end in vocabulary.scan_quotes(text, strict=True):
        out.append(f"{text[last:start]}\ue000{len(quotes)}\ue001")
        quotes.append(text[start:end])
        last = end
    out.append(text[last:])
    return "".join(out), quotes


# ---- numbers ------------------------------------------------------------------------------------

_WORDS = {"zero": 0, "no": 0, "a": 1, "an": 1, "one": 1, "once": 1, "two": 2, "twice": 2, "three": 3,
          "thrice": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
          "eleven": 11, "twelve": 12, "twenty": 20}
NUM = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百]+|zero|one|two|three|four|five|six|seven|eight|nine|" \
      r"ten|eleven|twelve|twenty|an|a)"
CNT = r"(?:\d+|[零〇一二两三四五六七八九十百]+|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|" \
      r"twelve|twenty)"
SECS = r"(?P<u>seconds?|secs?|s|milliseconds?|ms|minutes?|mins?|秒钟|秒|毫秒|分钟)"


def to_number(s: str) -> float:
    s = s.strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return float(s)
    if s in _WORDS:
        return float(_WORDS[s])
    return float(chinese_number(s))  # Chinese numerals up to 999: 三, 十二, 二十, 一百零五


def to_seconds(n: str, unit: str | None) -> float:
    value, unit = to_number(n), (unit or "s").lower()
    if unit in ("ms", "millisecond", "milliseconds", "毫秒"):
        return value / 1000
    if unit.startswith("min") or unit == "分钟":
        return value * 60
    return value


# ---- the match context --------------------------------------------------------------------------


class Ctx:
    """One rule's match on one sentence: what its builder reads targets, values and numbers from."""

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
        value = to_number(self.m.group(name))
        if whole and value != int(value):
            raise self.fail(f"{self.m.group(name)} is not a whole number")
        return int(value) if whole else value


# ---- rules and the builders both languages use --------------------------------------------------

Rule = tuple[re.Pattern, Callable[[Ctx], Step]]
TARGET = r"(?P<t>.+?)"  # what `Ctx.target()` reads


def compile_rule(pattern: str, build: Callable[[Ctx], Step]) -> Rule:
    """A rule from its pattern, with Q, NUM and CNT filled in; matched case-insensitively."""
    pattern = pattern.replace("Q", _Q).replace("NUM", NUM).replace("CNT", CNT)
    return re.compile(pattern, re.I), build


_URL = re.compile(r"(?:[a-z][a-z0-9+.\-]*://\S+|about:\S+|data:\S+|/\S*|\.{1,2}/\S*|[?#]\S*|"
                  r"[\w.\-~%]+(?:/[\w.\-~%/]*)?\.(?:html?|php|aspx?|jsp)(?:[?#]\S*)?|[\w\-~%]+/\S*)", re.I)
_DOMAIN = re.compile(r"(?:www\.|localhost\b|127\.0\.0\.1|[\w\-]+\.(?:com|org|net|io|cn|dev|app|edu|gov)\b)", re.I)
_EDGES = {"top", "bottom", "end", "the top", "the bottom", "the end", "top of the page", "bottom of the page",
          "the top of the page", "the bottom of the page", "顶部", "底部", "页面顶部", "页面底部", "最底部", "最顶部",
          "页底", "页顶", "底端", "顶端", "页面底端", "页面顶端", "最下面", "最上面"}


def goto(c: Ctx) -> Step:
    g = c.m.group("u").strip()
    whole = _QRE.fullmatch(g)
    url = c.quotes[int(whole.group(1))][1:-1].strip() if whole else c.raw("u")
    if _DOMAIN.match(url) and "://" not in url:
        raise c.fail(f"write the full address, e.g. http://{url}")
    if not _URL.fullmatch(url):
        raise c.fail(f"{url!r} is not a URL or path (Go to /settings, 打开 https://…); "
                     f"to open a link or menu write Click \"…\" / 点击 \"…\"")
    return Goto(url, **c.meta)


def scroll_to(c: Ctx) -> Step:
    to = c.target()
    if not _QRE.search(c.m.group("t")) and to.lower() in _EDGES:
        raise c.fail('Scroll to needs something on the page; for the page end write Press End '
                     '(or Scroll down 10 times / 向下滚动 10 次), for the top Press Home')
    return Scroll(to=to, **c.meta)


def press(c: Ctx) -> Step:
    whole = _QRE.fullmatch(c.m.group("k").strip())
    try:
        return Press(normalize_key(c.quotes[int(whole.group(1))][1:-1] if whole else c.raw("k")), **c.meta)
    except ValueError as e:
        raise c.fail(f"{e}; to click a button write Click \"…\"") from None


_PAGE_LOAD = re.compile(r"(?:the\s+)?page(?:\s+to)?\s+(?:load|finish|be\s+ready|settle)|(?:the\s+)?page\s+load|"
                        r"loading\s+to\s+finish|页面.*(?:加载|就绪|稳定)|加载完成", re.I)


def wait_for(c: Ctx) -> Step:
    if not _QRE.search(c.m.group("t")) and _PAGE_LOAD.search(c.m.group("t")):
        raise c.fail('pagesight already waits for the page to be still before every step; to wait for '
                     'something on it write Wait for "…" / 等待 "…" 出现')
    if re.fullmatch(NUM, c.m.group("t").strip(), re.I):
        n = c.m.group("t").strip()
        raise c.fail(f'ambiguous: write Wait {n} seconds / 等待 {n} 秒 to pause, or Wait for "{n}" for that text')
    timeout = to_seconds(c.m.group("n"), c.m.group("u")) if c.has("n") else None
    return Wait(c.target(), None, timeout, **c.meta)


def wait_gone(c: Ctx) -> Step:
    timeout = to_seconds(c.m.group("n"), c.m.group("u")) if c.has("n") else None
    return AssertNotVisible(c.target(), timeout, **c.meta)
