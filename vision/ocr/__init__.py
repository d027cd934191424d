"""The `ocr` vision backend: RapidOCR text + OpenCV widget detection, on any CPU."""

from vision.ocr.backend import OcrBackend, parse_image

__all__ = ["OcrBackend", "parse_image"]
