"""Per-step latency over scenarios, cold and warm, split into screenshot, stability wait, vision and action.

    python bench/step_latency.py [scenarios/] [--runs 1] [--backend ocr] [--json] [--no-spinner]

Runs the scenarios through the same code as `pagesight run`, twice: `cold` (an empty locator cache in a
temporary folder, which the run fills) and `warm` (that cache read back). Prints JSON: for each, the
median and P95 step, each phase's share of the time, the incremental parse's work (share of the text
recognised per parse, fallbacks to a full parse) and the cache's hits, misses and heals; `same_results`
(every scenario and step passed or failed alike in both); and a spinner page: the same clicks on
tests/pages/speed/counter.html with and without an infinite spinner and a 100 ms clock.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agent.engine import overlap  # noqa: E402
from agent.engine.scenarios import RunOptions, run_scenarios  # noqa: E402
from agent.language.scenario import discover, load_all, parse_scenario  # noqa: E402
from vision.ocr.incremental import STATS  # noqa: E402

PHASES = ("screenshot", "stability", "vision", "action")
SPIN_PAGE = ROOT / "tests" / "pages" / "speed"


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def block(results: list, wall: float) -> dict:
    """Step median/P95, phase shares, incremental-parse work and cache counts of one pass."""
    steps = [s for r in results for s in r.steps]
    total = [s.duration_s for s in steps] or [0.0]
    grand = sum(total) or 1.0
    phases = {p: round(sum(s.timings.get(p, 0.0) for s in steps) / grand, 3) for p in PHASES}
    phases["other"] = round(1 - sum(phases.values()), 3)
    cache = [s.cache for s in steps]
    stillness = [o for s in steps for o in s.stillness]
    return {
        "scenarios": len(results), "failed_scenarios": sum(r.status == "failed" for r in results),
        "steps": len(steps), "wall_s": round(wall, 2),
        "step_median_s": round(statistics.median(total), 3), "step_p95_s": round(pct(total, 95), 3),
        "phase_share": phases,
        "parse": STATS.to_json(),
        "cache": {"hits": cache.count("hit"), "misses": cache.count("miss") + cache.count("healed"),
                  "heals": cache.count("healed"), "new": cache.count("new")},
        "stillness": {k: stillness.count(k) for k in sorted(set(stillness))},
        # first looks located while the stillness wait confirmed them: answer used, or dropped (screen changed)
        "overlap": overlap.STATS.to_json(),
    }


def outcome(results: list) -> list:
    return [(r.file, r.status, [s.status for s in r.steps]) for r in results]


def one_pass(scenarios: list, backend: str, cache_dir: Path, report: Path,
             options: dict) -> tuple[list, float]:
    STATS.reset()
    overlap.STATS.reset()
    t0 = time.perf_counter()
    results = run_scenarios(scenarios, RunOptions(backend=backend, report_dir=report, cache="read-write",
                                                  cache_dir=cache_dir, backend_options=options))
    return results, time.perf_counter() - t0


def spinner(backend: str, tmp: Path) -> dict:
    """Three clicks on a still page and on the same page with an infinite spinner and a 100 ms clock."""
    out = {}
    for name, query in (("still", ""), ("spinner", "?busy=1")):
        text = (f"name: counter {name}\nserve: {SPIN_PAGE}\nurl: /counter.html{query}\nsteps:\n"
                + '  - click: \'"Refresh" button\'\n' * 3 + "  - assert: {visible: 'Clicks: 3'}\n")
        sc = parse_scenario(text, tmp / f"spin-{name}.yaml")
        results = run_scenarios([sc], RunOptions(backend=backend, report_dir=tmp / name, cache="off"))
        steps = [s.duration_s for r in results for s in r.steps]
        outcomes = [o for r in results for s in r.steps for o in s.stillness]
        out[name] = {"status": results[0].status, "step_median_s": round(statistics.median(steps), 3),
                     "stability_s": round(sum(s.timings.get("stability", 0.0) for r in results for s in r.steps), 3),
                     "stillness": {k: outcomes.count(k) for k in sorted(set(outcomes))}}
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*", default=[str(ROOT / "scenarios")])
    ap.add_argument("--runs", type=int, default=1, help="cold+warm pairs; each pair starts with an empty cache")
    ap.add_argument("--backend", default="ocr")
    ap.add_argument("--json", action="store_true", help="JSON only (the default output is JSON too)")
    ap.add_argument("--no-spinner", action="store_true", help="skip the spinner-page measurement")
    ap.add_argument("--incremental", action="store_true", help="the ocr backend's incremental parse on (default)")
    ap.add_argument("--no-incremental", action="store_true", help="every line of every screen recognised")
    args = ap.parse_args()
    scenarios = load_all(discover(args.paths))
    cold, warm, same = [], [], True
    options = {"incremental": 0 if args.no_incremental else 1} if args.backend == "ocr" else {}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            cache_dir = Path(tmp) / f"cache{i}"
            c, cw = one_pass(scenarios, args.backend, cache_dir, Path(tmp) / f"cold{i}", options)
            cold.append(block(c, cw))
            w, ww = one_pass(scenarios, args.backend, cache_dir, Path(tmp) / f"warm{i}", options)
            warm.append(block(w, ww))
            same = same and outcome(c) == outcome(w)
        spin = None if args.no_spinner else spinner(args.backend, Path(tmp))
    out = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "load_avg": [round(v, 2) for v in os.getloadavg()]},
        "backend": args.backend, "backend_options": options, "paths": args.paths, "runs": args.runs,
        "cold": cold[0] if len(cold) == 1 else cold, "warm": warm[0] if len(warm) == 1 else warm,
        "same_results": same,
        "spinner_page": spin,
    }
    print(json.dumps(out, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
