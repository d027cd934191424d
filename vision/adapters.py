"""Model coordinate spaces -> screenshot pixels: one declared adapter per model family, in one place.

Every model family answers boxes in its own space:

| adapter    | answer shape                                        | order | scale                          |
|------------|-----------------------------------------------------|-------|--------------------------------|
| `glm`      | `<|begin_of_box|>[[x1,y1,x2,y2]]<|end_of_box|>`       | x, y  | 0-1000 of the image it was sent |
| `qwen2vl`  | `<|box_start|>(x1,y1),(x2,y2)<|box_end|>`            | x, y  | 0-1000                          |
| `qwen25vl` | `{"bbox_2d": [x1, y1, x2, y2]}`                      | x, y  | pixels of the smart-resized image |
| `uitars`   | `click(start_box='(x,y)')` (UI-TARS-1.5)             | x, y  | pixels of the smart-resized image |
| `cogagent` | `[[x1,y1,x2,y2]]`                                    | x, y  | 0-999                           |
| `gemini`   | `{"box_2d": [ymin, xmin, ymax, xmax]}`               | y, x  | 0-1000                          |
| `pixels`   | `[x1, y1, x2, y2]`                                   | x, y  | screenshot pixels               |

`parse_boxes` reads every bracket style above (and `<box>`, `<point>`, `[x, y]` points) without
knowing the family; `to_screenshot_box` then applies the family's order and scale. Boxes come back as
`[x1, y1, x2, y2]` with sorted corners, clamped to the image; a point comes back as a zero-size box.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from vision.types import Box

__all__ = ["Adapter", "ADAPTERS", "get_adapter", "parse_boxes", "to_screenshot_box", "to_screenshot_point",
           "smart_resize", "strip_thinking"]


@dataclass(frozen=True)
class Adapter:
    """How one model family writes coordinates.

    `scale`: "norm1000" / "norm999" (fractions of the image times 1000 or 999), "resized" (pixels of the
    image after the family's smart resize, which the model saw instead of the screenshot) or "absolute"
    (screenshot pixels). `resize_factor`, `min_pixels`, `max_pixels` describe that resize.
    """

    name: str
    order: str = "xy"  # "xy" or "yx"
    scale: str = "norm1000"
    resize_factor: int = 28
    min_pixels: int = 56 * 56
    max_pixels: int = 28 * 28 * 16384
    description: str = ""

    def resized_size(self, image_size: tuple[int, int]) -> tuple[int, int]:
        """(width, height) of the image as the model saw it."""
        w, h = image_size
        if self.scale != "resized":
            return w, h
        rh, rw = smart_resize(h, w, self.resize_factor, self.min_pixels, self.max_pixels)
        return rw, rh


ADAPTERS: dict[str, Adapter] = {a.name: a for a in (
    Adapter("glm", "xy", "norm1000", description="GLM-4.1V/4.5V/4.6V: [x1,y1,x2,y2] in 0-1000 inside box tokens"),
    Adapter("qwen2vl", "xy", "norm1000", description="Qwen2-VL: (x1,y1),(x2,y2) in 0-1000"),
    Adapter("qwen25vl", "xy", "resized", 28, 56 * 56, 28 * 28 * 16384,
            description="Qwen2.5-VL: absolute pixels of the smart-resized image (multiples of 28)"),
    Adapter("uitars", "xy", "resized", 28, 100 * 28 * 28, 16384 * 28 * 28,
            description="UI-TARS-1.5: absolute pixels of the smart-resized image"),
    Adapter("cogagent", "xy", "norm999", description="CogAgent: [[x1,y1,x2,y2]] in 0-999"),
    Adapter("gemini", "yx", "norm1000", description="Gemini: box_2d [ymin, xmin, ymax, xmax] in 0-1000"),
    Adapter("pixels", "xy", "absolute", description="screenshot pixels as they are"),
)}


def get_adapter(name: str | Adapter) -> Adapter:
    if isinstance(name, Adapter):
        return name
    key = name.strip().lower().replace("-", "").replace("_", "").replace(".", "")
    aliases = {"qwen25": "qwen25vl", "qwen2": "qwen2vl", "uitars15": "uitars", "absolute": "pixels",
               "glm4v": "glm", "glm46v": "glm"}
    key = aliases.get(key, key)
    if key not in ADAPTERS:
        raise ValueError(f"unknown coordinate adapter {name!r}; choose one of: {', '.join(ADAPTERS)}")
    return ADAPTERS[key]


def smart_resize(height: int, width: int, factor: int = 28, min_pixels: int = 56 * 56,
                 max_pixels: int = 28 * 28 * 16384) -> tuple[int, int]:
    """(height, width) rounded to multiples of `factor` with the pixel count in [min, max] (Qwen2.5-VL)."""
    h = max(factor, round(height / factor) * factor)
    w = max(factor, round(width / factor) * factor)
    if h * w > max_pixels:
        beta = math.sqrt(height * width / max_pixels)
        h = max(factor, math.floor(height / beta / factor) * factor)
        w = max(factor, math.floor(width / beta / factor) * factor)
    elif h * w < min_pixels:
        beta = math.sqrt(min_pixels / (height * width))
        h = math.ceil(height * beta / factor) * factor
        w = math.ceil(width * beta / factor) * factor
    return h, w


# --- reading answers -------------------------------------------------------------------------------

_NUM = r"-?\d+(?:\.\d+)?"
_BOX_TOKENS = re.compile(r"<\|begin_of_box\|>(.*?)(?:<\|end_of_box\|>|$)", re.S)
_TAGGED = re.compile(r"<(box|point|bbox)>(.*?)</\1>", re.S | re.I)
_QWEN2 = re.compile(r"<\|box_start\|>(.*?)<\|box_end\|>", re.S)
_JSON_KEY = re.compile(r"[\"']?(bbox_2d|box_2d|bbox|box|point_2d|point|coordinates?)[\"']?\s*[:=]\s*"
                       r"(\[[^\[\]]*\]|\([^()]*\))", re.I)
_START_BOX = re.compile(r"(?:start_box|end_box|start_point|point)\s*=\s*['\"]([^'\"]*)['\"]", re.I)
_PAIR = re.compile(rf"\(\s*({_NUM})\s*,\s*({_NUM})\s*\)\s*,?\s*\(\s*({_NUM})\s*,\s*({_NUM})\s*\)")
_GROUP = re.compile(rf"[\[(]\s*({_NUM}(?:\s*,\s*{_NUM}){{1,3}})\s*[\])]")


def strip_thinking(text: str) -> str:
    """The answer without its reasoning: text after the last `</think>` (GLM thinking mode)."""
    if "</think>" in text:
        return text.rsplit("</think>", 1)[1]
    if "<think>" in text:  # cut off while thinking: the reasoning is all there is
        return text.split("<think>", 1)[1]
    return text


def _numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(_NUM, text)]


def _chunks(nums: list[float]) -> list[list[float]]:
    if len(nums) >= 4 and len(nums) % 4 == 0:
        return [nums[i:i + 4] for i in range(0, len(nums), 4)]
    if len(nums) == 2:
        return [nums]
    if len(nums) >= 4:
        return [nums[:4]]
    return []


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def parse_boxes(text: str) -> list[list[float]]:
    """Every box ([x1, y1, x2, y2], 4 numbers) and point ([x, y], 2 numbers) in a model answer, in order.

    Numbers are returned as the model wrote them (its own order and scale): apply an adapter next.
    When the answer has `<|begin_of_box|>` segments, only those are read (GLM puts the answer there).
    """
    text = strip_thinking(text or "")
    segments = [m.group(1) for m in _BOX_TOKENS.finditer(text)]
    found: list[tuple[int, list[float]]] = []
    for offset, segment in enumerate(segments or [text]):
        base = offset * 1_000_000
        seg_found = _parse_segment(segment)
        if not seg_found and segments:
            seg_found = [(0, c) for c in _chunks(_numbers(segment))]
        found.extend((base + pos, nums) for pos, nums in seg_found)
    out: list[list[float]] = []
    for _, nums in sorted(found, key=lambda f: f[0]):
        if nums not in out:
            out.append(nums)
    return out


def _parse_segment(text: str) -> list[tuple[int, list[float]]]:
    found: list[tuple[int, list[float]]] = []
    # Specific wrappers first; each consumed span is blanked so the generic passes do not read it again.
    for pattern, group in ((_QWEN2, 1), (_TAGGED, 2), (_START_BOX, 1), (_JSON_KEY, 2)):
        for m in pattern.finditer(text):
            for chunk in _chunks(_numbers(m.group(group))):
                found.append((m.start(), chunk))
            text = _blank(text, m.start(), m.end())
    for m in _PAIR.finditer(text):
        found.append((m.start(), [float(m.group(i)) for i in range(1, 5)]))
        text = _blank(text, m.start(), m.end())
    for m in _GROUP.finditer(text):
        nums = _numbers(m.group(1))
        if len(nums) in (2, 4):
            found.append((m.start(), nums))
    return found


# --- mapping to screenshot pixels ------------------------------------------------------------------

def _to_pixels(values: list[float], adapter: Adapter, image_size: tuple[int, int]) -> list[float]:
    """[x, y, ...] in screenshot pixels (float) from numbers in the adapter's order and scale."""
    if adapter.order == "yx":
        values = [values[i ^ 1] for i in range(len(values))]  # swap each (y, x) pair
    w, h = image_size
    if adapter.scale == "norm1000":
        sx, sy = w / 1000.0, h / 1000.0
    elif adapter.scale == "norm999":
        sx, sy = w / 999.0, h / 999.0
    elif adapter.scale == "resized":
        rw, rh = adapter.resized_size(image_size)
        sx, sy = w / rw, h / rh
    else:
        sx = sy = 1.0
    return [v * (sx if i % 2 == 0 else sy) for i, v in enumerate(values)]


def _clamp(v: float, hi: int) -> int:
    return int(min(max(round(v), 0), max(hi - 1, 0)))


def to_screenshot_box(box: list[float] | tuple[float, ...], adapter: Adapter | str,
                      image_size: tuple[int, int]) -> Box:
    """A model box (4 numbers) or point (2 numbers) -> (x1, y1, x2, y2) screenshot pixels, sorted, clamped."""
    adapter = get_adapter(adapter)
    if len(box) not in (2, 4):
        raise ValueError(f"a box has 4 numbers and a point 2, got {list(box)}")
    px = _to_pixels([float(v) for v in box], adapter, image_size)
    if len(px) == 2:
        px = px * 2
    w, h = image_size
    x1, x2 = sorted((_clamp(px[0], w), _clamp(px[2], w)))
    y1, y2 = sorted((_clamp(px[1], h), _clamp(px[3], h)))
    return (x1, y1, x2, y2)


def to_screenshot_point(point: list[float] | tuple[float, ...], adapter: Adapter | str,
                        image_size: tuple[int, int]) -> tuple[int, int]:
    """The centre of a model box or point, in screenshot pixels."""
    x1, y1, x2, y2 = to_screenshot_box(point, adapter, image_size)
    return ((x1 + x2) // 2, (y1 + y2) // 2)
