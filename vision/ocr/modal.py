"""A modal dialog over a dimmed page: find the dialog, and keep the page behind it apart.

A modal's backdrop is a dark translucent layer over the whole page (Element Plus, antd, Bootstrap,
Bulma, MUI, Tailwind UI all draw one): everything outside the dialog is darkened by the same factor,
so nothing outside is anywhere near as light as the dialog's own surface. The page behind is still
readable but cannot be clicked (a click there lands on the backdrop and usually closes the dialog),
so it is assembled apart (`Parse.behind`, covered): visible to assertions, never competing with the
dialog's own fields and buttons, and an action aimed at it fails naming the dialog (`locate`).

The test: the largest connected light area (the dialog) is big, and outside it (past its shadow)
the lightest pixels are clearly darker than it. A dark-themed page with a light card on it is not a
modal: its text outside the card is light (near-white headings, light grey body text). A page this
test cannot tell from a dimmed one would have only dark, barely readable text round a light card.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import cv2
import numpy as np

from vision.ocr.assemble import assemble, estimate_unit
from vision.ocr.text import TextLine
from vision.ocr.widgets import Shape, find_shapes
from vision.types import Box, Location, Parse

__all__ = ["modal_box", "in_dialog", "assemble_modal", "undim", "readable", "dialog_title", "locate"]

# The dialog's surface is light: its brightness (largest channel) at least this.
LIGHT = 200
# Outside the dialog, the lightest pixels (99.9th percentile) are at most this share of its surface...
DIM = 0.72
# ...and a backdrop darker than this share must be a strong dim (Bulma's is 86 % black), not a dark
# theme's own background: then the lightest pixels outside must be this share at most.
DARK_BG, DARK_MAX = 60, 0.35
# Undoing the dim stretches the page behind by at most this factor.
UNDIM_MAX = 4.0


def modal_box(rgb: np.ndarray) -> Box | None:
    """The box of a light modal dialog over a dimmed page, or None when the screen shows none."""
    h, w = rgb.shape[:2]
    if h < 100 or w < 100:
        return None
    k = 4 if min(h, w) >= 400 else 1  # a quarter-size look is plenty for a dialog-sized area
    small = rgb[::k, ::k]
    value = small.max(axis=2)
    light = (value >= LIGHT).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(light, connectivity=8)
    if count < 2:
        return None
    best = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, bw, bh = (int(v) for v in stats[best, :4])
    sh, sw = value.shape
    if bw < 0.2 * sw or bh < 0.12 * sh or bw * bh > 0.8 * sw * sh:
        return None  # too small for a dialog, or the page itself
    # Past the dialog's shadow (a few per cent of the screen round it).
    mx, my = max(2, int(0.03 * sw)), max(2, int(0.03 * sh))
    outside = np.ones_like(light, dtype=bool)
    outside[max(0, y - my):y + bh + my, max(0, x - mx):x + bw + mx] = False
    if outside.mean() < 0.15:
        return None
    surface = float(np.median(value[y:y + bh, x:x + bw][light[y:y + bh, x:x + bw] > 0]))
    lightest = float(np.percentile(value[outside], 99.9))
    background = float(np.median(value[outside]))
    limit = DIM if background >= DARK_BG else DARK_MAX
    if lightest > limit * surface:
        return None
    return (x * k, y * k, min(w, (x + bw) * k), min(h, (y + bh) * k))


def in_dialog(box: Box, dialog: Box, slack: int = 4) -> bool:
    """Does `box` lie inside the dialog? (What the dialog's edge cuts belongs to the page behind.)"""
    return dialog[0] - slack <= box[0] and dialog[1] - slack <= box[1] and box[2] <= dialog[2] + slack \
        and box[3] <= dialog[3] + slack


def assemble_modal(rgb: np.ndarray, dialog: Box, lines: list[TextLine], shapes: list[Shape],
                   unit: float) -> Parse:
    """The dialog's elements, and apart from them (covered, ids after) what is readable behind the
    backdrop: assembled separately, so no label, field or row pairs across the dialog's edge, and from
    the page with its dimming undone, so colours (links, buttons, greyed text) read as they do without it."""
    h, w = rgb.shape[:2]
    front = assemble(rgb, [ln for ln in lines if in_dialog(ln.box, dialog)],
                     [s for s in shapes if in_dialog(s.box, dialog)], unit)
    page = undim(rgb, dialog)
    back_lines = [ln for ln in lines if not in_dialog(ln.box, dialog)]
    unit = estimate_unit(back_lines, w)  # the page's own font size, not mixed with the dialog's
    back = assemble(page, back_lines, [s for s in find_shapes(page, unit) if not in_dialog(s.box, dialog)], unit)
    behind = tuple(replace(e, id=len(front) + i, covered=True) for i, e in enumerate(back, 1))
    return Parse(w, h, tuple(front), dialog=dialog, behind=behind)


def undim(rgb: np.ndarray, dialog: Box) -> np.ndarray:
    """The screen with the backdrop's dimming undone outside the dialog. A black backdrop scales every
    pixel by one factor; the page's lightest pixels were about as light as the dialog's surface (pages
    and dialogs share a white or near-white ground), which gives the factor. Capped: a strong dim leaves
    little to stretch, and stretching noise only adds false edges."""
    k = 4 if min(rgb.shape[:2]) >= 400 else 1
    value = rgb[::k, ::k].max(axis=2)
    x1, y1, x2, y2 = (v // k for v in dialog)
    inside = value[y1:y2, x1:x2]
    outside = np.ones(value.shape, dtype=bool)
    outside[y1:y2, x1:x2] = False
    if not outside.any() or not inside.size:
        return rgb
    surface = float(np.median(inside[inside >= LIGHT])) if (inside >= LIGHT).any() else 255.0
    factor = min(UNDIM_MAX, surface / max(1.0, float(np.percentile(value[outside], 99.9))))
    if factor <= 1.05:
        return rgb
    page = cv2.convertScaleAbs(rgb, alpha=factor)  # saturating uint8 scale: a few ms a screen
    page[dialog[1]:dialog[3], dialog[0]:dialog[2]] = rgb[dialog[1]:dialog[3], dialog[0]:dialog[2]]
    return page


def readable(rgb: np.ndarray) -> np.ndarray:
    """The screen as OCR should read it: with an open modal's dimming undone round the dialog, so faint
    text behind the backdrop (light grey, dimmed to almost the backdrop's own grey) is read as well as
    it would be without it. The same image when no modal is open; no second OCR pass either way."""
    dialog = modal_box(rgb)
    return rgb if dialog is None else undim(rgb, dialog)


def dialog_title(parse: Parse) -> str:
    """What a person calls the open dialog: its top line of text (left first), skipping lone glyphs
    such as a close "x"."""
    texts = [e for e in parse.elements if len(e.name.strip()) >= 2]
    if not texts:
        return ""
    top = min(e.box[1] for e in texts)
    first = [e for e in texts if e.box[1] <= top + 0.5 * (e.box[3] - e.box[1])]
    return min(first, key=lambda e: e.box[0]).name.strip()


Ground = Callable[..., Location]


def locate(target: str, parse: Parse, ground: Ground) -> Location:
    """Ground `target` on what can be used now (the dialog wins, ordinals count only it). Counts see
    what lies behind too (`matches`); named only behind the backdrop, it is not found, `covered` says
    what was seen there and `detail` names the dialog in the way."""
    size = (parse.width, parse.height)
    front = ground(target, parse.elements, image_size=size)
    if not parse.behind:
        return front
    every = ground(target, parse.elements + parse.behind, image_size=size)
    seen = every.matches or front.matches
    if front.found or not every.found or every.element is None or not every.element.covered:
        return replace(front, matches=seen)
    title = dialog_title(parse)
    name = every.element.name or every.element.kind
    named = f"the \"{title}\" dialog" if title else "a dialog"
    detail = f"{named} is open over the page: \"{name}\" lies behind its backdrop"
    return replace(front, matches=seen, covered=every.element, dialog=title, detail=detail,
                   candidates=(every.element, *front.candidates[:2]))
