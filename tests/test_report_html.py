"""index.html and the step images of a real run (real Chromium, ocr backend, the demo site): a summary
table first, failures first, anchors without spaces, compact images for passing steps, and the failing
step's screenshot with the failure and the candidates drawn on it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from vision.annotate import KIND_COLOURS

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "scenarios" / "site"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    (tmp / "a_passes.yaml").write_text(textwrap.dedent(f"""
        name: Sign-in page shows its form
        serve: {SITE}
        url: /login.html
        steps:
          - fill: {{target: Email address, text: a@b.c}}
          - assert: {{visible: Sign in to Acme}}
        """))
    (tmp / "b_mistake.yaml").write_text(textwrap.dedent(f"""
        name: Deliberate mistake
        serve: {SITE}
        url: /login.html
        timeout: 2
        steps:
          - fill: {{target: Email address, text: a@b.c}}
          - click: '"Log in now" button'
        """))
    report = tmp / "report"
    (report / "steps").mkdir(parents=True)
    (report / "steps" / "02-001-before.png").write_bytes(b"a stale image of an older run")
    (report / "index.html").write_text("<html>older report</html>")
    (report / "results.json").write_text('{"summary": {}, "scenarios": []}')
    result = subprocess.run([sys.executable, "-m", "agent.frontends.cli", "run", str(tmp), "--report",
                             str(report)], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 1, result.stdout + result.stderr
    return report, json.loads((report / "results.json").read_text(encoding="utf-8"))


def test_the_folder_holds_only_this_runs_images(run):
    report, data = run
    linked = {s[k] for sc in data["scenarios"] for s in sc["steps"] for k in ("before", "after") if s[k]}
    assert {f"steps/{p.name}" for p in (report / "steps").iterdir()} == linked
    assert all(re.fullmatch(r"steps/0[12]-[ab]-(passes|mistake)-\d{3}-[a-z-]+\.(webp|png)", p) for p in linked)


def test_summary_first_failures_first_and_anchors_without_spaces(run):
    report, data = run
    html = (report / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'<section id="([^"]+)"', html)
    assert ids[0] == "summary"
    assert ids[1:] == ["02-b-mistake", "01-a-passes"]  # the failure first
    assert all(" " not in i for i in ids)
    links = re.findall(r'href="#([^"]+)"', html)
    assert {"02-b-mistake", "01-a-passes"} <= set(links) and set(links) <= set(ids)
    summary = html.split('<section id="summary">', 1)[1].split("</section>", 1)[0]
    assert summary.index("Deliberate mistake") < summary.index("Sign-in page shows its form")
    assert re.search(r"failed</td><td><a href=\"#02-b-mistake\">Deliberate mistake</a></td><td>1/2</td>", summary)


def test_passing_steps_are_compact_and_the_failure_is_a_full_png(run):
    report, data = run
    passing = [s for sc in data["scenarios"] for s in sc["steps"] if s["status"] == "passed"]
    for step in passing:
        for key in ("before", "after"):
            if step[key]:
                assert step[key].endswith(".webp")
                assert Image.open(report / step[key]).width <= 1024
    failed = data["scenarios"][1]["steps"][-1]
    assert failed["status"] == "failed" and failed["before"].endswith(".png")
    assert Image.open(report / failed["before"]).size == (1280, 800)


def test_the_failing_screenshot_shows_the_failure_and_the_candidates(run):
    report, data = run
    fill, click = data["scenarios"][1]["steps"]
    shown = np.asarray(Image.open(report / click["before"]).convert("RGB"), dtype=np.int16)
    previous = np.asarray(Image.open(report / fill["after"]).convert("RGB").resize((1280, 800)), dtype=np.int16)
    # Before: the not-found file was the previous step's "after" screenshot, byte for byte.
    assert np.abs(shown - previous).mean() > 2
    top = shown[:20]
    red = (np.abs(top - np.array([197, 34, 31])).sum(axis=2) < 40).mean()
    assert red > 0.5  # the failure is written across the top
    button = next(c for c in click["candidates"] if c["kind"] == "button")
    x1, y1, x2, y2 = button["box"]
    edge = shown[max(0, y1 - 1):y2 + 2, max(0, x1 - 1):x1 + 2].reshape(-1, 3)
    blue = np.array(KIND_COLOURS["button"])
    assert (np.abs(edge - blue).sum(axis=1) < 30).mean() > 0.5  # the candidate button is boxed
