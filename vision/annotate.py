"""Set-of-marks drawings: a screenshot with every element boxed and numbered, the target drawn thick.

Used by reports (every step's screenshot with its target) and by `pagesight locate` for people to see
what the backend saw. Numbers are the elements' ids (their position in the parse), so a message that
says "element 12" can be read off the picture. Colours tell kinds apart; the highlighted target is
red with a caption of its kind and text (CJK included, so the font is Noto Sans CJK when the system
has it).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from vision.types import Box, Element, load_image

__all__ = ["annotate", "KIND_COLOURS", "font", "draw_tag", "clip_box", "shorten"]

KIND_COLOURS: dict[str, tuple[int, int, int]] = {
    "button": (33, 150, 243),  # blue
    "link": (0, 150, 136),  # teal
    "input": (255, 152, 0),  # orange
    "textarea": (255, 112, 67),  # deep orange
    "checkbox": (156, 39, 176),  # purple
    "radio": (103, 58, 183),  # deep purple
    "select": (233, 30, 99),  # pink
    "tab": (63, 81, 181),  # indigo
    "menu": (121, 85, 72),  # brown
    "menuitem": (141, 110, 99),  # light brown
    "icon": (0, 188, 212),  # cyan
    "image": (76, 175, 80),  # green
    "text": (120, 120, 120),  # grey
}
_OTHER = (96, 125, 139)
_HIGHLIGHT = (229, 28, 35)

_FONT_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
)


@lru_cache(maxsize=1)
def _font_path() -> str | None:
    for p in _FONT_PATHS:
        if Path(p).is_file():
            return p
    for pattern in ("NotoSansCJK*-Regular.tt?", "NotoSans*CJK*.tt?", "DejaVuSans.ttf"):
        for root in ("/usr/share/fonts", "/usr/local/share/fonts"):
            found = sorted(Path(root).rglob(pattern)) if Path(root).is_dir() else []
            if found:
                return str(found[0])
    return None


@lru_cache(maxsize=16)
def font(size: int) -> Any:
    """A TrueType font of `size` px that covers CJK where the system has one; else PIL's own."""
    path = _font_path()
    if path:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            pass
    return ImageFont.load_default(size=size)


def _text_size(draw: ImageDraw.ImageDraw, text: str, f: Any) -> tuple[int, int]:
    x1, y1, x2, y2 = draw.textbbox((0, 0), text, font=f)
    return int(x2 - x1), int(y2 - y1)


def draw_tag(draw: ImageDraw.ImageDraw, box: Box, text: str, colour: tuple[int, int, int], f: Any,
         size: tuple[int, int], pad: int, below: bool = False) -> None:
    """A filled tag holding `text` at the box's left edge, above the box (or below it with `below`) where
    there is room, else inside it; always kept inside the image."""
    w, h = size
    tw, th = _text_size(draw, text, f)
    tag_w, tag_h = min(tw + 2 * pad, w), th + 2 * pad
    x = min(max(0, box[0]), max(0, w - tag_w))
    if below and box[3] + 1 + tag_h <= h:
        y = box[3] + 1
    elif box[1] - tag_h >= 0:
        y = box[1] - tag_h
    else:
        y = max(0, min(box[1], h - tag_h))
    draw.rectangle((x, y, x + tag_w - 1, y + tag_h - 1), fill=colour)
    bx, by, _, _ = draw.textbbox((0, 0), text, font=f)
    draw.text((x + pad - bx, y + pad - by), text, font=f, fill=(255, 255, 255))


def clip_box(box: Sequence[float], w: int, h: int) -> Box:
    x1, y1, x2, y2 = (int(round(v)) for v in box)
    x1, x2 = sorted((max(0, min(w - 1, x1)), max(0, min(w - 1, x2))))
    y1, y2 = sorted((max(0, min(h - 1, y1)), max(0, min(h - 1, y2))))
    return x1, y1, x2, y2


def shorten(text: str, limit: int = 32) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def annotate(image: Any, elements: Sequence[Element] = (), *, highlight: Element | Box | None = None,
             point: tuple[float, float] | None = None, show_text: bool = False) -> Image.Image:
    """A new RGB image: `elements` boxed and numbered, `highlight` boxed thick, `point` as a crosshair.

    `image` is anything `vision.types.load_image` takes; it is never modified. Numbers are element
    ids, or positions from 1 where ids are 0. `show_text` adds each element's text to its tag.
    """
    base = load_image(image)
    out = base.copy()  # load_image may hand back the caller's own image
    w, h = out.size
    scale = max(1.0, min(w, h) / 800)
    f = font(max(11, round(13 * scale)))
    pad = max(2, round(2 * scale))
    line = max(2, round(2 * scale))

    overlay = Image.new("RGBA", out.size, (0, 0, 0, 0))
    odraw = ImageDraw.Draw(overlay)
    hbox = None
    if highlight is not None:
        hbox = clip_box(highlight.box if isinstance(highlight, Element) else highlight, w, h)
        odraw.rectangle(hbox, fill=(*_HIGHLIGHT, 48))  # a light tint, so the target stands out
    out = Image.alpha_composite(out.convert("RGBA"), overlay).convert("RGB")

    draw = ImageDraw.Draw(out)
    for e in elements:
        draw.rectangle(clip_box(e.box, w, h), outline=KIND_COLOURS.get(e.kind, _OTHER), width=line)
    for n, e in enumerate(elements, 1):  # tags after all boxes, so no box line crosses a number
        colour = KIND_COLOURS.get(e.kind, _OTHER)
        label = str(e.id or n)
        if show_text and e.name:
            label += f" {shorten(e.name, 20)}"
        draw_tag(draw, clip_box(e.box, w, h), label, colour, f, (w, h), pad)

    if hbox is not None:
        grow = 3 * line  # drawn outside the box, so the target's own text stays readable
        draw.rectangle(clip_box((hbox[0] - grow, hbox[1] - grow, hbox[2] + grow, hbox[3] + grow), w, h),
                       outline=_HIGHLIGHT, width=3 * line)
        if isinstance(highlight, Element):
            caption = f"{highlight.kind} {shorten(highlight.name)}".strip()
            draw_tag(draw, hbox, caption, _HIGHLIGHT, f, (w, h), pad, below=True)

    if point is not None:
        px, py = int(round(point[0])), int(round(point[1]))
        r = round(10 * scale)
        for colour, width in (((255, 255, 255), line + 2), (_HIGHLIGHT, line)):
            draw.line((px - r, py, px + r, py), fill=colour, width=width)
            draw.line((px, py - r, px, py + r), fill=colour, width=width)
            draw.ellipse((px - r // 2, py - r // 2, px + r // 2, py + r // 2), outline=colour, width=width)
    return out
