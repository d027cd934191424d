"""pagesight's eyes: images in, UI elements, locations and answers out. Knows nothing of browsers, and
imports neither browser/ nor agent/ (errors come from pagesight_errors).

    base, backend      the backend interface; the registry and the one factory (load_backend)
    vocabulary, target the target words (kinds, quotes, numerals) and the target grammar
    grounding, …       matching a target to elements (textmatch, geometry, ordinals, pairing)
    ocr/, glm/, remote the backends: CPU OCR, a local GLM model, an OpenAI-compatible server
"""

from vision.backend import BACKENDS, VisionBackend, load_backend
from vision.types import KINDS, Answer, Box, Element, Location, Parse, image_hash, load_image

__all__ = [
    "VisionBackend",
    "load_backend",
    "BACKENDS",
    "Element",
    "Parse",
    "Location",
    "Answer",
    "Box",
    "KINDS",
    "load_image",
    "image_hash",
]
