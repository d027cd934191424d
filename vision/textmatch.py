"""How well a description's text matches text read off the screen.

Screens are read by OCR, so matching is forgiving where OCR slips (case, width, spaces, l/1/I, O/0,
rn/m, a stray icon glyph) and strict where a slip changes the meaning (a different digit, a short word
like "OK" vs "On"). Scores fall in fixed bands so that callers can compare kinds of match:

    1.00          the same text after `normalize`
    0.95 - 0.97   the same letters once icons/punctuation or OCR look-alikes are set aside
    0.85 - 0.93   a small OCR slip (Levenshtein distance within an allowance that grows with length)
    0.70 - 0.84   the query is a whole word or phrase of a longer text ("Sign in" in "Sign in to Acme")
    below 0.70    not a match (MATCH_THRESHOLD); still ordered, for "nearest candidates" messages

Chinese and Japanese have no spaces: each CJK character counts as a word of its own.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from vision.cjk_fold import fold_traditional

__all__ = ["is_cjk", "normalize", "similarity", "levenshtein", "tier", "span", "MATCH_THRESHOLD", "SAME_TEXT"]

MATCH_THRESHOLD = 0.70  # at or above: the text names this element
SAME_TEXT = 0.85  # at or above: the same words, give or take OCR slips (not merely contained)

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u300c": '"', "\u300d": '"', "\u300e": '"', "\u300f": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u2026": "...", "\u22ef": "...",
})
_TRAILING_MARKS = re.compile(r"[:*]+$")
_LEADING_MARKS = re.compile(r"^\*+")
_SPACE = re.compile(r"\s+")
# OCR look-alikes, folded to one letter on both sides before comparing.
_OCR_PAIRS = (("rn", "m"), ("vv", "w"))
_OCR_CHARS = str.maketrans({"1": "l", "i": "l", "|": "l", "!": "l", "0": "o"})


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF
            or 0xF900 <= o <= 0xFAFF or 0xAC00 <= o <= 0xD7AF or 0x20000 <= o <= 0x2FA1F)


is_cjk = _is_cjk


def _prepare(s: str) -> str:
    """NFKC, casefold, one kind of quote/dash/ellipsis, simplified Chinese; whitespace kept (word edges)."""
    return fold_traditional(unicodedata.normalize("NFKC", s).translate(_QUOTES).casefold())


def normalize(s: str) -> str:
    """The comparable form of a text: width-, case- and space-insensitive, without required/colon marks."""
    out = _SPACE.sub("", _prepare(s))
    out = _TRAILING_MARKS.sub("", out)
    out = _LEADING_MARKS.sub("", out)
    return out


def _tokens(prepared: str) -> list[str]:
    """Words of letters/digits; every CJK character is a word of its own; symbols separate words."""
    out: list[str] = []
    cur: list[str] = []
    for ch in prepared:
        if _is_cjk(ch):
            if cur:
                out.append("".join(cur))
                cur = []
            out.append(ch)
        elif ch.isalnum():
            cur.append(ch)
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return out


def _ocr_fold(s: str) -> str:
    s = s.translate(_OCR_CHARS)
    for a, b in _OCR_PAIRS:
        s = s.replace(a, b)
    return s


def levenshtein(a: str, b: str, limit: int | None = None) -> int:
    """Edit distance; with `limit`, any answer above it may be reported as limit + 1 (early exit)."""
    if a == b:
        return 0
    if len(a) < len(b):
        a, b = b, a
    if limit is not None and len(a) - len(b) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if limit is not None and min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def _ratio(a: str, b: str) -> float:
    longest = max(len(a), len(b))
    if longest == 0:
        return 1.0
    if longest > 80:  # long paragraphs: a cheap upper bound is enough for ranking non-matches
        return 1.0 - abs(len(a) - len(b)) / longest
    return 1.0 - levenshtein(a, b) / longest


def _allowance(n: int) -> int:
    """Edits tolerated as OCR slips for a query of n characters: none for short words ("OK" vs "On")."""
    if n <= 4:
        return 0
    if n <= 9:
        return 1
    if n <= 15:
        return 2
    return n // 7


def _digits(s: str) -> str:
    return "".join(ch for ch in s if ch.isdigit())


class _Form:
    """A text prepared once in every shape the comparison needs."""

    __slots__ = ("norm", "core", "fold", "joined", "bounds", "digits", "allow", "words")

    def __init__(self, s: str):
        prepared = _prepare(s)
        self.norm = normalize(s)
        toks = _tokens(prepared)
        self.core = "".join(toks)
        folded = [_ocr_fold(t) for t in toks]
        self.fold = "".join(folded)
        self.joined = folded
        self.words = [(f, _digits(t)) for f, t in zip(folded, toks, strict=True)]
        bounds = {0}
        pos = 0
        for t in folded:
            pos += len(t)
            bounds.add(pos)
        self.bounds = bounds
        self.digits = _digits(self.core)
        # a CJK character carries more than a letter: weigh it 1.5 when sizing the slip allowance
        cjk = sum(1 for ch in self.fold if _is_cjk(ch))
        self.allow = _allowance(len(self.fold) + cjk // 2)


@lru_cache(maxsize=512)
def _form(s: str) -> _Form:
    return _Form(s)


def _whole_word(q: str, t: _Form) -> bool:
    """Does q occur in t starting and ending on word edges?"""
    start = t.fold.find(q)
    while start >= 0:
        if start in t.bounds and start + len(q) in t.bounds:
            return True
        start = t.fold.find(q, start + 1)
    return False


def _extends(a: str, b: str) -> bool:
    """One is the other plus letters at an end ("Delete"/"Deleted"): a different word, not an OCR slip."""
    return a != b and (a.startswith(b) or b.startswith(a) or a.endswith(b) or b.endswith(a))


def _slip(q: _Form, t: str, digits: str) -> bool:
    """Is t (digits: its unfolded digits) within q's OCR-slip allowance: same digits, few edits,
    not merely longer or shorter?"""
    allow = q.allow
    return (allow > 0 and abs(len(q.fold) - len(t)) <= allow and digits == q.digits
            and not _extends(q.fold, t) and levenshtein(q.fold, t, allow) <= allow)


def _fuzzy_within(q: _Form, t: _Form) -> bool:
    """Is some run of whole words of t within q's OCR-slip allowance of q?"""
    allow = q.allow
    if allow == 0:
        return False
    words = t.words
    for i in range(len(words)):
        span = digits = ""
        for j in range(i, len(words)):
            span += words[j][0]
            digits += words[j][1]
            if len(span) > len(q.fold) + allow:
                break
            if _slip(q, span, digits):
                return True
    return False


# Characters OCR makes of a small round or boxy icon set tight against a caption.
_ICON_GLYPHS = set("8０0oO◎○@©®")  # (not 口 or 日: "星期日" is not "星期" plus an icon)


def _icon_before(q: str, t: str) -> bool:
    """t is q after one icon-like glyph and a space ("8 Item": a nav item's outline icon read as a
    character), or after one Chinese character glued to a Latin caption ("位Item": a trash-can icon read
    as a Han character). Only in front: a trailing "8" may be a real number ("Item 8")."""
    head, _, rest = t.partition(" ")
    if len(head) == 1 and head in _ICON_GLYPHS and normalize(rest) == normalize(q):
        return True
    return (len(t) >= 3 and _is_cjk(t[0]) and t[1].isascii() and t[1].isalpha() and q[:1].isascii()
            and normalize(t[1:]) == normalize(q))


def _icon_glued(q: str, t: str) -> bool:
    """t is q with one icon-like glyph glued to a CJK end of it ("保密8", "0男")."""
    if len(t) != len(q) + 1 or not q:
        return False
    if t.startswith(q):
        return t[-1] in _ICON_GLYPHS and _is_cjk(q[-1])
    return t.endswith(q) and t[0] in _ICON_GLYPHS and _is_cjk(q[0])


def _cut_short(q: _Form, t: _Form) -> bool:
    """The text ends in an ellipsis and is the start of the query (a long caption cut to fit its box).
    What is left must be long enough to be a name (16 letters, a CJK character counting 2): "Loading..."
    is a word of its own, not "Loading data" cut short."""
    kept = len(t.fold) + sum(1 for ch in t.fold if _is_cjk(ch))
    return t.norm.endswith("...") and kept >= 16 and len(t.fold) >= len(q.fold) // 2 \
        and len(q.fold) > len(t.fold) and q.fold.startswith(t.fold)


@lru_cache(maxsize=8192)
def similarity(query: str, text: str) -> float:
    """How well `text` (read off the screen) matches `query` (what a person wrote), in [0, 1]."""
    q, t = _form(query), _form(text)
    if not q.norm or not t.norm:
        return 0.0
    if q.norm == t.norm:
        return 1.0
    if not q.core:  # a query of symbols only ("+", "×"): exact or contained, nothing fuzzy
        if q.norm in t.norm:
            return 0.72 + 0.12 * len(q.norm) / len(t.norm)
        return 0.0
    if q.core == t.core and (q.core == q.norm or t.core == t.norm):
        return 0.97  # only icons or punctuation differ: "Account ▾", "Sign-in"
    if q.fold == t.fold:
        return 0.95  # OCR look-alikes: "Sign ln", "0K"
    if _icon_glued(q.norm, t.norm) or _icon_before(query, _SPACE.sub(" ", _prepare(text).strip())):
        return 0.95  # "保密8", "8 Item": an icon beside the caption read as a character
    if not t.core:
        return 0.0
    if _cut_short(q, t):
        return 0.88  # a caption the page cut off with an ellipsis: "最大行数两行..." of the whole name
    ratio = _ratio(q.fold, t.fold)
    if _slip(q, t.fold, t.digits):
        return 0.85 + 0.08 * ratio
    coverage = len(q.fold) / max(len(t.fold), 1)
    if len(q.fold) < len(t.fold):
        if _whole_word(q.fold, t):
            return 0.72 + 0.12 * coverage
        if _fuzzy_within(q, t):
            return 0.70 + 0.08 * coverage
        if q.fold in t.fold:
            return 0.40 + 0.2 * coverage
    return 0.6 * ratio


def tier(score: float) -> int:
    """2: the same text (give or take OCR slips); 1: contained as a whole word; 0: no match."""
    if score >= SAME_TEXT:
        return 2
    if score >= MATCH_THRESHOLD:
        return 1
    return 0


def _width(ch: str) -> float:
    """Rough advance of a character in a proportional UI font, in units of a Latin letter."""
    if _is_cjk(ch) or unicodedata.east_asian_width(ch) in "WF":
        return 1.8
    if ch.isspace():
        return 0.5
    return 1.0


def span(query: str, text: str) -> tuple[float, float] | None:
    """Where `query` lies along `text`, as fractions (start, end) of the text's rendered width; None when
    it is not a plain substring. Lets a click land on "删除" inside an OCR line read as "查看编辑删除"."""
    q = normalize(query).translate(_OCR_CHARS)
    if not q:
        return None
    chars: list[str] = []
    starts: list[float] = []
    total = 0.0
    for ch in _prepare(text):
        w = _width(ch)
        if not ch.isspace():
            chars.append(ch.translate(_OCR_CHARS))
            starts.append(total)
        total += w
    compact = "".join(chars)
    at = compact.find(q)
    if at < 0 or total <= 0:
        return None
    end = starts[at + len(q) - 1] + _width(chars[at + len(q) - 1])
    return starts[at] / total, end / total
