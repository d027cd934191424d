"""Checkboxes and radios drawn with a ring round them: a focus outline a few pixels off, a glow
(box-shadow), a Tailwind `ring-2 ring-offset-2`. A control shows one once it is clicked or tabbed to.

Widget edges come from a 3x3 colour gradient, which marks both sides of every colour change: the gap
of a pixel or two between a ring and its control fills up with edge pixels, and control and ring
become one blob too big for a control. Such a blob is read here as bands by depth from its edge
(rectangular bands for a square, round ones for a circle; the median colour of each band, so
anti-aliasing does not matter): the ring's colour, then maybe a gap in the surface's colour, then the
control's own edge. The control is what lies inside the ring and the gap.
"""

from __future__ import annotations

import numpy as np

from vision.types import Box

__all__ = ["inner_control", "RING_MAX"]

# A ringed control's blob is at most this many text units wide (a 16 px box + 2 x 4 px at unit 12).
RING_MAX = 2.6
# Largest per-channel difference between two colours still taken as the same band.
SAME = 30

Colour = np.ndarray


def _dist(a: Colour, b: Colour) -> int:
    return int(np.abs(a.astype(np.int16) - b.astype(np.int16)).max())


def _between(c: Colour, a: Colour, b: Colour, slack: int = 12) -> bool:
    lo, hi = np.minimum(a, b) - slack, np.maximum(a, b) + slack
    return bool(((c >= lo) & (c <= hi)).all())


def _surface(rgb: np.ndarray, box: Box) -> Colour:
    """Median colour of the two-pixel band just outside `box`."""
    h, w = rgb.shape[:2]
    x1, y1, x2, y2 = box
    parts = [rgb[max(0, y1 - 3):max(0, y1 - 1), max(0, x1):x2], rgb[y2 + 1:y2 + 3, max(0, x1):x2],
             rgb[max(0, y1):y2, max(0, x1 - 3):max(0, x1 - 1)], rgb[max(0, y1):y2, x2 + 1:x2 + 3]]
    pixels = np.concatenate([p.reshape(-1, 3) for p in parts if p.size]) if any(p.size for p in parts) else None
    if pixels is None or h == 0 or w == 0:
        return np.array([255, 255, 255])
    return np.median(pixels, axis=0)


def _bands(crop: np.ndarray, round_: bool) -> list[Colour]:
    """Median colour at each whole-pixel depth from the crop's edge towards its centre."""
    h, w = crop.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    if round_:
        half = min(h, w) / 2.0
        r = np.hypot((xx + 0.5 - w / 2.0) * (2 * half / w), (yy + 0.5 - h / 2.0) * (2 * half / h))
        depth = np.floor(half - r).astype(int)
    else:
        depth = np.minimum(np.minimum(xx, yy), np.minimum(w - 1 - xx, h - 1 - yy))
    out = []
    for d in range(int(min(h, w) // 2)):
        sel = crop[depth == d]
        if sel.size == 0:
            break
        out.append(np.median(sel.reshape(-1, 3), axis=0))
    return out


def inner_control(rgb: np.ndarray, box: Box, unit: float, round_: bool) -> Box | None:
    """The box of the control inside a ring blob at `box`, or None when the blob does not look like a
    ring (a thin band of one colour, maybe a gap of the surface, then something else) round a
    control-sized middle."""
    x1, y1, x2, y2 = box
    crop = rgb[max(0, y1):y2, max(0, x1):x2]
    if min(crop.shape[:2]) < 6:
        return None
    bands = _bands(crop, round_)
    surface = _surface(rgb, box)
    # (The outermost band of a soft glow may be a blend with the surface: the ring starts one in.)
    start = 1 if len(bands) > 1 and _dist(bands[0], surface) <= SAME < _dist(bands[1], surface) else 0
    if len(bands) < 4 or _dist(bands[start], surface) <= SAME:
        return None
    ring = bands[start]
    d = start + 1
    while d < len(bands) and _dist(bands[d], ring) <= SAME:
        d += 1
    # A blend of ring and surface between ring and gap (anti-aliasing) belongs to neither: step over it.
    if d + 1 < len(bands) and _dist(bands[d + 1], surface) <= SAME and _between(bands[d], ring, surface):
        d += 1
    while d < len(bands) and _dist(bands[d], surface) <= SAME:
        d += 1
    # A glow hugging the control: the blend between glow and control belongs to neither.
    if 0 < d + 1 < len(bands) and _dist(bands[d], ring) > SAME and _dist(bands[d], bands[d + 1]) > SAME \
            and _between(bands[d], ring, bands[d + 1]):
        d += 1
    side_w, side_h = (x2 - x1) - 2 * d, (y2 - y1) - 2 * d
    if d < 2 or d > 0.45 * unit or d >= len(bands) or min(side_w, side_h) < 0.7 * unit \
            or max(side_w, side_h) > 1.7 * unit:  # (a 16 px box beside 13 px text)
        return None
    return (x1 + d, y1 + d, x2 - d, y2 - d)
