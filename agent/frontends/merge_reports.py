"""`pagesight merge-reports DIR... --report OUT`: shards' reports joined into one.

As Playwright's merge-reports joins its shards' blob reports, this reads each shard's results.json
(which holds every step and the relative path of every image), copies the images into OUT/steps/
(renamed only where two shards used one name for different files), and writes one index.html,
results.json and junit.xml with the same writers a run uses, scenarios in the order of the whole run.
"""

from __future__ import annotations

import filecmp
import json
import shutil
from pathlib import Path

from agent.engine.records import INTERRUPTED, ScenarioResult
from agent.frontends.report import write_all
from agent.frontends.report_folder import ReportFolderError, claim, release

__all__ = ["merge_reports", "read_report"]


def read_report(folder: Path) -> dict:
    """A report's results.json; ReportFolderError (one line) when it has none or it is not ours."""
    path = folder / "results.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReportFolderError(f"{folder} is not a pagesight report (no results.json): give the folders "
                                "that `pagesight run --shard i/n` wrote") from None
    except (OSError, ValueError) as e:
        raise ReportFolderError(f"{path} cannot be read ({e}); was that run interrupted while writing?") from None
    if not isinstance(data, dict) or not isinstance(data.get("scenarios"), list):
        raise ReportFolderError(f"{path} is not a pagesight results.json")
    return data


class _Images:
    """Copies images into OUT/steps, keeping names unless two different files share one."""

    def __init__(self, out: Path):
        self.steps = out / "steps"
        self.copied: dict[Path, Path] = {}

    def copy(self, source_root: Path, rel: str | None, shard: int) -> str | None:
        if not rel:
            return None
        src = (source_root / rel).resolve()
        if src in self.copied:
            return str(self.copied[src])
        if not src.is_file():
            return None  # the shard lost it (interrupted while writing): the step keeps its text
        self.steps.mkdir(parents=True, exist_ok=True)
        dest = self.steps / src.name
        if dest.exists() and not filecmp.cmp(src, dest, shallow=False):
            dest = self.steps / f"shard{shard}-{src.name}"
        shutil.copy2(src, dest)
        self.copied[src] = dest
        return str(dest)


def merge_reports(folders: list[Path], out: Path) -> tuple[Path, list[ScenarioResult]]:
    """Merge the reports in `folders` into `out`; returns index.html's path and the merged results."""
    reports = [(f, read_report(f)) for f in folders]  # every input checked before OUT is touched
    out_resolved = out.resolve()
    for f, _ in reports:
        if f.resolve() == out_resolved:
            raise ReportFolderError(f"--report {out} is one of the reports to merge; write the merge elsewhere")
    claim(out)
    try:
        images = _Images(out)
        results: list[ScenarioResult] = []
        interrupted = False
        for shard, (folder, data) in enumerate(reports, 1):
            interrupted = interrupted or bool(data.get("interrupted"))
            for item in data["scenarios"]:
                result = ScenarioResult.from_json(item)
                for one in [result, *result.attempts]:
                    for step in one.steps:
                        step.before = images.copy(folder, step.before, shard)
                        step.after = images.copy(folder, step.after, shard)
                results.append(result)
        _unique_numbers(results)
        results.sort(key=lambda r: r.number)
        interrupted = interrupted or any(r.status == INTERRUPTED for r in results)
        index = write_all(results, out, interrupted=interrupted, title="pagesight report (merged)")
    finally:
        release(out)
    return index, results


def _unique_numbers(results: list[ScenarioResult]) -> None:
    """Shards of one run have distinct numbers; reports of different runs may not: renumber those after."""
    seen: set[int] = set()
    top = max((r.number for r in results), default=0)
    for r in results:
        if r.number in seen or r.number <= 0:
            top += 1
            r.number = top
        seen.add(r.number)
