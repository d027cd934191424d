"""Which files `pagesight run PATH…` runs: files named on the command line, and scenarios found in folders.

In a folder (searched recursively, in path order), a scenario is a YAML file with a top-level `steps:`
key: a repository's `docker-compose.yml` or `config.yml` is not one. Folders that hold other people's
files are skipped: hidden ones (`.git`, `.venv`; hidden files too), `node_modules`, `venv`, `__pycache__`, `site-packages`,
`__baselines__` and any virtual environment (a folder with `pyvenv.cfg`). `--glob PATTERN` picks the
files in folders by name instead (e.g. `**/*.scenario.yml`); they are then validated as scenarios.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from pagesight_errors import ScenarioError

__all__ = ["discover", "is_scenario_file", "SKIPPED_FOLDERS", "SUFFIXES"]

SUFFIXES = (".yaml", ".yml")
SKIPPED_FOLDERS = frozenset({"node_modules", "bower_components", "venv", "__pycache__", "site-packages",
                             "dist-packages", "__baselines__"})
_STEPS = re.compile(rb"^steps[ \t]*:", re.M)


def _skipped(folder: Path) -> bool:
    name = folder.name
    return name.startswith(".") or name in SKIPPED_FOLDERS or (folder / "pyvenv.cfg").is_file()


def is_scenario_file(path: Path) -> bool:
    """A YAML file with a top-level `steps:` key (read as bytes: a file that is not UTF-8 still counts,
    and then fails validation saying so)."""
    try:
        return bool(_STEPS.search(path.read_bytes()))
    except OSError:
        return False


def _walk(root: Path) -> list[Path]:
    """Every file under `root`, skipped folders left out, sorted by path."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not _skipped(Path(folder) / d)]
        found.extend(Path(folder) / f for f in files if not f.startswith("."))
    return sorted(found)


def _in_folder(root: Path, glob: str | None) -> list[Path]:
    if glob:
        kept = set(_walk(root))
        return sorted(f for f in root.glob(glob) if f in kept)
    return [f for f in _walk(root) if f.suffix.lower() in SUFFIXES and is_scenario_file(f)]


def discover(paths: Iterable[str | Path], glob: str | None = None) -> list[Path]:
    """Scenario files from files (taken as named) and folders (see the module's doc), each once."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files = _in_folder(p, glob)
            if not files:
                what = f"files matching --glob {glob!r}" if glob else \
                    "*.yaml or *.yml files with a top-level `steps:`"
                raise ScenarioError(f"no {what} in folder {p}" + ("" if glob else "; --glob PATTERN picks others"))
            found.extend(files)
        elif p.is_file():
            if p.suffix.lower() not in SUFFIXES:
                raise ScenarioError("not a scenario file (scenario files end in .yaml or .yml)", str(p))
            found.append(p)
        else:
            raise ScenarioError("no such file or folder", str(p))
    seen: set[Path] = set()
    unique = []
    for f in found:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique
