"""`pagesight parse` and `pagesight locate`: the JSON contracts, exit codes and bad-input lines."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pagesight(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "agent.frontends.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, env=os.environ, timeout=300)


@pytest.fixture(scope="module")
def login_png(shoot, tmp_path_factory):
    path = tmp_path_factory.mktemp("shots") / "login.png"
    shoot("login.html").save(path)
    return path


def test_parse_json_and_annotate(login_png, tmp_path):
    marks = tmp_path / "marks.png"
    result = pagesight("parse", str(login_png), "--json", "--annotate", str(marks))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["width"], data["height"]) == (1280, 800)
    assert [e["id"] for e in data["elements"]] == list(range(1, len(data["elements"]) + 1))
    for e in data["elements"]:
        assert {"id", "kind", "text", "box", "score"} <= set(e)
        x1, y1, x2, y2 = e["box"]
        assert 0 <= x1 <= x2 <= 1280 and 0 <= y1 <= y2 <= 800
    assert any(e["kind"] == "button" and e["text"].lower() == "sign in" for e in data["elements"])
    assert marks.stat().st_size > 10_000


def test_locate_json_lines_and_exit_codes(login_png):
    ok = pagesight("locate", str(login_png), "--query", '"Sign in" button', "-q", "Email address field", "--json")
    assert ok.returncode == 0, ok.stderr
    lines = [json.loads(line) for line in ok.stdout.splitlines()]
    assert [d["query"] for d in lines] == ['"Sign in" button', "Email address field"]
    sign_in = lines[0]
    assert sign_in["found"] and sign_in["kind"] == "button"
    x, y = sign_in["point"]
    x1, y1, x2, y2 = sign_in["box"]
    assert x1 <= x <= x2 and y1 <= y <= y2
    assert set(sign_in) == {"query", "found", "point", "box", "kind", "text", "score"}
    miss = pagesight("locate", str(login_png), "-q", '"Delete account" button', "--json")
    assert miss.returncode == 1
    data = json.loads(miss.stdout)
    assert data["found"] is False and 0 < len(data["candidates"]) <= 3


def test_locate_a_url_answers_in_css_pixels(site_url):
    css = pagesight("locate", f"{site_url}/login.html", "-q", '"Sign in" button', "--json", "--scale", "2")
    assert css.returncode == 0, css.stderr
    x1, y1, x2, y2 = json.loads(css.stdout)["box"]
    assert x2 <= 1280 and y2 <= 800 and 300 < x2 - x1 < 360  # the 338 CSS px button, not 676 screen px


@pytest.mark.parametrize("make, says", [
    (lambda d: d / "missing.png", "no such file"),
    (lambda d: (d / "notes.png").write_text("not an image") and d / "notes.png", "cannot read"),
    (lambda d: d, "is a folder"),
])
def test_bad_images_get_one_line_and_exit_2(tmp_path, make, says):
    result = pagesight("parse", str(make(tmp_path)))
    assert result.returncode == 2
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_unreachable_url_exits_2_with_one_line():
    with socket.socket() as s:  # a port nobody listens on once closed
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}/"
    result = pagesight("locate", url, "-q", "Sign in")
    assert result.returncode == 2
    assert f"open {url}" in result.stderr and "REFUSED" in result.stderr.upper()
    assert len(result.stderr.strip().splitlines()) == 1
