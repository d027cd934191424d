"""Baselines for `assert: {looks_like: NAME}` and `expect(ui).to_look_like(NAME)`: where they live, and
the check itself.

A baseline is a screenshot and its parse, stored beside the scenario or test file that owns it:
`__baselines__/<file stem>/<NAME>[-<width>x<height>@<dpr>].png` and `.json` (the parse, so the baseline
is not read again on every run). The suffix names the viewport and device scale factor, so baselines
of different sizes never mix; the default 1280x800 at 1 has none. A missing baseline is written and
the step fails saying so (as Playwright does); `update=True` (`--update-baselines`) rewrites it and
passes. The stored image is always the clean screenshot: masks are drawn only on the diff picture.
"""

from __future__ import annotations

import io
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from browser.screenshot import Screenshot
from pagesight_errors import AssertionFailed
from vision.types import Element, Parse, image_hash, load_image

if TYPE_CHECKING:
    from agent.engine.loop import Agent
    from agent.language.steps import AssertLooksLike

__all__ = ["Baselines", "baseline_name", "check_looks_like", "FOLDER"]

FOLDER = "__baselines__"
DEFAULT_SIZE = ((1280, 800), 1.0)


def baseline_name(name: str, viewport: tuple[int, int], scale: float) -> str:
    """`home` at 1280x800@1, `home-390x844@2` elsewhere."""
    if (tuple(viewport), float(scale)) == DEFAULT_SIZE:
        return name
    return f"{name}-{viewport[0]}x{viewport[1]}@{scale:g}"


@dataclass
class Baselines:
    """The baselines of one scenario or test file. `masks` apply to every check (a scenario's own)."""

    folder: Path
    update: bool = False
    masks: tuple[Any, ...] = ()

    @classmethod
    def beside(cls, file: str | Path, update: bool = False, masks: tuple[Any, ...] = ()) -> Baselines:
        file = Path(file).resolve()
        return cls(file.parent / FOLDER / file.stem, update, tuple(masks))

    def image_path(self, name: str, viewport: tuple[int, int], scale: float) -> Path:
        return self.folder / f"{baseline_name(name, viewport, scale)}.png"

    def write(self, path: Path, shot: Screenshot, parse: Parse, backend: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(shot.png)
        data = {"backend": backend, "image": image_hash(shot.image), "parse": parse.to_json()}
        path.with_suffix(".json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")

    @staticmethod
    def stored_parse(path: Path, image: Any, backend: str) -> Parse | None:
        """The parse stored with the baseline, when it was made by this backend from this very image."""
        try:
            data = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            if data.get("backend") != backend or data.get("image") != image_hash(image):
                return None
            p = data["parse"]
            return Parse(p["width"], p["height"], tuple(_element(e) for e in p["elements"]),
                         tuple(p["dialog"]) if p.get("dialog") else None,
                         tuple(_element(e) for e in p.get("behind", ())))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a missing or stale parse is made again


def _element(d: dict[str, Any]) -> Element:
    return Element(kind=d["kind"], text=d.get("text", ""), box=tuple(d["box"]), score=d.get("score", 1.0),
                   id=d.get("id", 0), label=d.get("label", ""), checked=d.get("checked"),
                   disabled=d.get("disabled"), covered=d.get("covered", False))


def _png(image: Any) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def check_looks_like(agent: Agent, step: AssertLooksLike) -> None:
    """The screen now against the baseline `step.name` (written first when missing)."""
    from vision.compare import compare, side_by_side

    store: Baselines | None = getattr(agent, "baselines", None)
    if store is None:
        raise AssertionFailed("looks_like needs a place for its baselines: use it in a scenario file "
                              "(pagesight run) or a pytest test (expect(ui).to_look_like)")
    shot = agent.observe()
    path = store.image_path(step.name, shot.viewport, shot.scale)
    backend = getattr(agent.backend, "name", "?")
    if store.update or not path.exists():
        t0 = time.perf_counter()
        parse = agent.backend.parse(shot.image)
        agent.record.add_time("vision", time.perf_counter() - t0)
        store.write(path, shot, parse, backend)
        agent.record.before = agent.save(shot, "baseline")
        if store.update:
            agent.record.notes.append(f"baseline written: {path}")
            return
        raise AssertionFailed(f"there was no baseline {step.name!r} yet: wrote {path}; check that it shows "
                              f"the page as it should, keep it (commit it) and run again",
                              screenshot=agent.record.before)
    base = load_image(path)
    if base.size != shot.image.size:
        raise AssertionFailed(f"the baseline {path} is {base.width}x{base.height} but the screen is "
                              f"{shot.image.width}x{shot.image.height}; rewrite it with --update-baselines")
    t0 = time.perf_counter()
    try:
        diff = compare(base, shot.image, level=step.level, backend=agent.backend, masks=store.masks + step.mask,
                       tolerance=step.tolerance, before_parse=store.stored_parse(path, base, backend),
                       scale=shot.scale)
    finally:
        agent.record.add_time("vision", time.perf_counter() - t0)
    agent.record.answer = (f"{len(diff.changes)} change(s) at the {step.level} level against {path.name}; "
                           f"{diff.pixel_ratio:.2%} of pixels differ")
    agent.record.notes.extend(f"not found, not masked: {m!r}" for m in diff.missing_masks)
    if diff.same:
        return
    # the report shows the marked pair (baseline left, now right) and the clean screenshot of now
    marked = side_by_side(base, shot.image, diff.changes, diff.masks_before, diff.masks_after)
    drawn = Screenshot.from_png(_png(marked), (marked.width, marked.height), 1.0, f"diff:{step.name}")
    agent.record.before = agent.save(drawn, "diff")
    agent.record.after = agent.save(shot, "actual")
    lines = [f"{i}. {c.summary}" for i, c in enumerate(diff.changes, 1)]
    agent.record.notes.extend(lines)
    raise AssertionFailed(f"the screen does not look like {step.name!r} ({path}) at the {step.level} level: "
                          + "; ".join(lines[:8]) + (f"; and {len(lines) - 8} more" if len(lines) > 8 else ""),
                          screenshot=agent.record.before)
