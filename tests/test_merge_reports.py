"""`pagesight merge-reports` on its own (no browser): bad inputs are one line and exit 2, and two
reports that used one image name for different pictures keep each picture with its own step."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent


def _merge(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "agent.frontends.cli", "merge-reports", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def _report(folder: Path, number: int, colour: tuple[int, int, int], status: str = "passed") -> None:
    """A report as a run writes it, with one step whose image is one flat colour."""
    (folder / "steps").mkdir(parents=True)
    Image.new("RGB", (64, 40), colour).save(folder / "steps" / "01-001-before.png")  # the same name in both
    step = {"index": 1, "description": "click Go", "status": status, "before": "steps/01-001-before.png",
            "after": None, "duration_s": 0.5}
    scenario = {"name": f"Scenario {number}", "file": f"s{number}.yaml", "status": status, "number": number,
                "duration_s": 0.5, "steps": [step]}
    (folder / "results.json").write_text(json.dumps({"summary": {}, "scenarios": [scenario]}))
    (folder / "index.html").write_text("<html></html>")


def test_images_with_one_name_in_two_reports_stay_with_their_steps(tmp_path):
    _report(tmp_path / "b", 2, (0, 0, 255), status="failed")
    _report(tmp_path / "a", 1, (255, 0, 0))
    out = tmp_path / "merged"
    result = _merge(str(tmp_path / "b"), str(tmp_path / "a"), "--report", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 scenarios (1 failed, 1 passed)" in result.stdout
    data = json.loads((out / "results.json").read_text())
    assert [s["name"] for s in data["scenarios"]] == ["Scenario 1", "Scenario 2"]  # the run's order
    colours = [Image.open(out / s["steps"][0]["before"]).getpixel((5, 5)) for s in data["scenarios"]]
    assert colours == [(255, 0, 0), (0, 0, 255)]
    assert data["summary"]["failed"] == 1 and "<failure" in (out / "junit.xml").read_text()
    html = (out / "index.html").read_text()
    assert all(f'src="{s["steps"][0]["before"]}"' in html for s in data["scenarios"])


def test_bad_inputs_are_one_line_and_exit_2(tmp_path):
    (tmp_path / "empty").mkdir()
    result = _merge(str(tmp_path / "empty"), "--report", str(tmp_path / "out"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "no results.json" in result.stderr
    _report(tmp_path / "a", 1, (255, 0, 0))
    result = _merge(str(tmp_path / "a"), "--report", str(tmp_path / "a"))
    assert result.returncode == 2 and "one of the reports to merge" in result.stderr
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("…")
    result = _merge(str(tmp_path / "a"), "--report", str(tmp_path / "mine"))
    assert result.returncode == 2 and "thesis.tex" in result.stderr
    assert result.stderr.count("\n") == 1
