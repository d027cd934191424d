"""The run's outputs: `index.html` for people, `junit.xml` for CI, `results.json` for tools.

Screenshots stay separate PNG files under `steps/`; the HTML only links them (never base64).
"""

from __future__ import annotations

import json
import os
import time
from html import escape
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from agent.engine.records import FAILED, PASSED, SKIPPED, ScenarioResult

__all__ = ["write_report", "write_junit", "write_results_json"]

CSS = """
body{font:14px/1.45 system-ui,"Noto Sans","Noto Sans CJK SC",sans-serif;margin:0;background:#f5f6f8;color:#1d2330}
header{background:#1d2330;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}
main{padding:16px 24px}.sum span{margin-right:16px}.passed{color:#137333}.failed{color:#c5221f}.skipped{color:#777}
section{background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002;margin:16px 0;padding:12px 16px}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e3e5e8;padding:6px 8px;text-align:left;vertical-align:top}
.shots img{max-width:420px;border:1px solid #ccd;margin:4px 8px 4px 0}.err{white-space:pre-wrap;color:#c5221f}
code{background:#eef0f3;padding:1px 4px;border-radius:3px}.small{color:#666;font-size:12px}
"""


def _rel(path: str | None, root: Path) -> str | None:
    if not path:
        return None
    return os.path.relpath(Path(path).resolve(), root.resolve()).replace(os.sep, "/")


def _img(path: str | None, root: Path, alt: str) -> str:
    rel = _rel(path, root)
    if not rel:
        return ""
    return f'<a href="{escape(rel)}"><img src="{escape(rel)}" alt="{escape(alt)}"></a>'


def _step_row(step: Any, root: Path) -> str:
    timings = ", ".join(f"{k} {v:.2f}s" for k, v in step.timings.items())
    extra = ""
    if step.answer:
        extra += f"<div>backend: <code>{escape(step.answer)}</code></div>"
    for note in step.notes:
        extra += f'<div class="small">{escape(note)}</div>'
    if step.error:
        extra += f'<div class="err">{escape(step.error)}</div>'
    if step.candidates:
        seen = "; ".join(f"{c.get('kind')} {c.get('text')!r} {c.get('box')}" for c in step.candidates[:5])
        extra += f"<div>seen instead: {escape(seen)}</div>"
    shots = _img(step.before, root, "before") + _img(step.after, root, "after")
    return (f'<tr><td>{step.index}</td><td class="{step.status}">{step.status}</td>'
            f"<td><b>{escape(step.description)}</b>{' <span class=small>line ' + str(step.line) + '</span>' if step.line else ''}"
            f"{extra}<div class=shots>{shots}</div></td>"
            f"<td>{step.duration_s:.2f}s<div class=small>{escape(timings)}</div></td></tr>")


def write_report(results: list[ScenarioResult], folder: str | Path, *, title: str = "pagesight report") -> Path:
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    counts = {s: sum(r.status == s for r in results) for s in (PASSED, FAILED, SKIPPED)}
    total = sum(r.duration_s for r in results)
    parts = [f"<!doctype html><html><head><meta charset=utf-8><title>{escape(title)}</title>",
             f"<style>{CSS}</style></head><body><header><h1>{escape(title)}</h1>",
             f'<div class=sum><span class=passed>{counts[PASSED]} passed</span>'
             f'<span class=failed>{counts[FAILED]} failed</span><span class=skipped>{counts[SKIPPED]} skipped</span>'
             f"<span>{total:.1f}s</span><span>{time.strftime('%Y-%m-%d %H:%M:%S')}</span></div></header><main>"]
    for r in results:
        parts.append(f'<section id="{escape(r.name)}"><h2 class="{r.status}">{escape(r.name)} — {r.status}</h2>'
                     f"<div class=small>{escape(r.file)} · {escape(r.url)} · backend {escape(r.backend)} · "
                     f"{r.duration_s:.2f}s</div>")
        if r.error:
            parts.append(f'<div class="err">{escape(r.error)}</div>')
        if r.steps:
            parts.append("<table><tr><th>#</th><th>status</th><th>step</th><th>time</th></tr>")
            parts.extend(_step_row(s, root) for s in r.steps)
            parts.append("</table>")
        parts.append("</section>")
    parts.append("</main></body></html>")
    index = root / "index.html"
    index.write_text("".join(parts), encoding="utf-8")
    write_results_json(results, root / "results.json", root)
    return index


def write_results_json(results: list[ScenarioResult], path: str | Path, root: Path | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    scenarios = []
    for r in results:
        data = r.to_json()
        if root is not None:
            for step in data["steps"]:
                step["before"], step["after"] = _rel(step["before"], root), _rel(step["after"], root)
        scenarios.append(data)
    summary = {s: sum(r.status == s for r in results) for s in (PASSED, FAILED, SKIPPED)}
    path.write_text(json.dumps({"summary": summary, "scenarios": scenarios}, ensure_ascii=False, indent=2),
                    encoding="utf-8")
    return path


def write_junit(results: list[ScenarioResult], path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    suite = ET.Element("testsuite", name="pagesight", tests=str(len(results)),
                       failures=str(sum(r.status == FAILED for r in results)),
                       skipped=str(sum(r.status == SKIPPED for r in results)),
                       time=f"{sum(r.duration_s for r in results):.3f}")
    for r in results:
        case = ET.SubElement(suite, "testcase", classname=Path(r.file).stem, name=r.name,
                             file=r.file, time=f"{r.duration_s:.3f}")
        if r.status == FAILED:
            failed = r.failed_step
            node = ET.SubElement(case, "failure", message=r.error[:500])
            node.text = "\n".join(filter(None, [r.error, f"screenshot: {failed.before}" if failed and failed.before else ""]))
        elif r.status == SKIPPED:
            ET.SubElement(case, "skipped", message=r.error)
        out = "\n".join(f"{s.status:7} {s.duration_s:6.2f}s  {s.description}" for s in r.steps)
        ET.SubElement(case, "system-out").text = out
    root = ET.Element("testsuites")
    root.append(suite)
    tree = ET.ElementTree(root)
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return path
