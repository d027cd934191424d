"""What the ordinary edge level misses, and what it mistakes.

- Faint filled boxes: a button, field or textarea filled a few levels darker than the page (#f8f8f8 on
  white) with no border differs from its surround by less than an edge needs (widgets.EDGE_LEVEL). The same
  colour gradient is read again at a low level; only button- or field-sized holes, plain inside, that the
  ordinary pass did not find are kept. What they hold decides what they are (assemble.py).
- Icons that look like controls: a coloured glyph in a light circle reads as "a dot in a ring", and a
  filled glyph with light strokes as "a filled box with a tick". A radio's dot is round and centred,
  in the ring's colour (or light on a filled disc); a checkbox is a square with straight sides.
"""

from __future__ import annotations

import cv2
import numpy as np

from vision.types import Box

__all__ = ["FAINT_LEVEL", "faint_holes", "straight_sides", "round_dot"]

# Per-channel gradient above which a pixel edges a faint box: #f8f8f8 on #fff (7) counts, the 1-level
# steps of a smooth gradient or a soft shadow do not.
FAINT_LEVEL = 2


def faint_holes(grad: np.ndarray, unit: float, known: list[Box]) -> list[Box]:
    """Button-sized rectangles closed only by faint edges: boxes (x1, y1, x2, y2) not in `known`."""
    edges = (grad > FAINT_LEVEL).astype(np.uint8)
    edges[0, :] = edges[-1, :] = 1
    edges[:, 0] = edges[:, -1] = 1
    contours, hierarchy = cv2.findContours(edges, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    tol = max(3, int(unit * 0.35))
    out: list[Box] = []
    for contour, (_, _, _, parent) in zip(contours, hierarchy[0], strict=False):
        if parent < 0:
            continue
        x, y, cw, ch = cv2.boundingRect(contour)
        # A button or a select: a text line with padding round it, no taller than a big button; or a
        # field (a large-size input, a textarea): taller, and wide.
        if not 1.5 * unit <= ch + 4 <= (16 if cw >= 8 * unit else 3.6) * unit or cw < 1.4 * unit:
            continue
        if cv2.contourArea(contour) / float(max(1, (cw - 1) * (ch - 1))) < 0.9:
            continue
        box = (x - 2, y - 2, x + cw + 2, y + ch + 2)
        if any(all(abs(a - b) <= tol for a, b in zip(k, box, strict=True)) for k in known):
            continue
        out.append(box)
    return out


def plain_inside(rgb: np.ndarray, box: Box, share: float = 0.55) -> bool:
    """Most of the inside is one colour (text takes a small part): not a photo or a gradient."""
    x1, y1, x2, y2 = box
    crop = rgb[y1 + 3:y2 - 3, x1 + 3:x2 - 3].reshape(-1, 3).astype(np.int16)
    if crop.size == 0:
        return False
    median = np.median(crop, axis=0)
    return bool((np.abs(crop - median).max(axis=1) <= 2).mean() >= share)


def _mask(rgb: np.ndarray, box: Box, outside: tuple[int, int, int]) -> np.ndarray:
    x1, y1, x2, y2 = box
    crop = rgb[max(0, y1 - 1):y2 + 1, max(0, x1 - 1):x2 + 1].astype(np.int16)
    return np.abs(crop - np.array(outside, np.int16)).max(axis=2) > 40


def straight_sides(rgb: np.ndarray, box: Box, outside: tuple[int, int, int]) -> bool:
    """The shape's outline runs straight down its left and right sides and across its top and bottom
    (a box, square or rounded): over the middle half of each side, the outermost inked pixel stays put.
    A glyph (a book, a star, a letter) has slanted or ragged sides."""
    mask = _mask(rgb, box, outside)
    h, w = mask.shape
    if h < 6 or w < 6:
        return True
    for m in (mask, mask.T):
        rows = m[m.shape[0] // 4:m.shape[0] - m.shape[0] // 4]
        if not rows.any(axis=1).all():
            return False
        first = rows.argmax(axis=1)
        last = rows.shape[1] - 1 - rows[:, ::-1].argmax(axis=1)
        if np.ptp(first) or np.ptp(last):
            return False
    return True


def round_dot(ink: np.ndarray) -> bool:
    """A mask of the mark inside a circle is a centred round dot: it looks the same turned a quarter
    turn and mirrored (a heart, a letter or an arrow does not)."""
    if ink.sum() < 4 or ink.shape[0] != ink.shape[1]:
        return False
    ys, xs = np.nonzero(ink)
    n = ink.shape[0]
    # Centred: the dot's middle is the circle's middle.
    if abs((ys.min() + ys.max()) / 2 - (n - 1) / 2) > 1.5 or abs((xs.min() + xs.max()) / 2 - (n - 1) / 2) > 1.5:
        return False
    total = float(ink.sum())
    for other in (np.rot90(ink), ink[::-1, :], ink[:, ::-1]):
        if (ink & other).sum() / total < 0.7:
            return False
    return True
