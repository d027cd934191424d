"""Pairing a label with its field by layout, when no field was seen beside it.

Borderless form rows (mobile cells separated by hairlines, grey-filled fields with no outline) show
no field at all: a label on the left and a placeholder, a value or nothing on the right; or a label
with its field's text below it. A person means the place beside the label, so `implied_field` answers
with that place:

- right of the label in its row, when something sits there: the text in it (placeholder or value),
  or the blank stretch before a button that ends the row (a "send code" button);
- below it, when the first thing below is indented like text inside a box (a stacked form) and
  closer than the row's next item; a next label aligned with this one says the rows are side-label
  rows instead;
- else the blank place right of the label or just below it, the way the other labels of its column go
  (side-label rows or a stacked form); a lone label with nothing beside it and no column to go by
  stays itself (it may be an unseen field's own placeholder), unless it ends in a colon.

A text that is itself what some label on its left (or above it) names is a placeholder or value, not
a label: it is clicked as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from vision.types import Box, Element

__all__ = ["implied_field", "column_side", "row_end_box", "side_points"]

_CONTENT = ("text", "input", "textarea", "select")  # what can be a field's own text


def _h(b: Box) -> int:
    return max(1, b[3] - b[1])


def _cy(b: Box) -> float:
    return (b[1] + b[3]) / 2


def _same_row(a: Box, b: Box) -> bool:
    return abs(_cy(a) - _cy(b)) <= max(_h(a), _h(b)) / 2


def _right(lab: Box, elements: Sequence[Element], width: int | None) -> Element | None:
    """The first thing right of the label in its row, within reach."""
    reach = 0.3 * width if width else 400
    row = [e for e in elements if e.box != lab and _same_row(lab, e.box) and e.box[0] >= lab[2] - 2
           and e.box[0] - lab[2] <= reach]
    return min(row, key=lambda e: e.box[0]) if row else None


def _below(lab: Box, elements: Sequence[Element]) -> Element | None:
    """The nearest thing under the label, in its column (overlapping it, or starting just past it)."""
    reach = max(4 * _h(lab), 60)
    col = [e for e in elements if e.box != lab and e.box[1] >= lab[3] - 2 and e.box[1] - lab[3] <= reach
           and e.box[0] <= lab[2] + 40 and e.box[2] >= lab[0]]
    return min(col, key=lambda e: (e.box[1], abs(e.box[0] - lab[0]))) if col else None


def _aligned(lab: Box, b: Box) -> bool:
    """Text of a label column: about the label's size, aligned with it at the left edge, or at the right
    edge (right-aligned labels) without being indented a padding's width (text inside a box below)."""
    tol, dx0 = max(3, 0.2 * _h(lab)), b[0] - lab[0]
    return 0.6 <= _h(b) / _h(lab) <= 1.7 and (
        abs(dx0) <= tol or (abs(b[2] - lab[2]) <= tol and not 0 < dx0 <= 1.5 * _h(lab)))


def _peer(lab: Box, e: Element) -> bool:
    """Another label of the same column, a row further down."""
    return e.kind == "text" and e.box[1] - lab[3] >= 0.8 * _h(lab) and _aligned(lab, e.box)


def _words(e: Element | None) -> str:
    return " ".join((e.text or e.label).casefold().split()) if e is not None else ""


def _peers(lab: Box, elements: Sequence[Element]) -> list[Element]:
    """Other labels of the label's column (aligned at either edge, about its size), nearest first."""
    out = [e for e in elements if e.kind == "text" and e.box != lab and not _same_row(lab, e.box)
           and _aligned(lab, e.box)]
    return sorted(out, key=lambda e: abs(_cy(e.box) - _cy(lab)))[:4]


def _first_seen(lab: Box, elements: Sequence[Element], width: int | None) -> tuple[str, Element | None]:
    r, b = _right(lab, elements, width), _below(lab, elements)
    me = _words(next((e for e in elements if e.box == lab), None))
    if me:  # the same words again beside it: a row or column of like fields, not a label and its field
        # (a field that carries this label as its name is this label's field, not a like one)
        r = None if r is not None and _words(r) == me and r.kind == "text" else r
        b = None if b is not None and _words(b) == me and b.kind == "text" else b
    if r is not None and r.kind in _CONTENT[1:]:
        return "right", r  # a field seen in its row
    # a box's text starts at most a padding right of its label, never left of it
    inside = b is not None and -max(3, 0.2 * _h(lab)) <= b.box[0] - lab[0] <= 2 * _h(lab)
    if b is not None and inside and not _peer(lab, b) and (r is None or b.box[1] - lab[3] < r.box[0] - lab[2]):
        return "below", b
    if r is not None:
        return "right", r
    return ("right" if b is not None and _peer(lab, b) else ""), None  # a next label under it: side-label rows


def _side(lab: Box, elements: Sequence[Element], width: int | None,
          colon: bool = False) -> tuple[str, Element | None]:
    """Which side of the label its field is on ("right" or "below") and the first thing seen there. A
    label with nothing beside it goes the way the other labels of its column go (a lone one ending in a
    colon is a side label)."""
    side, near = _first_seen(lab, elements, width)
    if near is not None and near.kind in _CONTENT[1:]:
        return side, near
    column = column_side(lab, elements, width)
    if side == "below":
        # a text just below may be the next block's (a caption under a form's last row); when the other
        # labels of the column have their fields on the right, so has this one, if something is there
        r = _right(lab, elements, width)
        if column == "right" and r is not None and _words(r) != _words(next((e for e in elements if e.box == lab),
                                                                            None)):
            return "right", r
        return side, near
    if side == "right":  # the next label of a stacked form's row of columns reads like a placeholder
        return ("below", None) if column == "below" else (side, near)
    # nothing beside it and no other label to go by: a lone text may be an unseen field's own placeholder
    return column or ("right" if colon else ""), None


def column_side(lab: Box, elements: Sequence[Element], width: int | None) -> str | None:
    """The side the other labels of this label's column have their fields on ("right": side-label rows,
    "below": a stacked form), by majority; None when no other label says."""
    votes = [_first_seen(p.box, elements, width)[0] for p in _peers(lab, elements)]
    r, b = votes.count("right"), votes.count("below")
    return None if r == b else ("right" if r > b else "below")


def _column_x(lab: Box, elements: Sequence[Element], width: int | None) -> int | None:
    """Where the fields' texts start in rows whose labels share this label's column (side-label rows)."""
    xs = sorted(near.box[0] for p in _peers(lab, elements)
                for side, near in [_first_seen(p.box, elements, width)] if side == "right" and near is not None
                and (near.kind != "text" or any(c.isalnum() for c in near.text)))  # (a ">" chevron is no text)
    return xs[len(xs) // 2] if xs else None


def _named_by_other(e: Element, elements: Sequence[Element], width: int | None) -> bool:
    """Is text e what a label left of it in its row, or above it, names (a placeholder or a value)?"""
    if _first_seen(e.box, elements, width)[0] == "below":
        return False  # text inside a box right under it: e is that box's label
    for lab in elements:
        if lab is e or lab.kind != "text" or not lab.text.strip() or _h(lab.box) > 1.4 * _h(e.box):
            continue  # (a heading is not a field's label)
        left = _same_row(lab.box, e.box) and lab.box[2] <= e.box[0] + 2
        above = (lab.box[3] <= e.box[1] + 2 and e.box[1] - lab.box[3] <= max(4 * _h(lab.box), 60)
                 and e.box[0] <= lab.box[2] + 40 and e.box[2] >= lab.box[0])
        if (left or above) and _first_seen(lab.box, elements, width)[1] is e:
            return True
    return False


def implied_field(lab: Element, elements: Sequence[Element], kind: str, width: int | None,
                  height: int | None = None) -> Element | None:
    """The place of the field that `lab` names where no field of `kind` was seen: an Element of that kind
    (score 0.3, labelled with the label's text) whose centre is where to click; None when `lab` is
    itself a placeholder or value that some other label names."""
    box = lab.box
    if lab.kind == "text" and _named_by_other(lab, elements, width):
        return None
    h = _h(box)
    name = lab.text or lab.label
    side, near = _side(box, elements, width, colon=name.rstrip()[-1:] in ":：")
    if not side:
        return None
    if side == "right":
        col = _column_x(box, elements, width) if near is not None else None
        # (past the column's fields, yet just after a long label, "手机号 +86": still the label's own field's text)
        trailing = near is not None and (near.kind not in _CONTENT or (col is not None and near.box[0] > col + 2 * h
                                                                        and near.box[0] - box[2] > 2 * h))
        if near is not None and not trailing:
            return Element(kind, "", near.box, 0.3, label=name)  # the field's own text: placeholder or value
        # blank: from the fields' column (or just past the label) to what ends the row
        x0 = max(box[2] + h, col or 0) if trailing else box[2] + h
        end = near.box[0] - h // 2 if near is not None else (width or box[2] + 32 * h)
        half = max(h // 2, min((end - x0) // 2, 8 * h))
        return Element(kind, "", (x0, box[1], x0 + 2 * half, box[3]), 0.3, label=name)
    if near is not None:
        nb = near.box
        if near.kind in _CONTENT or (near.kind not in ("icon", "image") and nb[2] - nb[0] > 1.5 * _h(nb)):
            # its text, or the field itself seen as another kind of box
            return Element(kind, "", nb, 0.3, label=name)
        # a box (an icon addon, a button) starts the field's line: the field runs on right of it
        x0 = near.box[2] + h
        return Element(kind, "", (x0, near.box[1], x0 + 8 * h, near.box[3]), 0.3, label=name)
    nxt = [e.box[1] for e in elements if e.box[1] >= box[3] and e.box[0] <= box[2] + 40 and e.box[2] >= box[0]]
    top, bottom = box[3] + h // 2, box[3] + 9 * h // 2
    if nxt:
        bottom = min(bottom, min(nxt) - 2)
    if height:
        bottom = min(bottom, height)
    w = max(box[2] - box[0], 16 * h)
    if width:
        w = min(w, width - box[0])
    return Element(kind, "", (box[0], top, box[0] + w, max(top + 2, bottom)), 0.3, label=name)


def side_points(box: Box, width: int, height: int) -> list[tuple[int, int]]:
    """Where to click for the field a label at `box` names when the label itself took no focus: right of
    it in its row, then below it (pixels of the same image)."""
    h = _h(box)
    cy = int(_cy(box))
    pts = [(min(width - 2, box[2] + 4 * h), cy), (min(width - 2, box[2] + 2 * h), cy)]
    below = box[3] + 2 * h
    if below < height:
        pts.append((min(width - 2, box[0] + max(2 * h, (box[2] - box[0]) // 2)), below))
    return list(dict.fromkeys(pts))


def row_end_box(box: Box, width: int) -> Box:
    """A caption's row from the caption to the row's end: where its toggle may sit (settings rows)."""
    return (box[0], box[1], width, box[3])
