"""How fast `vision.compare` compares two 1280x800 screenshots; prints one JSON object.

    python bench/diff_latency.py [--repeat 20] [--picture docs/diff-settings.png]

Pairs: the demo settings page before and after a few changes made in Chromium (a button moved, a
legend renamed, a link added, a checkbox ticked), the same page rendered twice, and a pair whose only
change is the primary button's colour. For each pair and level, the median and P95 of `compare` over
`--repeat` runs (and of the pixelmatch step alone), with both parses already made (they are cached by the backend, and stored with a
baseline): the pixel diff, pairing and words, not OCR. `--picture` also writes the side-by-side diff
picture of the first pair (the one in the README) through `pagesight diff --out`.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from browser.launch import launch_browser, shared_playwright  # noqa: E402
from browser.serve import serve_folder  # noqa: E402
from vision.compare import LEVELS, compare, diff_mask  # noqa: E402
from vision.ocr import OcrBackend  # noqa: E402

SITE = ROOT / "scenarios" / "site"
SAVE = "document.querySelector('.btn-primary')"
CHANGES = (f"{SAVE}.style.position='relative'; {SAVE}.style.top='14px';"
           "document.querySelectorAll('legend')[1].textContent='Alerts';"
           "document.getElementById('sms-notifications').checked=true;"
           "var a=document.createElement('a'); a.href='#'; a.textContent='Export data';"
           "a.style.cssText='position:absolute;right:60px;top:40px;font-size:15px'; document.body.appendChild(a);")
COLOUR = f"{SAVE}.style.background='#16a34a'; {SAVE}.style.borderColor='#16a34a';"


def shots(scripts: list[str | None]) -> list[Image.Image]:
    out = []
    with serve_folder(SITE) as url, shared_playwright() as pw:
        browser = launch_browser(pw)
        try:
            for js in scripts:
                ctx = browser.new_context(viewport={"width": 1280, "height": 800})
                page = ctx.new_page()
                page.goto(f"{url}/settings.html", wait_until="networkidle")
                if js:
                    page.evaluate(js)
                page.wait_for_timeout(150)
                out.append(Image.open(io.BytesIO(page.screenshot(animations="disabled"))).convert("RGB"))
                ctx.close()
        finally:
            browser.close()
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--picture", help="write the first pair's diff picture here (pagesight diff --out)")
    args = ap.parse_args()
    base, changed, again, colour = shots([None, CHANGES, None, COLOUR])
    backend = OcrBackend()
    pairs = {"four changes": (base, changed), "rendered twice": (base, again), "colour only": (base, colour)}
    parses = {id(img): backend.parse(img) for img in (base, changed, again, colour)}
    result: dict = {"machine": f"{platform.machine()} {os.cpu_count()} cpus", "repeat": args.repeat, "pairs": {}}
    for name, (a, b) in pairs.items():
        row: dict = {}
        arrays = np.asarray(a), np.asarray(b)
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            diff_mask(*arrays)
            times.append((time.perf_counter() - t0) * 1000)
        row["pixelmatch only"] = {"median_ms": round(statistics.median(times), 1), "p95_ms": round(p95(times), 1)}
        for level in LEVELS:
            times, diff = [], None
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                diff = compare(a, b, level=level, backend=backend, before_parse=parses[id(a)],
                               after_parse=parses[id(b)])
                times.append((time.perf_counter() - t0) * 1000)
            row[level] = {"median_ms": round(statistics.median(times), 1), "p95_ms": round(p95(times), 1),
                          "changes": [c.summary for c in diff.changes] if diff else []}
        result["pairs"][name] = row
    if args.picture:
        with tempfile.TemporaryDirectory() as tmp:
            before, after = Path(tmp) / "before.png", Path(tmp) / "after.png"
            base.save(before)
            changed.save(after)
            subprocess.run([sys.executable, "-m", "agent.cli", "diff", str(before), str(after), "--out",
                            args.picture], check=False, cwd=ROOT)
        result["picture"] = args.picture
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
