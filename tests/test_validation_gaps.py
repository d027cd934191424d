"""Issue #11's validation gaps and image input: each is caught before a browser opens, exit 2, `file:line`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from agent.language.scenario import parse_scenario
from agent.language.sentences import parse_sentence
from agent.language.step_dicts import step_from_dict
from agent.language.steps import AssertVisible, Click, Scroll
from pagesight_errors import BadImage, ScenarioError
from vision.types import load_image

ROOT = Path(__file__).resolve().parent.parent


def pagesight(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "agent.frontends.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, env=os.environ, timeout=300)


def scenario(*steps: str) -> str:
    return "name: gaps\nurl: http://localhost/\nsteps:\n" + "".join(f"  - {s}\n" for s in steps)


def error_of(*steps: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(scenario(*steps), "gaps.yaml")
    return info.value


def test_unbalanced_quote_in_dict_form_is_an_error_at_its_line():
    e = error_of("Go back", """click: '"Sign in'""")
    assert "gaps.yaml:5:" in str(e) and "not closed" in str(e)
    with pytest.raises(ScenarioError):
        step_from_dict({"hover": '"Sign in'})


@pytest.mark.parametrize("step", ['Click ""', """click: '""'""", """hover: '"" button'""",
                                  "'点击 \"\"'", """assert: {visible: '""'}"""])
def test_empty_quoted_target_is_an_error(step):
    e = error_of(step)
    assert "gaps.yaml:4:" in str(e) and "empty" in str(e)


def test_scroll_times_must_be_at_least_one_in_every_form():
    for step in ("Scroll down 0 times", "向下滚动 0 次", "scroll: {direction: down, times: 0}"):
        e = error_of(step)
        assert "gaps.yaml:4:" in str(e) and "times" in str(e), step
    with pytest.raises(ScenarioError):
        Scroll("down", 0)
    assert parse_sentence("Scroll down 2 times") == Scroll("down", 2)


@pytest.mark.parametrize("step", ['Click "a" left of', """click: '"a" right of'""", 'Hover over "a" next to'])
def test_relation_without_anchor_is_an_error_naming_what_is_missing(step):
    e = error_of(step)
    assert "gaps.yaml:4:" in str(e) and "needs something to relate to" in str(e)
    assert parse_sentence('Click "a" left of "b"') == Click('"a" left of "b"')


def test_colon_inside_quotes_does_not_split_the_step():
    text = scenario('Assert "Status: clicked" is visible', 'Click "Note: read me" button')
    steps = parse_scenario(text, "gaps.yaml").steps
    assert steps == (AssertVisible('"Status: clicked"'), Click('"Note: read me" button'))
    assert [s.line for s in steps] == [4, 5]


def test_locate_with_an_empty_query_is_one_line_exit_2(tmp_path):
    png = tmp_path / "white.png"
    Image.new("RGB", (200, 100), "white").save(png)
    result = pagesight("locate", str(png), "-q", "")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert result.stderr.startswith("error:")


def test_transparent_png_is_composited_onto_white(tmp_path):
    img = Image.new("RGBA", (400, 120), (0, 0, 0, 0))
    from PIL import ImageDraw, ImageFont

    ImageDraw.Draw(img).text((20, 30), "Sign in", fill=(0, 0, 0, 255), font=ImageFont.load_default(48))
    path = tmp_path / "alpha.png"
    img.save(path)
    rgb = load_image(path)
    assert rgb.mode == "RGB" and rgb.getpixel((2, 2)) == (255, 255, 255)
    assert load_image(img).getpixel((2, 2)) == (255, 255, 255)
    result = pagesight("parse", str(path), "--json")
    assert result.returncode == 0, result.stderr
    assert "Sign in" in result.stdout


def test_huge_image_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "huge.png"
    Image.new("1", (10000, 10000)).save(path)
    with pytest.raises(BadImage, match="too large"):
        load_image(path)
    result = pagesight("parse", str(path))
    assert result.returncode == 2
    assert "DecompressionBomb" not in result.stderr and "Traceback" not in result.stderr
    assert "too large" in result.stderr and result.stderr.count("\n") == 1
