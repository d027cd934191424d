"""The `ocr` backend: RapidOCR text + OpenCV widgets + rule-based grounding, on any CPU.

    backend = OcrBackend()                      # options: max_cache=8, det_limit_side_len=1280
    parse = backend.parse("shot.png")           # every element, reading order, ids from 1
    loc = backend.locate(image, '"Sign in" button')
    answer = backend.ask(image, "what buttons are there?")

Parses are cached by pixel hash (an LRU of `max_cache` entries), so many lookups on one screen
parse it once. `parse_regions` re-reads only the parts of a screen that changed since a parse.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np
from PIL import Image

from agent.errors import BackendError
from vision.backend import VisionBackend
from vision.ocr.assemble import assemble, estimate_unit
from vision.ocr.text import get_engine, read_lines
from vision.ocr.widgets import find_shapes
from vision.types import Answer, Box, ImageInput, Location, Parse, image_hash, load_image

__all__ = ["OcrBackend", "parse_image"]

OPTIONS = {"max_cache": 8, "det_limit_side_len": 1280}


def parse_image(img: Image.Image, det_limit_side_len: int = 1280) -> Parse:
    """Parse one RGB image, uncached: OCR, widget shapes, then assembly into elements."""
    rgb = np.asarray(img.convert("RGB"))
    bgr = np.ascontiguousarray(rgb[:, :, ::-1])
    lines = read_lines(bgr, det_limit_side_len)
    unit = estimate_unit(lines, img.width)
    shapes = find_shapes(rgb, unit)
    elements = assemble(rgb, lines, shapes, unit)
    return Parse(img.width, img.height, tuple(elements))


class OcrBackend(VisionBackend):
    """Reads screenshots with OCR and classical vision. Thread-safe; one OCR engine per process."""

    name = "ocr"

    def __init__(self, **options: Any):
        unknown = sorted(set(options) - set(OPTIONS))
        if unknown:
            raise BackendError(
                f"unknown option(s) for the ocr backend: {', '.join(unknown)}; "
                f"it accepts: {', '.join(f'{k} (default {v})' for k, v in OPTIONS.items())}")
        settings = {**OPTIONS, **options}
        try:
            self.max_cache = int(settings["max_cache"])
            self.det_limit_side_len = int(settings["det_limit_side_len"])
        except (TypeError, ValueError) as exc:
            raise BackendError(f"ocr backend options must be integers: {exc}") from exc
        if self.max_cache < 1 or self.det_limit_side_len < 320:
            raise BackendError("ocr backend: max_cache must be >= 1 and det_limit_side_len >= 320")
        self._cache: OrderedDict[str, Parse] = OrderedDict()
        self._lock = threading.Lock()

    # -- cache -------------------------------------------------------------------------------
    def _cached(self, key: str) -> Parse | None:
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
            return hit

    def _store(self, key: str, parse: Parse) -> Parse:
        with self._lock:
            self._cache[key] = parse
            self._cache.move_to_end(key)
            while len(self._cache) > self.max_cache:
                self._cache.popitem(last=False)
        return parse

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def warm_up(self) -> None:
        """Load the OCR models now instead of on the first parse."""
        get_engine(self.det_limit_side_len)

    # -- the three questions -----------------------------------------------------------------
    def parse(self, image: ImageInput) -> Parse:
        img = load_image(image)
        key = image_hash(img)
        hit = self._cached(key)
        if hit is not None:
            return hit
        return self._store(key, parse_image(img, self.det_limit_side_len))

    def locate(self, image: ImageInput, target: str) -> Location:
        from vision.grounding import ground

        return ground(target, self.parse(image).elements)

    def ask(self, image: ImageInput, question: str) -> Answer:
        from vision.ocr.ask import answer

        return answer(question, self.parse(image), lambda target: self.locate(image, target))

    def parse_regions(self, image: ImageInput, previous: Parse, changed: Sequence[Box]) -> Parse:
        """A parse of `image` that re-reads only the `changed` boxes and keeps `previous` elsewhere."""
        from vision.ocr.regions import reparse

        img = load_image(image)
        key = image_hash(img)
        hit = self._cached(key)
        if hit is not None:
            return hit
        return self._store(key, reparse(img, previous, changed, self.det_limit_side_len))

    def close(self) -> None:
        self.clear_cache()
