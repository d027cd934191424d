"""Wait until a page is still before looking at it: network quiet, then two equal screenshots.

Bounded on both counts, and it never raises for a page that will not settle (a spinner, a carousel):
it returns the last screenshot with `still=False` and the caller decides. Screenshots are taken as a
person sees the page (animations running) with the text caret hidden, so a blinking caret does not
count as motion but a never-ending animation does.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pagesight_errors import BrowserError

__all__ = ["StillResult", "NetworkTracker", "wait_until_still", "take_png"]

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


def take_png(page: Any) -> bytes:
    """A viewport screenshot as a person sees it: animations running, the blinking caret hidden."""
    return page.screenshot(caret="hide", animations="allow", type="png")


def wait_until_still(page: Any, timeout: float = 5.0, interval: float = 0.1, network_timeout: float = 2.0,
                     tracker: NetworkTracker | None = None,
                     shoot: Callable[[], bytes] | None = None) -> StillResult:
    """Wait for a still page (bounded by `timeout` seconds) and return the last screenshot.

    First the network must be quiet (no request in flight; at most `network_timeout` seconds of
    waiting for that), then two consecutive screenshots `interval` apart must be byte-equal.
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

    prev: bytes | None = None
    last_error: Exception | None = None
    shots = 0
    while True:
        while not network_quiet() and time.monotonic() < deadline:
            pump(0.05)
        try:
            png = shoot()
            shots += 1
            last_error = None
        except Error as e:  # mid-navigation the old document is gone: look again shortly
            if "closed" in str(e).lower():
                raise BrowserError(f"the page closed while waiting for it to settle: {e}") from e
            png, last_error = None, e
        now = time.monotonic()
        if png is not None and png == prev and network_quiet():
            return StillResult(png, True, now - start, shots, tracker.inflight if tracker else 0)
        if now >= deadline:
            if png is None and prev is None:
                raise BrowserError(f"no screenshot could be taken in {timeout:.1f} s: {last_error}")
            last = png if png is not None else prev
            assert last is not None
            return StillResult(last, False, now - start, shots, tracker.inflight if tracker else 0)
        if png is not None:
            prev = png
        pump(min(interval, max(0.0, deadline - now)))
