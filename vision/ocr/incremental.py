"""Incremental parse: read a new screenshot, recognising only the text lines not read before.

After a click usually little changes (a checkbox, a field, a menu), and after a scroll most lines only
moved. Text detection runs on the whole new screen; each detected line's crop is looked up by its
pixels among the lines read before (vision/ocr/known.py), and only new crops go to recognition, about
two thirds of a full parse's time on a page of text. Detection is not cut down to the changed areas:
its line boxes shift by a few pixels with content anywhere on the screen, the font-size yardstick is
their median, and crops gave a different yardstick from a full parse (SB Admin 2's sign-in: 10.2 px
against 12.0, and a checked custom checkbox read as an icon). So the result is a full parse's: the same
elements, kinds, boxes, texts and states (tests/test_incremental_parse.py checks it on a sequence of
real screens). The one difference: a line recognised in another batch may score a little differently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

from vision.ocr.known import KnownCrops
from vision.ocr.regions import parse_with_lines
from vision.ocr.text import TextLine
from vision.types import Parse

__all__ = ["IncrementalParser", "ParseStats", "STATS"]


@dataclass
class ParseStats:
    """What the incremental parser did, for the step-latency bench: one entry per parse."""

    full: int = 0  # parses that recognised every line (the first screen, or one with no line seen before)
    incremental: int = 0  # parses that took some lines' reading from an earlier screen
    fallbacks: int = 0  # full parses after the first: a new page, nothing on it read before
    changed_shares: list[float] = field(default_factory=list)  # share of the text (crop area) recognised

    def reset(self) -> None:
        self.full = self.incremental = self.fallbacks = 0
        self.changed_shares.clear()

    def to_json(self) -> dict:
        shares = sorted(self.changed_shares)
        return {"full": self.full, "incremental": self.incremental, "fallbacks_to_full": self.fallbacks,
                "changed_share_median": round(shares[len(shares) // 2], 4) if shares else None,
                "changed_shares": [round(s, 4) for s in self.changed_shares]}


STATS = ParseStats()  # process-wide: read by bench/step_latency.py


class IncrementalParser:
    """Parses screenshots, reusing the recognition of every text line read before. Thread-safe."""

    def __init__(self, det_limit_side_len: int = 1280, stats: ParseStats | None = None):
        self.det_limit_side_len = det_limit_side_len
        self.stats = stats if stats is not None else STATS
        self.known = KnownCrops()

    def forget(self) -> None:
        self.known.forget()

    def parse(self, img: Image.Image) -> tuple[Parse, list[TextLine]]:
        first = self.known.empty()
        out = parse_with_lines(img, self.det_limit_side_len, known=self.known)
        counts = self.known.last
        self.stats.changed_shares.append(round(counts.share, 4))
        if counts.recognised < counts.lines or not counts.lines:
            self.stats.incremental += 1
        else:
            self.stats.full += 1
            self.stats.fallbacks += not first
        return out
