"""An interrupted run (Ctrl-C, SIGTERM, a closed stdout pipe) writes what finished into results.json,
junit.xml and index.html, marked interrupted, and exits 130. A real `pagesight run` subprocess, a real
signal, real Chromium on the demo site.

Before: a signal ended the run with a traceback and no report at all, and the old index.html stayed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "scenarios" / "site"


def _scenarios(folder: Path) -> None:
    (folder / "a_quick.yaml").write_text(textwrap.dedent(f"""
        name: Quick one
        serve: {SITE}
        url: /login.html
        steps:
          - assert: {{visible: Sign in to Acme}}
        """))
    waits = "\n".join("  - wait: {seconds: 2}" for _ in range(20))
    (folder / "b_slow.yaml").write_text(f"name: Slow one\nserve: {SITE}\nurl: /login.html\nsteps:\n{waits}\n")


def _read_until(proc: subprocess.Popen, marker: str, seen: list[str]) -> None:
    while True:
        line = proc.stdout.readline()
        assert line, "the run ended early:\n" + "".join(seen)
        seen.append(line)
        if marker in line:
            return


@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM", "closed stdout", "Ctrl-C"])
def test_an_interrupted_run_writes_what_finished_and_exits_130(tmp_path, how):
    _scenarios(tmp_path)
    report = tmp_path / "report"
    proc = subprocess.Popen([sys.executable, "-m", "agent.frontends.cli", "run", str(tmp_path), "--report",
                             str(report)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True)
    seen: list[str] = []
    try:
        _read_until(proc, "[2/2]", seen)
        _read_until(proc, "wait 2 s", seen)  # the slow one has finished a step
        if how == "closed stdout":
            proc.stdout.close()  # like `pagesight run | head`: nobody reads any more
        elif how == "Ctrl-C":  # a terminal signals the whole group: Playwright's driver and Chromium too
            time.sleep(0.5)
            os.killpg(proc.pid, signal.SIGINT)
        else:
            time.sleep(0.5)
            proc.send_signal(getattr(signal, how))
        rc = proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    stderr = proc.stderr.read()
    assert rc == 130, "".join(seen) + stderr
    assert "Traceback" not in stderr, stderr

    data = json.loads((report / "results.json").read_text(encoding="utf-8"))
    assert data["interrupted"] is True
    quick, slow = data["scenarios"]
    assert quick["status"] == "passed" and quick["steps"][0]["status"] == "passed"
    assert slow["status"] == "interrupted"
    assert slow["steps"][0]["status"] == "passed" and len(slow["steps"]) < 20
    assert all((report / s[k]).is_file() for sc in (quick, slow) for s in sc["steps"] for k in ("before", "after")
               if s[k])

    suite = ET.parse(report / "junit.xml").getroot().find("testsuite")
    assert suite.get("errors") == "1"
    assert suite.find("properties/property[@name='interrupted']").get("value") == "true"
    cases = suite.findall("testcase")
    assert cases[0].find("error") is None and cases[1].find("error").get("type") == "interrupted"

    html = (report / "index.html").read_text(encoding="utf-8")
    assert "This run was interrupted" in html and 'id="02-b-slow"' in html
