"""Links the `ocr` backend answered with the wrong thing on real third-party pages (issue 9), one test per
class, on small pages written for the test in the style of real kits (tests/pages/classes): real Chromium,
real RapidOCR, and the answer checked against the DOM box of the element a person means.

- a sidebar's entries: OCR's controls finder reads a nav icon (an outline circle, a square) as a radio or
  checkbox captioned with the entry's words, and the current entry's filled highlight as a field holding
  them; a breadcrumb's plain end and the page title repeat those words. A person takes each entry of the
  column for a link (vision/nav_columns.py);
- a muted link blue (#576b95) inside a checkbox's caption ("阅读并同意《相关条款》") is a link of its own.
"""

from __future__ import annotations

import pytest

from vision.grounding import ground


def _box(page, selector: str) -> tuple[float, float, float, float]:
    b = page.locator(selector).first.bounding_box()
    return (b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"])


def _hits(point, box, slack: float = 2) -> bool:
    return box[0] - slack <= point[0] <= box[2] + slack and box[1] - slack <= point[1] <= box[3] + slack


@pytest.fixture(scope="module")
def shots(raw_browser, pages_url, backend):
    import io

    from PIL import Image

    opened = {}
    contexts = []

    def _open(name: str, width: int = 1280, height: int = 800):
        if name not in opened:
            ctx = raw_browser.new_context(viewport={"width": width, "height": height})
            contexts.append(ctx)
            page = ctx.new_page()
            page.goto(f"{pages_url}/{name}", wait_until="networkidle")
            img = Image.open(io.BytesIO(page.screenshot(animations="disabled"))).convert("RGB")
            opened[name] = (page, img, backend.parse(img).elements)
        return opened[name]

    yield _open
    for ctx in contexts:
        ctx.close()


@pytest.mark.parametrize("query, selector", [
    ('"Orders" link', "#n-orders"),      # the highlighted current entry, not the title or the crumb
    ('"Reports" link', "#n-reports"),    # an outline-circle icon before it
    ('"Timeline" link', "#n-timeline"),  # ... and the same words inside a sentence of the page
    ('"Tables" link', "#n-tables"),      # a square icon; a card's bold title of the same word
    ('"Dashboard" link', "#n-dash"),
])
def test_sidebar_entries_are_links(shots, query, selector):
    page, img, elements = shots("sidebar_nav.html")
    loc = ground(query, elements, image_size=img.size)
    assert loc.found and _hits(loc.point, _box(page, selector)), (query, loc)


def test_breadcrumb_end_is_not_a_link(shots):
    """The plain end of a trail of links is the page one is on: of two plain "Orders", the sidebar's is
    the link (the crumb is no row of links of its own)."""
    page, img, elements = shots("sidebar_nav.html")
    loc = ground('"Orders" menu item', elements, image_size=img.size)
    assert loc.found and _hits(loc.point, _box(page, "#n-orders")), loc


def test_muted_link_blue_in_a_checkbox_caption_is_a_link(raw_browser, pages_url, backend):
    import io

    from PIL import Image

    ctx = raw_browser.new_context(viewport={"width": 375, "height": 812})
    try:
        page = ctx.new_page()
        page.goto(f"{pages_url}/muted_link.html", wait_until="networkidle")
        img = Image.open(io.BytesIO(page.screenshot(animations="disabled"))).convert("RGB")
        elements = backend.parse(img).elements
        loc = ground('"《相关条款》" link', elements, image_size=img.size)
        assert loc.found and loc.element.kind == "link" and loc.element.text == "《相关条款》", (loc, elements)
        assert _hits(loc.point, _box(page, "#terms")), loc
        assert not any(e.kind == "link" and "客服" in e.text for e in elements), elements  # a grey-blue line
        # a bigger round box: its caption is whole too, the link with it
        loc = ground('"我已阅读《服务协议》" checkbox', elements, image_size=img.size)
        assert loc.found and loc.element.kind in ("checkbox", "radio") and _hits(loc.point, _box(page, "#box2")), loc
        loc = ground('"《服务协议》" link', elements, image_size=img.size)
        assert loc.found and _hits(loc.point, _box(page, "#terms2")), loc
    finally:
        ctx.close()


def test_brand_with_a_small_version_tag_is_one_link(shots):
    """A header's brand and the smaller version tag beside it are two lines to OCR (other sizes, other
    baselines); a person reads "Nimbus 3.2.0" as one link (vision.geometry.wrapped_names)."""
    page, img, elements = shots("brand_tag.html")
    pieces = [e.text for e in elements if e.text in ("Nimbus", "3.2.0")]
    assert pieces == ["Nimbus", "3.2.0"], elements  # what makes this a test of the joining, not of OCR
    loc = ground('"Nimbus 3.2.0" link', elements, image_size=img.size)
    assert loc.found and _hits(loc.point, _box(page, "#brand")), loc


def test_chinese_links_a_thin_bar_apart_are_counted_one_by_one(raw_browser, pages_url, backend):
    """A footer's "底部链接 | 底部链接": OCR drops the bar and reads one line "底部链接底部链接" (Chinese has
    no spaces); the line is two links whose name stands alone above (vision/flat_rows.py)."""
    import io

    from PIL import Image

    ctx = raw_browser.new_context(viewport={"width": 375, "height": 812})
    try:
        page = ctx.new_page()
        page.goto(f"{pages_url}/footer_links.html", wait_until="networkidle")
        img = Image.open(io.BytesIO(page.screenshot(animations="disabled"))).convert("RGB")
        elements = backend.parse(img).elements
        assert any(e.text == "底部链接底部链接" for e in elements), elements  # the case under test
        for query, selector in (('第一个 "底部链接" 链接', "#solo"), ('第二个 "底部链接" 链接', "#left"),
                                ('第三个 "底部链接" 链接', "#right")):
            loc = ground(query, elements, image_size=img.size)
            assert loc.found and _hits(loc.point, _box(page, selector)), (query, loc)
    finally:
        ctx.close()
