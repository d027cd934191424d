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
