"""What the check steps do: assert visible / not visible / a count / a state, and ask. Registered in
agent.engine.handlers' one table, keyed by the step type. A check reads what is seen, behind an open
dialog's backdrop too (visible, though not actionable).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from agent.engine.beside import stateful
from agent.engine.handlers import _note_seen, _seen, handles
from agent.language import steps as st
from pagesight_errors import AssertionFailed, ElementNotFound
from vision.types import Location

if TYPE_CHECKING:
    from agent.engine.loop import Agent

__all__: list[str] = []  # nothing to call: importing this module registers the handlers


@handles(st.AssertVisible)
def _assert_visible(agent: Agent, step: st.AssertVisible) -> None:
    try:
        shot, loc = agent.find(step.target, step.timeout, covered_ok=True)
    except ElementNotFound as exc:
        raise AssertionFailed(f"expected {step.target!r} to be visible, but it was not",
                              exc.candidates, exc.screenshot) from None
    _note_seen(agent, shot, loc)


@handles(st.AssertNotVisible)
def _assert_not_visible(agent: Agent, step: st.AssertNotVisible) -> None:
    shot, loc = agent.poll(step.target, lambda lc: _seen(lc) is None, step.timeout, what="gone")
    el = _seen(loc)
    if el is not None:
        _note_seen(agent, shot, loc)
        behind = "" if loc.found else (f" (behind the backdrop of the open \"{loc.dialog}\" dialog: dimmed, "
                                       "still readable)")
        raise AssertionFailed(f"expected {step.target!r} not to be visible, but it is at {list(el.box)}{behind}",
                              screenshot=agent.record.before)
    agent.note_after(shot)


@handles(st.AssertCount)
def _assert_count(agent: Agent, step: st.AssertCount) -> None:
    shot, loc = agent.poll(step.target, lambda lc: len(lc.matches) == step.equals, None, what="count")
    agent.record.answer = f"{len(loc.matches)} match(es)"
    path = agent.save(shot, "count")
    agent.record.before = path
    if len(loc.matches) != step.equals:
        raise AssertionFailed(f"expected {step.equals} of {step.target!r}, saw {len(loc.matches)}",
                              loc.matches or loc.candidates, path)


@handles(st.AssertState)
def _assert_state(agent: Agent, step: st.AssertState) -> None:
    state = step.state

    def holds(loc: Location) -> bool:
        el = _seen(loc)  # a state is read off the pixels, behind a dialog's backdrop too
        if el is None:
            return False
        if state in ("checked", "unchecked"):
            return el.checked is (state == "checked")
        if state in ("disabled", "enabled"):
            return bool(el.disabled) is (state == "disabled")
        return True  # focused: judged below

    target = step.target
    if state in ("checked", "unchecked"):
        target = stateful(agent, target)
    shot, loc = agent.poll(target, holds, None, what="state")
    el = _seen(loc)
    if el is None:
        raise agent.not_found(step.target, shot, loc)
    _note_seen(agent, shot, loc)
    ok = holds(loc)
    if state == "focused":
        point = loc.point if loc.found else None  # behind a modal's backdrop, nothing has the focus
        ok = point is not None and bool(agent.session.focused_contains(*agent.css(shot, point)))
    if not ok:
        raise AssertionFailed(f"expected {step.target!r} to be {state}; it is not "
                              f"(seen: {el.kind if el else '?'} checked={el.checked if el else None} "
                              f"disabled={el.disabled if el else None})", screenshot=agent.record.before)


@handles(st.Ask)
def _ask(agent: Agent, step: st.Ask) -> None:
    shot = agent.observe()
    t0 = time.perf_counter()
    try:
        answer = agent.backend.ask(shot.image, step.question)
    finally:
        agent.record.add_time("vision", time.perf_counter() - t0)
    agent.record.answer = answer.text
    agent.record.before = agent.save(shot, "ask")
    if step.expect and step.expect.casefold() not in answer.text.casefold():
        raise AssertionFailed(f"asked {step.question!r}: expected the answer to contain {step.expect!r}, "
                              f"got {answer.text!r}", screenshot=agent.record.before)


@handles(st.AssertLooksLike)
def _assert_looks_like(agent: Agent, step: st.AssertLooksLike) -> None:
    from agent.engine.baselines import check_looks_like  # numpy and the comparison load only when used

    check_looks_like(agent, step)
