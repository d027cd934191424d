"""The pytest plugin as users meet it: throwaway test files run by pytester against the demo site.

Runs that open a browser go through `runpytest_subprocess`: pytest-playwright starts a sync
Playwright, which cannot share a thread with one started by another fixture in this process.
The demo site is served here (`site_url`) and handed to the inner run with --base-url.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
from PIL import Image

from agent.frontends.pytest_plugin import extend_launch_args, playwright_chromium_launchable

# Every inner run: no cache folder, and a fixed backend unless the test says otherwise.
BASE = ("-p", "no:cacheprovider", "-p", "no:randomly")


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    env_backend = os.environ.pop("PAGESIGHT_BACKEND", None)  # the inner run must see only our options
    try:
        return pytester.runpytest_subprocess(*BASE, *args, timeout=300)
    finally:
        if env_backend is not None:
            os.environ["PAGESIGHT_BACKEND"] = env_backend


# -- with the real ocr backend on the demo site --------------------------------------------------------

@pytest.mark.slow
def test_ui_and_expect_pass_on_the_demo_site(pytester: pytest.Pytester, site_url: str) -> None:
    pytester.makepyfile(test_demo='''
        import pytest
        from agent import expect

        def test_sign_in(ui):
            ui.goto("/login.html")  # relative to --base-url
            ui.fill('"Email address" field', "alice@example.com")
            ui.fill('"Password" field', "secret")
            ui.click('"Sign in" button')
            expect(ui).to_show('"Welcome, alice"')
            expect(ui).not_to_show('"Sign in" button', timeout=2)
            assert ui.url.endswith("dashboard.html?user=alice")
            assert ui.backend.name == "ocr"
            assert ui.records and all(r.status == "passed" for r in ui.records)

        @pytest.mark.browser_context_args(device_scale_factor=2, viewport={"width": 800, "height": 600})
        def test_locate_is_in_css_pixels(ui, page):
            ui.goto("/login.html")
            loc = ui.locate('"Sign in" button')
            css = page.locator("button[type=submit]").bounding_box()
            x, y = loc.point
            # The screenshot is 1600x1200 at scale 2; the point must land on the button in CSS pixels.
            assert css["x"] <= x <= css["x"] + css["width"], (loc, css)
            assert css["y"] <= y <= css["y"] + css["height"], (loc, css)
            x1, y1, x2, y2 = loc.box
            assert x2 <= 800 and y2 <= 600 and x1 < x < x2 and y1 < y < y2
            parsed = ui.parse()
            assert (parsed.width, parsed.height) == (800, 600)
            assert all(e.box[2] <= 801 and e.box[3] <= 601 for e in parsed.elements)
    ''')
    result = _run(pytester, "--base-url", site_url, "--vision-backend", "ocr")
    result.assert_outcomes(passed=2)
    # Passing steps leave no screenshots behind by default.
    assert not list((pytester.path / "test-results").rglob("*.png"))


@pytest.mark.slow
def test_failing_expect_names_target_candidates_and_an_existing_screenshot(
        pytester: pytest.Pytester, site_url: str) -> None:
    pytester.makepyfile(test_fail='''
        from agent import expect, AssertionFailed

        def test_wrong_user(ui):
            ui.goto("/login.html")
            expect(ui).to_show('"Welcome, bob"', timeout=1)

        def test_is_an_assertion_failed(ui):
            ui.goto("/login.html")
            try:
                expect(ui).to_have('"Sign in" button', count=2, timeout=1)
            except AssertionFailed as exc:
                assert isinstance(exc, AssertionError) and exc.screenshot and exc.candidates
            else:
                raise AssertionError("expected a failure")
    ''')
    result = _run(pytester, "--base-url", site_url, "--vision-backend", "ocr")
    result.assert_outcomes(passed=1, failed=1)
    out = result.stdout.str()
    line = next(ln for ln in result.outlines if "AssertionFailed" in ln and "Welcome, bob" in ln)
    assert "expected '\"Welcome, bob\"' to be visible" in line
    # What was seen instead: kind, text and box of the nearest candidates.
    assert re.search(r"seen instead: \w+ ['\"].+?['\"] at \[\d+, \d+, \d+, \d+\]", line), line
    shot = re.search(r"screenshot: (\S+\.png)", line)
    assert shot, line
    path = Path(shot.group(1))
    assert path.is_file() and path.is_relative_to(pytester.path / "test-results")
    assert "test-fail-py-test-wrong-user" in str(path)  # the test's own output folder
    with Image.open(path) as img:
        assert img.size == (1280, 720)  # pytest-playwright's default viewport
    # The failure report lists the steps the test ran.
    assert "pagesight steps" in out
    # The traceback points at the test's line, not into pagesight.
    assert "agent/engine/handlers.py" not in out and "agent/frontends/assertions.py" not in out
    assert re.search(r"1 passed .* go to .*login\.html \(line 4\)", out)


# -- the options reach the backend ---------------------------------------------------------------------

@pytest.mark.slow
def test_vision_backend_and_model_options_reach_the_backend(pytester: pytest.Pytester) -> None:
    pytester.makeconftest('''
        from vision import backend as vb
        from vision.scripted import ScriptedBackend

        class Recorded(ScriptedBackend):
            name = "recorded"

            def __init__(self, **options):
                super().__init__(answers={"How many projects are there?": "There are 4 projects"})
                self.options = options

        vb.BACKENDS["recorded"] = Recorded
    ''')
    pytester.makepyfile(test_opts='''
        import pytest

        def test_option(ui):
            assert ui.backend.name == "recorded"
            assert ui.backend.options == {"model": "tiny-model"}

        def test_answer(ui):
            from agent import AssertionFailed, expect

            assert expect(ui).to_answer("How many projects are there?", "4 PROJECTS") == "There are 4 projects"
            with pytest.raises(AssertionFailed, match="expected the answer to contain '5'.*got 'There are 4"):
                expect(ui).to_answer("How many projects are there?", "5", timeout=0.3)
            assert len([r for r in ui.records if r.status == "failed"]) >= 2  # it asked again before failing

        @pytest.mark.pagesight(backend="scripted", timeout=3)
        def test_marker(ui, _pagesight_backend):
            assert ui.backend.name == "scripted"
            assert ui.timeout == 3
            assert _pagesight_backend.name == "recorded"  # the session default is untouched
    ''')
    result = _run(pytester, "--vision-backend", "recorded", "--vision-model", "tiny-model")
    result.assert_outcomes(passed=3)

    result = _run(pytester, "--vision-backend", "no-such-backend", "-k", "test_option")
    assert result.ret == pytest.ExitCode.USAGE_ERROR  # checked once at session start (issue #11)
    result.stderr.fnmatch_lines(["*unknown vision backend 'no-such-backend'*"])


@pytest.mark.slow
def test_a_backend_that_cannot_load_is_one_usage_error_before_any_test(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # glm with an empty Hugging Face cache: its error came with ~380 lines of chained hub traceback,
    # once per test (1,516 lines for 4 tests).
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf" / "hub"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("PAGESIGHT_GLM_MODEL", raising=False)
    pytester.makepyfile(test_four="".join(f"def test_{i}(ui):\n    ui.goto('/login.html')\n\n" for i in range(4)))
    result = _run(pytester, "--vision-backend", "glm")
    out = "\n".join(result.outlines + result.errlines)
    assert result.ret == pytest.ExitCode.USAGE_ERROR, out
    assert out.count("the vision backend cannot be used") == 1
    assert "huggingface-cli download" in out or "hf download" in out  # how to get the model
    assert "Traceback" not in out and len(out.splitlines()) < 20, out
    # Under xdist a worker cannot stop the session: each test's error is that one line, no chain.
    result = _run(pytester, "--vision-backend", "glm", "-n", "2")
    out = "\n".join(result.outlines + result.errlines)
    assert result.ret == pytest.ExitCode.TESTS_FAILED and "INTERNALERROR" not in out, out
    # Once per test, no more (each test's error section; the short summary repeats it, cut to the
    # terminal's width except under CI=true, so it is not counted).
    errors = [line for line in out.splitlines() if line.startswith("pagesight: the vision backend cannot be used")]
    assert len(errors) == 4, out
    assert "direct cause" not in out and "another exception occurred" not in out, out


# -- pytest-xdist --------------------------------------------------------------------------------------

@pytest.mark.slow
def test_two_workers_each_keep_their_own_screenshots(pytester: pytest.Pytester, site_url: str) -> None:
    pytester.makepyfile(test_par='''
        import os
        from agent import expect

        def test_login_page(ui):
            ui.goto("/login.html")
            expect(ui).to_show('"Sign in to Acme"')
            ui.screenshot("login")
            assert os.environ["PYTEST_XDIST_WORKER"].startswith("gw")

        def test_admin_page(ui):
            ui.goto("/admin.html")
            expect(ui).to_show('"后台管理系统"')
            ui.screenshot("admin")
            assert os.environ["PYTEST_XDIST_WORKER"].startswith("gw")
    ''')
    result = _run(pytester, "-n", "2", "--base-url", site_url, "--vision-backend", "ocr",
                  "--pagesight-report", "shots")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*2 workers*"])
    shots = pytester.path / "shots"
    files = sorted(p.relative_to(shots).as_posix() for p in shots.rglob("*.png"))
    assert len(files) == 2, files
    assert any("test-login-page" in f and f.endswith("-shot-login.png") for f in files), files
    assert any("test-admin-page" in f and f.endswith("-shot-admin.png") for f in files), files


# -- expect without a browser: timeouts and the import --------------------------------------------------

class _FakeUI:
    """Stands in for agent.frontends.ui.UI: records the steps expect() runs and the timeout they run under."""

    def __init__(self) -> None:
        self.agent = object()
        self.timeout = 10.0
        self.ran: list[tuple[object, float]] = []

    def timeout_of(self, seconds: float):
        import contextlib

        @contextlib.contextmanager
        def scope():
            old, self.timeout = self.timeout, seconds
            try:
                yield
            finally:
                self.timeout = old

        return scope()

    def run(self, step: object) -> object:
        self.ran.append((step, self.timeout))
        return step


def test_expect_builds_scenario_steps_with_its_timeouts() -> None:
    from agent import expect as exported
    from agent.frontends.assertions import expect, get_default_timeout, set_default_timeout
    from agent.language.steps import AssertCount, AssertNotVisible, AssertState, AssertVisible

    ui = _FakeUI()
    assert exported(ui).ui is ui  # `from agent import expect` is callable however it was imported
    before = get_default_timeout()
    try:
        set_default_timeout(2.5)
        expect(ui).to_show('"Saved"')
        expect(ui).not_to_show('"Error"', timeout=1)
        expect(ui).to_have('"Delete" buttons', count=3)
        expect(ui).to_be_checked('"Remember me"', timeout=4)
        expect(ui).to_be_disabled('"Save" button')
    finally:
        set_default_timeout(before)
    steps = [step for step, _ in ui.ran]
    assert steps == [AssertVisible('"Saved"', 2.5), AssertNotVisible('"Error"', 1.0),
                     AssertCount('"Delete" button', 3), AssertState('"Remember me"', "checked"),
                     AssertState('"Save" button', "disabled")]
    assert [t for _, t in ui.ran] == [2.5, 1.0, 2.5, 4.0, 2.5]  # count/state poll for the UI's timeout
    assert ui.timeout == 10.0  # restored afterwards
    assert steps[0].line > 0  # the test's own line, for the report
    with pytest.raises(TypeError, match="takes the `ui` fixture"):
        expect(object())
    with pytest.raises(ValueError):
        set_default_timeout(0)


# -- launch arguments: pagesight's Chromium only where Playwright's is missing --------------------------

def _exe(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


@pytest.fixture
def system_chrome(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fake system browser, and no Playwright download anywhere."""
    import browser.launch as launch

    exe = _exe(tmp_path / "bin" / "chromium")
    monkeypatch.delenv("PAGESIGHT_BROWSER", raising=False)
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "empty-cache"))
    monkeypatch.setattr(launch, "SYSTEM_CANDIDATES", (exe,))
    return exe


def test_launch_args_use_the_system_browser_when_playwright_has_none(system_chrome: str,
                                                                     tmp_path: Path) -> None:
    missing = str(tmp_path / "ms-playwright" / "chromium-1" / "chrome-linux64" / "chrome")
    args = extend_launch_args({"headless": True, "args": ["--lang=zh-CN"]}, "chromium", missing)
    assert args["executable_path"] == system_chrome
    assert args["args"][0] == "--lang=zh-CN"  # the user's flags stay, first
    assert "--disable-background-networking" in args["args"]
    assert ("--no-sandbox" in args["args"]) == (os.geteuid() == 0)
    assert args["headless"] is True


@pytest.mark.parametrize("given", [{"channel": "chrome"}, {"executable_path": "/opt/my/chrome"}])
def test_launch_args_respect_the_users_choice(system_chrome: str, given: dict) -> None:
    assert extend_launch_args(dict(given), "chromium", None) == given


def test_launch_args_leave_other_browsers_alone(system_chrome: str) -> None:
    assert extend_launch_args({}, "firefox", None) == {}


def test_launch_args_leave_a_launchable_playwright_chromium_alone(system_chrome: str, tmp_path: Path) -> None:
    cache = tmp_path / "ms-playwright"
    chrome = _exe(cache / "chromium-1234" / "chrome-linux64" / "chrome")
    # Headed needs only the full Chromium; headless also needs the headless shell beside it.
    assert playwright_chromium_launchable(chrome, headless=False)
    assert not playwright_chromium_launchable(chrome, headless=True)
    assert extend_launch_args({"headless": False}, "chromium", chrome) == {"headless": False}
    headless = extend_launch_args({}, "chromium", chrome)
    assert headless["executable_path"] == system_chrome
    _exe(cache / "chromium_headless_shell-1234" / "chrome-headless-shell-linux64" / "chrome-headless-shell")
    assert playwright_chromium_launchable(chrome, headless=True)
    assert extend_launch_args({}, "chromium", chrome) == {}


def test_pagesight_browser_env_wins_over_playwright(system_chrome: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    mine = _exe(tmp_path / "mine" / "chrome")
    monkeypatch.setenv("PAGESIGHT_BROWSER", mine)
    chrome = _exe(tmp_path / "pw" / "chromium-9" / "chrome-linux" / "chrome")
    assert extend_launch_args({"headless": False}, "chromium", chrome)["executable_path"] == mine
