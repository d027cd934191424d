"""index.html: a summary table first (status, steps, time, a link to each scenario), failures first,
then one section per scenario with its steps; a failure's annotated screenshot leads its section.

Anchors are the scenarios' keys (`03-dashboard-menu`: no spaces). Images are linked, never inlined.
"""

from __future__ import annotations

import os
import time
from html import escape
from pathlib import Path
from typing import Any

from agent.engine.records import FAILED, FLAKY, INTERRUPTED, PASSED, SKIPPED, ScenarioResult

__all__ = ["render", "ORDER", "rel_path"]

ORDER = {INTERRUPTED: 0, FAILED: 1, FLAKY: 2, PASSED: 3, SKIPPED: 4}  # what needs a look comes first

CSS = """
body{font:14px/1.45 system-ui,"Noto Sans","Noto Sans CJK SC",sans-serif;margin:0;background:#f5f6f8;color:#1d2330}
header{background:#1d2330;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}
main{padding:16px 24px}.sum span{margin-right:16px}.passed{color:#137333}.failed,.interrupted{color:#c5221f}
.flaky{color:#b06000}.skipped{color:#777}.banner{background:#c5221f;color:#fff;padding:8px 24px}
section{background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002;margin:16px 0;padding:12px 16px}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e3e5e8;padding:6px 8px;text-align:left;vertical-align:top}
.shots img{max-width:420px;border:1px solid #ccd;margin:4px 8px 4px 0}.err{white-space:pre-wrap;color:#c5221f}
.failshot img{max-width:100%;border:2px solid #c5221f}
code{background:#eef0f3;padding:1px 4px;border-radius:3px}.small{color:#666;font-size:12px}
"""


def rel_path(path: str | None, root: Path) -> str | None:
    """An image's path relative to the report folder, with '/' (what the HTML and results.json hold)."""
    if not path:
        return None
    return os.path.relpath(Path(path).resolve(), root.resolve()).replace(os.sep, "/")


def _img(path: str | None, root: Path, alt: str) -> str:
    rel = rel_path(path, root)
    if not rel:
        return ""
    return f'<a href="{escape(rel)}"><img src="{escape(rel)}" alt="{escape(alt)}" loading="lazy"></a>'


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
    shots = _img(step.before, root, f"step {step.index} before") + _img(step.after, root, f"step {step.index} after")
    line = f" <span class=small>line {step.line}</span>" if step.line else ""
    return (f'<tr><td>{step.index}</td><td class="{step.status}">{step.status}</td>'
            f"<td><b>{escape(step.description)}</b>{line}{extra}<div class=shots>{shots}</div></td>"
            f"<td>{step.duration_s:.2f}s<div class=small>{escape(timings)}</div></td></tr>")


def _steps_table(r: ScenarioResult, root: Path) -> str:
    if not r.steps:
        return ""
    rows = "".join(_step_row(s, root) for s in r.steps)
    return f"<table><tr><th>#</th><th>status</th><th>step</th><th>time</th></tr>{rows}</table>"


def _done(r: ScenarioResult) -> str:
    return f"{sum(s.status == PASSED for s in r.steps)}/{len(r.steps)}"


def _summary_table(results: list[ScenarioResult]) -> str:
    rows = "".join(
        f'<tr><td class="{r.status}">{r.status}</td><td><a href="#{r.key}">{escape(r.name)}</a></td>'
        f"<td>{_done(r)}</td><td>{r.duration_s:.1f}s</td><td class=small>{escape(r.file)}"
        + (f" · {len(r.attempts) + 1} tries" if r.attempts else "") + "</td></tr>"
        for r in results)
    return (f'<section id="summary"><table><tr><th>status</th><th>scenario</th><th>steps</th><th>time</th>'
            f"<th>file</th></tr>{rows}</table></section>")


def _section(r: ScenarioResult, root: Path) -> str:
    parts = [f'<section id="{r.key}"><h2 class="{r.status}">{escape(r.name)} — {r.status}</h2>'
             f"<div class=small>{escape(r.file)} · {escape(r.url)} · backend {escape(r.backend)} · "
             f'{r.duration_s:.2f}s · <a href="#summary">back to the summary</a></div>']
    if r.error:
        parts.append(f'<div class="err">{escape(r.error)}</div>')
    failed = r.failed_step
    if failed is not None and failed.before:
        parts.append(f'<div class=failshot>{_img(failed.before, root, f"step {failed.index}: {failed.description}")}'
                     "</div>")
    parts.append(_steps_table(r, root))
    for n, attempt in enumerate(r.attempts, 1):
        parts.append(f"<details><summary class=failed>try {n} of {len(r.attempts) + 1}: {attempt.status} — "
                     f"{escape(attempt.error)}</summary>{_steps_table(attempt, root)}</details>")
    parts.append("</section>")
    return "".join(parts)


def render(results: list[ScenarioResult], root: Path, *, title: str = "pagesight report",
           interrupted: bool = False) -> str:
    ordered = sorted(results, key=lambda r: (ORDER.get(r.status, 9), r.number))
    counts = {s: sum(r.status == s for r in results) for s in ORDER}
    total = sum(r.duration_s for r in results)
    sums = "".join(f'<span class="{s}">{n} {s}</span>' for s, n in counts.items() if n or s in (PASSED, FAILED))
    parts = [f"<!doctype html><html><head><meta charset=utf-8><title>{escape(title)}</title>",
             f"<style>{CSS}</style></head><body><header><h1>{escape(title)}</h1>",
             f"<div class=sum>{sums}<span>{total:.1f}s</span><span>{time.strftime('%Y-%m-%d %H:%M:%S')}</span>"
             "</div></header>"]
    if interrupted:
        parts.append("<div class=banner>This run was interrupted: the report holds what finished.</div>")
    parts.append("<main>")
    parts.append(_summary_table(ordered))
    parts.extend(_section(r, root) for r in ordered)
    parts.append("</main></body></html>")
    return "".join(parts)
