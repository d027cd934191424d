"""Locate while the stillness wait confirms: a find's first look starts grounding on the first capture.

A still page costs two captures `interval` apart; grounding the first in a worker thread while the
main thread takes the second (OCR runs in onnxruntime, which releases the GIL) hides one of the two
behind the other. The answer is used only when the screen it was read from is the screen the step
acts on: the wait's last capture equal to the first, or different only inside masks, or only inside
the small places that move on their own (a spinner: `moving-elsewhere`), where the loop's
`_moving_at` rule then keeps the target out of them. Otherwise the answer is dropped and the target
is located again on the still screen: never act on an answer from a screen that changed where the
step acts.

Only local backends are run ahead (SPECULATIVE): a dropped answer costs CPU there, but a paid call to
a model backend, and the scripted test backend's calls must stay in step order.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import numpy as np

from browser.screenshot import Screenshot
from browser.stability import boxes_within, moving_boxes
from pagesight_errors import BrowserError
from vision.types import Location

if TYPE_CHECKING:
    from agent.engine.loop import Agent

__all__ = ["look", "speculative", "SPECULATIVE", "STATS"]

SPECULATIVE = frozenset({"ocr"})  # backend names whose locate is local, thread-safe and free to drop

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


class _Stats:
    """Counts over the process (for the bench): answers used, and dropped because the screen changed."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.used = 0
        self.dropped = 0

    def to_json(self) -> dict[str, int]:
        return {"used": self.used, "dropped": self.dropped}


STATS = _Stats()


def _worker() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(1, thread_name_prefix="pagesight-locate")
        return _pool


def speculative(agent: Agent) -> bool:
    """Whether this agent's first look of a find may locate ahead of the stillness wait: a local backend,
    and no request in flight (a page still loading would change under the answer)."""
    return (getattr(agent.backend, "name", "") in SPECULATIVE
            and not getattr(agent.session, "requests_in_flight", 0))


def _same_screen(agent: Agent, first: Screenshot, shot: Screenshot) -> bool:
    """The last capture shows what the first did where it matters: equal, or different only inside masks
    or inside the places the wait found moving on their own."""
    if first.png == shot.png:
        return True
    a, b = np.asarray(first.image), np.asarray(shot.image)
    if a.shape != b.shape:
        return False
    moved = moving_boxes(a, b, agent.mask_boxes())
    if not moved:
        return True
    wait = getattr(agent.session, "last_wait", None)
    return bool(wait is not None and wait.moving and boxes_within(moved, wait.moving))


def look(agent: Agent, target: str) -> tuple[Screenshot, Location]:
    """One look of `Agent.poll`: a still screenshot and where `target` is on it, grounding the first capture
    while the wait confirms it."""
    t0 = time.perf_counter()
    try:
        first = agent.session.screenshot()
    except BrowserError:  # mid-navigation there is no document to capture: the wait looks again
        shot = agent.observe(since=t0)
        return shot, agent.locate(shot, target)
    job: Future[Any] = _worker().submit(lambda: agent.backend.locate(first.image, target))
    try:
        shot = agent.observe(first=first, since=t0)
    except BaseException:
        job.cancel()
        _finish(job)
        raise
    t1 = time.perf_counter()
    same = _same_screen(agent, first, shot)
    if same:
        try:
            loc = job.result()
        finally:
            agent.record.add_time("vision", time.perf_counter() - t1)  # only the part the wait did not hide
        STATS.used += 1
        if first.png == shot.png:  # the same pixels: keep the decoded image the backend has seen
            agent.last_shot = shot = first
        return shot, loc
    STATS.dropped += 1
    job.cancel()
    _finish(job)  # one parse at a time: two would share two cores with the browser
    agent.record.add_time("vision", time.perf_counter() - t1)
    return shot, agent.locate(shot, target)


def _finish(job: Future[Any]) -> None:
    """Let a dropped job end; its error (a screen it could not read) belongs to no step."""
    if job.cancelled():
        return
    try:
        job.result()
    except Exception:  # noqa: BLE001 - the answer is dropped either way
        pass
