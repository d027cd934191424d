"""Every example scenario in scenarios/ passes with the `ocr` backend on the real demo site.

This is README's main job (`pagesight run scenarios/`) run as a test, so a change that breaks an
example fails CI, and the report it writes is checked to hold every step's screenshots.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_example_scenario_passes(tmp_path):
    files = sorted((ROOT / "scenarios").glob("*.yaml"))
    assert len(files) >= 10
    report = tmp_path / "report"
    proc = subprocess.run([sys.executable, "-m", "agent.frontends.cli", "run", "scenarios/", "--backend", "ocr",
                           "--report", str(report)], capture_output=True, text=True, cwd=ROOT,
                          env=os.environ, timeout=900)
    results = json.loads((report / "results.json").read_text(encoding="utf-8"))
    failed = [f"{s['name']}: {s['error']}" for s in results["scenarios"] if s["status"] != "passed"]
    assert not failed, "\n".join(failed) + "\n" + proc.stdout[-3000:]
    assert proc.returncode == 0
    assert results["summary"]["passed"] == len(files)
    for scenario in results["scenarios"]:
        for step in scenario["steps"]:
            for shot in (step["before"], step["after"]):
                assert shot is None or (report / shot).is_file()
