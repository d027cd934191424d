"""A button group drawn as one bar with no line between its buttons (issue 9, UIkit's and Bootstrap's
`btn-group`): every caption is a button of its own, so "the second ... button" counts them all. A dark
nav bar with links spread along it is not a group. Real Chromium, real RapidOCR, a real click on the
answer (tests/pages/classes/button_groups.html).
"""

from __future__ import annotations

import pytest

from vision.grounding import ground


@pytest.fixture(scope="module")
def groups(raw_browser, pages_url, backend):
    import io

    from PIL import Image

    ctx = raw_browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    page.goto(f"{pages_url}/button_groups.html", wait_until="networkidle")
    page.evaluate("document.querySelectorAll('button').forEach(b => b.onclick = () => window.hit = b.id)")
    img = Image.open(io.BytesIO(page.screenshot(animations="disabled"))).convert("RGB")
    yield page, img, backend.parse(img).elements
    ctx.close()


def test_every_caption_of_a_group_is_a_button(groups):
    _, _, elements = groups
    buttons = {e.text for e in elements if e.kind == "button"}
    assert {"First", "Second", "Third", "Left", "Middle", "Right", "Copy", "Paste"} <= buttons, buttons


def test_a_nav_bar_is_not_a_group(groups):
    _, _, elements = groups
    assert not [e for e in elements if e.kind == "button" and e.text in ("Home", "Docs", "Blog", "Sign out")]


@pytest.mark.parametrize("query, target", [
    ('the "Second" button', "b2"),
    ('the "Middle" button', "d2"),
    ('the "Paste" button', "g2"),
])
def test_a_button_of_a_group_is_found_and_clicked(groups, query, target):
    page, img, elements = groups
    loc = ground(query, elements, image_size=img.size)
    assert loc.found and loc.element.kind == "button", (query, loc)
    page.mouse.click(*loc.point)
    assert page.evaluate("window.hit") == target
