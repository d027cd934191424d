"""One run owns its report folder: a lock while it runs, a stale lock taken over, only pagesight's own
files cleaned, and a folder of other files refused. No browser needed: the folder is claimed before one
opens."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from agent.frontends.report_folder import LOCK, MARK, ReportFolderError, claim, release

ROOT = Path(__file__).resolve().parent.parent


def _old_report(folder: Path) -> None:
    """What an older pagesight wrote: no mark, but index.html, results.json and steps/."""
    (folder / "steps").mkdir(parents=True)
    (folder / "steps" / "01-001-before.png").write_bytes(b"old image")
    (folder / "index.html").write_text("<html>old</html>")
    (folder / "results.json").write_text('{"summary": {}, "scenarios": []}')
    (folder / "junit.xml").write_text("<testsuites/>")


def test_an_older_report_is_cleaned_and_other_files_in_it_are_kept(tmp_path):
    _old_report(tmp_path)
    (tmp_path / "notes.txt").write_text("mine")
    claim(tmp_path)
    try:
        assert not (tmp_path / "steps").exists()  # stale images from an older run are gone
        assert not (tmp_path / "index.html").exists() and not (tmp_path / "results.json").exists()
        assert (tmp_path / "notes.txt").read_text() == "mine"
        assert (tmp_path / MARK).is_file()
        assert (tmp_path / LOCK).read_text().split()[0] == str(os.getpid())
    finally:
        release(tmp_path)
    assert not (tmp_path / LOCK).exists()


def test_a_folder_holding_only_shards_reports_is_taken_and_they_stay(tmp_path):
    for shard in ("shard-1-of-2", "shard-2-of-2"):
        claim(tmp_path / shard)
        release(tmp_path / shard)
        (tmp_path / shard / "index.html").write_text("<html>shard</html>")
    claim(tmp_path)
    release(tmp_path)
    assert (tmp_path / "shard-1-of-2" / "index.html").is_file() and (tmp_path / "shard-2-of-2" / MARK).is_file()


def test_a_folder_of_other_files_is_refused_and_left_alone(tmp_path):
    (tmp_path / "index.html").write_text("my own site")
    (tmp_path / "app.py").write_text("print()")
    with pytest.raises(ReportFolderError, match="did not write .*app.py.*index.html"):
        claim(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.py", "index.html"]


def test_a_live_run_holds_the_folder_and_a_dead_runs_lock_is_taken_over(tmp_path):
    import socket

    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (tmp_path / LOCK).write_text(f"{live.pid} {socket.gethostname()}\n")
        with pytest.raises(ReportFolderError, match=f"another pagesight run \\(pid {live.pid}\\)"):
            claim(tmp_path)
    finally:
        live.kill()
        live.wait()
    (tmp_path / LOCK).write_text(f"{live.pid} {socket.gethostname()}\n")  # its run is gone now
    claim(tmp_path)
    release(tmp_path)


def test_run_into_a_folder_of_other_files_exits_2_with_one_line(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(textwrap.dedent("""
        name: x
        url: http://127.0.0.1:9/
        steps:
          - click: Sign in
        """))
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "main.c").write_text("int main;")
    result = subprocess.run([sys.executable, "-m", "agent.frontends.cli", "run", str(scenario), "--report",
                             str(folder)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1 and "main.c" in result.stderr and "choose an empty" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["main.c"]
