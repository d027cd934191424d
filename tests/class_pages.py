"""Open a page of tests/pages/classes in a fresh context and parse its screenshot once (module fixtures)."""

from __future__ import annotations

import io

from PIL import Image


def open_and_parse(raw_browser, pages_url: str, backend, name: str, script: str = ""):
    """(context, page, RGB screenshot, parsed elements); `script` runs before the screenshot. Close the context."""
    ctx = raw_browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    page.goto(f"{pages_url}/{name}", wait_until="networkidle")
    if script:
        page.evaluate(script)
    img = Image.open(io.BytesIO(page.screenshot(animations="disabled"))).convert("RGB")
    return ctx, page, img, backend.parse(img).elements
