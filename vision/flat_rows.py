"""A row of flat controls that OCR read as one line: "Link Button Input Disabled".

Text-style buttons and links (no box, no padding) stand a word space apart, so OCR reads the row as one
line of words, and grounding sees one text where a person sees four controls: `the second "Button"
button` then counts one control short. A line is such a row when each of its words is, on its own, the
text of a control elsewhere on the same screen (a page's flat "Button" beside its boxed "Button"s; a
footer's "Home Features Pricing" under the navbar's links): then each word is offered as a text of its
own, its box the word's share of the line. A sentence that merely mentions a control has words no
control carries; a heading is too tall to be one of the row.

Chinese has no spaces between words: a footer's "底部链接 | 底部链接", its thin bar dropped, reads as one
link "底部链接底部链接". Such a line is split where it is the names of controls elsewhere on the screen
written end to end, and nothing else (two or more of them, each piece a whole name).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from vision.geometry import body_height
from vision.textmatch import is_cjk, normalize
from vision.types import Element

__all__ = ["split_flat_rows"]

CONTROL_KINDS = ("button", "link", "tab", "menuitem", "menu", "checkbox", "radio")
MAX_WORDS = 6
MAX_WORD = 16  # characters: a control's caption, not a sentence's clause


def _advance(ch: str) -> float:
    """Rough advance of a character in a proportional UI font, in units of a Latin letter."""
    if unicodedata.east_asian_width(ch) in "WF":
        return 1.8
    return 0.5 if ch.isspace() else 1.0


def _word_boxes(e: Element, words: list[str], sep: str = " ") -> list[tuple[int, int, int, int]]:
    """Each word's share of the line's box, by the widths of its characters."""
    text = sep.join(words)
    total = sum(_advance(ch) for ch in text) or 1.0
    x0, y0, x1, y1 = e.box
    scale = (x1 - x0) / total
    out, pos = [], 0.0
    for w in words:
        width = sum(_advance(ch) for ch in w)
        out.append((round(x0 + pos * scale), y0, round(x0 + (pos + width) * scale), y1))
        pos += width + sum(_advance(ch) for ch in sep)
    return out


def _run_of_names(text: str, names: set[str]) -> list[str]:
    """`text` (Chinese, no spaces) cut into two or more whole names, the longest name first at each
    place; [] when it is not such a run."""
    out, at = [], 0
    while at < len(text):
        ends = [end for end in range(len(text), at, -1) if normalize(text[at:end]) in names
                and end - at < len(text)]  # (the line's own text is a name too: it is a link)
        if not ends:
            return []
        out.append(text[at:ends[0]])
        at = ends[0]
    return out if 2 <= len(out) <= MAX_WORDS else []


def split_flat_rows(elements: Sequence[Element]) -> list[Element]:
    """The words of every line that is a row of flat controls, as texts of their own (new elements)."""
    names = {normalize(e.text) for e in elements if e.kind in CONTROL_KINDS and e.text}
    if not names:
        return []
    body = body_height(elements)
    out: list[Element] = []
    for e in elements:
        if e.kind not in ("text", "link") or not e.text or e.label:
            continue
        words = e.text.split()
        if len(words) == 1 and any(is_cjk(ch) for ch in e.text):
            run = _run_of_names(e.text, names)
            for w, box in zip(run, _word_boxes(e, run, sep=""), strict=True):
                out.append(Element(e.kind, w, box, e.score, e.id, disabled=e.disabled, covered=e.covered))
            continue
        if e.kind != "text":
            continue
        if not 2 <= len(words) <= MAX_WORDS or any(len(w) > MAX_WORD for w in words):
            continue
        if body and e.box[3] - e.box[1] >= 1.6 * body:
            continue  # a heading, not a row of controls
        if not all(normalize(w) in names for w in words):
            continue
        for w, box in zip(words, _word_boxes(e, words), strict=True):
            out.append(Element("text", w, box, e.score, e.id, disabled=e.disabled, covered=e.covered))
    return out
