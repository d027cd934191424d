"""`pagesight bench grounding`: how often `locate` lands on the element a person meant.

For every page: a stable screenshot, then the ground truth read from the DOM (agent.dom_truth) turned
into the targets a person would write; each target goes to the backend's `locate`, and a hit is a point
inside the element's true CSS box (2 px tolerance). It measures and reports; it never fails a run.
"""

from __future__ import annotations

import math
import os
import re
import statistics
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import click

from agent.dom_truth import KIND_WORDS, PageTruth, Target, collect_truth, describe_targets
from agent.errors import BackendUnavailable, BrowserError, PagesightError

__all__ = ["run_grounding_bench", "page_urls", "folder_pages", "hit_test", "percentile", "QueryResult",
           "PageResult", "summarize", "TOLERANCE"]

ROOT = Path(__file__).resolve().parent.parent
DEMO_SITE = ROOT / "scenarios" / "site"
TOLERANCE = 2.0  # CSS px: a point on the border of the true box still counts
_IFRAME_SRC = re.compile(r"<i?frame\b[^>]*?\bsrc\s*=\s*[\"']([^\"'#?]+)", re.I)

Box = tuple[float, float, float, float]


class BadInput(Exception):
    """A source the bench cannot measure: exit 2 with one line."""


@dataclass
class QueryResult:
    query: str
    kind: str
    name: str
    truth_box: list[float]
    hit: bool
    found: bool
    locate_ms: float
    disabled: bool = False
    name_source: str = ""                     # where the DOM name came from: text, label, placeholder...
    point: list[float] | None = None           # CSS px
    found_kind: str = ""
    found_text: str = ""
    found_box: list[float] | None = None      # CSS px
    candidates: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""


@dataclass
class PageResult:
    page: str
    url: str
    chinese: bool
    settled: bool
    parse_s: float | None                     # None when the backend could not parse the page
    skipped: dict[str, int]
    results: list[QueryResult]
    parse_error: str = ""


# ------------------------------------------------------------------------------------------ sources

def folder_pages(folder: Path) -> list[str]:
    """The pages to measure in a folder: every *.html, sorted, but not index.html nor iframe content."""
    pages = sorted(p.name for p in folder.glob("*.html") if p.is_file())
    framed: set[str] = set()
    for name in pages:
        text = (folder / name).read_text(encoding="utf-8", errors="replace")
        framed.update(Path(src).name for src in _IFRAME_SRC.findall(text) if "//" not in src)
    return [n for n in pages if n != "index.html" and not n.startswith("frame-") and n not in framed]


def _demo_site() -> str:
    rel = os.path.relpath(DEMO_SITE)
    return rel if not rel.startswith("..") else str(DEMO_SITE)


def page_urls(sources: list[str], stack: ExitStack) -> list[tuple[str, str]]:
    """(label, URL) for every page; folders and HTML files are served on a free localhost port."""
    from browser.serve import serve_folder

    pages: list[tuple[str, str]] = []
    for source in sources or [_demo_site()]:
        if re.match(r"^(https?|file)://", source, re.I):
            pages.append((source, source))
            continue
        path = Path(source)
        if path.is_dir():
            names = folder_pages(path)
            if not names:
                raise BadInput(f"{source}: no pages to measure (no *.html other than index.html and iframe content)")
            labels = [f"{source.rstrip('/')}/{n}" for n in names]
        elif path.is_file() and path.suffix.lower() in (".html", ".htm"):
            path, names, labels = path.parent, [path.name], [source]
        else:
            raise BadInput(f"{source}: not a URL (http://, https://, file://), a folder or an .html file")
        base = stack.enter_context(serve_folder(path))
        pages.extend((label, f"{base}/{quote(n)}") for label, n in zip(labels, names, strict=True))
    return pages


# ------------------------------------------------------------------------------------------ maths

def hit_test(point: tuple[float, float], rects: tuple[Box, ...] | list[Box], tolerance: float = TOLERANCE) -> bool:
    """True when the point lies in one of the rects, each grown by `tolerance` on every side."""
    x, y = point
    return any(x1 - tolerance <= x <= x2 + tolerance and y1 - tolerance <= y <= y2 + tolerance
               for x1, y1, x2, y2 in rects)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (the smallest value with at least q% of the values at or below it)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def _rate(hits: int, total: int) -> dict[str, Any]:
    return {"hits": hits, "total": total, "rate": round(100 * hits / total, 1) if total else None}


def _by_kind(results: list[QueryResult]) -> dict[str, dict[str, Any]]:
    return {k: _rate(sum(r.hit for r in results if r.kind == k), sum(r.kind == k for r in results))
            for k in KIND_WORDS if any(r.kind == k for r in results)}


def summarize(pages: list[PageResult]) -> dict[str, Any]:
    """Overall figures: per kind, all text-bearing targets, English vs Chinese pages, latencies."""
    everything = [r for p in pages for r in p.results]
    en = [r for p in pages if not p.chinese for r in p.results]
    zh = [r for p in pages if p.chinese for r in p.results]
    skipped: dict[str, int] = {}
    for p in pages:
        for why, n in p.skipped.items():
            skipped[why] = skipped.get(why, 0) + n
    locate_ms = [r.locate_ms for r in everything if not r.error]
    parse_s = [p.parse_s for p in pages if p.parse_s is not None]
    return {
        "pages": len(pages),
        "by_kind": _by_kind(everything),
        "text_bearing": _rate(sum(r.hit for r in everything), len(everything)),
        "english": {"pages": sum(not p.chinese for p in pages), **_rate(sum(r.hit for r in en), len(en))},
        "chinese": {"pages": sum(p.chinese for p in pages), **_rate(sum(r.hit for r in zh), len(zh))},
        "skipped": skipped,
        "parse_s": {"median": _round(statistics.median(parse_s), 3) if parse_s else None,
                    "max": _round(max(parse_s), 3) if parse_s else None},
        "locate_ms": {"n": len(locate_ms),
                      "median": _round(statistics.median(locate_ms), 2) if locate_ms else None,
                      "p95": _round(percentile(locate_ms, 95), 2) if locate_ms else None},
    }


def _round(v: float, n: int) -> float:
    return round(float(v), n)


# ------------------------------------------------------------------------------------------ measuring

def _css_box(box: Any, scale: float) -> list[float]:
    from browser.screenshot import to_css

    x1, y1 = to_css((box[0], box[1]), scale)
    x2, y2 = to_css((box[2], box[3]), scale)
    return [round(x1, 1), round(y1, 1), round(x2, 1), round(y2, 1)]


def _ask(vision: Any, image: Any, target: Target, scale: float) -> QueryResult:
    from browser.screenshot import to_css

    e = target.element
    result = QueryResult(target.query, e.kind, e.name, [round(v, 1) for v in e.box], False, False, 0.0,
                         e.disabled, e.source)
    start = time.perf_counter()
    try:
        loc = vision.locate(image, target.query)
    except BackendUnavailable:
        raise
    except PagesightError as exc:  # a backend that cannot answer this one: a miss, with the reason
        result.locate_ms = (time.perf_counter() - start) * 1000
        result.error = str(exc).splitlines()[0]
        return result
    result.locate_ms = round((time.perf_counter() - start) * 1000, 2)
    if loc.found and loc.point is not None:
        x, y = to_css(loc.point, scale)
        result.found, result.point = True, [round(x, 1), round(y, 1)]
        result.hit = hit_test((x, y), e.rects)
        if loc.element is not None:
            result.found_kind, result.found_text = loc.element.kind, loc.element.name
            result.found_box = _css_box(loc.element.box, scale)
    else:
        result.candidates = [{"kind": c.kind, "text": c.name, "box": _css_box(c.box, scale)}
                             for c in loc.candidates[:3]]
    return result


def _measure_page(session: Any, vision: Any, label: str, url: str) -> PageResult:
    try:
        status = session.goto(url)
    except BrowserError as exc:  # it already names the URL and the browser's reason
        raise BadInput(str(exc).splitlines()[0]) from exc
    if status is not None and status >= 400:
        raise BadInput(f"cannot open {url}: HTTP {status}")
    shot = session.stable_screenshot(timeout=5.0)
    settled = session.last_wait is None or session.last_wait.still
    truth: PageTruth = collect_truth(session.page)
    image = shot.image
    if hasattr(vision, "clear_cache"):
        vision.clear_cache()  # the parse timed below must be a cold one
    start = time.perf_counter()
    parse_s: float | None = None
    parse_error = ""
    try:
        vision.parse(image)
        parse_s = round(time.perf_counter() - start, 3)
    except BackendUnavailable:
        raise
    except PagesightError as exc:
        parse_error = str(exc).splitlines()[0]
    results = [_ask(vision, image, t, shot.scale) for t in describe_targets(truth)]
    return PageResult(label, url, truth.chinese, settled, parse_s, truth.skipped, results, parse_error)


def run_grounding_bench(sources: list[str], backend: Any = None, as_json: bool = False,
                        viewport: tuple[int, int] = (1280, 800)) -> int:
    """Measure and print; 0 when it ran, 2 on bad input. `backend`: a name, None (default) or an instance."""
    from browser.session import BrowserSession
    from vision.backend import VisionBackend, load_backend

    owned = not isinstance(backend, VisionBackend)
    vision = load_backend(backend) if owned else backend
    load_s = 0.0
    pages: list[PageResult] = []
    try:
        with ExitStack() as stack:
            urls = page_urls(sources, stack)
            if hasattr(vision, "warm_up"):  # loading models is not parsing: time it on its own
                start = time.perf_counter()
                vision.warm_up()
                load_s = time.perf_counter() - start
            session = stack.enter_context(BrowserSession(viewport=viewport, scale=1))
            for label, url in urls:
                pages.append(_measure_page(session, vision, label, url))
    except BadInput as exc:
        click.echo(f"error: {exc}", err=True)
        return 2
    finally:
        if owned:
            vision.close()
    summary = summarize(pages)
    meta = {"backend": getattr(vision, "name", type(vision).__name__), "viewport": list(viewport),
            "backend_load_s": round(load_s, 3), "tolerance_px": TOLERANCE}
    if as_json:
        import json

        data = {**meta, "overall": summary, "pages": [asdict(p) for p in pages]}
        click.echo(json.dumps(data, ensure_ascii=False))
    else:
        print_report(meta, summary, pages)
    return 0


# ------------------------------------------------------------------------------------------ report

def _fmt_rate(r: dict[str, Any]) -> str:
    pct = f"{r['rate']:.1f}%" if r["rate"] is not None else "-"
    return f"{r['hits']:>4}/{r['total']:<5} {pct:>6}"


def _kind_table(by_kind: dict[str, dict[str, Any]], indent: str = "  ") -> list[str]:
    lines = [f"{indent}{'kind':10} {'hits/total':10} {'rate':>6}"]
    lines += [f"{indent}{kind:10} {_fmt_rate(r)}" for kind, r in by_kind.items()]
    return lines


def _box(b: list[float] | None) -> str:
    return "[" + ", ".join(f"{v:g}" for v in b) + "]" if b else "?"


def _miss_line(r: QueryResult) -> str:
    head = f"{r.query}{' (disabled)' if r.disabled else ''} — true box {_box(r.truth_box)}: "
    if r.error:
        return head + f"error: {r.error}"
    if r.found:
        return head + (f"found {r.found_kind or '?'} {r.found_text!r} box {_box(r.found_box)} "
                       f"at ({r.point[0]:g}, {r.point[1]:g})" if r.point else "found, no point")
    near = "; ".join(f"{c['kind']} {c['text']!r} {_box(c['box'])}" for c in r.candidates) or "nothing similar"
    return head + f"not found (nearest: {near})"


def _skips(skipped: dict[str, int]) -> str:
    return "; ".join(f"{n} {why}" for why, n in sorted(skipped.items(), key=lambda kv: -kv[1])) or "none"


def print_report(meta: dict[str, Any], summary: dict[str, Any], pages: list[PageResult]) -> None:
    """The human form: per page, then overall."""
    out = click.echo
    out(f"pagesight bench grounding: backend {meta['backend']}, viewport {meta['viewport'][0]}x"
        f"{meta['viewport'][1]}, a hit is locate's point inside the DOM box ±{meta['tolerance_px']:g} px")
    if meta["backend_load_s"]:
        out(f"backend load: {meta['backend_load_s']:.2f} s (not counted in parse)")
    for p in pages:
        hits = sum(r.hit for r in p.results)
        out("")
        parsed = f"parse {p.parse_s:.2f} s (cold)" if p.parse_s is not None else f"parse failed: {p.parse_error}"
        out(f"{p.page}  [{'Chinese' if p.chinese else 'English'}]  {hits}/{len(p.results)} hit, "
            f"{parsed}{'' if p.settled else '  (page never settled in 5 s)'}")
        if p.results:
            out("\n".join(_kind_table(_by_kind(p.results))))
        out(f"  not measured: {_skips(p.skipped)}")
        misses = [r for r in p.results if not r.hit]
        for r in misses:
            out(f"  MISS {_miss_line(r)}")
    s = summary
    out("")
    out(f"overall: {s['pages']} page(s), {s['text_bearing']['total']} text-bearing targets")
    out("\n".join(_kind_table(s["by_kind"])))
    out(f"  {'all':10} {_fmt_rate(s['text_bearing'])}   text-bearing targets")
    out(f"  {'English':10} {_fmt_rate(s['english'])}   on {s['english']['pages']} English page(s)")
    out(f"  {'Chinese':10} {_fmt_rate(s['chinese'])}   on {s['chinese']['pages']} Chinese page(s)")
    if s["parse_s"]["median"] is not None:
        out(f"  parse per page (cold, before any locate): median {s['parse_s']['median']:.2f} s, "
            f"max {s['parse_s']['max']:.2f} s")
    if s["locate_ms"]["n"]:
        out(f"  locate per query (parse cached): median {s['locate_ms']['median']:.1f} ms, "
            f"P95 {s['locate_ms']['p95']:.1f} ms over {s['locate_ms']['n']} queries")
    out(f"  not measured: {_skips(s['skipped'])}")
