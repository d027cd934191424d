"""Join OCR text to widget shapes: decide each thing's kind, label, value and state.

What the fields of an `Element` mean here (the `ocr` backend's contract):
- button: `text` is the caption written on it; `disabled` is True when it is greyed out (text barely
  stands out from its fill), else False.
- input / textarea / select: `text` is the value typed or chosen, "" when the field is empty or shows only
  a placeholder (grey text, told apart from a value by its contrast). `label` is the caption left of or
  above the field (nearest, aligned); when there is none, the placeholder. When it has both, the
  placeholder is also listed as a `text` element inside the field (people name a field by either).
- checkbox / radio: `box` is the square or circle itself, `checked` is read from its pixels, `label` is the
  caption right of it; that caption is part of the control and is not repeated as a `text` element. A
  toggle switch is a checkbox (its label may be the form label on its left, which stays a text element).
- link: text in a link colour (blue-ish, saturated), no box around it; a line that switches once from
  plain to link colour ("New here? Sign up") is split in two; breadcrumb entries are links.
- tab / menuitem: see layout.py.
- text: every other piece of text, `box` tight around its ink. Field labels stay `text` elements too
  (they are what "below 'Password'" refers to). A status tag or badge (text on a tinted chip) is text.
- icon: a small glyph-only square or circle (an avatar, an icon button) with no readable text.
- disabled is only set on buttons; checked only on checkboxes and radios (None elsewhere).

The page's text is read first; shapes are sized against `unit`, the page's typical font size.
"""

from __future__ import annotations

import re

import numpy as np

from vision.ocr.controls import small_controls
from vision.ocr.fields import (
    addon,
    bare_fields,
    caption_run,
    drop_icon,
    lone_texts,
    placeholder_well,
    reread_empty,
)
from vision.ocr.items import (
    ARROWS,
    BOXY,
    Item,
    chroma,
    clean_caption,
    colours,
    inside,
    is_link_colour,
    split_by_colour,
)
from vision.ocr.layout import mark_menus, mark_tabs, reading_order
from vision.ocr.pager import pager_numbers
from vision.ocr.text import TextLine
from vision.ocr.widgets import Shape, contrast, distance, has_chevron, has_resize_handle
from vision.types import Box, Element

__all__ = ["assemble", "estimate_unit"]

Colour = tuple[int, int, int]


def estimate_unit(lines: list[TextLine], image_width: int) -> float:
    """The page's typical font size in pixels: the yardstick for every size threshold.

    OCR's own line boxes are padded in proportion to the font (about 1.7x its size), so their median
    is steadier than ink heights, which depend on which letters a line has."""
    heights = sorted(line.line_height for line in lines if len(line.text) >= 2 and line.line_height)
    if heights:
        return float(max(6.0, 0.6 * heights[len(heights) // 2]))
    return 14.0 * max(1.0, image_width / 1600.0)


def _field_label(items: list[Item], box: Box, unit: float, taken: set[int]) -> Item | None:
    """The caption of a field: nearest free text left of it (same row) or above it (aligned)."""
    x1, y1, x2, y2 = box
    cy = (y1 + y2) / 2.0
    best, best_d = None, float("inf")
    for idx, item in enumerate(items):
        if item.used or idx in taken or len(item.text) > 40 or item.text.rstrip()[-1:] in ".。!！" \
                or item.kind in ("tab", "menuitem", "link"):
            continue  # (a sentence above a field is a subtitle, and a tab or link is not a label)
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
    items.extend(lone_texts(rgb, [s.box for s in boxes if not _stacked(s, boxes, tol)], items, unit))
    # Small boxes first: a button inside a toolbar box claims its caption before the toolbar is seen.
    for shape in sorted(boxes, key=lambda s: s.width * s.height):
        if _stacked(shape, boxes, tol) or shape.box[1] <= 2 or shape.box[3] >= rgb.shape[0] - 2:
            continue  # (a band reaching the screen's edge is a highlighted bar segment, not a widget)
        x1, y1, x2, y2 = shape.box
        bh, bw = y2 - y1, x2 - x1
        held = [it for it in items if not it.used and inside(it.box, shape.box, 0.7)]
        # Icons and arrows OCR read as a character or two ("0", "日", "v") belong to the box they are in.
        tail = [it for it in held if len(held) > 1 and len(it.text) <= 2 and (
            all(not c.isalnum() or c in ARROWS or c in BOXY for c in it.text)
            or len(it.text) == 1 and min(it.box[0] - x1, x2 - it.box[2]) < 2.5 * unit
            or _arrows_read(gray, shape.box, it, held, unit))]
        words = [it for it in held if it not in tail]
        bordered = distance(shape.border, shape.fill) > 18
        # A field is a colourless well drawn with an outline, or lighter than the surface around it.
        fieldish = chroma(shape.fill) < 40 and (bordered or sum(shape.fill) > sum(shape.outside) + 15)
        if shape.faint:
            fieldish = _faint_field(gray, shape, words, boxes, unit, page_ink)
        elif len(words) == 1 and _filled_well(shape, words[0], unit, page_ink):
            fieldish = True  # a light grey well with no outline, its placeholder at the left
        tall = 3.6 * unit < bh <= 16 * unit and bw >= 8 * unit
        well = tall and bordered and fieldish and sum(shape.fill) >= sum(shape.outside) - 15
        if shape.faint and tall:  # a textarea drawn only by its fill: blank, or a faint placeholder
            well = chroma(shape.fill) < 40 and len(words) <= 4 and all(_is_placeholder(it, page_ink) for it in words)
        handle = well and has_resize_handle(gray, shape.box, unit)
        element = None
        if not words:
            if bh <= 3.6 * unit and bw >= 5 * unit and fieldish and not _cell(shape, boxes, tol):
                kind = "select" if has_chevron(gray, shape.box, unit, x1) else "input"
                element = Element(kind, "", shape.box, 0.6)
                seen = reread_empty(rgb, shape.box, unit) if kind == "input" else None
                if seen is not None:  # a lone "￥" the page's OCR skipped: a placeholder, or a value
                    ink, bg = colours(rgb, seen[1])
                    it = Item(seen[0], seen[1], 0.6, ink, bg, (), seen[1][3] - seen[1][1], used=True)
                    items.append(it)
                    ph = _is_placeholder(it, page_ink)
                    element = Element(kind, "" if ph else it.text, shape.box, 0.6, label=it.text if ph else "")
            elif handle:
                element = Element("textarea", "", shape.box, 0.6)
        elif len(words) == 1 and 1.08 * words[0].line_height <= bh <= max(3.6 * unit, 2.8 * words[0].line_height) \
                and not handle:
            element = _one_line(gray, shape, words[0], unit, page_ink, fieldish, bordered,
                                _cell(shape, boxes, tol) and not placeholder_well(shape.box, words[0], unit)
                                and not (shape.faint and has_chevron(gray, shape.box, unit, words[0].box[2]))
                                and not _filled_well(shape, words[0], unit, page_ink))
        if element is None and well and not any(inside(e.box, shape.box, 0.9) for e, _ in out):
            element = _textarea(shape, words, unit, page_ink, handle)  # (a dialog holds other widgets)
        if element is None and not well and not handle and words and 2 <= len(words + tail) <= 3:
            element = _two_line_button(shape, words + tail, boxes, unit)  # ("S" over "Small": a letter is a line)
        if element is None:
            continue
        for it in words + tail:
            it.used = True
        out.append((element, shape))
    return out


def _arrows_read(gray: np.ndarray, box: Box, it: Item, held: list[Item], unit: float) -> bool:
    """A select's up-and-down arrows that OCR read as two characters ("44"): short, at the box's right end,
    where a dropdown arrow is seen right of the other text."""
    rest = [o.box[2] for o in held if o is not it]
    return len(it.text) == 2 and box[2] - it.box[2] < 1.5 * unit and bool(rest) and max(rest) < it.box[0] \
        and has_chevron(gray, box, unit, max(rest))


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
    if fieldish and bordered and NUMBER.match(it.text) and bw >= 2.5 * shape.height:
        return Element("input", it.text, shape.box, 0.7)  # a number box ("− 99.00 +"): a field, centred
    if _tag(shape, it, unit):
        return None  # a status or category tag: text on a tinted chip
    if fieldish and _filled_well(shape, it, unit, page_ink):
        centred = False  # (a short placeholder may sit near the middle by chance)
    if shape.faint and not fieldish:
        # Only its fill outlines it: a button is a tight box round its caption; a band as wide as its
        # container with a word in it is a striped row or a panel's header.
        if centred and bw - (it.box[2] - it.box[0]) <= 9 * unit and not glyph_only:
            return Element("button", clean_caption(it.text), shape.box, 0.7, disabled=_looks_disabled(it, shape))
        return None
    if shape.filled and not fieldish and (centred or right < 2 * unit) and not glyph_only:
        return Element("button", clean_caption(it.text), shape.box, 0.9, disabled=_looks_disabled(it, shape))
    if centred and (bordered or shape.filled) and (bw < 14 * unit or shape.height <= 3.2 * unit) and not glyph_only:
        return Element("button", clean_caption(it.text), shape.box, 0.8, disabled=_looks_disabled(it, shape))
    nav = chroma(it.ink) > 70 and (not bordered or chroma(shape.fill) >= 8)
    if not fieldish or cell or centred or bw < 5 * unit and not has_chevron(gray, shape.box, unit, it.box[2]) or nav:
        return None  # (coloured text on a tinted band is a selected nav entry, not a typed value)
    if left > 1.4 * unit and bw < 12 * unit:  # icon + caption in a short outlined box: a menu button
        return Element("button", clean_caption(it.text), shape.box, 0.7, disabled=False)
    if left > 3 * unit and (bw < 15 * unit or it.box[2] > x1 + 0.6 * bw):
        return None
    kind = "select" if has_chevron(gray, shape.box, unit, it.box[2]) else "input"
    placeholder = kind == "input" and _is_placeholder(it, page_ink)
    if placeholder:
        it.text = drop_icon(it.text)
    return Element(kind, "" if placeholder else it.text, shape.box, 0.8, label=it.text if placeholder else "")


def _two_line_button(shape: Shape, words: list[Item], boxes: list[Shape], unit: float) -> Element | None:
    """A filled or outlined box whose caption takes two or three lines ("S" over "Small", a long caption
    that wraps): each line centred across the box, stacked line under line, with no more than a button's
    padding round the stack. Its caption is all the lines, joined."""
    x1, y1, x2, y2 = shape.box
    if not (shape.filled or distance(shape.border, shape.fill) > 18) \
            or any(o is not shape and inside(o.box, shape.box, 0.9) for o in boxes):
        return None
    stack = sorted(words, key=lambda it: it.box[1])
    for k, it in enumerate(stack):
        left, right = it.box[0] - x1, x2 - it.box[2]
        shift = 2.5 * unit if k == 0 and left > right else 0  # (an icon or spinner before the first line)
        if len(it.text) > 40 or abs(left - right) > max(0.8 * unit, 0.15 * (left + right)) + shift:
            return None
    if any(not 0 <= b.box[1] - a.box[3] <= max(1.2 * unit, 0.6 * a.line_height)  # (a big letter over a word)
           for a, b in zip(stack, stack[1:], strict=False)):
        return None
    top, bottom = stack[0].box[1] - y1, y2 - stack[-1].box[3]
    widest = max(it.box[2] - it.box[0] for it in stack)
    if min(top, bottom) < 0.2 * unit or top + bottom > 3.2 * unit or (x2 - x1) - widest > 8 * unit:
        return None
    text = ""
    for it in stack:
        line = clean_caption(it.text)
        text += ("" if not text or not (text[-1:].isascii() and line[:1].isascii()) else " ") + line
    return Element("button", text, shape.box, 0.8, disabled=_looks_disabled(stack[0], shape))


NUMBER = re.compile(r"^[-+−]?[\d.,\s]*\d[\d.,\s]*[%$¥€£]?$")


def _tag(shape: Shape, it: Item, unit: float) -> bool:
    """A tag/chip: short, tinted a light shade of the colour its text is written in. (A plain-style
    small button can look the same; tags are far more common in tables, where this matters.)"""
    if shape.height > 1.9 * unit or chroma(it.ink) < 60 or sum(shape.fill) < 3 * 200:
        return False
    hue = int(np.argmax(it.ink))
    tinted = chroma(shape.fill) >= 8 and int(np.argmax(shape.fill)) == hue
    rimmed = chroma(shape.border) >= 30 and int(np.argmax(shape.border)) == hue
    return tinted or rimmed


def _faint_field(gray: np.ndarray, shape: Shape, words: list[Item], boxes: list[Shape], unit: float,
                 page_ink: int) -> bool:
    """A faint filled box is a field (a filled input or select) when it shows a field's marks: a dropdown
    arrow, a faint placeholder, or nothing yet; and it is not one band of a striped list (another band
    of its width just above or below)."""
    if chroma(shape.fill) >= 40 or len(words) > 1:
        return False
    if words and placeholder_well(shape.box, words[0], unit):
        return True  # (form fields stacked in a column are not bands of a striped list)
    x1, y1, x2, y2 = shape.box
    if words and has_chevron(gray, shape.box, unit, words[0].box[2]):
        return True  # (nor are selects: a list's band has no dropdown arrow)
    tol = max(3, int(0.3 * unit))
    if any(o is not shape and abs(o.box[0] - x1) <= tol and abs(o.box[2] - x2) <= tol
           and 0 < abs(o.box[1] - y1) <= 2.5 * (y2 - y1) for o in boxes):
        return False
    if not words:  # (an empty band from screen edge to edge is a page section's background)
        return x1 > 2 or x2 < gray.shape[1] - 3
    return has_chevron(gray, shape.box, unit, words[0].box[2]) or _is_placeholder(words[0], page_ink)


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
               and distance(o.fill, shape.fill) <= 3 and distance(o.border, shape.border) < 20
               and not addon(shape.box, o.box) for o in boxes)


def _is_placeholder(item: Item, page_ink: int) -> bool:
    """Placeholder text is faint: low contrast, or clearly fainter than the page's ordinary text."""
    c = contrast(item.ink, item.bg)
    faint = distance(item.ink, item.bg)
    return c < 3.0 or (c < 7.5 and page_ink - faint > 40)


def _looks_disabled(item: Item, shape: Shape) -> bool:
    c = contrast(item.ink, shape.fill)
    grey = chroma(shape.fill) < 25 and chroma(item.ink) < 30
    return c < 1.9 or (grey and c < 2.6)


def _filled_well(shape: Shape, it: Item, unit: float, page_ink: int) -> bool:
    """A box drawn only by a light grey fill with placeholder grey a padding from its left: a field, however
    short or cut off its placeholder, and even beside like boxes (a faint button's caption is ordinary ink, a
    tinted one is a button's, and grey text exactly centred in its box is a disabled button's)."""
    light = chroma(shape.fill) < 40 and distance(shape.fill, shape.outside) <= 24 and distance(shape.border, shape.fill) <= 18
    left, right = it.box[0] - shape.box[0], shape.box[2] - it.box[2]
    return (shape.faint or light) and _is_placeholder(it, page_ink) and chroma(it.ink) < 40 \
        and left <= 1.2 * unit and abs(left - right) > max(3.0, 0.15 * unit)


def _placeholder_text(items: list[Item], el: Element) -> list[Element]:
    """A field's placeholder as one text element, also where it wraps onto lines ("Some" / "text...")."""
    held = sorted((it for it in items if it.used and it.text in el.label and inside(it.box, el.box, 0.7)),
                  key=lambda i: (i.box[1], i.box[0]))  # (not a resize grip read as "1")
    if not held or " ".join(it.text for it in held) != el.label:
        held = [it for it in held if it.text == el.label][:1]
    if not held:
        return []
    box = (min(i.box[0] for i in held), min(i.box[1] for i in held), max(i.box[2] for i in held),
           max(i.box[3] for i in held))
    return [Element("text", el.label, box, round(min(i.score for i in held), 3))]


def assemble(rgb: np.ndarray, lines: list[TextLine], shapes: list[Shape], unit: float) -> list[Element]:
    """Every element on the page, in reading order, ids from 1."""
    gray = rgb.mean(axis=2).astype(np.uint8)
    items: list[Item] = []
    for line in lines:
        ink, bg = colours(rgb, line.box)
        item = Item(line.text, line.box, line.score, ink, bg, line.words, line.line_height or line.height)
        if line.crumb:
            item.extra["crumb"] = True
            items.append(item)
        else:
            items.extend(split_by_colour(rgb, item))
    faint = sorted(distance(it.ink, it.bg) for it in items) or [200]
    page_ink = faint[(3 * len(faint)) // 4]  # how far ordinary text stands out from its background

    items.extend(pager_numbers(rgb, items, unit))
    elements: list[Element] = small_controls(rgb, shapes, items, unit)
    boxed = _box_widgets(rgb, gray, shapes, items, unit, page_ink)
    elements += bare_fields(items, unit, page_ink, rgb.shape[1])

    free = [it for it in items if not it.used]
    for it in free:
        link = len(it.text) >= 2 and is_link_colour(it.ink) and distance(it.ink, it.bg) > 60
        # Breadcrumb entries are links, all but the last (the page you are on).
        crumb = it.extra.get("crumb") and any(o.extra.get("crumb") and abs(o.cy - it.cy) < 0.5 * unit
                                              and o.box[0] > it.box[2] for o in free)
        it.kind = "link" if link or crumb else "text"
    mark_tabs(rgb, free, unit)
    panels = [s for s in shapes if s.kind == "box" and s not in {sh for _, sh in boxed}]
    mark_menus(free, panels, elements + [el for el, _ in boxed], unit, rgb.shape[1], rgb.shape[0])

    taken: set[int] = set()
    for el, _shape in boxed:
        if el.kind in ("input", "select", "textarea"):
            lab = _field_label(items, el.box, unit, taken)
            if lab is not None:
                run = caption_run(items, lab, el.box, unit)
                taken.update(items.index(it) for it in run)
                if el.label:  # a placeholder: people name a field by it too, so it stays a text element
                    elements.extend(_placeholder_text(items, el))
                el = Element(el.kind, el.text, el.box, el.score,
                             label=" ".join(it.text for it in run))  # outer label wins
        elements.append(el)
    for it in free:
        text = clean_caption(it.text) if it.kind != "text" else it.text
        elements.append(Element(it.kind, text, it.box, round(it.score, 3)))
    return [e.with_id(i) for i, e in enumerate(reading_order(elements), 1)]
