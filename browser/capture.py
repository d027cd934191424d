"""One viewport capture, as cheaply as Chromium gives it.

Playwright's screenshot injects a caret-hiding style into every frame and removes it again on each
call, and asks for the layout first: round trips that cost about as much as the capture itself. A
session that owns its context hides the caret once instead, with a style that an init script adds to
every document, and captures with CDP `Page.captureScreenshot` and `optimizeForSpeed` (a faster PNG
encoder: the same pixels, other bytes). Chromium only; an attached page (the pytest plugin's), a
headed browser (a person watching keeps the caret) and `--animations disabled` keep Playwright's.
"""

from __future__ import annotations

import base64
from typing import Any

__all__ = ["FastCapture", "HIDE_CARET"]

# Playwright's own rule for caret="hide"; added when the document has a root, or as soon as it has one.
HIDE_CARET = """(() => {
  const add = () => {
    const style = document.createElement('style');
    style.textContent = '*:not(#pagesight-caret) { caret-color: transparent !important; }';
    (document.head || document.documentElement).appendChild(style);
  };
  if (document.documentElement) add(); else document.addEventListener('DOMContentLoaded', add, {once: true});
})();"""


class FastCapture:
    """Viewport PNGs of the pages of one owned context, over one CDP session per page."""

    def __init__(self, context: Any):
        context.add_init_script(HIDE_CARET)
        self._cdp: dict[int, tuple[Any, Any]] = {}  # id(page) -> (page, its CDP session)

    def png(self, page: Any, viewport: tuple[int, int], scale: float) -> bytes:
        """The viewport (`viewport` CSS pixels) at `scale` device pixels per CSS pixel, as Playwright's
        viewport screenshot has it: a clip at the page's scroll offset (another CDP session does not get
        the page's emulated device scale unless the clip asks for it)."""
        known = self._cdp.get(id(page))
        if known is None or known[0] is not page:
            known = self._cdp[id(page)] = (page, page.context.new_cdp_session(page))
        cdp = known[1]
        view = cdp.send("Page.getLayoutMetrics")["cssVisualViewport"]
        clip = {"x": view["pageX"], "y": view["pageY"], "width": viewport[0], "height": viewport[1], "scale": scale}
        shot = cdp.send("Page.captureScreenshot", {"format": "png", "optimizeForSpeed": True, "clip": clip})
        return base64.b64decode(shot["data"])

    def forget(self) -> None:
        self._cdp.clear()
