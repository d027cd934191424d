"""What pagesight asks a vision-language model, and how it reads the answers. Shared by `glm` and `openai`.

Answers are read defensively: models wrap JSON in ```json fences or box tokens, think aloud first,
leave trailing commas, use single quotes, or stop mid-list when the token budget runs out.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pagesight_errors import TargetError
from vision.adapters import Adapter, parse_boxes, strip_thinking, to_screenshot_box
from vision.target import parse_target
from vision.types import KINDS, Element
from vision.vocabulary import kind_of

__all__ = ["locate_prompt", "parse_prompt", "clean_answer", "extract_json", "elements_from_answer",
           "normalise_kind", "target_words"]


def locate_prompt(target: str) -> str:
    return f"Help me to locate {target} in the image and give me its bounding boxes."


def _bbox_spec(adapter: Adapter) -> tuple[str, str]:
    """(key, description) of the box field in the family's own words, so it answers in its native space."""
    if adapter.order == "yx":
        return "box_2d", "[ymin, xmin, ymax, xmax] normalised to 0-1000"
    if adapter.scale in ("norm1000", "norm999"):
        top = "1000" if adapter.scale == "norm1000" else "999"
        return "bbox", f"[x1, y1, x2, y2] normalised to 0-{top}"
    if adapter.scale == "resized":
        return "bbox_2d", "[x1, y1, x2, y2] in pixels"
    return "bbox", "[x1, y1, x2, y2] in pixels"


def parse_prompt(adapter: Adapter) -> str:
    key, spec = _bbox_spec(adapter)
    return ("List every interactive element (buttons, links, input fields, text areas, checkboxes, radio "
            "buttons, dropdowns, tabs, menus, menu items, icons, images) and every piece of visible text in "
            "the image, top to bottom and left to right. Answer with a JSON array only, one object per "
            f'element: {{"kind": one of {", ".join(KINDS)}, "text": the visible text, label or placeholder, '
            f'"{key}": {spec}}}.')


def clean_answer(text: str) -> str:
    """The answer without reasoning, box tokens or stop tokens, as a person would read it."""
    text = strip_thinking(text or "")
    for token in ("<|begin_of_box|>", "<|end_of_box|>", "<|endoftext|>", "<|user|>", "<|observation|>"):
        text = text.replace(token, "")
    return text.strip()


_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)(?:```|$)", re.S)
_TRAILING_COMMA = re.compile(r",\s*([\]}])")


def _repair(snippet: str) -> Any:
    for attempt in (snippet, _TRAILING_COMMA.sub(r"\1", snippet)):
        try:
            return json.loads(attempt)
        except ValueError:
            pass
    fixed = _TRAILING_COMMA.sub(r"\1", snippet)
    fixed = re.sub(r"\bTrue\b", "true", re.sub(r"\bFalse\b", "false", re.sub(r"\bNone\b", "null", fixed)))
    if '"' not in fixed:
        fixed = fixed.replace("'", '"')
    fixed = re.sub(r"([{,]\s*)([A-Za-z_][A-Za-z0-9_]*)\s*:", r'\1"\2":', fixed)  # bare keys
    return json.loads(fixed)


def _balanced(text: str, start: int) -> str | None:
    """The bracketed span opening at `start`, honouring strings; None when it never closes."""
    pairs = {"[": "]", "{": "}"}
    stack: list[str] = []
    quote = ""
    escaped = False
    for i in range(start, len(text)):
        ch = text[i]
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == quote:
                quote = ""
            continue
        if ch in "\"'" and stack:
            quote = ch
        elif ch in pairs:
            stack.append(pairs[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
            if not stack:
                return text[start:i + 1]
    return None


def extract_json(text: str) -> Any:
    """The first JSON array or object in a model answer, repaired where it is slightly off; None if none."""
    body = clean_answer(text)
    candidates = [m.group(1) for m in _FENCE.finditer(body)] + [body]
    for cand in candidates:
        for i, ch in enumerate(cand):
            if ch not in "[{":
                continue
            span = _balanced(cand, i)
            if span is None:
                continue
            try:
                value = _repair(span)
            except ValueError:
                continue
            if isinstance(value, (list, dict)):
                return value
    return None


def _objects(text: str) -> list[dict[str, Any]]:
    """Every parseable {...} object, for answers whose list is cut off or broken in the middle."""
    body = clean_answer(text)
    out: list[dict[str, Any]] = []
    i = 0
    while i < len(body):
        if body[i] == "{":
            span = _balanced(body, i)
            if span:
                try:
                    value = _repair(span)
                except ValueError:
                    value = None
                if isinstance(value, dict) and not any(isinstance(v, dict) for v in value.values()):
                    out.append(value)
                    i += len(span)
                    continue
        i += 1
    return out


# Words models use for kinds beyond the target vocabulary (vision.vocabulary) that people write.
_MODEL_KIND_WORDS = {
    "anchor": "link", "text input": "input", "search box": "input", "searchbox": "input",
    "menubar": "menu", "title": "text", "paragraph": "text",
}


def normalise_kind(word: Any) -> str:
    """One of KINDS for whatever a model called an element (unknown words become "text")."""
    key = re.sub(r"[\s_]+", " ", str(word or "").strip().lower())
    if key in KINDS:
        return key
    return kind_of(key) or _MODEL_KIND_WORDS.get(key) or _MODEL_KIND_WORDS.get(key.replace(" ", ""), "text")


def _box_of(item: dict[str, Any]) -> list[float] | None:
    for key in ("bbox_2d", "box_2d", "bbox", "box", "bounding_box", "coordinates", "position", "point_2d", "point"):
        value = item.get(key)
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            flat = value[0] if len(value) == 1 and isinstance(value[0], (list, tuple)) else value
            if len(flat) in (2, 4) and all(isinstance(v, (int, float)) for v in flat):
                return [float(v) for v in flat]
        boxes = parse_boxes(str(value))
        if boxes:
            return boxes[0]
    return None


def elements_from_answer(text: str, adapter: Adapter, image_size: tuple[int, int]) -> list[Element]:
    """Elements (screenshot pixels) from a parse answer; items without a usable box are skipped."""
    value = extract_json(text)
    if isinstance(value, dict):
        value = next((v for v in value.values() if isinstance(v, list)), [value])
    items = [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
    if not items:
        items = _objects(text)
    out: list[Element] = []
    for item in items:
        box = _box_of(item)
        if box is None:
            continue
        text_value = item.get("text") or item.get("label") or item.get("name") or item.get("content") or ""
        kind = normalise_kind(item.get("kind") or item.get("type") or item.get("role"))
        out.append(Element(kind=kind, text=str(text_value).strip(), box=to_screenshot_box(box, adapter, image_size),
                           score=1.0))
    return out


def target_words(target: str) -> tuple[str, str]:
    """(kind, text) of a target description, for the synthetic element a model location comes with."""
    try:
        parsed = parse_target(target)
        return (normalise_kind(parsed.kind) if parsed.kind else "", str(parsed.text or ""))
    except TargetError:  # empty, or names nothing the target language reads: its words are the text
        return "", target.strip()
