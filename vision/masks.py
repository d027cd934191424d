"""Masks: regions of a screen that stillness waits and visual checks ignore (a clock, an ad, a login time).

A mask is written either as a target description (`'"Last login" text'`, `'the second "Ad" image'`),
resolved by the vision backend on each image it applies to, or as a box `[x1, y1, x2, y2]` in CSS
pixels of the page (scaled to the image by the caller's `scale`). An optional `tolerance` (pixels)
grows the region, for a thing that moves a little. One parser, one resolver: scenario files, the
config, `pagesight diff` and the pytest `expect` all read masks through here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pagesight_errors import TargetError
from vision.target import check_description
from vision.types import Box, ImageInput

__all__ = ["Mask", "parse_masks", "parse_mask_args", "resolve_masks"]


@dataclass(frozen=True)
class Mask:
    """One masked region: a target description or a fixed box (CSS pixels), grown by `tolerance`."""

    target: str | None = None
    box: tuple[float, float, float, float] | None = None
    tolerance: int = 0

    def describe(self) -> str:
        return self.target if self.target is not None else "[" + ", ".join(f"{v:g}" for v in self.box or ()) + "]"


def _box(value: list[Any]) -> tuple[float, float, float, float]:
    if len(value) != 4 or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        raise TargetError(f"a mask box is four numbers [x1, y1, x2, y2], got {value!r}")
    x1, y1, x2, y2 = (float(v) for v in value)
    if x2 <= x1 or y2 <= y1:
        raise TargetError(f"a mask box [x1, y1, x2, y2] needs x2 > x1 and y2 > y1, got {value!r}")
    return (x1, y1, x2, y2)


def _one(value: Any) -> Mask:
    if isinstance(value, str):
        check_description(value)
        return Mask(target=value)
    if isinstance(value, (list, tuple)):
        return Mask(box=_box(list(value)))
    if isinstance(value, dict):
        extra = set(value) - {"target", "box", "tolerance"}
        if extra or ("target" in value) == ("box" in value):
            raise TargetError("a mask written as a mapping has exactly one of `target:` or `box:`, and "
                              f"optionally `tolerance:`; got {sorted(value)}")
        tol = value.get("tolerance", 0)
        if not isinstance(tol, int) or isinstance(tol, bool) or not 0 <= tol <= 500:
            raise TargetError(f"a mask's tolerance is a whole number of pixels from 0 to 500, got {tol!r}")
        base = _one(value["target"] if "target" in value else list(value["box"]))
        return Mask(target=base.target, box=base.box, tolerance=tol)
    raise TargetError(f"a mask is a target description or a box [x1, y1, x2, y2], got {value!r}")


def parse_masks(value: Any) -> tuple[Mask, ...]:
    """Masks as written in a scenario, the config or on the command line; TargetError saying what is
    wrong with the first bad one. `None` is no masks."""
    if value is None:
        return ()
    if not isinstance(value, (list, tuple)) or (len(value) == 4 and all(isinstance(v, (int, float)) for v in value)):
        # a lone box or a lone description is a list of one
        value = [value]
    return tuple(_one(v) for v in value)


_NUM = r"\s*(-?\d+(?:\.\d+)?)\s*"
_BOX_ARG = re.compile(r"\s*\[?" + ",".join([_NUM] * 4) + r"\]?\s*")


def parse_mask_args(values: tuple[str, ...] | list[str]) -> tuple[Mask, ...]:
    """Masks given on a command line (`--mask`, repeatable): `x1,y1,x2,y2` (or `[x1, y1, x2, y2]`) is a
    box, anything else a target description; TargetError for a bad one."""
    items: list[Any] = []
    for v in values:
        m = _BOX_ARG.fullmatch(v)
        items.append([float(g) for g in m.groups()] if m else v)
    return parse_masks(items) if items else ()


def resolve_masks(masks: tuple[Mask, ...] | list[Mask], image: ImageInput, backend: Any = None,
                  scale: float = 1.0, size: tuple[int, int] | None = None) -> tuple[list[Box], list[str]]:
    """The masks' boxes in `image`'s pixels, and the descriptions that could not be found there.

    `backend` locates target masks (anything with `locate(image, target)`); `scale` turns CSS-pixel boxes
    into image pixels; `size` (width, height) clips the boxes. A target not found on this image masks
    nothing there; the caller decides whether that is an error (a visual check reports it)."""
    boxes: list[Box] = []
    missing: list[str] = []
    for m in masks:
        if m.box is not None:
            x1, y1, x2, y2 = (v * scale for v in m.box)
        else:
            if backend is None:
                raise TargetError(f"the mask {m.target!r} names a target, which needs a vision backend")
            loc = backend.locate(image, m.target)
            if not loc.found or loc.box is None:
                missing.append(m.target or "")
                continue
            x1, y1, x2, y2 = loc.box
        t = m.tolerance * scale
        box = (int(x1 - t), int(y1 - t), int(round(x2 + t)), int(round(y2 + t)))
        if size is not None:
            w, h = size
            box = (max(0, box[0]), max(0, box[1]), min(w, box[2]), min(h, box[3]))
            if box[2] <= box[0] or box[3] <= box[1]:
                continue
        boxes.append(box)
    return boxes, missing
