"""Ordinals over what a person counts: kinds a detector confuses, names wrapped onto two lines, and rows
of mixed heights. Unit tests on element lists (the logic), then pages made for the test (tests/pages/
classes) shot by real Chromium and read by real OCR, checked against the DOM's boxes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from vision.grounding import count_matches, ground, reading_order
from vision.types import Element

PAGES = Path(__file__).resolve().parent / "pages" / "classes"


def E(kind: str, text: str, box: tuple[int, int, int, int], label: str = "") -> Element:
    return Element(kind, text, box, label=label)


# ----------------------------------------------------------------------------- unit: compatible kinds

TOOLBAR = [
    E("text", "Save", (40, 20, 140, 60)),            # a page heading of the same word
    E("button", "Save", (40, 90, 120, 130)),
    E("text", "Save", (140, 104, 176, 116)),         # a flat button: plain text to OCR
    E("button", "Save", (196, 90, 280, 130)),
    E("link", "Save", (300, 104, 336, 116)),         # a link-styled button
    E("text", "Save", (60, 200, 96, 212)),           # the label of the field right of it
    E("input", "", (110, 194, 300, 218), label="Save"),
    E("text", "Cancel", (360, 104, 410, 116)),
    E("text", "Body text here", (40, 300, 160, 312)),
    E("text", "More body text", (40, 330, 160, 342)),
]


@pytest.mark.parametrize("query, box", [
    ('the first "Save" button', (40, 90, 120, 130)),
    ('the second "Save" button', (140, 104, 176, 116)),
    ('the third "Save" button', (196, 90, 280, 130)),
    ('the fourth "Save" button', (300, 104, 336, 116)),
    ('the last "Save" button', (300, 104, 336, 116)),
])
def test_ordinal_counts_flat_buttons_and_links_with_buttons(query, box):
    loc = ground(query, TOOLBAR)
    assert loc.found and loc.element.box == box, (query, loc)


def test_heading_and_field_label_are_not_counted_as_buttons():
    counted = [e.box for e in count_matches('"Save" button', TOOLBAR)]
    assert counted == [(40, 90, 120, 130), (140, 104, 176, 116), (196, 90, 280, 130), (300, 104, 336, 116)]
    assert not ground('the fifth "Save" button', TOOLBAR).found


def test_a_widgets_own_text_is_not_a_second_match():
    elements = [E("button", "Item", (40, 90, 120, 130)), E("text", "Item", (60, 104, 100, 116)),
                E("text", "Item", (140, 104, 176, 116)), E("link", "Item", (200, 104, 236, 116))]
    assert [e.box for e in count_matches('"Item" link', elements)] == \
        [(40, 90, 120, 130), (140, 104, 176, 116), (200, 104, 236, 116)]
    assert ground('the second "Item" link', elements).element.box == (140, 104, 176, 116)


def test_an_active_tab_seen_as_a_button_counts_with_its_row():
    row = [E("text", "Active", (50, 438, 93, 450)), E("button", "Active", (340, 426, 420, 462)),
           E("text", "Active", (670, 438, 713, 450))]
    assert ground('the second "Active" tab', row).element.kind == "button"
    assert ground('the third "Active" tab', row).element.box[0] == 670


def test_a_title_over_its_words_is_not_counted():
    # a page title "Grid" over a grid of "Grid" cells; a large button's text beside others is counted
    cells = [E("text", "Grid", (x, y, x + 28, y + 11)) for y in (195, 290) for x in (48, 173, 298)]
    elements = [E("text", "Grid", (41, 48, 80, 63)), *cells]
    assert ground('the first "Grid" button', elements).element.box == (48, 195, 76, 206)
    assert len(count_matches('"Grid" button', elements)) == 6
    large = [E("text", "Grid", (40, 400, 80, 415)), E("text", "Other", (120, 400, 170, 415))]
    assert len(count_matches('"Grid" button', elements + large)) == 7


def test_a_table_column_of_values_is_not_counted_with_the_action_links():
    # a role column reading "编辑" (editor) beside each row's "编辑" (edit) action link
    rows = []
    for y in (328, 369, 411, 452):
        rows.append(E("link", "编辑", (1108, y, 1132, y + 12)))
        if y in (369, 411):
            rows.append(E("text", "编辑", (735, y, 759, y + 12)))
    assert [e.box[0] for e in count_matches('"编辑" 按钮', rows)] == [1108] * 4
    assert ground('第二个 "编辑" 按钮', rows).element.box == (1108, 369, 1132, 381)


# ----------------------------------------------------------------------------- unit: rows and reading order

def test_top_aligned_row_of_mixed_sizes_is_one_row():
    # text of buttons from extra small to large, aligned by their tops: the first and the last centres
    # lie further apart than half of either height, but each is in line with its neighbour
    row = [E("text", "Light", (60, 176, 92, 189)), E("text", "Light", (160, 186, 210, 205)),
           E("text", "Light", (280, 180, 313, 194)), E("text", "Light", (380, 183, 418, 198))]
    assert [e.box[0] for e in reading_order(row)] == [60, 160, 280, 380]
    assert ground('the second "Light" button', row).element.box[0] == 160


def test_ordinal_rows_are_formed_among_the_matches_alone():
    # a tall panel elsewhere on the row must not merge two rows of matches into one
    elements = [E("image", "", (600, 80, 900, 200)), E("text", "Item", (300, 144, 330, 156)),
                E("text", "Item", (40, 179, 70, 191))]
    assert ground('the first "Item" link', elements).element.box[1] == 144
    assert [e.box[1] for e in count_matches('"Item" link', elements)] == [144, 179]


# ----------------------------------------------------------------------------- unit: wrapped names

MAIL = [
    E("checkbox", "", (52, 92, 68, 108)), E("link", "Alexander", (97, 84, 173, 96)),
    E("link", "Pierce", (98, 102, 142, 114)), E("text", "Quarterly report", (194, 93, 320, 108)),
    E("checkbox", "", (52, 149, 68, 165)), E("link", "Alexander", (97, 141, 173, 153)),
    E("link", "Pierce", (98, 159, 142, 171)), E("text", "Lunch on Friday?", (194, 150, 318, 165)),
    E("checkbox", "", (52, 206, 68, 222)), E("link", "Alexander Pierce", (97, 210, 230, 222)),
]


def test_a_name_wrapped_onto_two_lines_is_one_candidate():
    loc = ground('the second "Alexander Pierce" link', MAIL)
    assert loc.found and loc.element.box == (97, 141, 173, 171)
    assert loc.point[1] < 153, "a click aims at the first line, not between the lines"
    assert len(count_matches('"Alexander Pierce" link', MAIL)) == 3
    assert ground('checkbox left of the second "Alexander Pierce"', MAIL).element.box == (52, 149, 68, 165)


def test_lines_that_each_name_something_are_not_joined():
    # two stacked items that each match on their own are two items, and far-apart lines are not joined
    elements = [E("link", "Alexander", (97, 84, 173, 96)), E("link", "Pierce", (98, 140, 142, 152)),
                E("link", "Pierce", (300, 102, 344, 114))]
    assert not ground('"Alexander Pierce" link', elements).found
    assert [e.box for e in count_matches('"Pierce" link', elements)] == [(300, 102, 344, 114),
                                                                         (98, 140, 142, 152)]


# ----------------------------------------------------------------------------- real pages

def _boxes(page, selector: str) -> list[tuple[float, float, float, float]]:
    out = []
    for h in page.locator(selector).all():
        b = h.bounding_box()
        out.append((b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"]))
    return out


def _inside(point, box, slack: float = 2) -> bool:
    return box[0] - slack <= point[0] <= box[2] + slack and box[1] - slack <= point[1] <= box[3] + slack


def test_page_flat_buttons_grey_links_and_mixed_sizes_are_counted(open_page, backend):
    page, img = open_page("flat_items.html")
    parse = backend.parse(img)
    cases = [("Save", "button", ".bar button >> text=Save"), ("Light", "button", ".sizes button"),
             ("Item", "link", ".nav a")]
    words = ["first", "second", "third", "fourth", "fifth"]
    for text, kind, selector in cases:
        boxes = _boxes(page, selector)
        for n, box in enumerate(boxes):
            query = f'the {words[n]} "{text}" {kind}'
            loc = ground(query, parse.elements, image_size=img.size)
            assert loc.found and _inside(loc.point, box), (query, box, loc, parse.elements)
        # the heading "Save" and the field's label "Item" are not counted
        assert len(count_matches(f'"{text}" {kind}', parse.elements, image_size=img.size)) == len(boxes)


def test_page_names_wrapped_in_a_narrow_column(open_page, backend):
    page, img = open_page("wrapped.html")
    parse = backend.parse(img)
    names = _boxes(page, "td.name a >> text=Alexander Pierce")
    checks = _boxes(page, "tr:has(a:text('Alexander Pierce')) input[type=checkbox]")
    assert len(names) == len(checks) == 3
    for n, word in enumerate(["first", "second", "third"]):
        loc = ground(f'the {word} "Alexander Pierce" link', parse.elements, image_size=img.size)
        assert loc.found and _inside(loc.point, names[n]), (word, loc, parse.elements)
        loc = ground(f'checkbox left of the {word} "Alexander Pierce"', parse.elements, image_size=img.size)
        assert loc.found and _inside(loc.point, checks[n]), (word, loc)
    loc = ground('"Sarah Bullock" link', parse.elements, image_size=img.size)
    assert loc.found and _inside(loc.point, _boxes(page, "a >> text=Sarah Bullock")[0]), loc


def test_a_value_beside_its_rows_button_of_the_same_word_is_not_counted_as_a_button():
    """A user table: each row ends with a boxed "编辑" button, and one user's role reads "编辑" (plain
    text, same row). `assert count "编辑" 按钮` is 3, not 4; the role is a value, not a flat button."""
    from vision.grounding import count_matches
    from vision.types import Element

    els = [Element("text", "张三", (100, 234, 130, 250)), Element("button", "编辑", (1003, 234, 1057, 266)),
           Element("text", "李四", (100, 299, 130, 313)), Element("text", "编辑", (731, 299, 758, 313)),
           Element("button", "编辑", (1003, 289, 1057, 321)),
           Element("text", "王五", (100, 354, 130, 368)), Element("button", "编辑", (1003, 344, 1057, 376))]
    found = count_matches('"编辑" 按钮', els, image_size=(1280, 800))
    assert [e.kind for e in found] == ["button"] * 3
