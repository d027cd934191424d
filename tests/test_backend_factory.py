"""One backend factory: the name given, else $PAGESIGHT_BACKEND, else `ocr`; an unknown name fails
once, before any browser opens, naming where it came from."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from agent import BackendUnavailable
from vision.backend import backend_name

ROOT = Path(__file__).resolve().parents[1]


def test_the_name_given_wins_then_the_variable_then_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAGESIGHT_BACKEND", raising=False)
    assert backend_name(None) == "ocr"
    monkeypatch.setenv("PAGESIGHT_BACKEND", "Scripted")
    assert backend_name(None) == "scripted"
    assert backend_name("ocr") == "ocr"


def test_an_unknown_name_from_the_variable_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGESIGHT_BACKEND", "nonexistent")
    with pytest.raises(BackendUnavailable, match=r"'nonexistent' \(from \$PAGESIGHT_BACKEND\).*ocr"):
        backend_name(None)
    with pytest.raises(BackendUnavailable) as info:
        backend_name("nope")
    assert "PAGESIGHT_BACKEND" not in str(info.value)  # the argument named it, not the variable


def test_run_exits_2_naming_the_variable() -> None:
    env = {**os.environ, "PAGESIGHT_BACKEND": "nonexistent"}
    out = subprocess.run([sys.executable, "-m", "agent.frontends.cli", "run", "scenarios/"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2, out.stdout + out.stderr
    assert "PAGESIGHT_BACKEND" in out.stderr and "nonexistent" in out.stderr
    assert "passed" not in out.stdout  # it stopped before running any scenario
