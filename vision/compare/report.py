"""Changes in words and in a picture: one summary line per change ("the 'Save' button moved 12 px
right", "'Total: 3' became 'Total: 4'"), and before and after side by side with each change boxed and
numbered (the drawing helpers are vision.annotate's)."""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image, ImageDraw

from vision.annotate import clip_box, draw_tag, font, shorten
from vision.compare.match import Change
from vision.types import Box, Element, ImageInput, load_image

__all__ = ["summarize", "side_by_side", "CHANGE_COLOURS"]

CHANGE_COLOURS: dict[str, tuple[int, int, int]] = {
    "added": (46, 125, 50),  # green
    "removed": (198, 40, 40),  # red
    "moved": (21, 101, 192),  # blue
    "resized": (106, 27, 154),  # purple
    "text": (239, 108, 0),  # orange
    "state": (0, 131, 143),  # teal
    "pixels": (233, 30, 99),  # pink
}
_MASK = (120, 120, 120)


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _name(el: Element, definite: bool = True) -> str:
    """How a person names it: "the 'Save' button", "'Total: 3'", "a 'Delete' link", "the icon at [..]"."""
    text = shorten(el.name, 40)
    if not text:
        where = "[" + ", ".join(str(int(v)) for v in el.box) + "]"
        return f"{'the' if definite else _article(el.kind)} {el.kind} at {where}"
    if el.kind == "text":
        return f"'{text}'"
    return f"{'the' if definite else _article(text)} '{text}' {el.kind}"


def _steps(d: float, pos: str, neg: str) -> str:
    n = int(round(abs(d)))
    return f"{n} px {pos if d > 0 else neg}" if n else ""


def summarize(change: Change, scale: float = 1.0) -> str:
    """One line of words for `change`; pixel amounts in the images' pixels divided by `scale`."""
    e, f = change.before, change.after
    if change.kind == "added" and f is not None:
        return f"{_name(f, definite=False)} appeared"
    if change.kind == "removed" and e is not None:
        return f"{_name(e)} disappeared"
    if change.kind == "text" and e is not None and f is not None:
        return f"'{shorten(e.name, 40)}' became '{shorten(f.name, 40)}'"
    if change.kind == "state" and e is not None and f is not None:
        if e.checked is not None and f.checked is not None and e.checked != f.checked:
            return f"{_name(e)} became {'checked' if f.checked else 'unchecked'}"
        return f"{_name(e)} became {'disabled' if f.disabled else 'enabled'}"
    if change.kind == "moved" and e is not None and f is not None:
        dx = ((f.box[0] + f.box[2]) - (e.box[0] + e.box[2])) / 2 / scale
        dy = ((f.box[1] + f.box[3]) - (e.box[1] + e.box[3])) / 2 / scale
        parts = [p for p in (_steps(dx, "right", "left"), _steps(dy, "down", "up")) if p]
        return f"{_name(e)} moved {' and '.join(parts) or 'a little'}"
    if change.kind == "resized" and e is not None and f is not None:
        dw = ((f.box[2] - f.box[0]) - (e.box[2] - e.box[0])) / scale
        dh = ((f.box[3] - f.box[1]) - (e.box[3] - e.box[1])) / scale
        parts = [p for p in (_steps(dw, "wider", "narrower"), _steps(dh, "taller", "shorter")) if p]
        return f"{_name(e)} became {' and '.join(parts)}"
    el = f or e
    if el is not None:
        what = "changed colour" if change.detail == "colour" else "looks different"
        return f"{_name(el)} {what}"
    box = change.region or (0, 0, 0, 0)
    where = "[" + ", ".join(str(int(round(v / scale))) for v in box) + "]"
    return f"pixels changed at {where} (nothing there reads as an element: an icon, a picture or a chart)"


def _draw(img: Image.Image, marks: Sequence[tuple[int, Box, tuple[int, int, int]]], masks: Sequence[Box]
          ) -> Image.Image:
    out = img.copy()
    w, h = out.size
    scale = max(1.0, min(w, h) / 800)
    f = font(max(14, round(16 * scale)))
    line = max(2, round(2 * scale))
    overlay = Image.new("RGBA", out.size, (0, 0, 0, 0))
    odraw = ImageDraw.Draw(overlay)
    for m in masks:  # hatched grey: ignored, and drawn only here, never on a stored baseline
        odraw.rectangle(clip_box(m, w, h), fill=(*_MASK, 90))
    for _, box, colour in marks:
        odraw.rectangle(clip_box(box, w, h), fill=(*colour, 40))
    out = Image.alpha_composite(out.convert("RGBA"), overlay).convert("RGB")
    draw = ImageDraw.Draw(out)
    for _, box, colour in marks:
        x1, y1, x2, y2 = clip_box(box, w, h)
        draw.rectangle(clip_box((x1 - line, y1 - line, x2 + line, y2 + line), w, h), outline=colour, width=line)
    for n, box, colour in marks:
        draw_tag(draw, clip_box(box, w, h), str(n), colour, f, (w, h), max(2, round(2 * scale)))
    return out


def side_by_side(before: ImageInput, after: ImageInput, changes: Sequence[Change], masks: Sequence[Box] = (),
                 after_masks: Sequence[Box] | None = None) -> Image.Image:
    """Before (left) and after (right), each change boxed in its kind's colour and numbered from 1 in
    the order of `changes` (the order the list of words is printed in); masked regions shaded grey."""
    a, b = load_image(before), load_image(after)
    left: list[tuple[int, Box, tuple[int, int, int]]] = []
    right: list[tuple[int, Box, tuple[int, int, int]]] = []
    for n, change in enumerate(changes, 1):
        colour = CHANGE_COLOURS.get(change.kind, (0, 0, 0))
        box_b, box_a = change.boxes
        if box_b is not None:
            left.append((n, box_b, colour))
        if box_a is not None:
            right.append((n, box_a, colour))
    gap = 16
    w, h = a.width + b.width + gap, max(a.height, b.height)
    out = Image.new("RGB", (w, h), (255, 255, 255))
    out.paste(_draw(a, left, masks), (0, 0))
    out.paste(_draw(b, right, masks if after_masks is None else after_masks), (a.width + gap, 0))
    ImageDraw.Draw(out).rectangle((a.width, 0, a.width + gap - 1, h - 1), fill=(40, 44, 52))
    return out
