"""A locator cache for re-runs: where each step's target was, confirmed by sight before it is used.

Per scenario step (keyed by step index, step description, target, the how-many-th look of the step,
viewport and scale, so repeated identical steps do not collide) it keeps the target's box and point, a
small template crop round it (a PNG) and the hash of that screen region. On a re-run the region at the
cached box is compared first (same hash: a hit), then the template is looked for within SEARCH pixels
of it (OpenCV, milliseconds): one close match is a hit at the moved place, and the entry is rewritten.
No match, or several, is a miss: full grounding runs, and what it finds rewrites the entry (self-healing).
The cache never answers without seeing the template on the screen, so it never clicks blind.

The file is JSON, meant to be committed beside the scenario: `__pagesight_cache__/<stem>.json`, its
templates in `__pagesight_cache__/<stem>/`. Modes: `read-write` (the default), `read-only` (the default
when CI=true: hits are used, nothing is written), `off`; $PAGESIGHT_CACHE sets the default.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from pagesight_errors import ScenarioError
from vision.types import Element, Location

__all__ = ["LocatorCache", "MODES", "default_mode", "cache_path", "CACHE_DIR", "CACHED_VERBS"]

MODES = ("read-write", "read-only", "off")
CACHE_DIR = "__pagesight_cache__"
VERSION = 1
PAD = 12  # context round the element in its template: a button's neighbours tell two alike ones apart
SEARCH = 64  # how far (screenshot pixels) from its cached place a moved element is looked for
MSE_MAX = 12.0  # a match: mean squared difference per channel at most this (antialiasing noise)
# Steps whose target the cache may answer: their handlers use its place, not a state read off it.
CACHED_VERBS = frozenset({"clicked", "hovered over", "filled", "cleared", "selected from"})


def default_mode(env: Any = None) -> str:
    """$PAGESIGHT_CACHE when set, else read-only under CI=true, else read-write."""
    env = os.environ if env is None else env
    if env.get("PAGESIGHT_CACHE"):
        return str(env["PAGESIGHT_CACHE"])
    return "read-only" if str(env.get("CI", "")).lower() == "true" else "read-write"


def check_mode(mode: str | None) -> str:
    mode = mode or default_mode()
    if mode not in MODES:
        raise ScenarioError(f"--cache must be one of {', '.join(MODES)}, not {mode!r}")
    return mode


def cache_path(scenario_path: str | Path, folder: str | Path | None = None) -> Path:
    """Where a scenario's cache lives: beside it, or in `folder` when one is given (the bench)."""
    p = Path(scenario_path)
    return (Path(folder) if folder else p.parent / CACHE_DIR) / f"{p.stem}.json"


@dataclass
class Entry:
    step: int
    description: str
    target: str
    viewport: list[float]  # width, height, scale
    box: list[int]  # the element's box, screenshot pixels
    point: list[int]  # where the step acted
    kind: str
    text: str
    label: str
    template: str  # PNG file name, in the templates folder
    template_box: list[int]  # where the template was cut
    region_hash: str
    checked: bool | None = None
    disabled: bool | None = None


@dataclass
class CacheStats:
    hits: int = 0
    moved: int = 0  # hits found away from the cached place (entry rewritten)
    misses: int = 0  # an entry the screen no longer matched
    heals: int = 0  # misses whose grounding found the target again (entry rewritten)
    new: int = 0  # targets seen for the first time
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, int]:
        return {"hits": self.hits, "moved": self.moved, "misses": self.misses, "heals": self.heals,
                "new": self.new}


def _hash(pixels: np.ndarray) -> str:
    return hashlib.blake2b(pixels.tobytes() + str(pixels.shape).encode(), digest_size=12).hexdigest()


class LocatorCache:
    """One scenario's cached locators (see the module's docstring)."""

    def __init__(self, path: str | Path, mode: str = "read-write", redact: Callable[[str], str] | None = None):
        self.path = Path(path)
        # the file is meant to be committed: secrets (values from ${NAME}, `secret: true`) never go in it
        self.redact: Callable[[str], str] = redact or (lambda text: text)
        self.mode = check_mode(mode)
        self.stats = CacheStats()
        self.entries: dict[str, Entry] = {}
        self._templates: dict[str, np.ndarray] = {}
        self._dirty = False
        if self.mode != "off" and self.path.is_file():
            try:
                data = json.loads(self.path.read_text("utf-8"))
                if data.get("version") == VERSION:
                    self.entries = {k: Entry(**v) for k, v in data.get("entries", {}).items()}
            except (ValueError, TypeError, OSError):  # a broken cache file is a cold cache, not an error
                self.entries = {}
                self._dirty = True

    @property
    def folder(self) -> Path:
        return self.path.with_suffix("")

    def key(self, step: int, description: str, target: str, nth: int, viewport: tuple[int, int], scale: float) -> str:
        return (f"{step:03d} {self.redact(description)} | {self.redact(target)} #{nth} "
                f"@{viewport[0]}x{viewport[1]}@{scale:g}")

    # -- reading -------------------------------------------------------------------------------
    def _template(self, entry: Entry) -> np.ndarray | None:
        if entry.template not in self._templates:
            try:
                with Image.open(self.folder / entry.template) as im:
                    self._templates[entry.template] = np.asarray(im.convert("RGB"))
            except OSError:
                return None
        return self._templates[entry.template]

    def confirm(self, key: str, image: Image.Image) -> Location | None:
        """The cached target, if its template is seen on `image` at its place or one close match near it;
        None when there is no entry or the screen does not show it (a miss)."""
        if self.mode == "off" or key not in self.entries:
            return None
        entry = self.entries[key]
        found = self._find(entry, np.asarray(image.convert("RGB")))
        if found is None:
            self.stats.misses += 1
            return None
        dx, dy = found
        self.stats.hits += 1
        box = tuple(v + d for v, d in zip(entry.box, (dx, dy, dx, dy), strict=True))
        el = Element(entry.kind, entry.text, box, label=entry.label,  # type: ignore[arg-type]
                     checked=entry.checked, disabled=entry.disabled)
        loc = Location(entry.target, True, point=(entry.point[0] + dx, entry.point[1] + dy), element=el,
                       matches=(el,), detail="from the locator cache, confirmed on this screen")
        if (dx, dy) != (0, 0):
            self.stats.moved += 1
            if self.mode == "read-write":
                self._move(entry, dx, dy)
        return loc

    def _find(self, entry: Entry, rgb: np.ndarray) -> tuple[int, int] | None:
        import cv2

        tpl = self._template(entry)
        if tpl is None:
            return None
        x1, y1, x2, y2 = entry.template_box
        h, w = rgb.shape[:2]
        if x2 <= w and y2 <= h and _hash(rgb[y1:y2, x1:x2]) == entry.region_hash:
            return (0, 0)
        sx1, sy1 = max(0, x1 - SEARCH), max(0, y1 - SEARCH)
        sx2, sy2 = min(w, x2 + SEARCH), min(h, y2 + SEARCH)
        th, tw = tpl.shape[:2]
        if sx2 - sx1 < tw or sy2 - sy1 < th:
            return None
        window = np.ascontiguousarray(rgb[sy1:sy2, sx1:sx2]).astype(np.float32)
        sq = cv2.matchTemplate(window, np.ascontiguousarray(tpl).astype(np.float32), cv2.TM_SQDIFF)
        mse = sq / float(tw * th * 3)
        best, _, (bx, by), _ = cv2.minMaxLoc(mse)
        if best > MSE_MAX:
            return None
        # one match only: a second one (away from the first) means two alike places: ground instead
        hx, hy = max(2, tw // 3), max(2, th // 3)
        mse[max(0, by - hy):by + hy + 1, max(0, bx - hx):bx + hx + 1] = np.inf
        if mse.size and float(mse.min()) <= 4 * MSE_MAX:
            return None
        return (sx1 + bx - x1, sy1 + by - y1)

    # -- writing -------------------------------------------------------------------------------
    def _move(self, entry: Entry, dx: int, dy: int) -> None:
        entry.box = [entry.box[0] + dx, entry.box[1] + dy, entry.box[2] + dx, entry.box[3] + dy]
        entry.point = [entry.point[0] + dx, entry.point[1] + dy]
        entry.template_box = [entry.template_box[0] + dx, entry.template_box[1] + dy,
                              entry.template_box[2] + dx, entry.template_box[3] + dy]
        self._dirty = True

    def store(self, key: str, image: Image.Image, loc: Location, *, step: int, description: str,
              viewport: tuple[int, int], scale: float, healed: bool = False) -> None:
        """Remember where `loc` was found on `image` (read-write mode only)."""
        el = loc.element
        if self.mode != "read-write" or not loc.found or el is None or loc.point is None:
            return
        rgb = np.asarray(image.convert("RGB"))
        h, w = rgb.shape[:2]
        x1, y1 = max(0, int(el.box[0]) - PAD), max(0, int(el.box[1]) - PAD)
        x2, y2 = min(w, int(el.box[2]) + PAD), min(h, int(el.box[3]) + PAD)
        if x2 - x1 < 4 or y2 - y1 < 4:
            return
        crop = np.ascontiguousarray(rgb[y1:y2, x1:x2])
        name = f"{step:03d}-{hashlib.blake2b(key.encode(), digest_size=4).hexdigest()}.png"
        r = self.redact
        self.entries[key] = Entry(step, r(description), r(loc.query), [viewport[0], viewport[1], scale],
                                  [int(v) for v in el.box], [int(loc.point[0]), int(loc.point[1])],
                                  el.kind, r(el.text), r(el.label), name, [x1, y1, x2, y2], _hash(crop),
                                  el.checked, el.disabled)
        self._templates[name] = crop
        self._dirty = True
        if healed:
            self.stats.heals += 1
        else:
            self.stats.new += 1

    def save(self) -> Path | None:
        """Write the file and its templates when something changed (read-write mode); returns the path."""
        if self.mode != "read-write" or not self._dirty:
            return None
        self.folder.mkdir(parents=True, exist_ok=True)
        keep = set()
        for entry in self.entries.values():
            tpl = self._templates.get(entry.template)
            if tpl is None:
                tpl = self._template(entry)
            if tpl is not None:
                buf = io.BytesIO()
                Image.fromarray(tpl).save(buf, format="PNG")
                (self.folder / entry.template).write_bytes(buf.getvalue())
                keep.add(entry.template)
        for old in self.folder.glob("*.png"):
            if old.name not in keep:
                old.unlink()
        data = {"version": VERSION, "note": "pagesight locator cache: each entry is checked against the "
                "screen before use; delete this file to start cold", "entries":
                {k: asdict(v) for k, v in sorted(self.entries.items())}}
        self.path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
        self._dirty = False
        return self.path
