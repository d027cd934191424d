"""Controls the page-wide pass missed on real third-party pages, one test per class, on small pages
written for the test (tests/pages/classes): faint filled buttons and selects, faint or custom-drawn
checkboxes and radios, lone characters in small boxes (pagination), and coloured icons beside links
that are not checkboxes. Real Chromium, real RapidOCR, boxes checked against the DOM.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from browser.serve import serve_folder
from vision.grounding import ground
from vision.ocr import OcrBackend

PAGES = Path(__file__).resolve().parent / "pages" / "classes"


@pytest.fixture(scope="module")
def backend() -> OcrBackend:
    return OcrBackend()


@pytest.fixture(scope="module")
def shots(raw_browser) -> Iterator[dict]:
    """{page name: (DOM boxes by selector, RGB screenshot)}, each page shot once at 1280x800."""
    out: dict = {}
    with serve_folder(PAGES) as url:
        ctx = raw_browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
        page = ctx.new_page()

        def _shoot(name: str, selectors: list[str]):
            page.goto(f"{url}/{name}", wait_until="networkidle")
            page.wait_for_timeout(100)
            boxes = {}
            for sel in selectors:
                b = page.locator(sel).first.bounding_box()
                boxes[sel] = (b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"])
            img = Image.open(io.BytesIO(page.screenshot(animations="disabled"))).convert("RGB")
            return boxes, img

        out["shoot"] = _shoot
        yield out
        ctx.close()


def _hits(loc, box, slack: float = 3) -> bool:
    x, y = loc.point
    return box[0] - slack <= x <= box[2] + slack and box[1] - slack <= y <= box[3] + slack


def _ground(backend, img, query):
    parse = backend.parse(img)
    return ground(query, parse.elements, image_size=img.size), parse


# -- 1. a button filled a few levels darker than the page, with no border -------------------------------

def test_faint_filled_buttons_and_selects(shots, backend):
    sels = ["#f-link", "#b-link", "#f-save", "#sort", "#size"]
    boxes, img = shots["shoot"]("faint_buttons.html", sels)
    for query, sel in (('the first "Link" button', "#f-link"), ('the second "Link" button', "#b-link"),
                       ('the first "Save" button', "#f-save")):
        loc, parse = _ground(backend, img, query)
        assert loc.found and loc.element.kind == "button", (query, loc, parse.elements)
        assert _hits(loc, boxes[sel]), (query, loc, boxes[sel])
    parse = backend.parse(img)
    off = [e for e in parse.elements if e.kind == "button" and e.text == "Disabled"]
    assert len(off) == 1 and off[0].disabled, parse.elements
    for query, sel in (('"Newest" select', "#sort"), ('"Medium" select', "#size")):
        loc = ground(query, parse.elements, image_size=img.size)
        assert loc.found and loc.element.kind == "select", (query, loc, parse.elements)
        assert _hits(loc, boxes[sel]), (query, loc)
    # Striped list rows and a card's tinted header span their container: not buttons.
    named = {e.text for e in parse.elements if e.kind == "button"}
    assert not named & {"Alpha", "Beta", "Gamma", "Delta", "Details"}, parse.elements


# -- 2. light grey checkboxes and radios without a border; a filled custom box with a tick --------------

def test_faint_and_custom_checkboxes_and_radios(shots, backend):
    boxes, img = shots["shoot"]("faint_checks.html", ["#c1", "#c2", "#r1", "#r2", "#keep", "#news"])
    parse = backend.parse(img)
    want = {"Apples": ("checkbox", False, "#c1"), "Pears": ("checkbox", True, "#c2"),
            "Small": ("radio", False, "#r1"), "Large": ("radio", True, "#r2"),
            "Keep me signed in": ("checkbox", True, "#keep"), "Send me news": ("checkbox", False, "#news")}
    for label, (kind, state, sel) in want.items():
        loc = ground(f'"{label}" {kind}', parse.elements, image_size=img.size)
        assert loc.found and loc.element.kind == kind and loc.element.checked is state, (label, loc, parse.elements)
        assert _hits(loc, boxes[sel]), (label, loc, boxes[sel])
    assert sum(e.kind == "checkbox" for e in parse.elements) == 4, parse.elements
    assert sum(e.kind == "radio" for e in parse.elements) == 2, parse.elements


# -- 3. lone characters in small boxes (pagination) -----------------------------------------------------

def test_lone_characters_in_small_boxes(shots, backend):
    sels = [f"#p1 li:nth-child({i}) a" for i in range(2, 7)] + [f"#p2 li:nth-child({i}) a" for i in range(1, 4)]
    boxes, img = shots["shoot"]("pager.html", sels)
    parse = backend.parse(img)
    for sel, text in zip(sels, "12345123", strict=True):
        box = boxes[sel]
        inside = [e for e in parse.elements if box[0] - 2 <= e.center[0] <= box[2] + 2
                  and box[1] - 2 <= e.center[1] <= box[3] + 2]
        assert [e.name for e in inside] == [text], (sel, inside, parse.elements)
    for query, sel in (('the first "3" link', sels[2]), ('the second "3" link', sels[7]),
                       ('the second "1" button', sels[5]), ('"5" link', sels[4])):
        loc = ground(query, parse.elements, image_size=img.size)
        assert loc.found and _hits(loc, boxes[sel]), (query, loc, boxes[sel])


# -- 4. a small coloured icon beside a link is not a checkbox -------------------------------------------

def test_coloured_icons_beside_links_are_not_checkboxes(shots, backend):
    sels = ["#l1", "#l2", "#l3", "#l4", "#l5", "#l6"]
    boxes, img = shots["shoot"]("icon_links.html", sels)
    parse = backend.parse(img)
    assert not [e for e in parse.elements if e.kind in ("checkbox", "radio")], parse.elements
    for sel, text in zip(sels, ("说明", "约定", "下载与使用", "图标", "按钮", "输入框"), strict=True):
        loc = ground(f'"{text}" 链接', parse.elements, image_size=img.size)
        assert loc.found and loc.element.name == text, (text, loc, parse.elements)
        assert _hits(loc, boxes[sel]), (text, loc, boxes[sel])


# -- 5. custom boxes and discs filled in an accent colour with a light tick once clicked -----------------

def test_checked_fills_read_before_and_after_a_click(raw_browser, backend):
    """A small box right against its caption, a bare box a text unit and a half wide in a tinted row, a
    circle that turns into a green disc with a tick off its centre: each reads unchecked, is clicked
    through a BrowserSession, and then reads checked (not unknown, and still with its caption)."""
    from browser.session import BrowserSession

    sels = {"beta": "#beta", "gamma": "#gamma", "delta": "#delta"}
    with serve_folder(PAGES) as url:
        ctx = raw_browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
        page = ctx.new_page()
        page.goto(f"{url}/checked_fills.html", wait_until="networkidle")
        session = BrowserSession.attach(page)
        for name, sel in sels.items():
            b = page.locator(sel).bounding_box()
            box = (b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"])
            for want in (False, True):
                img = session.stable_screenshot().image.convert("RGB")
                els = backend.parse(img).elements
                hit = [e for e in els if e.kind in ("checkbox", "radio") and _covers(e.box, box)]
                assert len(hit) == 1 and hit[0].checked is want, (name, want, box, els)
                if name != "gamma":  # (the bare box has no caption)
                    assert hit[0].label.startswith(name.capitalize()), (name, hit[0])
                if not want:
                    session.click((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
                    page.wait_for_timeout(100)
            assert page.locator(f"#c-{name}").is_checked()
        ctx.close()


def _covers(a, b, slack: float = 3) -> bool:
    cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
    return a[0] - slack <= cx <= a[2] + slack and a[1] - slack <= cy <= a[3] + slack


# -- fields drawn only by a faint fill: textareas, large inputs, selects in a column ---------------------

def test_faint_filled_fields(shots, backend):
    sels = ["#in1", "#in2", "#note", "#find", "#s1", "#s2", "#w-in", "#big", "#t-big", "#i-big", "#s-big", "#opt"]
    boxes, img = shots["shoot"]("faint_fields.html", sels)
    parse = backend.parse(img)
    for query, sel, kinds in (
            ('the first "Input" field', "#in1", ("input",)),
            ('the second "Input" field', "#in2", ("input",)),
            ('"Write a note..." field', "#note", ("textarea",)),
            ('"form-width-large" dropdown', "#s1", ("select",)),
            ('"Second choice" dropdown', "#s2", ("select",)),
            # a field is counted among fields, a dropdown among dropdowns
            ('the first "form-width-large" field', "#w-in", ("input",)),
            ('the first "form-width-large" dropdown', "#s1", ("select",)),
            ('"Big text..." field', "#big", ("input",)),
            ('"Search…" field', "#find", ("input",)),  # a light grey well the ordinary edge level sees
            # a row of large widgets: a textarea whose placeholder wraps, an input whose short placeholder
            # sits near its middle, a select between like boxes
            ('the first "Some text..." field', "#t-big", ("textarea",)),
            ('the second "Some text..." field', "#i-big", ("input",)),
            ('"Option 01" dropdown', "#s-big", ("select",)),
            ('"Option 01" checkbox', "#opt", ("checkbox",))):  # (a select's value names no checkbox)
        loc = ground(query, parse.elements, image_size=img.size)
        assert loc.found and loc.element.kind in kinds, (query, loc, parse.elements)
        assert _hits(loc, boxes[sel]), (query, loc, boxes[sel])


# The ink of uikit's search icon as it shows at the right end of a large "Flip…" search field.
LENS = """
..........#............
......#########........
.....##.......##.......
...##...........##.....
...#.............#.....
..#...............#....
.##...............##...
.#.................#...
.#.................#...
.#.................#...
##.................##..
.#.................#...
.#.................#...
.#.................#...
.##...............##...
..#...............#....
...#.............#.....
...##...........##.....
.....##.......##..#....
......#########....#...
..........#.........#..
.....................#.
......................#"""


def test_a_magnifier_at_a_fields_end_is_no_dropdown_arrow():
    """A search field's ring-and-handle icon is not a select's up-and-down arrows: the ring is wide across
    its middle (with little ink there), where two stacked triangles narrow to points."""
    import numpy as np

    from vision.ocr.marks import has_chevron

    unit = 26.4
    lens = np.array([[c == "#" for c in row] for row in LENS.split()])
    gray = np.full((59, 404), 248, np.uint8)
    gray[16:16 + lens.shape[0], 360:360 + lens.shape[1]][lens] = 170
    assert not has_chevron(gray, (0, 0, 404, 59), unit, 67)
    arrows = np.full((59, 404), 248, np.uint8)  # the same box with a select's arrows
    for k in range(6):
        arrows[18 + k, 366 - k:367 + k] = 100
        arrows[40 - k, 366 - k:367 + k] = 100
    assert has_chevron(arrows, (0, 0, 404, 59), unit, 67)
