"""A backend that answers from a script: the test double for every layer above vision/.

    backend = ScriptedBackend(elements=[Element("button", "Sign in", (10, 10, 90, 40))],
                              answers={"what is the title?": "Dashboard"})

`locate` grounds the description against the scripted elements with the same grounding the `ocr`
backend uses; `handler`, when given, sees every call first and may return a result or None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pagesight_errors import UnsupportedQuestion
from vision.base import VisionBackend
from vision.types import Answer, Element, ImageInput, Location, Parse, load_image

__all__ = ["ScriptedBackend"]


class ScriptedBackend(VisionBackend):
    name = "scripted"

    def __init__(self, elements: Iterable[Element] = (), answers: Mapping[str, str] | None = None,
                 handler: Callable[[str, Any, str | None], Any] | None = None, **_: Any):
        self.elements = tuple(e.with_id(i) for i, e in enumerate(elements, 1))
        self.answers = dict(answers or {})
        self.handler = handler
        self.calls: list[tuple[str, str | None]] = []

    def _script(self, method: str, image: ImageInput, arg: str | None) -> Any:
        self.calls.append((method, arg))
        return self.handler(method, image, arg) if self.handler else None

    def parse(self, image: ImageInput) -> Parse:
        result = self._script("parse", image, None)
        if result is not None:
            return result
        img = load_image(image)
        return Parse(img.width, img.height, self.elements)

    def locate(self, image: ImageInput, target: str) -> Location:
        result = self._script("locate", image, target)
        if result is not None:
            return result
        from vision.grounding import ground

        return ground(target, self.parse(image).elements)

    def ask(self, image: ImageInput, question: str) -> Answer:
        result = self._script("ask", image, question)
        if result is not None:
            return result if isinstance(result, Answer) else Answer(question, str(result))
        if question in self.answers:
            return Answer(question, self.answers[question])
        raise UnsupportedQuestion(f"the scripted backend has no answer for {question!r}")
