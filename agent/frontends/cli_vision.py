"""`pagesight parse`, `pagesight locate` and `pagesight bench`: the vision layer on the command line.

An IMAGE argument answers in its own pixels; a URL is opened in the browser and answers in CSS pixels.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from browser.screenshot import to_css_ints
from pagesight_errors import BackendUnavailable, BadImage, BrowserError, PagesightError, UnsupportedQuestion

__all__ = ["parse", "locate", "bench", "load_input"]

IMAGE_HELP = "a PNG/JPEG/WebP/BMP file, or an http(s):// or file:// URL to open in the browser"


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def _is_url(arg: str) -> bool:
    return arg.startswith(("http://", "https://", "file://"))


def load_input(arg: str, viewport: tuple[int, int] = (1280, 800), scale: float = 1.0) -> tuple[Any, float]:
    """The image to look at and the factor that turns its pixels into the caller's coordinates."""
    if _is_url(arg):
        from browser.session import BrowserSession

        try:
            with BrowserSession(viewport=viewport, scale=scale) as session:
                session.goto(arg)
                shot = session.stable_screenshot()
                return shot.image, shot.scale
        except BrowserError as exc:
            _fail(str(exc))
        except Exception as exc:  # noqa: BLE001 - Playwright's navigation errors: one clear line
            _fail(f"cannot open {arg}: {str(exc).splitlines()[0]}")
    path = Path(arg)
    if not path.exists():
        _fail(f"no such file: {arg} (give {IMAGE_HELP})")
    if path.is_dir():
        _fail(f"{arg} is a folder; give {IMAGE_HELP}")
    from PIL import UnidentifiedImageError

    from vision.types import load_image  # the one place image files become RGB (alpha, size limit)

    try:
        return load_image(path), 1.0
    except BadImage as exc:
        _fail(f"{arg}: {exc}")
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        _fail(f"cannot read {arg} as an image ({type(exc).__name__}); give {IMAGE_HELP}")
    raise AssertionError("unreachable")


def _backend(name: str | None, model: str | None):
    from vision.backend import load_backend

    try:
        return load_backend(name, **({"model": model} if model else {}))
    except BackendUnavailable as exc:
        _fail(str(exc))


_common = [
    click.option("--backend", help="ocr (default), glm, openai"),
    click.option("--model", help="model path or name for glm/openai"),
    click.option("--viewport", default="1280x800", show_default=True, help="for URLs: CSS size WxH"),
    click.option("--scale", default=1.0, show_default=True, type=float, help="for URLs: device scale factor"),
]


def _with_common(fn):
    for opt in reversed(_common):
        fn = opt(fn)
    return fn


def _viewport(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
        return w, h
    except ValueError:
        _fail(f"--viewport must look like 1280x800, got {text!r}")
    raise AssertionError("unreachable")


@click.command()
@click.argument("source", metavar="IMAGE|URL")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@click.option("--annotate", type=click.Path(dir_okay=False), help="write numbered boxes (set-of-marks) here")
@_with_common
def parse(source: str, as_json: bool, annotate: str | None, backend: str | None, model: str | None,
          viewport: str, scale: float) -> None:
    """List every element seen in IMAGE or at URL."""
    image, factor = load_input(source, _viewport(viewport), scale)
    try:
        result = _backend(backend, model).parse(image)
    except PagesightError as exc:
        _fail(str(exc))
    if annotate:
        from vision.annotate import annotate as draw

        draw(image, list(result.elements)).save(annotate)
    elements = [replace(e, box=to_css_ints(e.box, factor)) for e in result.elements]
    if as_json:
        width, height = to_css_ints((result.width, result.height), factor)
        out = {"width": width, "height": height,
               "elements": [e.to_json() for e in elements]}
        click.echo(json.dumps(out, ensure_ascii=False))
        return
    if factor != 1:  # the boxes below are CSS pixels: say the size they are in, not the screenshot's
        width, height = to_css_ints((result.width, result.height), factor)
        click.echo(f"{len(elements)} elements in {width}x{height} CSS pixels (the screenshot is "
                   f"{result.width}x{result.height} at scale {factor:g})")
    else:
        click.echo(f"{len(elements)} elements in {result.width}x{result.height}")
    click.echo(f"{'id':>3}  {'kind':9} {'box':22} {'score':5}  text")
    for e in elements:
        extra = f"  [{e.label}]" if e.label and e.label != e.text else ""
        state = {True: " (checked)", False: " (unchecked)"}.get(e.checked, "") if e.checked is not None else ""
        click.echo(f"{e.id:>3}  {e.kind:9} {str(list(e.box)):22} {e.score:.2f}  {e.text}{extra}{state}")
    if annotate:
        click.echo(f"annotated: {annotate}")


@click.command()
@click.argument("source", metavar="IMAGE|URL")
@click.option("--query", "-q", "queries", multiple=True, required=True, help="target description (repeatable)")
@click.option("--json", "as_json", is_flag=True, help="one JSON object per query per line")
@_with_common
def locate(source: str, queries: tuple[str, ...], as_json: bool, backend: str | None, model: str | None,
           viewport: str, scale: float) -> None:
    """Find where each --query is; exit 1 when any is not found."""
    image, factor = load_input(source, _viewport(viewport), scale)
    vision = _backend(backend, model)
    missing = 0
    for query in queries:
        try:
            loc = vision.locate(image, query)
        except (UnsupportedQuestion, PagesightError) as exc:
            _fail(str(exc))
        data = loc.to_json()
        if loc.found:
            data["point"] = list(to_css_ints(data["point"], factor))
            data["box"] = list(to_css_ints(data["box"], factor))
        else:
            missing += 1
            for c in data["candidates"]:
                c["box"] = list(to_css_ints(c["box"], factor))
        if as_json:
            click.echo(json.dumps(data, ensure_ascii=False))
        elif loc.found:
            click.echo(f"{query}: {data['kind']} {data['text']!r} at {data['point']} box {data['box']}")
        else:
            seen = "; ".join(f"{c['kind']} {c['text']!r} {c['box']}" for c in data["candidates"]) or "nothing similar"
            click.echo(f"{query}: not found (nearest: {seen})")
    sys.exit(1 if missing else 0)


@click.group()
def bench() -> None:
    """Measure pagesight on your own pages."""


@bench.command()
@click.argument("sources", nargs=-1, metavar="[URL|FOLDER|MANIFEST.json ...]")
@click.option("--backend", help="ocr (default), glm, openai")
@click.option("--json", "as_json", is_flag=True, help="print the full result as JSON")
@click.option("--viewport", default="1280x800", show_default=True)
@click.option("--corpus", is_flag=True, help="the third-party corpus (bench/corpus/pages.json; fetch it first)")
@click.option("--screens", type=click.IntRange(1, 10), help="scrolled screens per page [3 for a corpus, else 1]")
@click.option("--misses", type=click.Path(file_okay=False), help="folder for miss pictures [a new temp folder]")
def grounding(sources: tuple[str, ...], backend: str | None, as_json: bool, viewport: str, corpus: bool,
              screens: int | None, misses: str | None) -> None:
    """Hit rate of locate against ground truth read from the DOM (default: the demo site)."""
    from agent.bench.grounding import run_grounding_bench

    try:
        code = run_grounding_bench(list(sources), backend=backend, as_json=as_json, viewport=_viewport(viewport),
                                   corpus=corpus, screens=screens, misses_dir=misses, progress=corpus)
    except (BrowserError, BackendUnavailable) as exc:
        _fail(str(exc))
    sys.exit(code)
