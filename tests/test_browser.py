"""The browser layer against a real Chromium: finding it, screenshots and the pixel mapping, mouse and
keyboard at CSS pixels, native selects, focus, the stability wait, popups, dialogs, remote browsers.

Pages: the demo site (scenarios/site, via `site_url`) and small test-only pages in tests/pages.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import re
import select
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest

from agent.errors import BrowserError, ElementNotFound
from browser import launch
from browser.dom import OptionNotFound, match_option, normalize_text
from browser.launch import browser_version, find_browser, launch_args
from browser.screenshot import to_css, to_screenshot
from browser.session import BrowserSession, normalize_key

PAGES = Path(__file__).resolve().parent / "pages"
GREEN = (0, 192, 0)


# --- fixtures ---------------------------------------------------------------------------------------

class _PagesHandler(http.server.SimpleHTTPRequestHandler):
    """tests/pages, plus /slow?ms=N which answers after N milliseconds."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(PAGES), **kwargs)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path != "/slow":
            return super().do_GET()
        time.sleep(int(parse_qs(parts.query).get("ms", ["500"])[0]) / 1000)
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def pages_url():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _PagesHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def s1():
    """The one launched browser of this module: 1280x800 at scale 1."""
    with BrowserSession(viewport=(1280, 800), scale=1) as s:
        yield s


@pytest.fixture(scope="module")
def s2(s1):
    """1280x800 at scale 2, in a new context of s1's browser."""
    with BrowserSession(viewport=(1280, 800), scale=2, browser=s1.page.context.browser) as s:
        yield s


@pytest.fixture(scope="module")
def s15(s1):
    """1000x700 at scale 1.5: a 1500x1050 image, not a multiple of 28 either way."""
    with BrowserSession(viewport=(1000, 700), scale=1.5, browser=s1.page.context.browser) as s:
        yield s


def _centre(rect: dict) -> tuple[float, float]:
    return rect["x"] + rect["width"] / 2, rect["y"] + rect["height"] / 2


def _rect(session: BrowserSession, selector: str) -> dict:
    return session.page.evaluate(
        "s => { const r = document.querySelector(s).getBoundingClientRect();"
        " return {x: r.left, y: r.top, width: r.width, height: r.height}; }", selector)


def _near(img: np.ndarray, colour: tuple[int, int, int], tol: int = 40) -> np.ndarray:
    return np.abs(img.astype(int) - np.array(colour)).sum(axis=2) <= tol


# --- finding a browser ------------------------------------------------------------------------------

def _script(path: Path, body: str = "echo 'Chromium 1.2.3'") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def no_browsers(tmp_path, monkeypatch):
    """An environment with no browser anywhere: empty PATH, HOME and Playwright cache, no system paths."""
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.delenv("PAGESIGHT_BROWSER", raising=False)
    monkeypatch.delenv("PAGESIGHT_BROWSER_WS", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setenv("HOME", str(empty))
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "pw"))
    monkeypatch.setattr(launch, "SYSTEM_CANDIDATES", ())
    return tmp_path


def test_pagesight_browser_missing_names_the_fix(monkeypatch, tmp_path):
    monkeypatch.setenv("PAGESIGHT_BROWSER", str(tmp_path / "no-such-chrome"))
    with pytest.raises(BrowserError, match="PAGESIGHT_BROWSER=.*does not exist.*unset it"):
        find_browser()
    plain = tmp_path / "chrome.txt"
    plain.write_text("not a program")
    monkeypatch.setenv("PAGESIGHT_BROWSER", str(plain))
    with pytest.raises(BrowserError, match="not an executable"):
        find_browser()


def test_pagesight_browser_wins(monkeypatch, tmp_path):
    exe = _script(tmp_path / "my-chrome")
    monkeypatch.setenv("PAGESIGHT_BROWSER", str(exe))
    info = find_browser(with_version=True)
    assert (info.path, info.source, info.version) == (str(exe), "env", "Chromium 1.2.3")


def test_no_browser_anywhere_says_how_to_get_one(no_browsers):
    with pytest.raises(BrowserError) as err:
        find_browser()
    msg = str(err.value)
    assert "apt-get install chromium" in msg
    assert "playwright install chromium" in msg
    assert "PAGESIGHT_BROWSER=" in msg


def test_playwright_download_found_and_its_own_revision_preferred(no_browsers, monkeypatch):
    pw = no_browsers / "pw"
    newer = _script(pw / "chromium-999999" / "chrome-linux64" / "chrome")
    expected = launch._expected_revision()
    assert expected, "the installed playwright should say which Chromium it wants"
    own = _script(pw / f"chromium-{expected}" / "chrome-linux" / "chrome")
    info = find_browser()
    assert (info.path, info.source) == (str(own), "playwright")
    own.unlink()
    assert find_browser().path == str(newer)


def test_playwright_headless_shell_is_a_fallback(no_browsers):
    shell = _script(no_browsers / "pw" / "chromium_headless_shell-1" / "chrome-headless-shell-linux64" /
                    "chrome-headless-shell")
    assert find_browser().path == str(shell)


def test_system_paths_then_path_lookup(no_browsers, monkeypatch):
    on_path = _script(no_browsers / "bin" / "google-chrome")
    monkeypatch.setenv("PATH", str(on_path.parent))
    assert find_browser() == launch.BrowserInfo(str(on_path), "path")
    system = _script(no_browsers / "usr" / "chromium")
    monkeypatch.setattr(launch, "SYSTEM_CANDIDATES", (str(no_browsers / "missing"), str(system)))
    assert find_browser() == launch.BrowserInfo(str(system), "system")


def test_launch_args_are_offline_and_sandbox_only_off_for_root():
    for root in (True, False):
        args = launch_args(root)
        for flag in ("--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--disable-quic", "--disable-gpu"):
            assert flag in args
        assert ("--no-sandbox" in args) is root


def test_browser_version_real_and_hanging(tmp_path):
    real = find_browser()
    assert re.search(r"\d+\.\d+", browser_version(real.path) or ""), real
    hang = _script(tmp_path / "hang", "exec sleep 5")
    assert browser_version(str(hang), timeout=0.3) is None


def test_a_browser_that_does_not_start_is_a_browser_error(s1, monkeypatch, tmp_path):
    broken = _script(tmp_path / "broken-chrome", "echo 'cannot open display' >&2; exit 3")
    monkeypatch.setenv("PAGESIGHT_BROWSER", str(broken))
    with pytest.raises(BrowserError, match="could not start .*broken-chrome"):
        BrowserSession(timeout=5).start()


# --- screenshots and the one pixel mapping ----------------------------------------------------------

@pytest.mark.parametrize("name, size", [("s1", (1280, 800)), ("s2", (2560, 1600)), ("s15", (1500, 1050))])
def test_screenshot_size_and_to_css(request, pages_url, name, size):
    s: BrowserSession = request.getfixturevalue(name)
    s.goto(f"{pages_url}/marks.html")
    shot = s.stable_screenshot()
    assert shot.size == size and shot.image.size == size
    assert (shot.viewport, shot.scale) == (s.viewport, s.scale)
    assert shot.url.endswith("/marks.html")
    img = np.asarray(shot.image)
    for mark, colour in (("#magenta", (255, 0, 255)), ("#cyan", (0, 255, 255))):
        ys, xs = np.nonzero(_near(img, colour, tol=60))
        assert len(xs) > 100, f"{mark} not in the {size} screenshot"
        found = (xs.mean() + 0.5, ys.mean() + 0.5)  # centre of the mark, in screenshot pixels
        cx, cy = to_css(found, s.scale)
        ex, ey = _centre(_rect(s, mark))
        assert abs(cx - ex) <= 1 and abs(cy - ey) <= 1, (mark, found, (cx, cy), (ex, ey))
        assert shot.to_css(found) == (cx, cy)
        assert to_screenshot((cx, cy), s.scale) == pytest.approx(found)
        hit = s.page.evaluate("([x, y]) => document.elementFromPoint(x, y).id", [cx, cy])
        assert hit == mark[1:]


def _launched_pixels(s: BrowserSession, shot) -> int:
    """Green "Launched!" pixels in the canvas area under the drawn button."""
    b = s.page.evaluate("() => window.canvasButton")
    x1, y1 = to_screenshot((b["x"], b["y"] + b["height"] + 20), s.scale)
    x2, y2 = to_screenshot((b["x"] + b["width"], b["y"] + b["height"] + 70), s.scale)
    region = np.asarray(shot.image)[int(y1):int(y2), int(x1):int(x2)]
    return int(_near(region, (22, 163, 74), tol=60).sum())


def test_canvas_button_click_at_css_point(s1, site_url):
    s1.goto(f"{site_url}/canvas.html")
    assert _launched_pixels(s1, s1.stable_screenshot()) == 0
    s1.click(*_centre(s1.page.evaluate("() => window.canvasButton")))
    assert _launched_pixels(s1, s1.stable_screenshot()) > 50


def test_canvas_button_at_scale_2_found_in_pixels_and_mapped(s2, site_url):
    s2.goto(f"{site_url}/canvas.html")
    shot = s2.stable_screenshot()
    assert shot.size == (2560, 1600)
    # Find the drawn button by its colour inside the canvas, in screenshot pixels.
    c = _rect(s2, "#stage")
    x1, y1 = (int(v) for v in to_screenshot((c["x"], c["y"]), 2))
    x2, y2 = (int(v) for v in to_screenshot((c["x"] + c["width"], c["y"] + c["height"]), 2))
    ys, xs = np.nonzero(_near(np.asarray(shot.image)[y1:y2, x1:x2], (37, 99, 235), tol=30))
    pixel_centre = (x1 + (xs.min() + xs.max() + 1) / 2, y1 + (ys.min() + ys.max() + 1) / 2)
    # The classic bug, screenshot pixels used as CSS pixels, misses the button...
    wrong = pixel_centre if pixel_centre[0] <= 1280 and pixel_centre[1] <= 800 else (1279, 799)
    s2.click(*wrong)
    assert _launched_pixels(s2, s2.stable_screenshot()) == 0
    # ...the mapped point hits it.
    point = to_css(pixel_centre, shot.scale)
    bx, by = _centre(s2.page.evaluate("() => window.canvasButton"))
    assert abs(point[0] - bx) <= 2 and abs(point[1] - by) <= 2
    s2.click(*point)
    assert _launched_pixels(s2, s2.stable_screenshot()) > 100


def test_points_outside_the_viewport_are_refused(s1):
    with pytest.raises(BrowserError, match="outside the 1280x800 CSS viewport.*to_css"):
        s1.click(2000, 100)


# --- keyboard, focus, selects -----------------------------------------------------------------------

def test_typing_lands_in_the_clicked_field(s1, site_url):
    s1.goto(f"{site_url}/login.html")
    s1.click(*_centre(_rect(s1, "#email")))
    focus = s1.focused_info()
    assert (focus["tag"], focus["type"], focus["editable"], focus["id"]) == ("input", "email", True, "email")
    s1.type("alice@example.com")
    assert s1.page.evaluate("document.querySelector('#email').value") == "alice@example.com"
    s1.click(*_centre(_rect(s1, "#password")))
    s1.type("secret")
    assert s1.focused_info()["value"] == "\u2022" * 6  # passwords never come back in clear
    s1.click(5, 795)  # the page background: nothing to type into
    assert s1.focused_info()["editable"] is False


def test_cjk_typing_and_clearing(s1, site_url):
    s1.goto(f"{site_url}/settings.html")
    s1.click(*_centre(_rect(s1, "#display-name")))
    s1.type("张三")
    assert s1.page.evaluate("document.querySelector('#display-name').value") == "张三"
    s1.clear_focused()
    s1.type("Zoë 李四")
    assert s1.page.evaluate("document.querySelector('#display-name').value") == "Zoë 李四"


def test_press_enter_adds_a_todo(s1, site_url):
    s1.goto(f"{site_url}/todo.html")
    s1.click(*_centre(_rect(s1, "#new-todo")))
    s1.type("买牛奶")
    s1.press("Enter")
    s1.type("walk the dog")
    s1.press("enter")
    items = s1.page.evaluate("Array.from(document.querySelectorAll('#todo-list label'), l => l.textContent)")
    assert items == ["买牛奶", "walk the dog"]
    assert s1.page.evaluate("document.querySelector('#new-todo').value") == ""


def test_native_select_by_visible_label(s1, site_url):
    s1.goto(f"{site_url}/settings.html")
    s1.page.evaluate("window.changes = 0; document.querySelector('#language')"
                     ".addEventListener('change', () => window.changes++)")
    x, y = _centre(_rect(s1, "#language"))
    value = "document.querySelector('#language').value"
    assert s1.native_select_at(x, y, "中文") is True
    assert (s1.page.evaluate(value), s1.page.evaluate("window.changes")) == ("zh", 1)
    assert s1.native_select_at(x, y, "  deutsch ") and s1.page.evaluate(value) == "de"
    assert s1.native_select_at(x, y, "ＦＲＡＮÇＡＩＳ") and s1.page.evaluate(value) == "fr"  # full-width
    assert s1.page.evaluate("window.changes") == 3
    with pytest.raises(OptionNotFound) as err:
        s1.native_select_at(x, y, "Klingon")
    assert isinstance(err.value, ElementNotFound)
    assert "'English', '中文', 'Deutsch', 'Français'" in str(err.value)
    title = _rect(s1, "h1")
    assert s1.native_select_at(title["x"] + 5, title["y"] + 5, "中文") is False


def test_native_select_inside_a_cross_origin_frame(s1, pages_url):
    s1.goto(f"{pages_url}/select_frame.html")
    inner = next(f for f in s1.page.frames if f.url.endswith("/select_inner.html"))
    assert urlsplit(inner.url).hostname == "localhost"  # really another origin
    frame = _rect(s1, "#frame")
    x, y = frame["x"] + 6 + 10 + 30 + 100, frame["y"] + 6 + 10 + 40 + 16  # border + padding + select
    assert s1.native_select_at(x, y, "上海")
    assert (inner.evaluate("document.querySelector('#city').value"), inner.evaluate("changes")) == ("sh", 1)
    assert s1.native_select_at(x, y, "上海")  # already chosen: no second change event, as in a browser
    assert inner.evaluate("changes") == 1
    with pytest.raises(OptionNotFound, match="'Paris' is disabled"):
        s1.native_select_at(x, y, "paris")
    focus = s1.focused_info()
    assert (focus["tag"], focus["in_frame"], focus["value"]) == ("select", True, "sh")
    assert s1.focused_contains(x, y) and not s1.focused_contains(x, y + 60)


def test_focus_in_a_frame_of_the_demo_site(s1, site_url):
    s1.goto(f"{site_url}/canvas.html")
    inner = next(f for f in s1.page.frames if f.url.endswith("/frame-form.html"))
    frame = _rect(s1, "iframe")
    field = inner.evaluate("() => { const r = document.querySelector('#newsletter-email')"
                           ".getBoundingClientRect(); return {x: r.left, y: r.top, width: r.width,"
                           " height: r.height}; }")
    x, y = frame["x"] + 1 + field["x"] + field["width"] / 2, frame["y"] + 1 + field["y"] + field["height"] / 2
    s1.click(x, y)
    s1.type("bob@example.com")
    focus = s1.focused_info()
    assert (focus["id"], focus["editable"], focus["in_frame"], focus["label"]) == \
        ("newsletter-email", True, True, "Your email")
    assert inner.evaluate("document.querySelector('#newsletter-email').value") == "bob@example.com"
    assert s1.focused_contains(x, y) and not s1.focused_contains(x, frame["y"] - 30)


def test_scroll_moves_the_page(s1):
    s1.page.set_content("<body style='margin:0'><div style='height:3000px;background:linear-gradient("
                        "#fff,#00f)'></div></body>")
    assert s1.scroll_info()["at_top"]
    s1.scroll(0, 600)
    s1.stable_screenshot()
    info = s1.scroll_info()
    assert info["y"] > 0 and not info["at_top"] and info["height"] == 3000


# --- the stability wait -----------------------------------------------------------------------------

def test_still_after_a_finite_transition(s1, pages_url):
    s1.goto(f"{pages_url}/settle.html")
    shot = s1.stable_screenshot(timeout=5.0)
    assert s1.last_wait.still and s1.last_wait.shots >= 2
    assert shot.image.getpixel((20 + 300 + 40, 140)) == GREEN  # the end state, not a frame mid-slide


def test_never_still_page_gives_up_without_raising(s1, pages_url):
    s1.goto(f"{pages_url}/spin.html")
    shot = s1.stable_screenshot(timeout=1.5)
    assert s1.last_wait.still is False
    assert s1.last_wait.shots >= 2 and shot.size == (1280, 800)


def test_waits_for_a_request_started_by_a_click(s1, pages_url):
    s1.goto(f"{pages_url}/slow.html")
    s1.click(100, 44)
    shot = s1.stable_screenshot(timeout=5.0)  # nothing moves while /slow is pending: count requests
    assert s1.last_wait.still
    assert shot.image.getpixel((120, 150)) == GREEN


# --- navigation, popups, dialogs, ownership ---------------------------------------------------------

def test_goto_relative_back_reload_and_errors(pages_url, s1):
    with BrowserSession(base_url=pages_url, browser=s1.page.context.browser) as s:
        assert s.goto("marks.html") == 200 and s.url == f"{pages_url}/marks.html"
        s.goto("spin.html")
        assert s.back() and s.url.endswith("/marks.html")
        s.reload()
        assert s.url.endswith("/marks.html")
        with pytest.raises(BrowserError, match="could not open http://127.0.0.1:9/"):
            s.goto("http://127.0.0.1:9/")
    bare = BrowserSession()
    assert bare.resolve(str(PAGES / "marks.html")) == (PAGES / "marks.html").as_uri()
    with pytest.raises(BrowserError, match="no base_url"):
        bare.resolve("nowhere/marks.html")
    assert BrowserSession(base_url="http://h:1/app").resolve("a.html") == "http://h:1/app/a.html"


def test_follows_popups_and_accepts_dialogs(s1, pages_url):
    s1.goto(f"{pages_url}/popup.html")
    s1.click(120, 40)
    s1.stable_screenshot()
    assert s1.url.endswith("/marks.html")  # looking at the new tab, as a person would
    s1.page.close()
    assert s1.url.endswith("/popup.html")  # and back at the opener once it closes
    s1.click(120, 100)
    assert s1.page.evaluate("document.querySelector('#answer').textContent") == "deleted"
    assert s1.dialogs[-1] == {"type": "confirm", "message": "Really delete?"}


def test_attach_closes_nothing_it_does_not_own(s1, pages_url):
    context = s1.page.context.browser.new_context(viewport={"width": 900, "height": 600},
                                                  device_scale_factor=2)
    try:
        page = context.new_page()
        with BrowserSession.attach(page, base_url=pages_url) as s:
            assert (s.viewport, s.scale) == ((900, 600), 2.0)
            s.goto("marks.html")
            assert s.stable_screenshot().size == (1800, 1200)
        assert not page.is_closed()
        assert page.evaluate("1 + 1") == 2
    finally:
        context.close()


def test_owned_session_closes_its_page_but_not_a_lent_browser(s1):
    browser = s1.page.context.browser
    with BrowserSession(browser=browser) as s:
        page = s.page
    assert page.is_closed() and browser.is_connected()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="links Playwright's Linux browser layout")
def test_remote_browser_over_websocket(tmp_path, monkeypatch, pages_url, s1):
    """PAGESIGHT_BROWSER_WS: connect to `playwright run-server` instead of launching."""
    exe = find_browser().path
    rev = launch._expected_revision()
    for rel in ("chromium-{r}/chrome-linux64/chrome",
                "chromium_headless_shell-{r}/chrome-headless-shell-linux64/chrome-headless-shell"):
        link = tmp_path / rel.format(r=rev)
        link.parent.mkdir(parents=True)
        link.symlink_to(exe)
    env = {**os.environ, "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path)}
    server = subprocess.Popen([sys.executable, "-m", "playwright", "run-server", "--port", "0",
                               "--host", "127.0.0.1"], env=env, stdout=subprocess.PIPE, text=True,
                              start_new_session=True)  # its own group: the node driver it spawns dies with it
    try:
        ready, _, _ = select.select([server.stdout], [], [], 60)  # never hang on a server that said nothing
        line = server.stdout.readline() if ready else ""
        ws = re.search(r"ws://\S+", line)
        assert ws, f"run-server said {line!r}"
        monkeypatch.setenv("PAGESIGHT_BROWSER_WS", ws.group(0))
        monkeypatch.setenv("PAGESIGHT_BROWSER", "/nonexistent")  # proves nothing is launched locally
        with BrowserSession(scale=2, base_url=pages_url) as s:
            s.goto("marks.html")
            assert s.stable_screenshot().size == (2560, 1600)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):  # the node driver can outlive a SIGTERM
            os.killpg(server.pid, signal.SIGKILL)


def test_remote_browser_unreachable(monkeypatch, s1):
    monkeypatch.setenv("PAGESIGHT_BROWSER_WS", "ws://127.0.0.1:9/")
    with pytest.raises(BrowserError, match="PAGESIGHT_BROWSER_WS=ws://127.0.0.1:9/"):
        BrowserSession(timeout=3).start()


# --- small pure helpers -----------------------------------------------------------------------------

def test_normalize_key():
    assert normalize_key("enter") == "Enter"
    assert normalize_key("ctrl+a") == "Control+a"
    assert normalize_key("Control+A") == "Control+A"
    assert normalize_key("cmd + shift + p") == "Meta+Shift+p"
    assert normalize_key("f5") == "F5" and normalize_key("Esc") == "Escape" and normalize_key("+") == "+"


def test_match_option():
    opts = [{"index": i, "label": label, "value": v, "disabled": False}
            for i, (label, v) in enumerate([("English (US)", "en"), ("中文（简体）", "zh"), ("Deutsch", "de")])]
    assert match_option(opts, "中文(简体)")["value"] == "zh"  # full-width brackets are NFKC-equal
    assert match_option(opts, "DE")["value"] == "de"  # by value when no label matches
    assert match_option(opts, "english")["value"] == "en"  # the one label containing it
    assert match_option(opts, "s") is None  # ambiguous: English (US), Deutsch
    assert match_option(opts, "") is None
    assert normalize_text("  Ｈｅｌｌｏ \n World ") == "hello world"
