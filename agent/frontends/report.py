"""The run's outputs: `index.html` for people (agent.frontends.report_html), `junit.xml` for CI,
`results.json` for tools (and for `pagesight merge-reports`, which rebuilds a report from it).

Screenshots stay separate image files under `steps/`; the HTML only links them (never base64).
Retries are written as Maven Surefire writes reruns (as Playwright's JUnit reporter does with
`includeRetries`): a flaky scenario is a passing testcase with one `<flakyFailure>` per failed try; a
scenario that failed every try has its `<failure>` and one `<rerunFailure>` per earlier try.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from agent.engine.records import FAILED, FLAKY, INTERRUPTED, PASSED, SKIPPED, ScenarioResult
from agent.frontends.report_html import rel_path as _rel
from agent.frontends.report_html import render

__all__ = ["write_report", "write_junit", "write_results_json", "write_all", "summary", "STATUSES"]

STATUSES = (PASSED, FLAKY, FAILED, INTERRUPTED, SKIPPED)


def summary(results: list[ScenarioResult]) -> dict[str, int]:
    return {s: sum(r.status == s for r in results) for s in STATUSES}


def write_all(results: list[ScenarioResult], folder: str | Path, *, interrupted: bool = False,
              shard: str | None = None, title: str = "pagesight report") -> Path:
    """index.html, results.json and junit.xml in `folder`; returns index.html's path."""
    root = Path(folder)
    write_results_json(results, root / "results.json", root, interrupted=interrupted, shard=shard)
    write_junit(results, root / "junit.xml", interrupted=interrupted)
    return write_report(results, root, title=title, interrupted=interrupted)


def write_report(results: list[ScenarioResult], folder: str | Path, *, title: str = "pagesight report",
                 interrupted: bool = False) -> Path:
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    index = root / "index.html"
    index.write_text(render(results, root, title=title, interrupted=interrupted), encoding="utf-8")
    return index


def _json(result: ScenarioResult, root: Path | None) -> dict[str, Any]:
    data = result.to_json()
    for item in [data, *data.get("attempts", [])]:
        if root is not None:
            for step in item["steps"]:
                step["before"], step["after"] = _rel(step["before"], root), _rel(step["after"], root)
    return data


def write_results_json(results: list[ScenarioResult], path: str | Path, root: Path | None = None, *,
                       interrupted: bool = False, shard: str | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = {"summary": summary(results), "interrupted": interrupted, "shard": shard,
           "scenarios": [_json(r, root) for r in results]}
    path.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _steps_text(r: ScenarioResult) -> str:
    return "\n".join(f"{s.status:11} {s.duration_s:6.2f}s  {s.description}" for s in r.steps)


def _screenshot_line(r: ScenarioResult) -> str:
    failed = r.failed_step
    return f"screenshot: {failed.before}" if failed and failed.before else ""


def write_junit(results: list[ScenarioResult], path: str | Path, *, interrupted: bool = False) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    counts = summary(results)
    suite = ET.Element("testsuite", name="pagesight", tests=str(len(results)), failures=str(counts[FAILED]),
                       errors=str(counts[INTERRUPTED]), skipped=str(counts[SKIPPED]),
                       time=f"{sum(r.duration_s for r in results):.3f}")
    if interrupted:
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", name="interrupted", value="true")
    for r in results:
        case = ET.SubElement(suite, "testcase", classname=Path(r.file).stem, name=r.name,
                             file=r.file, time=f"{r.duration_s:.3f}")
        if r.status == FAILED:
            node = ET.SubElement(case, "failure", message=r.error[:500])
            node.text = "\n".join(filter(None, [r.error, _screenshot_line(r)]))
        elif r.status == INTERRUPTED:
            node = ET.SubElement(case, "error", message=r.error[:500] or "interrupted", type="interrupted")
            node.text = r.error
        elif r.status == SKIPPED:
            ET.SubElement(case, "skipped", message=r.error)
        tag = "flakyFailure" if r.status == FLAKY else "rerunFailure"
        for attempt in r.attempts:  # earlier failed tries, as Surefire records reruns
            node = ET.SubElement(case, tag, message=attempt.error[:500], type="failed")
            ET.SubElement(node, "stackTrace").text = "\n".join(filter(None, [attempt.error,
                                                                             _screenshot_line(attempt)]))
            ET.SubElement(node, "system-out").text = _steps_text(attempt)
        ET.SubElement(case, "system-out").text = _steps_text(r)
    root = ET.Element("testsuites")
    root.append(suite)
    tree = ET.ElementTree(root)
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return path
