"""Page numbers OCR passes over in a bare pager ("‹ 1 … 4 5 6 7 8 9 10 … 20 ›" with no boxes round them).

Page-wide OCR reads some of a row of lone digits and skips others ("1", "4" beside "6", "9", "10"). Where
three or more numbers sit in one row, the glyphs in that row's band that no text item covers are read
again on their own (fields.reread, one batch); a number read there is a page number like its
neighbours. Only numbers are kept: an icon in the band reads as a letter, not a number. Cost: nothing
on a screen with no such row; one small recogniser batch per row otherwise.
"""

from __future__ import annotations

import numpy as np

from vision.ocr.fields import reread
from vision.ocr.items import Item, colours
from vision.types import Box

__all__ = ["pager_numbers"]

MAX_PER_ROW = 16


def _number(it: Item) -> bool:
    t = it.text.strip()
    return not it.used and 0 < len(t) <= 3 and t.isdigit()


def _rows(items: list[Item], unit: float) -> list[list[Item]]:
    rows: list[list[Item]] = []
    for it in sorted((it for it in items if _number(it)), key=lambda it: it.box[0]):
        row = next((r for r in rows if abs(r[0].cy - it.cy) <= 0.4 * unit
                    and 0.7 <= it.height / max(1, r[0].height) <= 1.4), None)
        if row is None:
            rows.append([it])
        else:
            row.append(it)
    return [r for r in rows if len(r) >= 3]


def _clusters(rgb: np.ndarray, band: Box, unit: float) -> list[tuple[int, int]]:
    """Runs of inked columns in the band, split at gaps of 0.4 text units or more."""
    x1, y1, x2, y2 = band
    crop = rgb[y1:y2, x1:x2].astype(np.int16)
    if crop.size == 0:
        return []
    bg = np.median(crop.reshape(-1, 3), axis=0)
    cols = (np.abs(crop - bg).max(axis=2) > 60).any(axis=0)
    out, start, last = [], None, -1
    gap = max(2, int(0.4 * unit))
    for x, on in enumerate(cols):
        if on:
            if start is None:
                start = x
            elif x - last > gap:
                out.append((x1 + start, x1 + last + 1))
                start = x
            last = x
    if start is not None:
        out.append((x1 + start, x1 + last + 1))
    return out


def pager_numbers(rgb: np.ndarray, items: list[Item], unit: float) -> list[Item]:
    """The numbers of bare pager rows that page-wide OCR skipped, as new items (see the module's doc)."""
    h, w = rgb.shape[:2]
    boxes: list[Box] = []
    for row in _rows(items, unit):
        y1 = max(0, min(it.box[1] for it in row) - 2)
        y2 = min(h, max(it.box[3] for it in row) + 2)
        x1 = max(0, int(row[0].box[0] - 10 * unit))
        x2 = min(w, int(row[-1].box[2] + 10 * unit))
        near = [it.box for it in items if it.box[1] < y2 and it.box[3] > y1 and it.box[2] > x1 and it.box[0] < x2]
        found = []
        for a, b in _clusters(rgb, (x1, y1, x2, y2), unit):
            if b - a > 2.5 * unit or any(nb[0] - 2 <= (a + b) / 2 <= nb[2] + 2 for nb in near):
                continue
            pad = max(2, int(0.25 * unit)) + 2  # reread looks inside its box's padding
            found.append((a - pad, y1 - pad, b + pad, y2 + pad))
        boxes += found[:MAX_PER_ROW]
    out = []
    for seen in reread(rgb, boxes, unit, 0.7):
        if seen is not None and seen[0].isdigit() and len(seen[0]) <= 3:
            ink, bg = colours(rgb, seen[1])
            out.append(Item(seen[0], seen[1], 0.7, ink, bg, (), int(round(unit / 0.6))))
    return out
