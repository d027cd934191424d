"""Grounding: which of the elements a backend saw does a target description name?

Candidates are compared on, in order: (1) text tier (textmatch.tier): the same words, give or take OCR
slips, beat a whole-word containment, so "Sign in button" takes the text "Sign in" over the button
"Sign in with Google" (detectors miss buttons; clicking the words works) - except for fields, where
any matching field comes first, since text goes into a field and not into its label; (2) kind rank:
the asked kind 3, its family 2 (input/textarea/select, menu/menuitem), a kind it is often seen as 1
(a styled link for a button), other 0; with no kind asked widgets 2, text 1; a fallback is said in
`Location.detail`; (3) text score, then reading order. With a relation, geometry comes first: inside
the anchor's box, in its row (left/right of, "in 'Row 2'") or its column (below/above) beats merely on
that side of it; then text tier, whether the kind fits, and distance from the anchor.

A field named by a label it does not carry is the nearest field right of or below the text that says
it; a checkbox or radio named by its caption is the box left of it (else the caption: clicking a
<label> toggles its box). `Location.matches` is the best group (same tier and kind fit, and for
relations the same geometric rank) in reading order: what ordinals and `assert count` count.
Ordinals count in reading order; with a relation, outward from the anchor (nearest first).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from vision.target import FIELD_KINDS, TOGGLE_KINDS, Target, family, kind_rank, parse_target
from vision.textmatch import MATCH_THRESHOLD, SAME_TEXT, similarity, span, tier
from vision.types import Box, Element, Location

__all__ = ["ground", "reading_order", "count_matches", "kind_rank"]

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
            if _owned_elsewhere(f, d, elements):
                continue  # its own label is right there: this text names something else
            d += max_down  # labelled otherwise (perhaps by its placeholder): only if nothing else is there
        if best is None or (d, j) < best:
            best = (d, j)
    return (best[1], best[0]) if best else None


def _owned_elsewhere(f: Element, d: float, elements: Sequence[Element]) -> bool:
    """Does some text outside field f read as f's label and sit closer to f than distance d?"""
    for e in elements:
        if e.kind == "text" and not _contains(f.box, _center(e.box)) \
                and similarity(f.label, e.text) >= SAME_TEXT and math.hypot(*_gap(e.box, f.box)) < d:
            return True
    return False


def _boxlike(b: Box, cap: Box) -> bool:
    """Small and about square: what a checkbox or radio seen as an icon looks like."""
    w, h = b[2] - b[0], _h(b)
    return w <= max(2 * _h(cap), 32) and h <= max(2 * _h(cap), 32) and 0.6 <= w / h <= 1.6


def _box_for_caption(cap: Element, elements: Sequence[Element], kinds: set[str]) -> int | None:
    """The checkbox/radio a caption belongs to: left of it in its row (else right of it). A small square
    icon counts too (detectors often see a custom checkbox as one); one labelled otherwise does not."""
    best: tuple[float, int] | None = None
    reach = max(3 * _h(cap.box), 40)
    for j, b in enumerate(elements):
        if b is cap or not (b.kind in kinds or (b.kind == "icon" and _boxlike(b.box, cap.box))):
            continue
        if b.label and similarity(b.label, cap.text) < MATCH_THRESHOLD:
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
        if b.kind not in kinds:
            d += 2  # an icon only where no real box is as close
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
        want = family(t.kind)
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
                    offer(_Cand(j, c.score, c.tier, 3,
                                via=f"the {elements[j].kind} of the caption {lab.text!r}"))
    return list(cands.values())


def _field_first(t: Target, c: _Cand) -> int:
    """Text goes into a field, never into its label: for a field, any field that matches comes first."""
    return 1 if t.kind in FIELD_KINDS and c.rank >= 2 else 0


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


def _nearest(t: Target, elements: Sequence[Element], pos: dict[int, int]) -> list[int]:
    """Up to 3 elements to name when nothing fits: clearly similar text first, then the asked kind, then
    faintly similar text."""
    keyed = []
    for i, e in enumerate(elements):
        s = _score(t, e, False)[0] if t.text else 0.0
        fits = t.kind is not None and kind_rank(t.kind, e.kind) >= 2
        if s > 0.15 or fits:
            keyed.append(((-(s >= 0.4), -fits, -s, pos[i]), i))
    return [i for _, i in sorted(keyed)[:3]]


def _evaluate(t: Target, elements: Sequence[Element], pos: dict[int, int], width: int | None,
              as_anchor: bool = False) -> _Result:
    cands = _candidates(t, elements, width, as_anchor)
    if not t.text and t.kind is None:
        for c in cands:
            c.rank = 0  # "whatever is below X": kinds do not matter
    elif not t.text:
        strict = [] if t.relation else [c for c in cands if c.rank >= 2]  # with a relation, geometry sorts
        cands = strict or [c for c in cands if c.rank >= 1]
    fallback = _nearest(t, elements, pos)
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
        cands.sort(key=lambda c: (-_field_first(t, c), -c.geo, -c.tier, -_rank_class(t, c), c.dist, -c.score,
                                  pos[c.i]))
    else:
        cands.sort(key=lambda c: (-_field_first(t, c), -c.tier, -c.rank, -c.score, pos[c.i]))
    if not cands:
        return _Result(t, [], [], None, detail, fallback)
    head = cands[0]

    def klass(c: _Cand) -> tuple[int, int, int, int]:
        return _field_first(t, c), c.tier, _rank_class(t, c), c.geo

    group = [c for c in cands if klass(c) == klass(head)]
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
    if want in TOGGLE_KINDS and e.kind not in TOGGLE_KINDS and not c.via and r.target.text and e.name:
        parts.append(f"no {want} seen beside {e.name!r}; took the caption itself (clicking a <label> toggles "
                     "its box)")
    elif want and c.rank < 2 and not c.via:
        parts.append(f"no {want} matches; took the {e.kind} {e.name!r}" if e.name else
                     f"no {want} matches; took the {e.kind} at {list(e.box)}")
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
    if r.chosen.tier == 1 and not r.chosen.via and e.kind in ("text", "link") and r.target.text:
        # a phrase inside a longer OCR line: aim at the phrase, not at the middle of the line
        where = span(r.target.text, e.text)
        if where:
            cx = int(e.box[0] + (e.box[2] - e.box[0]) * (where[0] + where[1]) / 2)
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
