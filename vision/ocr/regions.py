"""Re-read only the parts of a screen that changed: the way to fast steps on CPU.

OCR dominates a parse (detection ~0.25 s per 1280x800 page, recognition ~15 ms per line). After a
click usually only a small area changes (a checkbox, a field, a toast), so the text lines read from
the previous screenshot are kept outside the changed boxes and only crops around them are read
again; widget shapes are cheap and are found again on the whole new image, so states stay exact.
Either way, when a modal dialog sits over a dimmed page, the page behind it is read undimmed and kept
apart (modal.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from PIL import Image

from vision.ocr.assemble import assemble, estimate_unit
from vision.ocr.known import KnownCrops
from vision.ocr.modal import assemble_modal, modal_box, readable
from vision.ocr.text import TextLine, read_lines
from vision.ocr.widgets import find_shapes
from vision.types import Box, Parse

__all__ = ["reparse", "parse_with_lines", "FULL_PARSE_SHARE"]

# When the changed area (with margins) covers more than this share of the screen, read it all.
FULL_PARSE_SHARE = 0.5
# Text detection is a network with stride 32 that resizes its input to multiples of 32 and pads inputs
# wider than 8:1: crops on the 32-pixel grid, at most 8:1, see what the full image's detection saw there.
GRID, MAX_RATIO = 32, 8


def parse_with_lines(img: Image.Image, det_limit_side_len: int = 1280,
                     known: KnownCrops | None = None) -> tuple[Parse, list[TextLine]]:
    """A full parse, and the text lines it was built from (kept for later partial re-reads). With
    `known`, line crops read before are not recognised again (the same parse, sooner)."""
    rgb = np.asarray(img.convert("RGB"))
    lines = read_lines(np.ascontiguousarray(readable(rgb)[:, :, ::-1]), det_limit_side_len, known=known)
    return _build(rgb, lines), lines


def _build(rgb: np.ndarray, lines: list[TextLine]) -> Parse:
    h, w = rgb.shape[:2]
    unit = estimate_unit(lines, w)
    shapes = find_shapes(rgb, unit)
    dialog = modal_box(rgb)
    if dialog is not None:  # a modal over a dimmed page: what lies behind it is seen, not usable
        return assemble_modal(rgb, dialog, lines, shapes, unit)
    elements = assemble(rgb, lines, shapes, unit)
    return Parse(w, h, tuple(elements))


def _touches(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _shift(line: TextLine, dx: int, dy: int) -> TextLine:
    def mv(b: Box) -> Box:
        return (b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy)

    return TextLine(line.text, mv(line.box), line.score, tuple((t, mv(b)) for t, b in line.words),
                    line.line_height, line.crumb)


def _measured(line: TextLine, old: list[TextLine]) -> TextLine:
    """`line` with the OCR line height of the old line it reads again (same text, same ink box).

    Detection's padded line boxes move by a few pixels with what surrounds a line (a crop's edges, text
    elsewhere), and the font-size yardstick is their median: a line read again from a crop, its ink
    unchanged, keeps the height measured on the whole screen, so repeated partial reads do not drift."""
    same = next((o for o in old if o.text == line.text
                 and all(abs(p - q) <= 1 for p, q in zip(o.box, line.box, strict=True))), None)
    return line if same is None else replace(line, line_height=same.line_height)


def _on_grid(r: Box, w: int, h: int) -> Box:
    """`r` grown to the detector's 32-pixel grid and to at most 8:1 (clipped to the w x h image)."""
    x1, y1 = r[0] - r[0] % GRID, r[1] - r[1] % GRID
    x2, y2 = min(w, -(-r[2] // GRID) * GRID), min(h, -(-r[3] // GRID) * GRID)
    while x2 - x1 > MAX_RATIO * (y2 - y1) and (y1 > 0 or y2 < h):
        y1, y2 = (y1, min(h, y2 + GRID)) if y2 < h else (max(0, y1 - GRID), y2)
    return (x1, y1, x2, y2)


def _regions(changed: Sequence[Box], lines: list[TextLine], margin: int, w: int, h: int) -> list[Box]:
    """Changed boxes grown by a margin and by every old line they cut, on the detector's grid, clipped,
    overlapping ones merged."""
    regions = [_on_grid((max(0, x1 - margin), max(0, y1 - margin), min(w, x2 + margin), min(h, y2 + margin)),
                        w, h) for x1, y1, x2, y2 in changed if x2 > x1 and y2 > y1]
    grown = True
    while grown:
        grown = False
        for i, r in enumerate(regions):
            for line in lines:
                b = line.box
                if _touches(r, b) and not (r[0] <= b[0] and r[1] <= b[1] and b[2] <= r[2] and b[3] <= r[3]):
                    m = max(2, line.line_height // 2)  # room round the ink, as detection had it
                    r = (min(r[0], b[0] - m), min(r[1], b[1] - m), max(r[2], b[2] + m), max(r[3], b[3] + m))
                    r = _on_grid((max(0, r[0]), max(0, r[1]), min(w, r[2]), min(h, r[3])), w, h)
                    grown = True
            for j, o in enumerate(regions):
                if j != i and _touches(r, o):
                    r = _on_grid((min(r[0], o[0]), min(r[1], o[1]), max(r[2], o[2]), max(r[3], o[3])), w, h)
                    regions.pop(j)
                    grown = True
                    break
            regions[i] = r
            if grown:
                break
    return regions


def reparse(img: Image.Image, old_lines: list[TextLine], changed: Sequence[Box],
            det_limit_side_len: int = 1280) -> tuple[Parse, list[TextLine]]:
    """A parse of `img` reusing `old_lines` (read from an earlier screenshot of the same size) outside
    the `changed` boxes. Falls back to a full parse when much of the screen changed."""
    rgb = np.asarray(img.convert("RGB"))
    h, w = rgb.shape[:2]
    unit = estimate_unit(old_lines, w)
    regions = _regions(changed, old_lines, int(1.5 * unit), w, h)
    if sum((r[2] - r[0]) * (r[3] - r[1]) for r in regions) > FULL_PARSE_SHARE * w * h:
        return parse_with_lines(img, det_limit_side_len)
    lines = [ln for ln in old_lines if not any(_touches(ln.box, r) for r in regions)]
    gone = [ln for ln in old_lines if any(_touches(ln.box, r) for r in regions)]
    bgr = np.ascontiguousarray(readable(rgb)[:, :, ::-1])
    for x1, y1, x2, y2 in regions:
        if x2 - x1 < 8 or y2 - y1 < 8:
            continue
        crop = np.ascontiguousarray(bgr[y1:y2, x1:x2])
        lines.extend(_measured(_shift(line, x1, y1), gone) for line in read_lines(crop, det_limit_side_len))
    lines.sort(key=lambda ln: (ln.box[1], ln.box[0]))
    return _build(rgb, lines), lines
