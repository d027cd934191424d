"""`pagesight doctor`, the bare-install import promise, and the CLI's version and usage errors."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from agent.frontends.cli import main
from browser import launch

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def no_browser_anywhere(tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    for var in ("PAGESIGHT_BROWSER", "PAGESIGHT_BROWSER_WS", "XDG_CACHE_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setenv("HOME", str(empty))
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "pw"))
    monkeypatch.setattr(launch, "SYSTEM_CANDIDATES", ())


def test_doctor_without_a_browser_says_how_to_get_one_and_fails(no_browser_anywhere):
    result = CliRunner().invoke(main, ["doctor"])
    assert result.exit_code == 1
    assert "apt-get install chromium" in result.output
    assert "playwright install chromium" in result.output
    assert "usable backends: ocr" in result.output  # the rest of the report still comes


def test_doctor_with_a_browser_reports_it_and_the_backends():
    result = CliRunner().invoke(main, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "✓ browser:" in result.output and "Chromium" in result.output
    assert "OCR models" in result.output and ".onnx" in result.output
    for item in ("torch", "CUDA", "flash-attn", "GLM-4.6V-Flash weights"):
        assert item in result.output
    assert "usable backends: ocr" in result.output


def test_run_without_a_browser_exits_2_before_running_anything(no_browser_anywhere, tmp_path):
    scenario = tmp_path / "ok.yaml"
    scenario.write_text("name: ok\nurl: http://127.0.0.1:9/\nsteps:\n  - click: Sign in\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(scenario), "--report", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert "apt-get install chromium" in result.output
    assert not (tmp_path / "r").exists()


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and "pagesight" in result.output


def test_packages_import_on_a_bare_install():
    """`import agent, vision, browser` (and the CLI) must not need any extra, nor Playwright itself."""
    code = textwrap.dedent("""
        import sys
        BLOCKED = ("torch", "transformers", "accelerate", "flash_attn", "fastapi", "uvicorn", "gradio",
                   "langchain_openai", "langchain_core", "playwright")
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in BLOCKED:
                    raise ModuleNotFoundError(f"No module named {name!r} (blocked)")
                return None
        sys.meta_path.insert(0, Block())
        import agent, vision, browser, agent.cli, vision.ocr
        from vision import load_backend
        from agent.errors import BackendUnavailable
        for name in ("glm", "openai"):
            try:
                load_backend(name)
            except BackendUnavailable as exc:
                print(name, "->", exc)
        print("heavy:", sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env=os.environ, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "heavy: []" in out.stdout
    assert "glm -> " in out.stdout and "pagesight[vlm]" in out.stdout
    assert "openai -> " in out.stdout and "pagesight[remote]" in out.stdout
