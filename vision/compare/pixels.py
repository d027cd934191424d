"""Pixel comparison the way pixelmatch (v5, the one Playwright's `toHaveScreenshot` uses) does it,
vectorised with numpy: a YIQ colour distance against `35215 * threshold²`, and pixels that only differ
by anti-aliasing left out (Vysniauskas' detector: a pixel between a darker and a brighter neighbour,
one of which sits in a flat area in both images).

Only the pixels that differ at all are looked at closely, so a 1280x800 pair with a few changes costs a
few milliseconds. Then the changed pixels are grouped into regions (`regions`), and `structural` tells a
change of shape (an icon, a chart) from a change of colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from vision.types import Box

__all__ = ["diff_mask", "regions", "structural", "DEFAULT_THRESHOLD"]

#: pixelmatch's default; Playwright uses 0.2
DEFAULT_THRESHOLD = 0.1
_MAX_YIQ = 35215.0  # the largest possible YIQ distance (black against white)

# pixelmatch visits the 8 neighbours column by column: x outer, y inner
_OFFSETS = [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1) if (dx, dy) != (0, 0)]


def _yiq(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    y = r * 0.29889531 + g * 0.58662247 + b * 0.11448223
    i = r * 0.59597799 - g * 0.27417610 - b * 0.32180189
    q = r * 0.21147017 - g * 0.52261711 + b * 0.31114694
    return y, i, q


_DX = np.array([dx for dx, _ in _OFFSETS])
_DY = np.array([dy for _, dy in _OFFSETS])


def _around(ys: np.ndarray, xs: np.ndarray, h: int, w: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The 8 neighbours of each pixel (N x 8, clipped into the image) and which of them are inside it."""
    ny, nx = ys[:, None] + _DY, xs[:, None] + _DX
    valid = (ny >= 0) & (ny < h) & (nx >= 0) & (nx < w)
    return np.clip(ny, 0, h - 1), np.clip(nx, 0, w - 1), valid


def _on_border(ys: np.ndarray, xs: np.ndarray, h: int, w: int) -> np.ndarray:
    return (xs == 0) | (ys == 0) | (xs == w - 1) | (ys == h - 1)


def _many_siblings(img: np.ndarray, ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """pixelmatch's hasManySiblings: 3+ of the 8 neighbours (a border counts as one) have the same colour."""
    h, w = img.shape[:2]
    ny, nx, valid = _around(ys, xs, h, w)
    same = ((img[ny, nx] == img[ys, xs][:, None, :]).all(axis=2) & valid).sum(axis=1)
    return same + _on_border(ys, xs, h, w) > 2


def _antialiased(img: np.ndarray, other: np.ndarray, ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """pixelmatch's antialiased(img, x, y, ..., a32, b32) for many pixels at once."""
    h, w = img.shape[:2]
    ny, nx, valid = _around(ys, xs, h, w)
    deltas = _yiq(img[ys, xs].astype(np.float64))[0][:, None] - _yiq(img[ny, nx].astype(np.float64))[0]
    zeroes = _on_border(ys, xs, h, w) + ((deltas == 0) & valid).sum(axis=1)
    neg = np.where(valid & (deltas < 0), deltas, 0.0)
    pos = np.where(valid & (deltas > 0), deltas, 0.0)
    ok = (zeroes <= 2) & (neg.min(axis=1) < 0) & (pos.max(axis=1) > 0)
    out = np.zeros(len(ys), dtype=bool)
    idx = np.flatnonzero(ok)
    for pick in (neg[idx].argmin(axis=1), pos[idx].argmax(axis=1)):  # the darkest, then the brightest
        py, px = ny[idx, pick], nx[idx, pick]
        out[idx] |= _many_siblings(img, py, px) & _many_siblings(other, py, px)
    return out


def diff_mask(before: np.ndarray, after: np.ndarray, threshold: float = DEFAULT_THRESHOLD,
              ignore: Sequence[Box] = (), include_aa: bool = False) -> np.ndarray:
    """A boolean HxW mask of the pixels that differ (pixelmatch's red pixels), `ignore` boxes left out.

    `before` and `after` are HxWx3 uint8 arrays of the same size; `threshold` is pixelmatch's (0-1,
    smaller is stricter); `include_aa` counts anti-aliasing differences too."""
    if before.shape != after.shape:
        raise ValueError(f"images differ in size: {before.shape[1]}x{before.shape[0]} and "
                         f"{after.shape[1]}x{after.shape[0]}")
    h, w = before.shape[:2]
    mask = np.zeros((h, w), dtype=bool)
    if np.array_equal(before, after):
        return mask
    ne = before != after
    ys, xs = np.nonzero(ne[..., 0] | ne[..., 1] | ne[..., 2])
    if len(ys):
        y1, i1, q1 = _yiq(before[ys, xs].astype(np.float64))
        y2, i2, q2 = _yiq(after[ys, xs].astype(np.float64))
        delta = 0.5053 * (y1 - y2) ** 2 + 0.299 * (i1 - i2) ** 2 + 0.1957 * (q1 - q2) ** 2
        over = delta > _MAX_YIQ * threshold * threshold
        ys, xs = ys[over], xs[over]
    if len(ys) and not include_aa:
        aa = _antialiased(before, after, ys, xs) | _antialiased(after, before, ys, xs)
        ys, xs = ys[~aa], xs[~aa]
    mask[ys, xs] = True
    for x1, y1_, x2, y2_ in ignore:
        mask[max(0, y1_):max(0, y2_), max(0, x1):max(0, x2)] = False
    return mask


def regions(mask: np.ndarray, gap: int = 6, min_pixels: int = 1) -> list[tuple[Box, int]]:
    """The changed regions: changed pixels closer than `gap` px joined into one, as (box, changed pixels),
    largest first. A box is [x1, y1, x2, y2) like every box here."""
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if not len(rows):
        return []
    # only the part that holds changes is labelled (a few rows, not the whole screen)
    top, left = max(0, int(rows[0]) - gap), max(0, int(cols[0]) - gap)
    found = _regions(mask[top:int(rows[-1]) + gap + 1, left:int(cols[-1]) + gap + 1], gap, min_pixels)
    return [((x1 + left, y1 + top, x2 + left, y2 + top), n) for (x1, y1, x2, y2), n in found]


def _regions(mask: np.ndarray, gap: int, min_pixels: int) -> list[tuple[Box, int]]:
    import cv2

    size = 2 * gap + 1
    grown = cv2.dilate(mask.astype(np.uint8), np.ones((size, size), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(grown, connectivity=8)
    counts = np.bincount(labels[mask], minlength=n)
    out = []
    for k in range(1, n):
        if counts[k] < min_pixels:
            continue
        x, y, bw, bh = (int(v) for v in stats[k, :4])
        # shrink the grown box back to the changed pixels it holds
        sub = mask[y:y + bh, x:x + bw] & (labels[y:y + bh, x:x + bw] == k)
        rows, cols = np.flatnonzero(sub.any(axis=1)), np.flatnonzero(sub.any(axis=0))
        out.append(((x + int(cols[0]), y + int(rows[0]), x + int(cols[-1]) + 1, y + int(rows[-1]) + 1),
                    int(counts[k])))
    return sorted(out, key=lambda r: -r[1])


def _edges(gray: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.Canny(gray, 40, 120) > 0


def structural(before: np.ndarray, after: np.ndarray, box: Box, min_pixels: int = 6) -> bool:
    """True when the shapes inside `box` changed (edges appeared, vanished or moved by over a pixel),
    False when only colours did: a button that turned green keeps its edges where they were."""
    import cv2

    x1, y1, x2, y2 = box
    pad = 2
    x1, y1 = max(0, x1 - pad), max(0, y1 - pad)
    crop_a = cv2.cvtColor(np.ascontiguousarray(before[y1:y2 + pad, x1:x2 + pad]), cv2.COLOR_RGB2GRAY)
    crop_b = cv2.cvtColor(np.ascontiguousarray(after[y1:y2 + pad, x1:x2 + pad]), cv2.COLOR_RGB2GRAY)
    ea, eb = _edges(crop_a), _edges(crop_b)
    kernel = np.ones((3, 3), np.uint8)
    near_a = cv2.dilate(ea.astype(np.uint8), kernel) > 0
    near_b = cv2.dilate(eb.astype(np.uint8), kernel) > 0
    moved = int((ea & ~near_b).sum() + (eb & ~near_a).sum())
    return moved >= max(min_pixels, 0.05 * max(1, int(ea.sum() + eb.sum())))
