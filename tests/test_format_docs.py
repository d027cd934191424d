"""docs/scenario-format.md is the users' reference: every key the parser takes is in it, and every
example in it parses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from agent.language.scenario import TOP_KEYS, parse_scenario
from agent.language.sentences import parse_step
from agent.language.step_dicts import STEP_FIELDS

DOC = Path(__file__).resolve().parent.parent / "docs" / "scenario-format.md"
TEXT = DOC.read_text(encoding="utf-8")


def _yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", TEXT, re.S)


def _sentences() -> list[str]:
    """The sentence examples of the sentence table: every backquoted cell in its rows."""
    table = TEXT.split("## Steps as sentences", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ") and "`" in line]
    return [s for row in rows for cell in row.split("|")[2:4] for s in re.findall(r"`([^`]+)`", cell)]


@pytest.mark.parametrize("key", TOP_KEYS)
def test_every_top_level_key_is_documented(key):
    assert f"| `{key}` |" in TEXT


@pytest.mark.parametrize("key", sorted(STEP_FIELDS))
def test_every_step_kind_has_its_section_and_its_fields(key):
    headings = re.findall(r"^### (.+)$", TEXT, re.M)
    assert any(key in re.split(r",\s*|\s+and\s+", h) for h in headings), f"no section for {key}:"
    examples = "\n".join(_yaml_blocks())
    assert re.search(rf"^- {key}:", examples, re.M), f"no example of {key}:"
    for field in STEP_FIELDS[key]:
        assert re.search(rf"\b{re.escape(field)}:", examples), f"{key}'s field {field} has no example"


def test_every_yaml_example_parses():
    blocks = _yaml_blocks()
    assert len(blocks) > 15
    for block in blocks:
        if block.lstrip().startswith("name:"):
            parse_scenario(block, DOC.parent.parent / "scenarios" / "doc-example.yaml")  # serve: site/
        else:
            parse_scenario(f"name: doc example\nurl: http://127.0.0.1/\nsteps:\n{block}", "docs")


def test_every_sentence_example_parses():
    sentences = _sentences()
    assert len(sentences) > 30
    for sentence in sentences:
        parse_step(sentence)


def test_every_form_an_unreadable_sentence_lists_parses():
    from agent.language.sentences import FORMS_EN, FORMS_ZH

    for form in (*FORMS_EN, *FORMS_ZH):
        for variant in form.split(" / "):
            parse_step(variant.replace("…", "Save").replace("[", "").replace("]", ""))
