"""pagesight's eyes: images in, UI elements, locations and answers out. Knows nothing of browsers."""

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
