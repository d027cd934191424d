"""`${NAME}` from the environment, and secrets: values from the environment and `secret: true` texts
are typed for real but shown as ••• in the console, index.html, results.json, junit.xml, image names and
the captions drawn on images. A real run on the demo site (real Chromium, ocr backend)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from agent.language.scenario import parse_scenario
from pagesight_errors import ScenarioError

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "scenarios" / "site"
EMAIL, PASSWORD, HIDDEN = "alice@example.com", "tr0ub4dor-Secret", "Zebra Quokka"


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "agent.frontends.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=600, env={**os.environ, **(env or {})})


def test_env_values_and_secret_fields_never_show(tmp_path):
    (tmp_path / "a_sign_in.yaml").write_text(textwrap.dedent(f"""
        name: Sign in as ${{PS_TEST_EMAIL}}
        serve: {SITE}
        url: /login.html
        steps:
          - fill: {{target: Email address, text: "${{PS_TEST_EMAIL}}"}}
          - fill: {{target: Password, text: {PASSWORD}, secret: true}}
          - click: Sign in
          - assert: {{visible: "Welcome, alice"}}
        """))
    (tmp_path / "b_missing.yaml").write_text(textwrap.dedent(f"""
        name: A button named by a secret
        serve: {SITE}
        url: /login.html
        timeout: 2
        steps:
          - click: '"${{PS_TEST_HIDDEN}}" button'
        """))
    report = tmp_path / "report"
    junit = tmp_path / "extra-junit.xml"
    result = _cli("run", str(tmp_path), "--report", str(report), "--junit", str(junit), "--cache", "read-write",
                  env={"PS_TEST_EMAIL": EMAIL, "PS_TEST_HIDDEN": HIDDEN})
    assert result.returncode == 1, result.stdout + result.stderr  # b fails; a passed: the real values were typed
    assert "Welcome, alice is visible" in result.stdout
    assert "✓ fill Password with '•••'" in result.stdout and "fill Email address with '•••'" in result.stdout
    assert '"•••" button' in result.stdout

    outputs = {"stdout": result.stdout, "stderr": result.stderr, "junit": junit.read_text(encoding="utf-8")}
    for name in ("index.html", "results.json", "junit.xml"):
        outputs[name] = (report / name).read_text(encoding="utf-8")
    outputs["image names"] = "\n".join(p.name for p in (report / "steps").iterdir())
    cache_files = list((tmp_path / "__pagesight_cache__").glob("*.json"))
    assert cache_files, "the locator cache was written"  # it is meant to be committed: no secret in it
    outputs.update({f"cache {p.name}": p.read_text(encoding="utf-8") for p in cache_files})
    for secret in (EMAIL, PASSWORD, HIDDEN, "Zebra", "tr0ub4dor"):
        leaks = [where for where, text in outputs.items() if secret in text]
        assert not leaks, f"{secret!r} shown in {leaks}"
    assert "•••" in outputs["results.json"] and "•••" in outputs["index.html"] and "•••" in outputs["junit.xml"]

    # The failure's screenshot carries a caption: OCR it, as a person would read it.
    from vision.backend import load_backend

    failure = next(p for p in (report / "steps").iterdir() if "not-found" in p.name)
    backend = load_backend("ocr")
    try:
        seen = " ".join(e.name for e in backend.parse(str(failure)).elements)
    finally:
        backend.close()
    assert "could not find" in seen and "Zebra" not in seen and "Quokka" not in seen


def test_a_missing_variable_is_named_with_file_line_before_any_browser(tmp_path):
    exe, mark = tmp_path / "fake-chrome", tmp_path / "launched"
    exe.write_text(f"#!/bin/sh\ntouch {mark}\nexit 1\n")
    exe.chmod(0o755)
    path = tmp_path / "s.yaml"
    path.write_text("name: x\nurl: http://127.0.0.1:9/\nsteps:\n  - click: ok\n"
                    "  - fill: {target: Password, text: '${PS_TEST_NOT_SET}'}\n")
    env = {k: v for k, v in os.environ.items() if k != "PS_TEST_NOT_SET"}
    result = subprocess.run([sys.executable, "-m", "agent.frontends.cli", "run", str(path)], capture_output=True,
                            text=True, cwd=ROOT, timeout=120, env={**env, "PAGESIGHT_BROWSER": str(exe)})
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"{path}:5" in result.stderr and "PS_TEST_NOT_SET is not set" in result.stderr
    assert not mark.exists()


def test_substitution_rules(monkeypatch):
    monkeypatch.setenv("PS_A", "one")
    sc = parse_scenario("name: x\nurl: http://127.0.0.1/${PS_A}\nsteps:\n  - Type \"${PS_A}-$${PS_A}\" into \"F\"\n",
                        "s.yaml")
    assert sc.url == "http://127.0.0.1/one"
    assert sc.steps[0].text == "one-${PS_A}"  # $${NAME} is written out as ${NAME}
    assert sc.secrets == ("one",)
    with pytest.raises(ScenarioError, match="s.yaml:4: .*secret must be true or false"):
        parse_scenario("name: x\nurl: http://h/\nsteps:\n  - fill: {target: F, text: a, secret: maybe}\n", "s.yaml")
    monkeypatch.setenv("PS_B", "hunter2")
    with pytest.raises(ScenarioError, match="s.yaml:4: cannot read step 'Tpye \"•••\"") as err:
        parse_scenario('name: x\nurl: http://h/\nsteps:\n  - Tpye "${PS_B}" into "Password"\n', "s.yaml")
    assert "hunter2" not in str(err.value)
    with pytest.raises(ScenarioError, match="secret"):  # only fill takes it
        parse_scenario("name: x\nurl: http://h/\nsteps:\n  - click: {target: F, secret: true}\n", "s.yaml")
