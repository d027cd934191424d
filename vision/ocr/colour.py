"""Colour measures shared by the widget finders: distances, contrast, median colours of regions."""

from __future__ import annotations

import numpy as np

from vision.types import Box

__all__ = ["Colour", "saturation", "distance", "contrast", "colour_of", "ring_colour"]

Colour = tuple[int, int, int]


def saturation(c: Colour) -> float:
    hi, lo = max(c), min(c)
    return 0.0 if hi == 0 else (hi - lo) / hi


def distance(a: Colour, b: Colour) -> int:
    """Largest per-channel difference: cheap and good enough to tell UI colours apart."""
    return int(max(abs(int(a[i]) - int(b[i])) for i in range(3)))


def _luminance(c: Colour) -> float:
    def lin(v: float) -> float:
        v = v / 255.0
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])


def contrast(a: Colour, b: Colour) -> float:
    """WCAG contrast ratio, 1 (same) to 21 (black on white)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def colour_of(rgb: np.ndarray, box: Box) -> Colour:
    """Median colour of a region (clipped to the image); white for an empty region."""
    h, w = rgb.shape[:2]
    x1, y1, x2, y2 = max(0, box[0]), max(0, box[1]), min(w, box[2]), min(h, box[3])
    if x2 <= x1 or y2 <= y1:
        return (255, 255, 255)
    m = np.median(rgb[y1:y2, x1:x2].reshape(-1, 3), axis=0)
    return (int(m[0]), int(m[1]), int(m[2]))


def ring_colour(rgb: np.ndarray, box: Box, gap: int, width: int) -> Colour:
    """Median colour of the band `gap`..`gap+width` pixels outside `box` (negative gap: inside)."""
    h, w = rgb.shape[:2]
    x1, y1, x2, y2 = box
    o = gap + width
    parts = []
    for sx1, sy1, sx2, sy2 in ((x1 - o, y1 - o, x2 + o, y1 - gap), (x1 - o, y2 + gap, x2 + o, y2 + o),
                               (x1 - o, y1 - gap, x1 - gap, y2 + gap), (x2 + gap, y1 - gap, x2 + o, y2 + gap)):
        sx1, sy1, sx2, sy2 = max(0, sx1), max(0, sy1), min(w, sx2), min(h, sy2)
        if sx2 > sx1 and sy2 > sy1:
            parts.append(rgb[sy1:sy2, sx1:sx2].reshape(-1, 3))
    if not parts:
        return colour_of(rgb, box)
    m = np.median(np.concatenate(parts), axis=0)
    return (int(m[0]), int(m[1]), int(m[2]))
