"""Text lines from RapidOCR 3.x, split into the separate items a person sees, with tight ink boxes.

One engine per process (per detection size), loaded on first use. Settings that matter on screenshots:
- the angle classifier is off (screenshots are upright; it only costs time);
- detection runs with `limit_type="max"`: a 1280x800 page is detected at its own size, a DPR-2 page is
  detected at half size (text is twice as big there, so nothing is lost) and a small crop is never scaled
  up to 736 px (which costs ~0.8 s and may find nothing). Recognition always reads full-resolution crops;
- every call passes the same options, because RapidOCR keeps an option passed on one call for later ones.
OCR joins a row of separate links or radio captions into one line; `split_line` cuts a line where the
blank gap between two recognised words is wider than a normal word space.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from pagesight_errors import BackendUnavailable
from vision.types import Box

if TYPE_CHECKING:
    from vision.ocr.known import KnownCrops

__all__ = ["TextLine", "get_engine", "read_lines", "ink_box", "engine_load_seconds"]

_ENGINES: dict[int, object] = {}
_LOCK = threading.Lock()
_LOAD_SECONDS: dict[int, float] = {}

# A gap between two words wider than this many line heights separates two items (a word space is ~0.3).
SPLIT_GAP = 0.75
# A blank run of pixel columns at least this many ink heights wide parts two items (a word space is ~0.3).
WIDE_GAP = 0.8


@dataclass(frozen=True)
class TextLine:
    """One item of text: `box` is the tight box around its ink, in the pixels of the image read."""

    text: str
    box: Box
    score: float
    words: tuple[tuple[str, Box], ...] = ()
    line_height: int = 0  # height of OCR's own (padded) line box: proportional to the font size
    crumb: bool = False  # one of several entries OCR read as one line with dividers ("首页 / 系统管理")

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]


def _threads() -> int:
    env = os.environ.get("PAGESIGHT_OCR_THREADS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(4, os.cpu_count() or 2))


def get_engine(det_limit_side_len: int = 1280):
    """The process-wide RapidOCR engine for this detection size (built once, thread-safe)."""
    engine = _ENGINES.get(det_limit_side_len)
    if engine is not None:
        return engine
    with _LOCK:
        engine = _ENGINES.get(det_limit_side_len)
        if engine is None:
            try:
                from rapidocr import RapidOCR
            except ImportError as exc:  # the default backend: say exactly what is missing
                raise BackendUnavailable(
                    "the ocr backend needs RapidOCR: pip install 'rapidocr>=3,<4' onnxruntime") from exc
            start = time.perf_counter()
            threads = _threads()
            engine = RapidOCR(params={
                "Global.use_cls": False,
                "Global.log_level": "error",
                "Global.max_side_len": 100000,  # no down-scaling before detection: Det.limit_type does it
                "Global.return_word_box": True,
                "Det.limit_type": "max",
                "Det.limit_side_len": det_limit_side_len,
                "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            })
            # Load both models now, so the first parse is not charged for it (and it is measured once):
            # RapidOCR builds the recogniser only when detection first finds text.
            loaders = [getattr(engine, n, None) for n in ("_load_det_model", "_load_rec_model")]
            if all(callable(f) for f in loaders):
                for f in loaders:
                    f()  # type: ignore[misc]  # callable() checked just above
            else:
                engine(np.full((48, 160, 3), 255, np.uint8), use_cls=False, return_word_box=True)
            _LOAD_SECONDS[det_limit_side_len] = time.perf_counter() - start
            _ENGINES[det_limit_side_len] = engine
    return engine


def engine_load_seconds(det_limit_side_len: int = 1280) -> float | None:
    """How long building the engine took in this process (None if not built yet)."""
    return _LOAD_SECONDS.get(det_limit_side_len)


def _rect(points) -> Box:
    arr = np.asarray(points, dtype=np.float32).reshape(-1, 2)
    x1, y1 = np.floor(arr.min(axis=0))
    x2, y2 = np.ceil(arr.max(axis=0))
    return (int(x1), int(y1), int(x2), int(y2))


def ink_box(gray: np.ndarray, box: Box) -> Box | None:
    """The tight box around the ink (pixels unlike the background) inside `box`; None if blank."""
    h, w = gray.shape[:2]
    x1, y1, x2, y2 = max(0, box[0]), max(0, box[1]), min(w, box[2]), min(h, box[3])
    if x2 - x1 < 2 or y2 - y1 < 2:
        return None
    crop = gray[y1:y2, x1:x2].astype(np.int16)
    bg = int(np.median(crop))  # glyphs cover well under half of a text box
    spread = max(int(np.abs(crop - bg).max()), 1)
    ink: np.ndarray = np.abs(crop - bg) > max(24, spread * 0.35)
    # OCR's box may take in bits of a widget's border: blank out solid lines near the crop's edges, keep
    # the main band of rows (the glyphs, an i-dot's small gap bridged), drop thin slivers at the ends.
    hgt, wid = ink.shape
    for c in list(range(min(4, wid))) + list(range(max(0, wid - 4), wid)):
        if ink[:, c].mean() > 0.8:
            ink[:, c] = False
    for r in list(range(min(4, hgt))) + list(range(max(0, hgt - 4), hgt)):
        if ink[r].mean() > 0.8:
            ink[r] = False
    rows = _runs(np.asarray(ink.any(axis=1)), bridge=max(2, int(0.1 * ink.shape[0])))
    if not rows:
        return None
    r0, r1 = max(rows, key=lambda r: ink[r[0]:r[1]].sum())
    cols = _runs(np.asarray(ink[r0:r1].any(axis=0)), bridge=0)
    while len(cols) > 1 and cols[0][1] - cols[0][0] <= 2 and cols[1][0] - cols[0][1] >= 3:
        cols = cols[1:]
    while len(cols) > 1 and cols[-1][1] - cols[-1][0] <= 2 and cols[-1][0] - cols[-2][1] >= 3:
        cols = cols[:-1]
    if not cols:
        return None
    return (x1 + cols[0][0], y1 + r0, x1 + cols[-1][1], y1 + r1)


def _runs(mask: np.ndarray, bridge: int) -> list[tuple[int, int]]:
    """[start, stop) runs of True, joining runs separated by at most `bridge` False values."""
    idx = np.flatnonzero(mask)
    if idx.size == 0:
        return []
    out = [[int(idx[0]), int(idx[0]) + 1]]
    for i in idx[1:]:
        if i - out[-1][1] <= bridge:
            out[-1][1] = int(i) + 1
        else:
            out.append([int(i), int(i) + 1])
    return [(a, b) for a, b in out]


def _join(words: list[tuple[str, Box]]) -> str:
    """Words back into text: a space between Latin words, none between CJK characters."""
    out = ""
    for word, _ in words:
        if out and (out[-1].isascii() and out[-1].isalnum() or word[:1].isascii() and word[:1].isalnum()):
            out += " "
        out += word
    return out.strip()


SEPARATORS = set("/|>›»·•\\／｜＞")


def _separator(words: list[tuple[str, Box]], i: int, text: str) -> bool:
    """Word i is a lone divider between two words, set off by spaces in what OCR read."""
    sep = words[i][0]
    if sep not in SEPARATORS or i == 0 or i == len(words) - 1:
        return False
    return f" {sep}" in text or f"{sep} " in text


def _blank_cuts(gray: np.ndarray, box: Box, min_gap: int) -> tuple[list[tuple[int, int]], int]:
    """(middle x, width) of the blank column runs inside a line's box that are wide enough to part two
    items: at least `min_gap` wide, or about as wide as the line's ink is high (a nav's links sit a
    text height apart; a word space is a third of that). Measured on the pixels, since OCR's word boxes
    are estimates and it often reads "Home Features Pricing" as one line with ordinary spaces. Also
    returns the width used."""
    h, w = gray.shape[:2]
    x1, y1, x2, y2 = max(0, box[0]), max(0, box[1]), min(w, box[2]), min(h, box[3])
    if x2 - x1 < 6 or y2 <= y1:
        return [], min_gap
    crop = gray[y1:y2, x1:x2].astype(np.int16)
    bg = int(np.median(crop))
    spread = max(int(np.abs(crop - bg).max()), 1)
    mask = np.abs(crop - bg) > max(24, spread * 0.35)
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return [], min_gap
    gap = min(min_gap, max(3, int(round(WIDE_GAP * (rows[-1] - rows[0] + 1)))))
    if x2 - x1 < 3 * gap:
        return [], gap
    ink = np.asarray(mask.any(axis=0))
    cols = np.flatnonzero(ink)
    cuts, start = [], None
    for x in range(int(cols[0]), int(cols[-1]) + 1):
        if not ink[x] and start is None:
            start = x
        elif ink[x] and start is not None:
            if x - start >= gap:
                cuts.append((x1 + (start + x) // 2, x - start))
            start = None
    return cuts, gap


def _cjk_join(left: str, right: str) -> bool:
    return bool(left) and bool(right) and _cjk(left[-1]) and _cjk(right[0])


def split_line(text: str, box: Box, score: float, words: list[tuple[str, Box]],
               gray: np.ndarray | None = None) -> list[TextLine]:
    """Cut one OCR line where it has a blank gap wider than a word space: between recognised words
    whose boxes lie far apart, or (word boxes being estimates) at a wide blank run of pixel columns.
    Han characters are set without spaces: between two of them only a much wider gap cuts."""
    height = max(1, box[3] - box[1])
    words = sorted(((t.strip(), b) for t, b in words if t.strip()), key=lambda wb: wb[1][0])
    if len(words) < 2:
        return [TextLine(text.strip(), box, score, tuple(words), height)]
    cuts, gap = _blank_cuts(gray, box, int(SPLIT_GAP * height)) if gray is not None else ([], 0)
    groups: list[list[tuple[str, Box]]] = [[words[0]]]
    crumbs = False
    for i, word in enumerate(words[1:], 1):
        if _separator(words, i, text):  # "首页 / 系统管理": a breadcrumb's or nav's divider
            groups.append([])
            crumbs = True
            continue
        prev = groups[-1][-1] if groups[-1] else word
        centre_prev, centre = (prev[1][0] + prev[1][2]) / 2, (word[1][0] + word[1][2]) / 2
        k = 2 if _cjk_join(prev[0], word[0]) else 1
        wide = word[1][0] - prev[1][2] > k * SPLIT_GAP * height
        cut = any(centre_prev < c < centre and g >= k * gap for c, g in cuts)
        if groups[-1] and (wide or cut):
            groups.append([word])
        else:
            groups[-1].append(word)
    groups = [g for g in groups if g]
    if len(groups) == 1:
        return [TextLine(text.strip(), box, score, tuple(words), height)]
    # Boundaries between pieces: the blank run's middle when there is one, else midway between words.
    bounds = [box[0]]
    for left, right in zip(groups, groups[1:], strict=False):
        a, b = left[-1][1][2], right[0][1][0]
        ca, cb = (left[-1][1][0] + a) / 2, (right[0][1][0] + b) / 2
        between = [c for c, _ in cuts if ca < c < cb]
        bounds.append(between[0] if between else (a + b) // 2)
    bounds.append(box[2])
    return [TextLine(_join(g), (bounds[i], box[1], bounds[i + 1], box[3]), score, tuple(g), height, crumbs)
            for i, g in enumerate(groups)]


def read_lines(bgr: np.ndarray, det_limit_side_len: int = 1280, min_score: float = 0.5,
               known: KnownCrops | None = None) -> list[TextLine]:
    """Every text item in a BGR image, split at wide gaps, with tight ink boxes, in OCR order. With
    `known` (a vision.ocr.known.KnownCrops), lines read before are not recognised again."""
    engine = get_engine(det_limit_side_len)
    result = known.ocr(engine, bgr) if known is not None else engine(bgr, use_cls=False, return_word_box=True)
    boxes = getattr(result, "boxes", None)
    txts = getattr(result, "txts", None)
    if boxes is None or txts is None or len(txts) == 0:
        return []
    scores = list(getattr(result, "scores", None) or [1.0] * len(txts))
    word_results = list(getattr(result, "word_results", None) or [])
    if len(word_results) != len(txts):  # RapidOCR drops empty word lists: only trust a full set
        word_results = [()] * len(txts)
    gray = bgr if bgr.ndim == 2 else bgr.mean(axis=2).astype(np.uint8)
    lines: list[TextLine] = []
    for points, text, score, wres in zip(boxes, txts, scores, word_results, strict=False):
        if not text or not text.strip() or float(score) < min_score:
            continue
        box = _rect(points)
        words = [(str(w[0]), _rect(w[2])) for w in (wres or ()) if len(w) == 3 and w[2] is not None]
        for piece in split_line(str(text), box, float(score), words, gray):
            x1, y1, x2, y2 = piece.box
            if piece.words:  # keep a glyph-less neighbour (a radio circle, an icon) out of the box
                pad = max(2, int(0.2 * (y2 - y1)))
                x1 = max(x1, min(b[0] for _, b in piece.words) - pad)
                x2 = min(x2, max(b[2] for _, b in piece.words) + pad)
            tight = ink_box(gray, (x1, y1, x2, y2))
            if tight is None:
                continue
            if _short_read(piece.text, tight):
                better = _reread(engine, bgr, (x1, box[1], x2, box[3]), piece.text)
                if better is not None:
                    text, score = better
                    piece = TextLine(text, piece.box, score, ((text, (x1, box[1], x2, box[3])),),
                                     piece.line_height, piece.crumb)
            lines.append(TextLine(piece.text, tight, piece.score, piece.words, piece.line_height, piece.crumb))
    return lines


def _cjk(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"


def _short_read(text: str, ink: Box) -> bool:
    """Chinese or Japanese text whose ink is clearly wider than the characters read: the recogniser
    dropped one (it reads a short crop such as the name "李四" as "李" now and then). Han characters are
    about square, so n of them are about n ink heights wide."""
    return bool(text) and all(_cjk(c) for c in text) and ink[2] - ink[0] > 1.3 * (ink[3] - ink[1]) * len(text)


def _reread(engine, bgr: np.ndarray, box: Box, text: str) -> tuple[str, float] | None:
    """Recognise one line's crop again on its own, at twice the size (steadier for short crops); the
    new reading if it holds more characters of the same script, else None."""
    import cv2

    recognise = getattr(engine, "recognize_txt", None)
    h, w = bgr.shape[:2]
    x1, y1, x2, y2 = max(0, box[0] - 2), max(0, box[1]), min(w, box[2] + 2), min(h, box[3])
    if recognise is None or x2 - x1 < 4 or y2 - y1 < 4:
        return None
    crop = bgr[y1:y2, x1:x2]
    if crop.ndim == 2:
        crop = cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR)
    big = cv2.resize(crop, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    try:
        out = recognise([np.ascontiguousarray(big)])
    except Exception:  # (RapidOCR raises its own error when it reads nothing)
        return None
    txts, scores = list(getattr(out, "txts", None) or []), list(getattr(out, "scores", None) or [])
    if not txts or not scores:
        return None
    new = str(txts[0]).replace(" ", "")
    if len(new) > len(text) and all(_cjk(c) for c in new) and float(scores[0]) >= 0.6:
        return new, float(scores[0])
    return None
