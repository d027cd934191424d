"""Pages that did not open: an HTTP error status or a network error fails the step that opened the page.

A browser shows a 404 page or its own "refused to connect" page like any other page, so without this
check the failure surfaced steps later as a vague "not visible", or (for the scenario's first page)
as a run of `0/0` steps. `open_page` is used by `go to` steps and for a scenario's `url:`.
"""

from __future__ import annotations

import time
from http import HTTPStatus
from typing import Any

from agent.engine.records import FAILED, StepRecord
from pagesight_errors import ActionFailed, BrowserError

__all__ = ["open_page", "open_start_page"]


def _reason(status: int) -> str:
    try:
        return f" {HTTPStatus(status).phrase}"
    except ValueError:
        return ""


def open_page(session: Any, url: str) -> int | None:
    """Open `url`; ActionFailed names the HTTP status of a page that answered with an error (>= 400),
    BrowserError names the network error of one that never answered. Returns the status."""
    status = session.goto(url)
    if status is not None and status >= 400:
        raise ActionFailed(f"{url} answered HTTP {status}{_reason(status)}: the page did not open")
    return status


def open_start_page(session: Any, url: str) -> StepRecord | None:
    """Open a scenario's first page; when it does not open, the failed step that says why (step 0,
    "open URL"), so the run shows the step and its cause rather than `0/0`."""
    started = time.perf_counter()
    try:
        open_page(session, url)
    except (ActionFailed, BrowserError) as exc:
        return StepRecord(index=0, description=f"open {url}", status=FAILED, error=str(exc),
                          duration_s=time.perf_counter() - started)
    return None
