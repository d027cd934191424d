"""`assert: {looks_like: NAME}` in scenario files and `expect(ui).to_look_like(NAME)` in pytest (issue #13):
a missing baseline is written and fails, a match passes, a mismatch fails with the changes in words and
a marked picture, a mask hides a change, --update-baselines rewrites; real Chromium, real OCR."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from agent.engine.baselines import baseline_name
from agent.frontends.cli import main
from agent.language.scenario import parse_scenario
from pagesight_errors import ScenarioError

SITE = Path(__file__).resolve().parent.parent / "scenarios" / "site"


@pytest.mark.parametrize("step, words", [
    ("{looks_like: home, level: pixels}", "level must be one of pixel, layout, content"),
    ("{looks_like: a/b}", "names a baseline file"),
    ("{looks_like: home, mask: [[1, 2]]}", "a mask box is four numbers"),
    ("{looks_like: home, mask: ['\"Save']}", "quote"),
    ("{looks_like: home, tolerance: -1}", "tolerance is a whole number"),
    ("{visible: Save, level: layout}", "`level` goes with `looks_like`"),
    ("{looks_like: home, visible: Save}", "exactly one of"),
])
def test_bad_looks_like_steps_are_caught_before_any_browser(step, words):
    with pytest.raises(ScenarioError) as info:
        parse_scenario(f"name: x\nurl: /a\nsteps:\n  - click: Go\n  - assert: {step}\n", "look.yaml")
    assert words in str(info.value) and "look.yaml:5" in str(info.value)


def test_baseline_names_never_mix_sizes():
    assert baseline_name("home", (1280, 800), 1) == "home"
    assert baseline_name("home", (1280, 800), 2) == "home-1280x800@2"
    assert baseline_name("home", (390, 844), 3.0) == "home-390x844@3"


def _scenario(folder: Path, *steps: str, viewport: str = "") -> Path:
    path = folder / "look.yaml"
    path.write_text("name: Settings look right\nurl: /settings.html\n"
                    f"serve: {SITE}\n{viewport}steps:\n" + "".join(f"  - {s}\n" for s in steps), encoding="utf-8")
    return path


def _run(path: Path, *args: str):
    res = CliRunner().invoke(main, ["run", str(path), "--report", str(path.parent / "report"), *args])
    return res.exit_code, res.output


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_a_scenario_baseline_from_missing_to_match_mismatch_mask_and_update(tmp_path):
    check = "assert: {looks_like: settings, level: content}"
    path = _scenario(tmp_path, check)
    png = tmp_path / "__baselines__" / "look" / "settings.png"
    code, out = _run(path)
    assert code == 1 and "there was no baseline 'settings' yet: wrote" in out, out
    assert png.is_file() and json.loads(png.with_suffix(".json").read_text())["backend"] == "ocr"
    first = _digest(png)

    code, out = _run(path)
    assert code == 0, out

    toggle = "check: '\"SMS notifications\"'"
    _scenario(tmp_path, toggle, check)
    code, out = _run(path)
    assert code == 1 and "the 'SMS notifications' checkbox became checked" in out, out
    results = json.loads((tmp_path / "report" / "results.json").read_text())
    step = results["scenarios"][0]["steps"][1]
    assert "1. the 'SMS notifications' checkbox became checked" in step["notes"]
    assert (tmp_path / "report" / step["before"]).is_file() and "diff" in step["before"]
    assert (tmp_path / "report" / step["after"]).is_file()

    masked = "assert: {looks_like: settings, level: content, mask: [[670, 415, 840, 450]]}"
    _scenario(tmp_path, toggle, masked)
    code, out = _run(path)
    assert code == 0, out
    assert _digest(png) == first  # the stored baseline stays unpainted

    _scenario(tmp_path, toggle, check)
    code, out = _run(path, "--update-baselines")
    assert code == 0 and _digest(png) != first, out
    code, out = _run(path)
    assert code == 0, out  # the rewritten baseline has the box checked


@pytest.mark.slow
def test_baselines_at_another_viewport_get_their_own_file(tmp_path):
    path = _scenario(tmp_path, "assert: {looks_like: settings}", viewport="viewport: {width: 800, height: 600}\n")
    code, out = _run(path)
    assert code == 1 and "settings-800x600@1.png" in out
    assert sorted(p.name for p in (tmp_path / "__baselines__" / "look").iterdir()) == [
        "settings-800x600@1.json", "settings-800x600@1.png"]


@pytest.mark.slow
def test_to_look_like_in_pytest(pytester: pytest.Pytester, site_url: str) -> None:
    pytester.makepyfile(test_look='''
        import os
        from agent import expect

        def test_settings(ui, page):
            ui.goto("/settings.html")
            if os.environ.get("TOGGLE"):
                page.check("#sms-notifications")
            expect(ui).to_look_like("settings", level="content")

        def test_settings_masked(ui, page):
            ui.goto("/settings.html")
            page.check("#sms-notifications")
            expect(ui).to_look_like("settings", level="content", mask=[[670, 415, 840, 450]])
    ''')
    env_backend = os.environ.pop("PAGESIGHT_BACKEND", None)
    args = ("-p", "no:cacheprovider", "-p", "no:randomly", "--base-url", site_url, "--vision-backend", "ocr")
    try:
        first = pytester.runpytest_subprocess(*args, "-k", "not masked", timeout=300)
        first.assert_outcomes(failed=1)
        first.stdout.fnmatch_lines(["*there was no baseline 'settings' yet: wrote*__baselines__*test_look*"])
        png = pytester.path / "__baselines__" / "test_look" / "settings-1280x720@1.png"  # pytest-playwright: 720 high
        assert png.is_file()
        pytester.runpytest_subprocess(*args, timeout=300).assert_outcomes(passed=2)
        os.environ["TOGGLE"] = "1"
        changed = pytester.runpytest_subprocess(*args, "-k", "not masked", timeout=300)
        changed.assert_outcomes(failed=1)
        changed.stdout.fnmatch_lines(["*the 'SMS notifications' checkbox became checked*"])
        pytester.runpytest_subprocess(*args, "-k", "not masked", "--update-baselines",
                                      timeout=300).assert_outcomes(passed=1)
        pytester.runpytest_subprocess(*args, "-k", "not masked", timeout=300).assert_outcomes(passed=1)
    finally:
        os.environ.pop("TOGGLE", None)
        if env_backend is not None:
            os.environ["PAGESIGHT_BACKEND"] = env_backend
