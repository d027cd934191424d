"""Values the vision layer hands out. Every box is in screenshot pixels: [x1, y1, x2, y2]."""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from PIL import Image

from pagesight_errors import BadImage

__all__ = ["KINDS", "Box", "Element", "Parse", "Location", "Answer", "ImageInput", "load_image", "image_hash"]

KINDS = ("button", "link", "input", "textarea", "checkbox", "radio", "select", "tab", "menu", "menuitem",
         "icon", "image", "text")

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Element:
    """One thing seen on screen.

    `text` is what is written on or in it; `label` is the caption a person reads for a field (the text
    left of or above it, or its placeholder). `checked` is None where the kind has no such state.
    `covered` marks what lies behind an open modal's dim backdrop: seen, but a click lands on the backdrop.
    """

    kind: str
    text: str
    box: Box
    score: float = 1.0
    id: int = 0
    label: str = ""
    checked: bool | None = None
    disabled: bool | None = None
    covered: bool = False

    @property
    def center(self) -> tuple[int, int]:
        x1, y1, x2, y2 = self.box
        return ((x1 + x2) // 2, (y1 + y2) // 2)

    @property
    def name(self) -> str:
        """What a person would call it: its text, else its label."""
        return self.text or self.label

    def with_id(self, id: int) -> Element:
        return replace(self, id=id)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "kind": self.kind, "text": self.text,
                               "box": [int(v) for v in self.box], "score": round(float(self.score), 3)}
        if self.label:
            out["label"] = self.label
        if self.checked is not None:
            out["checked"] = self.checked
        if self.disabled is not None:
            out["disabled"] = self.disabled
        if self.covered:
            out["covered"] = True
        return out


@dataclass(frozen=True)
class Parse:
    """Everything a backend saw in one image, in reading order, ids from 1.

    When a modal dialog is open over a dimmed page, `elements` is what can be used now (the dialog),
    `dialog` its box, and `behind` what is still readable behind the backdrop (covered, ids after)."""

    width: int
    height: int
    elements: tuple[Element, ...]
    dialog: Box | None = None
    behind: tuple[Element, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"width": self.width, "height": self.height,
                               "elements": [e.to_json() for e in self.elements]}
        if self.dialog is not None:
            out["dialog"] = [int(v) for v in self.dialog]
            out["behind"] = [e.to_json() for e in self.behind]
        return out


@dataclass(frozen=True)
class Location:
    """The answer to `locate`: where the described thing is, or the nearest candidates."""

    query: str
    found: bool
    point: tuple[int, int] | None = None
    element: Element | None = None
    candidates: tuple[Element, ...] = ()
    matches: tuple[Element, ...] = ()  # every element that fits the description (for counts)
    detail: str = ""
    # Found only behind an open modal's backdrop (then `found` is False: seen, not usable), and the
    # dialog's title.
    covered: Element | None = None
    dialog: str = ""

    @property
    def box(self) -> Box | None:
        return self.element.box if self.element else None

    def to_json(self) -> dict[str, Any]:
        if not self.found or self.element is None or self.point is None:
            out: dict[str, Any] = {"query": self.query, "found": False,
                                   "candidates": [c.to_json() for c in self.candidates[:3]]}
            if self.covered is not None:
                out.update(covered=self.covered.to_json(), dialog=self.dialog, detail=self.detail)
            return out
        e = self.element
        return {"query": self.query, "found": True, "point": [int(self.point[0]), int(self.point[1])],
                "box": [int(v) for v in e.box], "kind": e.kind, "text": e.name,
                "score": round(float(e.score), 3)}


@dataclass(frozen=True)
class Answer:
    """The answer to `ask`: text, and the elements it was read from when there are any."""

    question: str
    text: str
    elements: tuple[Element, ...] = field(default_factory=tuple)


ImageInput = Image.Image | bytes | str | Path


#: the most pixels an image may have (PIL's own bomb limit, 89 M, e.g. 9459x9459): beyond it pagesight
#: refuses with BadImage rather than print PIL's raw DecompressionBombWarning and take minutes
MAX_PIXELS = Image.MAX_IMAGE_PIXELS or 89_478_485


def load_image(image: ImageInput) -> Image.Image:
    """An RGB PIL image from a PIL image, encoded bytes or a path; transparent pixels become white.

    BadImage when it has more than MAX_PIXELS pixels.
    """
    if isinstance(image, Image.Image):
        return _rgb(image)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the size check below says it clearly
        try:
            img = Image.open(io.BytesIO(image) if isinstance(image, bytes | bytearray) else Path(image))
        except Image.DecompressionBombError:
            raise BadImage(f"the image is too large to read: over {2 * MAX_PIXELS:,} pixels, "
                           f"the limit is {MAX_PIXELS:,}") from None
    width, height = img.size
    if width * height > MAX_PIXELS:
        img.close()
        raise BadImage(f"the image is too large to read: {width}x{height} is {width * height:,} pixels, "
                       f"the limit is {MAX_PIXELS:,}")
    img.load()
    return _rgb(img)


def _rgb(img: Image.Image) -> Image.Image:
    """RGB, with any alpha composited onto white: a transparent PNG's clear pixels are black in plain
    RGB, and black text on them would vanish (a page shows them on its white background)."""
    if img.mode == "RGB":
        return img
    if "A" in img.mode or "transparency" in img.info:
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        white.alpha_composite(rgba)
        return white.convert("RGB")
    return img.convert("RGB")


def image_hash(image: Image.Image) -> str:
    """A content hash of the pixels (not of an encoding), for caches."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{image.mode}{image.size}".encode())
    h.update(image.tobytes())
    return h.hexdigest()
