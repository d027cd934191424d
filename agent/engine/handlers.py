"""What each step does: find its target, act at CSS pixels, verify, and note what was seen.

One table, HANDLERS, maps each step type (the class itself) to its handler (the checks' handlers are
in agent.engine.checks, scrolling's in agent.engine.scrolling: each registers them here, and the loop
imports them all); a handler gets the typed engine (`agent.engine.loop.Agent`) and its step.
`@handles(StepType)` adds one. Model-driven steps (`do:`, sentence asserts) go to agent.engine.planner,
which runs its planned steps back through `Agent.perform`.
Handlers raise pagesight errors; `Agent.run` turns them into the step's record.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from agent.engine.beside import as_field, beside, option_below, toggle, toggle_state
from agent.engine.opening import open_page
from agent.engine.planner import run_model_step
from agent.language import steps as st
from browser.screenshot import Screenshot
from pagesight_errors import (
    ActionFailed,
    BackendUnavailable,
    ElementNotFound,
    UnsupportedQuestion,
)
from vision.pairing import row_end_box
from vision.types import Box, Element, Location

if TYPE_CHECKING:
    from agent.engine.loop import Agent

__all__ = ["perform", "changed", "handles", "handler_for", "HANDLERS"]


Handler = Callable[["Agent", Any], None]
HANDLERS: dict[type, Handler] = {}


def handles(*types: type) -> Callable[[Handler], Handler]:
    """Register a handler for step types: the one table, keyed by the type itself."""
    def register(fn: Handler) -> Handler:
        for t in types:
            HANDLERS[t] = fn
        return fn
    return register


def handler_for(step: Any) -> Handler:
    handler = HANDLERS.get(type(step))
    if handler is None:
        raise ActionFailed(f"pagesight cannot run a {type(step).__name__} step")
    return handler


def perform(agent: Agent, step: Any) -> None:
    handler_for(step)(agent, step)


def changed(before: Screenshot, after: Screenshot, box: Box | None = None, margin: int = 6) -> bool:
    """Whether any pixel differs, anywhere or inside `box` (screenshot pixels, grown by `margin`)."""
    if before.hash == after.hash:
        return False
    a, b = np.asarray(before.image), np.asarray(after.image)
    if a.shape != b.shape:
        return True
    if box is not None:
        h, w = a.shape[:2]
        x1, y1 = max(0, box[0] - margin), max(0, box[1] - margin)
        x2, y2 = min(w, box[2] + margin), min(h, box[3] + margin)
        a, b = a[y1:y2, x1:x2], b[y1:y2, x1:x2]
    return bool(np.any(a != b))


# -- acting on a target -----------------------------------------------------------------------------------
def _target_point(agent: Agent, target: str, timeout: float | None = None,
                  verb: str = "clicked") -> tuple[Screenshot, Location]:
    shot, loc = agent.find(target, timeout, verb=verb)
    agent.note_target(shot, loc)
    return shot, loc


def _seen(loc: Location) -> Element | None:
    """What an assertion sees: the element found, or the one seen behind an open modal's backdrop
    (readable, so visible, though no action can reach it)."""
    return loc.element if loc.found else loc.covered


def _note_seen(agent: Agent, shot: Screenshot, loc: Location) -> None:
    el = loc.covered
    if loc.found or el is None:
        agent.note_target(shot, loc)
        return
    agent.note_target(shot, Location(loc.query, False, point=el.center, element=el))
    agent.record.notes.append(f"seen behind the backdrop of the open \"{loc.dialog}\" dialog (visible, "
                              "not clickable)" if loc.dialog else "seen behind an open dialog's backdrop")


def _click_at(agent: Agent, shot: Screenshot, loc: Location, button: str = "left", count: int = 1) -> None:
    assert loc.point is not None
    x, y = agent.css(shot, loc.point)
    agent.act("click", lambda: agent.session.click(x, y, button=button, count=count))


@handles(st.Click)
def _click(agent: Agent, step: st.Click) -> None:
    shot, loc = _target_point(agent, step.target)
    _click_at(agent, shot, loc, step.button, step.count)
    after = agent.observe()
    if not changed(shot, after):
        # Nothing moved: look again and retry once (the page may have re-rendered under us).
        agent.record.notes.append("the click changed nothing on screen; looked again and retried once")
        shot, loc = agent.find(step.target, timeout=2.0)
        _click_at(agent, shot, loc, step.button, step.count)
        after = agent.observe()
        if not changed(shot, after):
            agent.record.notes.append("still no visible change after the retry")
    agent.note_after(after)


@handles(st.Hover)
def _hover(agent: Agent, step: st.Hover) -> None:
    shot, loc = _target_point(agent, step.target, verb="hovered over")
    assert loc.point is not None
    x, y = agent.css(shot, loc.point)
    agent.act("hover", lambda: agent.session.hover(x, y))
    agent.note_after(agent.observe())


def _focus_field(agent: Agent, target: str, verb: str = "filled") -> tuple[Screenshot, Location]:
    shot, loc = _target_point(agent, target, verb=verb)
    _click_at(agent, shot, loc)
    if agent.session.focused_info().get("editable"):
        return shot, loc
    # The click took no focus: a label tied to no field. Try the field beside it (SCENARIO_FORMAT v1.1):
    # the place grounding pairs with the label, then right of the label in its row, then below it.
    el, tried = loc.element, {loc.point}
    for alt in beside(agent, shot, target, loc, "field"):
        if alt.point not in tried:
            tried.add(alt.point)
            _click_at(agent, shot, alt)
            if agent.session.focused_info().get("editable"):
                agent.record.notes.append(f"clicking {el.name if el else target!r} took no focus; the field "
                                          f"beside it at {list(alt.point or ())} did")
                agent.note_target(shot, alt)
                return shot, alt
    raise ActionFailed(
        f"clicked {target!r} ({el.kind if el else '?'} at {list(el.box) if el else '?'}) and the places right "
        "of it and below it, but no text field took the focus; name the field by its label or placeholder, "
        "e.g. '\"Email\" field'")


@handles(st.Fill)
def _fill(agent: Agent, step: st.Fill) -> None:
    shot, loc = _focus_field(agent, step.target)
    agent.act("clear", agent.session.clear_focused)
    agent.act("type", lambda: agent.session.type(step.text))
    after = agent.observe()
    if loc.element is not None and not changed(shot, after, loc.element.box) and step.text:
        agent.record.notes.append("the field looked the same after typing (was the same text there already?)")
    agent.note_after(after)


@handles(st.Clear)
def _clear(agent: Agent, step: st.Clear) -> None:
    _focus_field(agent, step.target, verb="cleared")
    agent.act("clear", agent.session.clear_focused)
    info = agent.session.focused_info()
    left = info.get("value") if info.get("editable") else None
    if left:  # a field that refills itself, or a key press the page swallowed
        raise ActionFailed(f"cleared {step.target!r} but it still holds {left!r}")
    agent.note_after(agent.observe())


@handles(st.Type)
def _type(agent: Agent, step: st.Type) -> None:
    before = agent.observe()
    agent.act("type", lambda: agent.session.type(step.text))
    after = agent.observe()
    if step.text and not changed(before, after):
        raise ActionFailed(f"typed {step.text!r} but nothing changed on screen: is a text field focused? "
                           "Click the field first, or use fill")
    agent.note_after(after)


@handles(st.Press)
def _press(agent: Agent, step: st.Press) -> None:
    agent.act("press", lambda: agent.session.press(step.key))
    agent.note_after(agent.observe())


@handles(st.Check)
def _check(agent: Agent, step: st.Check) -> None:
    want = bool(step.checked)
    word = "checked" if want else "unchecked"
    shot, loc, desc = toggle(agent, step.target, word)
    agent.note_target(shot, loc)
    el = loc.element
    if el is not None and el.checked is want:
        agent.record.notes.append(f"already {word}; left as it is")
        return
    if el is None or el.checked is None:
        # The state cannot be read off the pixels: click once (never twice, that would undo it).
        _click_at(agent, shot, loc)
        after = agent.observe()
        agent.note_after(after)
        # A caption's toggle may sit at its row's end (settings rows): look there too, not only near it.
        row = row_end_box(el.box, after.image.size[0]) if el is not None else None
        if not changed(shot, after, el.box if el else None, margin=40) \
                and not (row is not None and changed(shot, after, row, margin=4)):
            raise ActionFailed(f"clicked {step.target!r} to make it {word}, but nothing changed near it "
                               "or along its row")
        now = toggle_state(agent, after, step.target)
        if now is not None and now is not want:
            raise ActionFailed(f"clicked {step.target!r} to make it {word}; its box now reads "
                               f"{'checked' if now else 'unchecked'}")
        agent.record.notes.append("its state could not be read before; the click changed it"
                                  + (f" and it now reads {word}" if now is not None else ""))
        return
    box = el.box
    for attempt in range(2):
        _click_at(agent, shot, loc)
        before = shot
        shot, loc = agent.poll(desc, lambda lc: lc.found and lc.element is not None
                               and lc.element.checked is want, timeout=1.5, what="state")
        if loc.found and loc.element is not None and loc.element.checked is want:
            agent.note_after(shot)
            return
        if loc.element is None or loc.element.checked is None:
            # lost sight of its state: clicking again could undo it; a change at the box says it worked
            if attempt == 0 and changed(before, shot, box, margin=4):
                agent.note_after(shot)
                agent.record.notes.append("its state could not be read after the click; the box changed")
                return
            break
        if attempt == 0:
            agent.record.notes.append(f"not {word} after the click; looked again and retried once")
    seen = loc.element.checked if loc.element is not None else None
    raise ActionFailed(f"{step.target!r} is not {word} after clicking it (seen: "
                       f"{'unknown' if seen is None else ('checked' if seen else 'unchecked')})")


@handles(st.Select)
def _select(agent: Agent, step: st.Select) -> None:
    shot, named = _target_point(agent, step.target, verb="selected from")
    loc = as_field(agent, shot, step.target, named, "dropdown")  # a label tied to no field: the one beside it
    assert loc.point is not None
    x, y = agent.css(shot, loc.point)
    # Native <select> popups are drawn outside the page, so no screenshot shows their options:
    # the browser picks the option by its label. Custom dropdowns are opened and clicked by sight.
    if agent.act("select", lambda: agent.session.native_select_at(x, y, step.option)):
        agent.note_after(agent.observe())
        return
    option = f'"{step.option}"'
    places = [loc]
    for alt in beside(agent, shot, step.target, named, "dropdown")[:2]:
        if alt.point not in {p.point for p in places}:
            places.append(alt)
    for i, place in enumerate(places):
        _click_at(agent, shot, place)
        try:
            opened, oloc = agent.find(option, timeout=3.0)
        except ElementNotFound:
            if i == len(places) - 1:
                raise
            continue  # nothing opened there (a label): try right of it in its row, then below it
        if i:
            agent.record.notes.append(f"opened the list by clicking at {list(place.point or ())}, beside the label")
        field_box = place.element.box if place.element is not None else None
        choice = option_below(oloc, field_box) or oloc
        _click_at(agent, opened, choice)
        agent.note_after(agent.observe())
        return


@handles(st.Goto)
def _goto(agent: Agent, step: st.Goto) -> None:
    agent.act("goto", lambda: open_page(agent.session, step.url))  # a 404 or a network error fails here
    agent.note_after(agent.observe())


@handles(st.Back)
def _back(agent: Agent, step: st.Back) -> None:
    agent.act("back", agent.session.back)
    agent.note_after(agent.observe())


@handles(st.Reload)
def _reload(agent: Agent, step: st.Reload) -> None:
    agent.act("reload", agent.session.reload)
    agent.note_after(agent.observe())


@handles(st.Wait)
def _wait(agent: Agent, step: st.Wait) -> None:
    if step.target:
        shot, loc = agent.find(step.target, step.timeout, covered_ok=True)
        _note_seen(agent, shot, loc)
        return
    agent.act("wait", lambda: time.sleep(float(step.seconds or 0)))
    agent.note_after(agent.observe())


@handles(st.Do, st.AssertSentence)
def _model_step(agent: Agent, step: st.Do | st.AssertSentence) -> None:
    try:
        run_model_step(agent, step)
    except UnsupportedQuestion as exc:
        raise BackendUnavailable(str(exc)) from None


@handles(st.TakeScreenshot)
def _screenshot(agent: Agent, step: st.TakeScreenshot) -> None:
    shot = agent.observe()
    path = agent.save(shot, f"shot-{_safe(step.name)}")
    if path:
        agent.saved[step.name] = path
    agent.record.after = path


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in name)[:40] or "shot"
