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

from vision.ocr.colour import Colour, colour_of, contrast, distance, ring_colour, saturation
from vision.ocr.faint import faint_holes, plain_inside, round_dot, straight_sides
from vision.ocr.marks import has_chevron, has_resize_handle, underline_below
from vision.ocr.rings import RING_MAX, inner_control
from vision.types import Box

__all__ = ["Shape", "find_shapes", "colour_of", "distance", "contrast", "is_checked", "control_state", "has_chevron",
           "has_resize_handle", "underline_below", "ring_colour", "saturation", "BIG_ROUND"]

# Round toggles up to this many text units wide (a todo's 40 px tick circle beside 20 px text).
BIG_ROUND = 3.2
# Per-channel gradient above which a pixel is an edge: a #e5e7eb border on white (26) and a #e5e7eb button on
# #f3f4f6 (14) still count.
EDGE_LEVEL = 8
# A faint box's fill differs from the page round it by at least this much (#f8f8f8 on white: 7).
FAINT_FILL = 3


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
    faint: bool = False  # a box seen only at the faint edge level (faint.py): its fill is its only outline

    @property
    def filled(self) -> bool:
        return distance(self.fill, self.outside) >= (FAINT_FILL if self.faint else 10)

    @property
    def width(self) -> int:
        return self.box[2] - self.box[0]

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]


def _gradient(rgb: np.ndarray) -> np.ndarray:
    """Per pixel, the largest colour change across its 3x3 neighbourhood over the three channels."""
    grad = cv2.morphologyEx(np.ascontiguousarray(rgb), cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    r, g, b = cv2.split(grad)
    return cv2.max(cv2.max(r, g), b)  # (numpy's max over the channel axis takes ten times as long)


def _edges(grad: np.ndarray) -> np.ndarray:
    edges = (grad > EDGE_LEVEL).astype(np.uint8)
    # A frame around the image closes regions that run off-screen (a full-height sidebar, a top bar).
    edges[0, :] = edges[-1, :] = 1
    edges[:, 0] = edges[:, -1] = 1
    return edges


def find_shapes(rgb: np.ndarray, unit: float) -> list[Shape]:
    """Rectangles (any size above a small button) and small squares/circles, deduplicated."""
    h, w = rgb.shape[:2]
    grad = _gradient(rgb)
    edges = _edges(grad)
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
    for ring, _, box in ringed:
        # The control is measured against the surface round its ring; what was seen inside the ring on
        # its own (the ring's hole as a box, the control with the ring taken for its surroundings) goes.
        shapes = [s for s in shapes if not _within(s.box, ring)]
        pad = max(1, int(round(unit * 0.12)))
        outside = ring_colour(rgb, ring, 2, pad + 1)
        # Square or round by the control's own outline (a rounded box in a soft glow makes a round blob).
        crop = rgb[box[1]:box[3], box[0]:box[2]].astype(np.int16)
        rim = np.array(ring_colour(rgb, box, 0, 1), np.int16)
        kind = "square" if (np.abs(crop - rim).max(axis=2) > 30).mean() >= 0.84 else "circle"
        border, even = _rim_colour(rgb, box, outside, kind)
        fill = colour_of(rgb, (box[0] + pad, box[1] + pad, box[2] - pad, box[3] - pad))
        shapes.append(Shape(kind, box, fill, outside, border, even))
    return _dedupe(_controls_over_holes(rgb, shapes, unit) + _faint_boxes(rgb, grad, unit, shapes), unit)


def _controls_over_holes(rgb: np.ndarray, shapes: list[Shape], unit: float) -> list[Shape]:
    """A solid control-sized box (a checked custom checkbox, 1.4-1.7 text units) is seen twice: its outer
    outline as a square and the fill inside its edge as a box a little bigger. Where the square reads as
    a control, the box is that control's inside, not a button holding it."""
    tol = max(3, int(unit * 0.35))
    controls = [s.box for s in shapes if s.kind in ("square", "circle") and control_state(rgb, s) is not None]
    return [s for s in shapes if not (s.kind == "box" and any(
        all(abs(a - b) <= tol for a, b in zip(c, s.box, strict=True)) for c in controls))]


def _faint_boxes(rgb: np.ndarray, grad: np.ndarray, unit: float, shapes: list[Shape]) -> list[Shape]:
    """Button-sized boxes filled a few levels off the page, with no border (faint.py)."""
    out = []
    pad = max(1, int(round(unit * 0.12)))
    for box in faint_holes(grad, unit, [s.box for s in shapes if s.kind == "box"]):
        if not plain_inside(rgb, box):
            continue
        fill = colour_of(rgb, (box[0] + pad, box[1] + pad, box[2] - pad, box[3] - pad))
        outside = ring_colour(rgb, box, 2, pad + 1)
        # The fill reaches the outline all round (a plain band just inside it): not a frame of shadow.
        rim = ring_colour(rgb, box, -pad - 5, 2)
        # (A fill that stands out more has edges the ordinary pass sees: this is something else's halo.)
        if FAINT_FILL <= distance(fill, outside) <= EDGE_LEVEL + 4 and distance(rim, fill) < FAINT_FILL:
            out.append(Shape("box", box, fill, outside, _border_colour(rgb, box, fill), faint=True))
    return out


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
    """Nested outlines of one thing (a border and its focus ring) become the outermost one; a faint box
    never displaces a shape the ordinary edge level saw."""
    tol = max(3, int(unit * 0.35))
    kept: list[Shape] = []
    for s in sorted(shapes, key=lambda s: (s.faint, -(s.width * s.height))):  # (what the ordinary pass saw wins)
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
        return saturation(shape.fill) > 0.3 and distance(shape.fill, shape.outside) > 60
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
            # A light mark on a filled disc, or a dot in a ring: round, centred, in the ring's colour (or
            # a grey). A coloured glyph in a light ring (a heart, a book) is an icon.
            return True if distance(shape.fill, shape.outside) > 60 or _dot_in_ring(rgb, shape, annulus) else None
        if _light_marks_on_fill(crop, shape, marked):
            return True  # a filled disc with a tick that misses its very centre
        # Empty: the surface shows through, or a plain light or dark disc (a light radio on a dark band).
        plain = distance(centre, shape.outside) < 60 or saturation(centre) < 0.15
        return False if marked < 0.08 and plain else None
    accent = float((np.abs(crop - np.array(shape.border, np.int16)).max(axis=1) < 50).mean())
    # Checked: filled in the outline's accent colour, with a tick (a black box with a white tick) or in a
    # hue. A plain white or grey square with nothing in it is an empty box, even on a dark surface.
    filled = accent >= 0.35 and distance(shape.border, shape.outside) > 60
    if filled and (marked >= 0.08 or saturation(shape.fill) > 0.3):
        # (A filled glyph with light strokes, a book or a pencil, has slanted or ragged sides.)
        return True if straight_sides(rgb, shape.box, shape.outside) else None
    return False if marked < 0.08 else None


def _light_marks_on_fill(crop: np.ndarray, shape: Shape, marked: float) -> bool:
    """Filled in an accent colour (any hue) that stands out from the surface, with light strokes on it:
    how a custom control draws its checked state (a white tick on a blue box or a green disc)."""
    if marked < 0.08 or saturation(shape.fill) <= 0.3 or distance(shape.fill, shape.outside) <= 60:
        return False
    fill = np.array(shape.fill, np.int16)
    ink = crop[np.abs(crop - fill).max(axis=1) > 60]
    return bool(len(ink)) and float(ink.min(axis=1).mean()) > float(fill.max()) - 20 and \
        float(np.median(ink.min(axis=1))) >= 200


def _dot_in_ring(rgb: np.ndarray, shape: Shape, inside: Colour) -> bool:
    x1, y1, _, _ = shape.box
    n = min(shape.width, shape.height)
    crop = rgb[y1:y1 + n, x1:x1 + n].astype(np.int16)
    yy, xx = np.mgrid[0:n, 0:n]
    disc = np.hypot(yy - (n - 1) / 2, xx - (n - 1) / 2) <= 0.36 * n
    ink = (np.abs(crop - np.array(inside, np.int16)).max(axis=2) > 60) & disc
    if not round_dot(ink):
        return False
    m = np.median(crop[ink], axis=0)
    dot = (int(m[0]), int(m[1]), int(m[2]))
    return distance(dot, shape.border) < 60 or saturation(dot) < 0.2


def is_checked(rgb: np.ndarray, shape: Shape) -> bool:
    """True when a checkbox or radio reads as checked (see `control_state`)."""
    return bool(control_state(rgb, shape))
