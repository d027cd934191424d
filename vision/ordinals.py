"""What an ordinal counts: the candidates of a compatible kind, in the reading order of those alone.

A flat button, a grey nav link, a tab or a menu entry often reads to OCR as plain text (no box around
it, body colour), while its siblings of the same words are seen as buttons or links. A person counts
them all: "the third "Item" link" is the third "Item" among the clickable-looking words, whatever the
detector made of each. So for button, link, tab, menu and menu item, a same-text plain text counts with
the widgets, unless it is plainly something else: a large heading, a title clearly taller than the
others of its words and alone in its row, the label of a field or the caption of a checkbox beside it,
or a field's own value or placeholder. (A text lying inside a matching widget is that widget's own
text; the caller drops it as a duplicate.)

Ordinals count in reading order over the counted elements only, not over everything on the screen: a
tall card or banner elsewhere must not pull two separate rows into one (SCENARIO_FORMAT: top to bottom,
and left to right among elements whose vertical centres lie within half a height of each other). The
height of a text OCR read is its line's, not its ink's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from vision.geometry import body_height, reading_indices, same_row
from vision.target import FIELD_KINDS, TOGGLE_KINDS
from vision.textmatch import SAME_TEXT, similarity
from vision.types import Box, Element

__all__ = ["CLICKABLE_KINDS", "big_list", "compatible", "in_reading_order"]

# kinds whose members a detector often misses, leaving their words as plain text
CLICKABLE_KINDS = ("button", "link", "tab", "menuitem", "menu")


def _h(b: Box) -> int:
    return max(1, b[3] - b[1])


def _gap(a: Box, b: Box) -> float:
    dx = max(0, b[0] - a[2], a[0] - b[2])
    dy = max(0, b[1] - a[3], a[1] - b[3])
    return math.hypot(dx, dy)


def _labels_a_control(e: Element, elements: Sequence[Element]) -> bool:
    """Is text e the label of a field or the caption of a checkbox/radio close by (its own words), or
    written inside a field (its value or placeholder)?"""
    reach = max(4 * _h(e.box), 60)
    cx, cy = (e.box[0] + e.box[2]) / 2, (e.box[1] + e.box[3]) / 2
    for f in elements:
        if f.kind in FIELD_KINDS and f.box[0] <= cx <= f.box[2] and f.box[1] <= cy <= f.box[3]:
            return True
        if f.kind in FIELD_KINDS + TOGGLE_KINDS and f.label and f is not e \
                and similarity(f.label, e.text) >= SAME_TEXT and _gap(e.box, f.box) <= reach:
            return True
    return False


def _title(i: int, words: Sequence[int], elements: Sequence[Element]) -> bool:
    """Is text i a title over the others of its words: clearly taller than they are, and alone in its row
    but for another column's title as tall, far off (the next section heading "Button Group"; a row of
    large items stands closer)? ("Grid" over a grid of "Grid" cells; a section heading "Button" over a
    row of "Button" tabs.)"""
    others = [j for j in words if j != i]
    if not others:
        return False
    hs = sorted(_h(elements[j].box) for j in others)
    tall = 1.25 * hs[len(hs) // 2]
    if _h(elements[i].box) < tall:
        return False
    b = elements[i].box
    far = 8 * _h(b)
    return not any(k != i and same_row(b, e.box) and e.kind != "icon"
                   and not (e.kind == "text" and _h(e.box) >= tall and _gap(b, e.box) > far)
                   for k, e in enumerate(elements))


def _x_overlap(a: Box, b: Box) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0])


def _value_column(i: int, texts: Sequence[int], widgets: Sequence[int], elements: Sequence[Element]) -> bool:
    """Is text i a value in a table column beside a column of controls of the same words (a role "编辑"
    beside the "编辑" action link of each row)? Another such text in i's column, in another row; one
    control in each of the two rows, those two controls in one column; and no control in i's column.
    A row holding several controls of those words is a row of controls, not a table row; and a row's
    actions end it, so the value lies left of the control (a flat button right of a boxed one is not)."""
    b = elements[i].box
    if any(_x_overlap(b, elements[w].box) for w in widgets):
        return False
    mine = [w for w in widgets if same_row(b, elements[w].box)]
    if len(mine) != 1 or b[2] > elements[mine[0]].box[0]:
        return False
    for j in texts:
        c = elements[j].box
        if j == i or not _x_overlap(b, c) or same_row(b, c):
            continue
        theirs = [v for v in widgets if same_row(c, elements[v].box)]
        if len(theirs) == 1 and theirs[0] != mine[0] and _x_overlap(elements[mine[0]].box, elements[theirs[0]].box):
            return True
    return False


def _beside_its_button(i: int, widgets: Sequence[int], elements: Sequence[Element]) -> bool:
    """Is text i in a row whose one control of the same words is a boxed button? A table row does not
    repeat its action as plain text: the text is a value (a user's role "编辑" beside the row's "编辑"
    button). A row of several same-word controls (a style sheet's row of buttons) is not a table row, and
    a row's actions end it: a text right of the button is a flat button after a boxed one, not a value.
    The button is one of a column of such buttons, one a row (a single row of "Group" buttons, some flat
    and one boxed, is a button group)."""
    b = elements[i].box
    mine = [w for w in widgets if same_row(b, elements[w].box)]
    if len(mine) != 1 or elements[mine[0]].kind != "button" or b[2] > elements[mine[0]].box[0]:
        return False
    own = elements[mine[0]].box
    return any(w != mine[0] and not same_row(own, elements[w].box) and _x_overlap(own, elements[w].box)
               for w in widgets)


def big_list(elements: Sequence[Element]) -> set[int]:
    """Indices of large texts that are items of a list, not headings: three or more short texts of one
    size stacked in a column (left edges together), each a steady step below the last (a large nav's
    "Active", "Item", "Item"). A heading stands alone over text of another size."""
    items = [i for i, e in enumerate(elements) if e.kind == "text" and 0 < len(e.text.split()) <= 3
             and len(e.text) <= 24]
    out: set[int] = set()
    for i in items:
        a = elements[i].box
        col = sorted((j for j in items if abs(elements[j].box[0] - a[0]) <= _h(a) / 2
                      and 0.8 <= _h(elements[j].box) / _h(a) <= 1.25), key=lambda j: elements[j].box[1])
        at = col.index(i)
        lo = hi = at
        while lo > 0 and 0 <= elements[col[lo]].box[1] - elements[col[lo - 1]].box[3] <= _h(a):
            lo -= 1
        while hi < len(col) - 1 and 0 <= elements[col[hi + 1]].box[1] - elements[col[hi]].box[3] <= _h(a):
            hi += 1
        if hi - lo >= 2:
            out.update(col[lo:hi + 1])
    return out


def compatible(kind: str | None, indices: Sequence[int], elements: Sequence[Element],
               peers: Sequence[int] = ()) -> set[int]:
    """Of the candidates `indices` that do not look like `kind`, those an ordinal over `kind` counts with
    the ones that do: plain texts (see above) and other clickable kinds (an active tab seen as a button,
    a link-styled button seen as a link). `peers`: every candidate of the same words, for titles."""
    if kind not in CLICKABLE_KINDS:
        return set()
    out = {i for i in indices if elements[i].kind in CLICKABLE_KINDS}
    texts = [i for i in indices if elements[i].kind == "text" and elements[i].text]
    if not texts:
        return out
    body = body_height(elements)
    words = [j for j in peers or indices if elements[j].kind in ("text", "link")]
    # values of a column are texts of the same words as the controls, not longer lines that hold them
    same = [j for j in words if elements[j].kind == "text"] if peers else texts
    widgets = [j for j in peers or indices if elements[j].kind in CLICKABLE_KINDS]
    large: set[int] | None = None
    for i in texts:
        e = elements[i]
        if body and _h(e.box) >= 1.6 * body:
            large = big_list(elements) if large is None else large
            if i not in large:
                continue  # a heading of the same words is not one of the row of buttons or links
        if _title(i, words, elements) or _labels_a_control(e, elements) \
                or _value_column(i, same, widgets, elements) \
                or kind == "button" and _beside_its_button(i, widgets, elements):
            continue
        out.add(i)
    return out


INK_KINDS = ("text", "link", "menuitem", "tab")  # boxes OCR draws round the ink of the words


def _line_box(e: Element) -> Element:
    """e with the box of its line rather than its ink: OCR boxes words tight, about half as tall as the
    line they sit on (and a nav item or link is at least that line), so text beside a taller item in
    one row is not put in a row of its own."""
    if e.kind not in INK_KINDS:
        return e
    x0, y0, x1, y1 = e.box
    grow = round((y1 - y0) / 2)
    return Element(e.kind, e.text, (x0, y0 - grow, x1, y1 + grow))


def in_reading_order(indices: Sequence[int], elements: Sequence[Element]) -> list[int]:
    """`indices` sorted in the reading order of their own boxes (rows formed among them alone)."""
    idx = list(indices)
    order = reading_indices([_line_box(elements[i]) for i in idx])
    return [idx[k] for k in order]
