"""A screenshot and the one conversion between its pixels and the page's CSS pixels."""

from __future__ import annotations

import hashlib
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from PIL import Image

__all__ = ["Screenshot", "to_css", "to_css_ints", "box_to_css", "to_screenshot"]


def to_css(point: tuple[float, float], scale: float) -> tuple[float, float]:
    """Screenshot pixels -> CSS pixels: divide by the device scale factor. The only place that does."""
    if scale <= 0:
        raise ValueError(f"device scale factor must be positive, got {scale}")
    return (point[0] / scale, point[1] / scale)


def to_css_ints(values: Sequence[float], scale: float) -> tuple[int, ...]:
    """A point, box or size in screenshot pixels -> whole CSS pixels (for printing and JSON)."""
    flat = [c for i in range(0, len(values) - 1, 2) for c in to_css((values[i], values[i + 1]), scale)]
    return tuple(int(round(v)) for v in flat)


def box_to_css(box: Sequence[float], scale: float) -> tuple[int, int, int, int]:
    """A screenshot-pixel box -> a CSS box grown to whole CSS pixels, so it still holds the element."""
    x1, y1 = to_css((box[0], box[1]), scale)
    x2, y2 = to_css((box[2], box[3]), scale)
    return (math.floor(x1), math.floor(y1), math.ceil(x2), math.ceil(y2))


def to_screenshot(point: tuple[float, float], scale: float) -> tuple[float, float]:
    """CSS pixels -> screenshot pixels (the inverse of `to_css`)."""
    return (point[0] * scale, point[1] * scale)


@dataclass(frozen=True)
class Screenshot:
    """A PNG of the viewport with what is needed to act on it.

    `viewport` is the CSS size; the image is `viewport * scale` pixels. `hash` is of the PNG bytes.
    """

    png: bytes
    viewport: tuple[int, int]
    scale: float
    url: str
    hash: str = ""
    _image: list[Image.Image] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def from_png(cls, png: bytes, viewport: tuple[int, int], scale: float, url: str) -> Screenshot:
        return cls(png=png, viewport=viewport, scale=scale, url=url,
                   hash=hashlib.blake2b(png, digest_size=16).hexdigest())

    @property
    def image(self) -> Image.Image:
        """The decoded RGB image (decoded once, on first use)."""
        if not self._image:
            img = Image.open(io.BytesIO(self.png))
            img.load()
            self._image.append(img.convert("RGB"))
        return self._image[0]

    @property
    def size(self) -> tuple[int, int]:
        return self.image.size

    def to_css(self, point: tuple[float, float]) -> tuple[float, float]:
        return to_css(point, self.scale)

    def save(self, path: str) -> str:
        with open(path, "wb") as f:
            f.write(self.png)
        return path
