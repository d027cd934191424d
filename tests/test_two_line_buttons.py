"""A button whose caption takes two lines (issue 9): a big letter over a word ("S" over "Small", a
btn-group of radio labels) and a long caption that wraps and is cut off with an ellipsis. The caption
is all the text in the box, and a name the page cut short still finds its button. A bordered card with
two left-aligned lines stays text. Real Chromium, real RapidOCR, a real click on the answer
(tests/pages/classes/two_line_buttons.html).
"""

from __future__ import annotations

import pytest
from class_pages import open_and_parse

from vision.grounding import ground

LONG = "按钮宽度自适应内容，达到最大值后折行，最大行数两行的示例按钮文字"


@pytest.fixture(scope="module")
def shot(raw_browser, pages_url, backend):
    ctx, page, img, elements = open_and_parse(
        raw_browser, pages_url, backend, "two_line_buttons.html",
        "document.querySelectorAll('label, button').forEach(b => b.onclick = () => window.hit = b.id)")
    yield page, img, elements
    ctx.close()


def test_two_lines_in_one_box_are_one_caption(shot):
    _, _, elements = shot
    buttons = {e.text for e in elements if e.kind == "button"}
    assert {"S Small", "M Medium", "XL Extra large"} <= buttons, buttons
    assert not [e for e in elements if e.kind == "button" and "Card" in e.text], buttons


@pytest.mark.parametrize("query, target", [
    ('"S Small" button', "s"),
    ('"M Medium" button', "m"),
    ('"XL Extra large" button', "xl"),
    (f'"{LONG}" 按钮', "long"),
])
def test_a_two_line_button_is_found_by_its_whole_caption(shot, query, target):
    page, img, elements = shot
    loc = ground(query, elements, image_size=img.size)
    assert loc.found and loc.element.kind == "button", (query, loc)
    page.mouse.click(*loc.point)
    assert page.evaluate("window.hit") == target
