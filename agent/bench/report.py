"""The figures of `pagesight bench grounding` and their human form: per kind, per language, ordinal vs
plain, per failure class, latencies, and each page's misses."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from typing import Any

import click

from agent.bench.dom_truth import KIND_WORDS
from agent.bench.misses import FAILURE_CLASSES

__all__ = ["summarize", "print_report", "percentile", "rate"]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (the smallest value with at least q% of the values at or below it)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def rate(results: list[Any]) -> dict[str, Any]:
    hits, total = sum(r.hit for r in results), len(results)
    return {"hits": hits, "total": total, "rate": round(100 * hits / total, 1) if total else None}


def by_kind(results: list[Any]) -> dict[str, dict[str, Any]]:
    return {k: rate([r for r in results if r.kind == k]) for k in KIND_WORDS if any(r.kind == k for r in results)}


def _round(v: float, n: int) -> float:
    return round(float(v), n)


def summarize(pages: list[Any]) -> dict[str, Any]:
    """Overall figures: per kind, per page language and per target language, ordinal vs plain, per failure
    class, latencies."""
    everything = [r for p in pages for r in p.results]
    en = [r for p in pages if not p.chinese for r in p.results]
    zh = [r for p in pages if p.chinese for r in p.results]
    skipped: Counter[str] = Counter()
    for p in pages:
        skipped.update(p.skipped)
    failures = Counter(r.failure or "unclassified" for r in everything if not r.hit)
    locate_ms = [r.locate_ms for r in everything if not r.error]
    parse_s = [p.parse_s for p in pages if p.parse_s is not None]
    return {
        "pages": len(pages),
        "screens": sum(getattr(p, "screens", 1) for p in pages),
        "by_kind": by_kind(everything),
        "text_bearing": rate(everything),
        "english": {"pages": sum(not p.chinese for p in pages), **rate(en)},
        "chinese": {"pages": sum(p.chinese for p in pages), **rate(zh)},
        "chinese_targets": rate([r for r in everything if r.chinese]),
        "english_targets": rate([r for r in everything if not r.chinese]),
        "ordinal": rate([r for r in everything if r.ordinal]),
        "plain": rate([r for r in everything if not r.ordinal]),
        "failures": {k: failures[k] for k in (*FAILURE_CLASSES, "unclassified") if failures[k]},
        "icon_only": sum(getattr(p, "icon_only", 0) for p in pages),
        "skipped": dict(skipped),
        "parse_s": {"median": _round(statistics.median(parse_s), 3) if parse_s else None,
                    "max": _round(max(parse_s), 3) if parse_s else None},
        "locate_ms": {"n": len(locate_ms),
                      "median": _round(statistics.median(locate_ms), 2) if locate_ms else None,
                      "p95": _round(percentile(locate_ms, 95), 2) if locate_ms else None},
    }


# ------------------------------------------------------------------------------------------ human form

def _fmt_rate(r: dict[str, Any]) -> str:
    pct = f"{r['rate']:.1f}%" if r["rate"] is not None else "-"
    return f"{r['hits']:>4}/{r['total']:<5} {pct:>6}"


def _kind_table(kinds: dict[str, dict[str, Any]], indent: str = "  ") -> list[str]:
    lines = [f"{indent}{'kind':10} {'hits/total':10} {'rate':>6}"]
    lines += [f"{indent}{kind:10} {_fmt_rate(r)}" for kind, r in kinds.items()]
    return lines


def _box(b: list[float] | None) -> str:
    return "[" + ", ".join(f"{v:g}" for v in b) + "]" if b else "?"


def _miss_line(r: Any) -> str:
    head = f"{r.query}{' (disabled)' if r.disabled else ''} — true box {_box(r.truth_box)}: "
    if r.error:
        return head + f"error: {r.error}"
    if r.found:
        return head + (f"found {r.found_kind or '?'} {r.found_text!r} box {_box(r.found_box)} "
                       f"at ({r.point[0]:g}, {r.point[1]:g})" if r.point else "found, no point")
    near = "; ".join(f"{c['kind']} {c['text']!r} {_box(c['box'])}" for c in r.candidates) or "nothing similar"
    return head + f"not found (nearest: {near})"


def _skips(skipped: dict[str, int]) -> str:
    return "; ".join(f"{n} {why}" for why, n in sorted(skipped.items(), key=lambda kv: -kv[1])) or "none"


def print_report(meta: dict[str, Any], summary: dict[str, Any], pages: list[Any]) -> None:
    """The human form: per page, then overall."""
    out = click.echo
    out(f"pagesight bench grounding: backend {meta['backend']}, viewport {meta['viewport'][0]}x"
        f"{meta['viewport'][1]}, a hit is locate's point inside the DOM box ±{meta['tolerance_px']:g} px")
    if meta["backend_load_s"]:
        out(f"backend load: {meta['backend_load_s']:.2f} s (not counted in parse)")
    for p in pages:
        out("")
        parsed = f"parse {p.parse_s:.2f} s (cold)" if p.parse_s is not None else f"parse failed: {p.parse_error}"
        screens = f", {p.screens} screens" if p.screens > 1 else ""
        viewport = f", {p.viewport[0]}x{p.viewport[1]}" if p.viewport and list(p.viewport) != meta["viewport"] else ""
        out(f"{p.page}  [{'Chinese' if p.chinese else 'English'}{viewport}{screens}]  "
            f"{sum(r.hit for r in p.results)}/{len(p.results)} hit, "
            f"{parsed}{'' if p.settled else '  (page never settled in 5 s)'}")
        if p.results:
            out("\n".join(_kind_table(by_kind(p.results))))
        out(f"  not measured: {_skips(p.skipped)}" + (f"; icon-only controls: {p.icon_only}" if p.icon_only else ""))
        for r in p.results:
            if not r.hit:
                where = f", screen {r.screen}" if p.screens > 1 else ""
                out(f"  MISS {_miss_line(r)}  [{r.failure or '?'}{where}]")
                if r.miss_image:
                    out(f"       image: {r.miss_image}")
    s = summary
    out("")
    out(f"overall: {s['pages']} page(s), {s['screens']} screen(s), {s['text_bearing']['total']} text-bearing targets")
    out("\n".join(_kind_table(s["by_kind"])))
    out(f"  {'all':10} {_fmt_rate(s['text_bearing'])}   text-bearing targets")
    out(f"  {'plain':10} {_fmt_rate(s['plain'])}   targets without an ordinal")
    out(f"  {'ordinal':10} {_fmt_rate(s['ordinal'])}   targets with an ordinal (the second \"Delete\" button)")
    out(f"  {'English':10} {_fmt_rate(s['english'])}   on {s['english']['pages']} English page(s)")
    out(f"  {'Chinese':10} {_fmt_rate(s['chinese'])}   on {s['chinese']['pages']} Chinese page(s)")
    out(f"  {'zh targets':10} {_fmt_rate(s['chinese_targets'])}   targets written in Chinese")
    if s["failures"]:
        out("  misses by failure class:")
        for cls, n in s["failures"].items():
            out(f"    {cls:16} {n:>4}   {FAILURE_CLASSES.get(cls, '')}")
    if s["parse_s"]["median"] is not None:
        out(f"  parse per page (cold, before any locate): median {s['parse_s']['median']:.2f} s, "
            f"max {s['parse_s']['max']:.2f} s")
    if s["locate_ms"]["n"]:
        out(f"  locate per query (parse cached): median {s['locate_ms']['median']:.1f} ms, "
            f"P95 {s['locate_ms']['p95']:.1f} ms over {s['locate_ms']['n']} queries")
    out(f"  icon-only controls (listed, not measured): {s['icon_only']}")
    out(f"  not measured: {_skips(s['skipped'])}")
    if meta.get("misses_dir"):
        out(f"  miss images: {meta['misses_dir']}")
