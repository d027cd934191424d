"""Fields and controls the `ocr` backend missed on real third-party pages (issue 9, plain targets), one
test per class, on a small page written for the test in the style of real UI kits
(tests/pages/classes/field_kinds.html): real Chromium, real RapidOCR, and a real click where it matters.

- an input group: a field with a square search button glued to its end is not a table row's cell;
- faint filled fields (#f8f8f8, no border) stacked in a column or side by side are fields, not bands
  of a striped list or table cells;
- a caption OCR splits in two ("#11" + "select") names its field whole, and so does a caption a small
  select sits inside ("Show [10] entries");
- a checkbox caption that wraps onto a second line is the whole caption.
"""

from __future__ import annotations

import pytest

from vision.grounding import ground
from vision.ocr.fields import drop_icon


def _box(page, selector: str) -> tuple[float, float, float, float]:
    b = page.locator(selector).first.bounding_box()
    return (b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"])


def _inside(point, box, slack: float = 2) -> bool:
    return box[0] - slack <= point[0] <= box[2] + slack and box[1] - slack <= point[1] <= box[3] + slack


def _seen_whole(element, box) -> bool:
    """The element is the field's own outline (not a place guessed beside a label): it covers the
    field's DOM box, within a few pixels."""
    return all(abs(a - b) <= 4 for a, b in zip(element.box, box, strict=True))


@pytest.fixture
def field_page(open_page, backend):
    page, img = open_page("field_kinds.html")
    return page, img, backend.parse(img).elements


def _find(elements, img, query: str):
    loc = ground(query, elements, image_size=img.size)
    assert loc.found, (query, [e for e in elements if e.kind != "text"])
    return loc


def test_input_group_field_with_a_search_button_is_a_field(field_page):
    page, img, elements = field_page
    loc = _find(elements, img, '"Search" field')
    assert loc.element.kind == "input", loc
    assert _seen_whole(loc.element, _box(page, "#side")), (loc, _box(page, "#side"))
    page.mouse.click(*loc.point)  # a person's click there puts the caret in the field
    assert page.evaluate("document.activeElement.id") == "side"


@pytest.mark.parametrize("query, selector", [
    ('"Text" field', "#f1"),              # labelled above, the next field of its width just below
    ('"Notes" field', "#f2"),
    ('"Street..." field', "#f3"),         # two faint fields side by side, edge to edge
    ('"City..." field', "#f4"),
    ('"Icon..." field', ".iconwell"),        # the placeholder after a magnifier icon
])
def test_faint_filled_fields_in_a_column_or_row_are_fields(field_page, query, selector):
    page, img, elements = field_page
    loc = _find(elements, img, query)
    assert loc.element.kind == "input", (query, loc)
    assert _seen_whole(loc.element, _box(page, selector)), (query, loc, _box(page, selector))


@pytest.mark.parametrize("query, selector", [
    ('"#11 select" field', "#c11"),
    ('"#12 input:text[data-multi]" field', "#c12"),
])
def test_caption_split_by_ocr_names_its_field_whole(field_page, query, selector):
    page, img, elements = field_page
    loc = _find(elements, img, query)
    assert loc.element.kind == "input" and loc.element.label == query.split('"')[1], loc
    assert _inside(loc.point, _box(page, selector)), (query, loc)


def test_caption_round_a_small_inline_select_names_it_whole(field_page):
    page, img, elements = field_page
    loc = _find(elements, img, '"Show entries" dropdown')  # "Show [10 ⇕] entries"
    assert loc.element.kind == "select" and loc.element.label == "Show entries", loc
    assert _seen_whole(loc.element, _box(page, "#len")), (loc, _box(page, "#len"))


@pytest.mark.parametrize("query, selector", [
    ('"Custom Checkbox" checkbox', "#k1"),
    ('"Custom Checkbox checked" checkbox', "#k2"),      # wraps: "Custom Checkbox" / "checked"
    ('"Checkbox with custom color" checkbox', "#k3"),
])
def test_wrapped_checkbox_caption_is_whole(field_page, query, selector):
    page, img, elements = field_page
    loc = _find(elements, img, query)
    assert loc.element.kind == "checkbox" and loc.element.label == query.split('"')[1], loc
    assert _inside(loc.point, _box(page, selector), slack=4), (query, loc)
    # each wrapped line went into one caption: the next control's caption is not taken in
    assert [e.label for e in elements if e.kind == "checkbox"] == \
        ["Custom Checkbox", "Custom Checkbox checked", "Checkbox with custom color"]


def test_magnifier_read_as_a_letter_is_not_part_of_the_placeholder():
    assert drop_icon("Q Search...") == "Search..."
    assert drop_icon("Q Link...") == "Link..."
    assert drop_icon("Q&A") == "Q&A" and drop_icon("O 2") == "O 2" and drop_icon("Search") == "Search"


def test_side_label_row_above_a_caption_line_keeps_its_field_on_the_right(open_page, backend):
    """The last row of a cell form ("国家/地区  中国 >"), with a checkbox's caption just under it, closer
    than the value on the right: the other labels of the column have their fields on the right, so the
    select is the value's place, not the line below."""
    page, img = open_page("cell_rows.html", width=375, height=812)
    elements = backend.parse(img).elements
    loc = ground('"国家/地区" 下拉框', elements, image_size=img.size)
    assert loc.found, elements
    assert _inside(loc.point, _box(page, "#country")), (loc, _box(page, "#country"))
    page.mouse.click(*loc.point)
    assert page.evaluate("document.activeElement.id") == "country"
