"""`pagesight explore` as a person uses it: the real REPL in a pseudo-terminal (so Ctrl-C is a real
SIGINT to the whole process group, as in a terminal), real Chromium, the ocr backend, the demo site
opened as a local file. Every input that used to end the session with a traceback, Ctrl-C during a step
and at the prompt, a failed `Go to`, :undo, :steps, :save to a new folder; then `pagesight run` on the
saved file from another working directory passes."""

from __future__ import annotations

import fcntl
import os
import re
import select
import socket
import subprocess
import sys
import termios
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PROMPT = "pagesight> "


class Terminal:
    """A child process on a pseudo-terminal that is its controlling terminal (Ctrl-C -> SIGINT)."""

    def __init__(self, args: list[str], cwd: Path):
        master, slave = os.openpty()

        def own_terminal() -> None:
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "dumb", "COLUMNS": "200"}
        self.proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env,
                                     preexec_fn=own_terminal, close_fds=True)
        os.close(slave)
        self.fd = master
        self.seen = ""  # everything read so far
        self.pos = 0  # where the next expect starts looking

    def read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if ready:
            try:
                data = os.read(self.fd, 65536)
            except OSError:  # the child closed the terminal
                data = b""
            if not data and self.proc.poll() is not None:
                raise AssertionError(f"explore ended (exit {self.proc.returncode}); output:\n{self.seen}")
            self.seen += data.decode("utf-8", "replace").replace("\r\n", "\n")

    def expect(self, pattern: str, timeout: float = 120) -> str:
        """Wait for `pattern` (a regex) after what earlier expects consumed; returns the text up to it."""
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern)
        while True:
            m = rx.search(self.seen, self.pos)
            if m:
                before, self.pos = self.seen[self.pos:m.end()], m.end()
                return before
            if time.monotonic() > deadline:
                raise AssertionError(f"no {pattern!r} within {timeout}s; output since:\n{self.seen[self.pos:]}")
            self.read(0.2)

    def send(self, line: str) -> None:
        os.write(self.fd, (line + "\n").encode())

    def answer(self, line: str, timeout: float = 120) -> str:
        """Send a line; what the REPL printed before its next prompt."""
        self.send(line)
        return self.expect(re.escape(PROMPT), timeout)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)
        os.close(self.fd)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_explore_forgives_every_input_and_saves_a_scenario_that_runs_anywhere(tmp_path):
    autosave = tmp_path / "auto" / "kept.yaml"
    saved = tmp_path / "new" / "folder" / "signin.yaml"
    term = Terminal([sys.executable, "-m", "agent.frontends.cli", "explore", "site/login.html", "--timeout", "2",
                     "--save", str(autosave)], cwd=ROOT / "scenarios")  # a path relative to this folder
    try:
        term.expect(re.escape(PROMPT), timeout=300)
        # Each of these ended the session with a traceback and exit 1.
        for line in ('Click ""', ':locate ""', f":shot {tmp_path}/missing/dir/shot.png"):
            out = term.answer(line)
            assert "Traceback" not in out
        assert (tmp_path / "missing" / "dir" / "shot.png").is_file()
        assert "usage: :locate TARGET" in term.answer(":locate")
        assert "usage: :save FILE" in term.answer(":save")
        assert "cannot read step" in term.answer("exit")  # only quit ends it
        # A failed Go to leaves the page usable (the next one was "interrupted by another navigation").
        assert "ERR_CONNECTION_REFUSED" in term.answer(f"Go to http://127.0.0.1:{closed_port()}/")
        assert "✓ go to /login.html" in term.answer("Go to /login.html")
        out = term.answer('Type "alice@example.com" into "Email address"')
        assert "✓ fill" in out and f"2 kept step(s) saved in {autosave}" in out
        # Ctrl-C while a step runs cancels the step, not the session.
        term.send('Wait up to 120 seconds for "Nothing like this is on the page"')
        time.sleep(3)
        os.write(term.fd, b"\x03")
        assert "✗ cancelled" in term.expect(re.escape(PROMPT), timeout=60)
        assert "✓ fill" in term.answer('Type "hunter2" into "Password"')
        assert "✓ fill" in term.answer('Type "wrong" into "Email address"')
        assert "forgot step 4" in term.answer(":undo")
        steps = term.answer(":steps")
        assert "3  Type \"hunter2\" into \"Password\"" in steps and "wrong" not in steps
        # Ctrl-C at the prompt does not end the session either. A person's Ctrl-C comes a moment after
        # the prompt: one sent in the instant between readline printing the prompt and waiting for input
        # is only noticed at the next key (CPython's readline waits in select(), which a signal that came
        # before it does not wake), and under a loaded CI that instant is long.
        time.sleep(1)
        os.write(term.fd, b"\x03")
        term.expect(re.escape(PROMPT), timeout=30)
        assert f"saved 3 step(s) to {saved}" in term.answer(f":save {saved}")
        term.send("quit")
        assert term.proc.wait(timeout=60) == 0
    finally:
        term.close()
    assert "Traceback" not in term.seen, term.seen
    data = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert data["url"] == "/login.html" and not Path(data["serve"]).is_absolute()
    assert data["steps"] == ["Go to /login.html", 'Type "alice@example.com" into "Email address"',
                             'Type "hunter2" into "Password"']
    assert yaml.safe_load(autosave.read_text(encoding="utf-8"))["steps"] == data["steps"]  # saved as it went
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = subprocess.run([sys.executable, "-m", "agent.frontends.cli", "run", str(saved), "--report", "rep"],
                         capture_output=True, text=True, cwd=elsewhere, timeout=600,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stdout + run.stderr
