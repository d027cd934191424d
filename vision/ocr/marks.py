"""Small marks that tell one widget from another: a dropdown's arrow, a textarea's resize grip, an
active tab's underline."""

from __future__ import annotations

import numpy as np

from vision.ocr.colour import colour_of, distance
from vision.types import Box

__all__ = ["has_chevron", "has_resize_handle", "underline_below"]


def has_chevron(gray: np.ndarray, box: Box, unit: float, text_right: int) -> bool:
    """A dropdown arrow (v, chevron or triangle) near the right end of a field, right of its text."""
    x1, y1, x2, y2 = box
    pad = max(2, int(unit * 0.25))
    left = max(text_right + pad, x2 - int(2.2 * unit))
    crop = gray[y1 + pad:y2 - pad, left:x2 - pad].astype(np.int16)
    if crop.size == 0 or crop.shape[1] < 3:
        return False
    bg = int(np.median(crop))
    diff = np.abs(crop - bg)
    ink = diff > max(25, 0.45 * int(diff.max()))  # chevrons are often drawn light grey
    if ink.sum() < 4:
        return False
    ys, xs = np.nonzero(ink)
    bw, bh = xs.max() - xs.min() + 1, ys.max() - ys.min() + 1
    if _up_down(ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1], unit):
        return True
    if not (0.2 * unit <= bw <= 1.3 * unit and 0.1 * unit <= bh <= 1.0 * unit and bw >= 0.9 * bh):
        return False
    # A downward arrow: columns towards its ends carry their ink higher up than its middle column.
    cx = (xs.min() + xs.max()) / 2.0
    far = np.abs(xs - cx) > bw * 0.3
    near = np.abs(xs - cx) < bw * 0.15
    if far.sum() == 0 or near.sum() == 0:
        return False
    return bool(ys[far].mean() + 0.15 * bh < ys[near].mean())


def _up_down(ink: np.ndarray, unit: float) -> bool:
    """A select's up-and-down arrows: two small triangles stacked point to point away, narrow at the top,
    the bottom and in the middle, wide between."""
    bh, bw = ink.shape
    if not (0.5 * unit <= bh <= 1.4 * unit and 0.2 * unit <= bw <= bh):
        return False
    # each row's span, first to last inked pixel (a magnifier's ring is wide across its middle, with little ink)
    on = ink.any(axis=1)
    widths = np.where(on, bw - ink[:, ::-1].argmax(axis=1) - ink.argmax(axis=1), 0).astype(float)
    top, mid, bottom = widths[:int(bh * 0.45)], widths[bh // 3:bh - bh // 3], widths[bh - int(bh * 0.45):]
    wide = widths.max()
    return bool(widths[0] < 0.6 * wide and widths[-1] < 0.6 * wide and top.max() >= 0.8 * wide
                and bottom.max() >= 0.8 * wide and mid.min() < 0.5 * wide)


def has_resize_handle(gray: np.ndarray, box: Box, unit: float) -> bool:
    """The diagonal grip a browser draws in a resizable textarea's bottom-right corner."""
    x1, y1, x2, y2 = box
    k = max(6, int(0.9 * unit))
    corner = gray[y2 - 2 - k:y2 - 2, x2 - 2 - k:x2 - 2].astype(np.int16)
    beside = gray[y2 - 2 - k:y2 - 2, x2 - 2 - 3 * k:x2 - 2 - k].astype(np.int16)
    if corner.shape != (k, k) or beside.size == 0:
        return False
    bg = int(np.median(beside))
    ink = np.abs(corner - bg) > 40
    if not 0.03 <= ink.mean() <= 0.4 or (np.abs(beside - bg) > 40).mean() > 0.01:
        return False
    # The grip's strokes run from bottom-left to top-right: ink lies mostly below the anti-diagonal.
    ys, xs = np.nonzero(ink)
    return bool(((xs + ys) >= k - 1).mean() > 0.8)


def underline_below(rgb: np.ndarray, box: Box, unit: float) -> bool:
    """A thin bar under a text item that spans about its width and not much further (an active tab)."""
    h, w = rgb.shape[:2]
    x1, y1, x2, y2 = box
    bg = np.array(colour_of(rgb, (x1, max(0, y1 - 3), x2, max(1, y1 - 1))), np.int16)
    reach = int(2.0 * unit)
    lo_x, hi_x = max(0, x1 - reach), min(w, x2 + reach)
    for y in range(y2 + 1, min(h - 1, y2 + int(1.6 * unit))):
        on = np.abs(rgb[y, lo_x:hi_x].astype(np.int16) - bg).max(axis=1) > 40
        start, stop = x1 - lo_x, x2 - lo_x
        if on[start:stop].mean() < 0.9:
            continue
        # The first solid row under the text: a bar only if it ends near the text on both sides
        # (a rule across the page is a separator) and is thin.
        if on[0] or on[-1]:
            # A rule across the tab row: the active tab's bar is drawn over it in another colour.
            under = colour_of(rgb, (x1, y, x2, y + 1))
            away = colour_of(rgb, (lo_x, y, lo_x + max(1, (x1 - lo_x) // 2), y + 1))
            return distance(under, away) > 60 and distance(under, (int(bg[0]), int(bg[1]), int(bg[2]))) > 60
        # Nor is the bottom edge of a box drawn around the text (its sides rise from the bar's ends).
        ends = np.flatnonzero(on)
        for x in (lo_x + ends[0], lo_x + ends[-1]):
            band = rgb[y1:y, max(0, x - 3):x + 4].astype(np.int16)  # rounded corners shift the sides
            if band.size and ((np.abs(band - bg).max(axis=2) > 40).mean(axis=0) > 0.6).any():
                return False
        thick = 1
        while y + thick < h and (np.abs(rgb[y + thick, x1:x2].astype(np.int16) - bg).max(axis=1) > 40).mean() > 0.9:
            thick += 1
        return thick <= max(2, 0.4 * unit)
    return False
