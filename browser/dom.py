"""What is under a point and what has focus: the few DOM facts a screenshot cannot show.

Native <select> popups are drawn by the browser outside the page, so they never appear in a page
screenshot; picking an option goes through the DOM instead. Both look-ups descend into iframes
(cross-origin ones too, through Playwright's frames) and open shadow roots.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pagesight_errors import BrowserError, ElementNotFound, PagesightError

__all__ = ["OptionNotFound", "element_at", "native_select_at", "focused_info", "focused_box", "match_option",
           "normalize_text", "scroll_area_at"]

# The deepest element at (x, y) in this document, through open shadow roots.
_HIT_JS = """([x, y]) => {
  let el = document.elementFromPoint(x, y);
  while (el && el.shadowRoot) {
    const inner = el.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === el) break;
    el = inner;
  }
  return el;
}"""

# Where an iframe's content starts, in its parent's CSS pixels (box + border + padding).
_CONTENT_ORIGIN_JS = """(el) => {
  const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
  return [r.left + el.clientLeft + parseFloat(cs.paddingLeft || 0),
          r.top + el.clientTop + parseFloat(cs.paddingTop || 0)];
}"""

_SELECT_JS = """(el) => {
  const sel = el.tagName === 'SELECT' ? el : (el.closest ? el.closest('select') : null);
  if (!sel) return null;
  return {disabled: sel.disabled, multiple: sel.multiple, selected: sel.selectedIndex,
          options: Array.from(sel.options).map(o => ({index: o.index, label: (o.label || o.text || ''),
                                                      value: o.value, disabled: o.disabled}))};
}"""

# Select like a person would: focus, choose, and fire input + change only when the choice changed.
_CHOOSE_JS = """(el, idx) => {
  const sel = el.tagName === 'SELECT' ? el : el.closest('select');
  sel.focus();
  if (sel.options[idx].selected && (!sel.multiple || sel.selectedOptions.length === 1)) return false;
  if (sel.multiple) { for (const o of sel.options) o.selected = (o.index === idx); }
  else sel.selectedIndex = idx;
  sel.dispatchEvent(new Event('input', {bubbles: true, composed: true}));
  sel.dispatchEvent(new Event('change', {bubbles: true}));
  return true;
}"""

# The deepest focused element of this document (through shadow roots) and what kind of field it is.
_FOCUS_JS = """() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  return el;
}"""

_FOCUS_INFO_JS = """(el) => {
  const tag = el.tagName.toLowerCase();
  const type = tag === 'input' ? (el.getAttribute('type') || 'text').toLowerCase() : null;
  const textTypes = ['text', 'email', 'password', 'search', 'tel', 'url', 'number', 'date',
                     'datetime-local', 'month', 'time', 'week'];
  const field = (tag === 'input' && textTypes.includes(type)) || tag === 'textarea';
  const editable = !!((field && !el.disabled && !el.readOnly) || el.isContentEditable);
  let label = el.getAttribute('aria-label') || '';
  if (!label && el.labels && el.labels.length) label = el.labels[0].innerText;
  let value = null;
  if (field || tag === 'select') value = el.value;
  else if (el.isContentEditable) value = el.innerText;
  if (type === 'password' && value) value = '\u2022'.repeat(value.length);
  return {tag, type, editable, name: el.getAttribute('name'), id: el.id || null,
          placeholder: el.getAttribute('placeholder'), label: label.trim() || null, value};
}"""

_MAX_FRAME_DEPTH = 8


class OptionNotFound(ElementNotFound):
    """A <select> was there but none of its options matched; the message lists the options."""

    def __init__(self, option: str, labels: list[str], why: str = "no option matches"):
        self.target = option
        self.candidates = []
        self.screenshot = None
        self.options = labels
        shown = ", ".join(repr(label) for label in labels) or "(none)"
        PagesightError.__init__(self, f"cannot choose {option!r} in the drop-down: {why}; its options are: {shown}")


def normalize_text(text: str) -> str:
    """Compare text as a person reads it: NFKC (full-width = half-width), case-folded, spaces collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip().casefold()


def match_option(options: list[dict[str, Any]], wanted: str) -> dict[str, Any] | None:
    """The option whose visible label is `wanted`; then by value; then the only label containing it."""
    key = normalize_text(wanted)
    if not key:
        return None
    for field in ("label", "value"):
        hits = [o for o in options if normalize_text(o[field]) == key]
        if hits:
            return next((o for o in hits if not o["disabled"]), hits[0])
    partial = [o for o in options if key in normalize_text(o["label"])]
    return partial[0] if len(partial) == 1 else None


def element_at(page: Any, x: float, y: float) -> tuple[Any, Any] | None:
    """(frame, element handle) of the deepest element at CSS point (x, y), or None over nothing."""
    frame = page.main_frame
    for _ in range(_MAX_FRAME_DEPTH):
        handle = frame.evaluate_handle(_HIT_JS, [x, y]).as_element()
        if handle is None:
            return None
        tag = handle.evaluate("e => e.tagName")
        if tag not in ("IFRAME", "FRAME"):
            return frame, handle
        child = handle.content_frame()
        if child is None:  # an iframe that has not loaded anything: it is the element
            return frame, handle
        ox, oy = handle.evaluate(_CONTENT_ORIGIN_JS)
        frame, x, y = child, x - ox, y - oy
    raise BrowserError(f"iframes nested deeper than {_MAX_FRAME_DEPTH} levels at ({x:.0f}, {y:.0f})")


def native_select_at(page: Any, x: float, y: float, option: str) -> bool:
    """Choose `option` in the native <select> at CSS (x, y). False when no <select> is there.

    Raises OptionNotFound (listing the options) when none matches, or when the match is disabled.
    """
    hit = element_at(page, x, y)
    if hit is None:
        return False
    _, handle = hit
    info = handle.evaluate(_SELECT_JS)
    if info is None:
        return False
    labels = [o["label"].strip() for o in info["options"]]
    if info["disabled"]:
        raise OptionNotFound(option, labels, "the drop-down is disabled")
    chosen = match_option(info["options"], option)
    if chosen is None:
        raise OptionNotFound(option, labels)
    if chosen["disabled"]:
        raise OptionNotFound(option, labels, f"option {chosen['label'].strip()!r} is disabled")
    handle.evaluate(_CHOOSE_JS, chosen["index"])
    return True


def _focused(page: Any) -> tuple[Any, Any, tuple[float, float]] | None:
    """(frame, handle, offset of that frame's viewport in the page) of the focused element."""
    frame, ox, oy = page.main_frame, 0.0, 0.0
    for _ in range(_MAX_FRAME_DEPTH):
        handle = frame.evaluate_handle(_FOCUS_JS).as_element()
        if handle is None:
            return None
        if handle.evaluate("e => e.tagName") in ("IFRAME", "FRAME"):
            child = handle.content_frame()
            if child is not None:
                dx, dy = handle.evaluate(_CONTENT_ORIGIN_JS)
                frame, ox, oy = child, ox + dx, oy + dy
                continue
        return frame, handle, (ox, oy)
    raise BrowserError(f"focus is inside iframes nested deeper than {_MAX_FRAME_DEPTH} levels")


def focused_info(page: Any) -> dict[str, Any]:
    """What has keyboard focus: tag, input type, whether typing would edit it, name/id/label, value.

    Nothing focused reads as the <body>, not editable. Passwords' values come back masked.
    """
    found = _focused(page)
    if found is None:
        return {"tag": None, "type": None, "editable": False, "name": None, "id": None,
                "placeholder": None, "label": None, "value": None, "in_frame": False}
    frame, handle, _ = found
    info = handle.evaluate(_FOCUS_INFO_JS)
    info["in_frame"] = frame is not page.main_frame
    return info


def focused_box(page: Any) -> tuple[float, float, float, float] | None:
    """The focused element's box in the page's CSS pixels [x1, y1, x2, y2]; None when only <body> is."""
    found = _focused(page)
    if found is None:
        return None
    frame, handle, (ox, oy) = found
    if frame is page.main_frame and handle.evaluate("e => e === document.body || e === document.documentElement"):
        return None
    r = handle.evaluate("e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }")
    return (r[0] + ox, r[1] + oy, r[2] + ox, r[3] + oy)


# The nearest element at or above (x, y) that scrolls on its own (overflow auto/scroll with more to show),
# not the page itself: [left, top, right, bottom] in CSS pixels.
_SCROLL_AREA_JS = """([x, y]) => {
  let el = document.elementFromPoint(x, y);
  const page = [document.scrollingElement, document.documentElement, document.body];
  while (el && !page.includes(el)) {
    const cs = getComputedStyle(el);
    const scrolls = /(auto|scroll|overlay)/.test(cs.overflowY + " " + cs.overflowX);
    if (scrolls && (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)) {
      const r = el.getBoundingClientRect();
      return [r.left, r.top, r.right, r.bottom];
    }
    el = el.parentElement || (el.getRootNode().host ?? null);
  }
  return null;
}"""


def scroll_area_at(page: Any, x: float, y: float) -> tuple[float, float, float, float] | None:
    """The box of the scrollable area (an `overflow: auto` list, a panel) under CSS (x, y), in the main
    document; None when only the page itself scrolls there. The wheel turned over it scrolls it."""
    box = page.main_frame.evaluate(_SCROLL_AREA_JS, [x, y])
    return tuple(box) if box else None
