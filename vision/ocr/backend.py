"""The `ocr` backend: RapidOCR text + OpenCV widgets + rule-based grounding, on any CPU.

    backend = OcrBackend()                      # options: max_cache=8, det_limit_side_len=1280, incremental=1
    parse = backend.parse("shot.png")           # every element, reading order, ids from 1
    loc = backend.locate(image, '"Sign in" button')
    answer = backend.ask(image, "what buttons are there?")

Parses are cached by pixel hash (an LRU of `max_cache` entries), so many lookups on one screen
parse it once. `parse_regions` re-reads only the parts of a screen that changed since a parse.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from PIL import Image

from pagesight_errors import BackendError
from vision.base import VisionBackend
from vision.ocr.incremental import IncrementalParser
from vision.ocr.regions import parse_with_lines, reparse
from vision.ocr.text import TextLine, get_engine
from vision.types import Answer, Box, ImageInput, Location, Parse, image_hash, load_image

__all__ = ["OcrBackend", "parse_image"]

# incremental=1 (the default) recognises only text lines not read on an earlier screen; the parse is the
# same as a full one (vision/ocr/incremental.py). incremental=0 recognises every line of every new screen;
# PAGESIGHT_OCR_INCREMENTAL=0 sets that default for a whole run (`pagesight run` has no backend options).
OPTIONS = {"max_cache": 8, "det_limit_side_len": 1280, "incremental": 1}


def parse_image(img: Image.Image, det_limit_side_len: int = 1280) -> Parse:
    """Parse one RGB image, uncached: OCR, widget shapes, then assembly into elements."""
    return parse_with_lines(img, det_limit_side_len)[0]


class OcrBackend(VisionBackend):
    """Reads screenshots with OCR and classical vision. Thread-safe; one OCR engine per process."""

    name = "ocr"
    understands_free_text = False  # `do:` and sentence asserts need a model (vision.backend.FREE_TEXT)

    def __init__(self, **options: Any):
        unknown = sorted(set(options) - set(OPTIONS))
        if unknown:
            raise BackendError(
                f"unknown option(s) for the ocr backend: {', '.join(unknown)}; "
                f"it accepts: {', '.join(f'{k} (default {v})' for k, v in OPTIONS.items())}")
        settings = {**OPTIONS, "incremental": os.environ.get("PAGESIGHT_OCR_INCREMENTAL", OPTIONS["incremental"]),
                    **options}
        try:
            self.max_cache = int(settings["max_cache"])
            self.det_limit_side_len = int(settings["det_limit_side_len"])
            incremental = int(settings["incremental"])  # 0: every line of a new screen is recognised
        except (TypeError, ValueError) as exc:
            raise BackendError(f"ocr backend options (and PAGESIGHT_OCR_INCREMENTAL) must be integers: {exc}") from exc
        if self.max_cache < 1 or self.det_limit_side_len < 320:
            raise BackendError("ocr backend: max_cache must be >= 1 and det_limit_side_len >= 320")
        # pixel hash -> (parse, the OCR lines it was built from: kept for parse_regions)
        self._cache: OrderedDict[str, tuple[Parse, list[TextLine]]] = OrderedDict()
        self._lock = threading.Lock()
        # id(image) -> (weak reference, pixel hash): a second look at the same image object skips hashing
        # its pixels (12 ms at 2560x1600). Images are taken as unchanged once seen; draw on a copy.
        self._keys: OrderedDict[int, tuple[weakref.ref, str]] = OrderedDict()
        # lines read on an earlier screen are not recognised again (vision/ocr/incremental.py)
        self._incremental = IncrementalParser(self.det_limit_side_len) if incremental else None

    # -- cache -------------------------------------------------------------------------------
    def _key(self, img: Image.Image) -> str:
        with self._lock:
            known = self._keys.get(id(img))
            if known is not None and known[0]() is img:
                return known[1]
        key = image_hash(img)
        with self._lock:
            self._keys[id(img)] = (weakref.ref(img), key)
            while len(self._keys) > 4 * self.max_cache:
                self._keys.popitem(last=False)
        return key

    def _cached(self, key: str) -> Parse | None:
        with self._lock:
            hit = self._cache.get(key)
            if hit is None:
                return None
            self._cache.move_to_end(key)
            return hit[0]

    def _store(self, key: str, entry: tuple[Parse, list[TextLine]]) -> Parse:
        with self._lock:
            self._cache[key] = entry
            self._cache.move_to_end(key)
            while len(self._cache) > self.max_cache:
                self._cache.popitem(last=False)
        return entry[0]

    def _lines_of(self, parse: Parse) -> list[TextLine] | None:
        with self._lock:
            return next((lines for p, lines in self._cache.values() if p is parse), None)

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()
            self._keys.clear()
        if self._incremental is not None:
            self._incremental.forget()

    def warm_up(self) -> None:
        """Load the OCR models now instead of on the first parse."""
        get_engine(self.det_limit_side_len)

    # -- the three questions -----------------------------------------------------------------
    def parse(self, image: ImageInput) -> Parse:
        img = load_image(image)
        key = self._key(img)
        hit = self._cached(key)
        if hit is not None:
            return hit
        if self._incremental is not None:
            return self._store(key, self._incremental.parse(img))
        return self._store(key, parse_with_lines(img, self.det_limit_side_len))

    def locate(self, image: ImageInput, target: str) -> Location:
        from vision.grounding import ground
        from vision.ocr.modal import locate

        return locate(target, self.parse(image), ground)  # an open modal's dialog first (modal.py)

    def ask(self, image: ImageInput, question: str) -> Answer:
        from vision.grounding import ground
        from vision.ocr.ask import answer

        parse = self.parse(image)

        def _ground(target: str, kind_hint: str | None = None) -> Location:
            return ground(target, parse.elements, image_size=(parse.width, parse.height), kind_hint=kind_hint)

        return answer(question, parse, _ground)

    def parse_regions(self, image: ImageInput, previous: Parse, changed: Sequence[Box]) -> Parse:
        """A parse of `image` that re-reads text only inside the `changed` boxes (screenshot pixels) and
        keeps what `previous` read elsewhere. `previous` must be a parse this backend made of an image of
        the same size that is still in its cache; otherwise this is a plain `parse`."""
        img = load_image(image)
        key = self._key(img)
        hit = self._cached(key)
        if hit is not None:
            return hit
        old = self._lines_of(previous)
        if old is None or (previous.width, previous.height) != img.size:
            return self._store(key, parse_with_lines(img, self.det_limit_side_len))
        return self._store(key, reparse(img, old, changed, self.det_limit_side_len))

    def close(self) -> None:
        self.clear_cache()
