"""How fast the `ocr` backend reads the demo site on this machine; prints one JSON object.

    python bench/ocr_latency.py [--repeat 5] [--pages login.html,settings.html] [--dpr2]

- model_load_s: building the RapidOCR engine (both ONNX models) in this fresh process;
- per page (1280x800 screenshots of every page in scenarios/site): cold parse latency (the cache
  cleared before each of `--repeat` runs) median and P95, element count;
- all_pages: median and P95 over every cold parse; cached_locate_ms: median of `locate` on a
  screenshot already parsed (the cache hit path: hash + grounding);
- peak_rss_mb: this Python process's peak resident memory (the browser is a separate process);
- with --dpr2, the same for 2560x1600 (device scale factor 2) screenshots.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from browser.launch import launch_browser, shared_playwright  # noqa: E402
from browser.serve import serve_folder  # noqa: E402
from vision.ocr import OcrBackend  # noqa: E402
from vision.ocr.text import engine_load_seconds, get_engine  # noqa: E402

SITE = ROOT / "scenarios" / "site"


def screenshots(pages: list[str], scale: float) -> dict[str, Image.Image]:
    shots = {}
    with serve_folder(SITE) as url, shared_playwright() as pw:
        browser = launch_browser(pw)
        try:
            for name in pages:
                ctx = browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=scale)
                page = ctx.new_page()
                page.goto(f"{url}/{name}", wait_until="networkidle")
                page.wait_for_timeout(150)
                shots[name] = Image.open(io.BytesIO(page.screenshot(animations="disabled"))).convert("RGB")
                ctx.close()
        finally:
            browser.close()
    return shots


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def measure(backend: OcrBackend, shots: dict[str, Image.Image], repeat: int) -> dict:
    per_page, every = {}, []
    for name, img in shots.items():
        times = []
        for _ in range(repeat):
            backend.clear_cache()
            start = time.perf_counter()
            parse = backend.parse(img)
            times.append(time.perf_counter() - start)
        every += times
        per_page[name] = {"median_s": round(statistics.median(times), 3), "p95_s": round(p95(times), 3),
                          "elements": len(parse.elements)}
    # Cached locate: the parse is in the cache; a lookup costs hashing the pixels plus grounding.
    locate_ms = []
    for img in shots.values():
        parse = backend.parse(img)
        named = [e for e in parse.elements if e.name][:5]
        for e in named:
            start = time.perf_counter()
            backend.locate(img, f'"{e.name}"')
            locate_ms.append(1000 * (time.perf_counter() - start))
    return {"pages": per_page,
            "all_pages": {"median_s": round(statistics.median(every), 3), "p95_s": round(p95(every), 3),
                          "parses": len(every)},
            "cached_locate_ms": {"median": round(statistics.median(locate_ms), 2) if locate_ms else None,
                                 "p95": round(p95(locate_ms), 2) if locate_ms else None,
                                 "lookups": len(locate_ms)}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="cold parses per page (default 5)")
    ap.add_argument("--pages", default="", help="comma-separated page names (default: every page)")
    ap.add_argument("--dpr2", action="store_true", help="also measure 2560x1600 (DPR 2) screenshots")
    args = ap.parse_args()
    pages = [p for p in args.pages.split(",") if p] or sorted(p.name for p in SITE.glob("*.html"))

    shots = screenshots(pages, 1)
    get_engine()  # the first use builds the engine: that is the model load time
    backend = OcrBackend()
    out = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                       "load_avg_1m": round(os.getloadavg()[0], 2)},
           "model_load_s": round(engine_load_seconds() or 0.0, 3),
           "repeat": args.repeat, "dpr1_1280x800": measure(backend, shots, args.repeat)}
    if args.dpr2:
        out["dpr2_2560x1600"] = measure(backend, screenshots(pages, 2), args.repeat)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
