"""Entries of a vertical nav (a sidebar's menu): what a person takes for links, though OCR sees plain text,
a checkbox or radio (a nav icon read as one), or a field (the selected entry's filled highlight).

A nav column is three or more short entries whose words start at one x, stacked a steady step apart,
not a table's column (whose rows go on into the next column's cells, which start at one x).
The words of a checkbox or radio start just right of its box; a filled field holding a short text across
the column's x is the selected entry, and takes its place in the step.
"""

from __future__ import annotations

from collections.abc import Sequence

from vision.types import Element

__all__ = ["nav_column"]

_WORDS = ("text", "link", "menuitem")
_TOGGLES = ("checkbox", "radio")
_FIELDS = ("input", "textarea", "select")


def _short(text: str) -> bool:
    t = text.strip()
    return 0 < len(t) <= 24 and len(t.split()) <= 3 and not t.endswith((".", "。", ":", "："))


def _start(e: Element, unit: float) -> float | None:
    """Where an entry's words start, or None when e is no entry."""
    if e.kind in _WORDS and _short(e.text):
        return float(e.box[0])
    if e.kind in _TOGGLES and _short(e.label) and not e.text:
        return e.box[2] + 0.8 * unit  # the caption starts a short gap right of its box
    return None


def _cy(e: Element) -> float:
    return (e.box[1] + e.box[3]) / 2.0


def _tabular(run: list[int], elements: Sequence[Element], unit: float) -> bool:
    """Is the run a table's column: on most of its rows the next text on one side starts at one x (the
    next column's cells)? A sidebar's rows go on into the page at no common x, or not at all."""
    for side in (1, -1):
        xs = []
        for j in run:
            e = elements[j]
            near = [o.box[0] for o in elements if o is not e and o.text and abs(_cy(o) - _cy(e)) <= 0.6 * unit
                    and (o.box[0] >= e.box[2] if side > 0 else o.box[2] <= e.box[0])]
            if near:
                xs.append(min(near) if side > 0 else max(near))
        if 3 * len(xs) >= 2 * len(run):
            xs.sort()
            common = max(sum(abs(a - b) <= unit for b in xs) for a in xs)
            if 3 * common >= 2 * len(run):
                return True
    return False


def nav_column(elements: Sequence[Element]) -> set[int]:
    """Indices of the entries of vertical navs (see the module's doc)."""
    hs = sorted(e.box[3] - e.box[1] for e in elements if e.kind in _WORDS and e.text.strip())
    if not hs:
        return set()
    unit = float(hs[len(hs) // 2])
    starts = {i: x for i, e in enumerate(elements) if (x := _start(e, unit)) is not None}
    fields = [i for i, e in enumerate(elements) if e.kind in _FIELDS and _short(e.text)
              and e.box[3] - e.box[1] <= 4 * unit]
    out: set[int] = set()
    for i, x in starts.items():
        if i in out:
            continue
        col = [j for j, xj in starts.items() if abs(xj - x) <= unit]
        col += [f for f in fields if elements[f].box[0] < x < elements[f].box[2]
                and x - elements[f].box[0] <= 6 * unit]
        col.sort(key=lambda j: _cy(elements[j]))
        at = col.index(i)
        steps = [_cy(elements[col[k + 1]]) - _cy(elements[col[k]]) for k in range(len(col) - 1)]

        def ok(s: float) -> bool:
            return 1.5 * unit <= s <= 6 * unit

        lo = hi = at
        while lo > 0 and ok(steps[lo - 1]):
            lo -= 1
        while hi < len(steps) and ok(steps[hi]):
            hi += 1
        run, gaps = col[lo:hi + 1], steps[lo:hi]
        if len(run) < 3 or max(gaps) > 1.6 * min(gaps):
            continue
        if not _tabular(run, elements, unit):
            out.update(run)
    return out
