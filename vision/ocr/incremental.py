"""Incremental parse: diff a new screenshot against the last one parsed and re-read only what changed.

After a click usually a small area changes (a checkbox, a field, a menu): the text lines read before are
kept wherever their pixels are unchanged, and only padded crops round the changed areas are read again
(`regions.reparse`, which also finds widget shapes again on the whole image, so states stay exact). A pure
vertical scroll moves most lines: a shift `dy` is found from rows that match between the two images, the
lines whose pixels moved by exactly `dy` are shifted instead of re-read, and only the newly exposed band
(and whatever else changed, e.g. a sticky header's shadow) is read. When the area to read passes
`regions.FULL_PARSE_SHARE` of the screen (navigation), it is a full parse.

The result is meant to equal a full parse of the same image: tests/test_incremental_parse.py checks it on
a sequence of real screens.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image

from vision.ocr.assemble import estimate_unit
from vision.ocr.regions import FULL_PARSE_SHARE, _regions, parse_with_lines, reparse
from vision.ocr.text import TextLine
from vision.types import Box, Parse

__all__ = ["IncrementalParser", "ParseStats", "diff_boxes", "find_scroll", "STATS"]

# A vertical shift counts as a scroll when at least this share of the textured rows agree on it.
SCROLL_VOTES = 0.3
# Changed pixels closer than this are one changed area (text strokes of one word, a caret and its field).
JOIN_PX = 9


@dataclass
class ParseStats:
    """What the incremental parser did, for the step-latency bench: one entry per parse."""

    full: int = 0  # full parses (first image, other size, or too much changed)
    incremental: int = 0  # parses that re-read only changed regions
    scrolls: int = 0  # incremental parses that shifted kept lines
    fallbacks: int = 0  # full parses forced by a large change (navigation) on an image of the same size
    changed_shares: list[float] = field(default_factory=list)  # share of the screen re-read, per parse

    def reset(self) -> None:
        self.full = self.incremental = self.scrolls = self.fallbacks = 0
        self.changed_shares.clear()

    def to_json(self) -> dict:
        shares = sorted(self.changed_shares)
        return {"full": self.full, "incremental": self.incremental, "scrolls": self.scrolls,
                "fallbacks_to_full": self.fallbacks,
                "changed_share_median": round(shares[len(shares) // 2], 4) if shares else None,
                "changed_shares": [round(s, 4) for s in self.changed_shares]}


STATS = ParseStats()  # process-wide: read by bench/step_latency.py


def diff_boxes(mask: np.ndarray) -> list[Box]:
    """Boxes round the changed pixels of a boolean (h, w) mask, nearby changes joined."""
    if not mask.any():
        return []
    grown = cv2.dilate(mask.astype(np.uint8), np.ones((JOIN_PX, JOIN_PX), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(grown, connectivity=8)
    h, w = mask.shape
    pad = JOIN_PX // 2
    boxes = []
    for x, y, bw, bh, _area in stats[1:count]:
        # dilation grew each area by `pad`: take it back, keep a pixel of margin
        boxes.append((max(0, int(x) + pad - 1), max(0, int(y) + pad - 1),
                      min(w, int(x + bw) - pad + 1), min(h, int(y + bh) - pad + 1)))
    return boxes


def _row_keys(rgb: np.ndarray) -> tuple[list[int], np.ndarray]:
    """A hash per pixel row, and which rows have texture (a blank row matches anywhere)."""
    rows = rgb.reshape(rgb.shape[0], -1)
    textured = rows.max(axis=1) != rows.min(axis=1)
    return [hash(r.tobytes()) for r in rows], textured


def find_scroll(old: np.ndarray, new: np.ndarray) -> int:
    """The vertical shift dy (new row y shows old row y + dy) that most textured rows agree on; 0 if none.
    A scroll down by 100 px gives dy = 100."""
    old_keys, old_tex = _row_keys(old)
    new_keys, new_tex = _row_keys(new)
    seen: dict[int, int] = {}
    for y, (k, t) in enumerate(zip(old_keys, old_tex, strict=True)):
        if t:
            seen[k] = -1 if k in seen else y  # -1: the row occurs twice, it says nothing
    votes: Counter[int] = Counter()
    for y, (k, t) in enumerate(zip(new_keys, new_tex, strict=True)):
        if t and seen.get(k, -1) >= 0:
            votes[seen[k] - y] += 1
    votes.pop(0, None)
    if not votes:
        return 0
    dy, n = votes.most_common(1)[0]
    return dy if n >= max(8, SCROLL_VOTES * int(new_tex.sum())) else 0


def _shifted(old: np.ndarray, dy: int) -> tuple[np.ndarray, np.ndarray]:
    """`old` moved up by dy rows (down for dy < 0), and where it is defined."""
    h = old.shape[0]
    out = np.zeros_like(old)
    valid = np.zeros(h, bool)
    if dy > 0:
        out[:h - dy], valid[:h - dy] = old[dy:], True
    elif dy < 0:
        out[-dy:], valid[-dy:] = old[:h + dy], True
    return out, valid


def _move(line: TextLine, dy: int) -> TextLine:
    def mv(b: Box) -> Box:
        return (b[0], b[1] - dy, b[2], b[3] - dy)

    return TextLine(line.text, mv(line.box), line.score, tuple((t, mv(b)) for t, b in line.words),
                    line.line_height, line.crumb)


def _same(a: np.ndarray, b: np.ndarray, box: Box, dy: int = 0) -> bool:
    """Whether `box` of image a equals the box moved up by dy in image b (False if it leaves b)."""
    h, w = a.shape[:2]
    x1, y1, x2, y2 = max(0, box[0] - 2), max(0, box[1] - 2), min(w, box[2] + 2), min(h, box[3] + 2)
    if y1 - dy < 0 or y2 - dy > h or x2 <= x1 or y2 <= y1:
        return False
    return bool(np.array_equal(a[y1:y2, x1:x2], b[y1 - dy:y2 - dy, x1:x2]))


def plan(old: np.ndarray, lines: list[TextLine], new: np.ndarray) -> tuple[list[TextLine], list[Box], int]:
    """The old lines still valid in `new` (moved where the page scrolled), the boxes to read again, and
    the scroll found (0 for none)."""
    same = np.all(old == new, axis=2)
    dy = 0
    if same.mean() < 0.995:  # more than a caret or a checkbox moved: a scroll?
        dy = find_scroll(old, new)
    explained = same
    if dy:
        moved, valid = _shifted(old, dy)
        explained = same | (np.all(moved == new, axis=2) & valid[:, None])
    kept: list[TextLine] = []
    changed = diff_boxes(~explained)
    for line in lines:
        if dy and _same(old, new, line.box, dy):
            kept.append(_move(line, dy))
        elif _same(old, new, line.box):
            kept.append(line)
        else:  # its pixels are gone from both places: read its old place again
            changed.append(line.box)
    return kept, changed, dy


class IncrementalParser:
    """Parses screenshots, each against the last one parsed (same size): only changed areas are read."""

    def __init__(self, det_limit_side_len: int = 1280, stats: ParseStats | None = None):
        self.det_limit_side_len = det_limit_side_len
        self.stats = stats if stats is not None else STATS
        self._last: tuple[np.ndarray, list[TextLine]] | None = None
        self._lock = threading.Lock()

    def forget(self) -> None:
        with self._lock:
            self._last = None

    def parse(self, img: Image.Image) -> tuple[Parse, list[TextLine]]:
        rgb = np.asarray(img.convert("RGB"))
        with self._lock:
            last = self._last
        out = self._parse(img, rgb, last)
        with self._lock:
            self._last = (rgb, out[1])
        return out

    def _parse(self, img: Image.Image, rgb: np.ndarray,
               last: tuple[np.ndarray, list[TextLine]] | None) -> tuple[Parse, list[TextLine]]:
        if last is None or last[0].shape != rgb.shape:
            self.stats.full += 1
            self.stats.changed_shares.append(1.0)
            return parse_with_lines(img, self.det_limit_side_len)
        old, old_lines = last
        kept, changed, dy = plan(old, old_lines, rgb)
        h, w = rgb.shape[:2]
        # the same regions `reparse` will read, to decide here between it and a full parse
        regions = _regions(changed, kept, int(1.5 * estimate_unit(kept, w)), w, h)
        share = sum((r[2] - r[0]) * (r[3] - r[1]) for r in regions) / float(w * h)
        self.stats.changed_shares.append(min(1.0, share))
        if share > FULL_PARSE_SHARE:
            self.stats.full += 1
            self.stats.fallbacks += 1
            return parse_with_lines(img, self.det_limit_side_len)
        self.stats.incremental += 1
        self.stats.scrolls += bool(dy)
        return reparse(img, kept, changed, self.det_limit_side_len)
