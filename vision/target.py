"""Target descriptions ("the second "Add to cart" button", "'密码' 下方的 输入框") as typed values.

The language is SCENARIO_FORMAT.md's "Targets": quoted or unquoted text, a kind word before or after,
an ordinal, and a relation to another target, in English or Chinese. With quotes, everything outside
them is structure; without quotes only a leading/trailing kind word, a leading ordinal and a relation
word with text on both sides are taken as structure. Unquoted descriptions are ambiguous ("Upload
image" is a button's label, not an image; "Last name field" is not the last field), so the other
readings are kept in `Target.alternatives` and grounding takes whichever fits the screen better.
`kind_rank` says how well a kind seen on screen fits a kind asked for (a styled link for a button).
The words (kinds, quotes, numerals) are vision.vocabulary's; this module holds the grammar.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from pagesight_errors import TargetError
from vision.vocabulary import (
    EN_KIND_RE,
    EN_ORDINALS,
    ZH_KIND_RE,
    ZH_KINDS,
    UnclosedQuote,
    chinese_number,
    kind_of,
    scan_quotes,
)

__all__ = ["Target", "Relation", "RELATIONS", "FIELD_KINDS", "TOGGLE_KINDS", "parse_target", "check_description",
           "kind_rank", "family", "chinese_number"]

RELATIONS = ("below", "above", "left_of", "right_of", "near", "inside")
FIELD_KINDS = ("input", "textarea", "select")
TOGGLE_KINDS = ("checkbox", "radio")


@dataclass(frozen=True)
class Relation:
    kind: str  # one of RELATIONS
    anchor: Target


@dataclass(frozen=True)
class Target:
    """What a description names: text (visible text or label), kind, ordinal (1-based, -1 last), relation."""

    text: str
    kind: str | None = None
    ordinal: int | None = None
    relation: Relation | None = None
    source: str = field(default="", compare=False)
    alternatives: tuple[Target, ...] = field(default=(), compare=False, repr=False)

    def describe(self) -> str:
        """A readable English form, for messages."""
        parts = []
        if self.ordinal is not None:
            parts.append("last" if self.ordinal == -1 else f"#{self.ordinal}")
        if self.text:
            parts.append(f'"{self.text}"')
        if self.kind:
            parts.append(self.kind)
        if self.relation:
            parts.append(f"{self.relation.kind.replace('_', ' ')} {self.relation.anchor.describe()}")
        return " ".join(parts) or "anything"


_PH = "\ue000"  # placeholders for quoted spans: chr(0xE000 + i), one character each
_PH_CLASS = "[\ue000-\ue0ff]"

_ZH_KINDS = ZH_KINDS
_EN_KIND_RE, _ZH_KIND_RE = EN_KIND_RE, ZH_KIND_RE
_KIND_ANY = re.compile(rf"(?<![a-z0-9])(?:{_EN_KIND_RE})(?![a-z0-9])|{_ZH_KIND_RE}", re.I)
_kind_of = kind_of


_EN_ORD = EN_ORDINALS
_EN_ORD_WORDS = "|".join(_EN_ORD)
_EN_ORDINAL = re.compile(
    rf"(?<![a-z0-9])(?:the\s+)?(?:(?P<back>{_EN_ORD_WORDS}|\d+(?:st|nd|rd|th))\s+(?:to\s+|from\s+)?last"
    rf"|(?P<penult>next\s+to\s+last|penultimate)|(?P<last>last)"
    rf"|(?P<word>{_EN_ORD_WORDS})|(?P<num>\d+)(?:st|nd|rd|th))(?:\s+one)?(?![a-z0-9])", re.I)
_ZH_NUM = "0-9一二两三四五六七八九十百零〇"
_ZH_CLASSIFIER = "个项条行张位款处列件"
_ZH_ORDINAL = re.compile(rf"(?P<back>倒数)?第\s*(?P<n>[{_ZH_NUM}]+)\s*(?P<cls>[{_ZH_CLASSIFIER}])?")
_ZH_LAST = re.compile(rf"最后(?P<cls>一[{_ZH_CLASSIFIER}]|的|一)?")


def _en_number(word: str) -> int:
    word = word.lower()
    return _EN_ORD[word] if word in _EN_ORD else int(re.sub(r"\D", "", word))


def _take_ordinal(s: str, quoted: bool) -> tuple[int | None, str]:
    """Find and remove an ordinal. Unquoted English ones only at the start ("Last name" stays text)."""
    m = _ZH_ORDINAL.search(s)
    if m and (quoted or m.group("cls")):
        n = chinese_number(m.group("n"))
        if n > 0:
            return (-n if m.group("back") else n), s[:m.start()] + " " + s[m.end():]
    m = _ZH_LAST.search(s)
    if m and (quoted or m.group("cls") or s.strip() == m.group(0)):
        return -1, s[:m.start()] + " " + s[m.end():]
    m = _EN_ORDINAL.search(s)
    if m and (quoted or (not s[:m.start()].strip() and s[m.end():].strip())):
        if m.group("back"):
            n = -_en_number(m.group("back"))
        elif m.group("penult"):
            n = -2
        elif m.group("last"):
            n = -1
        else:
            n = _en_number(m.group("word") or m.group("num"))
        if n:
            return n, s[:m.start()] + " " + s[m.end():]
    return None, s


_ARTICLE = re.compile(r"^(?:the|a|an)\s+(?=\S)", re.I)
_CONNECTOR = re.compile(r"^(?:labell?ed|named|called|titled|saying|that\s+says"
                        r"|with\s+(?:the\s+)?(?:text|label)"
                        r"|标为|名为|叫做?|写着)\s*", re.I)
_EDGE_JUNK = " \t\u3000,，.。:：;；的"


def _clean(s: str) -> str:
    s = _ARTICLE.sub("", s.strip())
    s = _CONNECTOR.sub("", s)
    return s.strip(_EDGE_JUNK).strip()


def _take_kind_unquoted(s: str) -> tuple[str | None, str]:
    """A trailing (else leading) kind word of an unquoted description, and what is left."""
    m = re.search(rf"(?:^|\s)((?:{_EN_KIND_RE}))\s*$", s, re.I)
    if m and _kind_of(m.group(1)):
        return _kind_of(m.group(1)), s[:m.start()]
    for word, kind in _ZH_KINDS:
        if s.endswith(word):
            rest = s[:-len(word)]
            # "主菜单" stays text; "登录按钮" or "Sign in 按钮" loses its kind word
            if rest.endswith((" ", "\u3000", "的")) or len(rest.strip()) >= 2:
                return kind, rest
    m = re.match(rf"^((?:{_EN_KIND_RE}))\s+(?=\S)", s, re.I)
    if m and _kind_of(m.group(1)):
        return _kind_of(m.group(1)), s[m.end():]
    for word, kind in _ZH_KINDS:
        if s.startswith(word) and s[len(word):len(word) + 1] in (" ", "\u3000"):
            return kind, s[len(word):]
    return None, s


def _parse_simple(s: str, quotes: list[str], in_relation: bool) -> Target:
    phs = re.findall(_PH_CLASS, s)
    if phs:
        ordinal, rest = _take_ordinal(s, quoted=True)
        m = _KIND_ANY.search(re.sub(_PH_CLASS, " ", rest))
        kind = _kind_of(m.group(0)) if m else None
        text = " ".join(quotes[ord(p) - 0xE000].strip() for p in phs).strip()
        return Target(text, kind, ordinal)
    raw = _clean(s)
    ordinal, rest = _take_ordinal(raw, quoted=False)
    rest = _clean(rest)
    if not rest:  # "the last" / "最后一个"
        return Target("", None, ordinal)
    kind, text = _take_kind_unquoted(rest)
    text = _clean(text)
    if kind is None or not text:
        kind_alone = _kind_of(rest)
        # a bare kind word names the kind after an article/ordinal or as a relation's subject
        if kind_alone and (in_relation or ordinal is not None or raw != s.strip()):
            return Target("", kind_alone, ordinal)
        if kind_alone:
            return Target(rest, None, None, alternatives=(Target("", kind_alone),))
        text = rest
    alternatives = []
    if ordinal is not None:  # "Last name field": the ordinal word may belong to the label
        lit_kind, lit_text = _take_kind_unquoted(raw)
        alternatives.append(Target(_clean(lit_text) or raw, lit_kind))
    if kind is not None:  # "Upload image": the kind word may belong to the label
        alternatives.append(Target(raw, None))
    primary = Target(text, kind, ordinal)
    alts = tuple(dict.fromkeys(a for a in alternatives if a != primary and a.text))
    return replace(primary, alternatives=alts)


def _mask(s: str) -> tuple[str, list[str]]:
    """Replace each quoted span (vision.vocabulary's one scanner) with one placeholder character."""
    out: list[str] = []
    quotes: list[str] = []
    last = 0
    for start, end in scan_quotes(s, titles=True, limit=256):
        out.append(s[last:start] + chr(0xE000 + len(quotes)))
        quotes.append(s[start + 1:end - 1])
        last = end
    out.append(s[last:])
    return "".join(out), quotes


_EN_REL = (
    (r"(?:(?:to|on)\s+the\s+)?left\s+(?:side\s+)?of", "left_of"),
    (r"(?:(?:to|on)\s+the\s+)?right\s+(?:side\s+)?of", "right_of"),
    (r"below|beneath|underneath|under", "below"),
    (r"above", "above"),
    (r"next\s+to|close\s+to|nearby|near|beside", "near"),
    (r"inside|within", "inside"),
)
# Words that are also common in labels ("Log in", "Sign in", "Take over"): relations only before a quote.
_EN_REL_QUOTED = ((r"in", "inside"), (r"over", "above"), (r"by", "near"))
_ZH_REL_WORDS = (
    ("下方", "below"), ("下面", "below"), ("下边", "below"), ("之下", "below"), ("底下", "below"),
    ("上方", "above"), ("上面", "above"), ("上边", "above"), ("之上", "above"),
    ("左边", "left_of"), ("左侧", "left_of"), ("左方", "left_of"), ("左面", "left_of"),
    ("右边", "right_of"), ("右侧", "right_of"), ("右方", "right_of"), ("右面", "right_of"),
    ("旁边", "near"), ("附近", "near"), ("周围", "near"),
    ("里面", "inside"), ("里边", "inside"), ("之中", "inside"), ("之内", "inside"), ("当中", "inside"),
    ("里", "inside"), ("中", "inside"), ("内", "inside"),
)
_ZH_REL = dict(_ZH_REL_WORDS)
_ZH_REL_RE = re.compile(
    r"^\s*(?P<at>在|位于)?\s*(?P<anchor>.+?)\s*的?\s*(?P<rel>" + "|".join(w for w, _ in _ZH_REL_WORDS)
    + r")\s*(?P<de>的)?\s*(?P<subject>.*)$", re.S)


def _split_relation(s: str) -> tuple[str, str, str] | None:
    """(subject, relation, anchor) of a masked description, or None."""
    quoted = re.search(_PH_CLASS, s) is not None
    best: tuple[int, str, str, str] | None = None
    pats = [(rf"(?<![a-z0-9])(?:{p})(?![a-z0-9])", k) for p, k in _EN_REL]
    if quoted:
        pats += [(rf"(?<![a-z0-9]){p}(?=\s+(?:the\s+)?{_PH_CLASS})", k) for p, k in _EN_REL_QUOTED]
    for pattern, kind in pats:
        for m in re.finditer(pattern, s, re.I):
            subject, anchor = s[:m.start()], s[m.end():]
            if not anchor.strip() or (not quoted and not subject.strip()):
                continue
            if best is None or m.start() < best[0]:
                best = (m.start(), subject, kind, anchor)
            break
    if best:
        return best[1], best[2], best[3]
    zh = _ZH_REL_RE.match(s)
    if zh:
        anchor, rel = zh.group("anchor").strip(), zh.group("rel")
        anchor_quoted = re.search(_PH_CLASS + r"$", anchor) is not None
        if len(rel) == 1:  # 里/中/内 are in many labels ("在线帮助中心"): need quotes or 在…中的
            ok = anchor_quoted or bool(zh.group("at") and zh.group("de"))
        else:
            ok = bool(zh.group("at")) or anchor_quoted or bool(zh.group("de"))
        subject = zh.group("subject")
        if ok and not subject.strip() and "在" in anchor[1:]:  # "输入框在"密码"下方": subject first
            cut = anchor.rindex("在")
            subject, anchor = anchor[:cut], anchor[cut + 1:].strip()
        if anchor and ok:
            return subject, _ZH_REL[rel], anchor
    return None


def _parse(s: str, quotes: list[str], in_relation: bool = False) -> Target:
    split = _split_relation(s)
    if split is None:
        return _parse_simple(s, quotes, in_relation)
    subject, rel, anchor_s = split
    anchor = _parse(anchor_s, quotes)
    if not (anchor.text or anchor.kind):
        raise TargetError(f"the relation {rel!r} needs something to relate to")
    subject = re.sub(r"\s+(?:(?:that|which)\s+(?:is|are)|is|are|located|that's)\s*$", "", subject, flags=re.I)
    target = _parse_simple(subject, quotes, in_relation=True) if subject.strip() else Target("")
    return replace(target, relation=Relation(rel, anchor), alternatives=())


# A relation word that needs an object, last after a quoted text: `"a" left of` has lost its anchor.
_DANGLING = re.compile(r"(?<![a-z0-9])(?:(?:(?:to|on)\s+the\s+)?(?:left|right)\s+(?:side\s+)?of|next\s+to|close\s+to)"
                       r"\s*$", re.I)


def check_description(desc: str) -> None:
    """TargetError for a description as written by a user that no reader could resolve: empty, a quote
    left open, an empty quoted text, or a relation with nothing after it. Scenario steps call this when
    they are built; parse_target stays lenient, since it also reads text taken from pages."""
    if not isinstance(desc, str) or not desc.strip():
        raise TargetError("a target description must not be empty")
    try:
        spans = scan_quotes(desc, strict=True, titles=True)
    except UnclosedQuote as e:
        raise TargetError(f"{e} in {desc!r}") from None
    if any(not desc[start + 1:end - 1].strip() for start, end in spans):
        raise TargetError(f"{desc!r} has an empty quoted text: put the words to look for inside the quotes")
    tail = _DANGLING.search(desc[spans[-1][1]:]) if spans else None
    if tail:
        raise TargetError(f"the relation {' '.join(tail.group(0).split())!r} in {desc!r} needs something to "
                          f"relate to, e.g. {desc.strip()} \"Email\"")


def parse_target(desc: str) -> Target:
    """Parse a target description; TargetError (a PagesightError) when it is empty or names nothing."""
    if not isinstance(desc, str) or not desc.strip():
        raise TargetError("a target description must not be empty")
    s = unicodedata.normalize("NFKC", desc).strip()
    masked, quotes = _mask(s)
    target = _parse(masked, quotes)
    if not (target.text or target.kind or target.relation or target.ordinal is not None):
        raise TargetError(f"the target {desc!r} names nothing: give its text, kind or position")
    target = replace(target, source=desc)
    return target


# "field" in everyday speech covers every kind of field, and detectors often see a custom dropdown as one
_FAMILY = {"input": {"textarea", "select"}, "textarea": {"input"}, "select": {"input"}, "menu": {"menuitem"},
           "menuitem": {"menu", "link"}, "link": {"menuitem"}}  # (nav bar and sidebar entries are links)
_SEEN_AS = {  # what a detector or OCR often calls a thing of the asked kind
    "button": {"link", "icon", "menuitem", "tab", "image"},
    "link": {"button", "menuitem", "tab", "text"},
    "textarea": {"select"},
    "select": {"button"},
    "checkbox": {"radio", "icon"},
    "radio": {"checkbox", "icon"},
    "tab": {"button", "link", "menuitem", "text"},
    "menu": {"button", "link", "tab", "text"},
    "menuitem": {"link", "button", "tab", "text"},
    "icon": {"button", "image"},
    "image": {"icon"},
}


def kind_rank(want: str | None, have: str) -> int:
    """3 asked kind, 2 its family (or any widget when no kind is asked), 1 often seen as it, 0 other."""
    if want is None:
        return 1 if have == "text" else 2
    if have == want:
        return 3
    if want == "text":
        return 1  # the visible text of a button is still text on the screen
    if have in _FAMILY.get(want, ()):
        return 2
    return 1 if have in _SEEN_AS.get(want, ()) else 0


def family(kind: str) -> set[str]:
    """The kind and the kinds that count as the same thing when asked for by name."""
    return {kind} | _FAMILY.get(kind, set())
