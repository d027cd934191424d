"""One run owns its report folder: a lock while it runs, and only what pagesight wrote is cleaned.

`claim(folder)` takes the lock (`.pagesight.lock`, holding the pid and host) or refuses while a live
run holds it; a lock left by a run that died is taken over. It refuses a non-empty folder that is not
a pagesight report (no `.pagesight-report` mark and no index.html + results.json of an older one), so
a mistyped `--report .` never deletes a user's files (reports inside it, such as shards' folders, are
not counted as other files). Then it removes what an earlier report wrote (index.html, results.json,
junit.xml, steps/) and leaves anything else where it is.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
from pathlib import Path

from pagesight_errors import PagesightError

__all__ = ["claim", "release", "ReportFolderError", "MARK", "LOCK", "OWNED", "is_report"]

MARK, LOCK = ".pagesight-report", ".pagesight.lock"
OWNED = ("index.html", "results.json", "junit.xml", "steps")


class ReportFolderError(PagesightError):
    """The report folder cannot be used (held by another run, or holding other files)."""


def is_report(folder: Path) -> bool:
    """Whether `folder` is a pagesight report: our mark, or an older report's index.html + results.json."""
    if (folder / MARK).is_file():
        return True
    try:
        data = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (folder / "index.html").is_file() and isinstance(data, dict) and "scenarios" in data


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _take_lock(folder: Path) -> None:
    lock = folder / LOCK
    me = f"{os.getpid()} {socket.gethostname()}\n"
    for _ in range(3):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                pid_text, _, host = lock.read_text().strip().partition(" ")
                pid = int(pid_text)
            except (OSError, ValueError):
                pid, host = -1, ""  # unreadable: half-written by a run that died at once
            if pid == os.getpid():
                return
            if pid > 0 and host not in ("", socket.gethostname()):
                raise ReportFolderError(f"--report {folder}: a run on host {host} (pid {pid}) holds it; "
                                        f"choose another folder, or delete {lock} if that run is over") from None
            if pid > 0 and _alive(pid):
                raise ReportFolderError(f"--report {folder}: another pagesight run (pid {pid}) is writing there; "
                                        "wait for it, or choose another folder with --report") from None
            lock.unlink(missing_ok=True)  # stale: its run is gone
            continue
        with os.fdopen(fd, "w") as f:
            f.write(me)
        return
    raise ReportFolderError(f"--report {folder}: could not take {lock}; delete it if no run is using the folder")


def claim(folder: str | Path) -> Path:
    """Lock and clean `folder` for one run (created when missing); ReportFolderError when it cannot be."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ReportFolderError(f"--report {folder} is a file; give a folder")
    folder.mkdir(parents=True, exist_ok=True)
    _take_lock(folder)
    try:
        # Shards' reports (pagesight-report/shard-i-of-n) may sit inside: they are ours, and stay.
        others = sorted(p.name for p in folder.iterdir() if p.name not in (LOCK, MARK)
                        and not (p.is_dir() and is_report(p)))
        if others and not is_report(folder):
            shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
            raise ReportFolderError(f"--report {folder} holds files pagesight did not write ({shown}); "
                                    "choose an empty or new folder")
        for name in OWNED:
            path = folder / name
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            elif path.exists() or path.is_symlink():
                path.unlink()
        (folder / MARK).write_text("a pagesight report: `pagesight run` cleans this folder when it starts\n",
                                   encoding="utf-8")
    except BaseException:
        release(folder)
        raise
    return folder


def release(folder: str | Path) -> None:
    """Drop the lock if this process holds it."""
    lock = Path(folder) / LOCK
    try:
        if lock.read_text().split(" ", 1)[0].strip() == str(os.getpid()):
            lock.unlink()
    except OSError:
        pass
