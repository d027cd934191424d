"""Small things from issue #11: the summary table lines up with Chinese scenario names, a failure names
its screenshot once, and `parse URL --scale 2` says the boxes' size in CSS pixels."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

from agent.engine.records import FAILED, PASSED, ScenarioResult, StepRecord
from agent.frontends.console import ConsoleProgress, print_summary

ROOT = Path(__file__).resolve().parent.parent


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_the_summary_table_lines_up_with_chinese_names(capsys, tmp_path):
    results = [ScenarioResult("sign in", "a.yaml", status=PASSED, steps=[StepRecord(1, "x")]),
               ScenarioResult("管理员添加用户", "b.yaml", status=FAILED, steps=[StepRecord(1, "x", status=FAILED)]),
               ScenarioResult("待办 todo", "c.yaml", status=PASSED)]
    print_summary(results, tmp_path / "index.html")
    rows = [ln for ln in capsys.readouterr().out.splitlines() if re.search(r"\s(status|passed|failed)\s", ln)]
    assert len(rows) == 4
    starts = {_columns(ln[:re.search(r"\s(status|passed|failed)\s", ln).start()]) for ln in rows}
    assert len(starts) == 1, rows  # the status column starts at the same terminal column on every row


def test_a_failure_names_its_screenshot_once(capsys):
    shot = "pagesight-report/steps/01-002-not-found.png"
    record = StepRecord(2, 'click "Delete"', status=FAILED, before=shot,
                        error=f"could not find '\"Delete\"' on the screen; nothing similar was seen; screenshot: {shot}")
    ConsoleProgress().step_finished(record)
    assert capsys.readouterr().out.count(shot) == 1
    other = StepRecord(3, "x", status=FAILED, before=shot, error="the click changed nothing")
    ConsoleProgress().step_finished(other)
    assert capsys.readouterr().out.count(shot) == 1  # an error that does not name it: the line says it


def test_parse_a_url_at_scale_2_says_the_boxes_are_css_pixels(site_url):
    r = subprocess.run([sys.executable, "-m", "agent.frontends.cli", "parse", f"{site_url}/login.html", "--scale", "2"],
                       capture_output=True, text=True, cwd=ROOT, env=os.environ, timeout=300)
    assert r.returncode == 0, r.stderr
    head = r.stdout.splitlines()[0]
    assert re.match(r"\d+ elements in 1280x800 CSS pixels \(the screenshot is 2560x1600 at scale 2\)$", head), head
