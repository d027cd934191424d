"""Step screenshots for a run's report: unique names, compact files, failures drawn.

Names are unique per run: `steps/<NN>-<scenario slug>[-retryK]-<SSS>-<phase>.<ext>`, where NN is the
scenario's place in the whole run (before sharding), so two shards never write the same name.

Images are kept in memory until the step ends (`finish`), because only then is it known how to store
them: a passing step's as WebP (quality 75, at most 1024 px wide: about a quarter of the PNG, and
still readable in the report; encoded on a worker thread while the next step runs, so steps do not
wait for it), a failing step's as full-size PNG, with the target description and the
nearest candidates drawn on the screenshot of the failure (vision.annotate, as the pytest plugin draws
them). Named screenshots (`screenshot: NAME`) stay PNG: the user asked for them. Paths handed out
before `finish` end in .png; a failing step keeps them, so messages that quote them stay right.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from agent.engine.loop import Recorder
from agent.engine.records import PASSED, StepRecord
from browser.screenshot import Screenshot
from vision.types import Element

__all__ = ["ReportRecorder", "WEBP_QUALITY", "MAX_WIDTH", "FAILURE_PHASES"]

WEBP_QUALITY = 75
MAX_WIDTH = 1024  # passing steps only; a failure keeps every pixel
FAILURE_PHASES = ("not-found", "seen", "behind-dialog")  # saved only when a step fails


class ReportRecorder(Recorder):
    """A Recorder for `pagesight run`: files written when the step ends, in the format its outcome calls for.

    `redact` hides secrets in captions drawn on images (an element's text may be a typed secret)."""

    def __init__(self, folder: str | Path, prefix: str = "", redact: Callable[[str], str] = str):
        super().__init__(folder, prefix)
        self.redact = redact
        self.pending: dict[str, tuple[Screenshot, Element | None, tuple[int, int] | None, str]] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._writing: list[Future] = []

    def close(self) -> None:
        """Wait until every image is on disk (before the report links them)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        writing, self._writing = self._writing, []
        for job in writing:
            job.result()  # an image that could not be written (a full disk) is an error, not a silent gap

    def save(self, shot: Screenshot, name: str, element: Element | None = None,
             point: tuple[int, int] | None = None) -> str:
        self._count += 1
        path = str(self.folder / f"{self.prefix}{self._count:03d}-{name}.png")
        if element is not None:
            element = replace(element, text=self.redact(element.text), label=self.redact(element.label))
        self.pending[path] = (shot, element, point, name)
        return path

    def finish(self, record: StepRecord | None, saved: dict[str, str] | None = None) -> None:
        """Write this step's images; a passing step's become WebP and `record` (and `saved`, the agent's
        named screenshots) point at the new names."""
        if not self.pending:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        passed = record is not None and record.status == PASSED
        renamed: dict[str, str] = {}
        urls = {path: self.redact(shot.url) for path, (shot, *_) in self.pending.items()}
        shown = record.before if record is not None else None  # the report's picture of a failure
        for path, (shot, element, point, name) in self.pending.items():
            failure = name in FAILURE_PHASES or path == shown
            if passed and not name.startswith("shot-"):
                renamed[path] = str(Path(path).with_suffix(".webp"))
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(1, thread_name_prefix="pagesight-images")
                self._writing.append(self._pool.submit(self._write_compact, renamed[path], shot, element, point))
            else:
                self._write_png(path, shot, element, point, record if failure else None)
        self.pending.clear()
        if record is not None:
            record.before_url = urls.get(record.before or "", record.before_url)
            record.after_url = urls.get(record.after or "", record.after_url)
            record.before = renamed.get(record.before or "", record.before)
            record.after = renamed.get(record.after or "", record.after)
        for key, value in (saved or {}).items():
            saved[key] = renamed.get(value, value)  # type: ignore[index]

    def _image(self, shot: Screenshot, element: Element | None, point: tuple[int, int] | None,
               candidates: list[Element] = ()) -> Any:
        if element is None and point is None and not candidates:
            return shot.image
        from vision.annotate import annotate

        drawn = ([element] if element is not None else []) + list(candidates)
        return annotate(shot.image, drawn, highlight=element, point=point, show_text=bool(candidates))

    def _write_compact(self, out: str, shot: Screenshot, element: Element | None,
                       point: tuple[int, int] | None) -> None:
        from PIL import Image

        image = self._image(shot, element, point)
        if image.width > MAX_WIDTH:
            image = image.resize((MAX_WIDTH, round(image.height * MAX_WIDTH / image.width)), Image.BILINEAR)
        image.save(out, format="WEBP", quality=WEBP_QUALITY, method=2)  # method 4+ is twice the time for 5%

    def _write_png(self, path: str, shot: Screenshot, element: Element | None, point: tuple[int, int] | None,
                   failed: StepRecord | None) -> None:
        if failed is None:
            if element is None and point is None:
                Path(path).write_bytes(shot.png)
            else:
                self._image(shot, element, point).save(path)
            return
        candidates = [_element(c, self.redact) for c in failed.candidates[:8]]
        image = self._image(shot, element, point, [c for c in candidates if c is not None])
        _banner(image, self.redact(f"{failed.description}: {failed.error.split(';', 1)[0]}")).save(path)


def _element(data: dict[str, Any], redact: Callable[[str], str]) -> Element | None:
    box = data.get("box")
    if not box or len(box) != 4:
        return None
    return Element(kind=str(data.get("kind", "text")), text=redact(str(data.get("text", ""))),
                   box=tuple(int(v) for v in box), label=redact(str(data.get("label", ""))),
                   id=int(data.get("id", 0) or 0))


def _banner(image: Any, text: str) -> Any:
    """The failure written across the top of the screenshot, so the picture says what was wanted."""
    from PIL import ImageDraw

    from vision.annotate import font

    image = image.copy()
    draw = ImageDraw.Draw(image)
    f = font(max(14, image.width // 80))
    text = text if len(text) <= 140 else text[:139] + "…"
    x1, y1, x2, y2 = draw.textbbox((8, 6), text, font=f)
    draw.rectangle((0, 0, image.width, y2 + 6), fill=(197, 34, 31))
    draw.text((8, 6), text, font=f, fill=(255, 255, 255))
    return image
