"""Grounding: which of the elements a backend saw does a target description name?

Every element is scored on three things, compared in this order:

1. text tier (textmatch.tier): the same words (give or take OCR slips) beat a whole-word containment,
   so "Sign in" picks the text "Sign in" over the button "Sign in with Google";
2. kind rank: the asked kind (3), its family (2: input/textarea, menu/menuitem), a kind it is often
   seen as (1: a styled link for a button), anything else (0); with no kind asked, widgets (2) beat
   plain text (1). A fallback to a lower rank is said in `Location.detail`;
3. for relations, geometry (overlapping column/row first, then distance); else text score, then
   reading order.

Fields are named by their label: when no field carries the asked label, the text that says it leads
to the nearest field right of or below it. A checkbox or radio named by its caption is the box left
of that caption (or the caption itself: clicking a <label> toggles its box).

`Location.matches` holds every element in the best group (same tier, kind rank and, for relations,
geometric rank) in reading order: the elements an ordinal counts and `assert count` counts.
Ordinals count in reading order; with a relation they count outward from the anchor (nearest first).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from vision.target import Target, parse_target
from vision.textmatch import MATCH_THRESHOLD, similarity, tier
from vision.types import Box, Element, Location

__all__ = ["ground", "reading_order", "count_matches", "kind_rank"]

FIELD_KINDS = ("input", "textarea", "select")
TOGGLE_KINDS = ("checkbox", "radio")
_FAMILY = {"input": {"textarea"}, "textarea": {"input"}, "menu": {"menuitem"}, "menuitem": {"menu"}}
_SEEN_AS = {  # what a detector or OCR often calls a thing of the asked kind
    "button": {"link", "icon", "menuitem", "tab", "image"},
    "link": {"button", "menuitem", "tab", "text"},
    "input": {"select"},
    "textarea": {"select"},
    "select": {"input", "button"},
    "checkbox": {"radio", "icon"},
    "radio": {"checkbox", "icon"},
    "tab": {"button", "link", "menuitem", "text"},
    "menu": {"button", "link", "tab", "text"},
    "menuitem": {"link", "button", "tab", "text"},
    "icon": {"button", "image"},
    "image": {"icon"},
}


def kind_rank(want: str | None, have: str) -> int:
    """3 asked kind, 2 its family (or any widget when no kind is asked), 1 often seen as it, 0 other."""
    if want is None:
        return 1 if have == "text" else 2
    if have == want:
        return 3
    if want == "text":
        return 1  # the visible text of a button is still text on the screen
    if have in _FAMILY.get(want, ()):
        return 2
    return 1 if have in _SEEN_AS.get(want, ()) else 0


# ---------------------------------------------------------------- geometry

def _center(b: Box) -> tuple[float, float]:
    return ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)


def _h(b: Box) -> int:
    return max(1, b[3] - b[1])


def _gap(a: Box, b: Box) -> tuple[float, float]:
    dx = max(0, b[0] - a[2], a[0] - b[2])
    dy = max(0, b[1] - a[3], a[1] - b[3])
    return dx, dy


def _distance(a: Box, b: Box) -> float:
    """Edge-to-edge distance, plus a little centre distance so that ties break the same way."""
    dx, dy = _gap(a, b)
    (ax, ay), (bx, by) = _center(a), _center(b)
    return math.hypot(dx, dy) + 0.01 * math.hypot(ax - bx, ay - by)


def _h_overlap(a: Box, b: Box) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0])


def _same_row(a: Box, b: Box) -> bool:
    return abs(_center(a)[1] - _center(b)[1]) <= max(_h(a), _h(b)) / 2


def _contains(outer: Box, point: tuple[float, float]) -> bool:
    return outer[0] <= point[0] <= outer[2] and outer[1] <= point[1] <= outer[3]


def _reading_indices(elements: Sequence[Element]) -> list[int]:
    by_y = sorted(range(len(elements)), key=lambda i: (_center(elements[i].box)[1], elements[i].box[0], i))
    rows: list[list[int]] = []
    for i in by_y:
        # share a row with the row's first element when the vertical centres lie within half a height
        if rows and _same_row(elements[rows[-1][0]].box, elements[i].box):
            rows[-1].append(i)
        else:
            rows.append([i])
    return [i for row in rows for i in sorted(row, key=lambda j: (elements[j].box[0], elements[j].box[1], j))]


def reading_order(elements: Sequence[Element]) -> list[Element]:
    """Top to bottom; elements whose vertical centres lie within half a height share a row, left to right."""
    return [elements[i] for i in _reading_indices(elements)]


def _relation_fit(rel: str, c: Box, a: Box) -> tuple[int, float] | None:
    """(geometric rank, distance) of candidate box c for relation rel to anchor box a; None: does not fit."""
    (acx, acy), (ccx, ccy) = _center(a), _center(c)
    if rel in ("below", "above"):
        if (rel == "below" and c[1] < acy) or (rel == "above" and c[3] > acy):
            return None
        return (1 if _h_overlap(a, c) else 0), _distance(a, c)
    if rel in ("right_of", "left_of"):
        if (rel == "right_of" and c[0] < acx) or (rel == "left_of" and c[2] > acx):
            return None
        return (1 if _same_row(a, c) else 0), _distance(a, c)
    if rel == "near":
        return 1, _distance(a, c)
    if rel == "inside":
        if _contains(a, (ccx, ccy)):
            return 2, math.hypot(ccx - acx, ccy - acy)
        if _same_row(a, c):  # "in 'Row 2'": the anchor is a cell's text, the row is what is meant
            return 1, _distance(a, c)
        if c[1] >= acy:  # "在'用户列表'中": the anchor is a heading, the section lies below it
            return 0, _distance(a, c)
        return None
    raise ValueError(f"unknown relation {rel!r}")


# ---------------------------------------------------------------- candidates

@dataclass
class _Cand:
    i: int  # index into elements
    score: float
    tier: int
    rank: int
    via: str = ""  # how it was reached when not by its own text ("label 'Email'", "caption ...")
    geo: int = 0
    dist: float = 0.0
    label_only: bool = False


@dataclass
class _Result:
    target: Target
    cands: list[_Cand]  # fitting candidates, best first
    group: list[_Cand]  # the best group, in ordinal order
    chosen: _Cand | None
    detail: str
    fallback: list[int]  # element indices to show as "nearest" when nothing was found


def _field_for_label(lab: Element, elements: Sequence[Element], kinds: set[str],
                     width: int | None) -> tuple[int, float] | None:
    """The field a label text names: one holding it (placeholder), right of it, or below it."""
    best: tuple[float, int] | None = None
    max_right = 0.3 * width if width else 400
    max_down = max(4 * _h(lab.box), 60)
    lc = _center(lab.box)
    for j, f in enumerate(elements):
        if f.kind not in kinds:
            continue
        dx, dy = _gap(lab.box, f.box)
        if _contains(f.box, lc):
            d = 0.0
        elif _same_row(lab.box, f.box) and f.box[0] >= lc[0] and dx <= max_right:
            d = dx
        elif f.box[1] >= lc[1] and dy <= max_down and (_h_overlap(lab.box, f.box) or dx <= 40):
            d = dy + dx
        else:
            continue
        if f.label and similarity(f.label, lab.text) < MATCH_THRESHOLD:
            d += max_down  # it already has another label: only if nothing else is there
        if best is None or (d, j) < best:
            best = (d, j)
    return (best[1], best[0]) if best else None


def _box_for_caption(cap: Element, elements: Sequence[Element], kinds: set[str]) -> int | None:
    """The checkbox/radio a caption belongs to: left of it in its row (else right of it)."""
    best: tuple[float, int] | None = None
    reach = max(3 * _h(cap.box), 40)
    for j, b in enumerate(elements):
        if b.kind not in kinds or b is cap:
            continue
        if _contains(b.box, _center(cap.box)):
            d = 0.0
        elif not _same_row(cap.box, b.box):
            continue
        elif b.box[2] <= cap.box[0] + 4 and cap.box[0] - b.box[2] <= reach:
            d = cap.box[0] - b.box[2]
        elif b.box[0] >= cap.box[2] - 4 and b.box[0] - cap.box[2] <= reach:
            d = b.box[0] - cap.box[2] + reach  # boxes on the right are the rarer layout
        else:
            continue
        if best is None or (d, j) < best:
            best = (d, j)
    return best[1] if best else None


def _score(t: Target, e: Element, as_anchor: bool) -> tuple[float, bool]:
    """(text score, matched by label only)."""
    if not t.text:
        return 1.0, False
    s_text = similarity(t.text, e.text) if e.text else 0.0
    s_label = similarity(t.text, e.label) if e.label else 0.0
    if as_anchor and s_text >= MATCH_THRESHOLD:
        return s_text, False  # an anchor is something seen: its own text comes before its label
    return max(s_text, s_label), s_label > s_text


def _candidates(t: Target, elements: Sequence[Element], width: int | None, as_anchor: bool) -> list[_Cand]:
    cands: dict[int, _Cand] = {}

    def offer(c: _Cand) -> None:
        old = cands.get(c.i)
        if old is None or (c.tier, c.rank, c.score) > (old.tier, old.rank, old.score):
            cands[c.i] = c

    for i, e in enumerate(elements):
        s, label_only = _score(t, e, as_anchor)
        rank = kind_rank(t.kind, e.kind)
        if as_anchor and label_only:
            rank = 0  # "below 'Password'" means the visible word, not the field it labels
        if tier(s) or not t.text:
            offer(_Cand(i, s, tier(s), rank, label_only=label_only))
    if t.text and t.kind in FIELD_KINDS + TOGGLE_KINDS:
        want = {t.kind} | _FAMILY.get(t.kind, set())
        for c in list(cands.values()):
            lab = elements[c.i]
            if lab.kind in want or not lab.text or similarity(t.text, lab.text) < MATCH_THRESHOLD:
                continue
            if t.kind in FIELD_KINDS:
                found = _field_for_label(lab, elements, want, width)
                if found:
                    offer(_Cand(found[0], c.score, c.tier, kind_rank(t.kind, elements[found[0]].kind),
                                via=f"the field next to the text {lab.text!r}"))
            else:
                j = _box_for_caption(lab, elements, want)
                if j is not None:
                    offer(_Cand(j, c.score, c.tier, 3, via=f"the {elements[j].kind} of the caption {lab.text!r}"))
    return list(cands.values())


def _rank_class(t: Target, c: _Cand) -> int:
    """Ranks an ordinal counts together: with no kind asked, widgets and text alike; else kind fits or not."""
    if t.kind is None:
        return 0
    return 2 if c.rank >= 2 else c.rank


def _drop_duplicates(group: list[_Cand], elements: Sequence[Element]) -> list[_Cand]:
    """A text element lying inside a matching widget is that widget's own text, not a second match."""
    widgets = [elements[c.i].box for c in group if elements[c.i].kind != "text"]
    return [c for c in group if elements[c.i].kind != "text"
            or not any(_contains(w, _center(elements[c.i].box)) for w in widgets)]


def _evaluate(t: Target, elements: Sequence[Element], pos: dict[int, int], width: int | None,
              as_anchor: bool = False) -> _Result:
    cands = _candidates(t, elements, width, as_anchor)
    if not t.text and t.kind is None:
        for c in cands:
            c.rank = 0  # "whatever is below X": kinds do not matter
    elif not t.text:
        strict = [c for c in cands if c.rank >= 2]
        cands = strict or [c for c in cands if c.rank >= 1]
    fallback = sorted(range(len(elements)), key=lambda i: (-_score(t, elements[i], False)[0], pos[i]))
    fallback = [i for i in fallback if _score(t, elements[i], False)[0] > 0.2][:3] if t.text else []
    detail = ""
    if t.relation:
        anchor = _best_reading(t.relation.anchor, elements, pos, width, as_anchor=True)
        if anchor.chosen is None:
            return _Result(t, [], [], None, f"the anchor {t.relation.anchor.describe()} is not on screen"
                           + (f" ({anchor.detail})" if anchor.detail else ""), anchor.fallback)
        a = anchor.chosen
        abox = elements[a.i].box
        fitting = []
        for c in cands:
            if c.i == a.i and not (a.label_only and t.relation.kind in ("below", "right_of")):
                continue
            fit = (1, 0.0) if c.i == a.i else _relation_fit(t.relation.kind, elements[c.i].box, abox)
            if fit is not None:
                c.geo, c.dist = fit
                fitting.append(c)
        if not fitting and cands:
            detail = (f"{len(cands)} element(s) fit {replace(t, relation=None).describe()}, but none is "
                      f"{t.relation.kind.replace('_', ' ')} {elements[a.i].kind} {elements[a.i].name!r}")
            fallback = sorted((c.i for c in cands), key=lambda i: pos[i])[:3]
        cands = fitting
        cands.sort(key=lambda c: (-c.tier, -c.rank, -c.geo, c.dist, -c.score, pos[c.i]))
    else:
        cands.sort(key=lambda c: (-c.tier, -c.rank, -c.score, pos[c.i]))
    if not cands:
        return _Result(t, [], [], None, detail, fallback)
    head = cands[0]
    group = [c for c in cands if (c.tier, _rank_class(t, c), c.geo) == (head.tier, _rank_class(t, head), head.geo)]
    if t.kind is None:
        group = _drop_duplicates(group, elements)
    if not t.relation:
        group.sort(key=lambda c: pos[c.i])
    chosen = head
    if t.ordinal is not None:
        k = t.ordinal - 1 if t.ordinal > 0 else len(group) + t.ordinal
        if not 0 <= k < len(group):
            which = "last" if t.ordinal == -1 else f"#{t.ordinal}"
            return _Result(t, cands, group, None, f"asked for {which}, but only {len(group)} match",
                           [c.i for c in group[:3]])
        chosen = group[k]
    return _Result(t, cands, group, chosen, detail, fallback)


def _best_reading(t: Target, elements: Sequence[Element], pos: dict[int, int], width: int | None,
                  as_anchor: bool = False) -> _Result:
    """The reading of an ambiguous description that fits the screen best (the first one on ties)."""
    best = _evaluate(t, elements, pos, width, as_anchor)
    for alt in t.alternatives:
        r = _evaluate(alt, elements, pos, width, as_anchor)
        if r.chosen is None:
            continue
        # a reading without text fits anything: count it as a containment, not as the same words
        r_tier = r.chosen.tier if alt.text else 1
        if best.chosen is None or r_tier > best.chosen.tier:
            best = replace(r, detail=(r.detail + "; " if r.detail else "") + f"read as {alt.describe()}")
    return best


def _explain(r: _Result, elements: Sequence[Element]) -> str:
    parts = [r.detail] if r.detail else []
    c = r.chosen
    if c is None:
        return "; ".join(parts)
    e = elements[c.i]
    if c.via:
        parts.append(f"took {c.via}")
    want = r.target.kind
    if want in TOGGLE_KINDS and e.kind not in TOGGLE_KINDS and not c.via:
        parts.append(f"no {want} seen beside {e.name!r}; took the caption itself (clicking a <label> toggles "
                     "its box)")
    elif want and c.rank < 2 and not c.via:
        parts.append(f"no {want} matches; took the {e.kind} {e.name!r}")
    if c.tier == 1 and r.target.text:
        parts.append(f"{e.name!r} contains {r.target.text!r}")
    return "; ".join(parts)


def ground(target: str | Target, elements: Sequence[Element], *, image_size: tuple[int, int] | None = None,
           kind_hint: str | None = None) -> Location:
    """The element `target` names among `elements` (all boxes in one image's pixels).

    `kind_hint` is the kind to assume when the description names none (e.g. "input" for a fill step).
    """
    t = parse_target(target) if isinstance(target, str) else target
    query = target if isinstance(target, str) else (t.source or t.describe())
    if kind_hint and t.kind is None:
        t = replace(t, kind=kind_hint, alternatives=tuple(replace(a, kind=a.kind or kind_hint)
                                                           for a in t.alternatives))
    elements = list(elements)
    order = _reading_indices(elements)
    pos = {i: p for p, i in enumerate(order)}
    width = image_size[0] if image_size else None
    r = _best_reading(t, elements, pos, width)
    detail = _explain(r, elements)
    if r.chosen is None:
        matches = tuple(elements[i] for i in sorted((c.i for c in r.group), key=lambda i: pos[i]))
        return Location(query, False, candidates=tuple(elements[i] for i in r.fallback),
                        matches=matches, detail=detail or "nothing on screen fits the description")
    e = elements[r.chosen.i]
    cx, cy = e.center
    matches = tuple(elements[i] for i in sorted((c.i for c in r.group), key=lambda i: pos[i]))
    others = tuple(elements[c.i] for c in r.cands if c.i != r.chosen.i)[:3]
    return Location(query, True, point=(cx, cy), element=e, candidates=others, matches=matches,
                    detail=detail)


def count_matches(target: str | Target, elements: Sequence[Element], *,
                  image_size: tuple[int, int] | None = None) -> list[Element]:
    """Every element fitting the description's text, kind and relation, ordinal ignored, reading order.

    The same as `ground(...).matches` for the description without its ordinal; [] when nothing fits.
    """
    t = parse_target(target) if isinstance(target, str) else target
    t = replace(t, ordinal=None, alternatives=tuple(replace(a, ordinal=None) for a in t.alternatives))
    loc = ground(t, elements, image_size=image_size)
    return list(loc.matches) if loc.found else []
