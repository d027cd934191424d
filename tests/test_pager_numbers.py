"""Bare pagers (issue 9): page numbers with no box round them, which page-wide OCR reads only some of
("6 9 10 20" of "1 … 4 5 6 7 8 9 10 … 20"). Each number of each pager is found, as the link a person
means, counted in reading order. Real Chromium, real RapidOCR, a small page in UIkit's style
(tests/pages/classes/bare_pager.html).
"""

from __future__ import annotations

import pytest

from vision.grounding import ground

ORDINALS = {1: "first", 2: "second", 3: "third"}


@pytest.fixture(scope="module")
def pager(raw_browser, pages_url, backend):
    import io

    from PIL import Image

    ctx = raw_browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    page.goto(f"{pages_url}/bare_pager.html", wait_until="networkidle")
    img = Image.open(io.BytesIO(page.screenshot(animations="disabled"))).convert("RGB")
    yield page, img, backend.parse(img).elements
    ctx.close()


@pytest.mark.parametrize("number", ["1", "4", "5", "8", "9", "20"])
@pytest.mark.parametrize("row", [1, 2, 3])
def test_every_page_number_of_every_pager_is_found(pager, number, row):
    page, img, elements = pager
    loc = ground(f'the {ORDINALS[row]} "{number}" link', elements, image_size=img.size)
    boxes = [a.bounding_box() for a in page.locator(f"#p{row} a").all() if a.inner_text().strip() == number]
    assert len(boxes) == 1
    box = boxes[0]
    assert loc.found, (number, row, [e for e in elements if e.text.isdigit()])
    x, y = loc.point
    assert box["x"] - 2 <= x <= box["x"] + box["width"] + 2 and box["y"] - 2 <= y <= box["y"] + box["height"] + 2, \
        (number, row, loc, box)


def test_no_number_is_made_up(pager):
    """The re-read adds numbers only: the chevrons and ellipses stay out, and nothing is read twice."""
    _, _, elements = pager
    numbers = [e.text for e in elements if e.text.isdigit() and e.box[1] < 300]
    assert sorted(numbers) == sorted(["1", "4", "5", "6", "7", "8", "9", "10", "20"] * 3), numbers
