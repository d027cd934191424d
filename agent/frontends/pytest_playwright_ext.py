"""Fixtures that extend pytest-playwright's own, registered by the pagesight plugin only when
pytest-playwright is loaded (and after it, so each one receives and extends the original)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from browser.launch import extend_launch_args


@pytest.fixture(scope="session")
def playwright(request: pytest.FixtureRequest) -> Iterator[Any]:
    """pytest-playwright's Playwright, shared with pagesight's own users in this thread
    (BrowserSession, browser.launch.shared_playwright): two sync Playwrights cannot run in one
    thread, so a suite that mixes them would otherwise fail on whichever starts second."""
    from browser.launch import acquire_playwright, release_playwright

    pw = acquire_playwright()
    try:
        try:
            contexts = request.getfixturevalue("_pw_api_request_contexts")  # --tracing of API requests
        except pytest.FixtureLookupError:  # an older pytest-playwright without it
            contexts = None
        if contexts is not None:
            contexts.instrument(pw)
        yield pw
    finally:
        release_playwright()

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, browser_name: str | None,
                             playwright: Any) -> dict:
    name = browser_name or "chromium"
    executable = playwright.chromium.executable_path if name == "chromium" else None
    return extend_launch_args(dict(browser_type_launch_args), name, executable)

@pytest.fixture(scope="session")
def connect_options(connect_options: dict | None) -> dict | None:
    ws = os.environ.get("PAGESIGHT_BROWSER_WS")
    if connect_options is None and ws:
        return {"ws_endpoint": ws}
    return connect_options
