"""`--backend glm`: GLM-4.6V-Flash (or any GLM-4V checkpoint) run locally through transformers.

    backend = GlmBackend(model="/models/GLM-4.6V-Flash")     # or a repo id already in the HF cache
    backend.locate(screenshot, '"Sign in" button')            # -> Location in screenshot pixels

Weights are never downloaded here. Several questions about one screenshot reuse its prefilled image
KV cache, and calls from several threads are batched (see `vision.glm.engine`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PIL import Image

from vision.adapters import Adapter
from vision.model_backend import ModelBackend
from vision.types import image_hash

__all__ = ["GlmBackend"]


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


class GlmBackend(ModelBackend):
    name = "glm"

    def __init__(self, model: str | os.PathLike | None = None, *, device: str | None = None, dtype: Any = None,
                 attn_implementation: str | None = None, max_batch: int = 8, batch_window_ms: float | None = None,
                 kv_reuse: bool = True, cache_size: int = 8, adapter: str | Adapter = "glm",
                 system: str | None = None, **_: Any):
        from vision.glm.engine import GenerationEngine
        from vision.glm.loader import load_model, require_vlm, resolve_model_path
        from vision.glm.processor import PromptBuilder, load_processor

        super().__init__(adapter)
        require_vlm()  # first: without torch/transformers nothing below can say anything useful
        self.path: Path = resolve_model_path(model)
        self.model = load_model(self.path, device=device, dtype=dtype, attn_implementation=attn_implementation)
        self.processor = load_processor(self.path)
        self.tokenizer = self.processor.tokenizer
        self.prompts = PromptBuilder(self.processor, system=system)
        eos, pad = self._special_ids()
        window = batch_window_ms if batch_window_ms is not None else _env_float("PAGESIGHT_GLM_BATCH_WINDOW_MS", 15)
        self.engine = GenerationEngine(self.model, eos, pad, max_batch=max_batch, batch_window_s=window / 1000.0,
                                       kv_reuse=kv_reuse, cache_size=cache_size)

    def _special_ids(self) -> tuple[list[int], int]:
        gen = getattr(self.model, "generation_config", None)
        eos = getattr(gen, "eos_token_id", None) or self.tokenizer.eos_token_id
        eos_ids = [int(e) for e in (eos if isinstance(eos, (list, tuple)) else [eos]) if e is not None]
        for token in ("<|endoftext|>", "<|user|>", "<|observation|>"):  # GLM's turn ends, whatever the config says
            tid = self.tokenizer.convert_tokens_to_ids(token)
            if isinstance(tid, int) and tid != self.tokenizer.unk_token_id and tid not in eos_ids:
                eos_ids.append(tid)
        pad = getattr(gen, "pad_token_id", None)
        if pad is None:
            pad = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else eos_ids[0]
        return eos_ids, int(pad)

    def decode(self, tokens: Sequence[int]) -> str:
        # Keep special tokens: <|begin_of_box|> marks GLM's answer, and the readers strip it themselves.
        return self.tokenizer.decode(list(tokens), skip_special_tokens=False)

    def _chat_many(self, image: Image.Image, prompts: Sequence[str], max_new_tokens: int) -> list[str]:
        key = image_hash(image)
        requests = [self.prompts.build(image, key, p, max_new_tokens) for p in prompts]
        return [self.decode(g.tokens) for g in self.engine.generate_many(requests)]

    def _chat_images(self, images: Sequence[Image.Image], prompt: str, max_new_tokens: int) -> str:
        content = [{"type": "image"} for _ in images] + [{"type": "text", "text": prompt}]
        messages = ([{"role": "system", "content": self.prompts.system}] if self.prompts.system else []) + \
            [{"role": "user", "content": content}]
        return self.chat(messages, images, max_new_tokens=max_new_tokens)

    def chat(self, messages: list[dict[str, Any]], images: Sequence[Image.Image], max_new_tokens: int = 512) -> str:
        """A raw answer to a transformers-style conversation ({"type": "image"} items stand for `images`)."""
        key = "|".join(image_hash(i) for i in images) or "text"
        prompt = self.prompts.build_messages(messages, list(images), key, max_new_tokens)
        return self.decode(self.engine.generate(prompt).tokens)

    def close(self) -> None:
        engine = getattr(self, "engine", None)
        if engine is not None:
            engine.close()
