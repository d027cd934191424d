"""Retries as Playwright does them: a scenario that fails and then passes is "flaky" in the console,
results.json, junit.xml and index.html, and the run exits 0. A real localhost server whose page is not
ready on the first request; real Chromium; the ocr backend."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = "<!doctype html><html><body style='font:32px sans-serif;padding:40px'><h1>{}</h1></body></html>"


@pytest.fixture
def flaky_server():
    """Serves /page.html: "Loading" the first time, "Welcome back" from then on."""
    hits = {"n": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            if self.path != "/page.html":
                self.send_error(404)
                return
            hits["n"] += 1
            body = PAGE.format("Loading" if hits["n"] == 1 else "Welcome back").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


def _scenario(tmp_path: Path, base: str) -> Path:
    path = tmp_path / "flaky.yaml"
    path.write_text(textwrap.dedent(f"""
        name: Page that is ready on the second visit
        url: {base}/page.html
        retries: 1
        timeout: 1
        steps:
          - assert: {{visible: Welcome back}}
        """))
    return path


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "agent.frontends.cli", "run", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=600)


def test_fails_then_passes_is_flaky_everywhere_and_exits_0(tmp_path, flaky_server):
    base, hits = flaky_server
    report = tmp_path / "report"
    result = _run(str(_scenario(tmp_path, base)), "--report", str(report))
    assert result.returncode == 0, result.stdout + result.stderr
    assert hits["n"] == 2
    assert "retry 1 of 1" in result.stdout and "flaky (passed on try 2)" in result.stdout
    assert "0 failed, 1 flaky" in result.stdout

    data = json.loads((report / "results.json").read_text(encoding="utf-8"))
    sc = data["scenarios"][0]
    assert data["summary"]["flaky"] == 1 and data["summary"]["failed"] == 0
    assert sc["status"] == "flaky" and sc["steps"][0]["status"] == "passed"
    assert [a["status"] for a in sc["attempts"]] == ["failed"]
    first_try = sc["attempts"][0]["steps"][0]
    assert first_try["before"] and (report / first_try["before"]).is_file()
    assert "retry1" in sc["steps"][0]["before"]  # the retry's images do not overwrite the first try's

    case = ET.parse(report / "junit.xml").getroot().find("testsuite/testcase")
    assert case.find("failure") is None and case.find("error") is None
    flaky = case.findall("flakyFailure")
    assert len(flaky) == 1 and "Welcome back" in flaky[0].find("stackTrace").text

    html = (report / "index.html").read_text(encoding="utf-8")
    assert 'class="flaky"' in html and "try 1 of 2: failed" in html


def test_retries_on_the_command_line_win_over_the_file(tmp_path, flaky_server):
    base, hits = flaky_server
    report = tmp_path / "report"
    result = _run(str(_scenario(tmp_path, base)), "--report", str(report), "--retries", "0")
    assert result.returncode == 1, result.stdout + result.stderr
    assert hits["n"] == 1
    data = json.loads((report / "results.json").read_text(encoding="utf-8"))
    assert data["scenarios"][0]["status"] == "failed" and "attempts" not in data["scenarios"][0]


def test_retries_must_be_a_small_whole_number(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nurl: http://127.0.0.1:9/\nretries: many\nsteps:\n  - click: a\n")
    result = _run(str(path))
    assert result.returncode == 2 and "bad.yaml:3" in result.stderr and "retries must be" in result.stderr
    assert _run(str(path), "--retries", "-1").returncode == 2
