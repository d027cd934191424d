"""Pairing the elements of two parses, and what changed between the pairs.

Elements pair first by the same text (the nearest one of the same kind first), then by place (boxes
that overlap, or controls of one kind that sit close), and what is left over was removed or added.
A pair has moved, resized, changed its text or its state (checked, disabled). `tolerance` is how many
pixels a position or a size may drift before it counts.

A page that was scrolled shifts almost everything by one offset: `common_shift` finds that offset, and
with it (layout and content levels) an element counts as moved only when it moved by neither nothing
nor the shift (a fixed header stays put, the content scrolls), and elements that scrolled out of view or
into it are neither removed nor added.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vision.textmatch import normalize
from vision.types import Box, Element

__all__ = ["Change", "pair_elements", "element_changes", "common_shift", "overlap", "covered"]

_TEXTUAL = {"text", "link", "button", "tab", "menu", "menuitem"}


@dataclass(frozen=True)
class Change:
    """One difference. `before`/`after` are the elements on each side (None where there is none); a
    `pixels` change without an element has its `region` instead. `summary` is one line of words."""

    kind: str  # added, removed, moved, resized, text, state, pixels
    before: Element | None = None
    after: Element | None = None
    region: Box | None = None
    summary: str = ""
    detail: str = ""  # for `pixels`: "colour" (only colours changed) or "shape"

    @property
    def boxes(self) -> tuple[Box | None, Box | None]:
        b = self.before.box if self.before else self.region
        a = self.after.box if self.after else self.region
        return (b if self.kind != "added" else None, a if self.kind != "removed" else None)

    def to_json(self, scale: float = 1.0) -> dict[str, Any]:
        def side(el: Element | None, box: Box | None) -> dict[str, Any] | None:
            if box is None:
                return None
            out: dict[str, Any] = {"box": [int(round(v / scale)) for v in box]}
            if el is not None:
                out.update(text=el.name, kind=el.kind)
                if el.checked is not None:
                    out["checked"] = el.checked
            return out

        b, a = self.boxes
        return {"kind": self.kind, "before": side(self.before if b else None, b),
                "after": side(self.after if a else None, a), "summary": self.summary}


def overlap(a: Box, b: Box) -> int:
    """The area two boxes share."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(0, w) * max(0, h)


def _area(b: Box) -> int:
    return max(1, (b[2] - b[0]) * (b[3] - b[1]))


def covered(box: Box, masks: Sequence[Box], share: float = 0.5) -> bool:
    """True when masks cover at least `share` of `box`."""
    return sum(overlap(box, m) for m in masks) >= share * _area(box)


def _centre(b: Box) -> tuple[float, float]:
    return ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)


def _shifted(b: Box, s: tuple[int, int]) -> Box:
    return (b[0] + s[0], b[1] + s[1], b[2] + s[0], b[3] + s[1])


def _iou(a: Box, b: Box) -> float:
    inter = overlap(a, b)
    return inter / (_area(a) + _area(b) - inter)


def pair_elements(before: Sequence[Element], after: Sequence[Element], shift: tuple[int, int] = (0, 0)
                  ) -> tuple[list[tuple[Element, Element]], list[Element], list[Element]]:
    """(pairs, only in before, only in after)."""
    pairs: list[tuple[Element, Element]] = []
    left, right = list(range(len(before))), list(range(len(after)))

    def take(candidates: list[tuple[float, int, int]]) -> None:
        for _, i, j in sorted(candidates):
            if i in left and j in right:
                left.remove(i)
                right.remove(j)
                pairs.append((before[i], after[j]))

    def dist(e: Element, f: Element) -> float:
        (bx, by), (ax, ay) = _centre(e.box), _centre(f.box)
        plain = abs(ax - bx) + abs(ay - by)
        return min(plain, abs(ax - bx - shift[0]) + abs(ay - by - shift[1]))

    names_b = [normalize(e.name) for e in before]
    names_a = [normalize(f.name) for f in after]
    take([(dist(e, f) + (0 if e.kind == f.kind else 10_000), i, j)
          for i, e in enumerate(before) for j, f in enumerate(after) if names_b[i] and names_b[i] == names_a[j]])
    by_place = []
    for i in left:
        e = before[i]
        for j in right:
            f = after[j]
            same = e.kind == f.kind or (e.kind in _TEXTUAL and f.kind in _TEXTUAL)
            fit = max(_iou(e.box, f.box), _iou(_shifted(e.box, shift), f.box))
            near = e.kind == f.kind and not names_b[i] and not names_a[j] and dist(e, f) <= 24
            if same and (fit >= 0.3 or near):
                by_place.append((1 - fit, i, j))
    take(by_place)
    return pairs, [before[i] for i in left], [after[j] for j in right]


def common_shift(pairs: Sequence[tuple[Element, Element]], tolerance: int = 2) -> tuple[int, int]:
    """The offset most same-text pairs moved by, when at least half moved by it and it is not nothing
    (a scrolled page); else (0, 0)."""
    moves = [(round((f.box[0] - e.box[0]) / 2) * 2, round((f.box[1] - e.box[1]) / 2) * 2)
             for e, f in pairs if normalize(e.name) and normalize(e.name) == normalize(f.name)]
    if len(moves) < 3:
        return (0, 0)
    best, votes = Counter(moves).most_common(1)[0]
    if abs(best[0]) <= tolerance and abs(best[1]) <= tolerance:
        return (0, 0)
    near = sum(abs(m[0] - best[0]) <= tolerance and abs(m[1] - best[1]) <= tolerance for m in moves)
    return best if near * 2 >= len(moves) else (0, 0)


def _out_of_view(box: Box, shift: tuple[int, int], size: tuple[int, int], margin: int = 4) -> bool:
    """True when `box`, moved by `shift`, leaves the image (it scrolled out of view)."""
    x1, y1, x2, y2 = _shifted(box, shift)
    w, h = size
    return x1 < margin or y1 < margin or x2 > w - margin or y2 > h - margin


def _displacement(a: Box, b: Box, same_text: bool, tolerance: int) -> tuple[float, float]:
    """How far `b` lies from `a`. A text that changed changes its width too: then it stayed put when its
    left edge, its right edge or its centre did (it is aligned by one of them)."""
    (bx, by), (ax, ay) = _centre(a), _centre(b)
    dx, dy = ax - bx, ay - by
    if not same_text:
        dx = min((b[0] - a[0], b[2] - a[2], dx), key=abs)
        dy = min((b[1] - a[1], b[3] - a[3], dy), key=abs)
    return dx, dy


def element_changes(before: Sequence[Element], after: Sequence[Element], size: tuple[int, int],
                    tolerance: int = 4, absorb_shift: bool = False) -> tuple[list[Change], tuple[int, int],
                                                                             list[tuple[Element, Element]]]:
    """Every element-level change (kinds added, removed, moved, resized, text, state, summaries empty),
    the scroll offset absorbed ((0, 0) unless `absorb_shift`), and the pairs."""
    pairs, gone, new = pair_elements(before, after)
    shift = common_shift(pairs) if absorb_shift else (0, 0)
    if shift != (0, 0):
        pairs, gone, new = pair_elements(before, after, shift)
        gone = [e for e in gone if not _out_of_view(e.box, shift, size)]
        new = [f for f in new if not _out_of_view(f.box, (-shift[0], -shift[1]), size)]
    changes: list[Change] = []
    for e, f in pairs:
        same_text = normalize(e.name) == normalize(f.name)
        if not same_text:
            changes.append(Change("text", e, f))
        if e.checked is not None and f.checked is not None and e.checked != f.checked \
                or bool(e.disabled) != bool(f.disabled):
            changes.append(Change("state", e, f))
        dx, dy = _displacement(e.box, f.box, same_text, tolerance)
        if abs(dx - shift[0]) <= tolerance and abs(dy - shift[1]) <= tolerance:
            dx, dy = 0, 0  # it scrolled with the page
        if max(abs(dx), abs(dy)) > tolerance:
            changes.append(Change("moved", e, f))
        elif same_text:
            dw = (f.box[2] - f.box[0]) - (e.box[2] - e.box[0])
            dh = (f.box[3] - f.box[1]) - (e.box[3] - e.box[1])
            if max(abs(dw), abs(dh)) > tolerance:
                changes.append(Change("resized", e, f))
    changes += [Change("removed", e, None) for e in gone]
    changes += [Change("added", None, f) for f in new]
    return changes, shift, pairs
