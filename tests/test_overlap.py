"""Locating while the stillness wait confirms (agent.engine.overlap, issue #12), on a real page with real
OCR: a still page is parsed once, in the worker, on the first capture; a page that changes where the
step acts between the first capture and the next is located again, and the click goes to the new place."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import vision.ocr.backend as ocr_backend
from agent.engine import overlap
from agent.engine.loop import Agent
from agent.language.steps import AssertVisible, Click
from browser.serve import serve_folder
from browser.session import BrowserSession
from vision.ocr import OcrBackend
from vision.ocr.incremental import IncrementalParser

PAGES = Path(__file__).resolve().parent / "pages" / "speed"


@pytest.fixture(scope="module")
def pages():
    with serve_folder(PAGES) as url:
        yield url


class _Seen(OcrBackend):
    """The real ocr backend, noting the thread each locate runs in."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[str] = []

    def locate(self, image, target):
        self.threads.append(threading.current_thread().name)
        return super().locate(image, target)


@pytest.fixture
def parses(monkeypatch):
    """How many OCR parses ran, full or incremental (the backend's parse cache answers the rest)."""
    count = [0]

    def counting(real):
        def counted(*args, **kwargs):
            count[0] += 1
            return real(*args, **kwargs)
        return counted

    monkeypatch.setattr(ocr_backend, "parse_with_lines", counting(ocr_backend.parse_with_lines))
    monkeypatch.setattr(IncrementalParser, "parse", counting(IncrementalParser.parse))
    return count


def test_a_still_page_is_parsed_once_in_the_worker_on_the_first_capture(raw_browser, pages, parses):
    backend = _Seen()
    overlap.STATS.reset()
    with BrowserSession(viewport=(800, 500), base_url=pages, browser=raw_browser) as session:
        session.goto("/counter.html")
        agent = Agent(session, backend, timeout=4)
        record = agent.run(Click('"Refresh" button'))
        assert record.status == "passed" and session.page.evaluate("[window.clicks, window.anyClicks]") == [1, 1]
    assert parses[0] == 1  # the click's answer came from the first capture; the second only confirmed it
    assert backend.threads and all(t.startswith("pagesight-locate") for t in backend.threads), backend.threads
    assert overlap.STATS.to_json() == {"used": 1, "dropped": 0}


def test_a_page_that_changes_at_the_target_is_located_again(raw_browser, pages):
    backend = OcrBackend()
    overlap.STATS.reset()
    with BrowserSession(viewport=(800, 500), base_url=pages, browser=raw_browser) as session:
        session.goto("/counter.html")
        shoot = session.screenshot

        def first_capture_then_move():  # the page moves the button 160 px down just after the first capture
            shot = shoot()
            session.page.evaluate("document.getElementById('spacer').style.height = '160px'")
            return shot

        session.screenshot = first_capture_then_move
        agent = Agent(session, backend, timeout=4)
        record = agent.run(Click('"Refresh" button'))
        box = session.page.evaluate("(() => { const r = document.getElementById('go').getBoundingClientRect();"
                                    " return [r.left, r.top, r.right, r.bottom]; })()")
        clicks = session.page.evaluate("[window.clicks, window.anyClicks]")
    assert record.status == "passed" and clicks == [1, 1], (clicks, record.notes)  # no click at the old place
    x, y = record.point
    assert box[0] <= x <= box[2] and box[1] <= y <= box[3], (record.point, box)
    assert overlap.STATS.to_json() == {"used": 0, "dropped": 1}


def test_a_change_away_from_the_target_on_a_still_page_is_not_used(raw_browser, pages):
    """Moving text elsewhere is not the local motion of a spinner: the answer from before it is dropped
    too (it could change which "second X" is meant), and the check reads the new screen."""
    backend = OcrBackend()
    overlap.STATS.reset()
    with BrowserSession(viewport=(800, 500), base_url=pages, browser=raw_browser) as session:
        session.goto("/counter.html")
        shoot = session.screenshot

        def first_capture_then_write():
            shot = shoot()
            session.page.evaluate("document.getElementById('count').textContent = 'Clicks: 7'")
            return shot

        session.screenshot = first_capture_then_write
        agent = Agent(session, backend, timeout=4)
        record = agent.run(AssertVisible('"Clicks: 7"'))
    assert record.status == "passed", record.error
    assert overlap.STATS.dropped == 1
