"""Controls of one group get one kind (issues 9 and 11): the checked radio of a row or column of radios
is a radio, even where the kit paints it and its caption in the same accent colour (the test that keeps a
heading's or a link's own icon from reading as a control must not take it for such an icon). Real
Chromium, real RapidOCR, a small page in the style of admin kits (tests/pages/classes/radio_groups.html),
and a real click on the answer.
"""

from __future__ import annotations

import pytest

from vision.grounding import ground


def _box(page, selector: str) -> tuple[float, float, float, float]:
    b = page.locator(selector).first.bounding_box()
    return (b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"])


@pytest.fixture(scope="module")
def groups(raw_browser, pages_url, backend):
    import io

    from PIL import Image

    ctx = raw_browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    page.goto(f"{pages_url}/radio_groups.html", wait_until="networkidle")
    img = Image.open(io.BytesIO(page.screenshot(animations="disabled"))).convert("RGB")
    yield page, img, backend.parse(img).elements
    ctx.close()


def test_every_radio_of_a_group_is_a_radio(groups):
    _, _, elements = groups
    radios = {e.label: e.checked for e in elements if e.kind == "radio"}
    assert radios.get("全部") is True and radios.get("Weekly digest") is True, radios
    assert radios.get("启用") is False and radios.get("停用") is False and radios.get("Never") is False, radios


@pytest.mark.parametrize("query, selector", [
    ('"全部" 单选框', "#all"),           # not the select showing 全部 beside it
    ('the "Weekly digest" radio', "#weekly"),
    ('"启用" 单选框', "#on"),
])
def test_checked_radio_in_accent_colour_is_found_as_a_radio(groups, query, selector):
    page, img, elements = groups
    loc = ground(query, elements, image_size=img.size)
    assert loc.found and loc.element.kind == "radio", (query, loc)
    box = _box(page, selector)
    assert box[0] - 2 <= loc.point[0] <= box[2] + 2 and box[1] - 2 <= loc.point[1] <= box[3] + 2, (loc, box)
    page.mouse.click(*loc.point)
    assert page.evaluate(f"document.querySelector('{selector} input').checked")
