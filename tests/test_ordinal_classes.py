"""Ordinals on real-page layouts (issue 9): why the n-th candidate the vision counts can differ from the
n-th a person counts, one test per class of cause, each on a small page written for the test
(tests/pages/classes): real Chromium screenshots served on localhost, real RapidOCR."""

from __future__ import annotations

from vision.grounding import ground


def _box(page, selector: str, nth: int) -> tuple[float, float, float, float]:
    b = page.locator(selector).nth(nth).bounding_box()
    return (b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"])


def _hits(loc, box, slack: float = 3) -> bool:
    x, y = loc.point
    return box[0] - slack <= x <= box[2] + slack and box[1] - slack <= y <= box[3] + slack


def test_flat_buttons_beside_boxed_ones_are_counted(open_page, backend):
    """A flat "Save" (no box, body colour) right after a boxed "Save", and plain "Group" texts in a button
    group whose one active member is boxed: each is a button a person counts. (A table row's plain value
    beside the row's one button is not: tests/test_grounding_ordinals.py.)"""
    page, img = open_page("flat_after_boxed.html")
    parse = backend.parse(img)
    saves = page.locator("button", has_text="Save")
    for n in range(saves.count()):
        query = f"the {('first', 'second', 'third', 'fourth', 'fifth', 'sixth')[n]} \"Save\" button"
        loc = ground(query, parse.elements, image_size=img.size)
        assert loc.found and _hits(loc, _box(page, "button:has-text('Save')", n)), (query, loc, parse.elements)
    groups = page.locator("button", has_text="Group")
    for n in range(groups.count()):
        query = f"the {('first', 'second', 'third', 'fourth')[n]} \"Group\" button"
        loc = ground(query, parse.elements, image_size=img.size)
        assert loc.found and _hits(loc, _box(page, "button:has-text('Group')", n)), (query, loc, parse.elements)


def test_an_icon_read_as_a_glyph_before_a_nav_item_does_not_drop_it_from_the_count():
    """OCR reads an outline "user" icon set before a grey nav item as "8" ("8 Item", seen on a real
    subnav; the rendering that makes OCR do so is not reproducible on a page of ours, so the OCR line is
    given). That item is still the same "Item" as its neighbours: the second "Item" link is it, not the
    next row's first. A trailing digit stays a real number ("Item 8")."""
    from vision.textmatch import SAME_TEXT, similarity
    from vision.types import Element as E

    row = [E("text", "Active", (64, 542, 107, 554)), E("icon", "", (130, 540, 146, 557)),
           E("text", "Item", (153, 542, 182, 554)), E("text", "8 Item", (205, 540, 257, 558)),
           E("text", "Active", (64, 586, 107, 598)), E("text", "Item", (174, 586, 203, 598))]
    loc = ground('the second "Item" link', row, image_size=(1280, 800))
    assert loc.found and loc.element.box == (205, 540, 257, 558), loc
    assert [e.box[0] for e in loc.matches] == [153, 205, 174]
    assert similarity("Item", "Item 8") < SAME_TEXT and similarity("Item", "88 Item") < SAME_TEXT
    # a trash-can icon glued to the caption, read as a Han character (seen on a real nav)
    col = [E("text", "Item", (380, 435, 408, 447)), E("text", "Item", (380, 469, 408, 481)),
           E("text", "位Item", (352, 512, 409, 530)), E("text", "Item", (795, 514, 824, 526)),
           E("text", "Item", (70, 623, 98, 635))]
    assert ground('the third "Item" link', col, image_size=(1280, 800)).element.box == (352, 512, 409, 530)
    assert similarity("保存", "位保存") < SAME_TEXT  # in Chinese, a Han character is a word of its own


def _truth_vs_vision(page, img, backend):
    """(query, hit) for every ordinal target the bench's truth makes of the page as it is scrolled now."""
    from agent.bench.dom_truth import collect_truth, describe_targets
    from agent.bench.grounding import hit_test

    parse = backend.parse(img)
    out = []
    for t in describe_targets(collect_truth(page)):
        if t.ordinal:
            loc = ground(t.query, parse.elements, image_size=img.size)
            out.append((t.query, t.element.box, loc.found and hit_test(loc.point, t.element.rects)))
    return out


def test_truth_counts_ordinals_by_the_lines_of_the_names_as_the_vision_does(open_page, backend):
    """Three columns of "Item" links; the third column's links carry a two-line subtitle, so their boxes
    are tall. Counted by the links' boxes, a tall box chains rows of its neighbours together; counted by
    the lines of the names (what a person and the OCR read), row by row. The bench's truth and the
    grounding must count the same way: every ordinal target the truth makes is hit."""
    page, img = open_page("subtitle_nav.html")
    results = _truth_vs_vision(page, img, backend)
    assert len(results) == 9 and all(hit for _, _, hit in results), results


def test_truth_has_no_target_whose_name_is_scrolled_out_of_view(open_page, backend):
    """Scrolled so that a subtitled link's title is above the top edge while most of the link (its
    subtitle) still shows: a person cannot name it "Item", so the truth makes no target of it."""
    import io

    from PIL import Image

    page, _ = open_page("subtitle_nav.html")
    page.evaluate("window.scrollTo(0, 100)")
    page.wait_for_timeout(100)
    img = Image.open(io.BytesIO(page.screenshot(animations="disabled"))).convert("RGB")
    results = _truth_vs_vision(page, img, backend)
    assert all(box[1] > 0 for _, box, _ in results), results
    assert results and all(hit for _, _, hit in results), results


def test_a_row_of_text_style_buttons_read_as_one_line_counts_each_button(open_page, backend):
    """Text-style buttons (no box, no padding) stand a word space apart, so OCR reads "Save Cancel Delete"
    as one line. Each word is also a boxed button's caption on the screen, so the line is a row of flat
    controls: the second "Cancel" button is the flat one in it (reading order: it shares a row with the
    first boxed row, right of it), and a sentence mentioning "Save" is not a button."""
    page, img = open_page("flat_row.html")
    parse = backend.parse(img)
    for word in ("Save", "Cancel", "Delete"):
        boxed1, boxed2, flat = (_box(page, f"button:text-is('{word}')", n) for n in range(3))
        for n, box in enumerate((boxed1, flat, boxed2)):
            query = f"the {('first', 'second', 'third')[n]} \"{word}\" button"
            loc = ground(query, parse.elements, image_size=img.size)
            assert loc.found and _hits(loc, box), (query, loc, parse.elements)
        assert len(ground(f'"{word}" button', parse.elements, image_size=img.size).matches) == 3


def test_a_section_title_beside_another_columns_title_is_not_counted(open_page, backend):
    """Two columns, each under a section title ("Button", "Button Group") in one row. The title "Button"
    is taller than the flat "Button"s below and has only the other title beside it: a title, not the
    first "Button" button."""
    page, img = open_page("side_by_side_titles.html")
    parse = backend.parse(img)
    for n in range(4):
        query = f"the {('first', 'second', 'third', 'fourth')[n]} \"Button\" button"
        loc = ground(query, parse.elements, image_size=img.size)
        assert loc.found and _hits(loc, _box(page, "button:text-is('Button')", n)), (query, loc, parse.elements)


def test_items_of_a_large_nav_list_are_links_and_a_heading_is_not(open_page, backend):
    """A nav drawn in a large font ("Active", "Item", "Item" stacked a steady step apart) under a small nav
    row, and further down a heading "Item" of that size. The large items are links a person counts;
    the heading, standing alone, is not."""
    page, img = open_page("large_nav.html")
    parse = backend.parse(img)
    links = [_box(page, "a:text-is('Item')", n) for n in range(4)]
    for n, box in enumerate(links):
        query = f"the {('first', 'second', 'third', 'fourth')[n]} \"Item\" link"
        loc = ground(query, parse.elements, image_size=img.size)
        assert loc.found and _hits(loc, box), (query, loc, parse.elements)
    assert len(ground('"Item" link', parse.elements, image_size=img.size).matches) == 4


def test_truth_has_no_target_whose_name_is_cut_at_a_scroll_box_edge(open_page, backend):
    """A nav row cut by its overflow box shows "Ite" of its last "Item": two thirds of the link show, but
    not its name, so a person cannot quote it and the truth makes no target of it; every other ordinal
    the truth makes, the grounding hits."""
    page, img = open_page("cut_row.html")
    cut = _box(page, "a[href='#7']", 0)
    results = _truth_vs_vision(page, img, backend)
    assert not any(box[0] == cut[0] and box[1] == cut[1] for _, box, _ in results), results
    assert len(results) == 7 and all(hit for _, _, hit in results), results
