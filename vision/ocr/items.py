"""Text items while a page is assembled: their colours, splits by colour, and shared box helpers."""

from __future__ import annotations

import colorsys
from dataclasses import dataclass, field

import numpy as np

from vision.types import Box

__all__ = ["Item", "ARROWS", "BOXY", "colours", "split_by_colour", "is_link_colour", "inside", "overlap",
           "chroma", "clean_caption"]

Colour = tuple[int, int, int]
ARROWS = set("vV∨⌄﹀▾▼⌵ˇ>〉›»↓")
BOXY = set("口□☐回日目0oO〇○◯◎@©8")


@dataclass
class Item:
    """A text item while the page is being assembled."""

    text: str
    box: Box
    score: float
    ink: Colour = (0, 0, 0)
    bg: Colour = (255, 255, 255)
    words: tuple = ()
    line_height: int = 0
    kind: str = "text"
    used: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]

    @property
    def cy(self) -> float:
        return (self.box[1] + self.box[3]) / 2.0


def colours(rgb: np.ndarray, box: Box) -> tuple[Colour, Colour]:
    """(ink, background) of a text box: the background is the commonest colour, ink the farthest."""
    x1, y1, x2, y2 = box
    crop = rgb[max(0, y1 - 1):y2 + 1, max(0, x1 - 1):x2 + 1].reshape(-1, 3).astype(np.int16)
    if crop.size == 0:
        return (0, 0, 0), (255, 255, 255)
    border = np.concatenate([rgb[max(0, y1 - 2), x1:x2], rgb[min(rgb.shape[0] - 1, y2 + 1), x1:x2]])
    bg = np.median(border.reshape(-1, 3), axis=0) if border.size else np.median(crop, axis=0)
    dist = np.abs(crop - bg).max(axis=1)
    far = crop[dist >= np.percentile(dist, 93)]  # the glyphs' cores, not their anti-aliased edges
    ink = np.median(far, axis=0) if far.size else bg
    return (int(ink[0]), int(ink[1]), int(ink[2])), (int(bg[0]), int(bg[1]), int(bg[2]))


def _colour_switch(rgb: np.ndarray, box: Box) -> int | None:
    """The x where a line's ink switches once between plain and link colour (in the blank gap there),
    else None."""
    x1, y1, x2, y2 = box
    crop = rgb[y1:y2, x1:x2].astype(np.int16)
    if crop.size == 0:
        return None
    bg = np.median(crop.reshape(-1, 3), axis=0)
    ink = np.abs(crop - bg).max(axis=2) > 60
    # Glyph clusters (runs of inked columns), each judged by the colour of its ink's cores (a muted link
    # blue's anti-aliased edges are greyer than the blue itself).
    cols = ink.any(axis=0)
    segments, start = [], None
    for x in range(len(cols) + 1):
        on = x < len(cols) and cols[x]
        if on and start is None:
            start = x
        elif not on and start is not None:
            if x - start >= 2:  # anti-aliased specks say nothing about colour
                px = crop[:, start:x][ink[:, start:x]]
                far = np.abs(px - bg).max(axis=1)
                c = np.median(px[far >= np.percentile(far, 70)], axis=0)
                rgb_c = (int(c[0]), int(c[1]), int(c[2]))
                segments.append([_tint(rgb_c), start, x - 1])
            start = None
    # A thin glyph tinted blue but too light to tell ("《" of "《相关条款》") goes with its nearer neighbour.
    for k, seg in enumerate(segments):
        if seg[0] is None:
            near = sorted((abs(o[1] - seg[2]) if o[1] > seg[2] else abs(seg[1] - o[2]), o[0])
                          for o in segments[max(0, k - 1):k] + segments[k + 1:k + 2] if o[0] is not None)
            seg[0] = near[0][1] if near else False
    merged: list[list] = []
    for seg in segments:
        if merged and merged[-1][0] == seg[0]:
            merged[-1][2] = seg[2]
        else:
            merged.append(list(seg))
    if len(merged) != 2:
        return None
    return x1 + (merged[0][2] + merged[1][1]) // 2


def _split_text(words: tuple, x: int) -> tuple[str, str]:
    """The words' text cut at x; a word that straddles x (OCR missed a space) is cut in proportion,
    snapped to a nearby punctuation or lower-to-upper case boundary."""
    left, right = [], []
    for t, (wx1, _, wx2, _) in words:
        if wx2 <= x:
            left.append(t)
        elif wx1 >= x:
            right.append(t)
        else:
            k = round(len(t) * (x - wx1) / max(1, wx2 - wx1))
            for d in (0, 1, -1, 2, -2):
                j = k + d
                if 0 < j < len(t) and (t[j - 1] in "?!.,:;？！。，：" or t[j] in "《（(「“[" or t[j - 1].islower()
                                       and t[j].isupper()):
                    k = j
                    break
            left.append(t[:k])
            right.append(t[k:])
    sep = " " if any(t.isascii() for t, _ in words) else ""
    return sep.join(t for t in left if t), sep.join(t for t in right if t)


def split_by_colour(rgb: np.ndarray, item: Item) -> list[Item]:
    """ "Don't have an account? Sign up": a line whose ink switches once between plain and link colour
    is two things, the text and the link."""
    if not item.words or len(item.text) < 4 or chroma(item.bg) > 30:
        return [item]  # (white text on a coloured button: its anti-aliased edges look tinted)
    x = _colour_switch(rgb, item.box)
    if x is None:
        return [item]
    texts = _split_text(item.words, x)
    if not all(sum(c.isalnum() for c in t) >= 2 for t in texts):
        return [item]  # (a ticked checkbox read as "✓" is coloured too, and not a link)
    out = []
    for text, box in zip(texts, ((item.box[0], item.box[1], x, item.box[3]), (x, item.box[1], item.box[2], item.box[3])),
                         strict=True):
        words = tuple((t, b) for t, b in item.words if box[0] <= (b[0] + b[2]) / 2 < box[2])
        ink, bg = colours(rgb, box)
        out.append(Item(text, box, item.score, ink, bg, words, item.line_height))
    return out


def _tint(c: Colour) -> bool | None:
    """A glyph cluster's colour: a link's (True), not (False), or tinted towards it, undecided (None)."""
    if is_link_colour(c):
        return True
    h, s, _ = colorsys.rgb_to_hsv(c[0] / 255.0, c[1] / 255.0, c[2] / 255.0)
    return None if 0.52 <= h <= 0.72 and s >= 0.15 else False


def is_link_colour(c: Colour) -> bool:
    h, s, v = colorsys.rgb_to_hsv(c[0] / 255.0, c[1] / 255.0, c[2] / 255.0)
    return 0.52 <= h <= 0.72 and s >= 0.40 and v >= 0.45  # (WeUI's muted link blue #576b95: 0.42)


def inside(inner: Box, outer: Box, frac: float = 0.7) -> bool:
    ix1, iy1 = max(inner[0], outer[0]), max(inner[1], outer[1])
    ix2, iy2 = min(inner[2], outer[2]), min(inner[3], outer[3])
    if ix2 <= ix1 or iy2 <= iy1:
        return False
    area = max(1, (inner[2] - inner[0]) * (inner[3] - inner[1]))
    return (ix2 - ix1) * (iy2 - iy1) >= frac * area


def overlap(a: Box, b: Box) -> float:
    """Intersection over the smaller area."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    return w * h / max(1, min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1])))


def chroma(c: Colour) -> int:
    """How coloured a colour is (0 for greys, whatever their lightness; 255 for pure hues)."""
    return max(c) - min(c)


def clean_caption(text: str) -> str:
    """ "+ New project" -> "New project", "＋新增" -> "新增", "日Billing" -> "Billing": an icon OCR read as a
    character in front of a control's caption is not part of its name."""
    parts = text.split(" ", 1)
    if len(parts) == 2 and len(parts[0]) == 1 and (not parts[0].isalnum() or parts[0] in BOXY) \
            and parts[1][:1].isalpha():
        return parts[1].strip()
    if len(parts) == 2 and len(parts[0]) == 1 and parts[0].islower() and parts[1][:1].isupper():
        return parts[1].strip()  # "i Delete", "è Delete": a trash icon read as a lower-case letter
    if len(text) > 1 and not text[0].isalnum() and not text[0].isspace() and text[1].isalpha() \
            and text[0] not in "([{<\"'“‘«《「『（【#@$€£¥":
        return text[1:].strip()
    if len(text) > 2 and text[0] in BOXY and not text[0].isascii() and text[1].isascii() and text[1].isalpha():
        return text[1:]
    return text
