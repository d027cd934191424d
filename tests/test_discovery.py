"""Discovery (issue #11): `pagesight run DIR` in a crowded repository runs its scenarios only, not
docker-compose.yml, config files, or YAML inside node_modules, virtual environments and caches."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from agent.language.discovery import discover
from pagesight_errors import ScenarioError

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = "name: {name}\nurl: http://127.0.0.1:9/\nsteps:\n  - Reload\n"
NOT_SCENARIOS = {
    "docker-compose.yml": "services:\n  web:\n    image: nginx\n",
    "config.yml": "debug: true\nsteps_per_epoch: 3\n",
    "ci/pipeline.yaml": "jobs:\n  test:\n    steps:\n      - run: make\n",  # steps:, but not top-level
}
HIDDEN_OR_VENDORED = ["node_modules/pkg/config.yml", ".venv/lib/x.yaml", "venv/x.yaml", "__pycache__/x.yaml",
                      "lib/python3.11/site-packages/pkg/s.yaml", ".git/x.yaml", "sub/.hidden/x.yaml",
                      "myenv/s.yaml", "scenarios/__baselines__/s.yaml"]


def _repo(root: Path) -> Path:
    for rel, text in NOT_SCENARIOS.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    for rel in HIDDEN_OR_VENDORED:  # each one a valid scenario: only the folder keeps it out
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(SCENARIO.format(name=rel), encoding="utf-8")
    (root / "myenv" / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")  # a venv by any name
    for rel in ("scenarios/login.yaml", "scenarios/sub/todo.yml", "smoke.yaml"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(SCENARIO.format(name=Path(rel).stem), encoding="utf-8")
    (root / "scenarios" / "flows.scenario.txt").write_text(SCENARIO.format(name="flows"), encoding="utf-8")
    return root


def test_a_folder_gives_only_yaml_files_with_top_level_steps_outside_skipped_folders(tmp_path):
    root = _repo(tmp_path)
    found = [p.relative_to(root).as_posix() for p in discover([root])]
    assert found == ["scenarios/login.yaml", "scenarios/sub/todo.yml", "smoke.yaml"]


def test_glob_picks_other_files_and_still_skips_vendored_folders(tmp_path):
    root = _repo(tmp_path)
    assert [p.name for p in discover([root], glob="**/*.scenario.txt")] == ["flows.scenario.txt"]
    assert [p.relative_to(root).as_posix() for p in discover([root], glob="**/config.yml")] == ["config.yml"]
    with pytest.raises(ScenarioError, match="no files matching --glob"):
        discover([root], glob="**/*.nothing")
    (root / "empty").mkdir()
    (root / "empty" / "docker-compose.yml").write_text("services: {}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="top-level `steps:`.*--glob PATTERN"):
        discover([root / "empty"])


def test_pagesight_run_on_a_crowded_repo_runs_its_scenarios(tmp_path):
    root = _repo(tmp_path)
    r = subprocess.run([sys.executable, "-m", "agent.frontends.cli", "run", ".", "--report", "rep"],
                       capture_output=True, text=True, cwd=root, timeout=600,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    out = r.stdout + r.stderr
    assert "docker-compose" not in out and "node_modules" not in out and "services" not in out
    assert "[1/3] login" in out and "[3/3] smoke" in out  # each fails (nothing listens on port 9): exit 1
    assert r.returncode == 1, out
