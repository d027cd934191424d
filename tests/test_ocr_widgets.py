"""Widget detection on synthetic images drawn with PIL: shapes, states, and how text joins them.

No OCR here: text is drawn with PIL and handed to `assemble` as the text lines OCR would give, so
these tests pin the OpenCV and layout rules exactly, on light and dark backgrounds and at DPR 2.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from vision.ocr.assemble import assemble
from vision.ocr.text import TextLine, ink_box
from vision.ocr.widgets import control_state, find_shapes
from vision.types import KINDS

LIGHT = {"bg": (255, 255, 255), "text": (17, 24, 39), "faint": (156, 163, 175), "border": (209, 213, 219),
         "accent": (37, 99, 235), "field": (255, 255, 255), "grey_btn": (229, 231, 235),
         "grey_text": (160, 166, 178)}
DARK = {"bg": (24, 26, 32), "text": (235, 237, 240), "faint": (120, 124, 132), "border": (90, 94, 104),
        "accent": (59, 130, 246), "field": (36, 39, 46), "grey_btn": (48, 51, 58), "grey_text": (92, 96, 104)}
THEMES = {"light": LIGHT, "dark": DARK}


class Canvas:
    """A drawing at scale `s` (2 = DPR 2) that remembers the text it wrote, as OCR lines."""

    def __init__(self, theme: dict, s: int = 1, size: tuple[int, int] = (640, 400)):
        self.t, self.s = theme, s
        self.img = Image.new("RGB", (size[0] * s, size[1] * s), theme["bg"])
        self.draw = ImageDraw.Draw(self.img)
        self.font = ImageFont.load_default(size=15 * s)
        self.texts: list[tuple[str, tuple[int, int, int, int]]] = []

    def box(self, x1, y1, x2, y2, fill=None, outline=None, radius=6, width=1):
        s = self.s
        self.draw.rounded_rectangle((x1 * s, y1 * s, x2 * s - 1, y2 * s - 1), radius=radius * s, fill=fill,
                                    outline=outline, width=width * s)

    def text(self, x, y, text, colour):
        s = self.s
        self.draw.text((x * s, y * s), text, font=self.font, fill=colour)
        x1, y1, x2, y2 = self.draw.textbbox((x * s, y * s), text, font=self.font)
        self.texts.append((text, (int(x1) - 2, int(y1) - 2, int(x2) + 2, int(y2) + 2)))

    def label(self, box, text, colour):
        """`text` centred in `box` (CSS coordinates), as a button draws its caption."""
        x1, y1, x2, y2 = self.draw.textbbox((0, 0), text, font=self.font)
        x = (box[0] + box[2]) / 2 - (x2 - x1) / 2 / self.s
        y = (box[1] + box[3]) / 2 - (y2 + y1) / 2 / self.s
        self.text(x, y, text, colour)

    def lines(self) -> list[TextLine]:
        gray = np.asarray(self.img.convert("L"))
        out = []
        for text, box in self.texts:
            tight = ink_box(gray, box)
            assert tight is not None, text
            out.append(TextLine(text, tight, 0.99, (), int(26 * self.s)))
        return out

    def parse(self):
        rgb = np.asarray(self.img)
        unit = 15.0 * self.s
        return assemble(rgb, self.lines(), find_shapes(rgb, unit), unit)


def _one(elements, kind):
    found = [e for e in elements if e.kind == kind]
    assert len(found) == 1, [(e.kind, e.text, e.label, e.box) for e in elements]
    return found[0]


def _near(a, b, tol):
    return all(abs(p - q) <= tol for p, q in zip(a, b, strict=True))


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("scale", [1, 2])
def test_filled_button_is_found_with_its_caption(theme, scale):
    t = THEMES[theme]
    c = Canvas(t, scale)
    c.box(100, 100, 240, 140, fill=t["accent"])
    c.label((100, 100, 240, 140), "Save", (255, 255, 255))
    els = c.parse()
    button = _one(els, "button")
    assert button.text == "Save"
    assert button.disabled is False
    assert _near(button.box, (100 * scale, 100 * scale, 240 * scale, 140 * scale), 4 * scale)
    assert all(e.kind in KINDS for e in els)
    assert [e.id for e in els] == list(range(1, len(els) + 1))


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_outlined_button_and_greyed_out_button(theme):
    t = THEMES[theme]
    c = Canvas(t)
    c.box(60, 100, 180, 140, fill=t["field"], outline=t["border"])
    c.label((60, 100, 180, 140), "Cancel", t["text"])
    c.box(220, 100, 380, 140, fill=t["grey_btn"])
    c.label((220, 100, 380, 140), "Delete all", t["grey_text"])
    els = c.parse()
    buttons = {e.text: e for e in els if e.kind == "button"}
    assert set(buttons) == {"Cancel", "Delete all"}, els
    assert buttons["Cancel"].disabled is False
    assert buttons["Delete all"].disabled is True


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_field_with_placeholder_and_outer_label(theme):
    t = THEMES[theme]
    c = Canvas(t)
    c.text(60, 60, "Email", t["text"])
    c.box(60, 82, 400, 122, fill=t["field"], outline=t["border"])
    c.text(72, 94, "you@example.com", t["faint"])
    c.box(60, 180, 400, 220, fill=t["field"], outline=t["border"])
    c.text(72, 192, "Search orders", t["faint"])
    els = c.parse()
    fields = sorted((e for e in els if e.kind == "input"), key=lambda e: e.box[1])
    assert len(fields) == 2, els
    # An outer label wins; a placeholder is not a value.
    assert (fields[0].label, fields[0].text) == ("Email", "")
    # No outer label: the placeholder is the label.
    assert (fields[1].label, fields[1].text) == ("Search orders", "")
    # The label stays a text element; so does a placeholder that is not the label (people name a field
    # by it too), inside its field.
    texts = [e for e in els if e.kind == "text"]
    assert [e.text for e in texts] == ["Email", "you@example.com"]
    inner = texts[1].box
    assert fields[0].box[0] <= inner[0] and inner[2] <= fields[0].box[2] and fields[0].box[1] <= inner[1] \
        and inner[3] <= fields[0].box[3]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_field_value_is_text(theme):
    t = THEMES[theme]
    c = Canvas(t)
    c.text(60, 92, "Name", t["text"])
    c.box(140, 80, 460, 120, fill=t["field"], outline=t["border"])
    c.text(152, 92, "Alice Smith", t["text"])
    field = _one(c.parse(), "input")
    assert (field.label, field.text) == ("Name", "Alice Smith")


def _checkbox(c: Canvas, x, y, checked: bool):
    t, s = c.t, c.s
    if checked:
        c.box(x, y, x + 16, y + 16, fill=t["accent"], radius=3)
        c.draw.line([((x + 4) * s, (y + 8) * s), ((x + 7) * s, (y + 11) * s), ((x + 12) * s, (y + 5) * s)],
                    fill=(255, 255, 255), width=2 * s)
    else:
        c.box(x, y, x + 16, y + 16, fill=t["field"], outline=t["border"], radius=3)


def _radio(c: Canvas, x, y, checked: bool):
    t, s = c.t, c.s
    c.draw.ellipse((x * s, y * s, (x + 16) * s - 1, (y + 16) * s - 1), fill=t["field"],
                   outline=t["accent"] if checked else t["border"], width=s)
    if checked:
        c.draw.ellipse(((x + 4) * s, (y + 4) * s, (x + 12) * s - 1, (y + 12) * s - 1), fill=t["accent"])


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("scale", [1, 2])
def test_checkboxes_and_radios_read_their_state_and_caption(theme, scale):
    t = THEMES[theme]
    c = Canvas(t, scale)
    _checkbox(c, 60, 60, True)
    c.text(86, 60, "Remember me", t["text"])
    _checkbox(c, 60, 100, False)
    c.text(86, 100, "Send newsletter", t["text"])
    _radio(c, 60, 160, True)
    c.text(86, 160, "Light", t["text"])
    _radio(c, 180, 160, False)
    c.text(206, 160, "Dark", t["text"])
    els = c.parse()
    got = {(e.kind, e.label): e.checked for e in els if e.kind in ("checkbox", "radio")}
    assert got == {("checkbox", "Remember me"): True, ("checkbox", "Send newsletter"): False,
                   ("radio", "Light"): True, ("radio", "Dark"): False}, els
    # Captions belong to their controls and are not repeated as text.
    assert not [e for e in els if e.kind == "text"]


def test_control_state_on_raw_shapes():
    c = Canvas(LIGHT)
    _checkbox(c, 40, 40, True)
    _checkbox(c, 80, 40, False)
    _radio(c, 120, 40, True)
    _radio(c, 160, 40, False)
    rgb = np.asarray(c.img)
    shapes = sorted((s for s in find_shapes(rgb, 15.0) if s.kind != "box"), key=lambda s: s.box[0])
    assert [(s.kind, control_state(rgb, s)) for s in shapes] == [
        ("square", True), ("square", False), ("circle", True), ("circle", False)]


def test_icon_is_not_a_control():
    """A small glyph drawn with strokes on a plain inside (an icon) is neither checked nor unchecked."""
    c = Canvas(LIGHT)
    c.draw.rectangle((40, 40, 55, 55), outline=(200, 120, 30), width=1)
    c.draw.line([(43, 45), (52, 45)], fill=(200, 120, 30))
    c.draw.line([(43, 49), (52, 49)], fill=(200, 120, 30))
    c.text(64, 40, "Orders", LIGHT["text"])
    els = c.parse()
    assert not [e for e in els if e.kind in ("checkbox", "radio")], els


def test_select_has_a_chevron():
    c = Canvas(LIGHT)
    c.text(60, 60, "Country", LIGHT["text"])
    c.box(60, 82, 360, 122, fill=(255, 255, 255), outline=LIGHT["border"])
    c.text(72, 94, "Germany", LIGHT["text"])
    c.draw.line([(334, 98), (340, 104), (346, 98)], fill=(60, 60, 60), width=2)
    field = _one(c.parse(), "select")
    assert (field.label, field.text) == ("Country", "Germany")


def test_switch_is_a_checkbox():
    c = Canvas(LIGHT)
    c.draw.rounded_rectangle((60, 60, 91, 77), radius=9, fill=LIGHT["accent"])
    c.draw.ellipse((76, 62, 89, 75), fill=(255, 255, 255))
    c.text(104, 61, "Dark mode", LIGHT["text"])
    box = _one(c.parse(), "checkbox")
    assert (box.label, box.checked) == ("Dark mode", True)


def test_badge_is_not_a_button():
    """A pill hugging its text (a status badge) is text, not a button."""
    c = Canvas(LIGHT)
    c.box(60, 60, 130, 82, fill=(220, 252, 231), radius=11)
    c.text(72, 63, "Active", (22, 101, 52))
    els = c.parse()
    assert [e.kind for e in els] == ["text"], els


def test_table_rows_are_not_fields():
    """Rows of a bordered table are stacked boxes with text at their left: not inputs."""
    c = Canvas(LIGHT, size=(640, 400))
    c.box(40, 40, 600, 260, fill=(255, 255, 255), outline=LIGHT["border"], radius=8)
    for i, name in enumerate(["Apollo", "Borealis", "Cassini", "Daedalus"]):
        y = 40 + 44 * (i + 1)
        c.draw.line([(40, y), (599, y)], fill=LIGHT["border"])
        c.text(56, y - 30, name, LIGHT["text"])
    els = c.parse()
    assert not [e for e in els if e.kind in ("input", "textarea", "button")], els


def test_a_checked_box_read_with_its_one_letter_caption_keeps_the_caption():
    """UIkit-style: a 16 px filled box right against the caption "B"; OCR reads the pair as one short
    line "✓ B" that lies more than half inside the box. The tick is the box; "B" stays its caption."""
    from vision.ocr.controls import _strip_shape_words
    from vision.ocr.items import Item

    rgb = np.full((40, 60, 3), 255, np.uint8)
    item = Item("✓ B", (0, 0, 31, 16), 0.86, words=(("✓", (1, 0, 15, 16)), ("B", (20, 0, 34, 16))))
    lone = Item("✓", (2, 20, 14, 36), 0.9, words=(("✓", (2, 20, 14, 36)),))
    _strip_shape_words(rgb, [item, lone], (0, 0, 16, 16))
    _strip_shape_words(rgb, [lone], (0, 20, 16, 36))
    assert not item.used and item.text == "B" and item.box[0] >= 16
    assert lone.used  # a glyph alone is the shape itself


def test_a_ring_that_grows_when_checked_stays_a_control():
    """A 21 px ring captioned in 15 px text (1.4 text units) becomes, when checked, a 24 px filled disc
    with a white tick (1.6 units): between the small-control and big-round sizes it must stay a checked
    toggle, not turn into an icon."""
    from vision.ocr.controls import small_controls
    from vision.ocr.items import Item

    img = Image.new("RGB", (300, 60), "white")
    d = ImageDraw.Draw(img)
    d.ellipse((10, 18, 33, 41), fill=(9, 187, 7))
    d.line((15, 30, 20, 35, 28, 24), fill="white", width=3)
    rgb = np.array(img)
    caption = Item("standard", (46, 23, 120, 37), 0.99, words=(("standard", (46, 23, 120, 37)),))
    out = small_controls(rgb, find_shapes(rgb, 15.0), [caption], 15.0)
    toggles = [e for e in out if e.kind in ("checkbox", "radio")]
    assert len(toggles) == 1 and toggles[0].checked is True and toggles[0].label == "standard"
