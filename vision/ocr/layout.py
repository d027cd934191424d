"""Page-level patterns among free text items: tab rows, menus (vertical lists in a panel, nav bars),
and reading order.

- tab: a row of short items where one has a thin bar right under it spanning about its width (the
  active tab's indicator); the row is the items on the same line, evenly spaced, around that one.
- menuitem: short items stacked in one left-aligned column inside a narrow panel (a dropdown, a
  sidebar) with nothing but text in it; or a row of three or more short items in a bar at the top of the
  page (a nav bar). Link-coloured items in a nav bar stay links.
- reading order (element ids): vision.geometry's, the one ordinals count in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from vision.geometry import reading_order as geometry_order
from vision.ocr.widgets import Shape, distance, underline_below
from vision.types import Element

if TYPE_CHECKING:
    from vision.ocr.items import Item

__all__ = ["mark_tabs", "mark_menus", "reading_order"]

CONTROLS = {"button", "input", "textarea", "select", "checkbox", "radio"}


def _short(text: str, limit: int = 24) -> bool:
    return 0 < len(text) <= limit and len(text.split()) <= 4


def _row_of(item: Item, items: Sequence[Item], unit: float) -> list[Item]:
    """Short items on the same text line as `item` (itself included), left to right."""
    row = [it for it in items if _short(it.text) and abs(it.cy - item.cy) <= 0.4 * unit
           and 0.6 <= it.height / max(1, item.height) <= 1.7]
    return sorted(row, key=lambda it: it.box[0])


def _written(item: Item) -> bool:
    return any(c.isalnum() for c in item.text)


def mark_tabs(rgb: np.ndarray, free: list[Item], unit: float) -> None:
    # Only writing makes a tab: a mark OCR read as "[✓]" or "•" has its own bottom edge under it, and
    # must not turn the caption beside it into a row of tabs.
    for item in free:
        if item.kind == "tab" or not _short(item.text) or not _written(item) \
                or not underline_below(rgb, item.box, unit):
            continue
        row = [it for it in _row_of(item, free, unit) if _written(it)]
        at = row.index(item)
        gaps = [row[i + 1].box[0] - row[i].box[2] for i in range(len(row) - 1)]
        near = [g for g in gaps[max(0, at - 1):at + 1] if g > 0]
        if not near:
            continue
        limit = min(3.5 * unit, 1.3 * min(near))
        lo = at
        while lo > 0 and 0 < gaps[lo - 1] <= limit:
            lo -= 1
        hi = at
        while hi < len(gaps) and 0 < gaps[hi] <= limit:
            hi += 1
        if hi > lo:
            for it in row[lo:hi + 1]:
                it.kind = "tab"


def _column(items: list[Item], unit: float) -> list[Item]:
    """The largest set of items sharing a left edge, one per line, stacked at a steady pitch."""
    best: list[Item] = []
    for anchor in items:
        # (sub-menu entries are indented a little)
        col = sorted((it for it in items if abs(it.box[0] - anchor.box[0]) <= 1.6 * unit),
                     key=lambda it: it.box[1])
        if len(col) < 3:
            continue
        sizes = sorted(it.line_height for it in col)
        med = sizes[len(sizes) // 2]
        col = [it for it in col if 0.75 * med <= it.line_height <= 1.33 * med]
        pitches = [b.cy - a.cy for a, b in zip(col, col[1:], strict=False)]
        # Menu entries are padded rows (pitch about 2-3.5 font sizes); wrapped lines of a paragraph are
        # closer, cards' blocks farther apart and irregular. (A divider may widen one step.)
        if len(col) >= 3 and all(1.8 * unit <= p <= 4.5 * unit for p in pitches) \
                and max(pitches) <= 1.8 * min(pitches) and len(col) > len(best):
            best = col
    return best


def mark_menus(free: list[Item], panels: list[Shape], elements: list[Element], unit: float,
               width: int, height: int) -> None:
    # Vertical menus: dropdown panels and sidebars hold a column of short items and no controls.
    tol = max(3, int(0.3 * unit))
    cells = {p.box for p in panels for o in panels if o is not p and abs(o.box[1] - p.box[1]) <= tol
             and abs(o.box[3] - p.box[3]) <= tol and (abs(o.box[0] - p.box[2]) <= tol or abs(o.box[2] - p.box[0]) <= tol)}
    # (table cells sit side by side; a column of them is not a menu)
    for px1, py1, px2, py2 in _merge_bands([p.box for p in panels if p.box not in cells], tol):
        if px2 - px1 > 0.45 * width or py2 - py1 < 3 * unit:
            continue
        inside = [it for it in free if px1 <= it.box[0] and it.box[2] <= px2 and py1 <= it.box[1]
                  and it.box[3] <= py2 and it.kind in ("text", "link")]
        if len(inside) < 3 or any(e.kind in CONTROLS and px1 <= e.center[0] <= px2 and py1 <= e.center[1] <= py2
                                  for e in elements):
            continue
        if any(not _short(it.text, 30) for it in inside):
            continue  # paragraphs: a card of content, not a menu
        col = _column(inside, unit)
        if len(col) >= 3 and len(col) >= 0.6 * len(inside):
            for it in col:
                it.kind = "menuitem"
    # Nav bars: a row of short items in a band across the top, or in a full-width bar of its own colour.
    bars = [p for p in panels if p.width >= 0.6 * width and p.height <= 5 * unit and p.box[1] <= 0.25 * height
            and distance(p.fill, p.outside) > 24]
    for item in free:
        if item.kind not in ("text", "link") or not _short(item.text, 20) or item.extra.get("crumb"):
            continue  # (a breadcrumb is not a nav bar)
        in_bar = any(b.box[1] <= item.box[1] and item.box[3] <= b.box[3] for b in bars)
        if not (in_bar or item.box[3] <= 0.12 * height):
            continue
        row = [it for it in _row_of(item, free, unit) if it.kind in ("text", "link", "menuitem")
               and not it.extra.get("crumb")]
        # The row's clusters (a nav's entries are a steady step apart; the brand and the account links
        # sit far off): the cluster holding this item counts if it has three or more entries.
        cluster: list[Item] = []
        for it in row:
            if cluster and it.box[0] - cluster[-1].box[2] > 6 * unit:
                if item in cluster:
                    break
                cluster = []
            cluster.append(it)
        gaps = [b.box[0] - a.box[2] for a, b in zip(cluster, cluster[1:], strict=False)]
        if len(cluster) >= 3 and all(0.8 * unit <= g for g in gaps):
            for it in cluster:
                if it.kind == "text" and len(it.text) >= 2:
                    it.kind = "menuitem"


def _merge_bands(boxes: list[tuple[int, int, int, int]], tol: int) -> list[tuple[int, int, int, int]]:
    """Boxes plus the unions of boxes stacked edge to edge at the same width (a sidebar whose active
    entry's highlight cuts it into bands), smallest first."""
    out = set(boxes)
    for box in boxes:
        x1, y1, x2, y2 = box
        grown = True
        while grown:
            grown = False
            for o in boxes:
                if abs(o[0] - x1) <= tol and abs(o[2] - x2) <= tol and (abs(o[1] - y2) <= tol and o[3] > y2
                                                                         or abs(o[3] - y1) <= tol and o[1] < y1):
                    y1, y2 = min(y1, o[1]), max(y2, o[3])
                    grown = True
        out.add((x1, y1, x2, y2))
    return sorted(out, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))


def reading_order(elements: list[Element]) -> list[Element]:
    """Top to bottom; left to right within a row: the one reading order grounding counts ordinals in."""
    return geometry_order(elements)
