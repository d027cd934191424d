"""Visual comparison: two screenshots compared as a person compares them, down to the element.

    from vision.compare import compare
    diff = compare(before_png, after_png, level="layout", backend=load_backend("ocr"))
    for change in diff.changes:
        print(change.kind, change.summary)      # moved  the 'Save' button moved 12 px right

Levels, masks and the algorithm: vision.compare.compare; pixels: vision.compare.pixels (pixelmatch);
pairing elements: vision.compare.match; words and the side-by-side picture: vision.compare.report.
"""

from vision.compare.compare import DEFAULT_TOLERANCE, LEVELS, Diff, compare
from vision.compare.match import Change
from vision.compare.pixels import DEFAULT_THRESHOLD, diff_mask
from vision.compare.report import side_by_side, summarize

__all__ = ["compare", "Diff", "Change", "LEVELS", "DEFAULT_THRESHOLD", "DEFAULT_TOLERANCE", "diff_mask",
           "side_by_side", "summarize"]
