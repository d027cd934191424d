"""Step sentences in English and Chinese -> the same typed Steps as the dict form.

Quoted spans are set aside first (any of "…" '…' “…” ‘…’ 「…」 『…』), so words inside them never
steer the parse; each rule then matches the sentence's skeleton. Targets are kept as written, quotes,
kind words and ordinals included (the vision layer reads them); typed text, options, questions and
answers are unquoted. A sentence no rule reads is a ScenarioError that quotes it and lists the
forms: the parser never guesses, and never hands a sentence to a model. The rules are in
agent.language.sentences_en and agent.language.sentences_zh (English tried first), their machinery in agent.language.sentence_rules.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from agent.language import sentences_en, sentences_zh
from agent.language.sentence_rules import Ctx, scan_quotes
from agent.language.step_dicts import step_from_dict
from agent.language.steps import Step
from pagesight_errors import ScenarioError

__all__ = ["parse_sentence", "step_from_sentence", "parse_step", "forms_once", "FORMS_EN", "FORMS_ZH"]

FORMS_EN = sentences_en.FORMS  # the forms an unreadable sentence's error lists, kept beside their rules
FORMS_ZH = sentences_zh.FORMS

_RULES = sentences_en.RULES + sentences_zh.RULES  # English first, as one list: the first match wins

_LEAD_EN = re.compile(r"^(?:(?:and\s+)?then|and|but|when|next|finally|now|also|after\s+that)\b[\s,]*", re.I)
_LEAD_I = re.compile(r"^i\s+(?=(?:click|double-click|right-click|tap|type|enter|press|fill|select|choose|"
                     r"check|uncheck|scroll|go|open|visit|wait|hover|navigate|reload|refresh|ask)\b)", re.I)
_LEAD_ZH = re.compile(r"^(?:然后|接着|之后|随后|最后|再次|再|并且|并)(?!一)[，,\s]*|^(?:用户|我)(?=点击|单击|双击|输入|在|按|勾选|"
                      r"选择|打开|访问|等待|刷新|返回|滚动|向|悬停|右键)")
_COMPOUND = re.compile(
    r"\s(?:and|then)\s+(?:then\s+)?(?:click|tap|type|enter|press|hit|fill|select|choose|check|uncheck|scroll|go|"
    r"open|navigate|wait|assert|verify|hover|reload|refresh|see|should)\b"
    r"|(?:并且|并|然后|接着|之后|再)\s*(?:点击|单击|双击|输入|按(?!钮)|等待|断言|勾选|选择|滚动|打开|刷新|返回|悬停)", re.I)
_VERBS = ("click", "double-click", "right-click", "hover", "type", "enter", "fill", "press", "check",
          "uncheck", "select", "scroll", "go", "open", "reload", "wait", "assert", "verify", "ask", "screenshot")


_DICT_FORM = "; or use the dict form (click: …, fill: {target: …, text: …})"


def _forms_message(skeleton: str) -> str:
    zh = re.search(r"[\u4e00-\u9fff]", skeleton)
    forms = " · ".join(FORMS_ZH if zh else FORMS_EN)
    return f"write one of: {forms}{_DICT_FORM}"


_LISTING = re.compile(r"write one of: .*?" + re.escape(_DICT_FORM))


def forms_once(lines: list[str]) -> list[str]:
    """Error lines with each forms listing (some 700 characters) kept only where it first appears; later
    lines point up to it, so 500 unreadable steps do not print 500 copies."""
    seen: set[str] = set()
    out = []
    for line in lines:
        m = _LISTING.search(line)
        if m and m.group(0) in seen:
            line = line[:m.start()] + "write one of the forms listed above" + line[m.end():]
        elif m:
            seen.add(m.group(0))
        out.append(line)
    return out


def parse_sentence(text: str, line: int = 0, file: str | None = None) -> Step:
    """One step sentence -> its Step (`line`/`file` only place error messages)."""
    source = str(text).strip()
    where: dict[str, Any] = {"file": file, "line": line or None}
    if not source:
        raise ScenarioError("empty step; " + _forms_message(""), **where)
    try:
        skeleton, quotes = scan_quotes(source)
    except ValueError as e:
        raise ScenarioError(f"cannot read step {source!r}: {e}", **where) from None
    skeleton = re.sub(r"[\s.。!！;；,，]+$", "", " ".join(skeleton.split()))
    for lead in (_LEAD_EN, _LEAD_I, _LEAD_ZH):
        skeleton = lead.sub("", skeleton, count=1)
    if _COMPOUND.search(skeleton, 1):
        raise ScenarioError(f"cannot read step {source!r}: it holds more than one step; write one step per "
                            f"list item", **where)
    for pattern, build in _RULES:
        m = pattern.match(skeleton)
        if m:
            try:
                return build(Ctx(skeleton, quotes, m, source, line, file))
            except ScenarioError as e:
                if e.file is None and e.line is None:  # a step's own check (agent.language.steps): add the place
                    raise ScenarioError(f"cannot read step {source!r}: {e.message}", **where) from None
                raise
    hint = ""
    first = re.match(r"[A-Za-z-]+", skeleton)
    if first:
        close = difflib.get_close_matches(first.group(0).lower(), _VERBS, n=1, cutoff=0.75)
        if close and close[0] != first.group(0).lower():
            hint = f" (did you mean {close[0]!r}?)"
    if sentences_en.looks_like_assertion(skeleton) or sentences_zh.looks_like_assertion(skeleton):
        hint += (' (did you mean Assert "…" is visible / 断言 "…" 可见? for a check only a model can judge, '
                 'use the dict form: assert: "a sentence")')
    raise ScenarioError(f"cannot read step {source!r}{hint}; {_forms_message(skeleton)}", **where)


step_from_sentence = parse_sentence


def parse_step(obj: Any, line: int = 0, file: str | None = None) -> Step:
    """A Step from what a user hands over: a sentence, a dict-form mapping, or a Step already."""
    if isinstance(obj, str):
        return parse_sentence(obj, line, file)
    if isinstance(obj, Mapping):
        return step_from_dict(obj, line, file)
    if hasattr(obj, "describe") and hasattr(obj, "line"):
        return obj
    raise ScenarioError(f"a step is a sentence or a mapping such as {{'click': 'Sign in'}}, not {obj!r}",
                        file, line or None)
