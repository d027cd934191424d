"""Fields a box outline does not give away.

- A borderless or underlined field in a form row (WeUI cells, Material's underline style): all that
  shows is its faint placeholder, right of the row's label. The placeholder's place is the field's.
- A field whose placeholder is one lone glyph ("￥", "@") or a short word OCR missed on the full page,
  and a small box holding a lone character (a pagination square): its inside is read again on its
  own, enlarged (all such boxes of a screen in one batch).
"""

from __future__ import annotations

import numpy as np

from vision.ocr.items import Item
from vision.ocr.widgets import contrast, distance
from vision.types import Box, Element

__all__ = ["bare_fields", "reread_empty", "reread", "lone_texts", "addon", "placeholder_well", "drop_icon", "caption_run"]

# At most this many small boxes are read again per screen (a toolbar of icon buttons costs ~5 ms each).
MAX_REREADS = 40


def _faint(item: Item, page_ink: int) -> bool:
    c = contrast(item.ink, item.bg)
    return c < 3.0 or (c < 7.5 and page_ink - distance(item.ink, item.bg) > 40)


def bare_fields(items: list[Item], unit: float, page_ink: int, width: int) -> list[Element]:
    """Inputs seen only by their placeholder: a short faint text item, the last thing on its row, with a
    short label in ordinary ink ending a little left of it. The label is the field's name, and the
    placeholder stays a text element inside it (people name a field by either)."""
    out: list[Element] = []
    for ph in items:
        if ph.used or not 0 < len(ph.text) <= 20 or not _faint(ph, page_ink):
            continue
        row = [it for it in items if it is not ph and abs(it.cy - ph.cy) <= 0.5 * max(unit, ph.height)]
        if any(it.box[0] > ph.box[2] and it.box[0] - ph.box[2] < 0.3 * width for it in row):
            continue  # something else follows it on the row: not a field running to the row's end
        left = [it for it in row if it.box[2] <= ph.box[0] - unit]
        if not left:
            continue
        lab = max(left, key=lambda it: it.box[2])
        if lab.used or len(lab.text) > 12 or _faint(lab, page_ink) or ph.box[0] - lab.box[2] > 8 * unit \
                or lab.text.rstrip()[-1:] in ".。!！":
            continue
        pad = max(2, int(0.4 * unit))
        x1, y1, x2, y2 = ph.box
        box: Box = (x1 - pad, y1 - pad, max(x2 + pad, x1 + int(6 * unit)), y2 + pad)
        ph.used = True
        out.append(Element("input", "", box, 0.6, label=lab.text.rstrip(":："), id=0))
        out.append(Element("text", ph.text, ph.box, round(ph.score, 3)))
    return out


def addon(field: Box, other: Box) -> bool:
    """`other`, touching `field` at its left or right end, is an input group's addon (a search or "@"
    button), not the next cell of a table row: square-ish, and the field at least three times as wide."""
    ow, oh = other[2] - other[0], other[3] - other[1]
    return ow <= 1.6 * oh and field[2] - field[0] >= 3 * ow


def placeholder_well(box: Box, it: Item, unit: float) -> bool:
    """A box whose one text is plainly placeholder grey (contrast under 3 on the box), at its left after
    at most an icon, and short beside the box: a field, even in a grid or column of like boxes, where
    a box would otherwise pass for a table cell or a band of a striped list (whose text is ordinary ink)."""
    return contrast(it.ink, it.bg) < 3.0 and it.box[0] - box[0] <= 4 * unit \
        and it.box[2] - it.box[0] < 0.8 * (box[2] - box[0])


def drop_icon(text: str) -> str:
    """"Q Search..." -> "Search...": a magnifier (or other round glyph) in front of a field's placeholder,
    read by OCR as a letter, is not part of the placeholder."""
    parts = text.split(" ", 1)
    if len(parts) == 2 and len(parts[0]) == 1 and parts[0] in "QqOo0@" and parts[1][:1].isalpha():
        return parts[1].strip()
    return text


def caption_run(items: list[Item], lab: Item, field: Box, unit: float) -> list[Item]:
    """A field's caption with the pieces OCR split it into: the label item, then the free text items that
    go on along its line ("#11" + "select", a code-like caption in two fonts), each starting within two
    text units of the last and before the field's right end (past it starts the next column's label);
    and for a label on the field's left, the words that go on just right of the field ("Show [10] entries")."""
    run = [lab]
    while True:
        last = run[-1]
        nxt = [it for it in items if not it.used and it not in run and it.kind == "text"
               and abs(it.cy - last.cy) <= 0.35 * unit and 0 <= it.box[0] - last.box[2] <= 2 * unit
               and it.box[0] < field[2] and 0.6 * last.height <= it.height <= 1.6 * last.height]
        if not nxt:
            break
        run.append(min(nxt, key=lambda it: it.box[0]))
    if field[2] - field[0] <= 6 * unit and run[-1].box[2] <= field[0] + 2 and abs(lab.cy - (field[1] + field[3]) / 2.0) <= 0.5 * (field[3] - field[1]):
        # "Show [10 ⇕] entries": a caption a small inline field sits inside goes on right after it
        tail = [it for it in items if not it.used and it not in run and it.kind == "text" and len(it.text) <= 20
                and abs(it.cy - lab.cy) <= 0.35 * unit and 0 <= it.box[0] - field[2] <= 1.2 * unit]
        run += tail[:1]
    return run


def lone_texts(rgb: np.ndarray, boxes: list[Box], items: list[Item], unit: float) -> list[Item]:
    """Small boxes with ink but no text in them (pagination squares, short tabs) read on their own: the
    page's OCR passes over a lone character. The items found, for the caller to add to its own."""
    from vision.ocr.items import colours, inside

    small, stale = [], []
    for b in boxes:
        if b[3] - b[1] > 3.6 * unit or b[2] - b[0] >= 5 * unit or any(inside(b, it.box, 0.5) for it in items):
            continue
        held = [it for it in items if not it.used and inside(it.box, b, 0.3)]
        # A lone character whose reading cannot be right (its ink box flatter than a character, its line
        # taller than the box) is read again too.
        bad = len(held) == 1 and len(held[0].text) <= 2 and (held[0].height < 0.4 * unit or
                                                             held[0].line_height > b[3] - b[1])
        if not held or bad:
            small.append(b)
            stale.append(held[0] if bad else None)
    out = []
    for seen, old in zip(reread(rgb, small[:MAX_REREADS], unit, 0.7), stale[:MAX_REREADS], strict=True):
        if seen is not None:
            if old is not None:
                old.used = True
            ink, bg = colours(rgb, seen[1])
            out.append(Item(seen[0], seen[1], 0.7, ink, bg, (), int(round(unit / 0.6))))
    return out


def reread_empty(rgb: np.ndarray, box: Box, unit: float) -> tuple[str, Box] | None:
    """Read the inside of an empty-looking field again on its own: a lone "￥" OCR skipped on the full
    page. (text, ink box) or None."""
    return reread(rgb, [box], unit)[0]


def reread(rgb: np.ndarray, boxes: list[Box], unit: float, min_score: float = 0.5) -> list[tuple[str, Box] | None]:
    """Read the ink inside each box again on its own, twice the size and padded with its own background,
    all in one batch: what page-wide OCR skips (a lone "￥" in a field, "3" in a pagination square).
    Per box, (text, ink box) or None (blank, only a caret, or long text the page's OCR would have read)."""
    from vision.ocr.text import get_engine, ink_box

    gray = rgb.mean(axis=2).astype(np.uint8) if boxes else None
    crops, where = [], []
    for i, (x1, y1, x2, y2) in enumerate(boxes):
        pad = max(2, int(0.25 * unit))
        inner = (x1 + pad, y1 + pad, x2 - pad, y2 - pad)
        if inner[2] - inner[0] < 4 or inner[3] - inner[1] < 4:
            continue
        ink = ink_box(gray, inner)
        if ink is None or ink[3] - ink[1] < 0.5 * unit or ink[2] - ink[0] > 12 * unit:
            continue
        crops.append(_crop(rgb, inner, ink))
        where.append((i, ink))
    out: list[tuple[str, Box] | None] = [None] * len(boxes)
    recognise = getattr(get_engine(), "recognize_txt", None) if crops else None
    if recognise is None:
        return out
    try:
        res = recognise(crops)
    except Exception:  # (RapidOCR raises its own error when it reads nothing)
        return out
    txts, scores = list(getattr(res, "txts", None) or []), list(getattr(res, "scores", None) or [])
    for (i, ink), txt, score in zip(where, txts, scores, strict=False):
        if float(score) >= min_score and str(txt).strip():
            out[i] = (str(txt).strip(), ink)
    return out


def _crop(rgb: np.ndarray, inner: Box, ink: Box) -> np.ndarray:
    import cv2

    h = ink[3] - ink[1]
    cx1, cx2 = max(inner[0], ink[0] - h), min(inner[2], ink[2] + h)
    crop = np.ascontiguousarray(rgb[inner[1]:inner[3], cx1:cx2, ::-1])
    bg = np.median(crop.reshape(-1, 3), axis=0).astype(np.uint8)
    crop = cv2.copyMakeBorder(crop, h, h, h, h, cv2.BORDER_CONSTANT, value=[int(v) for v in bg])
    return np.ascontiguousarray(cv2.resize(crop, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC))
