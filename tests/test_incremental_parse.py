"""Incremental parse (issue #12): a screen read against the last one parsed equals a full parse of it.

A sequence of real screens on one real Chromium page (type into a field, tick a checkbox, open a menu,
scroll twice), each parsed incrementally (RapidOCR only on the changed crops, kept lines shifted on a
scroll) and fully. Compared: every element's text, label and box (within 2 px) must be the same, and
its kind too, except within two families of borderline calls: a row of short items read as tabs, menu
items, links or text, and a one-line field read as input or textarea. That much is tolerated because a
full parse is not stable either: RapidOCR's detection boxes (not the tight ink boxes) of unchanged
lines vary by a few pixels when text elsewhere on the page changes, and the font-size yardstick built
from them can tip such a call. A line cut by the viewport's top or bottom edge is left out: OCR reads
half a line differently from one look to the next ("Dark m ode" / "Dark mode").
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from browser.serve import serve_folder
from vision.ocr import OcrBackend
from vision.ocr.incremental import IncrementalParser, ParseStats, diff_boxes, find_scroll
from vision.ocr.regions import parse_with_lines

PAGES = Path(__file__).resolve().parent / "pages" / "speed"
TOL = 2


def _texts(parse):
    return sorted((e.text, e.label) for e in parse.elements)


def _whole(parse):
    """Elements not cut by the image's top or bottom edge."""
    return [e for e in parse.elements if e.box[1] > TOL and e.box[3] < parse.height - TOL]


def _unmatched(a, b):
    """Elements of a with no element of b of the same text and label and a box within TOL px."""
    left = _whole(b)
    out = []
    for e in _whole(a):
        m = next((o for o in left if (o.text, o.label) == (e.text, e.label)
                  and all(abs(p - q) <= TOL for p, q in zip(o.box, e.box, strict=True))), None)
        if m is None:
            out.append(e)
        else:
            left.remove(m)
    return out, left


FAMILY = {"tab": "item", "menuitem": "item", "link": "item", "text": "item", "input": "field",
          "textarea": "field"}


def _kinds_differ(a, b):
    full = {(e.text, e.label, e.box): e.kind for e in b.elements}
    return [e for e in a.elements
            if FAMILY.get(full.get((e.text, e.label, e.box), e.kind), "?") != FAMILY.get(e.kind, e.kind)
            and full.get((e.text, e.label, e.box), e.kind) != e.kind]


@pytest.fixture(scope="module")
def screens(raw_browser):
    with serve_folder(PAGES) as url:
        ctx = raw_browser.new_context(viewport={"width": 1280, "height": 800})
        page = ctx.new_page()
        page.goto(f"{url}/long.html", wait_until="networkidle")
        out = []

        def look(name):
            page.wait_for_timeout(150)
            out.append((name, Image.open(io.BytesIO(page.screenshot(animations="disabled", caret="hide")))
                        .convert("RGB")))

        look("open")
        page.click("#q")
        page.keyboard.type("exports")
        look("typed")
        page.click("#beta")
        look("ticked")
        page.click("text=Versions")
        look("menu open")
        page.mouse.wheel(0, 300)
        look("scrolled 300")
        page.mouse.wheel(0, -120)
        look("scrolled back 120")
        ctx.close()
    return out


def test_incremental_equals_full_parse_on_a_sequence(screens):
    stats = ParseStats()
    inc = IncrementalParser(stats=stats)
    for name, img in screens:
        part, _ = inc.parse(img)
        full, _ = parse_with_lines(img)
        only_inc, only_full = _unmatched(part, full)
        assert not only_inc and not only_full, (name, [(e.kind, e.name, e.box) for e in only_inc],
                                                [(e.kind, e.name, e.box) for e in only_full])
        assert not _kinds_differ(part, full), (name, [(e.kind, e.name) for e in _kinds_differ(part, full)])
    # only the first screen was read whole; every later one re-read a part of it
    assert stats.full == 1 and stats.incremental == len(screens) - 1
    assert stats.scrolls == 2
    assert all(s < 0.5 for s in stats.changed_shares[1:])


def test_the_backend_parses_incrementally_when_told_to(screens):
    backend = OcrBackend(incremental=1)
    backend.parse(screens[0][1])
    shares = len(backend._incremental.stats.changed_shares)
    typed = backend.parse(screens[1][1])
    assert backend._incremental.stats.changed_shares[shares] < 0.5  # the second screen: a part re-read
    field = next(e for e in typed.elements if e.text == "exports")
    assert field.kind in ("input", "textarea") and field.label == "Search notes"
    assert OcrBackend()._incremental is None  # off by default (see vision/ocr/backend.py)


def test_diff_boxes_and_scroll_shift():
    rng = np.random.default_rng(0)
    old = rng.integers(0, 255, (200, 120, 3), dtype=np.uint8)
    new = np.vstack([old[30:], rng.integers(0, 255, (30, 120, 3), dtype=np.uint8)])
    assert find_scroll(old, new) == 30  # new row y shows old row y + 30: scrolled down 30 px
    assert find_scroll(old, old) == 0
    mask = np.zeros((100, 100), bool)
    mask[10:12, 10:40] = True
    mask[80:90, 70:75] = True
    assert sorted(diff_boxes(mask)) == [(9, 9, 41, 13), (69, 79, 76, 91)]
