"""Greedy generation for a GLM-4V model: prefix KV-cache reuse and batching of concurrent requests.

A prompt is split in two at the end of the image: the *prefix* ([gMASK]<sop>, system, `<|user|>`, the
image tokens) and the *suffix* (the question and `<|assistant|>`). The prefix holds nearly all the
tokens and the whole vision tower's work, and it is the same for every question about one screenshot,
so it is prefilled once and its KV cache kept (keyed by image hash and prefix text). Each question
then only prefills its suffix on top of a copy of that cache.

Requests from several threads go through one worker thread (the model, and torch's state, are used
from one thread only). The worker takes every request waiting, waits up to `batch_window_s` for the
rest of those in flight, and decodes them as one batch: prefixes are left-padded in the KV cache,
suffixes left-padded after them; the attention mask hides the padding, and each row keeps its own
M-RoPE positions, so a batched row decodes the same tokens as it would alone.
"""

from __future__ import annotations

import inspect
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Prompt", "Generation", "GenerationEngine"]


@dataclass
class Prompt:
    """One request. `prefix_inputs()` is called only when the prefix is not cached: it returns the
    processor's tensors for the prefix (input_ids, mm_token_type_ids, pixel_values, image_grid_thw)."""

    prefix_key: str
    prefix_inputs: Callable[[], dict[str, Any]]
    suffix_ids: Sequence[int]
    max_new_tokens: int = 64
    min_new_tokens: int = 0
    submitted: float = field(default_factory=time.perf_counter)


@dataclass
class Generation:
    tokens: list[int]
    first_token_s: float  # from submission to the first generated token
    total_s: float
    prefix_cached: bool
    batch_size: int


@dataclass
class _Prefix:
    layers: list[tuple[Any, Any]]  # per layer (keys, values), shape [1, kv_heads, length, head_dim]
    length: int
    next_pos: int  # M-RoPE position of the first token after the prefix


class GenerationEngine:
    """Thread-safe greedy generation over one GLM-4V model. `generate` blocks; `submit` returns a Future."""

    def __init__(self, model: Any, eos_ids: Sequence[int], pad_id: int, *, max_batch: int = 8,
                 batch_window_s: float = 0.015, kv_reuse: bool = True, cache_size: int = 8):
        import torch

        self.torch = torch
        self.model = model
        self.eos_ids = sorted(set(int(i) for i in eos_ids))
        self.pad_id = int(pad_id)
        self.max_batch = max(1, int(max_batch))
        self.batch_window_s = max(0.0, float(batch_window_s))
        self.kv_reuse = kv_reuse
        self.cache_size = max(1, int(cache_size))
        self.device = next(model.parameters()).device
        self.stats = {"batches": 0, "requests": 0, "max_batch_seen": 0, "prefix_hits": 0, "prefix_misses": 0}
        self._prefixes: OrderedDict[str, _Prefix] = OrderedDict()
        params = inspect.signature(model.forward).parameters
        self._cache_kw = "cache" if "cache" in params else "past_key_values"  # transformers 5 vs 4
        rope_params = inspect.signature(model.model.get_rope_index).parameters
        self._rope_takes_types = "mm_token_type_ids" in rope_params
        self._queue: queue.Queue = queue.Queue()
        self._inflight = 0
        self._lock = threading.Lock()
        self._closed = False
        self._worker = threading.Thread(target=self._loop, name="pagesight-glm-engine", daemon=True)
        self._worker.start()

    # --- public ----------------------------------------------------------------------------------

    def submit(self, prompt: Prompt) -> Future:
        return self.submit_many([prompt])[0]

    def generate(self, prompt: Prompt) -> Generation:
        return self.submit(prompt).result()

    def generate_many(self, prompts: Sequence[Prompt]) -> list[Generation]:
        """Several prompts decoded together (in batches of at most `max_batch`)."""
        return [f.result() for f in self.submit_many(list(prompts))]

    def submit_many(self, prompts: list[Prompt]) -> list[Future]:
        """Futures for prompts that go to the worker together (so they share a batch)."""
        if self._closed:
            raise RuntimeError("the generation engine is closed")
        group: list[tuple[Prompt, Future]] = [(p, Future()) for p in prompts]
        with self._lock:
            self._inflight += len(group)
        self._queue.put(group)
        return [f for _, f in group]

    def clear_cache(self) -> None:
        with self._lock:
            self._prefixes.clear()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._queue.put(None)
            self._worker.join(timeout=30)

    # --- worker ----------------------------------------------------------------------------------

    def _loop(self) -> None:
        pending: list[tuple[Prompt, Future]] = []
        stop = False
        while not (stop and not pending):
            if not pending:
                group = self._queue.get()
                if group is None:
                    return
                pending.extend(group)
            deadline = time.perf_counter() + self.batch_window_s
            while len(pending) < self.max_batch and not stop:
                with self._lock:
                    wanted = min(self.max_batch, self._inflight)
                try:
                    if len(pending) >= wanted:  # nobody else is in flight: do not sit out the window
                        group = self._queue.get_nowait()
                    else:
                        group = self._queue.get(timeout=max(0.0, deadline - time.perf_counter()))
                except queue.Empty:
                    break
                if group is None:
                    stop = True
                else:
                    pending.extend(group)
            batch, pending = pending[:self.max_batch], pending[self.max_batch:]
            self._run_batch(batch)

    def _run_batch(self, batch: list[tuple[Prompt, Future]]) -> None:
        """Prefill each request's prefix on its own (a bad request fails alone), then decode the rest together."""
        live = [(p, f) for p, f in batch if f.set_running_or_notify_cancel()]
        ready: list[tuple[Prompt, Future, _Prefix, bool]] = []
        fresh: dict[str, _Prefix] = {}
        try:
            with self.torch.inference_mode():
                for prompt, fut in live:
                    try:
                        if not prompt.suffix_ids:
                            raise ValueError("a prompt needs at least one suffix token after the image")
                        prefix, cached = self._prefix_for(prompt, fresh)
                    except Exception as exc:  # noqa: BLE001 - handed to its caller
                        fut.set_exception(exc)
                    else:
                        ready.append((prompt, fut, prefix, cached))
            if ready:
                results = self._generate_batch([(p, pre, c) for p, _, pre, c in ready])
                for (_, fut, _, _), res in zip(ready, results, strict=True):
                    fut.set_result(res)
        except BaseException as exc:  # noqa: BLE001 - handed to every waiting caller
            for _, fut in live:
                if not fut.done():
                    fut.set_exception(exc)
        finally:
            with self._lock:
                self._inflight -= len(batch)

    # --- model work (worker thread only) ----------------------------------------------------------

    def _prefill_prefix(self, prompt: Prompt) -> _Prefix:
        torch = self.torch
        inputs = {k: (v.to(self.device) if hasattr(v, "to") else v) for k, v in prompt.prefix_inputs().items()}
        ids = inputs["input_ids"]
        rope_kw = {"image_grid_thw": inputs.get("image_grid_thw"), "attention_mask": None}
        if self._rope_takes_types:
            rope_kw["mm_token_type_ids"] = inputs.get("mm_token_type_ids")
        positions, _ = self.model.model.get_rope_index(ids, **rope_kw)
        from transformers import DynamicCache

        cache = DynamicCache()
        if "pixel_values" in inputs:
            inputs["pixel_values"] = inputs["pixel_values"].to(self.model.dtype)
        self.model(**inputs, attention_mask=torch.ones_like(ids), position_ids=positions,
                   use_cache=True, logits_to_keep=1, **{self._cache_kw: cache})
        return _Prefix(layers=_cache_layers(cache), length=int(ids.shape[1]), next_pos=int(positions.max()) + 1)

    def _prefix_for(self, prompt: Prompt, fresh: dict[str, _Prefix]) -> tuple[_Prefix, bool]:
        if self.kv_reuse:
            with self._lock:
                hit = self._prefixes.get(prompt.prefix_key)
                if hit is not None:
                    self._prefixes.move_to_end(prompt.prefix_key)
            if hit is not None:
                self.stats["prefix_hits"] += 1
                return hit, True
            if prompt.prefix_key in fresh:
                return fresh[prompt.prefix_key], True
        self.stats["prefix_misses"] += 1
        prefix = self._prefill_prefix(prompt)
        if self.kv_reuse:
            fresh[prompt.prefix_key] = prefix
            with self._lock:
                self._prefixes[prompt.prefix_key] = prefix
                while len(self._prefixes) > self.cache_size:
                    self._prefixes.popitem(last=False)
        return prefix, False

    def _generate_batch(self, rows: list[tuple[Prompt, _Prefix, bool]]) -> list[Generation]:
        torch = self.torch
        prompts = [p for p, _, _ in rows]
        prefixes = [(pre, cached) for _, pre, cached in rows]
        with torch.inference_mode():
            b = len(prompts)
            self.stats["batches"] += 1
            self.stats["requests"] += b
            self.stats["max_batch_seen"] = max(self.stats["max_batch_seen"], b)
            p_max = max(p.length for p, _ in prefixes)
            s_lens = [len(p.suffix_ids) for p in prompts]
            s_max = max(s_lens)
            cache = _batch_cache([p for p, _ in prefixes], p_max, torch)
            mask = torch.zeros(b, p_max + s_max, dtype=torch.long, device=self.device)
            ids = torch.full((b, s_max), self.pad_id, dtype=torch.long, device=self.device)
            pos = torch.zeros(3, b, s_max, dtype=torch.long, device=self.device)
            for i, ((prefix, _), prompt) in enumerate(zip(prefixes, prompts, strict=True)):
                n = s_lens[i]
                mask[i, p_max - prefix.length:p_max] = 1
                mask[i, p_max + s_max - n:] = 1
                ids[i, s_max - n:] = torch.tensor(list(prompt.suffix_ids), dtype=torch.long, device=self.device)
                pos[:, i, s_max - n:] = torch.arange(n, device=self.device) + prefix.next_pos
            next_pos = torch.tensor([p.next_pos + n for (p, _), n in zip(prefixes, s_lens, strict=True)],
                                    device=self.device)
            tokens = self._decode(prompts, ids, mask, pos, next_pos, cache)
        return [Generation(tokens=toks, first_token_s=first - p.submitted, total_s=end - p.submitted,
                           prefix_cached=cached, batch_size=b)
                for (toks, first, end), p, (_, cached) in zip(tokens, prompts, prefixes, strict=True)]

    def _decode(self, prompts: list[Prompt], ids: Any, mask: Any, pos: Any, next_pos: Any,
                cache: Any) -> list[tuple[list[int], float, float]]:
        torch = self.torch
        b = len(prompts)
        limits = [max(1, p.max_new_tokens) for p in prompts]
        minimums = [p.min_new_tokens for p in prompts]
        out: list[list[int]] = [[] for _ in range(b)]
        done = [False] * b
        first_at = [0.0] * b
        end_at = [0.0] * b
        eos = torch.tensor(self.eos_ids, dtype=torch.long, device=self.device)
        step = 0
        while True:
            logits = self.model(input_ids=ids, attention_mask=mask, position_ids=pos, use_cache=True,
                                logits_to_keep=1, **{self._cache_kw: cache}).logits[:, -1, :].float()
            for i in range(b):
                if step < minimums[i] and len(eos):
                    logits[i, eos] = float("-inf")
            chosen = logits.argmax(dim=-1)
            now = time.perf_counter()
            for i, tok in enumerate(chosen.tolist()):
                if done[i]:
                    continue
                if step == 0:
                    first_at[i] = now
                if tok in self.eos_ids:
                    done[i] = True
                else:
                    out[i].append(tok)
                    done[i] = len(out[i]) >= limits[i]
                if done[i]:
                    end_at[i] = now
            step += 1
            if all(done):
                break
            feed = torch.where(torch.tensor(done, device=self.device), torch.full_like(chosen, self.pad_id), chosen)
            ids = feed[:, None]
            mask = torch.cat([mask, torch.ones(b, 1, dtype=mask.dtype, device=self.device)], dim=1)
            pos = (next_pos + step - 1).view(1, b, 1).expand(3, b, 1)
        return list(zip(out, first_at, end_at, strict=True))


def _cache_layers(cache: Any) -> list[tuple[Any, Any]]:
    if hasattr(cache, "layers"):
        return [(layer.keys, layer.values) for layer in cache.layers]
    return list(zip(cache.key_cache, cache.value_cache, strict=True))  # older transformers


def _batch_cache(prefixes: list[_Prefix], p_max: int, torch: Any) -> Any:
    """A new DynamicCache holding every prefix, left-padded with zeros to `p_max` (stored ones untouched)."""
    from transformers import DynamicCache

    cache = DynamicCache()
    for layer in range(len(prefixes[0].layers)):
        keys, values = [], []
        for prefix in prefixes:
            k, v = prefix.layers[layer]
            pad = p_max - prefix.length
            keys.append(torch.nn.functional.pad(k, (0, 0, pad, 0)) if pad else k)
            values.append(torch.nn.functional.pad(v, (0, 0, pad, 0)) if pad else v)
        cache.update(torch.cat(keys, dim=0), torch.cat(values, dim=0), layer)
    return cache
