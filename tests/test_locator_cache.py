"""The locator cache (issue #12) on a real page in real Chromium with real OCR: a cached target is used
only when the screen shows it; a moved button is still found and its entry rewritten; a renamed one
fails the step with a clear message and nothing is clicked at the old spot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.engine.locator_cache import LocatorCache, cache_path, check_mode, default_mode
from agent.engine.loop import Agent
from agent.language.steps import Click
from browser.serve import serve_folder
from browser.session import BrowserSession
from pagesight_errors import ElementNotFound, ScenarioError

PAGES = Path(__file__).resolve().parent / "pages" / "speed"
STEP = Click('"Refresh" button')


@pytest.fixture(scope="module")
def pages():
    with serve_folder(PAGES) as url:
        yield url


def _click_once(raw_browser, backend, url: str, cache: LocatorCache, query: str = ""):
    """Run the one step on a fresh page; returns (record, error, page clicks, clicks anywhere)."""
    with BrowserSession(viewport=(800, 500), base_url=url, browser=raw_browser) as session:
        session.goto(f"/counter.html{query}")
        agent = Agent(session, backend, timeout=1.5, cache=cache)
        error = None
        try:
            agent.run(STEP)
        except ElementNotFound as exc:
            error = exc
        counts = session.page.evaluate("[window.clicks, window.anyClicks]")
    cache.save()
    return agent.records[-1], error, counts[0], counts[1]


def test_moved_button_hits_and_rewrites_then_renamed_fails_without_clicking(raw_browser, backend, pages,
                                                                            tmp_path):
    path = cache_path(tmp_path / "counter.yaml")
    assert path == tmp_path / "__pagesight_cache__" / "counter.json"

    record, error, clicks, _ = _click_once(raw_browser, backend, pages, LocatorCache(path))
    assert error is None and clicks == 1 and record.cache == "new"
    entry = next(iter(json.loads(path.read_text())["entries"].values()))
    assert entry["text"] == "Refresh" and (path.parent / "counter" / entry["template"]).is_file()

    # the same page again: a hit, no grounding needed
    record, error, clicks, _ = _click_once(raw_browser, backend, pages, LocatorCache(path))
    assert error is None and clicks == 1 and record.cache == "hit"

    # the button 40 px lower: found near its cached place, clicked, and the entry moved with it
    cache = LocatorCache(path)
    record, error, clicks, _ = _click_once(raw_browser, backend, pages, cache, "?shift=40")
    assert error is None and clicks == 1 and record.cache == "hit" and cache.stats.moved == 1
    moved = next(iter(json.loads(path.read_text())["entries"].values()))
    assert moved["box"][1] == entry["box"][1] + 40 and moved["box"][0] == entry["box"][0]

    # renamed to another word: the cache misses, grounding finds no "Refresh", and nothing is clicked
    cache = LocatorCache(path)
    record, error, clicks, anywhere = _click_once(raw_browser, backend, pages, cache, "?label=Reload")
    assert isinstance(error, ElementNotFound) and "Refresh" in str(error)
    assert record.cache == "miss" and cache.stats.misses == 1  # and grounding found nothing either
    assert any("no longer matched" in n for n in record.notes)
    assert clicks == 0 and anywhere == 0  # never clicked blind at the old spot
    assert json.loads(path.read_text())["entries"], "a failed step leaves its last good entry"


def test_read_only_never_writes_and_off_never_answers(raw_browser, backend, pages, tmp_path):
    path = tmp_path / "__pagesight_cache__" / "c.json"
    record, error, clicks, _ = _click_once(raw_browser, backend, pages, LocatorCache(path, "read-only"))
    assert error is None and clicks == 1 and not path.exists()
    _click_once(raw_browser, backend, pages, LocatorCache(path, "read-write"))
    record, *_ = _click_once(raw_browser, backend, pages, LocatorCache(path, "off"))
    assert record.cache == ""


def test_modes(tmp_path):
    assert default_mode({"CI": "true"}) == "read-only" and default_mode({}) == "read-write"
    assert default_mode({"CI": "true", "PAGESIGHT_CACHE": "off"}) == "off"
    assert check_mode("off") == "off"
    with pytest.raises(ScenarioError, match="read-write, read-only, off"):
        check_mode("sometimes")
    cache = LocatorCache(tmp_path / "none.json", "off")
    a = cache.key(3, "click X", "X", 1, (1280, 800), 1)
    b = cache.key(4, "click X", "X", 1, (1280, 800), 1)
    assert a != b and a != cache.key(3, "click X", "X", 1, (375, 812), 2)
