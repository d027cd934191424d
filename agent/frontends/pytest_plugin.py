"""pytest plugin (entry point `pagesight`): the `ui` fixture on pytest-playwright's `page`.

    from agent import expect

    def test_sign_in(ui):
        ui.goto("/login.html")
        ui.fill('"Email address"', "alice@example.com")
        ui.click('"Sign in" button')
        expect(ui).to_show('"Welcome, alice"')

Options (group "pagesight"): --vision-backend (default $PAGESIGHT_BACKEND or ocr), --vision-model,
--pagesight-timeout, --pagesight-report DIR, --pagesight-screenshots. Marker:
`@pytest.mark.pagesight(backend="ocr", model=None, timeout=10)` for one test or module.

Where Playwright's own browsers were never downloaded, pytest-playwright's launch arguments are
extended to start pagesight's browser (`browser.launch.find_browser`: $PAGESIGHT_BROWSER, else a
system Chromium) with offline flags: no conftest needed. A `--browser-channel`, an `executable_path`
of the user's own, or a launchable Playwright Chromium are left alone. `$PAGESIGHT_BROWSER_WS`
connects to a remote Playwright server unless `connect_options` is overridden.

This module is imported by every pytest run where pagesight is installed: it imports nothing heavy
(no Playwright, no models) until a fixture needs it.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

__all__ = ["extend_launch_args", "playwright_chromium_launchable"]

_UI_KEY = pytest.StashKey[Any]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("pagesight", "pagesight (vision-driven web testing)")
    group.addoption("--vision-backend", default=None, metavar="NAME",
                    help="vision backend for the `ui` fixture: ocr, glm, openai, scripted "
                         "(default: $PAGESIGHT_BACKEND or ocr)")
    group.addoption("--vision-model", default=None, metavar="MODEL",
                    help="model for the vision backend (a local path or name for glm, a served model "
                         "name for openai)")
    group.addoption("--pagesight-timeout", default=None, type=float, metavar="SECONDS",
                    help="how long a `ui` step waits for its target (default 10)")
    group.addoption("--pagesight-report", default=None, metavar="DIR",
                    help="where screenshots of failed steps go, one folder per test (default: the "
                         "test's folder under pytest-playwright's --output, e.g. test-results/<test>/)")
    group.addoption("--update-baselines", action="store_true", default=False,
                    help="expect(ui).to_look_like(...) rewrites its baseline (and passes) instead of comparing")
    group.addoption("--pagesight-screenshots", default="only-on-failure", choices=["on", "only-on-failure"],
                    help="keep every step's screenshots, or only those of failed steps (default)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "pagesight(backend=None, model=None, timeout=None): vision backend, model and step "
                   "timeout (seconds) for the `ui` fixture in this test")
    if config.pluginmanager.hasplugin("playwright"):
        # Registered now, after pytest-playwright, so these fixtures extend (not precede) its own.
        from agent.frontends import pytest_playwright_ext

        config.pluginmanager.register(pytest_playwright_ext, "pagesight-playwright")


# -- browser launch: pagesight's Chromium where Playwright's own is missing (browser.launch decides) ----

from browser.launch import extend_launch_args, playwright_chromium_launchable  # noqa: E402

# -- backends and the `ui` fixture ----------------------------------------------------------------------

class _Backends:
    """Vision backends by (name, model), loaded once per session (loading models is the slow part)."""

    def __init__(self, config: pytest.Config):
        self.config = config
        self.loaded: dict[tuple[str, str | None], Any] = {}

    def get(self, name: str | None = None, model: str | None = None) -> Any:
        """A backend by name and model; None for both: --vision-backend with --vision-model."""
        from vision.backend import backend_name, load_backend

        if name is None:  # the command line's backend: its model too, unless one is given
            model = model or self.config.getoption("--vision-model")
        name = backend_name(name or self.config.getoption("--vision-backend"))
        key = (name, model)
        if key not in self.loaded:
            self.loaded[key] = load_backend(name, **({"model": model} if model else {}))
        return self.loaded[key]

    def close(self) -> None:
        for backend in self.loaded.values():
            try:
                backend.close()
            except Exception:  # one backend failing to close must not hide the others or the tests
                pass
        self.loaded.clear()


_BACKENDS_KEY = pytest.StashKey[_Backends]()
_USES_BACKEND = frozenset({"ui", "_pagesight_backend"})


def _session_backends(config: pytest.Config) -> _Backends:
    if _BACKENDS_KEY not in config.stash:
        config.stash[_BACKENDS_KEY] = _Backends(config)
    return config.stash[_BACKENDS_KEY]


def pytest_collection_finish(session: pytest.Session) -> None:
    """Load the command line's backend once, before any test runs, when a collected test uses it: a
    backend that cannot load (a bad name, no model, no GPU) is one usage error (exit 4), not the same
    long chained traceback under every test."""
    if hasattr(session.config, "workerinput"):  # an xdist worker: a usage error there crashes it; the
        return  # fixture says it instead, one line per test (_backend_or_fail)
    if not any(_USES_BACKEND & set(getattr(item, "fixturenames", ())) for item in session.items):
        return
    from pagesight_errors import BackendError

    try:
        _session_backends(session.config).get()
    except BackendError as exc:
        raise pytest.UsageError(f"{_CANNOT} {exc}") from None


_CANNOT = "pagesight: the vision backend cannot be used:"


def _backend_or_fail(backends: _Backends, name: str | None = None, model: str | None = None) -> Any:
    """The backend, or the test's error as one line (no chained traceback from a model hub)."""
    from pagesight_errors import BackendError

    try:
        return backends.get(name, model)
    except BackendError as exc:
        message = f"{_CANNOT} {exc}"
    pytest.fail(message, pytrace=False)  # outside `except`: no chained exceptions printed under it


@pytest.fixture(scope="session")
def _pagesight_backends(pytestconfig: pytest.Config) -> Iterator[_Backends]:
    backends = _session_backends(pytestconfig)
    yield backends
    backends.close()


@pytest.fixture(scope="session")
def _pagesight_backend(_pagesight_backends: _Backends) -> Any:
    """The session's vision backend (from --vision-backend / --vision-model), loaded once per worker."""
    return _backend_or_fail(_pagesight_backends)


@pytest.fixture
def _pagesight_output(pytestconfig: pytest.Config, output_path: str) -> Path:
    """This test's folder for pagesight screenshots: unique per test, so safe under pytest-xdist."""
    report = pytestconfig.getoption("--pagesight-report")
    if report:
        return Path(report).absolute() / os.path.basename(output_path)
    return Path(output_path)


@pytest.fixture
def ui(page: Any, request: pytest.FixtureRequest, _pagesight_backends: _Backends,
       _pagesight_output: Path, base_url: str | None) -> Iterator[Any]:
    """pytest-playwright's `page`, driven by what is seen on it: ui.click('"Sign in" button')."""
    from agent.frontends.ui import UI

    marker = request.node.get_closest_marker("pagesight")
    opts = dict(marker.kwargs) if marker else {}
    unknown = set(opts) - {"backend", "model", "timeout"}
    if unknown:
        raise pytest.UsageError(f"@pytest.mark.pagesight takes backend, model and timeout, not "
                                f"{', '.join(sorted(unknown))}")
    if opts.get("backend") or opts.get("model"):
        backend = _backend_or_fail(_pagesight_backends, opts.get("backend"), opts.get("model"))
    else:
        backend = request.getfixturevalue("_pagesight_backend")
    timeout = opts.get("timeout") or request.config.getoption("--pagesight-timeout") or 10.0
    instance = UI(page, backend, timeout=float(timeout), output_dir=_pagesight_output, base_url=base_url,
                  screenshots=request.config.getoption("--pagesight-screenshots"))
    instance.update_baselines = request.config.getoption("--update-baselines")
    request.node.stash[_UI_KEY] = instance
    yield instance
    instance.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo
                               ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    instance = item.stash.get(_UI_KEY, None)
    if instance is None or report.when != "call" or not report.failed:
        return report
    # The steps the test ran, in one section of the failure report, and the screenshots for CI tools.
    lines = []
    for rec in instance.records:
        where = f" (line {rec.line})" if rec.line else ""
        lines.append(f"{rec.index:>3} {rec.status:<7} {rec.duration_s:6.2f}s  {rec.description}{where}")
    if instance.failure_screenshots:
        lines.append("screenshots: " + ", ".join(instance.failure_screenshots))
    report.sections.append(("pagesight steps", "\n".join(lines)))
    for path in instance.failure_screenshots:
        report.user_properties.append(("pagesight_screenshot", path))
    return report
