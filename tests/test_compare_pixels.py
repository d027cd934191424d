"""vision.compare.pixels against a line-by-line port of pixelmatch 5 (YIQ), on images drawn here with
anti-aliased text, and the helpers that group changed pixels and tell shape from colour."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from vision.annotate import font
from vision.compare.pixels import diff_mask, regions, structural

# ---- pixelmatch 5.3's index.js, ported as written (slow: small images only) --------------------------


def _y(p):
    return p[0] * 0.29889531 + p[1] * 0.58662247 + p[2] * 0.11448223


def _delta(p1, p2, y_only=False):
    p1, p2 = tuple(float(v) for v in p1), tuple(float(v) for v in p2)
    if p1 == p2:
        return 0
    y = _y(p1) - _y(p2)
    if y_only:
        return y
    i = (p1[0] * 0.59597799 - p1[1] * 0.27417610 - p1[2] * 0.32180189) - \
        (p2[0] * 0.59597799 - p2[1] * 0.27417610 - p2[2] * 0.32180189)
    q = (p1[0] * 0.21147017 - p1[1] * 0.52261711 + p1[2] * 0.31114694) - \
        (p2[0] * 0.21147017 - p2[1] * 0.52261711 + p2[2] * 0.31114694)
    d = 0.5053 * y * y + 0.299 * i * i + 0.1957 * q * q
    return -d if _y(p1) > _y(p2) else d


def _has_many_siblings(img, x1, y1, w, h):
    x0, y0, x2, y2 = max(x1 - 1, 0), max(y1 - 1, 0), min(x1 + 1, w - 1), min(y1 + 1, h - 1)
    zeroes = 1 if x1 in (x0, x2) or y1 in (y0, y2) else 0
    for x in range(x0, x2 + 1):
        for y in range(y0, y2 + 1):
            if (x, y) == (x1, y1):
                continue
            zeroes += tuple(img[y1, x1]) == tuple(img[y, x])
            if zeroes > 2:
                return True
    return False


def _antialiased(img, x1, y1, w, h, img2):
    x0, y0, x2, y2 = max(x1 - 1, 0), max(y1 - 1, 0), min(x1 + 1, w - 1), min(y1 + 1, h - 1)
    zeroes = 1 if x1 in (x0, x2) or y1 in (y0, y2) else 0
    lo = hi = 0
    lo_xy = hi_xy = (0, 0)
    for x in range(x0, x2 + 1):
        for y in range(y0, y2 + 1):
            if (x, y) == (x1, y1):
                continue
            d = _delta(img[y1, x1], img[y, x], True)
            if d == 0:
                zeroes += 1
                if zeroes > 2:
                    return False
            elif d < lo:
                lo, lo_xy = d, (x, y)
            elif d > hi:
                hi, hi_xy = d, (x, y)
    if lo == 0 or hi == 0:
        return False
    return any(_has_many_siblings(img, *xy, w, h) and _has_many_siblings(img2, *xy, w, h) for xy in (lo_xy, hi_xy))


def pixelmatch(a, b, threshold=0.1):
    h, w = a.shape[:2]
    out = np.zeros((h, w), dtype=bool)
    for y in range(h):
        for x in range(w):
            if abs(_delta(a[y, x], b[y, x])) > 35215 * threshold * threshold:
                out[y, x] = not (_antialiased(a, x, y, w, h, b) or _antialiased(b, x, y, w, h, a))
    return out


def _card(text: str, dx: float = 0.0, colour=(29, 78, 216), box=(6, 30, 60, 46)) -> np.ndarray:
    """A 120x52 picture: anti-aliased text (offset by `dx`, drawn at 4x and scaled down) and a box."""
    big = Image.new("RGB", (480, 208), "white")
    draw = ImageDraw.Draw(big)
    draw.text((16 + 4 * dx, 8), text, fill=(17, 24, 39), font=font(56))
    draw.rectangle(tuple(4 * v for v in box), fill=colour)
    return np.asarray(big.resize((120, 52), Image.LANCZOS))


@pytest.mark.parametrize("change", ["text", "offset", "colour", "box"])
@pytest.mark.parametrize("threshold", [0.05, 0.1, 0.2])
def test_the_vectorised_diff_is_pixelmatch(change, threshold):
    a = _card("Total: 3")
    b = {"text": _card("Total: 4"), "offset": _card("Total: 3", dx=0.4),
         "colour": _card("Total: 3", colour=(22, 163, 74)), "box": _card("Total: 3", box=(10, 30, 70, 48))}[change]
    expected = pixelmatch(a, b, threshold)
    got = diff_mask(a, b, threshold)
    assert (got == expected).all(), f"{(got != expected).sum()} pixels differ from pixelmatch"
    if change != "offset":
        assert expected.sum() > 10  # a real change, not an empty comparison


def test_anti_aliasing_is_left_out_unless_asked_and_ignored_boxes_are():
    # a black bar whose right edge falls between pixels: its edge column is grey, a lighter grey after
    a = np.full((20, 20, 3), 255, np.uint8)
    a[4:16, 5:10] = 0
    b = a.copy()
    a[4:16, 10], b[4:16, 10] = 160, 90
    assert diff_mask(a, b).sum() == 0 and diff_mask(a, b, include_aa=True).sum() == 12
    assert (diff_mask(a, b) == pixelmatch(a, b)).all()
    a, c = _card("Total: 3"), _card("Total: 4")
    assert diff_mask(a, c).sum() > 0
    assert diff_mask(a, c, ignore=[(0, 0, 120, 30)]).sum() == 0  # the text row masked
    assert diff_mask(a, a.copy()).sum() == 0
    with pytest.raises(ValueError, match="differ in size"):
        diff_mask(a, a[:10])


def test_regions_join_near_pixels_and_keep_far_ones_apart():
    mask = np.zeros((100, 200), dtype=bool)
    mask[10:12, 10:14] = True
    mask[10:12, 17:20] = True  # 3 px away: the same region
    mask[80:90, 150:170] = True
    got = regions(mask)
    assert got == [((150, 80, 170, 90), 200), ((10, 10, 20, 12), 14)]
    assert regions(mask, min_pixels=20) == [((150, 80, 170, 90), 200)]
    assert regions(np.zeros((5, 5), dtype=bool)) == []


def test_structural_tells_a_new_shape_from_a_new_colour():
    a = _card("Total: 3")
    assert not structural(a, _card("Total: 3", colour=(22, 163, 74)), (0, 26, 70, 52))
    assert structural(a, _card("Total: 3", box=(10, 30, 70, 48)), (0, 26, 80, 52))
    c = _card("Total: 4")
    assert structural(a, c, regions(diff_mask(a, c))[0][0])  # the digit's region
