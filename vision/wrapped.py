"""Text that wraps onto two lines: one name, two OCR lines.

A link or button in a narrow column ("Alexander" over "Pierce" in a mail list) reads to OCR as two
items, neither of which is the name a person quotes. Two items are one wrapped name when the second
sits right under the first (a gap of at most about a line's height), they share a left edge, a centre or a right
edge, are of one kind and about one size, and together - not apart - read as the quoted text. The
joined element's box is the union; a click aims at its first line (the union's middle may fall
between the lines).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence

from vision.textmatch import SAME_TEXT, similarity
from vision.types import Box, Element

__all__ = ["wrapped_names"]

_JOINABLE = ("text", "link", "button", "menuitem", "tab")


def _h(b: Box) -> int:
    return max(1, b[3] - b[1])


def _stacked(a: Box, b: Box) -> bool:
    """Is b the next line of a wrapped text whose first line is a?"""
    ha, hb = _h(a), _h(b)
    if not 0.75 <= hb / ha <= 1.33:
        return False
    gap = b[1] - a[3]
    if not -0.2 * ha <= gap <= 1.25 * max(ha, hb):  # line-height 1.5-2: a gap of 0.5-1 glyph height
        return False
    tol = 0.5 * max(ha, hb)
    return (abs(a[0] - b[0]) <= tol or abs((a[0] + a[2]) - (b[0] + b[2])) / 2 <= tol
            or abs(a[2] - b[2]) <= tol)


def wrapped_names(texts: Iterable[str], elements: Sequence[Element]) -> list[tuple[Element, Box]]:
    """(joined element, its first line's box) for every pair of stacked lines that reads as one of `texts`
    while neither line alone does."""
    wanted = [t for t in dict.fromkeys(texts) if t and t.strip()]
    if not wanted:
        return []
    lines = sorted((e for e in elements if e.kind in _JOINABLE and e.text and not e.label),
                   key=lambda e: e.box[1])
    tops = [e.box[1] for e in lines]
    out: list[tuple[Element, Box]] = []
    for a in lines:
        lo = bisect_left(tops, a.box[3] - 0.2 * _h(a.box))
        for b in lines[lo:]:
            if b.box[1] > a.box[3] + 1.25 * 1.33 * _h(a.box):
                break
            if b is a or b.kind != a.kind or not _stacked(a.box, b.box):
                continue
            joined = f"{a.text} {b.text}"
            for q in wanted:
                if similarity(q, joined) >= SAME_TEXT and similarity(q, a.text) < SAME_TEXT \
                        and similarity(q, b.text) < SAME_TEXT:
                    box = (min(a.box[0], b.box[0]), a.box[1], max(a.box[2], b.box[2]), b.box[3])
                    out.append((Element(a.kind, joined, box, min(a.score, b.score), a.id,
                                        disabled=a.disabled, covered=a.covered), a.box))
                    break
    return out
