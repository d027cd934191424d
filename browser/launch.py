"""Find a Chromium, start Playwright once per thread, and launch (or connect to) a browser.

Search order for the browser: `$PAGESIGHT_BROWSER`; Playwright's own downloaded Chromium; a system
Chromium/Chrome. `$PAGESIGHT_BROWSER_WS` skips the search and connects to a remote Playwright server.
Playwright is imported only inside the functions that start it, so `import browser` stays light.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pagesight_errors import BrowserError

__all__ = ["BrowserInfo", "find_browser", "launch_args", "browser_version", "launch_browser", "check_display",
           "acquire_playwright", "release_playwright", "shared_playwright",
           "SYSTEM_CANDIDATES", "PATH_NAMES", "extend_launch_args", "playwright_chromium_launchable"]

# Absolute places a system browser lives (module-level so tests can monkeypatch them).
SYSTEM_CANDIDATES: tuple[str, ...] = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
)
# Names looked up on $PATH after the absolute candidates.
PATH_NAMES: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

# Inside a Playwright browser folder (chromium-<rev>/...), newest layouts first.
_PW_CHROMIUM_EXES = ("chrome-linux64/chrome", "chrome-linux/chrome",
                     "chrome-mac-arm64/Chromium.app/Contents/MacOS/Chromium",
                     "chrome-mac/Chromium.app/Contents/MacOS/Chromium",
                     "chrome-win64/chrome.exe", "chrome-win/chrome.exe")
_PW_SHELL_EXES = ("chrome-headless-shell-linux64/chrome-headless-shell", "chrome-linux/headless_shell",
                  "chrome-headless-shell-mac-arm64/chrome-headless-shell",
                  "chrome-headless-shell-mac-x64/chrome-headless-shell")

NO_BROWSER_HELP = (
    "no Chromium or Chrome found. Get one with any of:\n"
    "  apt-get install chromium fonts-noto-cjk      (Debian/Ubuntu; the fonts render Chinese text)\n"
    "  playwright install chromium                   (Playwright's own build)\n"
    "  export PAGESIGHT_BROWSER=/path/to/chrome      (any Chromium-based browser you already have)\n"
    "or point PAGESIGHT_BROWSER_WS at a running `playwright run-server`."
)


@dataclass(frozen=True)
class BrowserInfo:
    """A browser executable and where it was found (`env`, `playwright`, `system`, `path`)."""

    path: str
    source: str
    version: str | None = None


def _executable(path: str | Path) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def _headless_shell(folder: Path) -> str | None:
    """The headless shell inside a Playwright `chromium_headless_shell-<rev>` folder: the one place
    that knows its layouts (finding a browser and judging a Playwright Chromium launchable both ask)."""
    return next((str(folder / exe) for exe in _PW_SHELL_EXES if _executable(folder / exe)), None)


def _playwright_cache_dirs() -> list[Path]:
    """Where `playwright install` puts browsers, as Playwright itself decides it."""
    env = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    if env == "0":  # browsers installed inside the playwright package
        try:
            import importlib.util

            spec = importlib.util.find_spec("playwright")
        except (ImportError, ValueError):
            spec = None
        if spec and spec.origin:
            return [Path(spec.origin).parent / "driver" / "package" / ".local-browsers"]
        return []
    if env:
        return [Path(env)]
    home = Path(os.environ.get("HOME") or Path.home())
    if sys.platform == "darwin":
        return [home / "Library" / "Caches" / "ms-playwright"]
    if sys.platform == "win32":
        return [Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local")) / "ms-playwright"]
    return [Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache") / "ms-playwright"]


def _expected_revision() -> str | None:
    """The Chromium revision the installed Playwright was built against (from its browsers.json)."""
    try:
        import importlib.util

        spec = importlib.util.find_spec("playwright")
        if not spec or not spec.origin:
            return None
        data = json.loads((Path(spec.origin).parent / "driver" / "package" / "browsers.json").read_text())
        return next((b["revision"] for b in data["browsers"] if b["name"] == "chromium"), None)
    except (OSError, ValueError, KeyError, ImportError):
        return None


def _playwright_chromium() -> str | None:
    """Playwright's downloaded Chromium, found by scanning its cache (cheap: no driver start).

    The revision this Playwright expects wins; otherwise the newest full Chromium, then the newest
    headless shell (renders the same pages, lacks only headed mode).
    """
    expected = _expected_revision()

    def rev(p: Path) -> int:
        m = re.search(r"-(\d+)$", p.name)
        return int(m.group(1)) if m else -1

    for cache in _playwright_cache_dirs():
        if not cache.is_dir():
            continue
        for prefix, exes in (("chromium-", _PW_CHROMIUM_EXES), ("chromium_headless_shell-", _PW_SHELL_EXES)):
            folders = sorted(cache.glob(f"{prefix}*"), key=lambda p: (p.name == f"{prefix}{expected}", rev(p)),
                             reverse=True)
            for folder in folders:
                if exes is _PW_SHELL_EXES:
                    shell = _headless_shell(folder)
                    if shell:
                        return shell
                    continue
                for exe in exes:
                    if _executable(folder / exe):
                        return str(folder / exe)
    return None


def find_browser(with_version: bool = False) -> BrowserInfo:
    """The browser to launch; raises BrowserError (saying how to get one) when there is none."""
    env = os.environ.get("PAGESIGHT_BROWSER")
    info: BrowserInfo | None = None
    if env:
        if not _executable(env):
            why = "does not exist" if not os.path.exists(env) else "is not an executable file"
            raise BrowserError(f"PAGESIGHT_BROWSER={env} {why}. Set it to a Chromium or Chrome executable, "
                               f"or unset it to use Playwright's Chromium or /usr/bin/chromium.")
        info = BrowserInfo(env, "env")
    elif found := _playwright_chromium():
        info = BrowserInfo(found, "playwright")
    else:
        system = next((c for c in SYSTEM_CANDIDATES if _executable(c)), None)
        on_path = None if system else next((hit for n in PATH_NAMES if (hit := shutil.which(n))), None)
        if system:
            info = BrowserInfo(system, "system")
        elif on_path:
            info = BrowserInfo(on_path, "path")
    if info is None:
        raise BrowserError(NO_BROWSER_HELP)
    if with_version:
        info = BrowserInfo(info.path, info.source, browser_version(info.path))
    return info


def browser_version(path: str, timeout: float = 10.0) -> str | None:
    """`path --version` (e.g. "Chromium 156.0.8078.108"), or None when it does not answer in time."""
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=timeout,
                             stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    # Wrapper scripts (Debian's /usr/bin/chromium) print noise on stderr: keep the version line.
    for line in (out.stdout or "").splitlines():
        if re.search(r"\d+\.\d+", line):
            return line.strip()
    return None


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def launch_args(root: bool | None = None) -> list[str]:
    """Chromium flags for quiet, offline, reproducible headless runs (`--no-sandbox` only as root)."""
    args = ["--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--disable-quic", "--disable-gpu"]
    if _is_root() if root is None else root:
        args.append("--no-sandbox")  # Chromium refuses to start sandboxed as root
    return args


# --- one Playwright per thread: a second sync_playwright() in a thread fails while one is running ----

_local = threading.local()


def acquire_playwright(keep_on_ctrl_c: bool = False) -> Any:
    """This thread's running sync Playwright, started on first use. Pair with `release_playwright`.

    `keep_on_ctrl_c`: the Playwright driver (a child in our process group) is started ignoring SIGINT,
    so a Ctrl-C in the terminal reaches Python alone and the browser lives on (explore cancels a step
    with it); launch the browser with `handle_sigint=False` too."""
    count = getattr(_local, "count", 0)
    if count == 0:
        from playwright.sync_api import Error, sync_playwright

        manager = sync_playwright()
        try:
            with _sigint_ignored_by_children(keep_on_ctrl_c):
                _local.pw = manager.start()
        except Error as e:
            if "asyncio loop" in str(e):
                raise BrowserError(
                    "cannot start Playwright here: this thread already runs an asyncio loop or another "
                    "sync Playwright (e.g. pytest-playwright's fixtures). Use BrowserSession.attach(page) "
                    "with that page, or browser.launch.shared_playwright() for every Playwright user "
                    "in the thread, or run the session in a worker thread.") from e
            raise BrowserError(f"cannot start Playwright: {e}") from e
    _local.count = count + 1
    return _local.pw


@contextmanager
def _sigint_ignored_by_children(on: bool) -> Iterator[None]:
    """SIGINT ignored while children are started (an ignored signal stays ignored across exec)."""
    if not on or threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


def release_playwright() -> None:
    """Drop one use of this thread's Playwright; the last one stops it."""
    count = getattr(_local, "count", 0)
    if count <= 0:
        return
    _local.count = count - 1
    if count == 1:
        pw, _local.pw = _local.pw, None
        try:
            pw.stop()
        except Exception:  # stopping a driver whose process already died must not mask the real error
            pass


@contextmanager
def shared_playwright() -> Iterator[Any]:
    """`with shared_playwright() as pw:` for code that needs Playwright beside BrowserSessions."""
    pw = acquire_playwright()
    try:
        yield pw
    finally:
        release_playwright()


def check_display(headed: bool) -> None:
    """BrowserError when a headed browser is asked for and there is no display to show it on; callers
    check once before a run (one message, exit 2), not once per scenario."""
    if headed and sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                             or os.environ.get("WAYLAND_DISPLAY")):
        raise BrowserError("headed mode needs a display, and neither DISPLAY nor WAYLAND_DISPLAY is set: "
                           "run headless, or under `xvfb-run`.")


def launch_browser(pw: Any, headed: bool = False, timeout: float = 30.0, handle_sigint: bool = True) -> Any:
    """A Playwright Browser: connected to `$PAGESIGHT_BROWSER_WS`, else launched from `find_browser()`."""
    from playwright.sync_api import Error

    ws = os.environ.get("PAGESIGHT_BROWSER_WS")
    if ws:
        try:
            return pw.chromium.connect(ws, timeout=timeout * 1000)
        except Error as e:
            raise BrowserError(f"cannot connect to the browser server PAGESIGHT_BROWSER_WS={ws}: "
                               f"{_first_line(e)}. Is `playwright run-server` running there, and is its "
                               f"Playwright version the same as here?") from e
    check_display(headed)
    info = find_browser()
    try:
        return pw.chromium.launch(executable_path=info.path, headless=not headed, args=launch_args(),
                                  timeout=timeout * 1000, handle_sigint=handle_sigint)
    except Error as e:
        raise BrowserError(f"could not start {info.path} (found via {info.source}): {_first_line(e)}. "
                           f"Check that it runs (`{info.path} --version`), or set PAGESIGHT_BROWSER to "
                           f"another Chromium.") from e


def _first_line(e: BaseException, lines: int = 6) -> str:
    """The head of a Playwright error: its first lines carry the cause, the rest is a call log."""
    text = str(e).strip()
    kept = [ln.strip() for ln in text.splitlines() if ln.strip() and ln.strip()[0] not in "╔║╚"]
    return " / ".join(kept[:lines]) or type(e).__name__


# -- pytest-playwright's launch: pagesight's Chromium where Playwright's own is missing ------------

def playwright_chromium_launchable(executable: str, headless: bool) -> bool:
    """Whether Playwright can start its own Chromium: the executable is there and, headless, the
    headless shell Playwright (1.49+) uses for it sits beside it (same revision)."""
    exe = Path(executable)
    if not exe.is_file():
        return False
    if not headless:
        return True
    try:
        folder = exe.parents[1]  # .../ms-playwright/chromium-1255/chrome-linux64/chrome
    except IndexError:
        return True
    if not folder.name.startswith("chromium-"):
        return True  # an unusual layout: trust it rather than guess
    shell = folder.parent / folder.name.replace("chromium-", "chromium_headless_shell-", 1)
    return _headless_shell(shell) is not None


def extend_launch_args(args: dict[str, Any], browser_name: str | None, playwright_executable: str | None
                       ) -> dict[str, Any]:
    """pytest-playwright's launch arguments, pointed at pagesight's Chromium when Playwright's is missing.

    Left as they are for other browsers, a `channel`, the user's own `executable_path`, or a
    launchable Playwright Chromium (unless $PAGESIGHT_BROWSER names one explicitly).
    """
    if (browser_name or "chromium") != "chromium" or args.get("channel") or args.get("executable_path"):
        return args
    headless = args.get("headless", True) is not False
    if not os.environ.get("PAGESIGHT_BROWSER") and playwright_executable and \
            playwright_chromium_launchable(playwright_executable, headless):
        return args
    try:
        info = find_browser()  # $PAGESIGHT_BROWSER, Playwright's Chromium, then a system one
    except BrowserError:
        if os.environ.get("PAGESIGHT_BROWSER"):
            raise  # the user named a browser that is not there: say so
        return args  # nothing anywhere: Playwright's own error says `playwright install`
    extra = [a for a in launch_args() if a not in (args.get("args") or [])]
    return {**args, "executable_path": info.path, "args": [*(args.get("args") or []), *extra]}
