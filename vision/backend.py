"""The one place that knows vision backends by name, and the one factory that builds them."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from pagesight_errors import BackendUnavailable
from vision.base import VisionBackend

__all__ = ["VisionBackend", "load_backend", "backend_name", "BACKENDS", "FREE_TEXT", "MODEL_BACKENDS",
           "default_backend_name",
           "DEFAULT_BACKEND", "ENV_VAR"]


def _ocr(**options: Any) -> VisionBackend:
    from vision.ocr import OcrBackend

    return OcrBackend(**options)


def _glm(**options: Any) -> VisionBackend:
    from vision.glm import GlmBackend

    return GlmBackend(**options)


def _openai(**options: Any) -> VisionBackend:
    from vision.remote import OpenAIBackend

    return OpenAIBackend(**options)


def _scripted(**options: Any) -> VisionBackend:
    from vision.scripted import ScriptedBackend

    return ScriptedBackend(**options)


BACKENDS: dict[str, Callable[..., VisionBackend]] = {
    "ocr": _ocr,
    "glm": _glm,
    "openai": _openai,
    "scripted": _scripted,
}


# The backends whose model reads free text: they can run `do:` goals and sentence asserts. Known by
# name, so a run checks its scenarios before any model loads (tests/test_preflight.py keeps this and
# each backend's `understands_free_text` in step).
MODEL_BACKENDS = ("glm", "openai")
FREE_TEXT = (*MODEL_BACKENDS, "scripted")  # the scripted fake answers as a model would (tests)

DEFAULT_BACKEND = "ocr"
ENV_VAR = "PAGESIGHT_BACKEND"


def backend_name(name: str | None = None) -> str:
    """The backend to use: `name`, else $PAGESIGHT_BACKEND, else `ocr`. An unknown name is one
    BackendUnavailable that says where the name came from, so a stray variable is easy to find."""
    source = ""
    if not (name or "").strip():
        name = os.environ.get(ENV_VAR, "")
        source = f" (from ${ENV_VAR})"
    key = (name or "").strip().lower() or DEFAULT_BACKEND
    if key not in BACKENDS:
        fix = f"; unset {ENV_VAR} or set it to one of them" if source else ""
        raise BackendUnavailable(
            f"unknown vision backend {name!r}{source}; choose one of: {', '.join(sorted(BACKENDS))}{fix}")
    return key


def default_backend_name() -> str:
    """The backend used when none is named: $PAGESIGHT_BACKEND, else `ocr`."""
    return backend_name(None)


def load_backend(name: str | None = None, **options: Any) -> VisionBackend:
    """The one backend factory every front-end uses (run, pytest plugin, ui, explore, vision CLI):
    `name` (`ocr`, `glm`, `openai`, `scripted`), else $PAGESIGHT_BACKEND, else `ocr`."""
    return BACKENDS[backend_name(name)](**options)
