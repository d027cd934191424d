"""`--backend openai`: a vision-language model behind an OpenAI-compatible server, through LangChain.

    OpenAIBackend(base_url="http://gpu-box:8000/v1", model="zai-org/GLM-4.6V-Flash")   # vLLM / SGLang
    OpenAIBackend(chat_model=any_langchain_chat_model, adapter="qwen25vl")

Options fall back to the environment: PAGESIGHT_OPENAI_BASE_URL (or OPENAI_BASE_URL),
PAGESIGHT_OPENAI_MODEL, OPENAI_API_KEY (a local server needs none). The prompts and the answer
reading are the `glm` backend's (vision.model_backend); `adapter` says which family's coordinates
the served model speaks (glm, qwen25vl, uitars, gemini, ...).
"""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Sequence
from typing import Any

from PIL import Image

from pagesight_errors import BackendUnavailable
from vision.adapters import Adapter
from vision.model_backend import ModelBackend

__all__ = ["OpenAIBackend", "image_data_url"]

REMOTE_HINT = "install the remote extra: pip install 'pagesight[remote]' (langchain-core, langchain-openai)"


def image_data_url(image: Image.Image) -> str:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _text_of(message: Any) -> str:
    content = getattr(message, "content", message)
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(b if isinstance(b, str) else str(b.get("text", "")) for b in content
                       if isinstance(b, str) or b.get("type") in ("text", None))
    return str(content or "")


class OpenAIBackend(ModelBackend):
    name = "openai"

    def __init__(self, base_url: str | None = None, model: str | None = None, api_key: str | None = None, *,
                 chat_model: Any = None, adapter: str | Adapter = "glm", max_concurrency: int = 8,
                 timeout: float = 120.0, max_retries: int = 2, disable_thinking: bool = True,
                 extra_body: dict[str, Any] | None = None, **_: Any):
        super().__init__(adapter)
        try:
            from langchain_core.messages import HumanMessage
        except ImportError as exc:
            raise BackendUnavailable(f"the openai backend needs langchain-core ({exc}); {REMOTE_HINT}") from exc
        self._human = HumanMessage
        self.max_concurrency = max(1, int(max_concurrency))
        self._owns_model = chat_model is None
        if chat_model is None:
            chat_model = self._default_model(base_url, model, api_key, timeout, max_retries, disable_thinking,
                                             extra_body)
        self.chat_model = chat_model

    @staticmethod
    def _default_model(base_url: str | None, model: str | None, api_key: str | None, timeout: float,
                       max_retries: int, disable_thinking: bool, extra_body: dict[str, Any] | None) -> Any:
        try:
            from langchain_openai import ChatOpenAI
        except ImportError as exc:
            raise BackendUnavailable(f"the openai backend needs langchain-openai ({exc}); {REMOTE_HINT}") from exc
        base_url = base_url or os.environ.get("PAGESIGHT_OPENAI_BASE_URL") or os.environ.get("OPENAI_BASE_URL")
        model = model or os.environ.get("PAGESIGHT_OPENAI_MODEL")
        missing = [what for what, value in (("a base URL (--base-url or PAGESIGHT_OPENAI_BASE_URL)", base_url),
                                            ("a model name (--model or PAGESIGHT_OPENAI_MODEL)", model)) if not value]
        if missing:
            raise BackendUnavailable("the openai backend needs " + " and ".join(missing) + ", e.g. a vLLM server: "
                                     "base URL http://HOST:8000/v1, model zai-org/GLM-4.6V-Flash")
        body = dict(extra_body or {})
        if disable_thinking:  # vLLM and SGLang pass this to GLM's chat template
            body.setdefault("chat_template_kwargs", {"enable_thinking": False})
        key: Any = api_key or os.environ.get("OPENAI_API_KEY") or "EMPTY"  # a local server wants none
        return ChatOpenAI(base_url=base_url, model=str(model), api_key=key, temperature=0.0, timeout=timeout,
                          max_retries=max_retries, extra_body=body or None)

    def _chat_images(self, images: Sequence[Image.Image], prompt: str, max_new_tokens: int) -> str:
        content: list[str | dict[Any, Any]] = [{"type": "image_url", "image_url": {"url": image_data_url(i)}} for i in images]
        content.append({"type": "text", "text": prompt})
        model = self.chat_model.bind(max_tokens=max_new_tokens) if self._owns_model else self.chat_model
        return _text_of(model.invoke([self._human(content=content)]))

    def _chat_many(self, image: Image.Image, prompts: Sequence[str], max_new_tokens: int) -> list[str]:
        url = image_data_url(image)
        conversations = [[self._human(content=[{"type": "image_url", "image_url": {"url": url}},
                                               {"type": "text", "text": p}])] for p in prompts]
        model = self.chat_model.bind(max_tokens=max_new_tokens) if self._owns_model else self.chat_model
        if len(conversations) == 1:
            return [_text_of(model.invoke(conversations[0]))]
        replies = model.batch(conversations, config={"max_concurrency": self.max_concurrency})
        return [_text_of(r) for r in replies]
