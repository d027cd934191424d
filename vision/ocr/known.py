"""Read a screen again, recognising only the text lines not seen before.

Detection runs on the whole screen every time: its line boxes move by a few pixels with content far
away (its network pools over the whole image), and the font-size yardstick every size threshold uses is
their median, so a detection on crops cannot give what a full parse gives. Recognition, about two thirds
of a parse on a page of text, is the part skipped: a line crop whose pixels were read before (the same
line unchanged, or moved by a scroll) takes its earlier reading. What comes out is what RapidOCR would
return for the whole screen, so the rest of the parse is the full parse's.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

__all__ = ["KnownCrops", "Counts"]


@dataclass
class Counts:
    """Line crops of the last read: how many were recognised, and their share of all crops' area."""

    lines: int = 0
    recognised: int = 0
    share: float = 0.0


class KnownCrops:
    """Recognitions by line-crop pixels (an LRU of `size` lines), and an OCR call that uses them."""

    def __init__(self, size: int = 4096):
        self.size = size
        self._seen: OrderedDict[bytes, tuple] = OrderedDict()
        self._lock = threading.Lock()
        self.last = Counts()

    def forget(self) -> None:
        with self._lock:
            self._seen.clear()

    def empty(self) -> bool:
        with self._lock:
            return not self._seen

    @staticmethod
    def _key(crop: np.ndarray) -> bytes:
        """The pixels of a line crop's ink. Not of the whole crop: detection's box round an unchanged
        line moves by a pixel or two when anything else on the screen changes (a scroll, a typed value),
        and reading the same ink with a pixel more or less of blank margin gives the same text."""
        c = crop.astype(np.int16)
        edge = np.concatenate([c[0], c[-1], c[:, 0], c[:, -1]])
        ink = np.abs(c - np.median(edge, axis=0)).max(axis=2) > 40
        rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        if rows.size:
            crop = crop[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
        return hashlib.blake2b(str(crop.shape).encode() + crop.tobytes(), digest_size=16).digest()

    def ocr(self, engine, bgr: np.ndarray):
        """RapidOCR's output for `bgr` (as `engine(bgr, use_cls=False, return_word_box=True)` gives),
        with recognition run only on crops not read before."""
        from rapidocr.ch_ppocr_cls import TextClsOutput
        from rapidocr.ch_ppocr_rec import TextRecOutput
        from rapidocr.main import RapidOCRError
        from rapidocr.utils.output import RapidOCROutput

        img, record = engine.preprocess_img(engine.load_img(bgr))
        try:
            crops, det = engine.detect_and_crop(img, record)
        except RapidOCRError:  # no text at all
            self.last = Counts()
            return RapidOCROutput()
        keys = [self._key(c) for c in crops]
        with self._lock:
            known = {k: self._seen[k] for k in keys if k in self._seen}
        todo = [i for i, k in enumerate(keys) if k not in known]
        if todo:
            rec = engine.recognize_txt([crops[i] for i in todo])
            fresh = {keys[i]: (rec.txts[n], rec.scores[n], rec.word_results[n]) for n, i in enumerate(todo)}
            known.update(fresh)
            with self._lock:
                self._seen.update(fresh)
                for k in keys:
                    self._seen.move_to_end(k)
                while len(self._seen) > self.size:
                    self._seen.popitem(last=False)
        area = [c.shape[0] * c.shape[1] for c in crops]
        self.last = Counts(len(crops), len(todo), sum(area[i] for i in todo) / max(1, sum(area)))
        got = [known[k] for k in keys]
        rec = TextRecOutput(imgs=list(crops), txts=tuple(g[0] for g in got), scores=[g[1] for g in got],
                            word_results=tuple(g[2] for g in got))
        return engine.build_final_output(bgr, det, TextClsOutput(), rec, crops, record)
