"""Wait until a page is still before looking at it: network quiet, then two equal screenshots.

Bounded on both counts, and it never raises for a page that will not settle (a spinner, a carousel):
it returns the last screenshot with `still=False` and the caller decides. Screenshots are taken as a
person sees the page (animations running) with the text caret hidden, so a blinking caret does not
count as motion but a never-ending animation does; `animations="disabled"` takes them the way
Playwright's screenshot option does (CSS animations and transitions finished, infinite ones at their
start). Masked boxes (`ignore`) do not count as motion. With `local=True` a page whose motion stays
in the same small places (a spinner, a ticking clock) is not waited out: the result names the moving
boxes, and the caller waits longer only if what it acts on is inside one of them.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pagesight_errors import BrowserError

__all__ = ["StillResult", "NetworkTracker", "wait_until_still", "take_png", "moving_boxes", "boxes_within", "ANIMATIONS"]

Box = tuple[int, int, int, int]
ANIMATIONS = ("allow", "disabled")
# Motion that stays within this share of the screen, in the same places, for LOCAL_LOOKS comparisons in
# a row is local (a spinner, a clock): with `local=True` the wait ends there.
LOCAL_SHARE, LOCAL_LOOKS = 0.1, 2
CELL = 16  # moving areas are found on a grid of CELL x CELL pixels

# Long-lived by design: waiting for them to finish would always hit the bound.
_NEVER_DONE = frozenset({"eventsource", "websocket"})


@dataclass(frozen=True)
class StillResult:
    """What `wait_until_still` saw: the last PNG, whether the page was still, and what it cost."""

    png: bytes = field(repr=False)
    still: bool
    waited_s: float
    shots: int
    pending_requests: int = 0  # requests still in flight when it returned (0 when the network was quiet)
    moving: tuple[Box, ...] = ()  # where it still moved (screenshot pixels), when it ended on local motion
    masked: bool = False  # still only because the moving parts were masked

    @property
    def outcome(self) -> str:
        """"still", "still-masked", "moving-elsewhere" (local motion only) or "moving" (gave up)."""
        if self.still:
            return "still-masked" if self.masked else "still"
        return "moving-elsewhere" if self.moving else "moving"


class NetworkTracker:
    """Counts a page's requests in flight, from Playwright's request events.

    Playwright's "networkidle" load state fires once per document, so after a click that starts a
    fetch it reports idle at once; counting requests sees the fetch. Events are delivered while the
    sync API waits (any Playwright call), which the polling below does.
    """

    def __init__(self, page: Any):
        self.page = page
        self._inflight: dict[int, Any] = {}
        self._handlers = {"request": self._on_request, "requestfinished": self._on_done,
                          "requestfailed": self._on_done}
        for event, fn in self._handlers.items():
            page.on(event, fn)

    def _on_request(self, request: Any) -> None:
        previous = request.redirected_from  # a redirect may not report its first hop as finished
        if previous is not None:
            self._inflight.pop(id(previous), None)
        if request.resource_type not in _NEVER_DONE:
            self._inflight[id(request)] = request

    def _on_done(self, request: Any) -> None:
        self._inflight.pop(id(request), None)

    @property
    def inflight(self) -> int:
        return len(self._inflight)

    def pending_urls(self) -> list[str]:
        return [r.url for r in self._inflight.values()]

    def detach(self) -> None:
        for event, fn in self._handlers.items():
            try:
                self.page.remove_listener(event, fn)
            except Exception:  # the page may already be closed
                pass
        self._inflight.clear()


def take_png(page: Any, animations: str = "allow") -> bytes:
    """A viewport screenshot as a person sees it: animations running (or, "disabled", finished as
    Playwright's screenshot option does it), the blinking caret hidden."""
    return page.screenshot(caret="hide", animations=animations, type="png")


def _pixels(png: bytes) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def moving_boxes(a: np.ndarray, b: np.ndarray, ignore: Sequence[Box] = ()) -> list[Box]:
    """Boxes (on a CELL-pixel grid) round the pixels that differ between two same-size images,
    outside the `ignore` boxes."""
    import cv2

    diff = np.any(a != b, axis=2)
    for x1, y1, x2, y2 in ignore:
        diff[max(0, y1):max(0, y2), max(0, x1):max(0, x2)] = False
    if not diff.any():
        return []
    h, w = diff.shape
    gh, gw = -(-h // CELL), -(-w // CELL)
    grid = np.zeros((gh * CELL, gw * CELL), bool)
    grid[:h, :w] = diff
    cells = grid.reshape(gh, CELL, gw, CELL).any(axis=(1, 3)).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(cells, connectivity=8)
    return [(int(x) * CELL, int(y) * CELL, min(w, int(x + bw) * CELL), min(h, int(y + bh) * CELL))
            for x, y, bw, bh, _ in stats[1:count]]


def _grown(b: Box, by: int, shape: tuple[int, ...]) -> Box:
    return (max(0, b[0] - by), max(0, b[1] - by), min(shape[1], b[2] + by), min(shape[0], b[3] + by))


def boxes_within(boxes: list[Box], places: Sequence[Box]) -> bool:
    """Every box lies wholly inside one of `places`."""
    return all(any(p[0] <= b[0] and p[1] <= b[1] and b[2] <= p[2] and b[3] <= p[3] for p in places)
               for b in boxes)


def _inside(boxes: list[Box], places: list[Box], grow: int = CELL) -> bool:
    """Every box overlaps one of `places` (grown by `grow`): the motion stayed where it was."""
    return all(any(b[0] < p[2] + grow and p[0] - grow < b[2] and b[1] < p[3] + grow and p[1] - grow < b[3]
                   for p in places) for b in boxes)


def wait_until_still(page: Any, timeout: float = 5.0, interval: float = 0.1, network_timeout: float = 2.0,
                     tracker: NetworkTracker | None = None,
                     shoot: Callable[[], bytes] | None = None, *, ignore: Sequence[Box] = (),
                     local: bool = False, previous: bytes | None = None,
                     known_moving: Sequence[Box] = (), first: bytes | None = None) -> StillResult:
    """Wait for a still page (bounded by `timeout` seconds) and return the last screenshot.

    First the network must be quiet (no request in flight; at most `network_timeout` seconds of
    waiting for that), then two consecutive screenshots `interval` apart must be equal: byte-equal, or
    equal outside the `ignore` boxes (screenshot pixels). `previous` is a screenshot already known to be
    still: a first capture equal to it is the second of the two. With `local`, motion confined to the
    same small places for LOCAL_LOOKS comparisons ends the wait (`still=False`, `moving` says where);
    `known_moving` are such places found by an earlier wait: two captures that differ only inside them
    end the wait at once. `first` is a capture the caller took just before (to start work on it while this
    wait confirms it): it is this wait's first capture, so a still page costs one capture more.
    """
    from playwright.sync_api import Error, TimeoutError

    shoot = shoot or (lambda: take_png(page))
    start = time.monotonic()
    deadline = start + max(timeout, 0.0)
    net_deadline = start + min(network_timeout, max(timeout, 0.0))

    def pump(seconds: float) -> None:
        page.wait_for_timeout(max(1.0, seconds * 1000))

    def network_quiet() -> bool:
        return tracker is None or tracker.inflight == 0 or time.monotonic() >= net_deadline

    if tracker is None:  # no request counts: fall back to Playwright's once-per-document idle state
        try:
            page.wait_for_load_state("networkidle", timeout=max(1.0, (net_deadline - start) * 1000))
        except TimeoutError:
            pass

    prev: bytes | None = previous
    prev_px: np.ndarray | None = None
    last_error: Exception | None = None
    shots = 0
    places: list[Box] = []  # where it moved, over the comparisons in a row that found local motion
    local_looks = 0
    while True:
        while not network_quiet() and time.monotonic() < deadline:
            pump(0.05)
        try:
            png, first = (first, None) if first is not None else (shoot(), None)
            shots += 1
            last_error = None
        except Error as e:  # mid-navigation the old document is gone: look again shortly
            if "closed" in str(e).lower():
                raise BrowserError(f"the page closed while waiting for it to settle: {e}") from e
            png, last_error = None, e
        now = time.monotonic()
        if png is not None and png == prev and network_quiet():
            return StillResult(png, True, now - start, shots, tracker.inflight if tracker else 0)
        compared = png is not None and prev is not None and bool(ignore or local) and network_quiet()
        if compared:
            assert png is not None and prev is not None
            px = _pixels(png)
            if prev_px is None:
                prev_px = _pixels(prev)
            moved = moving_boxes(prev_px, px, ignore) if prev_px.shape == px.shape else None
            prev_px = px
            if moved == []:
                return StillResult(png, True, now - start, shots, tracker.inflight if tracker else 0,
                                   masked=bool(ignore))
            area = sum((b[2] - b[0]) * (b[3] - b[1]) for b in moved or [])
            small = moved is not None and area <= LOCAL_SHARE * px.shape[0] * px.shape[1]
            if local and known_moving and moved and boxes_within(moved, known_moving):
                return StillResult(png, False, now - start, shots, tracker.inflight if tracker else 0,
                                   moving=tuple(known_moving))
            # local motion: small, and where it was at the last look (a menu sliding open is not)
            local_looks = local_looks + 1 if small and (not places or _inside(moved or [], places)) else int(small)
            places = list(moved or [])
            if local and local_looks >= LOCAL_LOOKS:
                return StillResult(png, False, now - start, shots, tracker.inflight if tracker else 0,
                                   moving=tuple(_grown(b, CELL, px.shape) for b in places))
        if now >= deadline:
            if png is None and prev is None:
                raise BrowserError(f"no screenshot could be taken in {timeout:.1f} s: {last_error}")
            last = png if png is not None else prev
            assert last is not None
            return StillResult(last, False, now - start, shots, tracker.inflight if tracker else 0)
        if not compared:
            prev_px = None  # `prev` changes below without its pixels
        if png is not None:
            prev = png
        pump(min(interval, max(0.0, deadline - now)))
