"""Per-step latency over the example scenarios, split into screenshot, stability wait, vision and action.

    python bench/step_latency.py [scenarios/] [--runs 1] [--backend ocr]

Runs the scenarios through the same code as `pagesight run` and prints JSON: median and P95 of the
whole step and of each phase, where the time goes (share of the total), and the machine it ran on.
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

from agent.engine.scenarios import RunOptions, run_scenarios  # noqa: E402
from agent.language.scenario import discover, load_all  # noqa: E402

PHASES = ("screenshot", "stability", "vision", "action")


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*", default=[str(ROOT / "scenarios")])
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--backend", default="ocr")
    args = ap.parse_args()
    scenarios = load_all(discover(args.paths))
    steps, failed, wall = [], 0, []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as report:
            t0 = time.perf_counter()
            results = run_scenarios(scenarios, RunOptions(backend=args.backend, report_dir=Path(report)))
            wall.append(time.perf_counter() - t0)
        failed += sum(r.status == "failed" for r in results)
        steps += [s for r in results for s in r.steps]
    total = [s.duration_s for s in steps]
    phases = {p: [s.timings.get(p, 0.0) for s in steps] for p in PHASES}
    other = [s.duration_s - sum(s.timings.get(p, 0.0) for p in PHASES) for s in steps]
    grand = sum(total) or 1.0
    out = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "backend": args.backend, "runs": args.runs, "scenarios": len(scenarios), "steps": len(steps),
        "failed_scenarios": failed, "run_wall_s": [round(w, 2) for w in wall],
        "step_s": {"median": round(statistics.median(total), 3), "p95": round(pct(total, 95), 3)},
        "phases": {p: {"median": round(statistics.median(v), 3), "p95": round(pct(v, 95), 3),
                       "share": round(sum(v) / grand, 3)} for p, v in phases.items()},
        "other": {"share": round(sum(other) / grand, 3)},
        "by_step_type": {},
    }
    kinds: dict[str, list[float]] = {}
    for s in steps:
        kinds.setdefault(s.description.split()[0], []).append(s.duration_s)
    out["by_step_type"] = {k: {"n": len(v), "median": round(statistics.median(v), 3)} for k, v in sorted(kinds.items())}
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
