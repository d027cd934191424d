"""One target vocabulary (vision.vocabulary): every reader of targets takes its words from there."""

from __future__ import annotations

import pytest

from agent.language.sentence_rules import scan_quotes as sentence_quotes
from vision.model_prompts import normalise_kind
from vision.ocr.ask import _kinds_of
from vision.target import parse_target
from vision.vocabulary import EN_KINDS, ZH_KINDS, kind_of, scan_quotes


@pytest.mark.parametrize("word", [w for w, _ in ZH_KINDS] + ["tick box", "check boxes", "radio buttons",
                                                             "text area", "dropdowns", "menu items"])
def test_every_kind_word_means_the_same_to_targets_questions_and_model_answers(word: str) -> None:
    kind = kind_of(word)
    assert kind is not None
    assert parse_target(f'"x" {word}').kind == kind
    assert normalise_kind(word) == kind
    if kind not in ("text", "image"):  # the ocr backend lists widgets only
        assert kind in (_kinds_of(word) or ()), word  # "tick box" was a target kind `ask` did not know


def test_every_english_kind_pattern_has_a_word() -> None:
    assert {k for _, k in EN_KINDS} == {k for _, k in ZH_KINDS}


@pytest.mark.parametrize("text, spans", [
    ('click "Save"', [(6, 12)]),
    ("Bob's 'Save' button", [(6, 12)]),  # an apostrophe inside a word neither opens nor closes
    ("第二个'删除'按钮", [(3, 7)]),  # a quote right after Chinese text opens
    ("「确定」 and “OK”", [(0, 4), (9, 13)]),
    ('an open " quote', []),
])
def test_one_scanner_for_targets_and_sentences(text: str, spans: list) -> None:
    assert scan_quotes(text) == spans
    if spans:
        skeleton, quotes = sentence_quotes(text)
        assert quotes == [text[a:b] for a, b in spans]


def test_a_sentence_refuses_an_open_quote_a_target_reads_it_as_text() -> None:
    with pytest.raises(ValueError, match="not closed"):
        sentence_quotes('click "Save')
    assert parse_target('第二个\'删除\'按钮').ordinal == 2
    assert parse_target('第二个\'删除\'按钮').text == "删除"
    assert parse_target("《用户协议》 link").text == "用户协议"  # title brackets quote a target
