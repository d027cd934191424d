"""Why a grounding bench query missed, and a picture of it.

`classify_miss` names the failure class from the answer and the screen's DOM truth, so a run reports
"12 wrong ordinals, 5 labels instead of fields" instead of a bare miss count. `miss_image` draws the
true box (green), the answer (red box and crosshair) and the nearest candidates (orange) on a crop of
the screenshot, with the query written above it, so a person sees why at a glance.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from agent.bench.dom_truth import KIND_WORDS, TruthElement

__all__ = ["FAILURE_CLASSES", "classify_miss", "miss_image", "NEAR_PX"]

# In the order they are tested: the first that fits names the miss.
FAILURE_CLASSES = {
    "not_found": "no answer (or the backend failed on this query)",
    "near_miss": "the right element, but the point lands just outside its box",
    "wrong_ordinal": "the right text and kind, another instance of it",
    "label_not_field": "the field's caption, not the field",
    "wrong_kind": "the same text on something of another kind (a heading, plain text, a link)",
    "partial_text": "a text that contains, or is contained in, the target's name",
    "other": "something else",
}
NEAR_PX = 8.0  # CSS px: a point this close to the true box is the right element, badly aimed
FIELDS = ("input", "textarea", "select")

Box = Sequence[float]


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").casefold().split())


def _inside(point: Sequence[float], box: Box, grow: float = 0.0) -> bool:
    return box[0] - grow <= point[0] <= box[2] + grow and box[1] - grow <= point[1] <= box[3] + grow


def _iou(a: Box, b: Box) -> float:
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def classify_miss(result: Any, target: TruthElement, screen: Sequence[TruthElement]) -> str:
    """The failure class of a missed query (`result` is a QueryResult), judged against the screen's truth."""
    if not result.found or result.point is None:
        return "not_found"
    point = result.point
    if any(_inside(point, r, NEAR_PX) for r in target.rects) or (
            result.found_box and _iou(result.found_box, target.box) >= 0.5):
        return "near_miss"
    name, word = _key(target.name), KIND_WORDS[target.kind][0]
    landed = [e for e in screen if e is not target and any(_inside(point, r, 2.0) for r in e.rects)]
    said = _key(result.found_text)
    said_word = KIND_WORDS.get(result.found_kind, ("",))[0]
    if any(_key(e.name) == name and KIND_WORDS[e.kind][0] == word for e in landed) or (
            said == name and said_word == word and not landed):
        return "wrong_ordinal"
    if target.kind in FIELDS and target.source not in ("placeholder", "value") and said and (
            said == name or said in name or name in said):
        return "label_not_field"
    if said == name or any(_key(e.name) == name for e in landed):
        return "wrong_kind"
    if said and (said in name or name in said):
        return "partial_text"
    return "other"


# ------------------------------------------------------------------------------------------ images

GREEN, RED, ORANGE = (16, 160, 60), (220, 30, 40), (245, 140, 0)
MARGIN = 70      # CSS px of context around what is drawn
MIN_W, MAX_W = 520, 1100


def _union(boxes: list[Box]) -> list[float]:
    return [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]


def miss_image(image: Image.Image, scale: float, result: Any, rects: Sequence[Box], path: Path) -> Path:
    """Write the annotated crop of a miss to `path` (PNG). Boxes and points are CSS px; `scale` maps them."""
    from vision.annotate import font

    found_box = result.found_box
    point = result.point
    cands = [c["box"] for c in result.candidates if c.get("box")]
    shown: list[Box] = [*rects, *cands] + ([found_box] if found_box else [])
    if point:
        shown.append([point[0] - 6, point[1] - 6, point[0] + 6, point[1] + 6])
    w, h = image.size[0] / scale, image.size[1] / scale
    x1, y1, x2, y2 = _union(shown)
    x1, y1, x2, y2 = max(0.0, x1 - MARGIN), max(0.0, y1 - MARGIN), min(w, x2 + MARGIN), min(h, y2 + MARGIN)
    crop = image.crop((round(x1 * scale), round(y1 * scale), round(x2 * scale), round(y2 * scale))).convert("RGB")
    zoom = min(3.0, MIN_W / crop.width) if crop.width < MIN_W else min(1.0, MAX_W / crop.width)
    crop = crop.resize((max(1, round(crop.width * zoom)), max(1, round(crop.height * zoom))), Image.Resampling.LANCZOS)
    k = scale * zoom  # CSS px -> pixels of the crop

    def to_crop(b: Box) -> list[float]:
        return [(b[0] - x1) * k, (b[1] - y1) * k, (b[2] - x1) * k, (b[3] - y1) * k]

    draw = ImageDraw.Draw(crop)
    for b in cands:
        draw.rectangle(to_crop(b), outline=ORANGE, width=2)
    for b in rects:
        draw.rectangle(to_crop(b), outline=GREEN, width=3)
    if found_box:
        draw.rectangle(to_crop(found_box), outline=RED, width=2)
    if point:
        px, py = (point[0] - x1) * k, (point[1] - y1) * k
        for colour, width in (((255, 255, 255), 5), (RED, 3)):
            draw.line((px - 12, py, px + 12, py), fill=colour, width=width)
            draw.line((px, py - 12, px, py + 12), fill=colour, width=width)

    f = font(15)
    answer = (f"answer: {result.found_kind or '?'} {result.found_text!r}" if result.found
              else f"not found{': ' + result.error if result.error else ''}")
    lines = [f"{result.query}   [{result.failure}]", answer,
             "green: true box   red: answer   orange: candidates"]
    line_h = 21
    canvas = Image.new("RGB", (max(crop.width, 520), crop.height + line_h * len(lines) + 10), (255, 255, 255))
    canvas.paste(crop, (0, line_h * len(lines) + 10))
    cdraw = ImageDraw.Draw(canvas)
    for i, text in enumerate(lines):
        cdraw.text((6, 4 + i * line_h), text, font=f, fill=(RED if i == 1 and not result.found else (20, 20, 20)))
    path.parent.mkdir(parents=True, exist_ok=True)
    canvas.save(path)
    return path
