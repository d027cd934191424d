"""Validation before any browser opens (issue #11): model-only steps on a backend that cannot run them,
a relative url with nothing to join it to, and one listing of the sentence forms per run."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from agent.engine.preflight import preflight
from agent.language.scenario import parse_scenario
from pagesight_errors import ScenarioError

ROOT = Path(__file__).resolve().parent.parent


def pagesight(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k != "PAGESIGHT_BACKEND"}
    return subprocess.run([sys.executable, "-m", "agent.frontends.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, env={**clean, **(env or {})}, timeout=300)


@pytest.fixture
def spy_browser(tmp_path):
    """A 'browser' that leaves a mark if anything ever launches it."""
    mark = tmp_path / "browser-was-launched"
    exe = tmp_path / "fake-chrome"
    exe.write_text(f"#!/bin/sh\ntouch {mark}\nexit 1\n")
    exe.chmod(0o755)
    return {"PAGESIGHT_BROWSER": str(exe)}, mark


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


@pytest.mark.parametrize("step, line", [("- do: sign in as alice", 5),
                                        ('- assert: "the form looks tidy"', 5)])
def test_model_only_steps_on_ocr_exit_2_naming_the_backends_that_can(tmp_path, spy_browser, step, line):
    env, mark = spy_browser
    path = write(tmp_path / "model.yaml", f"""
        name: needs a model
        url: http://127.0.0.1:9/login.html
        steps:
          - Click "Sign in"
          {step}
        """)
    r = pagesight("run", str(path), "--report", str(tmp_path / "rep"), env=env)
    assert r.returncode == 2, r.stdout + r.stderr
    assert f"model.yaml:{line}:" in r.stderr and "glm or openai" in r.stderr and "ocr backend" in r.stderr
    assert "JSON" not in r.stderr
    assert not mark.exists() and not (tmp_path / "rep").exists()


def test_a_model_backend_passes_the_check_and_ocr_says_it_cannot_answer_free_text():
    sc = parse_scenario("name: x\nurl: http://a.test/\nbackend: glm\nsteps:\n  - do: sign in\n", "x.yaml")
    preflight([sc])  # glm reads free text: no error
    with pytest.raises(ScenarioError, match=r"x.yaml:5: .*glm or openai"):
        preflight([sc], backend="ocr")  # --backend wins over the file's backend:
    from vision.backend import FREE_TEXT
    from vision.ocr.backend import OcrBackend
    from vision.scripted import ScriptedBackend

    # The names the check uses and the backends' own flag (the planner's check at run time) agree.
    assert "ocr" not in FREE_TEXT and OcrBackend.understands_free_text is False
    assert "scripted" in FREE_TEXT and ScriptedBackend.understands_free_text is True


def test_a_relative_url_with_no_base_url_exits_2_at_its_line(tmp_path, spy_browser):
    env, mark = spy_browser
    path = write(tmp_path / "rel.yaml", """
        name: relative
        # no serve:, no base_url:
        url: /login.html
        steps:
          - Click "Sign in"
        """)
    r = pagesight("run", str(path), "--report", str(tmp_path / "rep"), env=env)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "rel.yaml:3:" in r.stderr and "--base-url" in r.stderr
    assert not mark.exists()
    # With a base URL it passes the check (and reaches the browser, the spy).
    r = pagesight("run", str(path), "--base-url", "http://127.0.0.1:9", "--report", str(tmp_path / "rep"), env=env)
    assert "is relative" not in r.stderr


def test_500_unreadable_steps_list_the_sentence_forms_once(tmp_path, spy_browser):
    env, _ = spy_browser
    for n in (1, 2):  # two files: the listing is once per run, not once per file
        body = "".join(f"  - Frobnicate widget {i}\n" for i in range(250))
        (tmp_path / f"bad{n}.yaml").write_text(f"name: bad {n}\nurl: http://a.test/\nsteps:\n{body}", encoding="utf-8")
    r = pagesight("run", str(tmp_path), "--report", str(tmp_path / "rep"), env=env)
    assert r.returncode == 2
    assert r.stderr.count("write one of:") == 1
    assert r.stderr.count("cannot read step") == 500
    assert r.stderr.count("forms listed above") == 499
    # Each problem is one short line after its file:line (the size of the whole hangs on how long
    # tmp_path is); it was over 350 KB, each line carrying the 700-character list of forms.
    problems = [line for line in r.stderr.splitlines() if "forms listed above" in line]
    assert max(len(line) - len(str(tmp_path)) for line in problems) < 120
