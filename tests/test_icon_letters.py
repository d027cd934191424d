"""An icon before a button's caption that OCR reads as a lower-case letter ("i Delete", "è Delete": a
trash can) is not part of the caption (issue 9, a projects table's action buttons), so every "Delete"
button is counted by "the Nth "Delete" button". Real Chromium, real RapidOCR, a real click on the
answer (tests/pages/classes/icon_letters.html).
"""

from __future__ import annotations

import pytest
from class_pages import open_and_parse

from vision.grounding import ground


@pytest.fixture(scope="module")
def shot(raw_browser, pages_url, backend):
    ctx, page, img, elements = open_and_parse(
        raw_browser, pages_url, backend, "icon_letters.html",
        "document.querySelectorAll('button').forEach(b => b.onclick = () => window.hit = b.id)")
    yield page, img, elements
    ctx.close()


def test_every_delete_button_is_captioned_delete(shot):
    _, _, elements = shot
    deletes = [e.text for e in elements if e.kind == "button" and "Delete" in e.text]
    assert deletes == ["Delete"] * 6, deletes


@pytest.mark.parametrize("n, target", [("first", "del1"), ("fourth", "del4"), ("sixth", "del6")])
def test_the_nth_delete_button_is_clicked(shot, n, target):
    page, img, elements = shot
    loc = ground(f'the {n} "Delete" button', elements, image_size=img.size)
    assert loc.found and loc.element.kind == "button", loc
    page.mouse.click(*loc.point)
    assert page.evaluate("window.hit") == target
