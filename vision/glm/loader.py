"""Finding and loading GLM-4.6V-Flash weights: a local directory or the local Hugging Face cache, never
the network. Missing weights or packages are a `BackendUnavailable` that says what to do."""

from __future__ import annotations

import importlib.util
import os
import warnings
from pathlib import Path
from typing import Any

from pagesight_errors import BackendUnavailable

__all__ = ["DEFAULT_MODEL", "require_vlm", "resolve_model_path", "find_local_model", "pick_device", "pick_attention", "load_model"]

DEFAULT_MODEL = "zai-org/GLM-4.6V-Flash"

VLM_HINT = "install the model extra: pip install 'pagesight[vlm]' (torch, transformers, accelerate)"


def require_vlm() -> tuple[Any, Any]:
    """(torch, transformers), or BackendUnavailable naming the `vlm` extra."""
    try:
        import torch
        import transformers
    except ImportError as exc:
        raise BackendUnavailable(f"the glm backend needs torch and transformers ({exc}); {VLM_HINT}") from exc
    return torch, transformers


def _download_hint(model: str) -> str:
    return (f"on a machine with internet run `huggingface-cli download {model}` (or `hf download {model}`), "
            f"then copy the folder here and pass --model PATH (or set PAGESIGHT_GLM_MODEL=PATH)")


def resolve_model_path(model: str | os.PathLike | None = None) -> Path:
    """A local folder with config.json for `model`: a path, or a repo id already in the local HF cache."""
    model = str(model or os.environ.get("PAGESIGHT_GLM_MODEL") or DEFAULT_MODEL)
    path = Path(model).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise BackendUnavailable(f"{path} has no config.json, so it is not a model folder; "
                                     + _download_hint(DEFAULT_MODEL))
        return path
    looks_like_path = path.is_absolute() or model.startswith((".", "~")) or model.count("/") != 1
    if looks_like_path:
        raise BackendUnavailable(f"model folder {model} does not exist; " + _download_hint(DEFAULT_MODEL))
    try:
        from huggingface_hub import snapshot_download

        local = snapshot_download(repo_id=model, local_files_only=True)
    except Exception as exc:  # noqa: BLE001 - every failure here means "not in the local cache"
        raise BackendUnavailable(f"model {model} is not in the local Hugging Face cache and pagesight never "
                                 f"downloads weights at run time; " + _download_hint(model)) from exc
    found = Path(local)
    if not (found / "config.json").is_file():
        raise BackendUnavailable(f"the cached copy of {model} at {found} is incomplete; " + _download_hint(model))
    return found


def find_local_model(model: str | os.PathLike | None = None) -> Path | None:
    """The local folder `resolve_model_path` would use, or None (for `pagesight doctor`; never raises)."""
    try:
        return resolve_model_path(model)
    except BackendUnavailable:
        return None


def pick_device(device: str | None = None) -> str:
    torch, _ = require_vlm()
    if device:
        return device
    return "cuda" if torch.cuda.is_available() else "cpu"


def pick_attention(device: str) -> str:
    """FlashAttention-2 when the package is there and we are on CUDA, else PyTorch SDPA."""
    if device.startswith("cuda") and importlib.util.find_spec("flash_attn") is not None:
        return "flash_attention_2"
    return "sdpa"


def load_model(path: Path, device: str | None = None, dtype: Any = None, attn_implementation: str | None = None):
    """The model in eval mode on `device` (bf16 on CUDA; fp32 on CPU, with a warning that it is slow)."""
    torch, transformers = require_vlm()
    device = pick_device(device)
    if dtype is None:
        dtype = torch.bfloat16 if device.startswith("cuda") else torch.float32
    elif isinstance(dtype, str):  # from the command line: "bfloat16", "float16", "float32"
        dtype = getattr(torch, dtype.replace("torch.", ""), None)
        if not isinstance(dtype, torch.dtype):
            raise BackendUnavailable("dtype must be one of bfloat16, float16, float32")
    if not device.startswith("cuda"):
        warnings.warn("the glm backend is running on the CPU: fine for tiny test models, but the real 9B model "
                      "needs a CUDA GPU (minutes per answer on a CPU)", RuntimeWarning, stacklevel=2)
    attn = attn_implementation or pick_attention(device)
    auto = getattr(transformers, "AutoModelForImageTextToText", None)
    if auto is None:
        raise BackendUnavailable(f"transformers {transformers.__version__} is too old for GLM-4V; {VLM_HINT}")
    transformers.utils.logging.disable_progress_bar()  # no tqdm bars in pagesight's output
    try:
        model = auto.from_pretrained(str(path), local_files_only=True, dtype=dtype, attn_implementation=attn)
    except (OSError, ValueError, KeyError) as exc:
        raise BackendUnavailable(f"could not load the model from {path}: {exc}; check that the folder holds a "
                                 f"complete GLM-4.6V-Flash checkpoint and that transformers is recent enough "
                                 f"(>= 4.57)") from exc
    return model.to(device).eval()
