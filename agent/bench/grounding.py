"""`pagesight bench grounding`: how often `locate` lands on the element a person meant.

For every page: a stable screenshot, then the ground truth read from the DOM (agent.bench.dom_truth) turned
into the targets a person would write; each target goes to the backend's `locate`, and a hit is a point
inside the element's true CSS box (2 px tolerance). Pages may be measured over several scrolled screens
(the corpus: up to 3); each miss gets a failure class and an annotated picture (agent.bench.misses).
It measures and reports; it never fails a run.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import click

from agent.bench.corpus import CORPUS_MANIFEST, PageSpec, go_offline, manifest_pages
from agent.bench.dom_truth import (
    KIND_WORDS,
    PageTruth,
    TruthElement,
    TruthTarget,
    collect_truth,
    describe_targets,
)
from agent.bench.misses import classify_miss, miss_image
from agent.bench.report import percentile, print_report, summarize
from agent.errors import BackendUnavailable, BrowserError, PagesightError
from pagesight_errors import BadInput  # in the one error tree; exit 2 with one line

__all__ = ["run_grounding_bench", "page_urls", "folder_pages", "hit_test", "percentile", "QueryResult",
           "PageResult", "summarize", "TOLERANCE", "CORPUS_MANIFEST"]

ROOT = Path(__file__).resolve().parents[2]  # the repository: this file is agent/bench/<name>.py
DEMO_SITE = ROOT / "scenarios" / "site"
TOLERANCE = 2.0  # CSS px: a point on the border of the true box still counts
_IFRAME_SRC = re.compile(r"<i?frame\b[^>]*?\bsrc\s*=\s*[\"']([^\"'#?]+)", re.I)

Box = tuple[float, float, float, float]


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
    ordinal: int = 0                          # 0: a plain target; n: "the n-th ..."
    chinese: bool = False                     # the target is written in Chinese
    screen: int = 1                           # 1: as loaded; 2, 3: after scrolling one viewport each
    failure: str = ""                         # a miss's failure class (agent.bench.misses)
    miss_image: str = ""


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
    screens: int = 1
    viewport: list[int] | None = None
    icon_only: int = 0                        # controls with no visible text: listed, not measured


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
            raise BadInput(f"{source}: not a URL (http://, https://, file://), a folder, an .html file "
                           "or a corpus manifest (.json)")
        base = stack.enter_context(serve_folder(path))
        pages.extend((label, f"{base}/{quote(n)}") for label, n in zip(labels, names, strict=True))
    return pages


def _page_specs(sources: list[str], stack: ExitStack) -> tuple[list[PageSpec], dict[str, Path]]:
    """Pages from URLs, folders, HTML files and corpus manifests; routes only where a manifest is given."""
    specs: list[PageSpec] = []
    routes: dict[str, Path] | None = None
    plain = [s for s in sources if not s.lower().endswith(".json")]
    for source in sources:
        if source.lower().endswith(".json"):
            pages, more = manifest_pages(Path(source), stack)
            specs += pages
            routes = {**(routes or {}), **more}
    if plain or not sources:
        specs += [PageSpec(label, url) for label, url in page_urls(plain, stack)]
    return specs, routes if routes is not None else {}


# ------------------------------------------------------------------------------------------ measuring

def hit_test(point: tuple[float, float], rects: tuple[Box, ...] | list[Box], tolerance: float = TOLERANCE) -> bool:
    """True when the point lies in one of the rects, each grown by `tolerance` on every side."""
    x, y = point
    return any(x1 - tolerance <= x <= x2 + tolerance and y1 - tolerance <= y <= y2 + tolerance
               for x1, y1, x2, y2 in rects)


def _css_box(box: Any, scale: float) -> list[float]:
    from browser.screenshot import to_css

    x1, y1 = to_css((box[0], box[1]), scale)
    x2, y2 = to_css((box[2], box[3]), scale)
    return [round(x1, 1), round(y1, 1), round(x2, 1), round(y2, 1)]


def _ask(vision: Any, image: Any, target: TruthTarget, scale: float) -> QueryResult:
    from browser.screenshot import to_css

    e = target.element
    result = QueryResult(target.query, e.kind, e.name, [round(v, 1) for v in e.box], False, False, 0.0,
                         e.disabled, e.source, ordinal=target.ordinal, chinese=target.chinese)
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
    result.candidates = [{"kind": c.kind, "text": c.name, "box": _css_box(c.box, scale)}
                         for c in loc.candidates[:3] if c is not loc.element]
    return result


# Scroll the page by one viewport height, or (a page whose body does not scroll) its largest scrolling
# box by its own height; returns how far it moved. `mode` keeps later screens on the first one's scroller.
SCROLL_JS = r"""
(mode) => {
  const se = document.scrollingElement || document.documentElement;
  if (mode !== 'box') {
    const before = se.scrollTop;
    window.scrollBy({top: innerHeight, behavior: 'instant'});
    if (se.scrollTop - before >= 1 || mode === 'window') return {mode: 'window', delta: se.scrollTop - before};
  }
  let best = null, area = 0;
  for (const el of document.querySelectorAll('body *')) {
    if (el.scrollHeight <= el.clientHeight + 1 || el.clientHeight < innerHeight / 3) continue;
    const oy = getComputedStyle(el).overflowY;
    if (oy !== 'auto' && oy !== 'scroll') continue;
    const r = el.getBoundingClientRect();
    const a = Math.max(0, Math.min(r.right, innerWidth) - Math.max(r.left, 0))
      * Math.max(0, Math.min(r.bottom, innerHeight) - Math.max(r.top, 0));
    if (a > area) { best = el; area = a; }
  }
  if (!best) return {mode: 'box', delta: 0};
  const before = best.scrollTop;
  best.scrollBy({top: best.clientHeight, behavior: 'instant'});
  return {mode: 'box', delta: best.scrollTop - before};
}
"""


def _sig(e: TruthElement) -> tuple[str, str]:
    return (KIND_WORDS.get(e.kind, (e.kind,))[0], e.name)


def _seen(e: TruthElement, before: list[TruthElement], dy: float) -> bool:
    """Measured on the previous screen already: the same element moved up by the scroll, or fixed."""
    def moved(b: TruthElement, d: float) -> tuple[float, ...]:
        return (b.box[0], b.box[1] - d, b.box[2], b.box[3] - d)

    return any(_sig(b) == _sig(e) and any(all(abs(u - v) <= 1.5 for u, v in zip(e.box, moved(b, d), strict=True))
                                          for d in (dy, 0.0))
               for b in before)


@dataclass
class _Run:
    vision: Any
    max_screens: int
    misses_dir: Path | None
    misses: int = 0


def _miss(run: _Run, shot: Any, result: QueryResult, target: TruthTarget, truth: PageTruth, label: str) -> None:
    result.failure = classify_miss(result, target.element, truth.elements)
    if run.misses_dir is None:
        return
    run.misses += 1
    slug = re.sub(r"[^A-Za-z0-9]+", "-", label).strip("-")[-60:]
    path = run.misses_dir / f"{run.misses:04d}-{slug}-s{result.screen}-{result.failure}.png"
    try:
        result.miss_image = str(miss_image(shot.image, shot.scale, result, target.element.rects, path))
    except OSError as exc:  # a full disk must not end the run; say so in the result
        result.miss_image = f"(not written: {exc})"


def _parse_cold(vision: Any, image: Any) -> tuple[float | None, str]:
    if hasattr(vision, "clear_cache"):
        vision.clear_cache()  # the parse timed below must be a cold one
    start = time.perf_counter()
    try:
        vision.parse(image)
        return round(time.perf_counter() - start, 3), ""
    except BackendUnavailable:
        raise
    except PagesightError as exc:
        return None, str(exc).splitlines()[0]


def _measure_page(session: Any, run: _Run, spec: PageSpec) -> PageResult:
    if "#" in spec.url:  # a hash route must load afresh, not as a same-document jump from the last page
        session.page.goto("about:blank")
    try:
        status = session.goto(spec.url)
    except BrowserError as exc:  # it already names the URL and the browser's reason
        raise BadInput(str(exc).splitlines()[0]) from exc
    if status is not None and status >= 400:
        raise BadInput(f"cannot open {spec.url}: HTTP {status}")
    page = PageResult(spec.label, spec.url, False, True, None, {}, [], viewport=list(session.viewport))
    before: list[TruthElement] = []
    mode, dy = None, 0.0
    for screen in range(1, run.max_screens + 1):
        shot = session.stable_screenshot(timeout=5.0)
        page.settled = page.settled and (session.last_wait is None or session.last_wait.still)
        truth: PageTruth = collect_truth(session.page)
        if spec.lang and not truth.lang:
            truth.lang = spec.lang
        page.chinese = page.chinese or truth.chinese or spec.lang.lower().startswith("zh")
        parse_s, error = _parse_cold(run.vision, shot.image)
        if screen == 1:
            page.parse_s, page.parse_error = parse_s, error
        for why, n in truth.skipped.items():
            page.skipped[why] = page.skipped.get(why, 0) + n
        page.icon_only += sum(not _seen(e, before, dy) for e in truth.icon_only)
        for target in describe_targets(truth):  # ordinals count over the whole screen, seen or not
            if _seen(target.element, before, dy):
                continue
            result = _ask(run.vision, shot.image, target, shot.scale)
            result.screen = screen
            if not result.hit:
                _miss(run, shot, result, target, truth, spec.label)
            page.results.append(result)
        page.screens = screen
        if screen == run.max_screens:
            break
        moved = session.page.evaluate(SCROLL_JS, mode)
        mode, dy = moved["mode"], float(moved["delta"])
        if dy < 1:
            break
        before = truth.elements + truth.icon_only
    return page


def run_grounding_bench(sources: list[str], backend: Any = None, as_json: bool = False,
                        viewport: tuple[int, int] = (1280, 800), *, corpus: bool = False,
                        screens: int | None = None, misses_dir: str | Path | None = None,
                        progress: bool = False) -> int:
    """Measure and print; 0 when it ran, 2 on bad input. `backend`: a name, None (default) or an instance.

    `corpus`: add bench/corpus/pages.json to the sources. `screens`: scrolled screens per page (default 3
    for manifests, 1 otherwise). `misses_dir`: where miss pictures go (default a new temporary folder).
    """
    from browser.session import BrowserSession
    from vision.backend import VisionBackend, load_backend

    sources = [*sources, str(CORPUS_MANIFEST)] if corpus else list(sources)
    manifest = any(s.lower().endswith(".json") for s in sources)
    folder = Path(misses_dir) if misses_dir else Path(tempfile.mkdtemp(prefix="pagesight-bench-misses-"))
    owned = not isinstance(backend, VisionBackend)
    vision = load_backend(backend) if owned else backend
    run = _Run(vision, screens or (3 if manifest else 1), folder)
    load_s = 0.0
    pages: list[PageResult] = []
    try:
        with ExitStack() as stack:
            specs, routes = _page_specs(sources, stack)
            if hasattr(vision, "warm_up"):  # loading models is not parsing: time it on its own
                start = time.perf_counter()
                vision.warm_up()
                load_s = time.perf_counter() - start
            sessions: dict[tuple[int, int], Any] = {}
            for n, spec in enumerate(specs, 1):
                size = spec.viewport or viewport
                if size not in sessions:
                    sessions[size] = stack.enter_context(BrowserSession(viewport=size, scale=1))
                    if manifest:
                        go_offline(sessions[size].page.context, routes)
                pages.append(_measure_page(sessions[size], run, spec))
                if progress:
                    p = pages[-1]
                    click.echo(f"[{n}/{len(specs)}] {p.page}: {sum(r.hit for r in p.results)}/{len(p.results)} "
                               f"hit over {p.screens} screen(s)", err=True)
    except BadInput as exc:
        click.echo(f"error: {exc}", err=True)
        return 2
    finally:
        if owned:
            vision.close()
    if not run.misses and not misses_dir:
        folder.rmdir()  # nothing missed: leave no empty temporary folder behind
    summary = summarize(pages)
    meta = {"backend": getattr(vision, "name", type(vision).__name__), "viewport": list(viewport),
            "backend_load_s": round(load_s, 3), "tolerance_px": TOLERANCE, "max_screens": run.max_screens,
            "misses_dir": str(folder) if run.misses else ""}
    if as_json:
        import json

        data = {**meta, "overall": summary, "pages": [asdict(p) for p in pages],
                "miss_images": [r.miss_image for p in pages for r in p.results if r.miss_image]}
        click.echo(json.dumps(data, ensure_ascii=False))
    else:
        print_report(meta, summary, pages)
    return 0
