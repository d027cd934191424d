"""Two shards at once, then `pagesight merge-reports`: every step image in the merged report shows its
own scenario's page. Real Chromium, the ocr backend, the demo scenarios, concurrent processes.

Before: both shards wrote `pagesight-report/steps/01-001-before.png` and so on, so one shard's report
linked to the other's pages, and results.json held one shard only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
# Shard 1 gets 01 and 05, shard 2 gets 02 and 09: 01 and 02 both start on the sign-in page, 05 and 09
# show different pages, so an image taken from the other shard shows the wrong page.
DEMO = [ROOT / "scenarios" / f for f in ("01_sign_in.yaml", "02_sign_in_error.yaml", "05_todo.yaml",
                                          "09_settings.yaml")]


def _start(shard: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "agent.frontends.cli", "run", *map(str, DEMO),
                             "--shard", shard], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


def _thumb(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L").resize((160, 100), Image.BILINEAR), dtype=np.float32)


def test_concurrent_shards_then_merge_reports_keep_every_image_with_its_page(tmp_path, shoot):
    runs = [_start("1/2", tmp_path), _start("2/2", tmp_path)]
    outputs = [p.communicate(timeout=900)[0] for p in runs]
    assert [p.returncode for p in runs] == [0, 0], "\n".join(outputs)
    shards = [tmp_path / "pagesight-report" / f"shard-{i}-of-2" for i in (1, 2)]
    for folder in shards:
        assert (folder / "index.html").is_file() and (folder / "results.json").is_file()

    merged = tmp_path / "merged"
    result = subprocess.run([sys.executable, "-m", "agent.frontends.cli", "merge-reports", *map(str, shards),
                             "--report", str(merged)], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads((merged / "results.json").read_text(encoding="utf-8"))
    assert [Path(s["file"]).name for s in data["scenarios"]] == [p.name for p in DEMO]  # the run's order
    assert data["summary"]["passed"] == 4
    junit = (merged / "junit.xml").read_text(encoding="utf-8")
    assert junit.count("<testcase") == 4
    html = (merged / "index.html").read_text(encoding="utf-8")

    images: list[tuple[str, str]] = []  # (path in the report, the page the run said it shows)
    for sc in data["scenarios"]:
        for step in sc["steps"]:
            for key in ("before", "after"):
                if step[key]:
                    images.append((step[key], urlsplit(step[f"{key}_url"]).path))
    paths = [p for p, _ in images]
    assert len(paths) == len(set(paths)) > 30  # unique names across the shards
    assert sorted(paths) == sorted(f"steps/{f.name}" for f in (merged / "steps").iterdir())
    assert all(f'src="{p}"' in html for p in paths)

    pages = sorted({page for _, page in images})
    assert len(pages) >= 4  # sign-in, dashboard, todo, settings
    fresh = {page: _thumb(shoot(page)) for page in pages}
    wrong = []
    for path, page in images:
        thumb = _thumb(Image.open(merged / path))
        nearest = min(pages, key=lambda p: float(np.abs(fresh[p] - thumb).mean()))
        if nearest != page:
            wrong.append((path, page, nearest))
    assert not wrong, wrong
