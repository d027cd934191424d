"""The `glm` backend: GLM-4.6V-Flash through transformers, loaded from local weights only.

Importing this package is cheap: torch and transformers load when a `GlmBackend` is made. Names load
lazily. The prompts and answer parsing it shares with the openai backend are in vision.model_prompts.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vision.glm.backend import GlmBackend
    from vision.glm.loader import DEFAULT_MODEL

__all__ = ["GlmBackend", "DEFAULT_MODEL"]


def __getattr__(name: str) -> Any:
    if name == "GlmBackend":
        from vision.glm.backend import GlmBackend

        return GlmBackend
    if name == "DEFAULT_MODEL":
        from vision.glm.loader import DEFAULT_MODEL

        return DEFAULT_MODEL
    raise AttributeError(f"module 'vision.glm' has no attribute {name!r}")
