"""BrowserSession: one page to look at and act on, with the mouse and keyboard at CSS pixels.

A session owns playwright -> browser -> context -> page and closes what it owns; `attach(page)` wraps
a page someone else owns (the pytest plugin's) and closes nothing. Coordinates are CSS pixels:
convert screenshot pixels with `browser.screenshot.to_css` first.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from browser import dom, keys
from browser.capture import FastCapture
from browser.launch import acquire_playwright, launch_browser, release_playwright
from browser.screenshot import Screenshot
from browser.stability import NetworkTracker, StillResult, take_png, wait_until_still
from pagesight_errors import BrowserError

__all__ = ["BrowserSession", "normalize_key"]

def normalize_key(key: str) -> str:
    """"ctrl+a" -> "Control+a", "enter" -> "Enter", "F5" stays; names browser.keys does not know pass
    through to Playwright."""
    return keys.normalize_key(key, strict=False)


class BrowserSession:
    """One browser page at a fixed CSS viewport and device scale factor.

    >>> with BrowserSession(viewport=(1280, 800), base_url="http://127.0.0.1:8000") as s:
    ...     s.goto("login.html"); shot = s.stable_screenshot(); s.click(640, 400)

    `browser=` reuses an already launched Playwright Browser (only the context and page are made and
    closed here). `PAGESIGHT_BROWSER_WS` connects to a remote browser server instead of launching.
    Use a session from the thread that started it: Playwright's sync objects belong to one thread.
    Sessions in one thread share one Playwright (see `browser.launch.shared_playwright`).
    """

    def __init__(self, viewport: tuple[int, int] = (1280, 800), scale: float = 1, headed: bool = False,
                 base_url: str | None = None, timeout: float = 10.0, browser: Any = None,
                 keep_on_ctrl_c: bool = False):
        if scale <= 0 or viewport[0] <= 0 or viewport[1] <= 0:
            raise ValueError(f"bad viewport {viewport} or scale {scale}")
        self.viewport = (int(viewport[0]), int(viewport[1]))
        self.scale = float(scale)
        self.headed = headed
        self.base_url = base_url
        self.timeout = float(timeout)
        self.keep_on_ctrl_c = keep_on_ctrl_c  # Ctrl-C reaches Python only; the browser lives on (explore)
        self.dialogs: list[dict[str, str]] = []  # alerts/confirms seen (accepted) in owned sessions
        self.last_wait: StillResult | None = None  # how the last stable_screenshot went
        self.animations = "allow"  # or "disabled": screenshots as Playwright's option takes them
        self._browser = browser
        self._owns_pw = self._owns_browser = self._owns_context = False
        self._context: Any = None
        self._page: Any = None
        self._pages: list[Any] = []  # opener chain: popups are followed, and left when they close
        self._tracker: NetworkTracker | None = None
        self._wired: list[tuple[Any, str, Any]] = []  # (page, event, handler) to remove on close
        self._attached = False
        self._fast: FastCapture | None = None  # cheaper captures, for a context this session owns

    # --- life cycle -------------------------------------------------------------------------------

    @classmethod
    def attach(cls, page: Any, base_url: str | None = None, timeout: float = 10.0) -> BrowserSession:
        """Wrap a Playwright sync Page owned elsewhere. Closing the session closes nothing of it."""
        size = page.viewport_size or page.evaluate("() => ({width: innerWidth, height: innerHeight})")
        scale = page.evaluate("() => window.devicePixelRatio") or 1
        self = cls(viewport=(size["width"], size["height"]), scale=scale, base_url=base_url, timeout=timeout)
        self._attached = True
        self._context = page.context
        self._use_page(page)
        return self

    def start(self) -> BrowserSession:
        """Launch (or connect) and open the page; called by `with` and on first use."""
        if self._page is not None:
            return self
        if self._context is not None or self._attached:
            raise BrowserError("this session's page was closed; start a new BrowserSession")
        try:
            if self._browser is None:
                pw = acquire_playwright(keep_on_ctrl_c=self.keep_on_ctrl_c)
                self._owns_pw = True
                self._browser = launch_browser(pw, headed=self.headed, timeout=max(self.timeout, 30.0),
                                               handle_sigint=not self.keep_on_ctrl_c)
                self._owns_browser = True
            with self._guard("open a browser page"):
                self._context = self._browser.new_context(
                    viewport={"width": self.viewport[0], "height": self.viewport[1]},
                    device_scale_factor=self.scale)
                self._owns_context = True
                self._context.set_default_timeout(self.timeout * 1000)
                self._fast = None if self.headed else FastCapture(self._context)
                self._use_page(self._context.new_page())
        except BaseException:
            self.close()
            raise
        return self

    def close(self) -> None:
        """Close what this session owns (page, context, browser, Playwright); safe to call twice."""
        if self._tracker is not None:
            self._tracker.detach()
            self._tracker = None
        for page, event, fn in self._wired:  # matters for attached pages, which live on
            try:
                page.remove_listener(event, fn)
            except Exception:
                pass
        self._wired = []
        self._fast = None
        context, browser = self._context, self._browser
        self._page, self._pages, self._context = None, [], None
        try:
            if self._owns_context and context is not None:
                context.close()
            if self._owns_browser and browser is not None:
                self._browser = None
                browser.close()
        except Exception:  # a browser that already died must not hide the error that killed it
            pass
        finally:
            self._owns_context = self._owns_browser = False
            if self._owns_pw:
                self._owns_pw = False
                release_playwright()

    def __enter__(self) -> BrowserSession:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _use_page(self, page: Any) -> None:
        """Look at `page` from now on (the first page, or a popup it opened)."""
        if self._tracker is not None:
            self._tracker.detach()
        self._page = page
        if page not in self._pages:
            self._pages.append(page)
        self._tracker = NetworkTracker(page)
        if all(p is not page for p, _, _ in self._wired):
            # Follow new tabs as a person does, and come back when they close.
            handlers: list[tuple[str, Any]] = [("popup", self._use_page), ("close", self._on_close)]
            if not self._attached:  # dialogs are not in screenshots; attached pages keep their owner's policy
                handlers.append(("dialog", self._on_dialog))
            for event, fn in handlers:
                page.on(event, fn)
                self._wired.append((page, event, fn))

    def _on_close(self, page: Any) -> None:
        self._pages = [p for p in self._pages if p is not page]
        if page is self._page:
            if self._tracker is not None:
                self._tracker.detach()
                self._tracker = None
            self._page = None
            if self._pages:  # back to the tab that opened it
                self._use_page(self._pages[-1])

    def _on_dialog(self, dialog: Any) -> None:
        self.dialogs.append({"type": dialog.type, "message": dialog.message})
        try:
            dialog.accept()  # the user clicked the thing that asked; OK is what they meant
        except Exception:
            pass

    @contextmanager
    def _guard(self, what: str) -> Iterator[None]:
        """Turn Playwright's errors into BrowserError saying what was being done."""
        from playwright.sync_api import Error, TimeoutError

        try:
            yield
        except TimeoutError as e:
            raise BrowserError(f"timed out trying to {what} after {self.timeout:.0f} s") from e
        except Error as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise BrowserError(f"could not {what}: {first}") from e

    # --- where we are -----------------------------------------------------------------------------

    @property
    def page(self) -> Any:
        """The Playwright Page being looked at (starts the session if needed)."""
        if self._page is None:
            if self._attached or self._context is not None:
                raise BrowserError("this session's page was closed; start a new BrowserSession")
            self.start()
        return self._page

    @property
    def url(self) -> str:
        return self.page.url

    def resolve(self, url: str) -> str:
        """Absolute URL for `url`: joined to base_url, else to the current page, else a local file."""
        if urlsplit(url).scheme and not re.fullmatch(r"[A-Za-z]:[\\/].*", url):
            return url
        if self.base_url:
            base = self.base_url if self.base_url.endswith("/") else self.base_url + "/"
            return urljoin(base, url)
        current = self._page.url if self._page is not None else ""
        if current.startswith(("http://", "https://")):
            return urljoin(current, url)
        if os.path.exists(url):
            return Path(url).resolve().as_uri()
        raise BrowserError(f"cannot open {url!r}: it is relative and there is no base_url; "
                           f"give a full URL (http://...) or set base_url")

    # --- navigation -------------------------------------------------------------------------------

    def goto(self, url: str) -> int | None:
        """Open `url` and wait for it to load; returns the HTTP status (None for file:, data:, about:).

        A page whose `load` event never comes (a hanging tracker) still counts as open once its HTML
        arrived: the stability wait decides when to look.
        """
        full = self.resolve(url)
        try:
            with self._guard(f"open {full}"):
                response = self.page.goto(full, wait_until="domcontentloaded", timeout=self.timeout * 1000)
        except BrowserError:
            self._after_failed_navigation()
            raise
        self._settle_load()
        return response.status if response is not None else None

    def _after_failed_navigation(self) -> None:
        """Leave the page usable after a navigation failed: Chromium commits its error page
        (chrome-error://) just after goto raises, and that late commit interrupted the next goto
        ("interrupted by another navigation") 3 times in 4. Wait for it, then stop anything pending."""
        from playwright.sync_api import Error

        page = self._page
        if page is None:
            return
        try:
            page.wait_for_url(lambda u: u.startswith("chrome-error:"), timeout=2000)
            page.wait_for_load_state("load", timeout=2000)
        except Error:  # a timeout (no error page came) or a closed page: nothing more to wait for
            pass
        try:
            page.evaluate("() => window.stop()")
        except Error:
            pass

    def back(self) -> bool:
        """Go back in history; False when there was nothing to go back to."""
        with self._guard("go back"):
            response = self.page.go_back(wait_until="domcontentloaded", timeout=self.timeout * 1000)
        self._settle_load()
        return response is not None

    def reload(self) -> None:
        with self._guard("reload the page"):
            self.page.reload(wait_until="domcontentloaded", timeout=self.timeout * 1000)
        self._settle_load()

    def _settle_load(self) -> None:
        from playwright.sync_api import Error

        try:
            self.page.wait_for_load_state("load", timeout=self.timeout * 1000)
        except Error:  # timeout, or the page navigated on again: looking will tell
            pass

    def wait(self, seconds: float) -> None:
        """Let the page run for `seconds` (keeps Playwright's events flowing, unlike time.sleep)."""
        self.page.wait_for_timeout(max(0.0, seconds) * 1000)

    # --- looking ----------------------------------------------------------------------------------

    @property
    def requests_in_flight(self) -> int:
        return self._tracker.inflight if self._tracker is not None else 0

    def _shot(self, png: bytes) -> Screenshot:
        return Screenshot.from_png(png, self.viewport, self.scale, self.page.url)

    def _png(self, page: Any) -> bytes:
        if self._fast is not None and self.animations == "allow":
            return self._fast.png(page, self.viewport, self.scale)
        return take_png(page, self.animations)

    def screenshot(self) -> Screenshot:
        """The viewport now, as a person sees it (no waiting)."""
        with self._guard("take a screenshot"):
            return self._shot(self._png(self.page))

    def stable_screenshot(self, timeout: float = 5.0, **still: Any) -> Screenshot:
        """The viewport once the page is still (network quiet, two equal screenshots), at most `timeout` s.

        Never raises for a page that keeps moving: `self.last_wait.still` says whether it settled.
        `still` goes to `wait_until_still` (ignore=masked boxes, local=True, previous=a still PNG).
        """
        page = self.page
        with self._guard("take a screenshot"):
            self.last_wait = wait_until_still(page, timeout=timeout, tracker=self._tracker,
                                              shoot=lambda: self._png(page), **still)
        return self._shot(self.last_wait.png)

    # --- acting (CSS pixels) ----------------------------------------------------------------------

    def _point(self, x: float, y: float) -> tuple[float, float]:
        w, h = self.viewport
        if not (0 <= x <= w and 0 <= y <= h):
            raise BrowserError(f"point ({x:.1f}, {y:.1f}) is outside the {w}x{h} CSS viewport; if it came "
                               f"from a screenshot at scale {self.scale:g}, convert it with to_css first")
        return min(float(x), w - 0.5), min(float(y), h - 0.5)

    def click(self, x: float, y: float, button: str = "left", count: int = 1) -> None:
        """Click (count=2: double-click) with `button` ("left", "right", "middle") at CSS (x, y)."""
        px, py = self._point(x, y)
        with self._guard(f"click at ({px:.0f}, {py:.0f})"):
            self.page.mouse.click(px, py, button=button, click_count=count)

    def hover(self, x: float, y: float) -> None:
        px, py = self._point(x, y)
        with self._guard(f"move the mouse to ({px:.0f}, {py:.0f})"):
            self.page.mouse.move(px, py)

    def type(self, text: str) -> None:
        """Type into whatever has focus. Characters off the US layout (中文, é) arrive as text input."""
        with self._guard("type"):
            self.page.keyboard.type(text)

    def press(self, key: str) -> None:
        """Press a key or chord: "Enter", "Control+A", also "enter", "ctrl+a"."""
        with self._guard(f"press {key}"):
            self.page.keyboard.press(normalize_key(key))

    def clear_focused(self) -> None:
        """Empty the focused field the way a person does: select all, then Delete."""
        with self._guard("clear the field"):
            self.page.keyboard.press("ControlOrMeta+A")
            self.page.keyboard.press("Delete")

    def scroll(self, dx: float, dy: float, at: tuple[float, float] | None = None) -> None:
        """Turn the mouse wheel by (dx, dy) CSS pixels over `at` (default: the viewport centre).

        The element under the point scrolls, as for a person; the scroll may still be animating when
        this returns, which the next stable screenshot waits out.
        """
        px, py = self._point(*(at or (self.viewport[0] / 2, self.viewport[1] / 2)))
        with self._guard("scroll"):
            self.page.mouse.move(px, py)
            self.page.mouse.wheel(dx, dy)

    def scroll_area_at(self, x: float, y: float) -> tuple[float, float, float, float] | None:
        """The box (CSS pixels) of the scrollable area under (x, y) other than the page; None if none."""
        px, py = self._point(x, y)
        with self._guard("find the scrollable area"):
            return dom.scroll_area_at(self.page, px, py)

    def scroll_info(self) -> dict[str, float]:
        """The document's scroll position and size: x, y, width, height, and whether at top/bottom."""
        with self._guard("read the scroll position"):
            return self.page.evaluate("""() => {
              const d = document.scrollingElement || document.documentElement;
              return {x: scrollX, y: scrollY, width: d.scrollWidth, height: d.scrollHeight,
                      at_top: scrollY <= 0, at_bottom: scrollY + innerHeight >= d.scrollHeight - 1};
            }""")

    # --- the DOM facts screenshots cannot show ----------------------------------------------------

    def native_select_at(self, x: float, y: float, option: str) -> bool:
        """Pick `option` in the native <select> at CSS (x, y); False when no <select> is there.

        Its popup is drawn outside the page and never shows in screenshots, so this goes through the
        DOM. Raises OptionNotFound (an ElementNotFound, listing the options) when nothing matches.
        """
        px, py = self._point(x, y)
        with self._guard(f"choose {option!r} at ({px:.0f}, {py:.0f})"):
            return dom.native_select_at(self.page, px, py, option)

    def focused_info(self) -> dict[str, Any]:
        """What has keyboard focus now: {tag, type, editable, name, id, placeholder, label, value, in_frame}."""
        with self._guard("read the focused element"):
            return dom.focused_info(self.page)

    def focused_contains(self, x: float, y: float, margin: float = 2.0) -> bool:
        """Whether the focused element's box (give or take `margin` CSS px) holds CSS point (x, y)."""
        with self._guard("read the focused element"):
            box = dom.focused_box(self.page)
        if box is None:
            return False
        return box[0] - margin <= x <= box[2] + margin and box[1] - margin <= y <= box[3] + margin
