"""The one interface every vision backend implements, and the one place that knows them by name."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from agent.errors import BackendUnavailable
from vision.types import Answer, ImageInput, Location, Parse

__all__ = ["VisionBackend", "load_backend", "BACKENDS", "default_backend_name"]


class VisionBackend(ABC):
    """Answers three questions about a screenshot. Boxes and points are in that image's pixels."""

    name: str = "?"
    #: False for backends that only read what is written on screen (e.g. `ocr`): model-only steps
    #: (`do:`, `assert: "a sentence"`) refuse them up front instead of sending them a prompt.
    understands_free_text: bool = True

    @abstractmethod
    def parse(self, image: ImageInput) -> Parse:
        """Every element seen, in reading order."""

    @abstractmethod
    def locate(self, image: ImageInput, target: str) -> Location:
        """Where the thing `target` describes is (SCENARIO_FORMAT.md's target language)."""

    @abstractmethod
    def ask(self, image: ImageInput, question: str) -> Answer:
        """A free question about the screenshot, answered in text."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Free models and threads. Optional."""


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


def default_backend_name() -> str:
    return os.environ.get("PAGESIGHT_BACKEND", "ocr")


def load_backend(name: str | None = None, **options: Any) -> VisionBackend:
    """A backend by name (`ocr`, `glm`, `openai`, `scripted`); None means $PAGESIGHT_BACKEND or `ocr`."""
    name = (name or default_backend_name()).strip().lower()
    if name not in BACKENDS:
        raise BackendUnavailable(
            f"unknown vision backend {name!r}; choose one of: {', '.join(sorted(BACKENDS))}")
    return BACKENDS[name](**options)
