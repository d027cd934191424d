"""Join OCR text to widget shapes: decide each thing's kind, label, value and state.

What the fields of an `Element` mean here (the `ocr` backend's contract):
- button: `text` is the caption written on it; `disabled` is True when it is greyed out (text barely
  stands out from its fill), else False.
- input / textarea / select: `text` is the value typed or chosen, "" when the field is empty or shows only
  a placeholder (grey text, told apart from a value by its contrast). `label` is the caption left of or
  above the field (nearest, aligned); when there is none, the placeholder.
- checkbox / radio: `box` is the square or circle itself, `checked` is read from its pixels, `label` is the
  caption right of it; that caption is part of the control and is not repeated as a `text` element.
- link: text in a link colour (blue-ish, saturated), no box around it. tab / menuitem: see layout.py.
- text: every other piece of text, `box` tight around its ink. Field labels stay `text` elements too
  (they are what "below 'Password'" refers to).
- icon: a small glyph-only square or circle (an avatar, an icon button) with no readable text.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass, field

import numpy as np

from vision.ocr.layout import mark_menus, mark_tabs, reading_order
from vision.ocr.text import TextLine
from vision.ocr.widgets import Shape, contrast, control_state, distance, has_chevron, has_resize_handle
from vision.types import Box, Element

__all__ = ["Item", "assemble", "estimate_unit"]

Colour = tuple[int, int, int]
# Characters OCR reads for a drawn arrow or a glyph-only icon at the end of a field.
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


def estimate_unit(lines: list[TextLine], image_width: int) -> float:
    """The page's typical font size in pixels: the yardstick for every size threshold.

    OCR's own line boxes are padded in proportion to the font (about 1.7x its size), so their median
    is steadier than ink heights, which depend on which letters a line has."""
    heights = sorted(line.line_height for line in lines if len(line.text) >= 2 and line.line_height)
    if heights:
        return float(max(6.0, 0.6 * heights[len(heights) // 2]))
    return 14.0 * max(1.0, image_width / 1600.0)


def _colours(rgb: np.ndarray, box: Box) -> tuple[Colour, Colour]:
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
    return tuple(int(v) for v in ink), tuple(int(v) for v in bg)


def _is_link_colour(c: Colour) -> bool:
    h, s, v = colorsys.rgb_to_hsv(c[0] / 255.0, c[1] / 255.0, c[2] / 255.0)
    return 0.52 <= h <= 0.72 and s >= 0.45 and v >= 0.45


def _inside(inner: Box, outer: Box, frac: float = 0.7) -> bool:
    ix1, iy1 = max(inner[0], outer[0]), max(inner[1], outer[1])
    ix2, iy2 = min(inner[2], outer[2]), min(inner[3], outer[3])
    if ix2 <= ix1 or iy2 <= iy1:
        return False
    area = max(1, (inner[2] - inner[0]) * (inner[3] - inner[1]))
    return (ix2 - ix1) * (iy2 - iy1) >= frac * area


def _overlap(a: Box, b: Box) -> float:
    """Intersection over the smaller area."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    return w * h / max(1, min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1])))


def _strip_shape_words(items: list[Item], shape_box: Box) -> None:
    """Drop the glyphs OCR made of a checkbox, radio or icon ("口", "O", "8") from the text items."""
    for item in items:
        if item.used or not _inside(shape_box, item.box, 0.5) and not _inside(item.box, shape_box, 0.5):
            continue
        if _inside(item.box, shape_box, 0.5):
            item.used = True
            continue
        kept = [(t, b) for t, b in item.words if not _inside(b, shape_box, 0.5)]
        if item.words and len(kept) < len(item.words) and kept:
            item.words = tuple(kept)
            sep = "" if all(not t.isascii() for t, _ in kept) else " "
            item.text = sep.join(t for t, _ in kept)
            item.box = (max(item.box[0], min(b[0] for _, b in kept) - 1), item.box[1],
                        item.box[2], item.box[3])
        elif item.text[:1] in BOXY and len(item.text) > 1 and item.box[0] >= shape_box[0] - 2:
            item.text = item.text[1:].strip()
            item.box = (max(item.box[0], shape_box[2]), item.box[1], item.box[2], item.box[3])


def _leading_glyph(item: Item, shape: Shape, unit: float) -> bool:
    first = item.words[0][0] if item.words else item.text[:1]
    return shape.box[0] <= item.box[0] + 0.5 * unit and len(first) == 1


def _trim_edges(rgb: np.ndarray, items: list[Item], box: Box) -> None:
    """A text box that took in the edge of a control next to it gives that strip back (and its ink
    colour is measured again without the control's)."""
    for it in items:
        if it.used or _overlap(it.box, box) <= 0:
            continue
        x1, y1, x2, y2 = it.box
        if box[0] > (x1 + x2) / 2 and box[0] > x1:
            it.box = (x1, y1, box[0] - 1, y2)
        elif box[2] < (x1 + x2) / 2 and box[2] < x2:
            it.box = (box[2] + 1, y1, x2, y2)
        else:
            continue
        it.ink, it.bg = _colours(rgb, it.box)


def _caption(items: list[Item], box: Box, unit: float) -> Item | None:
    """The free text item just right of a checkbox or radio, centred on it."""
    cy = (box[1] + box[3]) / 2.0
    best, best_gap = None, 1.6 * unit
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
            ink, bg = _colours(rgb, box)
            pieces.append(Item(sep.join(t for t, _ in words), box, item.score, ink, bg, tuple(words),
                               item.line_height))
    items[idx:idx + 1] = pieces
    return True


def _small_controls(rgb: np.ndarray, shapes: list[Shape], items: list[Item], unit: float) -> list[Element]:
    out: list[Element] = []
    # Solid button-sized boxes: a round or square glyph inside one is the button's icon, not a control;
    # and no glyph inside any button- or field-sized box is listed as an icon of its own.
    solids = [s.box for s in shapes if s.kind == "box" and s.filled and s.height <= 3.6 * unit]
    holders = [s.box for s in shapes if s.kind == "box" and s.height <= 3.6 * unit]
    for shape in shapes:
        if shape.kind == "box":
            continue
        if any(_inside(shape.box, b, 0.95) for b in solids):
            continue
        # Controls are about as big as the text they caption; smaller or bigger round things are icons.
        limit = 3.2 * unit if shape.kind == "pill" else 1.35 * unit
        small = 0.7 * unit <= shape.height and shape.width <= limit and distance(shape.border, shape.outside) > 20
        state = control_state(rgb, shape) if small else None
        # A glyph of a text line ("o" in a heading) is text, not a control; only a shape OCR read as the
        # first character of a line ("口 记住我"), or set apart inside one, may be a control.
        host = next((it for it in items if _inside(shape.box, it.box, 0.6) and not _leading_glyph(it, shape, unit)),
                    None)
        if host is not None and not (state is not None and _split_at(rgb, items, host, shape, unit)):
            continue
        if shape.kind == "pill" and any(_overlap(it.box, shape.box) > 0.3 for it in items):
            continue  # a badge with a count or a status in it
        _strip_shape_words(items, shape.box)
        if state is not None:
            _trim_edges(rgb, items, shape.box)
        caption = _caption(items, shape.box, unit)
        if state is not None and caption is not None and distance(shape.outside, caption.bg) < 30:
            kind = "radio" if shape.kind == "circle" else "checkbox"  # a switch is a checkbox
            caption.used = True
            out.append(Element(kind, "", shape.box, 0.9, label=_clean_caption(caption.text), checked=state))
        elif state is not None and shape.kind in ("square", "pill"):
            # A bare box (a table's first column), or a switch captioned by a form label on its left.
            lab = _form_label(items, shape.box, unit) if shape.kind == "pill" else None
            out.append(Element("checkbox", "", shape.box, 0.6, label=lab.text if lab else "", checked=state))
        elif shape.kind == "pill" or shape.height < 0.6 * unit or any(_inside(shape.box, b, 0.95) for b in holders):
            continue
        else:
            out.append(Element("icon", "", shape.box, 0.5))
    return out


def _form_label(items: list[Item], box: Box, unit: float) -> Item | None:
    """The free text item ending just left of `box` on its row (kept as a text element too)."""
    cy = (box[1] + box[3]) / 2.0
    near = [it for it in items if not it.used and 0 <= box[0] - it.box[2] <= 4 * unit
            and abs(it.cy - cy) <= 0.6 * max(unit, it.height)]
    return max(near, key=lambda it: it.box[2], default=None)


def _clean_caption(text: str) -> str:
    """ "+ New project" -> "New project", "＋新增" -> "新增", "日Billing" -> "Billing": an icon OCR read as a
    character in front of a control's caption is not part of its name."""
    parts = text.split(" ", 1)
    if len(parts) == 2 and len(parts[0]) == 1 and (not parts[0].isalnum() or parts[0] in BOXY) \
            and parts[1][:1].isalpha():
        return parts[1].strip()
    if len(text) > 1 and not text[0].isalnum() and not text[0].isspace() and text[1].isalpha() \
            and text[0] not in "([{<\"'“‘«#@$€£¥":
        return text[1:].strip()
    if len(text) > 2 and text[0] in BOXY and not text[0].isascii() and text[1].isascii() and text[1].isalpha():
        return text[1:]
    return text


def _field_label(items: list[Item], box: Box, unit: float, taken: set[int]) -> Item | None:
    """The caption of a field: nearest free text left of it (same row) or above it (aligned)."""
    x1, y1, x2, y2 = box
    cy = (y1 + y2) / 2.0
    best, best_d = None, float("inf")
    for idx, item in enumerate(items):
        if item.used or idx in taken or len(item.text) > 40 or item.text.rstrip()[-1:] in ".。!！":
            continue  # (a sentence above a field is a subtitle, not its label)
        ix1, iy1, ix2, iy2 = item.box
        if ix2 <= x1 + 2 and abs(item.cy - cy) <= 0.5 * (y2 - y1) and x1 - ix2 <= 8 * unit:
            d = (x1 - ix2) * 1.0
        elif iy2 <= y1 + 2 and y1 - iy2 <= 2.2 * unit and abs(ix1 - x1) <= 1.5 * unit:
            d = (y1 - iy2) + abs(ix1 - x1) * 0.3
        else:
            continue
        if d < best_d:
            best, best_d = item, d
    return best


def _box_widgets(rgb: np.ndarray, gray: np.ndarray, shapes: list[Shape], items: list[Item], unit: float,
                 page_ink: int) -> list[tuple[Element, Shape]]:
    out: list[tuple[Element, Shape]] = []
    boxes = [s for s in shapes if s.kind == "box"]
    tol = max(3, int(0.3 * unit))
    # Small boxes first: a button inside a toolbar box claims its caption before the toolbar is seen.
    for shape in sorted(boxes, key=lambda s: s.width * s.height):
        if _stacked(shape, boxes, tol) or shape.box[1] <= 2 or shape.box[3] >= rgb.shape[0] - 2:
            continue  # (a band reaching the screen's edge is a highlighted bar segment, not a widget)
        x1, y1, x2, y2 = shape.box
        bh, bw = y2 - y1, x2 - x1
        inside = [it for it in items if not it.used and _inside(it.box, shape.box, 0.7)]
        # Arrows and icon glyphs OCR read at either end of a field belong to the field.
        tail = [it for it in inside if len(it.text) <= 2 and all(not c.isalnum() or c in ARROWS or c in BOXY
                                                                 for c in it.text)
                and (x2 - it.box[2] < 2.5 * unit or it.box[0] - x1 < 2.5 * unit) and len(inside) > 1]
        words = [it for it in inside if it not in tail]
        bordered = distance(shape.border, shape.fill) > 18
        # A field is a colourless well drawn with an outline, or lighter than the surface around it.
        fieldish = _chroma(shape.fill) < 40 and (bordered or sum(shape.fill) > sum(shape.outside) + 15)
        tall = 3.6 * unit < bh <= 16 * unit and bw >= 8 * unit
        well = tall and bordered and fieldish and sum(shape.fill) >= sum(shape.outside) - 15
        handle = well and has_resize_handle(gray, shape.box, unit)
        element = None
        if not words:
            if bh <= 3.6 * unit and bw >= 5 * unit and fieldish and not _cell(shape, boxes, tol):
                kind = "select" if has_chevron(gray, shape.box, unit, x1) else "input"
                element = Element(kind, "", shape.box, 0.6)
            elif handle:
                element = Element("textarea", "", shape.box, 0.6)
        elif len(words) == 1 and 1.08 * words[0].line_height <= bh <= max(3.6 * unit, 2.8 * words[0].line_height) \
                and not handle:
            element = _one_line(gray, shape, words[0], unit, page_ink, fieldish, bordered,
                                _cell(shape, boxes, tol))
        if element is None and well and not any(_inside(e.box, shape.box, 0.9) for e, _ in out):
            element = _textarea(shape, words, unit, page_ink, handle)  # (a dialog holds other widgets)
        if element is None:
            continue
        for it in words + tail:
            it.used = True
        out.append((element, shape))
    return out


def _textarea(shape: Shape, words: list[Item], unit: float, page_ink: int, handle: bool) -> Element | None:
    """A tall outlined box: a textarea if it has a resize handle or a faint placeholder at its top left
    (a card with text in it has neither)."""
    x1, y1, _, _ = shape.box
    if not words:
        return None
    if min(it.box[1] for it in words) - y1 > 2.2 * unit or any(it.box[0] - x1 > 2.5 * unit for it in words):
        return None
    sizes = [it.line_height for it in words]
    if max(sizes) > 1.33 * min(sizes):  # a heading over a figure: a card, not a field
        return None
    text = " ".join(it.text for it in sorted(words, key=lambda i: (i.box[1], i.box[0])))
    placeholder = all(_is_placeholder(it, page_ink) for it in words)
    if not (handle or placeholder):
        return None
    return Element("textarea", "" if placeholder else text, shape.box, 0.8, label=text if placeholder else "")


def _one_line(gray: np.ndarray, shape: Shape, it: Item, unit: float, page_ink: int, fieldish: bool,
              bordered: bool, cell: bool) -> Element | None:
    """A box holding one text item: a button (text centred, or a solid fill), or a field (text at the
    left, after at most an icon), or a select (a field with a dropdown arrow)."""
    x1, _, x2, _ = shape.box
    bw = x2 - x1
    left, right = it.box[0] - x1, x2 - it.box[2]
    centred = abs(left - right) <= max(0.8 * unit, 0.2 * (left + right))  # (an icon shifts the caption)
    # An icon button: a glyph OCR read as "0+", "×" or "⚙". Digits alone are buttons (pagination).
    glyph_only = bw < 1.6 * shape.height and (not any(c.isalnum() for c in it.text) or len(it.text) <= 2
                                              and not it.text.isalnum() or len(it.text) == 1 and it.text.isalpha())
    if glyph_only and (shape.filled or bordered):
        return Element("icon", "", shape.box, 0.5)
    if shape.filled and not fieldish and (centred or right < 2 * unit) and not glyph_only:
        return Element("button", _clean_caption(it.text), shape.box, 0.9, disabled=_looks_disabled(it, shape))
    if centred and (bordered or shape.filled) and bw < 14 * unit and not glyph_only:
        return Element("button", _clean_caption(it.text), shape.box, 0.8, disabled=_looks_disabled(it, shape))
    if not fieldish or cell or centred or bw < 5 * unit or _chroma(it.ink) > 70:
        return None  # (coloured text in a box is a selected nav entry, not a typed value)
    if left > 1.4 * unit and bw < 12 * unit:  # icon + caption in a short outlined box: a menu button
        return Element("button", _clean_caption(it.text), shape.box, 0.7, disabled=False)
    if left > 3 * unit and (bw < 15 * unit or it.box[2] > x1 + 0.6 * bw):
        return None
    kind = "select" if has_chevron(gray, shape.box, unit, it.box[2]) else "input"
    placeholder = kind == "input" and _is_placeholder(it, page_ink)
    return Element(kind, "" if placeholder else it.text, shape.box, 0.8, label=it.text if placeholder else "")


def _stacked(shape: Shape, boxes: list[Shape], tol: int) -> bool:
    """One of three or more bands of the same width stacked edge to edge (table rows, a card's header
    over its rows): a section of a bigger thing, not a widget."""
    x1, x2 = shape.box[0], shape.box[2]
    column = sorted((o.box[1], o.box[3]) for o in boxes
                    if abs(o.box[0] - x1) <= tol and abs(o.box[2] - x2) <= tol)
    run, best, mine = 1, 1, False
    for (a1, a2), (b1, b2) in zip(column, column[1:], strict=False):
        run = run + 1 if abs(b1 - a2) <= tol else 1
        mine = mine or (b1, b2) == (shape.box[1], shape.box[3]) or (a1, a2) == (shape.box[1], shape.box[3])
        best = max(best, run)
    return best >= 3 and mine


def _cell(shape: Shape, boxes: list[Shape], tol: int) -> bool:
    """A table cell: a same-height neighbour touching it left or right, drawn the same way."""
    x1, y1, x2, y2 = shape.box
    return any(o is not shape and abs(o.box[1] - y1) <= tol and abs(o.box[3] - y2) <= tol
               and (abs(o.box[0] - x2) <= tol or abs(o.box[2] - x1) <= tol)
               and distance(o.fill, shape.fill) <= 3 and distance(o.border, shape.border) < 20 for o in boxes)


def _dark(c: Colour) -> bool:
    return sum(c) < 3 * 90


def _is_placeholder(item: Item, page_ink: int) -> bool:
    """Placeholder text is faint: low contrast, or clearly fainter than the page's ordinary text."""
    c = contrast(item.ink, item.bg)
    faint = distance(item.ink, item.bg)
    return c < 3.0 or (c < 7.5 and page_ink - faint > 40)


def _looks_disabled(item: Item, shape: Shape) -> bool:
    c = contrast(item.ink, shape.fill)
    grey = _chroma(shape.fill) < 25 and _chroma(item.ink) < 30
    return c < 1.9 or (grey and c < 2.6)


def _chroma(c: Colour) -> int:
    """How coloured a colour is (0 for greys, whatever their lightness; 255 for pure hues)."""
    return max(c) - min(c)


def assemble(rgb: np.ndarray, lines: list[TextLine], shapes: list[Shape], unit: float) -> list[Element]:
    """Every element on the page, in reading order, ids from 1."""
    gray = rgb.mean(axis=2).astype(np.uint8)
    items: list[Item] = []
    for line in lines:
        ink, bg = _colours(rgb, line.box)
        items.append(Item(line.text, line.box, line.score, ink, bg, line.words, line.line_height or line.height))
    faint = sorted(distance(it.ink, it.bg) for it in items) or [200]
    page_ink = faint[(3 * len(faint)) // 4]  # how far ordinary text stands out from its background

    elements: list[Element] = _small_controls(rgb, shapes, items, unit)
    boxed = _box_widgets(rgb, gray, shapes, items, unit, page_ink)
    taken: set[int] = set()
    for el, _shape in boxed:
        if el.kind in ("input", "select", "textarea"):
            lab = _field_label(items, el.box, unit, taken)
            if lab is not None:
                taken.add(items.index(lab))
                el = Element(el.kind, el.text, el.box, el.score, label=lab.text)  # outer label wins
        elements.append(el)

    free = [it for it in items if not it.used]
    for it in free:
        link = len(it.text) >= 2 and _is_link_colour(it.ink) and distance(it.ink, it.bg) > 60
        it.kind = "link" if link else "text"
    mark_tabs(rgb, free, unit)
    panels = [s for s in shapes if s.kind == "box" and s not in {sh for _, sh in boxed}]
    mark_menus(free, panels, elements, unit, rgb.shape[1], rgb.shape[0])
    for it in free:
        text = _clean_caption(it.text) if it.kind != "text" else it.text
        elements.append(Element(it.kind, text, it.box, round(it.score, 3)))
    return [e.with_id(i) for i, e in enumerate(reading_order(elements), 1)]
