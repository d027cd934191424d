"""Widget shapes found with OpenCV: boxes (buttons, fields, panels), small squares and circles
(checkboxes, radios) and the pixel tests that read their state.

Everything is measured against `unit`, the median height of a text line's ink on this screenshot, so
the same thresholds hold at DPR 1 and 2 and for large or small fonts. Edges come from the colour
gradient, not from a fixed background colour, so dark bars, coloured sidebars and dark mode work.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from vision.ocr.rings import RING_MAX, inner_control
from vision.types import Box

__all__ = ["Shape", "find_shapes", "colour_of", "distance", "contrast", "is_checked", "control_state", "has_chevron",
           "has_resize_handle", "underline_below", "ring_colour", "BIG_ROUND"]

# Round toggles up to this many text units wide (a todo's 40 px tick circle beside 20 px text).
BIG_ROUND = 3.2
# Per-channel gradient above which a pixel is an edge: a #e5e7eb border on white (26) and a #e5e7eb button on
# #f3f4f6 (14) still count.
EDGE_LEVEL = 8

Colour = tuple[int, int, int]


@dataclass(frozen=True)
class Shape:
    """A closed outline. `kind` is "box" (rectangle, any size), "square", "circle" or "pill" (small ones;
    a pill about twice as wide as high is a toggle switch).

    `fill` is the median colour inside, `outside` the colour just around it, `border` the colour of its
    edge. `filled` means the inside differs from the outside (a solid button, a coloured bar).
    """

    kind: str
    box: Box
    fill: Colour
    outside: Colour
    border: Colour
    even_rim: bool = True  # small shapes: the outline has one colour all round (a control, not an icon)

    @property
    def filled(self) -> bool:
        return distance(self.fill, self.outside) >= 10

    @property
    def width(self) -> int:
        return self.box[2] - self.box[0]

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]


def _saturation(c: Colour) -> float:
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


def _edges(rgb: np.ndarray) -> np.ndarray:
    grad = cv2.morphologyEx(rgb, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    edges = (grad.max(axis=2) > EDGE_LEVEL).astype(np.uint8)
    # A frame around the image closes regions that run off-screen (a full-height sidebar, a top bar).
    edges[0, :] = edges[-1, :] = 1
    edges[:, 0] = edges[:, -1] = 1
    return edges


def find_shapes(rgb: np.ndarray, unit: float) -> list[Shape]:
    """Rectangles (any size above a small button) and small squares/circles, deduplicated."""
    h, w = rgb.shape[:2]
    edges = _edges(rgb)
    contours, hierarchy = cv2.findContours(edges, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    shapes: list[Shape] = []
    ringed: list[tuple[Box, str, Box]] = []
    small_lo, small_hi = 0.45 * unit, 1.7 * unit
    for contour, (_, _, _, parent) in zip(contours, hierarchy[0], strict=False):
        x, y, cw, ch = cv2.boundingRect(contour)
        if cw < small_lo or ch < small_lo or cw * ch >= 0.9 * w * h:
            continue
        # contourArea runs through pixel centres: a w x h box measures (w-1)(h-1).
        fill_ratio = cv2.contourArea(contour) / float(max(1, (cw - 1) * (ch - 1)))
        if parent < 0:
            # Outer outline of an edge blob: small squares and circles (a checked radio has no hole),
            # and pills (switches).
            box = (x + 1, y + 1, x + cw - 1, y + ch - 1)
            if 1.35 * unit < max(cw, ch) - 2 <= RING_MAX * unit and 0.8 <= cw / ch <= 1.25 and fill_ratio >= 0.72:
                round_ = fill_ratio < 0.93
                inner = inner_control(rgb, box, unit, round_)  # a control with a focus ring or glow round it
                if inner is not None:
                    ringed.append((box, "circle" if round_ else "square", inner))
                    continue
            if small_lo <= cw <= small_hi and small_lo <= ch <= small_hi and 0.8 <= cw / ch <= 1.25:
                if fill_ratio >= 0.93:
                    kind = "square"
                elif 0.72 <= fill_ratio < 0.93:
                    kind = "circle"
                else:
                    continue
            elif 0.6 * unit <= ch <= 2.4 * unit and 1.5 <= cw / ch <= 2.6 and fill_ratio >= 0.85:
                kind = "pill"
            elif small_hi < cw <= BIG_ROUND * unit and 0.8 <= cw / ch <= 1.25 and 0.72 <= fill_ratio < 0.93:
                kind = "circle"  # a big round toggle (a todo list's tick circle); controls.py decides
            else:
                continue
        else:
            # A hole: the inside of a closed outline. Rectangles big enough to hold a word.
            if ch < 0.9 * unit or cw < 1.4 * unit or fill_ratio < 0.9:
                continue
            box = (x - 2, y - 2, x + cw + 2, y + ch + 2)
            kind = "box"
        pad = max(1, int(round(unit * 0.12)))
        inner = (box[0] + pad, box[1] + pad, box[2] - pad, box[3] - pad)
        fill = colour_of(rgb, inner)
        outside = ring_colour(rgb, box, 2, pad + 1)
        if kind == "box":
            shapes.append(Shape(kind, box, fill, outside, _border_colour(rgb, box, fill)))
        else:
            border, even = _rim_colour(rgb, box, outside, kind)
            shapes.append(Shape(kind, box, fill, outside, border, even))
    for ring, kind, box in ringed:
        # The control is measured against the surface round its ring; what was seen inside the ring on
        # its own (the ring's hole as a box, the control with the ring taken for its surroundings) goes.
        shapes = [s for s in shapes if not _within(s.box, ring)]
        pad = max(1, int(round(unit * 0.12)))
        outside = ring_colour(rgb, ring, 2, pad + 1)
        border, even = _rim_colour(rgb, box, outside, kind)
        fill = colour_of(rgb, (box[0] + pad, box[1] + pad, box[2] - pad, box[3] - pad))
        shapes.append(Shape(kind, box, fill, outside, border, even))
    return _dedupe(shapes, unit)


def _within(inner: Box, outer: Box, slack: int = 3) -> bool:
    return outer[0] - slack <= inner[0] and outer[1] - slack <= inner[1] and inner[2] <= outer[2] + slack \
        and inner[3] <= outer[3] + slack


def _rim_colour(rgb: np.ndarray, box: Box, outside: Colour, kind: str) -> tuple[Colour, bool]:
    """The outline colour of a small shape, and whether it is even all round: on 8 rays from the
    centre, the pixel near the edge that stands out most from the surface around it."""
    x1, y1, x2, y2 = box
    cx, cy = (x1 + x2 - 1) / 2.0, (y1 + y2 - 1) / 2.0
    hx, hy = (x2 - x1) / 2.0, (y2 - y1) / 2.0
    out = np.array(outside, np.int16)
    picks = []
    d = 0.7 if kind == "circle" else 1.0  # where a diagonal ray meets the outline
    for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1), (d, d), (-d, d), (d, -d), (-d, -d)):
        if kind == "pill" and dx and dy:  # a pill's diagonals miss its rounded ends
            continue
        # Diagonals reach deeper: rounded corners pull a square's outline in towards the centre.
        depth = 0.45 if dx and dy and kind == "square" else min(0.4, 3.5 / max(hx, hy))
        ray = [rgb[int(round(cy + f * hy * dy)), int(round(cx + f * hx * dx))].astype(np.int16)
               for f in np.linspace(1.0 - 0.5 / max(hx, hy), 1.0 - depth, 9)]
        picks.append(max(ray, key=lambda p: int(np.abs(p - out).max())))
    arr = np.array(picks)
    m = np.median(arr, axis=0)
    # Even: the outline is there on (nearly) every ray; a thin ring is lighter where anti-aliased, so
    # compare how strongly each pick stands out rather than exact shades.
    strength = np.abs(arr - out).max(axis=1)
    even = bool((strength >= 0.45 * max(1.0, float(np.median(strength)))).mean() >= 0.85)
    return (int(m[0]), int(m[1]), int(m[2])), even


def _border_colour(rgb: np.ndarray, box: Box, fill: Colour) -> Colour:
    """The colour of an outline: on each side, the line (row or column) at the box edge that differs
    most from the fill; the median over the four sides."""
    h, w = rgb.shape[:2]
    x1, y1, x2, y2 = max(0, box[0]), max(0, box[1]), min(w, box[2]), min(h, box[3])
    if x2 - x1 < 6 or y2 - y1 < 6:
        return fill
    mx, my = max(1, (x2 - x1) // 4), max(1, (y2 - y1) // 4)
    f = np.array(fill, np.float32)
    picks = []
    for side in range(4):
        best, best_d = f, -1.0
        for d in range(0, 3):  # the first lines inside the edge
            if side == 0:
                line = rgb[min(h - 1, max(0, y1 + d)), x1 + mx:x2 - mx]
            elif side == 1:
                line = rgb[min(h - 1, max(0, y2 - 1 - d)), x1 + mx:x2 - mx]
            elif side == 2:
                line = rgb[y1 + my:y2 - my, min(w - 1, max(0, x1 + d))]
            else:
                line = rgb[y1 + my:y2 - my, min(w - 1, max(0, x2 - 1 - d))]
            med = np.median(line.reshape(-1, 3), axis=0)
            dist = float(np.abs(med - f).max())
            if dist > best_d:
                best, best_d = med, dist
        picks.append(best)
    m = np.median(np.array(picks), axis=0)
    return (int(m[0]), int(m[1]), int(m[2]))


def _dedupe(shapes: list[Shape], unit: float) -> list[Shape]:
    """Nested outlines of one thing (a border and its focus ring) become the outermost one."""
    tol = max(3, int(unit * 0.35))
    kept: list[Shape] = []
    for s in sorted(shapes, key=lambda s: -(s.width * s.height)):
        if not any(all(abs(a - b) <= tol for a, b in zip(k.box, s.box, strict=True)) for k in kept):
            kept.append(s)
    return kept


def control_state(rgb: np.ndarray, shape: Shape) -> bool | None:
    """Read a checkbox's or radio's state from its pixels: True, False, or None when the shape does
    not look like either (an icon: strokes on a plain inside, neither empty nor filled).

    Unchecked: plain inside, outline distinct. Checked radio: its centre differs from the ring around it
    (a dot, or a filled circle with a light dot). Checked checkbox: filled in the outline's accent colour,
    with or without a tick (native, Bootstrap, Element Plus and Ant Design all draw it so)."""
    x1, y1, x2, y2 = shape.box
    if not shape.even_rim:
        return None
    side = min(x2 - x1, y2 - y1)
    inset = max(2, int(round(side * 0.22)))
    crop = rgb[y1 + inset:y2 - inset, x1 + inset:x2 - inset].reshape(-1, 3).astype(np.int16)
    if crop.size == 0:
        return None
    if shape.kind == "pill":
        # A switch has a round knob at one end (its two ends differ; a badge's do not), and is on when
        # its track is filled in an accent colour.
        third = max(1, (x2 - x1) // 3)
        band = (y1 + (y2 - y1) // 4, y2 - (y2 - y1) // 4)
        left = colour_of(rgb, (x1 + 2, band[0], x1 + third, band[1]))
        right = colour_of(rgb, (x2 - third, band[0], x2 - 2, band[1]))
        if distance(left, right) < 30:
            return None
        return _saturation(shape.fill) > 0.3 and distance(shape.fill, shape.outside) > 60
    median = np.median(crop, axis=0)
    marked = float((np.abs(crop - median).max(axis=1) > 60).mean())
    if shape.kind == "circle":
        cx, cy, r = (x1 + x2) / 2.0, (y1 + y2) / 2.0, side / 2.0
        k = max(1, int(round(r * 0.2)))
        centre = colour_of(rgb, (int(cx) - k, int(cy) - k, int(cx) + k + 1, int(cy) + k + 1))
        a = int(round(r * 0.6))
        ring = [tuple(int(v) for v in rgb[int(cy) + dy, int(cx) + dx]) for dx, dy in
                ((a, 0), (-a, 0), (0, a), (0, -a))]
        annulus = (int(np.median([c[0] for c in ring])), int(np.median([c[1] for c in ring])),
                   int(np.median([c[2] for c in ring])))
        if distance(centre, annulus) > 60:
            return True  # a dot in a ring, or a light dot in a filled circle
        # Empty: the surface shows through, or a plain light or dark disc (a light radio on a dark band).
        plain = distance(centre, shape.outside) < 60 or _saturation(centre) < 0.15
        return False if marked < 0.08 and plain else None
    accent = float((np.abs(crop - np.array(shape.border, np.int16)).max(axis=1) < 50).mean())
    # Checked: filled in the outline's accent colour, with a tick (a black box with a white tick) or in a
    # hue. A plain white or grey square with nothing in it is an empty box, even on a dark surface.
    filled = accent >= 0.35 and distance(shape.border, shape.outside) > 60
    if filled and (marked >= 0.08 or _saturation(shape.fill) > 0.3):
        return True
    return False if marked < 0.08 else None


def is_checked(rgb: np.ndarray, shape: Shape) -> bool:
    """True when a checkbox or radio reads as checked (see `control_state`)."""
    return bool(control_state(rgb, shape))


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
    if not (0.2 * unit <= bw <= 1.3 * unit and 0.1 * unit <= bh <= 1.0 * unit and bw >= 0.9 * bh):
        return False
    # A downward arrow: columns towards its ends carry their ink higher up than its middle column.
    cx = (xs.min() + xs.max()) / 2.0
    far = np.abs(xs - cx) > bw * 0.3
    near = np.abs(xs - cx) < bw * 0.15
    if far.sum() == 0 or near.sum() == 0:
        return False
    return bool(ys[far].mean() + 0.15 * bh < ys[near].mean())


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
