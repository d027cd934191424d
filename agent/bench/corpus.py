"""The pages of a corpus manifest (bench/corpus/pages.json): where they are, at which viewport, in which
language, and the offline rules they are measured under.

A manifest is JSON: {"root": optional folder (relative to the manifest; default the corpus cache),
"pages": [{"path": "kit/page.html", "route": optional hash route, "viewport": [w, h], "lang": "en"|"zh"}],
"routes": {"https://cdn.example/x.js": "kit/dist/x.js"}}. The root is served on localhost; every other
request leaves the machine only through `routes`, which answer from the root, or is blocked, so a run
is the same with or without a network.
"""

from __future__ import annotations

import json
import os
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

__all__ = ["PageSpec", "CORPUS_MANIFEST", "corpus_root", "manifest_pages", "go_offline"]

ROOT = Path(__file__).resolve().parents[2]  # the repository: this file is agent/bench/<name>.py
CORPUS_MANIFEST = ROOT / "bench" / "corpus" / "pages.json"
FETCH = ".venv/bin/python bench/corpus/build.py fetch"


@dataclass(frozen=True)
class PageSpec:
    label: str
    url: str
    viewport: tuple[int, int] | None = None  # None: the run's viewport
    lang: str = ""                            # the page's language when it declares none itself


def corpus_root() -> Path:
    """Where `bench/corpus/build.py fetch` puts the corpus (PAGESIGHT_CORPUS_DIR overrides)."""
    return Path(os.environ.get("PAGESIGHT_CORPUS_DIR") or Path.home() / ".cache" / "pagesight" / "corpus")


def _bad(message: str) -> Exception:
    from pagesight_errors import BadInput

    return BadInput(message)


def manifest_pages(manifest: Path, stack: ExitStack) -> tuple[list[PageSpec], dict[str, Path]]:
    """The manifest's pages served on a free localhost port, and its routes (URL -> local file)."""
    from browser.serve import serve_folder

    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        entries: list[dict[str, Any]] = data["pages"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise _bad(f"{manifest}: not a corpus manifest ({type(exc).__name__}: {exc})") from exc
    root = (manifest.parent / data["root"]).resolve() if data.get("root") else corpus_root()
    if not entries:
        raise _bad(f"{manifest}: no pages")
    missing = [e["path"] for e in entries if not (root / e["path"]).is_file()]
    if missing:
        hint = f" (fetch the corpus first: {FETCH})" if not data.get("root") else ""
        raise _bad(f"{len(missing)} page(s) of {manifest.name} missing under {root}, e.g. {missing[0]}{hint}")
    base = stack.enter_context(serve_folder(root))
    pages = []
    for e in entries:
        route = f"#{e['route']}" if e.get("route") else ""
        viewport = tuple(e["viewport"]) if e.get("viewport") else None
        pages.append(PageSpec(e["path"] + route, f"{base}/{quote(e['path'])}{route}",
                              viewport, e.get("lang", "")))  # type: ignore[arg-type]
    routes = {url: root / rel for url, rel in data.get("routes", {}).items()}
    return pages, routes


def go_offline(context: Any, routes: dict[str, Path]) -> None:
    """Let a browser context reach only localhost; `routes` answer chosen remote URLs from local files."""
    def handle(route: Any) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about") or parts.hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        elif url in routes and routes[url].is_file():
            route.fulfill(path=str(routes[url]))
        else:
            route.abort("internetdisconnected")

    context.route("**/*", handle)
