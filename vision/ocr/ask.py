"""The questions the `ocr` backend can answer by reading the screen, in English and Chinese.

    what buttons are there? / list the links / 有哪些按钮      -> the names of every element of that kind
    what does the heading say? / what is the title? / 标题是什么 -> the largest text near the top
    what text is on the page? / 页面上有什么文字               -> all text, in reading order
    how many "Delete" buttons are there? / 有几个"删除"按钮     -> a count of what the description matches
    is "Welcome" visible? / is there a "Sign in" button? / "欢迎" 是否可见 / any question with a quoted
        description                                            -> yes / no, by grounding it
    is "Remember me" checked? / is "Save" disabled? / "记住我" 是否勾选 -> yes / no from the element's state
    what is in the "Email" field? / "用户名" 中填的是什么        -> the field's value ("" when empty)

Anything else raises UnsupportedQuestion: it needs a model backend that can look at the picture.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pagesight_errors import UnsupportedQuestion
from vision.types import Answer, Element, Location, Parse
from vision.vocabulary import kind_words

__all__ = ["answer", "KIND_WORDS"]

Ground = Callable[..., Location]

# The kinds a question can list, and what each lists ("fields" covers every field, "menus" their items);
# the words for them are vision.vocabulary's, the same the target language reads.
_LISTS: dict[str, tuple[str, ...]] = {
    "button": ("button",), "link": ("link",), "tab": ("tab",), "menuitem": ("menuitem", "menu"),
    "menu": ("menuitem", "menu"), "checkbox": ("checkbox",), "radio": ("radio",), "select": ("select",),
    "textarea": ("textarea",), "input": ("input", "textarea", "select"), "icon": ("icon",),
}
KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = tuple((kind_words(k), kinds) for k, kinds in _LISTS.items())
_KIND_RE = "|".join(f"(?:{p})" for p, _ in KIND_WORDS)

_Q = r"[\"'“”‘’「」『』]"
_LIST = re.compile(rf"^(?:what|which)\s+(?P<k>{_KIND_RE})\s+(?:are|is)\s+(?:there|on\s+(?:the\s+)?(?:page|screen))"
                   rf"|^(?:list|show|name)\s+(?:all\s+)?(?:the\s+)?(?P<k2>{_KIND_RE})"
                   rf"|^(?:页面上)?(?:有)?哪些(?P<k3>{_KIND_RE})|^列出(?:所有的?)?(?P<k4>{_KIND_RE})", re.I)
_HEADING = re.compile(r"heading|title|headline|标题|大标题", re.I)
_ALL_TEXT = re.compile(r"^what\s+(?:text|words)\s+(?:is|are)\s+(?:there|on|shown)|^read\s+(?:the\s+)?(?:page|screen)"
                       r"|^what\s+does\s+the\s+(?:page|screen)\s+say|有什么文字|有哪些文字|显示了?什么(?:文字|内容)?",
                       re.I)
_COUNT = re.compile(r"^how\s+many\s+(?P<x>.+?)\s+(?:are|is)\s+(?:there|on|shown|visible)"
                    r"|^how\s+many\s+(?P<x2>.+?)$|^(?:页面上)?有(?:几|多少)个?(?P<x3>.+?)$", re.I)
_STATE = re.compile(r"^is\s+(?P<x>.+?)\s+(?P<s>checked|selected|ticked|enabled|disabled)$"
                    r"|^(?P<x2>.+?)\s*(?:是否|有没有)?(?:被)?(?P<s2>勾选|选中|禁用|可用|启用)(?:了)?(?:吗)?$", re.I)
_VALUE = re.compile(r"^what(?:'s|\s+is)\s+(?:in|typed\s+in|entered\s+in|the\s+value\s+of)\s+(?P<x>.+)$"
                    r"|^(?:在)?(?P<x2>.+?)\s*(?:中|里|里面)?(?:填|输入)?的(?:是|内容是|值是)什么$", re.I)
_VISIBLE = re.compile(r"^is\s+there\s+(?:an?\s+|any\s+)?(?P<x>.+)$"
                      r"|^(?:is|are)\s+(?P<x2>.+?)\s+(?:visible|shown|displayed|on\s+(?:the\s+)?(?:page|screen))$"
                      r"|^(?:does|do)\s+(?:the\s+)?(?:page|screen)\s+(?:show|contain|have|display)\s+(?P<x3>.+)$"
                      r"|^(?:页面上)?(?:有没有|是否有)(?P<x4>.+?)$|^(?:页面上)?有(?P<x5>.+?)吗$"
                      r"|^(?P<x6>.+?)\s*(?:是否)?(?:可见|显示|出现)(?:了)?吗?$", re.I)
_QUOTED = re.compile(rf"{_Q}[^\"'“”‘’「」『』]+{_Q}(?:\s*(?:{_KIND_RE}))?", re.I)


def _clean(q: str) -> str:
    return re.sub(r"[\s?？。.!！]+$", "", q.strip())


def _kinds_of(word: str) -> tuple[str, ...] | None:
    w = word.strip().lower()
    for pattern, kinds in KIND_WORDS:
        if re.fullmatch(pattern, w, re.I):
            return kinds
    return None


def _names(elements: list[Element]) -> str:
    names = [e.name for e in elements if e.name]
    return ", ".join(names) if names else "none"


def _heading(parse: Parse) -> list[Element]:
    """The largest text in the top part of the screen (topmost among near-equals)."""
    texts = [e for e in parse.elements if e.kind in ("text", "link") and e.text.strip()]
    if not texts:
        return []
    top = [e for e in texts if e.box[1] < 0.5 * parse.height] or texts
    tallest = max(e.box[3] - e.box[1] for e in top)
    big = [e for e in top if e.box[3] - e.box[1] >= 0.85 * tallest]
    return [min(big, key=lambda e: (e.box[1], e.box[0]))]


def answer(question: str, parse: Parse, ground: Ground) -> Answer:
    """Answer `question` from `parse`; `ground(target, kind_hint=None)` finds what a description names."""
    q = _clean(question)
    elements = list(parse.elements)

    m = _LIST.search(q)
    if m:
        kinds = _kinds_of(next(g for g in m.groups() if g))
        if kinds:
            found = [e for e in elements if e.kind in kinds]
            return Answer(question, _names(found), tuple(found))
    if _ALL_TEXT.search(q):
        # What is written: elements' own text, and the captions of checkboxes and radios (not field labels,
        # which are text elements of their own).
        found = [e for e in elements if e.text or (e.kind in ("checkbox", "radio") and e.label)]
        return Answer(question, "\n".join(e.text or e.label for e in found), tuple(found))
    if _HEADING.search(q) and len(q) <= 40 and not re.search(_Q, q):
        found = _heading(parse)
        return Answer(question, found[0].text if found else "", tuple(found))
    m = _COUNT.search(q)
    if m:
        what = next(g for g in m.groups() if g).strip()
        kinds = _kinds_of(what)
        if kinds:
            found = [e for e in elements if e.kind in kinds]
        else:
            loc = ground(what)
            found = list(loc.matches) if loc.found else []
        return Answer(question, str(len(found)), tuple(found))
    m = _STATE.search(q)
    if m:
        what = (m.group("x") or m.group("x2")).strip()
        state = (m.group("s") or m.group("s2")).lower()
        loc = ground(what)
        if not loc.found or loc.element is None:
            return Answer(question, "no (not found)", ())
        e = loc.element
        if state in ("checked", "selected", "ticked", "勾选", "选中"):
            yes = bool(e.checked)
        elif state in ("disabled", "禁用"):
            yes = bool(e.disabled)
        else:
            yes = not e.disabled
        return Answer(question, "yes" if yes else "no", (e,))
    m = _VALUE.search(q)
    if m:
        what = (m.group("x") or m.group("x2")).strip()
        loc = ground(what, kind_hint="input")
        if not loc.found or loc.element is None:
            return Answer(question, "", ())
        return Answer(question, loc.element.text, (loc.element,))
    m = _VISIBLE.search(q)
    quoted = _QUOTED.search(q)
    if m or quoted:
        what = next(g for g in m.groups() if g) if m else quoted.group(0) if quoted else ""
        loc = ground(what.strip())
        seen: tuple[Element, ...] = (loc.element,) if loc.found and loc.element is not None else ()
        return Answer(question, "yes" if seen else "no", seen)
    raise UnsupportedQuestion(
        f"the ocr backend cannot answer {question!r}: it can list buttons/links/fields, read the heading "
        "or all text, count matches, say whether something is visible, checked or disabled, and read a "
        "field's value. For free questions use a model backend: --backend glm (local GPU) or "
        "--backend openai (an OpenAI-compatible server).")
