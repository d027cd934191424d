"""`pagesight explore` end to end: lines typed on stdin drive the real page; :save writes a scenario."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from agent.language.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent


def test_explore_runs_steps_and_saves_the_ones_that_passed(tmp_path, site_url):
    out_file = tmp_path / "signed_in.yaml"
    lines = "\n".join([
        'Type "alice@example.com" into "Email address"',
        "Frobnicate the widget",                     # unreadable: reported, not kept
        'Click "No such button anywhere"',           # fails: reported, not kept
        ':locate "Sign in" button',
        f":save {out_file}",
        ":quit",
    ]) + "\n"
    proc = subprocess.run([sys.executable, "-m", "agent.frontends.cli", "explore", f"{site_url}/login.html", "--timeout", "1",
                           "--save", str(tmp_path / "kept.yaml")],
                          input=lines, capture_output=True, text=True, cwd=ROOT, env=os.environ, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "✓ fill" in out
    assert "cannot read step 'Frobnicate the widget'" in out
    assert "could not find" in out
    assert "button" in out.split(":locate", 1)[-1] or "box [" in out
    data = yaml.safe_load(out_file.read_text(encoding="utf-8"))
    assert data["steps"] == ['Type "alice@example.com" into "Email address"']
    assert load_scenario(out_file).steps[0].text == "alice@example.com"  # a valid scenario file
