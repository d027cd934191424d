"""`pagesight run` end to end: real Chromium, real OCR, the demo site, the report and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import SITE, pagesight, write  # noqa: E402


@pytest.fixture
def spy_browser(tmp_path):
    """A 'browser' that leaves a mark if anything ever launches it."""
    mark = tmp_path / "browser-was-launched"
    exe = tmp_path / "fake-chrome"
    exe.write_text(f"#!/bin/sh\ntouch {mark}\nexit 1\n")
    exe.chmod(0o755)
    return exe, mark


BAD = {
    "bad_yaml.yaml": ("name: x\nurl: /a.html\nsteps:\n  - click: a\n   - click: b\n", ":5"),
    "unknown_step.yaml": ("name: x\nurl: /a.html\nsteps:\n  - clik: Sign in\n", ":4"),
    "missing_name.yaml": ("url: /a.html\nsteps:\n  - click: Sign in\n", ":1"),
    "unreadable.yaml": ("name: x\nurl: /a.html\nsteps:\n  - click: ok\n  - Frobnicate the widget\n", ":5"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_malformed_file_exits_2_with_file_line_and_opens_no_browser(tmp_path, spy_browser, name):
    text, where = BAD[name]
    path = write(tmp_path / name, text)
    exe, mark = spy_browser
    result = pagesight("run", str(path), "--report", str(tmp_path / "r"), env={"PAGESIGHT_BROWSER": str(exe)})
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"{name}{where}" in result.stderr
    assert not mark.exists()
    assert not (tmp_path / "r").exists()


def test_unknown_step_says_what_would_be_right(tmp_path):
    path = write(tmp_path / "s.yaml", BAD["unknown_step.yaml"][0])
    result = pagesight("run", str(path))
    assert result.returncode == 2
    assert "click" in result.stderr.split("clik", 1)[1]  # a "did you mean 'click'"


def test_bad_usage_exits_2():
    assert pagesight("run", "--shard", "5/2").returncode == 2
    assert pagesight("run", "no/such/folder").returncode == 2
    assert pagesight("run", "--no-such-option").returncode == 2


def test_a_missing_target_fails_with_candidates_and_an_annotated_screenshot(tmp_path):
    scenario = write(tmp_path / "mistake.yaml", f"""
        name: Deliberate mistake
        serve: {SITE}
        url: /login.html
        timeout: 2
        steps:
          - fill: {{target: Email address, text: a@b.c}}
          - click: '"Log in now" button'
        """)
    report = tmp_path / "report"
    result = pagesight("run", str(scenario), "--report", str(report), "--junit", str(tmp_path / "j.xml"))
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert 'click "Log in now" button' in out or "Log in now" in out
    assert "nearest candidates" in out and "Sign in" in out.split("nearest candidates", 1)[1]
    shot_line = next(line for line in out.splitlines() if "screenshot:" in line)
    shot = Path(shot_line.split("screenshot:", 1)[1].strip())
    assert shot.exists() and shot.stat().st_size > 1000
    data = json.loads((report / "results.json").read_text())
    failed = data["scenarios"][0]["steps"][-1]
    assert failed["status"] == "failed" and failed["candidates"]
    assert (report / failed["before"]).exists()
    assert "<failure" in (tmp_path / "j.xml").read_text()


def test_report_opens_in_chromium_with_every_image_loaded(tmp_path, raw_browser):
    scenario = write(tmp_path / "ok.yaml", f"""
        name: Sign in passes
        serve: {SITE}
        url: /login.html
        steps:
          - fill: {{target: Email address, text: alice@example.com}}
          - fill: {{target: Password, text: pw}}
          - click: Sign in
          - assert: {{visible: "Welcome, alice"}}
        """)
    report = tmp_path / "report"
    result = pagesight("run", str(scenario), "--report", str(report))
    assert result.returncode == 0, result.stdout + result.stderr
    html = (report / "index.html").read_text()
    assert "base64" not in html
    page = raw_browser.new_page()
    try:
        page.goto((report / "index.html").as_uri())
        page.wait_for_load_state("load")
        sizes = page.evaluate("() => Array.from(document.images).map(i => [i.complete, i.naturalWidth])")
    finally:
        page.close()
    assert len(sizes) >= 4
    assert all(done and width > 0 for done, width in sizes)
