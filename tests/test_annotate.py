"""Set-of-marks drawings on synthetic screenshots."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageFont

from vision.annotate import KIND_COLOURS, annotate, font
from vision.types import KINDS, Element


def _page(w=1280, h=800):
    return Image.new("RGB", (w, h), (255, 255, 255))


def _els():
    return [
        Element("button", "登录", (100, 100, 200, 140), id=1),
        Element("input", "", (100, 160, 400, 196), id=2, label="用户名"),
        Element("text", "Welcome back, alice", (0, 0, 300, 30), id=3),
        Element("checkbox", "", (1260, 780, 1279, 799), id=4),
    ]


def test_size_kept_and_input_unchanged():
    img = _page()
    before = img.tobytes()
    out = annotate(img, _els(), highlight=_els()[0], point=(150, 120))
    assert out.size == img.size and out.mode == "RGB"
    assert out is not img
    assert img.tobytes() == before


def test_highlighted_box_changes_pixels_inside_and_is_red():
    img = _page()
    target = Element("button", "Sign in", (500, 400, 700, 460))
    plain = np.asarray(annotate(img, [target]))
    marked = np.asarray(annotate(img, [target], highlight=target))
    x1, y1, x2, y2 = target.box
    inside = marked[y1 + 10:y2 - 10, x1 + 10:x2 - 10]
    assert (inside != 255).any()  # tinted
    assert (plain[y1 + 10:y2 - 10, x1 + 10:x2 - 10] == 255).all()  # a plain box leaves the inside alone
    edge = marked[y1 - 3, x1 + 40]
    assert edge[0] > 200 and edge[1] < 80 and edge[2] < 80  # the thick red outline, just outside


def test_every_box_is_outlined_in_its_kind_colour():
    img = _page()
    els = [Element(kind, "", (20 + 90 * i, 300, 90 + 90 * i, 360)) for i, kind in enumerate(KINDS)]
    arr = np.asarray(annotate(img, els))
    for e in els:
        x1, y1, x2, y2 = e.box
        assert tuple(arr[y2, (x1 + x2) // 2]) == KIND_COLOURS[e.kind]  # bottom edge, clear of the tag
    assert len(set(KIND_COLOURS.values())) == len(KIND_COLOURS)


def test_number_tags_are_drawn_and_stay_inside_the_image():
    img = _page(400, 300)
    corner = Element("button", "x", (388, 0, 399, 20), id=123)  # top-right corner: no room above or right
    arr = np.asarray(annotate(img, [corner]))
    colour = np.array(KIND_COLOURS["button"])
    filled = np.all(arr == colour, axis=-1)
    ys, xs = np.nonzero(filled)
    assert xs.max() <= 399 and ys.min() >= 0
    assert filled[:, :388].any()  # the tag for "123" was moved left to fit


def test_point_draws_a_crosshair():
    img = _page()
    arr = np.asarray(annotate(img, [], point=(640, 400)))
    assert (arr[400, 630:651] != 255).any(axis=-1).all()
    assert (arr[390:411, 640] != 255).any(axis=-1).all()
    assert (arr[100, 100] == 255).all()


def test_cjk_text_renders_with_a_real_font():
    f = font(14)
    assert isinstance(f, ImageFont.FreeTypeFont)
    img = _page()
    el = Element("menu", "用户管理", (100, 100, 220, 130), id=7)
    out = annotate(img, [el], highlight=el, show_text=True)
    # the caption below the box holds glyphs: both red tag and white text pixels
    region = np.asarray(out)[131:170, 100:260]
    white = np.all(region > 240, axis=-1)
    red = np.all(region == (229, 28, 35), axis=-1)
    assert white.any() and red.any()


def test_accepts_bytes_and_odd_boxes():
    buf = io.BytesIO()
    _page(300, 200).convert("RGBA").save(buf, format="PNG")
    els = [Element("text", "off screen", (-50, -20, 400, 500)), Element("icon", "", (10, 10, 5, 5))]
    out = annotate(buf.getvalue(), els, highlight=(250, 150, 350, 250))
    assert out.size == (300, 200) and out.mode == "RGB"


def test_elements_without_ids_are_numbered_in_order():
    img = _page(200, 200)
    a = annotate(img, [Element("button", "", (50, 50, 150, 100))])
    b = annotate(img, [Element("button", "", (50, 50, 150, 100), id=1)])
    assert a.tobytes() == b.tobytes()
