"""Box geometry for grounding: rows and reading order, relations to an anchor, and label ownership.

All boxes are (x0, y0, x1, y1) in one image's pixels. Two boxes share a row when their vertical
centres lie within half the taller one's height; a row is every box linked so to another of it;
reading order is rows top to bottom, each left to right. `relation_fit` ranks how well a candidate
sits below / above / left of / right of / near / inside an anchor. `field_for_label` and
`box_for_caption` find the widget a piece of text names: the field right of or below a label, the
checkbox or radio beside its caption.

`wrapped_names` joins a name wrapped onto two lines ("Alexander" over "Pierce" in a narrow column): two
items of one kind and size, the second right under the first (a gap of at most about a line's height)
sharing a left edge, centre or right edge (a smaller subtitle under a label counts), that read as the
quoted text together but not apart. The joined box is the union; a click aims at the first line.
`wrapped_names` also joins two pieces of one name that OCR read apart on one line (a brand "ZUI" and its
smaller version tag "1.10.0" beside it; an icon's gap inside a phrase; a form label and its prefix,
"手机号" "+86"): two texts or links, the second a short gap right of the first, overlapping in height, that
read as the quoted text together, when no line on screen reads as it whole (a pager's buttons "1" and
"3" are not its "13"). A click then aims at the middle of both.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence

from vision.textmatch import MATCH_THRESHOLD, SAME_TEXT, normalize, similarity
from vision.types import Box, Element

__all__ = ["center", "contains", "reading_indices", "reading_order", "relation_fit", "field_for_label",
           "box_for_caption", "link_rows", "body_height", "same_row", "wrapped_names"]


def center(b: Box) -> tuple[float, float]:
    return ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)


def _h(b: Box) -> int:
    return max(1, b[3] - b[1])


def _gap(a: Box, b: Box) -> tuple[float, float]:
    dx = max(0, b[0] - a[2], a[0] - b[2])
    dy = max(0, b[1] - a[3], a[1] - b[3])
    return dx, dy


def _distance(a: Box, b: Box) -> float:
    """Edge-to-edge distance, plus a little centre distance so that ties break the same way."""
    dx, dy = _gap(a, b)
    (ax, ay), (bx, by) = center(a), center(b)
    return math.hypot(dx, dy) + 0.01 * math.hypot(ax - bx, ay - by)


def _h_overlap(a: Box, b: Box) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0])


def same_row(a: Box, b: Box) -> bool:
    """Vertical centres within half the taller height (SCENARIO_FORMAT's rule for ordinals)."""
    return abs(center(a)[1] - center(b)[1]) <= max(_h(a), _h(b)) / 2


_same_row = same_row


def contains(outer: Box, point: tuple[float, float]) -> bool:
    return outer[0] <= point[0] <= outer[2] and outer[1] <= point[1] <= outer[3]


def reading_indices(elements: Sequence[Element]) -> list[int]:
    by_y = sorted(range(len(elements)), key=lambda i: (center(elements[i].box)[1], elements[i].box[0], i))
    rows: list[list[int]] = []
    for i in by_y:
        # share a row with any element of the row so far whose vertical centre lies within half a height:
        # buttons of mixed sizes aligned by their tops are one row, though the first and last differ more
        if rows and any(_same_row(elements[j].box, elements[i].box) for j in rows[-1]):
            rows[-1].append(i)
        else:
            rows.append([i])
    return [i for row in rows for i in sorted(row, key=lambda j: (elements[j].box[0], elements[j].box[1], j))]


def reading_order(elements: Sequence[Element]) -> list[Element]:
    """Top to bottom; elements whose vertical centres lie within half a height share a row, left to right."""
    return [elements[i] for i in reading_indices(elements)]


def relation_fit(rel: str, c: Box, a: Box) -> tuple[int, float] | None:
    """(geometric rank, distance) of candidate box c for relation rel to anchor box a; None: does not fit."""
    (acx, acy), (ccx, ccy) = center(a), center(c)
    if rel in ("below", "above"):
        if (rel == "below" and c[1] < acy) or (rel == "above" and c[3] > acy):
            return None
        return (1 if _h_overlap(a, c) else 0), _distance(a, c)
    if rel in ("right_of", "left_of"):
        if (rel == "right_of" and c[0] < acx) or (rel == "left_of" and c[2] > acx):
            return None
        return (1 if _same_row(a, c) else 0), _distance(a, c)
    if rel == "near":
        return 1, _distance(a, c)
    if rel == "inside":
        if contains(a, (ccx, ccy)):
            return 2, math.hypot(ccx - acx, ccy - acy)
        if _same_row(a, c):  # "in 'Row 2'": the anchor is a cell's text, the row is what is meant
            return 1, _distance(a, c)
        if c[1] >= acy:  # "在'用户列表'中": the anchor is a heading, the section lies below it
            return 0, _distance(a, c)
        return None
    raise ValueError(f"unknown relation {rel!r}")


def field_for_label(lab: Element, elements: Sequence[Element], kinds: set[str],
                    width: int | None) -> tuple[int, float] | None:
    """The field a label text names: one holding it (placeholder), right of it, or below it."""
    best: tuple[float, int] | None = None
    max_right = 0.3 * width if width else 400
    max_down = max(4 * _h(lab.box), 60)
    lc = center(lab.box)
    for j, f in enumerate(elements):
        if f.kind not in kinds:
            continue
        dx, dy = _gap(lab.box, f.box)
        if contains(f.box, lc):
            d = 0.0
        elif _same_row(lab.box, f.box) and f.box[0] >= lc[0] and dx <= max_right:
            d = dx
        elif f.box[1] >= lc[1] and dy <= max_down and (_h_overlap(lab.box, f.box) or dx <= 40):
            d = dy + dx
        else:
            continue
        if f.label and d and similarity(f.label, lab.text) < MATCH_THRESHOLD:  # (text inside it is its placeholder)
            if _owned_elsewhere(f, d, elements):
                continue  # its own label is right there: this text names something else
            d += max_down  # labelled otherwise (perhaps by its placeholder): only if nothing else is there
        if best is None or (d, j) < best:
            best = (d, j)
    return (best[1], best[0]) if best else None


def _owned_elsewhere(f: Element, d: float, elements: Sequence[Element]) -> bool:
    """Does some text outside field f read as f's label and sit closer to f than distance d?"""
    for e in elements:
        if e.kind == "text" and not contains(f.box, center(e.box)) \
                and similarity(f.label, e.text) >= SAME_TEXT and math.hypot(*_gap(e.box, f.box)) < d:
            return True
    return False


def _boxlike(b: Box, cap: Box) -> bool:
    """Small and about square: what a checkbox or radio seen as an icon looks like."""
    w, h = b[2] - b[0], _h(b)
    return w <= max(2 * _h(cap), 32) and h <= max(2 * _h(cap), 32) and 0.6 <= w / h <= 1.6


def box_for_caption(cap: Element, elements: Sequence[Element], kinds: set[str]) -> int | None:
    """The checkbox/radio a caption belongs to: left of it in its row (else right of it). A small square
    icon counts too (detectors often see a custom checkbox as one); one labelled otherwise does not."""
    best: tuple[float, int] | None = None
    reach = max(3 * _h(cap.box), 40)
    for j, b in enumerate(elements):
        if b is cap or not (b.kind in kinds or (b.kind == "icon" and _boxlike(b.box, cap.box))):
            continue
        if b.label and similarity(b.label, cap.text) < MATCH_THRESHOLD:
            continue
        if contains(b.box, center(cap.box)):
            d = 0.0
        elif not _same_row(cap.box, b.box):
            continue
        elif b.box[2] <= cap.box[0] + 4 and cap.box[0] - b.box[2] <= reach:
            d = cap.box[0] - b.box[2]
        elif b.box[0] >= cap.box[2] - 4 and b.box[0] - cap.box[2] <= reach:
            d = b.box[0] - cap.box[2] + reach  # boxes on the right are the rarer layout
        elif b.box[0] >= cap.box[2] and b.kind in kinds and not _between(cap.box, b.box, elements):
            d = b.box[0] - cap.box[2] + 2 * reach  # a settings row: caption left, its switch at the row's end
        else:
            continue
        if b.kind not in kinds:
            d += 2  # an icon only where no real box is as close
        if best is None or (d, j) < best:
            best = (d, j)
    return best[1] if best else None


def _between(cap: Box, b: Box, elements: Sequence[Element]) -> bool:
    """Is a box far right of a caption not the end of the caption's row: something stands between them
    (the box is that thing's) or follows it (a box captioned on its right, in a second column)?"""
    return any(e.box != b and _same_row(cap, e.box) and e.box[0] >= cap[2] - 2
               and (e.box[2] <= b[0] + 2 or e.box[0] >= b[2] - 2) for e in elements)


def _short_item(e: Element) -> bool:
    text = e.text.strip()
    return e.kind == "text" and 0 < len(text) <= 24 and len(text.split()) <= 3 and not text.endswith((".", "。"))


def link_rows(elements: Sequence[Element]) -> set[int]:
    """Indices of plain text items that sit in a row of three or more short items of one size, a steady
    step apart, further apart than words are (a nav bar or footer of links in body colour): a person
    takes each for a link. A sentence's words and a table row's scattered cells do not qualify."""
    short = [i for i, e in enumerate(elements) if _short_item(e) or e.kind in ("link", "menuitem")]
    out: set[int] = set()
    for i in short:
        if i in out or elements[i].kind != "text":
            continue
        a = elements[i].box
        row = sorted((j for j in short if _same_row(a, elements[j].box)
                      and 0.7 <= _h(elements[j].box) / _h(a) <= 1.4), key=lambda j: elements[j].box[0])
        # The run of items holding i whose gaps are all within a steady band (the brand or an account
        # menu far off is another cluster).
        at = row.index(i)
        gaps = [elements[row[k + 1]].box[0] - elements[row[k]].box[2] for k in range(len(row) - 1)]
        lo = hi = at
        while lo > 0 and 0.5 * _h(a) <= gaps[lo - 1] <= 6 * _h(a):
            lo -= 1
        while hi < len(gaps) and 0.5 * _h(a) <= gaps[hi] <= 6 * _h(a):
            hi += 1
        run, steps = row[lo:hi + 1], gaps[lo:hi]
        if len(run) >= 3 and max(steps) <= 2.5 * min(steps):
            # a breadcrumb's plain end after a trail of links is the page one is on, not a link to it
            crumb = all(elements[j].kind == "link" for j in run[:-1])
            out.update(j for j in (run[:-1] if crumb else run) if elements[j].kind == "text")
    return out


def body_height(elements: Sequence[Element]) -> float:
    """The median height of plain text items: the page's body text, the yardstick for headings."""
    hs = sorted(_h(e.box) for e in elements if e.kind in ("text", "link") and len(e.text.strip()) >= 2)
    return float(hs[len(hs) // 2]) if hs else 0.0


_JOINABLE = ("text", "link", "button", "menuitem", "tab")


def _stacked(a: Box, b: Box) -> bool:
    """Is b the next line of a wrapped text whose first line is a?"""
    ha, hb = _h(a), _h(b)
    if not 0.6 <= hb / ha <= 1.33:  # (a form label's smaller subtitle under it: "联系电话" over "副标题")
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
        below = []
        for b in lines[lo:]:
            if b.box[1] > a.box[3] + 1.25 * 1.33 * _h(a.box):
                break
            below.append(b)
        for b in below:
            if b is a or b.kind != a.kind or not _stacked(a.box, b.box):
                continue
            joined = f"{a.text} {b.text}"
            for q in wanted:
                if similarity(q, joined) >= SAME_TEXT and similarity(q, a.text) < SAME_TEXT \
                        and similarity(q, b.text) < SAME_TEXT:
                    box = (min(a.box[0], b.box[0]), min(a.box[1], b.box[1]), max(a.box[2], b.box[2]),
                           max(a.box[3], b.box[3]))
                    out.append((Element(a.kind, joined, box, min(a.score, b.score), a.id,
                                        disabled=a.disabled, covered=a.covered), a.box))
                    break
    return out + _pieces_side_by_side(wanted, lines)


def _beside(a: Box, b: Box) -> bool:
    """Is b the next piece of a's line: starting a short gap right of a, their heights overlapping (a
    smaller tag may sit low, on a's baseline)?"""
    ha, hb = _h(a), _h(b)
    if not 0.5 <= hb / ha <= 2:
        return False
    # (a label's prefix sits up to about two glyphs away: "手机号"  "+86")
    return 0 <= b[0] - a[2] <= 4 * max(ha, hb) and min(a[3], b[3]) - max(a[1], b[1]) >= -0.3 * min(ha, hb)


def _pieces_side_by_side(wanted: list[str], lines: list[Element]) -> list[tuple[Element, Box]]:
    """(joined element, its box) for every two pieces of one line that read as one of `wanted` together
    but neither alone does (see the module's doc)."""
    out: list[tuple[Element, Box]] = []
    words = [e for e in lines if e.kind in ("text", "link")]  # two boxed controls side by side are two
    for q in wanted:
        if any(similarity(q, e.text) >= SAME_TEXT for e in lines):
            continue  # the name is on screen whole: pieces of other lines are not it (pager "1" "3" is no "13")
        chars = set(normalize(q))
        # only pieces made mostly of the quoted text's characters can be part of it
        parts = [e for e in words if (n := normalize(e.text)) and 2 * sum(c in chars for c in n) >= len(n)]
        for a in parts:
            for b in parts:
                if b is a or b.kind != a.kind or not _beside(a.box, b.box):
                    continue
                joined = f"{a.text} {b.text}"
                if similarity(q, joined) >= SAME_TEXT and similarity(q, a.text) < SAME_TEXT \
                        and similarity(q, b.text) < SAME_TEXT:
                    box = (a.box[0], min(a.box[1], b.box[1]), b.box[2], max(a.box[3], b.box[3]))
                    out.append((Element(a.kind, joined, box, min(a.score, b.score), a.id,
                                        disabled=a.disabled, covered=a.covered), box))
    return out
