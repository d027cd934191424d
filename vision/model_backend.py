"""The part the `glm` and `openai` backends share: parse / locate / ask through one chat function.

A subclass supplies `_chat_many(image, prompts, max_new_tokens) -> answers` (one image, several prompts:
the local model batches them over one prefilled image, a server gets them as concurrent requests).
Everything else, the prompts, reading the answers and mapping boxes to screenshot pixels through the
family's coordinate adapter, lives here and in `vision.model_prompts`, once.
"""

from __future__ import annotations

import threading
from abc import abstractmethod
from collections import OrderedDict
from collections.abc import Sequence

from PIL import Image

from pagesight_errors import BackendError, PagesightError
from vision.adapters import Adapter, get_adapter, parse_boxes, to_screenshot_box
from vision.base import VisionBackend
from vision.model_prompts import clean_answer, elements_from_answer, locate_prompt, parse_prompt, target_words
from vision.types import Answer, Element, ImageInput, Location, Parse, image_hash, load_image

__all__ = ["ModelBackend"]


class ModelBackend(VisionBackend):
    """A vision backend whose answers come from a vision-language model."""

    name = "model"
    locate_tokens = 64
    parse_tokens = 1536
    ask_tokens = 512

    def __init__(self, adapter: str | Adapter = "glm", parse_cache: int = 16):
        self.adapter = get_adapter(adapter)
        self._parses: OrderedDict[str, Parse] = OrderedDict()
        self._parse_cache = parse_cache
        self._parse_lock = threading.Lock()
        self.last_answer = ""  # the raw text of the latest answer, for reports and debugging

    @abstractmethod
    def _chat_many(self, image: Image.Image, prompts: Sequence[str], max_new_tokens: int) -> list[str]:
        """The model's raw answer to each prompt about `image`."""

    def _chat_images(self, images: Sequence[Image.Image], prompt: str, max_new_tokens: int) -> str:
        """The model's raw answer to one prompt about several images (in order). A backend that can
        show the model several images at once overrides this."""
        return super().ask_images(images, prompt).text  # UnsupportedQuestion

    def _chat(self, image: Image.Image, prompt: str, max_new_tokens: int) -> str:
        try:
            answer = self._chat_many(image, [prompt], max_new_tokens)[0]
        except PagesightError:
            raise
        except Exception as exc:  # noqa: BLE001 - a model or client failure becomes one error type
            raise BackendError(f"the {self.name} backend failed to answer: {type(exc).__name__}: {exc}") from exc
        self.last_answer = answer
        return answer

    # --- the three questions -------------------------------------------------------------------------

    def locate(self, image: ImageInput, target: str) -> Location:
        img = load_image(image)
        return self._location(target, self._chat(img, locate_prompt(target), self.locate_tokens), img.size)

    def locate_many(self, image: ImageInput, targets: Sequence[str]) -> list[Location]:
        """Several targets on one screenshot in one go (batched over one prefilled image where possible)."""
        img = load_image(image)
        try:
            answers = self._chat_many(img, [locate_prompt(t) for t in targets], self.locate_tokens)
        except PagesightError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise BackendError(f"the {self.name} backend failed to answer: {type(exc).__name__}: {exc}") from exc
        return [self._location(t, a, img.size) for t, a in zip(targets, answers, strict=True)]

    def _location(self, target: str, answer: str, size: tuple[int, int]) -> Location:
        boxes = [to_screenshot_box(b, self.adapter, size) for b in parse_boxes(answer)]
        if not boxes:
            shown = clean_answer(answer)[:160]
            return Location(query=target, found=False,
                            detail=f"the model gave no box for it (answer: {shown!r})")
        kind, text = target_words(target)
        matches = tuple(Element(kind=kind or "text", text=text, box=b, score=1.0, id=i)
                        for i, b in enumerate(boxes, 1))
        best = matches[0]
        return Location(query=target, found=True, point=best.center, element=best, matches=matches)

    def parse(self, image: ImageInput) -> Parse:
        img = load_image(image)
        key = image_hash(img)
        with self._parse_lock:
            if key in self._parses:
                self._parses.move_to_end(key)
                return self._parses[key]
        answer = self._chat(img, parse_prompt(self.adapter), self.parse_tokens)
        elements = elements_from_answer(answer, self.adapter, img.size)
        ordered = sorted(elements, key=lambda e: (e.box[1], e.box[0]))
        result = Parse(img.width, img.height, tuple(e.with_id(i) for i, e in enumerate(ordered, 1)))
        with self._parse_lock:
            self._parses[key] = result
            while len(self._parses) > self._parse_cache:
                self._parses.popitem(last=False)
        return result

    def ask(self, image: ImageInput, question: str) -> Answer:
        img = load_image(image)
        answer = self._chat(img, question, self.ask_tokens)
        return Answer(question=question, text=clean_answer(answer))

    def ask_images(self, images: Sequence[ImageInput], question: str) -> Answer:
        """One question about several screenshots, all of them in one prompt (the seed model's
        multi-image comparison: "what differs between these screens?")."""
        imgs = [load_image(i) for i in images]
        if not imgs:
            raise ValueError("ask_images needs at least one image")
        try:
            answer = self._chat_images(imgs, question, self.ask_tokens)
        except PagesightError:
            raise
        except Exception as exc:  # noqa: BLE001 - a model or client failure becomes one error type
            raise BackendError(f"the {self.name} backend failed to answer: {type(exc).__name__}: {exc}") from exc
        self.last_answer = answer
        return Answer(question=question, text=clean_answer(answer))
