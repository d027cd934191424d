"""Scrolling steps: the page, an inner scrollable area (`scroll: {in: TARGET}`), or until a target shows.

The wheel turns over a point, and the area under that point scrolls, as for a person: the viewport's
centre for the page, the target's area for `in:`. `scroll: {to: X}` scrolls the page until X shows; X
may also sit in an inner list (`overflow: auto`) that the page's wheel never reaches, so the area under
the text nearest to X (the best near-miss) is scrolled too, first or once the page stops moving.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent.engine.handlers import _note_seen, changed, handles
from agent.language import steps as st
from browser.screenshot import Screenshot
from vision.types import Location

if TYPE_CHECKING:
    from agent.engine.loop import Agent

__all__ = ["SCROLL_FRACTION", "MAX_SCROLLS_TO"]

SCROLL_FRACTION = 0.8  # one "scroll" moves 80% of what is shown, so a person keeps some context
MAX_SCROLLS_TO = 15  # per thing scrolled (the page, each inner area)

Box = tuple[float, float, float, float]


def _centre(box: Box, viewport: tuple[int, int]) -> tuple[float, float]:
    """The middle of the part of `box` inside the viewport (the wheel turns where the area shows)."""
    x1, y1 = max(box[0], 0), max(box[1], 0)
    x2, y2 = min(box[2], viewport[0] - 1), min(box[3], viewport[1] - 1)
    return (x1 + x2) / 2, (y1 + y2) / 2


@handles(st.Scroll)
def _scroll(agent: Agent, step: st.Scroll) -> None:
    if step.to:
        _scroll_to(agent, step.to)
        return
    w, h = agent.session.viewport
    at = None
    if step.within:
        shot, loc = agent.find(step.within, verb="scrolled")
        agent.note_target(shot, loc)
        assert loc.point is not None
        at = agent.css(shot, loc.point)
        area = agent.session.scroll_area_at(*at)
        if area is None:
            agent.record.notes.append(f"nothing scrolls on its own under {step.within}: the wheel turned there "
                                      "and the page (or whatever holds it) scrolled")
        else:
            at, w, h = _centre(area, (w, h)), area[2] - area[0], area[3] - area[1]
    dx, dy = {"down": (0, h), "up": (0, -h), "right": (w, 0), "left": (-w, 0)}[step.direction]
    for _ in range(step.times):
        agent.act("scroll", lambda: agent.session.scroll(dx * SCROLL_FRACTION, dy * SCROLL_FRACTION, at=at))
    agent.note_after(agent.observe())


def _area_near(agent: Agent, shot: Screenshot, loc: Location, tried: set[Box]) -> Box | None:
    """The scrollable area under the nearest candidate for the target that has not been scrolled out."""
    for cand in loc.candidates:
        x, y = agent.css(shot, cand.center)
        area = agent.session.scroll_area_at(x, y)
        if area is not None and area not in tried:
            agent.record.notes.append(f"scrolled the area at {[round(v) for v in area]} under "
                                      f"{cand.name or cand.text!r}, the text nearest to the target")
            return area
    return None


def _scroll_to(agent: Agent, target: str) -> None:
    w, h = agent.session.viewport
    tried: set[Box] = set()
    area: Box | None = None  # None: the page
    page_done = False
    last: Screenshot | None = None
    for _ in range(MAX_SCROLLS_TO * 4):
        shot = agent.observe()
        loc = agent.locate(shot, target)
        if loc.found or loc.covered is not None:  # on screen, even if behind a dialog's backdrop
            _note_seen(agent, shot, loc)
            return
        if last is None:
            area = _area_near(agent, shot, loc, tried)  # the near miss sits in a list: scroll that first
        elif not changed(last, shot):  # what was scrolled stopped moving: its end
            if area is None:
                page_done = True
            else:
                tried.add(area)
            area = _area_near(agent, shot, loc, tried)
            if area is None and page_done:
                raise agent.not_found(target, shot, loc)
        last = shot
        at, dy = (None, h) if area is None else (_centre(area, (w, h)), area[3] - area[1])
        agent.act("scroll", lambda at=at, dy=dy: agent.session.scroll(0, dy * SCROLL_FRACTION, at=at))
    raise agent.not_found(target, shot, loc)
