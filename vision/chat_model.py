"""The local GLM-4V model as a LangChain chat model, usable in any LangChain app.

    from vision.chat_model import GlmChatModel
    chat = GlmChatModel.from_pretrained("/models/GLM-4.6V-Flash")
    chat.invoke([HumanMessage(content=[
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBOR..."}},
        {"type": "text", "text": "What does the button say?"}])])

Images come as data URLs (`image_url` blocks, or LangChain's `{"type": "image", "base64": ...}` blocks);
nothing is fetched from the network. Calls from several threads share the backend's batching engine.
"""

from __future__ import annotations

import base64
import binascii
import io
from typing import Any

from pagesight_errors import BackendError, BackendUnavailable

try:
    from langchain_core.callbacks import CallbackManagerForLLMRun
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.messages import AIMessage, BaseMessage
    from langchain_core.outputs import ChatGeneration, ChatResult
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise BackendUnavailable("GlmChatModel needs langchain-core; install the remote extra: "
                             "pip install 'pagesight[remote]'") from exc

from PIL import Image

from vision.model_prompts import clean_answer

__all__ = ["GlmChatModel", "to_glm_messages", "image_from_data_url"]

_ROLES = {"system": "system", "human": "user", "user": "user", "ai": "assistant", "assistant": "assistant",
          "tool": "observation", "function": "observation"}


def image_from_data_url(url: str) -> Image.Image:
    """An RGB image from a `data:image/...;base64,` URL. Other URLs are refused: no network here."""
    if not url.startswith("data:"):
        raise BackendError(f"only data: URLs are accepted for images (no network access), got {url[:40]!r}")
    try:
        header, payload = url.split(",", 1)
        raw = base64.b64decode(payload, validate=False) if ";base64" in header else payload.encode()
        img = Image.open(io.BytesIO(raw))
        img.load()
    except (ValueError, binascii.Error, OSError) as exc:
        raise BackendError(f"could not decode the image data URL: {exc}") from exc
    return img.convert("RGB")


def _block_image(block: dict[str, Any]) -> Image.Image | None:
    kind = block.get("type")
    if kind == "image_url":
        ref = block.get("image_url")
        url = ref.get("url") if isinstance(ref, dict) else ref
        return image_from_data_url(str(url or ""))
    if kind == "image":
        data = block.get("base64") or block.get("data")
        if data:
            mime = block.get("mime_type") or "image/png"
            return image_from_data_url(f"data:{mime};base64,{data}")
        if block.get("url"):
            return image_from_data_url(str(block["url"]))
    return None


def to_glm_messages(messages: list[BaseMessage]) -> tuple[list[dict[str, Any]], list[Image.Image]]:
    """LangChain messages -> (transformers-style messages with {"type": "image"} items, the images in order)."""
    out: list[dict[str, Any]] = []
    images: list[Image.Image] = []
    for msg in messages:
        role = _ROLES.get(msg.type, "user")
        if isinstance(msg.content, str):
            out.append({"role": role, "content": msg.content if role != "user" else
                        [{"type": "text", "text": msg.content}]})
            continue
        parts: list[dict[str, Any]] = []
        for block in msg.content:
            if isinstance(block, str):
                parts.append({"type": "text", "text": block})
                continue
            img = _block_image(block)
            if img is not None:
                images.append(img)
                parts.append({"type": "image"})
            elif block.get("type") == "text":
                parts.append({"type": "text", "text": str(block.get("text", ""))})
        if role == "user":
            out.append({"role": role, "content": parts})
        else:  # GLM's template takes plain text for system and assistant turns
            out.append({"role": role, "content": "".join(p.get("text", "") for p in parts)})
    return out, images


class GlmChatModel(BaseChatModel):
    """A LangChain chat model answering from a local `GlmBackend` (greedy, thinking disabled)."""

    backend: Any
    max_new_tokens: int = 512
    raw: bool = False  # True keeps <|begin_of_box|> tokens and reasoning in the answer

    @classmethod
    def from_pretrained(cls, model: str | None = None, max_new_tokens: int = 512, **options: Any) -> GlmChatModel:
        from vision.glm import GlmBackend

        return cls(backend=GlmBackend(model=model, **options), max_new_tokens=max_new_tokens)

    @property
    def _llm_type(self) -> str:
        return "pagesight-glm"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model": str(getattr(self.backend, "path", "?")), "max_new_tokens": self.max_new_tokens}

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        glm_messages, images = to_glm_messages(messages)
        limit = int(kwargs.get("max_tokens") or kwargs.get("max_new_tokens") or self.max_new_tokens)
        text = self.backend.chat(glm_messages, images, max_new_tokens=limit)
        if not self.raw:
            text = clean_answer(text)
        for s in stop or []:
            if s and s in text:
                text = text.split(s, 1)[0]
        message = AIMessage(content=text, response_metadata={"model": str(getattr(self.backend, "path", ""))})
        return ChatResult(generations=[ChatGeneration(message=message)])
