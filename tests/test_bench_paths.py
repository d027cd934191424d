"""The bench finds its default inputs from wherever its modules live (they moved once and lost them)."""

from agent.bench.corpus import CORPUS_MANIFEST
from agent.bench.grounding import DEMO_SITE


def test_the_demo_site_the_bench_measures_by_default_is_there():
    assert (DEMO_SITE / "index.html").is_file(), DEMO_SITE


def test_the_corpus_manifest_is_there():
    assert CORPUS_MANIFEST.is_file(), CORPUS_MANIFEST
    assert CORPUS_MANIFEST.parent.name == "corpus" and CORPUS_MANIFEST.parent.parent.name == "bench"
