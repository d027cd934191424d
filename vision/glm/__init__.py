"""The `glm` backend: GLM-4.6V-Flash through transformers, loaded from local weights only.

Importing this package is cheap: torch and transformers load when a `GlmBackend` is made.
"""

from vision.glm.backend import GlmBackend
from vision.glm.loader import DEFAULT_MODEL

__all__ = ["GlmBackend", "DEFAULT_MODEL"]
