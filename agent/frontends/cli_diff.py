"""`pagesight diff BEFORE AFTER`: what changed between two screens, in words.

Each side is an image file or a URL (opened in the browser as `pagesight parse URL` does). Exit 0 when
nothing changed at the chosen level, 1 when something did, 2 for bad input (one line saying why).
"""

from __future__ import annotations

import json
import sys

import click

from agent.frontends.cli_vision import _backend, _fail, _viewport, load_input
from pagesight_errors import BadImage, PagesightError, TargetError
from vision.masks import parse_mask_args

__all__ = ["diff"]

@click.command()
@click.argument("before", metavar="BEFORE")
@click.argument("after", metavar="AFTER")
@click.option("--level", type=click.Choice(["pixel", "layout", "content"]), default="pixel", show_default=True,
              help="pixel: every pixel (anti-aliasing aside); layout: the same elements in the same places; "
                   "content: the same texts and controls, positions may shift")
@click.option("--mask", "masks", multiple=True, metavar="TARGET|x1,y1,x2,y2",
              help="a region to ignore, as a target ('\"Last login\" text') or a box (repeatable)")
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.1, show_default=True,
              help="pixelmatch's colour threshold: smaller is stricter")
@click.option("--tolerance", type=click.IntRange(0, 500), help="px an element may drift [pixel 2, layout 4, content 24]")
@click.option("--json", "as_json", is_flag=True, help='print {"changes": [...], "pixel_ratio": ...}')
@click.option("--out", type=click.Path(dir_okay=False), help="write before and after side by side, changes numbered")
@click.option("--ask", "question", help="also ask a model backend (glm, openai) this about both screens")
@click.option("--backend", help="ocr (default), glm, openai")
@click.option("--model", help="model path or name for glm/openai")
@click.option("--viewport", default="1280x800", show_default=True, help="for URLs: CSS size WxH")
@click.option("--scale", default=1.0, show_default=True, type=float, help="for URLs: device scale factor")
def diff(before: str, after: str, level: str, masks: tuple[str, ...], threshold: float, tolerance: int | None,
         as_json: bool, out: str | None, question: str | None, backend: str | None, model: str | None,
         viewport: str, scale: float) -> None:
    """What changed between BEFORE and AFTER (image files or URLs)."""
    from vision.compare import compare, side_by_side

    try:
        mask_list = parse_mask_args(masks)
    except TargetError as exc:
        _fail(f"--mask: {exc}")
    size = _viewport(viewport)
    img_a, factor = load_input(before, size, scale)
    img_b, _ = load_input(after, size, scale)
    vision = _backend(backend, model)
    try:
        result = compare(img_a, img_b, level=level, backend=vision, masks=mask_list, threshold=threshold,
                         tolerance=tolerance, scale=factor)
    except BadImage as exc:
        _fail(str(exc))
    except PagesightError as exc:
        _fail(str(exc))
    answer = _ask(vision, img_a, img_b, question) if question else None
    if out:
        side_by_side(img_a, img_b, result.changes, result.masks_before, result.masks_after).save(out)
    if as_json:
        data = result.to_json(factor)
        if answer is not None:
            data["answer"] = answer
        click.echo(json.dumps(data, ensure_ascii=False))
    else:
        _print(result, level, out, answer)
    sys.exit(1 if result.changes else 0)


def _ask(vision, img_a, img_b, question: str) -> str:
    try:
        return vision.ask_images([img_a, img_b], question).text
    except PagesightError as exc:
        _fail(str(exc))
    raise AssertionError("unreachable")


def _print(result, level: str, out: str | None, answer: str | None) -> None:
    share = f"{result.pixel_ratio:.2%} of pixels differ"
    if not result.changes:
        click.echo(f"no changes at the {level} level ({share})")
    else:
        n = len(result.changes)
        click.echo(f"{n} change{'s' * (n > 1)} at the {level} level ({share}):")
        for i, change in enumerate(result.changes, 1):
            click.echo(f"{i:>3}. {change.kind:8} {change.summary}")
    for missing in result.missing_masks:
        click.echo(f"note: the mask {missing!r} was found on neither image; it masks nothing")
    if answer is not None:
        click.echo(f"answer: {answer}")
    if out:
        click.echo(f"diff image: {out}")
