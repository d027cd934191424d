"""Failure classes 1-8 of issue 9 (grounding on real third-party pages), one test each, on small pages
written for the test in the style of real UI kits (tests/pages/classes): real Chromium screenshots of a
page served on localhost, real RapidOCR, and where it matters a real click to check what the answer hits.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from vision.grounding import ground
from vision.ocr import OcrBackend

PAGES = Path(__file__).resolve().parent / "pages" / "classes"


def _locate(backend: OcrBackend, img: Image.Image, query: str, kind_hint: str | None = None):
    parse = backend.parse(img)
    return ground(query, parse.elements, image_size=img.size, kind_hint=kind_hint), parse


def _dom_box(page, selector: str, scale: float = 1) -> tuple[float, float, float, float]:
    b = page.locator(selector).first.bounding_box()
    return (b["x"] * scale, b["y"] * scale, (b["x"] + b["width"]) * scale, (b["y"] + b["height"]) * scale)


def _hits(loc, box, slack: float = 3) -> bool:
    x, y = loc.point
    return box[0] - slack <= x <= box[2] + slack and box[1] - slack <= y <= box[3] + slack


# -- 1. an ordinal counts only what matches as well as the best match ----------------------------------

def test_class1_ordinal_counts_only_exact_matches(open_page, backend):
    page, img = open_page("buttons.html")
    for query, nth in (('the first "小型按钮" button', 0), ('the second "小型按钮" button', 1),
                       ('the second "暖色按钮" button', 1), ('第一个 "暖色按钮" 按钮', 0)):
        loc, parse = _locate(backend, img, query)
        text = query.split('"')[1]
        assert loc.found and loc.element.text == text, (query, loc, parse.elements)
        assert all(m.text == text for m in loc.matches), (query, loc.matches)
        assert _hits(loc, _dom_box(page, f".btn >> text={text} >> nth={nth}")), (query, loc)


# -- 2. an exact match beats a partial one --------------------------------------------------------------

def test_class2_exact_text_beats_containing_text(open_page, backend):
    page, img = open_page("landing.html")
    loc, parse = _locate(backend, img, '"Support" link')
    assert loc.found and loc.element.name == "Support", (loc, parse.elements)
    assert _hits(loc, _dom_box(page, "footer a >> text=Support")), loc


# -- 3. the kind word narrows: a big heading is not a link ----------------------------------------------

def test_class3_heading_is_not_a_link(open_page, backend):
    page, img = open_page("landing.html")
    heading = _dom_box(page, "h1")
    links = [_dom_box(page, "header nav a >> text=Pricing"), _dom_box(page, "footer nav a >> text=Pricing")]
    for query, nth in (('"Pricing" link', 0), ('the second "Pricing" link', 1), ('the last "Pricing" link', 1)):
        loc, parse = _locate(backend, img, query)
        assert loc.found and not _hits(loc, heading), (query, loc, parse.elements)
        assert _hits(loc, links[nth]), (query, loc)
        assert len(loc.matches) == 2, (query, loc.matches)
    # Asked as text, the heading is still there.
    assert _hits(_locate(backend, img, '"Pricing" heading')[0], heading)


# -- 4. a row of links read as one line -----------------------------------------------------------------

def test_class4_row_of_body_colour_links_is_split(open_page, backend):
    page, img = open_page("landing.html")
    parse = backend.parse(img)
    footer = _dom_box(page, "footer nav")
    in_footer = [e for e in parse.elements if footer[1] - 4 <= e.center[1] <= footer[3] + 4]
    assert [e.text for e in in_footer] == ["Home", "Features", "Pricing", "FAQs", "Support"], in_footer
    for query, sel in (('the second "Features" link', "footer nav a >> text=Features"),
                       ('"FAQs" link', "footer nav a >> text=FAQs"),
                       ('the first "Features" link', "header nav a >> text=Features")):
        loc = ground(query, parse.elements, image_size=img.size)
        assert loc.found and loc.element.name == query.split('"')[1], (query, loc)
        assert _hits(loc, _dom_box(page, sel)), (query, loc)


# -- 5. texts of one character --------------------------------------------------------------------------

def test_class5_one_character_texts(open_page, backend):
    page, img = open_page("form.html")
    for query, sel in (('the first "￥" field', "#lo"), ('the second "￥" field', "#hi")):
        loc, parse = _locate(backend, img, query)
        assert loc.found and loc.element.kind == "input", (query, loc, parse.elements)
        assert _hits(loc, _dom_box(page, sel)), (query, loc)
    for query, sel in (('"男"', "#male"), ('"女"', "#female"), ('"保密"', "#secret")):
        loc, parse = _locate(backend, img, query)
        assert loc.found and loc.element.kind == "radio", (query, loc, parse.elements)
        assert _hits(loc, _dom_box(page, sel)), (query, loc)
    radios = [e for e in backend.parse(img).elements if e.kind == "radio"]
    assert len(radios) == 3, radios


# -- 6. controls that are not squares -------------------------------------------------------------------

def test_class6_round_checkboxes_switches_and_div_selects(open_page, backend):
    page, img = open_page("todo.html")
    for query, li in (('checkbox left of "Buy milk"', "#t1"), ('"写周报" 左边的复选框', "#t3"),
                      ('the second checkbox', "#t2")):
        loc, parse = _locate(backend, img, query)
        assert loc.found and loc.element.kind == "checkbox", (query, loc, parse.elements)
        assert _hits(loc, _dom_box(page, f"{li} .toggle")), (query, loc)
    states = [e.checked for e in backend.parse(img).elements if e.kind == "checkbox"]
    assert states == [False, True, False, False], states

    page, img = open_page("form.html")
    parse = backend.parse(img)
    for query, sel, state in (('"接收通知" checkbox', "#notify", True), ('"夜间模式" checkbox', "#dark", False)):
        loc = ground(query, parse.elements, image_size=img.size)
        assert loc.found and loc.element.kind == "checkbox" and loc.element.checked is state, (query, loc, parse)
        assert _hits(loc, _dom_box(page, sel)), (query, loc)
    loc = ground('"城市" select', parse.elements, image_size=img.size)
    assert loc.found and loc.element.kind == "select", loc
    assert _hits(loc, _dom_box(page, "#city")), loc


# -- 7. a side label not tied to its field --------------------------------------------------------------

@pytest.mark.parametrize("label,field", [("姓名", "#name"), ("手机", "#phone"), ("邮箱", "#mail")])
def test_class7_side_label_names_the_field_right_of_it(open_page, backend, label, field):
    page, img = open_page("form.html")
    # As a fill step asks: the kind is a field (and, with no kind, a field still beats its label).
    for query, hint in ((f'"{label}"', "input"), (f'"{label}"', None), (f'"{label}" 输入框', None)):
        loc, parse = _locate(backend, img, query, kind_hint=hint)
        assert loc.found and loc.element.kind == "input", (query, hint, loc, parse.elements)
        x, y = loc.point
        page.mouse.click(x, y)
        assert page.evaluate("document.activeElement.id") == field[1:], (query, hint, loc)
        page.evaluate("document.activeElement.blur()")


# -- 8. a relation anchored on a control's own caption --------------------------------------------------

def test_class8_relation_anchored_on_a_checkbox_caption(shoot, backend):
    img = shoot("login.html")
    parse = backend.parse(img)
    box = next(e for e in parse.elements if e.kind == "checkbox")
    for query in ('checkbox left of "Remember me"', '"Remember me" 左边的复选框', 'the checkbox left of "Remember me"'):
        loc = ground(query, parse.elements, image_size=img.size)
        assert loc.found and loc.element == box, (query, loc, parse.elements)
    # The caption itself is still what "right of" looks from.
    loc = ground('link right of "Remember me"', parse.elements, image_size=img.size)
    assert loc.found and loc.element.text == "Forgot password?", loc
