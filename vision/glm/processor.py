"""The GLM-4V processor, and turning (image, question) into a prefix/suffix `Prompt` for the engine.

`AutoProcessor` builds GLM's video processor, which needs torchvision; PyPI's torchvision does not
load beside a CPU-only torch. Screenshots are images only, so the fallback is an image-only subclass
of the GLM processor with the PIL image processor.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pagesight_errors import BackendError, BackendUnavailable
from vision.glm.engine import Prompt

__all__ = ["load_processor", "PromptBuilder", "IMAGE_END"]

IMAGE_END = "<|end_of_image|>"
ASSISTANT = "<|assistant|>"


def _image_only_processor_class():
    from transformers import Glm4vProcessor

    class ImageOnlyGlm4vProcessor(Glm4vProcessor):
        """Glm4vProcessor without the video processor (which needs torchvision)."""

        attributes = ["image_processor", "tokenizer"]  # transformers 4.x reads this list

        def __init__(self, image_processor=None, tokenizer=None, chat_template=None, **kwargs):
            super().__init__(image_processor, tokenizer, None, chat_template=chat_template, **kwargs)

    return ImageOnlyGlm4vProcessor


def _pil_image_processor(path: Path):
    import transformers

    # transformers 5 names the PIL one ...Pil; in 4.x the plain name is the slow (PIL/numpy) one.
    cls = getattr(transformers, "Glm4vImageProcessorPil", None) or transformers.Glm4vImageProcessor
    return cls.from_pretrained(str(path), local_files_only=True)


def load_processor(path: Path) -> Any:
    from transformers import AutoProcessor, AutoTokenizer

    try:
        return AutoProcessor.from_pretrained(str(path), local_files_only=True)
    except ImportError:
        pass  # torchvision missing: build the image-only processor below
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        image_processor = _pil_image_processor(path)
        template = tokenizer.chat_template
        tpl_file = path / "chat_template.jinja"
        if tpl_file.is_file():
            template = tpl_file.read_text(encoding="utf-8")
        return _image_only_processor_class()(image_processor, tokenizer, chat_template=template)
    except (OSError, ValueError, TypeError) as exc:
        raise BackendUnavailable(f"could not build the GLM processor from {path}: {exc}") from exc


class PromptBuilder:
    """Chat-templates a conversation with thinking disabled and splits it after the last image.

    Messages are in transformers' form: content is a string or a list of {"type": "image"} and
    {"type": "text", "text": ...} items.
    """

    def __init__(self, processor: Any, system: str | None = None):
        self.processor = processor
        self.tokenizer = processor.tokenizer
        self.system = system

    def question_messages(self, question: str) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = []
        if self.system:
            messages.append({"role": "system", "content": self.system})
        messages.append({"role": "user", "content": [{"type": "image"}, {"type": "text", "text": question}]})
        return messages

    def render(self, messages: list[dict[str, Any]]) -> str:
        template = getattr(self.processor, "chat_template", None) or self.tokenizer.chat_template
        if not template:
            raise BackendUnavailable("the model folder has no chat template (chat_template.jinja)")
        return self.tokenizer.apply_chat_template(messages, chat_template=template, tokenize=False,
                                                  add_generation_prompt=True, enable_thinking=False)

    @staticmethod
    def split(text: str) -> tuple[str, str]:
        """(prefix, suffix): the prefix ends with the last image; without images, before the last turn."""
        for marker, keep in ((IMAGE_END, True), (ASSISTANT, False)):
            if marker in text:
                head, tail = text.rsplit(marker, 1)
                return (head + marker, tail) if keep else (head, marker + tail)
        raise BackendError("the model's chat template is not a GLM-4V template "
                           f"(neither {IMAGE_END} nor {ASSISTANT} in the prompt)")

    def build_messages(self, messages: list[dict[str, Any]], images: list[Any], images_key: str,
                       max_new_tokens: int, min_new_tokens: int = 0) -> Prompt:
        prefix_text, suffix_text = self.split(self.render(messages))
        key = images_key + ":" + hashlib.blake2b(prefix_text.encode(), digest_size=8).hexdigest()
        suffix_ids = self.tokenizer(suffix_text, add_special_tokens=False)["input_ids"]

        def prefix_inputs() -> dict[str, Any]:
            out = self.processor(text=[prefix_text], images=list(images) or None, return_tensors="pt")
            keep = ("input_ids", "mm_token_type_ids", "pixel_values", "image_grid_thw")
            return {k: out[k] for k in keep if k in out}

        return Prompt(prefix_key=key, prefix_inputs=prefix_inputs, suffix_ids=suffix_ids,
                      max_new_tokens=max_new_tokens, min_new_tokens=min_new_tokens)

    def build(self, image: Any, image_key: str, question: str, max_new_tokens: int,
              min_new_tokens: int = 0) -> Prompt:
        return self.build_messages(self.question_messages(question), [image], image_key, max_new_tokens,
                                   min_new_tokens)

    def full_inputs(self, image: Any, question: str) -> dict[str, Any]:
        """The whole prompt processed in one piece (what a plain `model.generate` would be given)."""
        text = self.render(self.question_messages(question))
        return dict(self.processor(text=[text], images=[image], return_tensors="pt"))
