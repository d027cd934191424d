"""Which control a step means when its target names a label or a caption, not the control itself.

A field's label tied to no field (SCENARIO_FORMAT v1.1): the field beside it, as grounding pairs them
(vision.pairing), then right of the label in its row, then below it. A checkbox, radio or switch named by
its caption: the box that goes with the caption, whose state can be read.
"""

from __future__ import annotations

from typing import Any

from browser.screenshot import Screenshot
from vision.pairing import side_points
from vision.target import FIELD_KINDS, parse_target
from vision.types import Box, Element, Location

__all__ = ["as_field", "beside", "toggle", "toggle_state", "toggle_descriptions", "stateful", "seen", "option_below"]


def seen(loc: Location) -> Element | None:
    """What an assertion sees: the element found, or the one seen behind an open modal's backdrop."""
    return loc.element if loc.found else loc.covered


def as_field(agent: Any, shot: Screenshot, target: str, loc: Location, word: str) -> Location:
    """A target that found a label, not a field: the field grounding pairs with that label, if any."""
    el = loc.element
    if el is None or el.kind in FIELD_KINDS or el.checked is not None:
        return loc
    t = parse_target(target)
    if t.kind is not None and t.kind not in FIELD_KINDS:
        return loc
    alt = agent.locate(shot, target if t.kind else f"{target} {word}")
    if alt.found and alt.element is not None and alt.element.kind in FIELD_KINDS:
        return alt
    return loc


def beside(agent: Any, shot: Screenshot, target: str, loc: Location, word: str) -> list[Location]:
    """Places to try for the field a label names: the one grounding pairs with it, then right of the
    label in its row, then below it."""
    out = []
    alt = as_field(agent, shot, target, loc, word)
    if alt is not loc:
        out.append(alt)
    el = loc.element
    if el is not None and el.kind not in FIELD_KINDS:
        w, h = shot.image.size
        out += [Location(loc.query, True, point=p, element=el) for p in side_points(el.box, w, h)]
    return out


def toggle(agent: Any, target: str, verb: str = "checked") -> tuple[Screenshot, Location, str]:
    """Find the checkbox/radio `target` names. Named by its caption, the match may be the caption
    text itself (no state): then ask again for the box that goes with it."""
    shot, loc = agent.find(target, verb=verb)
    if loc.element is not None and loc.element.checked is not None:
        return shot, loc, target
    for kind in ("checkbox", "radio"):
        desc = f"{target} {kind}"
        alt = agent.locate(shot, desc)
        if alt.found and alt.element is not None and alt.element.checked is not None:
            return shot, alt, desc
    return shot, loc, target


def toggle_state(agent: Any, shot: Screenshot, target: str) -> bool | None:
    """The checked state of the checkbox or radio `target` (a caption) names on `shot`, if one is seen."""
    for desc in toggle_descriptions(target):
        loc = agent.locate(shot, desc)
        if loc.found and loc.element is not None and loc.element.checked is not None:
            return bool(loc.element.checked)
    return None


def toggle_descriptions(target: str) -> list[str]:
    t = parse_target(target)
    if t.kind is not None:
        return [target]
    return [f"{target} checkbox", f"{target} radio"]


def stateful(agent: Any, target: str) -> str:
    """A caption names its checkbox or radio (left of it, or at its row's end): the description whose
    answer has a state to read."""
    shot = agent.observe()
    el = seen(agent.locate(shot, target))
    if el is not None and el.checked is not None:
        return target
    for desc in toggle_descriptions(target):
        alt = seen(agent.locate(shot, desc))
        if alt is not None and alt.checked is not None:
            return desc
    return target


def option_below(loc: Location, field_box: Box | None) -> Location | None:
    """Prefer the match that sits below the opened field (the dropdown), not the field's own text."""
    if field_box is None or len(loc.matches) < 2:
        return None
    below = [m for m in loc.matches if m.box[1] >= field_box[3] - 2 and not m.covered]
    if not below:
        return None
    el = below[0]
    return Location(loc.query, True, point=el.center, element=el, matches=loc.matches)
