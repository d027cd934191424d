"""Two screenshots compared at one of three levels, as a list of changes a person can read.

- `pixel`: every pixel that differs beyond pixelmatch's threshold (anti-aliasing left out) counts; the
  changes are named after the elements they touch ("the 'Save' button changed colour").
- `layout`: the same elements in the same places. Texts, states and colours may change; elements that
  appear, vanish, move or resize count, and so do shapes that changed where no text is (an icon, a
  chart). A page scrolled by some offset is compared at that offset (see vision.compare.match).
- `content`: the same texts and controls (with their states); positions may shift by `tolerance`.

At every level a changed region that no element explains is still reported (kind `pixels`), at the
element levels only when its shapes changed, not its colours alone. Masks are ignored everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from pagesight_errors import BadImage
from vision.compare.match import Change, covered, element_changes, overlap
from vision.compare.pixels import DEFAULT_THRESHOLD, diff_mask, regions, structural
from vision.compare.report import summarize
from vision.masks import Mask, resolve_masks
from vision.types import Box, Element, ImageInput, Parse, load_image

__all__ = ["LEVELS", "Diff", "compare", "DEFAULT_TOLERANCE"]

LEVELS = ("pixel", "layout", "content")
#: how far (px) an element may drift before it counts as moved or resized, per level
DEFAULT_TOLERANCE = {"pixel": 2, "layout": 4, "content": 24}
#: a changed region of fewer pixels is rendering noise (a glyph edge pixelmatch's anti-aliasing test missed)
MIN_PIXELS = 3
_COUNTS = {"pixel": {"added", "removed", "moved", "resized", "text", "state", "pixels"},
           "layout": {"added", "removed", "moved", "resized", "pixels"},
           "content": {"added", "removed", "moved", "text", "state", "pixels"}}


@dataclass
class Diff:
    """What `compare` found: the changes that count at `level`, and the changed share of the pixels."""

    level: str
    changes: list[Change]
    pixel_ratio: float
    size: tuple[int, int]
    masks_before: list[Box] = field(default_factory=list)
    masks_after: list[Box] = field(default_factory=list)
    missing_masks: list[str] = field(default_factory=list)  # target masks not found on either image
    shift: tuple[int, int] = (0, 0)

    @property
    def same(self) -> bool:
        return not self.changes

    def to_json(self, scale: float = 1.0) -> dict[str, Any]:
        return {"changes": [c.to_json(scale) for c in self.changes], "pixel_ratio": round(self.pixel_ratio, 6)}

    def summaries(self) -> list[str]:
        return [c.summary for c in self.changes]


def _elements(parse: Parse | None, masks: Sequence[Box]) -> list[Element]:
    if parse is None:
        return []
    return [e for e in (*parse.elements, *parse.behind) if not covered(e.box, masks)]


def _aligned(a: np.ndarray, b: np.ndarray, shift: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """`b` moved back by `shift` over `a`, where the two overlap (the rest is left equal)."""
    dx, dy = shift
    h, w = a.shape[:2]
    moved = a.copy()
    ys = slice(max(0, -dy), min(h, h - dy))
    xs = slice(max(0, -dx), min(w, w - dx))
    moved[ys, xs] = b[ys.start + dy:ys.stop + dy, xs.start + dx:xs.stop + dx]
    return a, moved


def _reading_order(change: Change) -> tuple[int, int]:
    box = next(b for b in change.boxes if b is not None)
    return (box[1] // 8, box[0])  # a few pixels apart vertically still read as one row


def _owner(box: Box, elements: Sequence[Element]) -> Element | None:
    best = max(elements, key=lambda e: overlap(box, e.box), default=None)
    return best if best is not None and overlap(box, best.box) > 0 else None


def _backed(change: Change, pixels: np.ndarray, shift: tuple[int, int], grow: int = 2) -> bool:
    """True when pixels changed inside the change's boxes (the after box moved back by `shift`)."""
    before, after = change.boxes
    if after is not None:
        after = (after[0] - shift[0], after[1] - shift[1], after[2] - shift[0], after[3] - shift[1])
    for box in (before, after):
        if box is not None:
            x1, y1, x2, y2 = (int(v) for v in box)
            if pixels[max(0, y1 - grow):max(0, y2 + grow), max(0, x1 - grow):max(0, x2 + grow)].any():
                return True
    return False


def compare(before: ImageInput, after: ImageInput, *, level: str = "pixel", backend: Any = None,
            masks: Sequence[Mask] = (), threshold: float = DEFAULT_THRESHOLD, tolerance: int | None = None,
            before_parse: Parse | None = None, after_parse: Parse | None = None, scale: float = 1.0, min_pixels: int = MIN_PIXELS) -> Diff:
    """Compare two screenshots of the same size.

    `backend` (anything with `parse` and `locate`) reads the elements; without one only pixel regions
    are reported. `masks` are resolved on each image (targets by the backend, boxes in CSS pixels times
    `scale`). `before_parse` / `after_parse` skip a parse already made (a stored baseline's). Changed
    regions of fewer than `min_pixels` pixels are left out (0 keeps every one)."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    img_a, img_b = load_image(before), load_image(after)
    if img_a.size != img_b.size:
        raise BadImage(f"the images differ in size ({img_a.width}x{img_a.height} and {img_b.width}x{img_b.height}); "
                       "compare screenshots taken at one viewport and device scale factor")
    tol = DEFAULT_TOLERANCE[level] if tolerance is None else int(tolerance)
    mask_a, missing_a = resolve_masks(tuple(masks), img_a, backend, scale=scale, size=img_a.size)
    mask_b, missing_b = resolve_masks(tuple(masks), img_b, backend, scale=scale, size=img_b.size)
    ignore = mask_a + mask_b  # a clock that moved is masked where it was and where it is
    a, b = np.asarray(img_a), np.asarray(img_b)
    pixels = diff_mask(a, b, threshold, ignore)
    ratio = float(pixels.sum()) / (a.shape[0] * a.shape[1])
    diff = Diff(level, [], ratio, img_a.size, mask_a, mask_b, sorted(set(missing_a) & set(missing_b)))
    changed = regions(pixels, min_pixels=min_pixels)
    if not changed:
        return diff  # nothing differs: no need to read either screen
    if backend is not None:
        before_parse = before_parse or backend.parse(img_a)
        after_parse = after_parse or backend.parse(img_b)
    els_a, els_b = _elements(before_parse, ignore), _elements(after_parse, ignore)
    changes, shift, pairs = element_changes(els_a, els_b, img_a.size, tol, absorb_shift=level != "pixel")
    diff.shift = shift
    if shift != (0, 0):
        a, b = _aligned(a, b, shift)
        pixels = diff_mask(a, b, threshold, ignore)
        changed = regions(pixels, min_pixels=min_pixels)
    # OCR reads an unchanged line a little differently now and then: a change counts only where pixels changed
    changes = [c for c in changes if _backed(c, pixels, shift)]
    counted = [c for c in changes if c.kind in _COUNTS[level]]
    explained = [box for c in counted for box in c.boxes if box is not None]
    allowed = [box for c in changes if c not in counted for box in c.boxes if box is not None]
    textless = {id(e) for pair in pairs for e in pair if not e.name}
    by_owner: dict[int, Change] = {}
    for region, _ in changed:
        if any(overlap(region, box) for box in explained):
            continue
        shape = structural(a, b, region)
        pair = _owner(region, [f for _, f in pairs]) or _owner(region, els_b) or _owner(region, els_a)
        if level != "pixel":
            if not shape or any(overlap(region, box) for box in allowed):
                continue  # colours, or a text / state change this level allows
            if pair is not None and id(pair) not in textless:
                continue  # the shapes of a text changed but it reads the same: not for this level
        before_el = next((e for e, f in pairs if f is pair), None) if pair is not None else None
        change = Change("pixels", before_el or pair, pair, region=region, detail="shape" if shape else "colour")
        if pair is not None and id(pair) in by_owner:  # one change per element, however many specks
            old = by_owner[id(pair)]
            r = old.region or region
            merged = (min(r[0], region[0]), min(r[1], region[1]), max(r[2], region[2]), max(r[3], region[3]))
            change = replace(old, region=merged, detail="shape" if shape or old.detail == "shape" else "colour")
            counted[counted.index(old)] = change
        else:
            counted.append(change)
        if pair is not None:
            by_owner[id(pair)] = change
    counted.sort(key=_reading_order)  # numbered top to bottom, left to right, in words and on the picture
    diff.changes = [replace(c, summary=summarize(c, scale)) for c in counted]
    return diff
