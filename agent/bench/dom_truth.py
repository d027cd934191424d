"""Ground truth for `pagesight bench grounding`: the named, clickable things a person sees on a page.

One `page.evaluate` walks the DOM (and same-origin iframes) and returns every button, link, labelled
field, checkbox, radio, select, tab and menu item that is rendered, inside the viewport and not covered
by something else, with the name a person reads on screen and its CSS boxes. Python then drops what a
person could not name by its text (icon-only controls, names only a screen reader hears) and turns each
element into the target sentence a person would write (`"Sign in" button`, `第二个 "删除" 按钮`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vision.vocabulary import EN_ORDINALS, KIND_NAMES

__all__ = ["TruthElement", "PageTruth", "TruthTarget", "collect_truth", "truth_from_raw", "clean_name",
           "has_cjk", "reading_order", "describe_targets", "KIND_WORDS"]

# The whole extraction, run once per page (CSS pixels of the top-level viewport); JavaScript in its own file.
TRUTH_JS = (Path(__file__).with_name("truth.js")).read_text(encoding="utf-8")

KIND_WORDS = KIND_NAMES  # kind -> (English, 中文): the target vocabulary's words (vision.vocabulary)
INK_SHARE = 0.65  # a word's ink (cap height) over its DOM text box (the font's ascent + descent)
MAX_NAME = 60  # longer names are paragraphs (a whole card made clickable), not what a person quotes

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]")
_DECOR = re.compile(r"^[\W_]+$")  # a token of symbols only (▾, ›, +, ×, →)
_EN_ORD = tuple(EN_ORDINALS)[:10]  # the ordinal words the target language reads
_ZH_NUM = "一二三四五六七八九十"


@dataclass(frozen=True)
class TruthElement:
    """One named element: `rects` are the CSS boxes a click may land on (a checkbox and its label)."""

    kind: str
    name: str
    rects: tuple[tuple[float, float, float, float], ...]
    disabled: bool = False
    source: str = "text"  # where the name came from: text, label, form label, placeholder, value
    frame: bool = False
    text_box: tuple[float, float, float, float] | None = None  # the name's words on screen, when its own text

    @property
    def reading_box(self) -> tuple[float, float, float, float]:
        """The box ordinals count by: the line of the name a person reads, else the element's box."""
        return self.text_box or self.box

    @property
    def box(self) -> tuple[float, float, float, float]:
        xs1, ys1, xs2, ys2 = zip(*self.rects, strict=True)
        return (min(xs1), min(ys1), max(xs2), max(ys2))


@dataclass
class PageTruth:
    url: str
    lang: str
    elements: list[TruthElement]
    skipped: dict[str, int] = field(default_factory=dict)
    icon_only: list[TruthElement] = field(default_factory=list)  # controls with no visible text: listed, not measured

    @property
    def chinese(self) -> bool:
        """A Chinese page: declared so, or most of its names are Chinese."""
        if self.lang.lower().startswith("zh"):
            return True
        return sum(has_cjk(e.name) for e in self.elements) * 2 > len(self.elements) > 0


@dataclass(frozen=True)
class TruthTarget:
    element: TruthElement
    query: str
    chinese: bool
    ordinal: int = 0  # 0: the name is unique for its kind word on the screen


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def clean_name(raw: str) -> str:
    """The name as a person would quote it: spaces collapsed, decoration tokens (▾, +, ›) dropped."""
    # Spaces between Chinese characters are letter spacing (Ant Design writes "提 交"), not word breaks.
    text = re.sub(rf"(?<={_CJK.pattern})\s+(?={_CJK.pattern})", "", unicodedata.normalize("NFC", raw or ""))
    tokens = text.split()
    while tokens and _DECOR.match(tokens[-1]):
        tokens.pop()
    while tokens and _DECOR.match(tokens[0]):
        tokens.pop(0)
    return " ".join(tokens)


def truth_from_raw(raw: dict[str, Any]) -> PageTruth:
    """Python's half of the extraction: keep the elements a person can name by their text."""
    skipped = Counter(raw.get("skipped", {}))
    elements, icon_only = [], []
    for item in raw.get("items", []):
        name = clean_name(item["name"])
        rects = tuple(tuple(float(v) for v in r) for r in item["rects"])
        if item["source"] == "several texts":
            skipped["several separate texts (a list row, a card)"] += 1
            continue
        if not name and item["kind"] not in ("input", "textarea", "select"):
            icon_only.append(TruthElement(item["kind"], "", rects, bool(item["disabled"]), item["source"],  # type: ignore[arg-type]
                                          bool(item.get("frame"))))
        if not name:
            skipped["aria-label only (no visible name)" if item["source"] == "aria-label only"
                    else "no text (icon-only or unlabelled)"] += 1
        elif len(name) > MAX_NAME:
            skipped[f"name longer than {MAX_NAME} characters"] += 1
        else:
            text_box = tuple(float(v) for v in item["text"]) if item.get("text") else None
            elements.append(TruthElement(item["kind"], name, rects, bool(item["disabled"]),  # type: ignore[arg-type]
                                         item["source"], bool(item.get("frame")), text_box))  # type: ignore[arg-type]
    return PageTruth(raw.get("url", ""), raw.get("lang", ""), elements, dict(skipped), icon_only)


def collect_truth(page: Any) -> PageTruth:
    """The page's ground truth, read in one `page.evaluate` (Playwright sync Page)."""
    return truth_from_raw(page.evaluate(TRUTH_JS))


def reading_order(boxes: list[tuple[float, float, float, float]], lines: list[bool] | None = None) -> list[int]:
    """Indices of `boxes` in the reading order ordinals count in: the grounding's own function
    (vision.ordinals.in_reading_order: rows of boxes whose vertical centres lie within half a height,
    formed among these boxes alone, top to bottom, each left to right). The boxes are the lines of the
    names (TruthElement.reading_box), which is what the vision reads. A box of words (`lines[i]`) goes in
    as the ink OCR would box, about the middle two thirds of the DOM's text box (its font's ascent and
    descent), which the function grows to a line as it does OCR's words; a control's box goes in as is."""
    from vision.ordinals import in_reading_order
    from vision.types import Element

    def ink(b: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        mid, half = (b[1] + b[3]) / 2, (b[3] - b[1]) * INK_SHARE / 2
        return (b[0], mid - half, b[2], mid + half)

    shown = [ink(b) if lines and lines[i] else b for i, b in enumerate(boxes)]
    elements = [Element("text" if lines and lines[i] else "button", "",
                        (round(b[0]), round(b[1]), round(b[2]), round(b[3])), id=i) for i, b in enumerate(shown)]
    return in_reading_order(range(len(elements)), elements)


def _key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def _ordinal(n: int, chinese: bool) -> str:
    if chinese:
        return f"第{_ZH_NUM[n - 1]}个" if n <= 10 else f"第{n}个"
    if n <= len(_EN_ORD):
        return f"the {_EN_ORD[n - 1]}"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"the {n}{suffix}"


def describe(name: str, kind: str, chinese: bool, ordinal: int = 0) -> str:
    """`"Sign in" button`, `the second "Delete" button`, `第二个 "删除" 按钮`."""
    quoted = f"「{name}」" if '"' in name else f'"{name}"'
    text = f"{quoted} {KIND_WORDS[kind][1 if chinese else 0]}"
    return f"{_ordinal(ordinal, chinese)} {text}" if ordinal else text


def describe_targets(truth: PageTruth) -> list[TruthTarget]:
    """One target per element, with an ordinal where the same (name, kind word) occurs more than once."""
    targets: list[TruthTarget | None] = [None] * len(truth.elements)
    groups: dict[tuple[str, str], list[int]] = {}
    for i, e in enumerate(truth.elements):
        groups.setdefault((_key(e.name), KIND_WORDS[e.kind][0]), []).append(i)
    zh_page = truth.lang.lower().startswith("zh")
    for members in groups.values():
        ranked = [members[j] for j in reading_order([truth.elements[i].reading_box for i in members],
                                                    [truth.elements[i].text_box is not None for i in members])]
        for n, i in enumerate(ranked, 1):
            e = truth.elements[i]
            chinese = zh_page or has_cjk(e.name)
            ordinal = n if len(ranked) > 1 else 0
            targets[i] = TruthTarget(e, describe(e.name, e.kind, chinese, ordinal), chinese, ordinal)
    return [t for t in targets if t is not None]
