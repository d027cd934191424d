"""Checkboxes, radios and switches: small squares, circles and pills, their state and their caption."""

from __future__ import annotations

import colorsys

import numpy as np

from vision.ocr.items import BOXY, Item, chroma, clean_caption, colours, inside, overlap
from vision.ocr.widgets import Shape, control_state, distance, saturation
from vision.types import Box, Element

__all__ = ["small_controls"]


def _strip_shape_words(rgb: np.ndarray, items: list[Item], shape_box: Box) -> None:
    """Drop the glyphs OCR made of a checkbox, radio or icon ("口", "O", "8") from the text items; a cut
    item's colours are measured again (a filled box read as "✓" tinted the whole line's background)."""
    for item in items:
        old = item.box
        _strip_one(item, shape_box)
        if not item.used and item.box != old and item.box[2] - item.box[0] >= 2:
            item.ink, item.bg = colours(rgb, item.box)


def _strip_one(item: Item, shape_box: Box) -> None:
    """One item (see `_strip_shape_words`)."""
    if item.used or not inside(shape_box, item.box, 0.5) and not inside(item.box, shape_box, 0.5):
        return
    kept = [(t, b) for t, b in item.words if not inside(b, shape_box, 0.5)]
    if inside(item.box, shape_box, 0.5) and not kept:
        item.used = True  # the whole item is the shape; a short line ("✓ B") keeps the words beside it
        return
    if item.words and len(kept) < len(item.words) and kept:
        item.words = tuple(kept)
        sep = "" if all(not t.isascii() for t, _ in kept) else " "
        item.text = sep.join(t for t, _ in kept)
        item.box = (max(item.box[0], min(b[0] for _, b in kept) - 1), item.box[1],
                    item.box[2], item.box[3])
    elif item.box[0] >= shape_box[0] - 2 and _glyph_prefix(item.text):
        cut = _glyph_prefix(item.text)  # "口记住我", "✓Keep me posted": the shape read as a character
        head, item.text = item.text[:cut], item.text[cut:].strip()
        right = max(item.box[0], shape_box[2])
        if item.words:
            (t, b), rest = item.words[0], item.words[1:]
            t = t[cut:].strip() if t.startswith(head) else t
            item.words = (((t, (max(b[0], right), b[1], b[2], b[3])),) if t else ()) + tuple(rest)
        item.box = (right, item.box[1], item.box[2], item.box[3])


def _glyph_prefix(text: str) -> int:
    """How many leading characters of a text item that starts on a control are the control read as
    writing: "✓Keep" and "☑ Keep" 1, "[✓] Keep" 3, "口记住我" and "0Remember" 1; 0 if none."""
    n = 0
    while n < len(text) and not text[n].isalnum() and not text[n].isspace():
        n += 1
    if n == 0 and text[:1] in BOXY:
        n = 1
    return n if n < len(text) else 0


def _mark(text: str) -> bool:
    """What OCR makes of a drawn box or circle: no writing ("[✓]", "☑", "◎"), a box-like character
    ("口", "O", "0"), or one Latin letter (a tick read as "V"); other digits are writing. A Han character is writing: at DPR 2 the
    closed strokes of 例 or 用 can outline a small circle of their own."""
    return bool(text) and (not any(c.isalnum() for c in text) or text in BOXY
                           or len(text) == 1 and text.isascii() and not text.isdigit())  # ("3" in a pager)


def _leading_glyph(item: Item, shape: Shape, unit: float) -> bool:
    """The shape is what OCR read as the start of the item: "口 记住我", "[✓] Remember me", "✓Keep me
    posted", or the whole item ("[✓]", one character). A line whose first character is writing keeps it
    (at DPR 2 the strokes of 例 in "例如：zhaoliu" close a small circle)."""
    if shape.box[0] > item.box[0] + 0.5 * unit:
        return False
    if inside(item.box, shape.box, 0.8):
        return _mark(item.text) or len(item.text) == 1  # (an icon OCR read as "管" or "à")
    first = item.words[0][0] if item.words else item.text[:1]
    return _mark(first) or not first[:1].isalnum()


def _trim_edges(rgb: np.ndarray, items: list[Item], box: Box) -> None:
    """A text box that took in the edge of a control next to it gives that strip back (and its ink
    colour is measured again without the control's)."""
    for it in items:
        if it.used or overlap(it.box, box) <= 0:
            continue
        x1, y1, x2, y2 = it.box
        if box[0] > (x1 + x2) / 2 and box[0] > x1:
            it.box = (x1, y1, box[0] - 1, y2)
        elif box[2] < (x1 + x2) / 2 and box[2] < x2:
            it.box = (box[2] + 1, y1, x2, y2)
        else:
            continue
        it.ink, it.bg = colours(rgb, it.box)


def _caption(items: list[Item], box: Box, unit: float) -> Item | None:
    """The free text item just right of a checkbox or radio, centred on it."""
    cy = (box[1] + box[3]) / 2.0
    best, best_gap = None, 1.1 * unit
    for item in items:
        gap = item.box[0] - box[2]
        if item.used or gap < -2 or gap > best_gap or abs(item.cy - cy) > 0.6 * max(unit, item.height):
            continue
        best, best_gap = item, gap
    return best


def _split_at(rgb: np.ndarray, items: list[Item], item: Item, shape: Shape, unit: float) -> bool:
    """OCR read a checkbox or radio in the middle of a line ("商品标签 ☑ 新品"): cut the line there, so
    the words after it can be its caption. Only when blank space sets the shape apart from the words
    on both sides (a 口 inside 入口 has none) and no real word covers it."""
    if not item.words:
        return False
    left = [(t, b) for t, b in item.words if (b[0] + b[2]) / 2 < shape.box[0]]
    right = [(t, b) for t, b in item.words if (b[0] + b[2]) / 2 > shape.box[2]]
    over = [t for t, b in item.words if (t, b) not in left and (t, b) not in right]
    if not right or any(len(t) > 1 or t.isalnum() and t not in BOXY for t in over):
        return False
    gap = 0.25 * unit
    if right[0][1][0] - shape.box[2] < gap or (left and shape.box[0] - left[-1][1][2] < gap):
        return False
    idx = items.index(item)
    pieces = []
    for words, lo, hi in ((left, item.box[0], shape.box[0] - 1), (right, shape.box[2] + 1, item.box[2])):
        if words:
            x1, x2 = max(lo, words[0][1][0]), min(hi, words[-1][1][2])
            sep = "" if all(not t.isascii() for t, _ in words) else " "
            box = (x1, item.box[1], x2, item.box[3])
            ink, bg = colours(rgb, box)
            pieces.append(Item(sep.join(t for t, _ in words), box, item.score, ink, bg, tuple(words),
                               item.line_height))
    items[idx:idx + 1] = pieces
    return True


# Round controls wider than this many text units are "big rounds" (a todo's tick circles); the small
# ones end at the same size, so a ring that grows a little when it is checked (a filled disc with its
# rim) is still a control.
BIG_ROUND = 1.5


def small_controls(rgb: np.ndarray, shapes: list[Shape], items: list[Item], unit: float) -> list[Element]:
    out: list[Element] = []
    # Solid button-sized boxes: a round or square glyph inside one is the button's icon, not a control;
    # and no glyph inside any button- or field-sized box is listed as an icon of its own. (A button holds
    # one caption; a tinted band holding several items is a row, a selected table row, a toolbar.)
    solids = [s.box for s in shapes if s.kind == "box" and s.filled and s.height <= 3.6 * unit
              and sum(inside(it.box, s.box, 0.7) for it in items) <= 1]
    holders = [s.box for s in shapes if s.kind == "box" and s.height <= 3.6 * unit]
    out.extend(_big_rounds(rgb, shapes, items, unit))
    for shape in shapes:
        if shape.kind == "box" or shape.width > BIG_ROUND * unit and shape.kind == "circle":
            continue
        if any(inside(shape.box, b, 0.95) for b in solids) or any(inside(shape.box, e.box, 0.9) for e in out):
            continue
        if any(o.kind == "circle" and o.width > 1.6 * shape.width and inside(shape.box, o.box, 0.95) for o in shapes):
            out.append(Element("icon", "", shape.box, 0.5))  # a glyph framed by a ring: an icon
            continue
        # Controls are about as big as the text they caption; smaller or bigger round things are icons.
        limit = 3.2 * unit if shape.kind == "pill" else 1.5 * unit  # (a 16 px box beside 13 px text)
        # Its outline stands out, or it is filled a light grey all over, edge to edge (a flat style's box).
        seen = distance(shape.border, shape.outside) > 20 or shape.even_rim and min(
            distance(shape.border, shape.outside), distance(shape.fill, shape.outside)) > 12
        small = 0.7 * unit <= shape.height and shape.width <= limit and seen
        state = control_state(rgb, shape) if small else None
        # A glyph of a text line ("o" in a heading) is text, not a control; only a shape OCR read as the
        # first character of a line ("口 记住我"), or set apart inside one, may be a control.
        host = next((it for it in items if inside(shape.box, it.box, 0.6) and not _leading_glyph(it, shape, unit)),
                    None)
        if host is not None and not (state is not None and _split_at(rgb, items, host, shape, unit)):
            continue
        if shape.kind == "pill" and any(overlap(it.box, shape.box) > 0.3 for it in items):
            continue  # a badge with a count or a status in it
        _strip_shape_words(rgb, items, shape.box)
        if state is not None:
            _trim_edges(rgb, items, shape.box)
        caption = _caption(items, shape.box, unit)
        if state is not None and caption is not None and _captions_colour(rgb, shape, state, caption) \
                and not _group_member(rgb, shape, state, shapes, unit):
            continue  # an icon drawn in the colour of the words beside it (a heading's or a link's glyph)
        if state is not None and caption is not None and distance(shape.outside, caption.bg) < 30:
            kind = "radio" if shape.kind == "circle" else "checkbox"  # a switch is a checkbox
            caption.used = True
            label = _with_link(clean_caption(caption.text), caption, items, unit)
            for line in _wrapped(items, caption, shapes, unit):
                line.used = True
                label += ("" if not label[-1:].isascii() else " ") + line.text
            out.append(Element(kind, "", shape.box, 0.9, label=label, checked=state))
        elif state is not None and shape.kind in ("square", "pill"):
            # A bare box (a table's first column), or a switch captioned by a form label on its left.
            lab = _form_label(items, shape.box, unit) if shape.kind == "pill" else None
            out.append(Element("checkbox", "", shape.box, 0.6, label=lab.text if lab else "", checked=state))
        elif shape.kind == "pill" or shape.height < 0.6 * unit or any(inside(shape.box, b, 0.95) for b in holders):
            continue
        else:
            out.append(Element("icon", "", shape.box, 0.5))
    return out


def _with_link(label: str, caption: Item, items: list[Item], unit: float) -> str:
    """ "I agree to the [terms and conditions]": a link that goes on with the caption belongs to it too
    (it stays an element of its own)."""
    more = next((it for it in items if not it.used and abs(it.cy - caption.cy) < 0.4 * unit
                 and 0 <= it.box[0] - caption.box[2] <= 0.6 * unit), None)
    return label if more is None else label + ("" if not label[-1:].isascii() else " ") + more.text


def _wrapped(items: list[Item], caption: Item, shapes: list[Shape], unit: float) -> list[Item]:
    """The lines a control's caption wraps onto in a narrow column ("Custom Checkbox" / "checked"): free
    text starting at the caption's left edge one line further down, with no control of its own on its
    left (then it is the next control's caption). At most two more lines."""
    out, last = [], caption
    for _ in range(2):
        nxt = next((it for it in items if not it.used and it is not last and abs(it.box[0] - caption.box[0]) <= 0.5 * unit
                    and 0 <= it.box[1] - last.box[3] <= 0.9 * unit and 0.7 * last.height <= it.height <= 1.4 * last.height
                    and it.box[2] - it.box[0] <= caption.box[2] - caption.box[0] + 2 * unit), None)
        if nxt is None or any(s.kind != "box" and abs((s.box[1] + s.box[3]) / 2 - nxt.cy) <= 0.6 * unit
                              and 0 <= nxt.box[0] - s.box[2] <= 1.5 * unit for s in shapes):
            break
        out.append(nxt)
        last = nxt
    return out


def _captions_colour(rgb: np.ndarray, shape: Shape, state: bool, caption: Item) -> bool:
    """The mark is drawn in the same colour (a hue, not black or grey) as the caption's text: an icon
    of a heading or a link. A checkbox's box is grey or in an accent colour the caption is not."""
    # The text's own ink, measured away from the mark (a box cut next to it takes in its edge).
    x1, y1, x2, y2 = caption.box
    ink = colours(rgb, (x1 + (x2 - x1) // 3, y1, x2, y2))[0] if x2 - x1 >= 6 else caption.ink
    if chroma(ink) <= 60:
        return False
    mark = shape.fill if state and distance(shape.fill, shape.outside) > 60 else shape.border
    # (By hue: a small glyph's outline is lighter than the text's core, anti-aliased into the page.)
    return saturation(mark) > 0.25 and _hue_gap(mark, ink) < 20


def _group_member(rgb: np.ndarray, shape: Shape, state: bool, shapes: list[Shape], unit: float) -> bool:
    """One of a row or column of like controls, the others in the other state: the checked radio of a group
    whose caption takes the accent colour with it ("(•) 全部  ( ) 启用  ( ) 停用"). Icons a row of links
    or a heading carries look alike too, but are all drawn the same."""
    cx, cy = (shape.box[0] + shape.box[2]) / 2, (shape.box[1] + shape.box[3]) / 2
    for o in shapes:
        if o is shape or o.kind != shape.kind or abs(o.width - shape.width) > 2 or abs(o.height - shape.height) > 2:
            continue
        ox, oy = (o.box[0] + o.box[2]) / 2, (o.box[1] + o.box[3]) / 2
        lined = abs(oy - cy) <= 0.5 * unit or abs(ox - cx) <= 0.5 * unit
        if lined and 0 < abs(ox - cx) + abs(oy - cy) <= 20 * unit and control_state(rgb, o) not in (None, state):
            return True
    return False


def _hue_gap(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    ha = colorsys.rgb_to_hsv(*(v / 255 for v in a))[0] * 360
    hb = colorsys.rgb_to_hsv(*(v / 255 for v in b))[0] * 360
    return min(abs(ha - hb), 360 - abs(ha - hb))


def _form_label(items: list[Item], box: Box, unit: float) -> Item | None:
    """The free text item ending just left of `box` on its row (kept as a text element too)."""
    cy = (box[1] + box[3]) / 2.0
    near = [it for it in items if not it.used and 0 <= box[0] - it.box[2] <= 4 * unit
            and abs(it.cy - cy) <= 0.6 * max(unit, it.height)]
    return max(near, key=lambda it: it.box[2], default=None)


def _big_rounds(rgb: np.ndarray, shapes: list[Shape], items: list[Item], unit: float) -> list[Element]:
    """Round toggles bigger than text (a todo list's tick circles): a hollow ring, or one with a dot or
    tick in it, with a caption just right of it. Anything else that big and round (an avatar, a round
    icon button) is left alone."""
    out = []
    for shape in shapes:
        if shape.kind != "circle" or shape.width <= BIG_ROUND * unit:
            continue
        state = control_state(rgb, shape)
        hollow = distance(shape.fill, shape.outside) < 20
        if state is None and hollow and _ticked(rgb, shape):
            state = True  # a tick drawn in the ring's colour on the surface (a todo marked done)
        if state is None or not (state or hollow) or any(inside(it.box, shape.box, 0.5) for it in items):
            continue
        caption = _caption(items, shape.box, unit)
        if caption is None or distance(shape.outside, caption.bg) >= 30:
            continue
        _strip_shape_words(rgb, items, shape.box)
        caption.used = True
        out.append(Element("checkbox", "", shape.box, 0.8, label=_with_link(clean_caption(caption.text), caption, items,
                                                                          unit), checked=state))
    return out


def _ticked(rgb: np.ndarray, shape: Shape) -> bool:
    """Strokes inside a round toggle, in its outline's colour (not the surface's or text's grey)."""
    x1, y1, x2, y2 = shape.box
    k = max(2, (x2 - x1) // 4)
    crop = rgb[y1 + k:y2 - k, x1 + k:x2 - k].reshape(-1, 3).astype(np.int16)
    if crop.size == 0:
        return False
    ink = crop[np.abs(crop - np.array(shape.fill, np.int16)).max(axis=1) > 60]
    if len(ink) < 0.04 * len(crop):
        return False
    m = np.median(ink, axis=0)
    return distance((int(m[0]), int(m[1]), int(m[2])), shape.border) < 60 and max(shape.border) - min(shape.border) > 30
