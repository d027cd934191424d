"""A modal dialog over a dimmed page: find the dialog, so the page behind it is left out of the parse.

A modal's backdrop is a dark translucent layer over the whole page (Element Plus, antd, Bootstrap,
Bulma, MUI, Tailwind UI all draw one): everything outside the dialog is darkened by the same factor,
so nothing outside is anywhere near as light as the dialog's own surface. The page behind is still
readable but cannot be clicked (a click there lands on the backdrop and usually closes the dialog),
so what OCR reads there would only compete with the dialog's own fields and buttons.

The test: the largest connected light area (the dialog) is big, and outside it (past its shadow)
the lightest pixels are clearly darker than it. A dark-themed page with a light card on it is not a
modal: its text outside the card is light (near-white headings, light grey body text). A page this
test cannot tell from a dimmed one would have only dark, barely readable text round a light card.
"""

from __future__ import annotations

import cv2
import numpy as np

from vision.types import Box

__all__ = ["modal_box", "in_dialog"]

# The dialog's surface is light: its brightness (largest channel) at least this.
LIGHT = 200
# Outside the dialog, the lightest pixels (99.9th percentile) are at most this share of its surface...
DIM = 0.72
# ...and a backdrop darker than this share must be a strong dim (Bulma's is 86 % black), not a dark
# theme's own background: then the lightest pixels outside must be this share at most.
DARK_BG, DARK_MAX = 60, 0.35


def modal_box(rgb: np.ndarray) -> Box | None:
    """The box of a light modal dialog over a dimmed page, or None when the screen shows none."""
    h, w = rgb.shape[:2]
    if h < 100 or w < 100:
        return None
    k = 4 if min(h, w) >= 400 else 1  # a quarter-size look is plenty for a dialog-sized area
    small = rgb[::k, ::k]
    value = small.max(axis=2)
    light = (value >= LIGHT).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(light, connectivity=8)
    if count < 2:
        return None
    best = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, bw, bh = (int(v) for v in stats[best, :4])
    sh, sw = value.shape
    if bw < 0.2 * sw or bh < 0.12 * sh or bw * bh > 0.8 * sw * sh:
        return None  # too small for a dialog, or the page itself
    # Past the dialog's shadow (a few per cent of the screen round it).
    mx, my = max(2, int(0.03 * sw)), max(2, int(0.03 * sh))
    outside = np.ones_like(light, dtype=bool)
    outside[max(0, y - my):y + bh + my, max(0, x - mx):x + bw + mx] = False
    if outside.mean() < 0.15:
        return None
    surface = float(np.median(value[y:y + bh, x:x + bw][light[y:y + bh, x:x + bw] > 0]))
    lightest = float(np.percentile(value[outside], 99.9))
    background = float(np.median(value[outside]))
    limit = DIM if background >= DARK_BG else DARK_MAX
    if lightest > limit * surface:
        return None
    return (x * k, y * k, min(w, (x + bw) * k), min(h, (y + bh) * k))


def in_dialog(box: Box, dialog: Box, slack: int = 4) -> bool:
    """Does `box` lie inside the dialog? (What the dialog's edge cuts belongs to the page behind.)"""
    return dialog[0] - slack <= box[0] and dialog[1] - slack <= box[1] and box[2] <= dialog[2] + slack \
        and box[3] <= dialog[3] + slack
