"""Masks (vision/masks.py): how they are written, and resolved on a real screenshot by the real OCR backend."""

from __future__ import annotations

import pytest

from pagesight_errors import TargetError
from vision.masks import Mask, parse_masks, resolve_masks


def test_parse_every_written_form():
    masks = parse_masks(['"Last login" text', [10, 20, 110, 40], {"target": '"Ad" image', "tolerance": 4},
                         {"box": [0, 0, 5, 5]}])
    assert masks == (Mask(target='"Last login" text'), Mask(box=(10, 20, 110, 40)),
                     Mask(target='"Ad" image', tolerance=4), Mask(box=(0, 0, 5, 5)))
    assert parse_masks(None) == ()
    assert parse_masks([1, 2, 3, 4]) == (Mask(box=(1, 2, 3, 4)),)  # a lone box
    assert parse_masks('"Clock"') == (Mask(target='"Clock"'),)


@pytest.mark.parametrize("bad, words", [
    ([[1, 2, 3]], "four numbers"), ([[5, 5, 1, 9]], "x2 > x1"), (['"open'], "quote"), ([""], "empty"),
    ([{"target": "x", "box": [0, 0, 1, 1]}], "exactly one"), ([{"box": [0, 0, 1, 1], "tolerance": -1}], "tolerance"),
    ([3.5], "target description or a box"),
])
def test_bad_masks_say_what_is_wrong(bad, words):
    with pytest.raises(TargetError, match=words):
        parse_masks(bad)


def test_resolve_boxes_and_targets_on_a_real_screen(shoot, backend):
    img = shoot("login.html")
    boxes, missing = resolve_masks(parse_masks(['"Sign in" button', [10, 10, 50, 30], '"No such words here"']),
                                   img, backend, scale=2, size=img.size)
    loc = backend.locate(img, '"Sign in" button')
    assert loc.found
    assert boxes == [tuple(int(v) for v in loc.box), (20, 20, 100, 60)]
    assert missing == ['"No such words here"']
    grown, _ = resolve_masks((Mask(box=(0, 0, 10, 10), tolerance=3),), img, size=img.size)
    assert grown == [(0, 0, 13, 13)]  # grown by 3 and clipped to the image


def test_command_line_masks_read_boxes_and_targets():
    from vision.masks import parse_mask_args

    assert parse_mask_args(("10,20,110,40", "[1, 2, 3.5, 4]", '"Clock" text')) == (
        Mask(box=(10, 20, 110, 40)), Mask(box=(1, 2, 3.5, 4)), Mask(target='"Clock" text'))
    assert parse_mask_args(()) == ()
    with pytest.raises(TargetError, match="x2 > x1"):
        parse_mask_args(("50,0,10,10",))
