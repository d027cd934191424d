"""Text reading: the RapidOCR wrapper on drawn images (real OCR), line splitting and ink boxes."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from vision.ocr.text import TextLine, engine_load_seconds, get_engine, ink_box, read_lines, split_line


def _draw(items: list[tuple[int, int, str]], size=(800, 160), scale: int = 1, font_size: int = 18) -> np.ndarray:
    img = Image.new("RGB", (size[0] * scale, size[1] * scale), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=font_size * scale)
    for x, y, text in items:
        d.text((x * scale, y * scale), text, font=font, fill=(20, 24, 32))
    return np.ascontiguousarray(np.asarray(img)[:, :, ::-1])  # BGR, as read_lines takes it


def test_engine_is_built_once_per_process():
    assert get_engine() is get_engine()
    assert engine_load_seconds() is not None and engine_load_seconds() > 0


def test_reads_a_line_with_a_tight_box():
    lines = read_lines(_draw([(40, 40, "Sign in to continue")]))
    assert [ln.text for ln in lines] == ["Sign in to continue"]
    x1, y1, x2, y2 = lines[0].box
    # Tight around the ink (the glyphs start at x=40 and are about 18 px high), not OCR's padded box.
    assert 38 <= x1 <= 44 and 38 <= y1 <= 50 and y2 - y1 <= 22
    assert lines[0].line_height > y2 - y1  # OCR's own box height is kept as the font-size yardstick


def test_a_row_of_separate_links_is_split_at_wide_gaps():
    bgr = _draw([(40, 40, "Home"), (150, 40, "Pricing"), (280, 40, "Docs"), (40, 100, "Read the docs")])
    texts = [ln.text for ln in read_lines(bgr)]
    assert texts == ["Home", "Pricing", "Docs", "Read the docs"]


@pytest.mark.parametrize("scale", [1, 2])
def test_boxes_are_in_the_given_images_pixels(scale):
    lines = read_lines(_draw([(100, 60, "Delete account")], scale=scale))
    assert [ln.text for ln in lines] == ["Delete account"]
    x1, y1, _, _ = lines[0].box
    assert abs(x1 - 100 * scale) <= 3 * scale and abs(y1 - 64 * scale) <= 6 * scale


def test_blank_image_reads_nothing():
    assert read_lines(np.full((200, 300, 3), 255, np.uint8)) == []


def test_split_line_uses_word_gaps():
    words = [("Dark", (100, 10, 130, 30)), ("System", (180, 10, 224, 30))]
    parts = split_line("Dark System", (95, 8, 230, 32), 0.9, words)
    assert [(p.text, p.box[0] <= 100, p.box[2] >= 224) for p in parts] == [("Dark", True, False),
                                                                           ("System", False, True)]
    close = [("Sign", (100, 10, 130, 30)), ("in", (136, 10, 150, 30))]
    assert [p.text for p in split_line("Sign in", (95, 8, 155, 32), 0.9, close)] == ["Sign in"]


def test_split_line_joins_cjk_without_spaces():
    words = [("用", (10, 0, 24, 20)), ("户", (25, 0, 39, 20)), ("名", (40, 0, 54, 20)),
             ("密", (120, 0, 134, 20)), ("码", (135, 0, 149, 20))]
    parts = split_line("用户名 密码", (8, 0, 150, 22), 0.9, words)
    assert [p.text for p in parts] == ["用户名", "密码"]


def test_ink_box_drops_a_widgets_border():
    img = Image.new("L", (200, 60), 255)
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((10, 10, 120, 50), radius=4, outline=110)
    d.text((40, 22), "All", font=ImageFont.load_default(size=14), fill=60)
    box = ink_box(np.asarray(img), (12, 9, 121, 52))
    assert box is not None
    x1, y1, x2, y2 = box
    assert 38 <= x1 <= 42 and y1 >= 20 and y2 <= 40 and x2 <= 70


def test_textline_height():
    assert TextLine("a", (0, 10, 5, 30), 1.0).height == 20
