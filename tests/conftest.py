"""Shared test fixtures: the demo site on a localhost port, and a raw Playwright screenshot helper.

The screenshot helper drives Chromium directly (not BrowserSession) so vision tests do not depend on
the browser layer they are not about.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image

from browser.serve import serve_folder

ROOT = Path(__file__).resolve().parent.parent
# Runs of the demo scenarios must not write locator caches into the repository (tests/test_locator_cache.py
# tests the cache in temporary folders).
os.environ.setdefault("PAGESIGHT_CACHE", "off")
SITE = ROOT / "scenarios" / "site"


def _chromium_path() -> str | None:
    env = os.environ.get("PAGESIGHT_BROWSER")
    if env:
        return env
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


RAW_LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                   "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def site_url() -> Iterator[str]:
    """Base URL of scenarios/site served on a free localhost port."""
    with serve_folder(SITE) as url:
        yield url


@pytest.fixture(scope="session")
def raw_browser():
    # One Playwright per thread, shared with BrowserSession: a second sync_playwright() would fail.
    from browser.launch import shared_playwright

    with shared_playwright() as pw:
        browser = pw.chromium.launch(executable_path=_chromium_path(), headless=True, args=RAW_LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def shoot(raw_browser, site_url) -> Callable[..., Image.Image]:
    """shoot("login.html", width=1280, height=800, scale=1, setup=None) -> RGB PIL image.

    `setup(page)` may act on the page (e.g. open a dialog) before the screenshot.
    """

    def _shoot(path: str, width: int = 1280, height: int = 800, scale: float = 1,
               setup: Callable | None = None) -> Image.Image:
        ctx = raw_browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale)
        try:
            page = ctx.new_page()
            url = path if path.startswith("http") else f"{site_url}/{path.lstrip('/')}"
            page.goto(url, wait_until="networkidle")
            if setup:
                setup(page)
            page.wait_for_timeout(150)
            png = page.screenshot(animations="disabled")
        finally:
            ctx.close()
        return Image.open(io.BytesIO(png)).convert("RGB")

    return _shoot


# The small pages made for issue 9's failure classes (tests/pages/classes), and one OCR backend per module.
CLASS_PAGES = Path(__file__).resolve().parent / "pages" / "classes"


@pytest.fixture(scope="module")
def backend():
    from vision.ocr import OcrBackend

    return OcrBackend()


@pytest.fixture(scope="module")
def pages_url() -> Iterator[str]:
    with serve_folder(CLASS_PAGES) as url:
        yield url


@pytest.fixture
def open_page(raw_browser, pages_url):
    """open_page("form.html", width=1280, scale=1) -> (Playwright page, RGB screenshot)."""
    contexts = []

    def _open(name: str, width: int = 1280, height: int = 800, scale: float = 1):
        ctx = raw_browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale)
        contexts.append(ctx)
        page = ctx.new_page()
        page.goto(f"{pages_url}/{name}", wait_until="networkidle")
        page.wait_for_timeout(100)
        img = Image.open(io.BytesIO(page.screenshot(animations="disabled"))).convert("RGB")
        return page, img

    yield _open
    for ctx in contexts:
        ctx.close()
