"""Fields, selects and toggles named by a label that is not tied to them (issue 9 class 7, SCENARIO_FORMAT
v1.1): the field is beside the label, right of it in its row or below it in its block, even where no
field outline shows. Real Chromium, real RapidOCR, pages on localhost (tests/pages/classes), and for the
steps the real agent with real clicks and typing.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from agent.engine.loop import Agent
from agent.language.steps import Check, Fill, Select
from browser.session import BrowserSession
from vision.geometry import box_for_caption
from vision.grounding import ground
from vision.types import Element

PAGES = Path(__file__).resolve().parent / "pages" / "classes"


def _shot(raw_browser, url: str, width: int, height: int):
    ctx = raw_browser.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(100)
    img = Image.open(io.BytesIO(page.screenshot(animations="disabled"))).convert("RGB")
    return ctx, page, img


def _box(page, selector: str) -> tuple[float, float, float, float]:
    b = page.locator(selector).first.bounding_box()
    return b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"]


def _inside(point, box, slack: float = 2) -> bool:
    return box[0] - slack <= point[0] <= box[2] + slack and box[1] - slack <= point[1] <= box[3] + slack


# -- grounding: a field kind asked by its label answers the place of the field, never the label ------------

def test_borderless_cells_right_of_their_labels(raw_browser, pages_url, backend):
    ctx, page, img = _shot(raw_browser, f"{pages_url}/side_labels.html", 375, 812)
    try:
        parse = backend.parse(img)
        cases = (('"卡号" 输入框', "#card"),    # a placeholder right of the label
                 ('"请输入卡号" 输入框', "#card"),  # the placeholder itself names it too
                 ('"手机号" 输入框', "#phone"),  # blank, then a text button ending the row
                 ('"昵称" field', "#nick"),      # blank to the row's end
                 ('"职业" 下拉框', "#job"))
        for query, sel in cases:
            loc = ground(query, parse.elements, image_size=img.size)
            assert loc.found, (query, loc.detail, parse.elements)
            assert _inside(loc.point, _box(page, sel)), (query, loc.point, _box(page, sel), loc.detail)
            assert loc.element.kind in ("input", "select"), (query, loc.element)
    finally:
        ctx.close()


def test_stacked_labels_above_unoutlined_fields(raw_browser, pages_url, backend):
    ctx, page, img = _shot(raw_browser, f"{pages_url}/stacked_labels.html", 1280, 800)
    try:
        parse = backend.parse(img)
        # a second column's label sits right of each label: the field is still the one below
        for query, sel in (('"Email" field', "#email"), ('"Phone" field', "#phone"),
                           ('"Company" field', "#company"), ('"Country" dropdown', "#country")):
            loc = ground(query, parse.elements, image_size=img.size)
            assert loc.found and _inside(loc.point, _box(page, sel)), (query, loc, parse.elements)
    finally:
        ctx.close()


# -- toggles: a caption on the left, its switch at the row's end -------------------------------------------

def test_caption_takes_the_switch_at_its_rows_end_not_a_second_columns_box():
    cap = Element("text", "标题文字", (32, 161, 99, 178))
    switch = Element("checkbox", "", (291, 154, 343, 186), checked=True)
    other = Element("text", "消息提醒", (32, 217, 99, 234))
    assert box_for_caption(cap, [cap, switch, other], {"checkbox"}) == 1
    # "[ ] A    [x] B": B's box is not A's (something follows it on the row)
    a, box_b, b = (Element("text", "Apples", (40, 100, 95, 114)), Element("checkbox", "", (300, 99, 316, 115)),
                   Element("text", "Pears", (324, 100, 370, 114)))
    assert box_for_caption(a, [a, box_b, b], {"checkbox"}) is None
    # a value between caption and box: the box is that row's, but not this caption's
    val = Element("text", "On", (200, 163, 220, 176))
    assert box_for_caption(cap, [cap, val, switch], {"checkbox"}) is None


# -- the steps: fill, select and check on a label tied to nothing -------------------------------------------

@pytest.fixture
def agent(raw_browser, pages_url, backend):
    with BrowserSession(viewport=(375, 812), base_url=pages_url, browser=raw_browser) as session:
        session.goto("/side_labels.html")
        yield Agent(session, backend, timeout=4)


def test_fill_a_label_tied_to_no_field_types_into_the_field_beside_it(agent):
    agent.run(Fill(target='"手机号"', text="13800000000"))
    agent.run(Fill(target='"昵称"', text="阿明"))
    page = agent.session.page
    assert page.input_value("#phone") == "13800000000"
    assert page.input_value("#nick") == "阿明"
    assert page.title() != "code sent"  # the row's "获取验证码" button was not clicked


def test_select_on_a_borderless_row_opens_its_picker(agent):
    agent.run(Select(target='"职业"', option="医生"))
    assert agent.session.page.input_value("#job") == "医生"


def test_check_a_caption_whose_switch_ends_the_row(agent):
    page = agent.session.page
    assert not page.is_checked("#sw1")
    record = agent.run(Check(target='第一个 "标题文字"'))
    assert page.is_checked("#sw1"), record
    assert page.is_checked("#sw2")  # the other row's switch is untouched
    assert any("the click changed it" in n for n in record.notes), record.notes


def test_a_label_in_pieces_names_the_field_beside_it(raw_browser, pages_url, backend):
    """A label OCR reads in pieces (a prefix after it on its row, a smaller subtitle under it) is named by
    its pieces together; a page title that says a cell's label is not that cell's field."""
    ctx, page, img = _shot(raw_browser, f"{pages_url}/side_label_parts.html", 375, 812)
    try:
        parse = backend.parse(img)
        for query, sel in (('"手机号 +86" 输入框', "#phone"), ('"联系电话副标题" 输入框', "#tel"),
                           ('"验证码" 输入框', "#vcode")):
            loc = ground(query, parse.elements, image_size=img.size)
            assert loc.found, (query, loc.detail, parse.elements)
            assert _inside(loc.point, _box(page, sel)), (query, loc.point, _box(page, sel), loc.detail)
    finally:
        ctx.close()
