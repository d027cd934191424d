"""Speed of the glm backend's generation engine on the full GLM-4.6V-Flash architecture, random weights.

    python bench/gpu_glm.py                 # CUDA GPU: 40-layer 4096-wide text model, 24-layer ViT, bf16
    python bench/gpu_glm.py --tiny          # the same code path on the CPU with a tiny config (a smoke test)

Latency does not depend on weight values, so the model is built from the public config on the meta
device, materialised on the GPU with `to_empty` and filled with random numbers (no 20 GB download, no
slow CPU init). Every request is a locate prompt about a 1280x800 screenshot and decodes exactly
`--max-new-tokens` tokens (min = max, so random weights cannot stop early). It measures first-token
and full locate latency (P50/P95) for a new screenshot and for a cached one, throughput at several
concurrencies with and without batching and KV reuse, and peak GPU memory. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# GLM-4.6V-Flash (same architecture as GLM-4.1V-9B): transformers' Glm4vConfig fields.
FULL_TEXT = {"vocab_size": 151552, "hidden_size": 4096, "intermediate_size": 13696, "num_hidden_layers": 40,
             "num_attention_heads": 32, "num_key_value_heads": 2, "max_position_embeddings": 131072,
             "attention_bias": True, "rms_norm_eps": 1e-5, "hidden_act": "silu", "pad_token_id": 151329,
             "eos_token_id": [151329, 151336, 151338],
             "rope_parameters": {"rope_type": "default", "rope_theta": 10000.0, "mrope_section": [8, 12, 12],
                                 "partial_rotary_factor": 0.5}}
FULL_VISION = {"depth": 24, "hidden_size": 1536, "num_heads": 12, "intermediate_size": 13696,
               "out_hidden_size": 4096, "patch_size": 14, "spatial_merge_size": 2, "temporal_patch_size": 2,
               "image_size": 336, "rms_norm_eps": 1e-5, "hidden_act": "silu"}
TINY_TEXT = dict(FULL_TEXT, hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                 max_position_embeddings=8192,
                 rope_parameters={"rope_type": "default", "rope_theta": 10000.0, "mrope_section": [1, 1, 2],
                                  "partial_rotary_factor": 0.5})
TINY_VISION = dict(FULL_VISION, depth=2, hidden_size=32, num_heads=2, intermediate_size=64, out_hidden_size=64)
# GLM special token ids (151329 onwards). 4.6V-Flash's published config puts <|image|> at 151363; the
# number does not change timings, it only has to agree between the config and the prompt.
TOK = {"gmask": 151331, "sop": 151333, "user": 151336, "assistant": 151337, "boi": 151339, "eoi": 151340,
       "image": 151363, "video": 151364, "think": 151350, "end_think": 151351, "newline": 198, "eos": 151329}
# GLM-4.1V/4.6V preprocessor: 112x112 .. 28*28*15000*2 pixels; the tiny run caps it to stay quick.
FULL_PIXELS = {"shortest_edge": 112 * 112, "longest_edge": 28 * 28 * 15000}
TINY_PIXELS = {"shortest_edge": 28 * 28 * 4, "longest_edge": 28 * 28 * 256 * 2}


def build_model(tiny: bool, device: str, attn: str) -> Any:
    import torch
    from transformers import Glm4vConfig, Glm4vForConditionalGeneration

    config = Glm4vConfig(text_config=TINY_TEXT if tiny else FULL_TEXT, vision_config=TINY_VISION if tiny else FULL_VISION,
                         image_token_id=TOK["image"], video_token_id=TOK["video"], image_start_token_id=TOK["boi"],
                         image_end_token_id=TOK["eoi"])
    dtype = torch.float32 if device == "cpu" else torch.bfloat16
    with torch.device("meta"):
        model = Glm4vForConditionalGeneration._from_config(config, attn_implementation=attn, dtype=dtype)
    model = model.to_empty(device=device)
    gen = torch.Generator(device=device).manual_seed(0)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.ndim == 1 and "norm" in name:
                p.fill_(1.0)
            elif name.endswith("bias"):
                p.zero_()
            else:
                p.normal_(0.0, 0.02, generator=gen)
        for module in model.modules():  # to_empty left the rotary tables uninitialised: rebuild them
            if hasattr(module, "inv_freq") and hasattr(module, "config"):
                with torch.device(device):
                    fresh = type(module)(module.config)
                module.inv_freq = fresh.inv_freq
                if hasattr(module, "original_inv_freq"):
                    module.original_inv_freq = fresh.original_inv_freq
    return model.eval()


def make_screenshot(path: str | None, size: tuple[int, int] = (1280, 800)) -> Any:
    from PIL import Image, ImageDraw

    if path:
        return Image.open(path).convert("RGB")
    img = Image.new("RGB", size, "#f6f8fa")
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, size[0], 56), fill="#24292f")
    draw.text((24, 20), "Acme Console    Dashboard    Users    Settings", fill="white")
    draw.rectangle((440, 180, 840, 620), fill="white", outline="#d0d7de")
    for i, label in enumerate(("Email address", "Password")):
        draw.text((470, 220 + i * 90), label, fill="#24292f")
        draw.rectangle((470, 240 + i * 90, 810, 276 + i * 90), outline="#8c959f")
    draw.rectangle((470, 520, 810, 560), fill="#1f883d")
    draw.text((615, 532), "Sign in", fill="white")
    return img


class PromptFactory:
    """Locate prompts with GLM's real layout: [gMASK]<sop><|user|> image, question, <|assistant|>."""

    def __init__(self, tiny: bool):
        import transformers

        cls = getattr(transformers, "Glm4vImageProcessorPil", None) or transformers.Glm4vImageProcessor
        self.images = cls(size=TINY_PIXELS if tiny else FULL_PIXELS)
        self._processed: dict[int, dict[str, Any]] = {}

    def prefix(self, image: Any, key: int) -> dict[str, Any]:
        import torch

        if key not in self._processed:
            out = self.images(images=[image], return_tensors="pt")
            n = int(out["image_grid_thw"].prod()) // 4
            ids = [TOK["gmask"], TOK["sop"], TOK["user"], TOK["newline"], TOK["boi"]] + [TOK["image"]] * n + [TOK["eoi"]]
            types = [0] * 5 + [1] * n + [0]
            self._processed[key] = {"input_ids": torch.tensor([ids]), "mm_token_type_ids": torch.tensor([types]),
                                    "pixel_values": out["pixel_values"], "image_grid_thw": out["image_grid_thw"]}
        return self._processed[key]

    def prompt(self, image: Any, image_key: int, question: int, new_tokens: int) -> Any:
        from vision.glm.engine import Prompt

        rng = random.Random(question)  # "Help me to locate <target> in the image ..." is about 22 tokens
        words = [rng.randrange(1000, 100000) for _ in range(22)]
        suffix = words + [TOK["assistant"], TOK["newline"], TOK["think"], TOK["end_think"], TOK["newline"]]
        self.prefix(image, image_key)  # image preprocessing is the client's work, not the engine's
        return Prompt(prefix_key=f"img{image_key}", prefix_inputs=lambda: self.prefix(image, image_key),
                      suffix_ids=suffix, max_new_tokens=new_tokens, min_new_tokens=new_tokens)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(1000 * ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))], 2)


def _engine(model: Any, max_batch: int, kv_reuse: bool, window_ms: float) -> Any:
    from vision.glm.engine import GenerationEngine

    return GenerationEngine(model, [TOK["eos"], TOK["user"]], TOK["eos"], max_batch=max_batch,
                            batch_window_s=window_ms / 1000, kv_reuse=kv_reuse, cache_size=64)


def latency(model: Any, factory: PromptFactory, shots: list[Any], runs: int, new_tokens: int,
            window_ms: float) -> dict[str, Any]:
    """One client at a time: a new screenshot each time (cold), then questions on a cached one (warm)."""
    engine = _engine(model, 1, True, window_ms)
    try:
        engine.generate(factory.prompt(shots[0], 0, 999, new_tokens))  # warm-up: kernels, allocator
        cold = [engine.generate(factory.prompt(shots[i % len(shots)], 1000 + i, i, new_tokens)) for i in range(runs)]
        warm = [engine.generate(factory.prompt(shots[0], 0, 10_000 + i, new_tokens)) for i in range(runs)]
    finally:
        engine.close()
    return {"new_screenshot": {"first_token_ms_p50": pct([g.first_token_s for g in cold], 50),
                               "first_token_ms_p95": pct([g.first_token_s for g in cold], 95),
                               "locate_ms_p50": pct([g.total_s for g in cold], 50),
                               "locate_ms_p95": pct([g.total_s for g in cold], 95)},
            "cached_screenshot": {"first_token_ms_p50": pct([g.first_token_s for g in warm], 50),
                                  "first_token_ms_p95": pct([g.first_token_s for g in warm], 95),
                                  "locate_ms_p50": pct([g.total_s for g in warm], 50),
                                  "locate_ms_p95": pct([g.total_s for g in warm], 95)},
            "runs": runs, "new_tokens": new_tokens}


def throughput(model: Any, factory: PromptFactory, shots: list[Any], concurrency: int, batching: bool,
               kv_reuse: bool, per_client: int, new_tokens: int, window_ms: float) -> dict[str, Any]:
    """`concurrency` clients, each asking `per_client` different questions about its own screenshot."""
    engine = _engine(model, concurrency if batching else 1, kv_reuse, window_ms)
    results: list[Any] = []
    lock = threading.Lock()
    barrier = threading.Barrier(concurrency + 1)

    def client(k: int) -> None:
        barrier.wait()
        for i in range(per_client):
            g = engine.generate(factory.prompt(shots[k % len(shots)], 100 + k, k * 1000 + i, new_tokens))
            with lock:
                results.append(g)

    try:
        engine.generate(factory.prompt(shots[0], 0, 999, new_tokens))  # warm-up
        engine.stats.update(batches=0, requests=0)
        threads = [threading.Thread(target=client, args=(k,)) for k in range(concurrency)]
        for t in threads:
            t.start()
        barrier.wait()
        start = time.perf_counter()
        for t in threads:
            t.join()
        wall = time.perf_counter() - start
    finally:
        engine.close()
    return {"concurrency": concurrency, "batching": batching, "kv_reuse": kv_reuse, "requests": len(results),
            "requests_per_s": round(len(results) / wall, 3), "wall_s": round(wall, 3),
            "first_token_ms_p50": pct([g.first_token_s for g in results], 50),
            "first_token_ms_p95": pct([g.first_token_s for g in results], 95),
            "locate_ms_p50": pct([g.total_s for g in results], 50),
            "mean_batch": round(engine.stats["requests"] / max(1, engine.stats["batches"]), 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tiny", action="store_true", help="tiny config on the CPU: checks the code path, not speed")
    ap.add_argument("--image", help="a screenshot to use instead of a generated 1280x800 one")
    ap.add_argument("--max-new-tokens", type=int, default=32)
    ap.add_argument("--latency-runs", type=int, default=20)
    ap.add_argument("--per-client", type=int, default=8, help="requests per client in the throughput runs")
    ap.add_argument("--concurrency", default="1,4,8")
    ap.add_argument("--window-ms", type=float, default=15.0, help="batching window")
    ap.add_argument("--out", help="also write the JSON here")
    args = ap.parse_args(argv)
    try:
        import torch
        import transformers
    except ImportError as exc:
        print(f"gpu_glm: needs torch and transformers ({exc}); pip install 'pagesight[vlm]'", file=sys.stderr)
        return 2
    if not args.tiny and not torch.cuda.is_available():
        print("gpu_glm: no CUDA GPU here; the full-size benchmark needs one (use --tiny for a CPU smoke run)",
              file=sys.stderr)
        return 2
    from vision.glm.loader import pick_attention

    device = "cpu" if args.tiny else "cuda"
    attn = pick_attention(device)
    t0 = time.perf_counter()
    model = build_model(args.tiny, device, attn)
    if device == "cuda":
        torch.cuda.synchronize()
    build_s = time.perf_counter() - t0
    factory = PromptFactory(args.tiny)
    base = make_screenshot(args.image)
    # one slightly different screenshot per client, so cache hits come only from KV reuse
    shots = [base] + [make_screenshot(None, base.size) for _ in range(7)]
    for i, shot in enumerate(shots[1:], 1):
        shot.putpixel((i, i), (i, 0, 0))
    weights_gb = sum(p.numel() * p.element_size() for p in model.parameters()) / 1e9
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    report: dict[str, Any] = {
        "device": torch.cuda.get_device_name(0) if device == "cuda" else "cpu", "tiny": args.tiny,
        "attn_implementation": attn, "dtype": str(next(model.parameters()).dtype),
        "torch": torch.__version__, "transformers": transformers.__version__,
        "parameters_b": round(sum(p.numel() for p in model.parameters()) / 1e9, 3),
        "weights_gb": round(weights_gb, 2), "build_s": round(build_s, 2), "image_size": list(base.size),
        "image_tokens": int(factory.prefix(base, -1)["image_grid_thw"].prod()) // 4,
    }
    report["latency"] = latency(model, factory, shots, args.latency_runs, args.max_new_tokens, args.window_ms)
    report["throughput"] = [
        throughput(model, factory, shots, c, batching, kv, args.per_client, args.max_new_tokens, args.window_ms)
        for c in [int(x) for x in args.concurrency.split(",")]
        for batching in (False, True) for kv in (False, True)
        if not (c == 1 and batching)]
    if device == "cuda":
        report["peak_gpu_memory_gb"] = round(torch.cuda.max_memory_allocated() / 1e9, 2)
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
