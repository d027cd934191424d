"""Issue 9, class 9: text behind a modal's dim backdrop is visible, but not actionable.

A page made for the test (tests/pages/classes/modal_backdrop*.html: a heading, a nav, a search field,
a user table and a line of light grey text, with a dialog open over a 50 % black backdrop) on real Chromium, read by real
RapidOCR, served on localhost. The page records every click that lands (`window.clicks`); a click on
the backdrop closes the dialog, as most UI kits do, so a click that should not happen shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from agent import expect
from agent.errors import ActionFailed, AssertionFailed
from agent.frontends.ui import UI
from browser.serve import serve_folder
from vision.ocr import OcrBackend

PAGES = Path(__file__).resolve().parent / "pages" / "classes"


@pytest.fixture(scope="module")
def pages_url():
    with serve_folder(PAGES) as url:
        yield url


@pytest.fixture(scope="module")
def backend() -> OcrBackend:
    return OcrBackend()


@pytest.fixture
def open_page(raw_browser, pages_url, backend, tmp_path):
    """open_page("modal_backdrop.html") -> (ui, page), the dialog open over the page."""
    contexts = []

    def _open(name: str):
        ctx = raw_browser.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(ctx)
        page = ctx.new_page()
        page.goto(f"{pages_url}/{name}", wait_until="networkidle")
        return UI(page, backend, timeout=3, output_dir=tmp_path / "out"), page

    yield _open
    for ctx in contexts:
        ctx.close()


def _clicks(page) -> list[str]:
    return page.evaluate("window.clicks")


def _dialog_open(page) -> bool:
    return page.locator("#backdrop").is_visible()


def test_the_parse_keeps_the_page_behind_apart(open_page, backend):
    ui, page = open_page("modal_backdrop.html")
    parse = backend.parse(ui.agent.observe().image)
    assert parse.dialog is not None
    front = {e.name for e in parse.elements}
    assert {"Delete user?", "Cancel", "Delete"} <= front, parse.elements
    assert not front & {"Settings", "Alice Chen", "User management"}, parse.elements
    behind = {e.name for e in parse.behind}
    assert {"Settings", "Dashboard", "User management", "Alice Chen", "bob@example.com"} <= behind, parse.behind
    assert all(e.covered for e in parse.behind) and not any(e.covered for e in parse.elements)


def test_text_behind_the_backdrop_is_visible(open_page):
    ui, page = open_page("modal_backdrop.html")
    expect(ui).to_show('"Settings" link', timeout=2)
    expect(ui).to_show('"User management"', timeout=2)
    # Light grey text, dimmed to almost the backdrop's own grey, is read with the dimming undone.
    expect(ui).to_show('"Last synced 5 minutes ago"', timeout=2)
    ui.wait_for('"Alice Chen"', timeout=2)
    # Counts see what a person sees: a "Delete" in each of the three rows behind, and the dialog's own.
    expect(ui).to_have('"Delete"', count=4, timeout=2)
    with pytest.raises(AssertionFailed, match=r'not to be visible.*behind the backdrop of the open "Delete user\?" '
                                              r'dialog'):
        expect(ui).not_to_show('"Settings"', timeout=1)
    # Looking changed nothing.
    assert _clicks(page) == [] and _dialog_open(page)


def test_acting_on_text_behind_the_backdrop_fails_naming_the_dialog(open_page):
    ui, page = open_page("modal_backdrop.html")
    with pytest.raises(ActionFailed, match=r'the "Delete user\?" dialog is open over the page: "Settings" .*lies '
                                           r'behind its backdrop and cannot be clicked; close the dialog first'):
        ui.click('"Settings" link')
    with pytest.raises(ActionFailed, match=r'"Delete user\?" dialog.*cannot be filled'):
        ui.fill('"Search users"', "bob")
    with pytest.raises(ActionFailed, match=r'"Delete user\?" dialog.*cannot be hovered over'):
        ui.hover('"Alice Chen"')
    assert _clicks(page) == [] and _dialog_open(page)  # no click reached the page or the backdrop
    assert page.input_value("#search") == ""


def test_the_dialogs_own_button_wins_and_ordinals_count_only_it(open_page):
    ui, page = open_page("modal_backdrop.html")
    # Three red "Delete" buttons lie behind; the first one that can be clicked is the dialog's.
    ui.click('the first "Delete" button')
    assert _clicks(page) == ["delete"] and not _dialog_open(page)
    expect(ui).to_show('"Bob Stone was deleted"')
    # The dialog closed: the page can be used again.
    ui.click('"Settings" link')
    assert _clicks(page) == ["delete", "Settings"]


def test_chinese_dialog(open_page):
    ui, page = open_page("modal_backdrop_zh.html")
    expect(ui).to_show('"用户管理"', timeout=2)
    expect(ui).to_show('"最近同步于五分钟前"', timeout=2)
    with pytest.raises(AssertionFailed, match='删除用户'):
        expect(ui).not_to_show('"用户管理"', timeout=1)
    with pytest.raises(ActionFailed, match=r'the "删除用户" dialog is open over the page: "系统设置".*cannot be '
                                           r'clicked; close the dialog first'):
        ui.step('点击 "系统设置"')
    assert _clicks(page) == [] and _dialog_open(page)
    ui.fill('"原因"', "离职")
    assert page.input_value("#reason") == "离职"
    ui.click('"删除" 按钮')
    assert _clicks(page) == ["delete"]
    expect(ui).to_show('"李四已删除"')
