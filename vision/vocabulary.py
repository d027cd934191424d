"""The one target vocabulary: kind words (English and Chinese), quote pairs and their one scanner,
numerals and ordinal words.

Everything that reads or writes a target description takes its words from here: target parsing
(vision.target), the ocr backend's questions (vision.ocr.ask), model answers (vision.model_prompts),
step sentences and the dict form (agent), and the grounding bench's target writer. The one reading
order that ordinals count in is vision.geometry.reading_order.
"""

from __future__ import annotations

import re

__all__ = ["EN_KINDS", "ZH_KINDS", "EN_KIND_RE", "ZH_KIND_RE", "KIND_NAMES", "kind_of", "kind_words",
           "QUOTES", "TITLE_QUOTES", "APOSTROPHES", "scan_quotes", "UnclosedQuote", "chinese_number",
           "EN_ORDINALS", "ZH_DIGITS"]

# ---- kind words ---------------------------------------------------------------------------------

# English kind words as patterns (singular and plural), first match wins: "radio button" before "button".
EN_KINDS: tuple[tuple[str, str], ...] = (
    (r"radio\s+buttons?|radios?|option\s+buttons?", "radio"),
    (r"menu\s*items?|menu\s+entr(?:y|ies)|menu\s+options?", "menuitem"),
    (r"text\s*areas?", "textarea"),
    (r"text\s*fields?|input\s+fields?|input\s+box(?:es)?|text\s*box(?:es)?|edit\s+box(?:es)?|fields?|inputs?",
     "input"),
    (r"check\s*box(?:es)?|tick\s*box(?:es)?", "checkbox"),
    (r"drop-?\s?downs?|select\s+box(?:es)?|selects?|combo\s*box(?:es)?|pickers?", "select"),
    (r"buttons?|btns?", "button"),
    (r"hyperlinks?|links?", "link"),
    (r"tabs?", "tab"),
    (r"menus?", "menu"),
    (r"icons?", "icon"),
    (r"images?|pictures?|img|logos?|photos?", "image"),
    (r"texts?|labels?|headings?|captions?", "text"),
)
# Chinese kind words; longer words first where one ends another (单选按钮 before 按钮).
ZH_KINDS: tuple[tuple[str, str], ...] = (
    ("单选按钮", "radio"), ("单选框", "radio"), ("单选项", "radio"), ("多行文本框", "textarea"),
    ("文本域", "textarea"), ("菜单项", "menuitem"), ("输入框", "input"), ("文本框", "input"),
    ("输入栏", "input"), ("编辑框", "input"), ("复选框", "checkbox"), ("勾选框", "checkbox"),
    ("多选框", "checkbox"), ("下拉框", "select"), ("下拉菜单", "select"), ("下拉列表", "select"),
    ("选择框", "select"), ("标签页", "tab"), ("选项卡", "tab"), ("超链接", "link"), ("按钮", "button"),
    ("按键", "button"), ("链接", "link"), ("菜单", "menu"), ("图标", "icon"), ("图片", "image"),
    ("图像", "image"), ("文本", "text"), ("文字", "text"),
)
EN_KIND_RE = "|".join(f"(?:{p})" for p, _ in EN_KINDS)
ZH_KIND_RE = "|".join(w for w, _ in ZH_KINDS)
_ZH_KIND = dict(ZH_KINDS)

# kind -> (English, 中文): the word a description is written with (the grounding bench writes targets)
KIND_NAMES: dict[str, tuple[str, str]] = {
    "button": ("button", "按钮"),
    "link": ("link", "链接"),
    "input": ("field", "输入框"),
    "textarea": ("field", "输入框"),
    "checkbox": ("checkbox", "复选框"),
    "radio": ("radio", "单选框"),
    "select": ("dropdown", "下拉框"),
    "tab": ("tab", "标签页"),
    "menuitem": ("menu item", "菜单项"),
}


def kind_of(word: str) -> str | None:
    """The element kind a kind word names (`buttons` -> button, `复选框` -> checkbox), or None."""
    word = word.strip().lower()
    if word in _ZH_KIND:
        return _ZH_KIND[word]
    for pattern, kind in EN_KINDS:
        if re.fullmatch(pattern, word):
            return kind
    return None


def kind_words(kind: str) -> str:
    """One regular expression for every word (English and Chinese) that names `kind`."""
    zh = sorted((w for w, k in ZH_KINDS if k == kind), key=len, reverse=True)
    return "|".join([f"(?:{p})" for p, k in EN_KINDS if k == kind] + zh)


# ---- quotes -------------------------------------------------------------------------------------

# Quote pairs: an opener accepts any closer of its family (people mix “ and ").
_DOUBLE, _SINGLE = '"“”＂', "'‘’"
QUOTES: dict[str, str] = {**{c: _DOUBLE for c in _DOUBLE}, **{c: _SINGLE for c in _SINGLE},
                          "「": "」", "『": "』"}
TITLE_QUOTES = {"《": "》"}  # a title's brackets: quotes in a target, plain text in a typed value
APOSTROPHES = _SINGLE
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


class UnclosedQuote(ValueError):
    """A quote that opens and never closes (scan_quotes with strict=True)."""


def scan_quotes(text: str, *, strict: bool = False, titles: bool = False,
                limit: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each quoted span, quotes included: the one scanner for targets and sentences.

    An apostrophe inside an English word ("Don't", "Bob's") neither opens nor closes. A quote left
    open is text, or UnclosedQuote with `strict`. `titles` counts 《…》 as quotes too.
    """
    pairs = {**QUOTES, **TITLE_QUOTES} if titles else QUOTES
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        closers = pairs.get(ch)
        if closers is None or (ch in APOSTROPHES and i and _ASCII_WORD.match(text[i - 1])) \
                or (limit is not None and len(spans) >= limit):
            i += 1
            continue
        j = i + 1
        while j < len(text) and not (text[j] in closers and not (
                ch in APOSTROPHES and j + 1 < len(text) and _ASCII_WORD.match(text[j + 1]))):
            j += 1
        if j >= len(text):
            if strict and ch not in APOSTROPHES:  # a lone apostrophe is just a letter
                raise UnclosedQuote(f"the quote {ch} at character {i + 1} is not closed")
            i += 1
            continue
        spans.append((i, j + 1))
        i = j + 1
    return spans


# ---- numerals and ordinals ----------------------------------------------------------------------

EN_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
               "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12}
ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}


def chinese_number(s: str) -> int:
    """Arabic digits or Chinese numerals up to 999 (三, 十二, 二十, 一百零五); ValueError otherwise."""
    if s.isdigit():
        return int(s)
    total, cur = 0, 0
    for ch in s:
        if ch in ZH_DIGITS:
            cur = ZH_DIGITS[ch]
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
        else:
            raise ValueError(f"not a number: {s!r}")
    return total + cur
