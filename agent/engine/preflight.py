"""Checks a run makes on its scenarios before any browser opens or model loads (exit 2, `file:line`).

What one scenario file cannot know alone is checked here, against the run's options: whether its
backend can run its model-only steps (`do:`, `assert:` with a sentence), and whether a relative `url:`
has a base URL to join (`serve:`, `base_url:` or `--base-url`). Every problem is reported, one per line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from agent.language import steps as st
from pagesight_errors import ScenarioError

__all__ = ["preflight", "MODEL_ONLY"]

MODEL_ONLY = (st.Do, st.AssertSentence)  # steps only a model that reads free text can run


def _kind(step: Any) -> str:
    return "do:" if isinstance(step, st.Do) else 'assert: "a sentence"'


def _url_line(path: Path | None) -> int | None:
    """The line of the top-level `url:` key (a Scenario keeps only where `name:` is)."""
    try:
        text = path.read_text(encoding="utf-8-sig") if path else ""
    except OSError:
        return None
    m = re.search(r"^url\s*:", text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else None


def _relative_without_base(sc: Any, base_url: str | None) -> bool:
    if base_url or sc.base_url or sc.serve is not None:
        return False
    if urlsplit(sc.url).scheme or re.match(r"[A-Za-z]:[\\/]", sc.url):
        return False
    return not os.path.isfile(sc.url)  # a local file path still opens (relative to the working folder)


def preflight(scenarios: list[Any], backend: str | None = None, base_url: str | None = None) -> None:
    """ScenarioError listing every step the chosen backend cannot run and every relative url that has
    nothing to join it to; `backend` is --backend (a scenario's own `backend:` is used when it is None)."""
    from vision.backend import FREE_TEXT, MODEL_BACKENDS, backend_name

    errors: list[ScenarioError] = []
    for sc in scenarios:
        file = str(sc.path) if sc.path else None
        name = backend_name(backend or sc.backend)
        if name not in FREE_TEXT:
            for step in sc.steps:
                if isinstance(step, MODEL_ONLY):
                    errors.append(ScenarioError(
                        f"`{_kind(step)}` needs a model backend that reads free text ({' or '.join(MODEL_BACKENDS)}"
                        f", e.g. --backend {MODEL_BACKENDS[0]}); the {name} backend only reads text off the "
                        f"screen: write the check as a sentence it reads, e.g. Assert \"Saved\" is visible",
                        file, step.line or None))
        if _relative_without_base(sc, base_url):
            errors.append(ScenarioError(
                f"url {sc.url!r} is relative and there is no base URL to join it to: add `serve: FOLDER` "
                f"or `base_url: http://…` to the file, pass --base-url, or write a full URL",
                file, _url_line(sc.path)))
    if errors:
        if len(errors) == 1:
            raise errors[0]
        combined = ScenarioError(f"{len(errors)} problems:\n" + "\n".join(str(e) for e in errors))
        combined.errors = errors  # type: ignore[attr-defined]
        raise combined
