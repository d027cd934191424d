"""The layers hold: `lint-imports` runs the contracts in pyproject.toml ([tool.importlinter]):
agent above vision and browser, those two independent, the error tree below all, and no import
cycles between the modules of one package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold() -> None:
    exe = Path(sys.executable).parent / "lint-imports"
    out = subprocess.run([str(exe)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert "0 broken" in out.stdout


def test_vision_and_browser_import_the_error_tree_not_agent() -> None:
    # The same tree, caught the same way from every layer: `agent` re-exports it.
    import agent
    import pagesight_errors
    from agent.errors import BackendUnavailable
    from vision.backend import load_backend

    assert agent.PagesightError is pagesight_errors.PagesightError
    assert BackendUnavailable is pagesight_errors.BackendUnavailable
    try:
        load_backend("no-such-backend")
    except agent.PagesightError as exc:
        assert "no-such-backend" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("an unknown backend name must fail")
