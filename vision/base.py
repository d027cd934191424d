"""The one interface every vision backend implements. Backends import this module, never the registry
in vision.backend, so the registry can import every backend without a cycle."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from pagesight_errors import UnsupportedQuestion
from vision.types import Answer, ImageInput, Location, Parse

__all__ = ["VisionBackend"]


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

    def ask_images(self, images: Sequence[ImageInput], question: str) -> Answer:
        """A free question about several screenshots at once ("what differs between these screens?"),
        in the order given. Model backends only; the others say which backends can."""
        raise UnsupportedQuestion(f"the {self.name} backend cannot answer questions about several images at "
                                  "once; use --backend glm or --backend openai (or `pagesight diff` for what "
                                  "changed between two screens)")

    def close(self) -> None:  # noqa: B027 - optional hook
        """Free models and threads. Optional."""
