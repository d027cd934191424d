"""`pagesight doctor`: what this machine gives pagesight, and what is missing with how to get it."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import click

from pagesight_errors import BrowserError

__all__ = ["run_doctor"]


def _ok(label: str, value: str) -> None:
    click.echo(f"  ✓ {label}: {value}")


def _no(label: str, value: str) -> None:
    click.echo(f"  ✗ {label}: {value}")


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _ocr_models() -> list[Path]:
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.origin:
        return []
    return sorted((Path(spec.origin).parent / "models").glob("*.onnx"))


def run_doctor() -> int:
    """Print the report; returns the exit code (1 when no browser is usable)."""
    from agent import __version__
    from browser.launch import browser_version, find_browser

    click.echo(f"pagesight {__version__}")
    code = 0
    click.echo("browser:")
    try:
        info = find_browser()
        _ok("browser", f"{info.path} ({info.source}) {browser_version(info.path) or 'version unknown'}")
    except BrowserError as exc:
        _no("browser", str(exc))
        code = 1
    if os.environ.get("PAGESIGHT_BROWSER_WS"):
        _ok("remote browser", os.environ["PAGESIGHT_BROWSER_WS"])

    click.echo("ocr backend:")
    models = _ocr_models()
    if models:
        _ok("OCR models", ", ".join(m.name for m in models))
    else:
        _no("OCR models", "rapidocr is not installed: pip install 'rapidocr>=3' onnxruntime")
    _ok("onnxruntime", "present") if _has("onnxruntime") else _no("onnxruntime", "pip install onnxruntime")

    click.echo("model backends:")
    torch_ok = _has("torch")
    if torch_ok:
        import torch

        cuda = torch.cuda.is_available()
        _ok("torch", torch.__version__)
        if cuda:
            _ok("CUDA", f"{torch.cuda.get_device_name(0)} (CUDA {torch.version.cuda})")
        else:
            _no("CUDA", "no GPU: the glm backend would run on the CPU in float32 (very slow)")
    else:
        cuda = False
        _no("torch", "not installed: pip install 'pagesight[vlm]'")
    _ok("transformers", "present") if _has("transformers") else _no("transformers", "pip install 'pagesight[vlm]'")
    if _has("flash_attn"):
        _ok("flash-attn", "present (FlashAttention-2)")
    else:
        _no("flash-attn", "absent: SDPA attention is used (pip install 'pagesight[gpu]' on a CUDA machine)")
    model_path = _local_glm()
    if model_path:
        _ok("GLM-4.6V-Flash weights", model_path)
    else:
        _no("GLM-4.6V-Flash weights", "not found locally: huggingface-cli download zai-org/GLM-4.6V-Flash "
            "on a machine with internet, then --model PATH")
    remote = _has("langchain_openai")
    _ok("langchain-openai", "present") if remote else _no("langchain-openai", "pip install 'pagesight[remote]'")

    usable = ["ocr"] if models and _has("onnxruntime") else []
    if torch_ok and _has("transformers") and model_path:
        usable.append("glm" + ("" if cuda else " (CPU, slow)"))
    if remote:
        usable.append("openai (needs PAGESIGHT_OPENAI_BASE_URL and a model)")
    click.echo(f"usable backends: {', '.join(usable) or 'none'}")
    return code


def _local_glm() -> str | None:
    try:
        from vision.glm.loader import find_local_model
    except ImportError:
        return None
    try:
        found = find_local_model(None)
    except Exception:  # noqa: BLE001 - doctor reports, never crashes
        return None
    return str(found) if found else None
