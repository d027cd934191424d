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
Ordinals count in reading order; with a relation, outward from the anchor (nearest first). The box
geometry (rows, relations, which widget a label names) is vision.geometry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from vision.flat_rows import split_flat_rows
from vision.geometry import (
    body_height,
    box_for_caption,
    center,
    contains,
    field_for_label,
    link_rows,
    reading_indices,
    reading_order,
    relation_fit,
    wrapped_names,
)
from vision.nav_columns import nav_column
from vision.ordinals import big_list, compatible, in_reading_order
from vision.pairing import implied_field
from vision.target import FIELD_KINDS, TOGGLE_KINDS, Target, family, kind_rank, parse_target
from vision.textmatch import MATCH_THRESHOLD, is_cjk, similarity, span, tier
from vision.types import Element, Location

__all__ = ["ground", "reading_order", "count_matches", "kind_rank"]


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
    nav: bool = False  # an entry of a vertical nav (nav_columns.py)

    cjk: bool = False  # the asked text has Chinese or Japanese characters
    dropdown: bool = False  # the element is a select

    @property
    def quality(self) -> int:
        """3 the same text (give or take case, icons, OCR look-alikes, or a slipped letter inside a Latin
        word), 2 an OCR slip away, 1 contained. An ordinal counts only candidates as good as the best: a
        Han character is a word of its own, so "小型按钮" and "大型按钮" are different labels."""
        if self.score >= 0.95 or (self.tier == 2 and not self.cjk):
            return 3
        return self.tier


NAV_KINDS = ("link", "menuitem", "tab", "menu")


@dataclass
class _Result:
    target: Target
    cands: list[_Cand]  # fitting candidates, best first
    group: list[_Cand]  # the best group, in ordinal order
    chosen: _Cand | None
    detail: str
    fallback: list[int]  # element indices to show as "nearest" when nothing was found
    counted: set[int] = field(default_factory=set)  # looks like another kind, counted as the asked one


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

    rows: set[int] | None = None
    large: set[int] | None = None
    column: set[int] | None = None
    body = body_height(elements) if t.kind in NAV_KINDS else 0.0
    for i, e in enumerate(elements):
        s, label_only = _score(t, e, as_anchor)
        rank = kind_rank(t.kind, e.kind)
        if t.kind in NAV_KINDS and e.kind in ("checkbox", "radio", "input", "textarea", "select") and tier(s):
            column = nav_column(elements) if column is None else column
            if i in column:
                rank = 2  # a sidebar entry, whatever OCR made of its icon or of its highlight
        if t.kind in NAV_KINDS and e.kind == "text" and (tier(s) or not t.text):
            if body and e.box[3] - e.box[1] >= 1.6 * body:
                large = big_list(elements) if large is None else large
                # a big heading is not a link, however alike the words; an item of a large nav list is
                rank = 2 if i in large else 0
            else:
                rows = link_rows(elements) if rows is None else rows
                column = nav_column(elements) if column is None else column
                if i in rows or i in column:
                    rank = 2  # one of a row or column of short items a steady step apart: a nav of plain links
        nav = t.kind in NAV_KINDS and rank == 2 and bool(tier(s)) and i in (column or ())
        if as_anchor and label_only:
            rank = 0  # "below 'Password'" means the visible word, not the field it labels
        if tier(s) or not t.text:
            offer(_Cand(i, s, tier(s), rank, label_only=label_only, nav=nav))
    if t.text and t.kind in FIELD_KINDS + TOGGLE_KINDS:
        want = family(t.kind)
        for c in list(cands.values()):
            lab = elements[c.i]
            if lab.kind in want or lab.kind in FIELD_KINDS or not lab.text or similarity(t.text, lab.text) < MATCH_THRESHOLD:
                continue  # (a field's value is no caption: a select showing "Option 01" names no checkbox)
            if t.kind in FIELD_KINDS:
                found = field_for_label(lab, elements, want, width)
                if found:
                    offer(_Cand(found[0], c.score, c.tier, kind_rank(t.kind, elements[found[0]].kind),
                                via=f"the field next to the text {lab.text!r}"))
            else:
                j = box_for_caption(lab, elements, want)
                if j is not None:
                    offer(_Cand(j, c.score, c.tier, 3,
                                via=f"the {elements[j].kind} of the caption {lab.text!r}"))
    return list(cands.values())


def _self_fits(anchor: Element, a: _Cand, rel: str) -> bool:
    """An anchor found by its label stands for that caption: a field lies below or right of its label,
    a checkbox or radio left of its caption ("checkbox left of 'Remember me'" is the box itself)."""
    if not a.label_only:
        return False
    return rel == "left_of" if anchor.kind in TOGGLE_KINDS else rel in ("below", "right_of")


def _field_first(t: Target, c: _Cand) -> int:
    """Text goes into a field, never into its label: for a field, any field that matches comes first; and a
    field asked for as a field (input, textarea) or as a dropdown before one of the other sort."""
    if t.kind not in FIELD_KINDS or c.rank < 2:
        return 0
    return 2 if c.dropdown == (t.kind == "select") else 1


def _rank_class(t: Target, c: _Cand) -> int:
    """Ranks an ordinal counts together: with no kind asked, widgets and text alike; else kind fits or not."""
    if t.kind is None:
        return 0
    return 2 if c.rank >= 2 else c.rank


def _drop_duplicates(group: list[_Cand], elements: Sequence[Element]) -> list[_Cand]:
    """A text element lying inside a matching widget is that widget's own text, not a second match."""
    widgets = [elements[c.i].box for c in group if elements[c.i].kind != "text"]
    return [c for c in group if elements[c.i].kind != "text"
            or not any(contains(w, center(elements[c.i].box)) for w in widgets)]


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
    cjk = any(is_cjk(ch) for ch in t.text)
    for c in cands:
        c.cjk = cjk
        c.dropdown = elements[c.i].kind == "select"
    if not t.text and t.kind is None:
        for c in cands:
            c.rank = 0  # "whatever is below X": kinds do not matter
    elif not t.text:
        strict = [] if t.relation else [c for c in cands if c.rank >= 2]  # with a relation, geometry sorts
        cands = strict or [c for c in cands if c.rank >= 1]
    fallback = _nearest(t, elements, pos)
    detail = ""
    # plain texts and kin that count as the asked kind (a flat button, a grey nav link: ordinals.py)
    top = max((c.tier for c in cands), default=0)
    compat = compatible(t.kind, [c.i for c in cands if c.rank < 2], elements,
                        [c.i for c in cands if c.tier == top])

    def fits(c: _Cand) -> int:  # kind rank, with what counts as the asked kind ranked as its family
        return 2 if c.i in compat else c.rank

    def fit_class(c: _Cand) -> int:
        return 2 if c.i in compat else _rank_class(t, c)

    if t.relation:
        anchor = _best_reading(t.relation.anchor, elements, pos, width, as_anchor=True)
        if anchor.chosen is None:
            return _Result(t, [], [], None, f"the anchor {t.relation.anchor.describe()} is not on screen"
                           + (f" ({anchor.detail})" if anchor.detail else ""), anchor.fallback)
        a = anchor.chosen
        abox = elements[a.i].box
        fitting = []
        for c in cands:
            if c.i == a.i and not _self_fits(elements[a.i], a, t.relation.kind):
                continue
            fit = (1, 0.0) if c.i == a.i else relation_fit(t.relation.kind, elements[c.i].box, abox)
            if fit is not None:
                c.geo, c.dist = fit
                fitting.append(c)
        if not fitting and cands:
            detail = (f"{len(cands)} element(s) fit {replace(t, relation=None).describe()}, but none is "
                      f"{t.relation.kind.replace('_', ' ')} {elements[a.i].kind} {elements[a.i].name!r}")
            fallback = sorted((c.i for c in cands), key=lambda i: pos[i])[:3]
        cands = fitting
        cands.sort(key=lambda c: (-_field_first(t, c), -c.geo, -c.tier, -fit_class(c), -c.quality, c.dist,
                                  -c.score, pos[c.i]))
    else:
        # (of two that count as the kind, a sidebar's entry before a breadcrumb's end or a title)
        cands.sort(key=lambda c: (-_field_first(t, c), -c.tier, -fits(c), -c.nav, -c.quality, -c.score, pos[c.i]))
    if not cands:
        return _Result(t, [], [], None, detail, fallback)
    head = cands[0]

    def klass(c: _Cand) -> tuple[int, int, int, int, int]:
        return _field_first(t, c), c.tier, fit_class(c), c.geo, c.quality

    group = _drop_duplicates([c for c in cands if klass(c) == klass(head)], elements)
    if not t.relation:
        at = {i: k for k, i in enumerate(in_reading_order([c.i for c in group], elements))}
        group.sort(key=lambda c: at[c.i])
    chosen = head
    if t.ordinal is not None:
        k = t.ordinal - 1 if t.ordinal > 0 else len(group) + t.ordinal
        if not 0 <= k < len(group):
            which = "last" if t.ordinal == -1 else f"#{t.ordinal}"
            return _Result(t, cands, group, None, f"asked for {which}, but only {len(group)} match",
                           [c.i for c in group[:3]])
        chosen = group[k]
    return _Result(t, cands, group, chosen, detail, fallback, compat)


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
    elif want and c.rank < 2 and not c.via and r.target.ordinal is not None and c.i in r.counted:
        parts.append(f"counted the {e.kind} {e.name!r} as a {want} (a {want} drawn without a box or colour "
                     "of its own reads as one)")
    elif want and c.rank < 2 and not c.via:
        parts.append(f"no {want} matches; took the {e.kind} {e.name!r}" if e.name else
                     f"no {want} matches; took the {e.kind} at {list(e.box)}")
    if c.tier == 1 and r.target.text:
        parts.append(f"{e.name!r} contains {r.target.text!r}")
    return "; ".join(parts)


def _texts(t: Target) -> list[str]:
    """Every text a description quotes: its own, its other readings' and its anchors'."""
    out = [t.text]
    for a in t.alternatives:
        out += _texts(a)
    if t.relation:
        out += _texts(t.relation.anchor)
    return out


def center_point(b: tuple[int, int, int, int]) -> tuple[int, int]:
    return ((b[0] + b[2]) // 2, (b[1] + b[3]) // 2)


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
    # a name wrapped onto two lines is one more candidate, its box the union of both (geometry.py)
    first_line = {}
    for joined, line in wrapped_names(_texts(t), elements):
        first_line[len(elements)] = line
        elements.append(joined)
    # a row of flat controls read as one line is one more candidate per word (vision.flat_rows)
    elements.extend(split_flat_rows(elements))
    order = reading_indices(elements)
    pos = {i: p for p, i in enumerate(order)}
    width = image_size[0] if image_size else None
    r = _best_reading(t, elements, pos, width)
    detail = _explain(r, elements)
    matches = tuple(elements[i] for i in in_reading_order([c.i for c in r.group], elements))
    if r.chosen is None:
        return Location(query, False, candidates=tuple(elements[i] for i in r.fallback),
                        matches=matches, detail=detail or "nothing on screen fits the description")
    e = elements[r.chosen.i]
    cx, cy = center_point(first_line.get(r.chosen.i, e.box))
    if r.chosen.tier == 1 and not r.chosen.via and e.kind in ("text", "link") and r.target.text:
        # a phrase inside a longer OCR line: aim at the phrase, not at the middle of the line
        where = span(r.target.text, e.text)
        if where:
            cx = int(e.box[0] + (e.box[2] - e.box[0]) * (where[0] + where[1]) / 2)
    others = tuple(elements[c.i] for c in r.cands if c.i != r.chosen.i)[:3]
    if r.target.kind in FIELD_KINDS and not r.chosen.via and r.target.text and (
            e.kind == "text" or r.chosen.label_only) and e.kind not in FIELD_KINDS:
        # a label with no field seen beside it: the field's place beside it (vision.pairing), never the label
        spot = implied_field(e, elements, r.target.kind, width, image_size[1] if image_size else None)
        if spot is None and r.target.ordinal is None:
            e, spot = _other_label(r, elements, e, width, image_size)
        if spot is not None:
            detail = "; ".join(x for x in (detail, f"no {r.target.kind} seen beside {e.name!r}; took the "
                                           f"place beside it at {list(spot.box)}") if x)
            return Location(query, True, point=spot.center, element=spot, candidates=(e, *others)[:3],
                            matches=matches, detail=detail)
    return Location(query, True, point=(cx, cy), element=e, candidates=others, matches=matches,
                    detail=detail)


def _other_label(r: _Result, elements: Sequence[Element], e: Element, width: int | None,
                 image_size: tuple[int, int] | None) -> tuple[Element, Element | None]:
    """The same words seen again as a label with a field's place beside it (a page title that repeats a
    form row's label has none): that label and the place, else `e` and None."""
    for c in r.group:
        other = elements[c.i]
        if other is not e and other.kind == "text":
            spot = implied_field(other, elements, r.target.kind, width, image_size[1] if image_size else None)
            if spot is not None:
                return other, spot
    return e, None


def count_matches(target: str | Target, elements: Sequence[Element], *,
                  image_size: tuple[int, int] | None = None) -> list[Element]:
    """Every element fitting the description's text, kind and relation, ordinal ignored, reading order.

    The same as `ground(...).matches` for the description without its ordinal; [] when nothing fits.
    """
    t = parse_target(target) if isinstance(target, str) else target
    t = replace(t, ordinal=None, alternatives=tuple(replace(a, ordinal=None) for a in t.alternatives))
    loc = ground(t, elements, image_size=image_size)
    return list(loc.matches) if loc.found else []
