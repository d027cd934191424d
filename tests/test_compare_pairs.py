"""Visual comparison (issue #13) on pairs of real screenshots: the demo site's settings page in Chromium,
changed in the browser between the two shots, read by the real OCR backend.

Each change must come back with the right kind, boxes and words, at the levels that count it; the pairs
at the end must give no change at all.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from vision.compare import compare
from vision.compare.pixels import diff_mask
from vision.masks import parse_masks

PAGE = "settings.html"
SAVE = "document.querySelector('.btn-primary')"
CHART = ("var d=document.createElement('div'); d.style.cssText='position:absolute;right:80px;top:20px';"
         "d.innerHTML='<svg width=120 height=60><rect x=5 y={y} width=20 height={h} fill=#2563eb />"
         "<rect x=35 y=20 width=20 height=40 fill=#2563eb /><rect x=65 y=10 width=20 height=50 fill=#2563eb />"
         "</svg>'; document.body.appendChild(d);")
CLOCK = ("var d=document.createElement('div'); d.textContent='Updated {t}';"
         "d.style.cssText='position:absolute;right:60px;top:40px;font-size:15px'; document.body.appendChild(d);")


@pytest.fixture(scope="module")
def shot(shoot):
    """shot(js=None, **size) -> a screenshot of the settings page after running `js` in it."""
    def _shot(js: str | None = None, **kw):
        return shoot(PAGE, setup=(lambda page: page.evaluate(js)) if js else None, **kw)
    return _shot


@pytest.fixture(scope="module")
def base(shot):
    return shot()


def one(diff, kind):
    assert [c.kind for c in diff.changes] == [kind], [c.summary for c in diff.changes]
    return diff.changes[0]


def test_a_moved_button(base, shot, backend):
    after = shot(f"{SAVE}.style.position='relative'; {SAVE}.style.top='14px';")
    for level in ("pixel", "layout"):
        c = one(compare(base, after, level=level, backend=backend), "moved")
        assert c.before.text == c.after.text == "Save settings" and c.before.kind == "button"
        assert c.after.box[1] - c.before.box[1] == 14 and c.after.box[0] == c.before.box[0]
        assert c.summary == "the 'Save settings' button moved 14 px down"
    # content: positions may shift by the tolerance (24 px by default), not by more
    assert compare(base, after, level="content", backend=backend).same
    assert one(compare(base, after, level="content", backend=backend, tolerance=8), "moved")


def test_a_changed_text(base, shot, backend):
    after = shot("document.querySelectorAll('legend')[1].textContent='Alerts';")
    for level in ("pixel", "content"):
        c = one(compare(base, after, level=level, backend=backend), "text")
        assert (c.before.text, c.after.text) == ("Notifications", "Alerts")
        assert c.summary == "'Notifications' became 'Alerts'"
        assert abs(c.after.box[0] - c.before.box[0]) <= 2  # aligned left: it did not move
    assert compare(base, after, level="layout", backend=backend).same  # texts may change at this level


def test_an_added_link(base, shot, backend):
    after = shot("var a=document.createElement('a'); a.href='#'; a.textContent='Export data';"
                 "a.style.cssText='position:absolute;right:60px;top:40px;font-size:15px';"
                 "document.body.appendChild(a);")
    for level in ("pixel", "layout", "content"):
        c = one(compare(base, after, level=level, backend=backend), "added")
        assert c.before is None and c.after.text == "Export data"
        assert c.after.box[0] > 1100 and 35 < c.after.box[1] < 50
        assert c.summary.startswith("an 'Export data' ") and c.summary.endswith(" appeared")
        assert c.to_json()["before"] is None and c.to_json()["after"]["text"] == "Export data"


def test_a_removed_button(base, shot, backend):
    after = shot("document.querySelector('.btn-danger').style.visibility='hidden';")
    for level in ("pixel", "layout", "content"):
        c = one(compare(base, after, level=level, backend=backend), "removed")
        assert c.after is None and c.before.text == "Delete account" and c.before.kind == "button"
        assert c.summary == "the 'Delete account' button disappeared"


def test_a_toggled_checkbox(base, shot, backend):
    after = shot("document.getElementById('sms-notifications').checked=true;")
    for level in ("pixel", "content"):
        c = one(compare(base, after, level=level, backend=backend), "state")
        assert c.before.checked is False and c.after.checked is True
        assert c.summary == "the 'SMS notifications' checkbox became checked"
        assert c.to_json()["after"]["checked"] is True
    assert compare(base, after, level="layout", backend=backend).same


def test_a_colour_counts_at_the_pixel_level_only(base, shot, backend):
    after = shot(f"{SAVE}.style.background='#16a34a'; {SAVE}.style.borderColor='#16a34a';")
    c = one(compare(base, after, level="pixel", backend=backend), "pixels")
    assert c.after.text == "Save settings" and c.summary == "the 'Save settings' button changed colour"
    for level in ("layout", "content"):
        diff = compare(base, after, level=level, backend=backend)
        assert diff.same and diff.pixel_ratio > 0.003  # the pixels did change; this level does not count them


def test_a_changed_chart_is_reported_as_pixels(shot, backend):
    before, after = shot(CHART.format(y=30, h=30)), shot(CHART.format(y=45, h=15))
    for level in ("pixel", "layout", "content"):
        c = one(compare(before, after, level=level, backend=backend), "pixels")
        x1, y1, x2, y2 = c.region
        # the first bar (x 5-25 of the 120 px svg at right 80 px, top 20 px) is the one that changed
        assert 1080 <= x1 and x2 <= 1110 and 45 <= y1 and y2 <= 70, c.region
        assert c.before is None and "pixels changed at" in c.summary
        assert c.to_json()["after"] == {"box": list(c.region)}


# -- pairs that must give no change -----------------------------------------------------------------------

def test_the_same_page_twice_and_text_at_a_fractional_offset_are_no_change(base, shot, backend):
    again = shot()
    assert compare(base, again, backend=backend).same
    # The heading moved by 0.3 px both ways: its glyph edges are drawn differently (hundreds of pixels
    # past the colour threshold), which pixelmatch's anti-aliasing test recognises as such.
    nudged = shot("document.querySelector('h1').style.transform='translate(0.3px, 0.3px)';")
    a, b = np.asarray(base), np.asarray(nudged)
    assert diff_mask(a, b, include_aa=True).sum() > 200
    assert diff_mask(a, b).sum() <= 2
    for level in ("pixel", "layout", "content"):
        assert compare(base, nudged, level=level, backend=backend).same


def test_a_masked_clock(shot, backend):
    before, after = shot(CLOCK.format(t="12:30:05")), shot(CLOCK.format(t="12:31:47"))
    assert not compare(before, after, level="content", backend=backend).same
    for mask in (['"Updated" text'], [[1100, 30, 1240, 70]], [{"box": [1120, 40, 1200, 55], "tolerance": 20}]):
        for level in ("pixel", "layout", "content"):
            diff = compare(before, after, level=level, backend=backend, masks=parse_masks(mask))
            assert diff.same, (mask, level, [c.summary for c in diff.changes])
            assert diff.masks_before and diff.masks_after


def test_a_scrolled_page_is_absorbed_at_the_layout_level(shot, backend):
    # 500 px high, the page scrolls; 60 px down moves every element up by 60 px, a fixed header would stay
    before, after = shot(height=500), shot("window.scrollTo(0, 60)", height=500)
    for level in ("layout", "content"):
        diff = compare(before, after, level=level, backend=backend)
        assert diff.same and diff.shift == (0, -60), [c.summary for c in diff.changes]
    moved = compare(before, after, level="pixel", backend=backend).changes
    assert sum(c.kind == "moved" and c.summary.endswith("moved 60 px up") for c in moved) >= 10


# -- the command line ----------------------------------------------------------------------------------

def test_pagesight_diff_on_image_files(base, shot, tmp_path):
    from agent.frontends.cli import main

    before, after, other = tmp_path / "a.png", tmp_path / "b.png", tmp_path / "small.png"
    base.save(before)
    shot("document.querySelector('.btn-danger').style.visibility='hidden';").save(after)
    base.crop((0, 0, 640, 400)).save(other)
    runner = CliRunner()
    res = runner.invoke(main, ["diff", str(before), str(after), "--out", str(tmp_path / "d.png")])
    assert res.exit_code == 1, res.output
    assert "1 change at the pixel level" in res.output
    assert "the 'Delete account' button disappeared" in res.output
    from PIL import Image

    assert Image.open(tmp_path / "d.png").size == (2 * 1280 + 16, 800)
    res = runner.invoke(main, ["diff", str(before), str(after), "--json", "--level", "layout"])
    data = json.loads(res.output)
    assert res.exit_code == 1 and set(data) == {"changes", "pixel_ratio"} and 0 < data["pixel_ratio"] < 0.01
    assert data["changes"][0]["kind"] == "removed" and data["changes"][0]["before"]["text"] == "Delete account"
    assert runner.invoke(main, ["diff", str(before), str(before)]).exit_code == 0
    masked = runner.invoke(main, ["diff", str(before), str(after), "--mask", "200,540,420,620"])
    assert masked.exit_code == 0 and "no changes at the pixel level" in masked.output
    for args, words in ((["--mask", "5,5,1,1"], "x2 > x1"), (["--level", "pixels"], "pixels"),
                        (["--threshold", "2"], "threshold")):
        res = runner.invoke(main, ["diff", str(before), str(after), *args])
        assert res.exit_code == 2 and words in res.output, res.output
    res = runner.invoke(main, ["diff", str(before), str(other)])
    assert res.exit_code == 2 and "differ in size" in res.output
    res = runner.invoke(main, ["diff", str(before), str(tmp_path / "missing.png")])
    assert res.exit_code == 2 and "no such file" in res.output


def test_pagesight_diff_on_urls(site_url):
    from agent.frontends.cli import main

    page = f"{site_url}/settings.html"
    res = CliRunner().invoke(main, ["diff", page, page, "--level", "layout", "--viewport", "1024x700"])
    assert res.exit_code == 0 and "no changes at the layout level (0.00% of pixels differ)" in res.output, res.output
    res = CliRunner().invoke(main, ["diff", page, f"{site_url}/no-such-page.html", "--json"])
    assert res.exit_code == 1 and json.loads(res.output)["pixel_ratio"] > 0.005
