"""The session's cheap capture (browser/capture.py): CDP with optimizeForSpeed and the caret hidden by a
style, on real Chromium. It must show the same pixels as Playwright's caret-hidden screenshot, and a
focused field's blinking caret must never make two captures differ (the stillness wait compares bytes)."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from browser.session import BrowserSession


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def test_a_focused_field_captures_the_same_with_its_caret_hidden(raw_browser, site_url):
    with BrowserSession(viewport=(800, 500), base_url=site_url, browser=raw_browser) as session:
        session.goto("/login.html")
        page = session.page
        page.focus("input")
        assert session._fast is not None  # an owned, headless session takes the cheap capture
        shots = []
        for _ in range(4):  # Chromium blinks the caret every 500 ms: these captures span both phases
            shots.append(session.screenshot().png)
            session.wait(0.3)
        reference = page.screenshot(caret="hide", type="png")
    assert len(set(shots)) == 1
    assert np.array_equal(_pixels(shots[0]), _pixels(reference))


def test_the_capture_is_the_viewport_at_device_scale_where_the_page_is_scrolled(raw_browser, pages_url):
    with BrowserSession(viewport=(640, 400), scale=2, base_url=pages_url, browser=raw_browser) as session:
        session.goto("/marks.html")
        session.page.evaluate("document.body.style.height = '3000px'; window.scrollTo(0, 130)")
        ours = _pixels(session.screenshot().png)
        reference = _pixels(session.page.screenshot(caret="hide", type="png"))
    assert ours.shape == (800, 1280, 3) and np.array_equal(ours, reference)


def test_disabled_animations_and_attached_pages_keep_playwrights_capture(raw_browser, site_url):
    with BrowserSession(viewport=(800, 500), base_url=site_url, browser=raw_browser) as session:
        session.goto("/login.html")
        attached = BrowserSession.attach(session.page)
        assert attached._fast is None
        session.animations = "disabled"
        assert session.screenshot().png == session.page.screenshot(caret="hide", animations="disabled", type="png")
