"""YAML composed into a node tree that keeps lines: the loading half of the scenario reader.

Scenario files are composed (not loaded straight to Python) so that every value keeps its line, duplicate
keys are caught, and a plain scalar can be kept as the text the user wrote (`text: 0123`, `option: No`)
where a field holds text. `compose_nodes` turns PyYAML's syntax errors into one ScenarioError with a
hint for the usual mistakes (an unquoted ': ', tabs, an unclosed quote); `NodeReader` is the base the
scenario reader walks the tree with, collecting every error rather than stopping at the first.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.tokens import ScalarToken

from pagesight_errors import ScenarioError

__all__ = ["LineLoader", "compose_nodes", "NodeReader", "combine_errors"]

_NULL = "tag:yaml.org,2002:null"


class LineLoader(yaml.SafeLoader):
    """SafeLoader that, as YAML 1.2 does, lets a plain scalar inside { } hold a '?'.

    `fill: {target: What needs to be done?, text: x}` is what people write for placeholders and
    "Forgot password?" links; PyYAML (YAML 1.1) stops the scalar at '?'. `scan_plain` below is
    PyYAML's own with only that '?' dropped from the flow-context stop characters.
    """

    def scan_plain(self) -> ScalarToken:
        chunks: list[str] = []
        start_mark = self.get_mark()
        end_mark = start_mark
        indent = self.indent + 1
        spaces: list[str] = []
        while True:
            length = 0
            if self.peek() == "#":
                break
            while True:
                ch = self.peek(length)
                if ch in "\0 \t\r\n\x85\u2028\u2029" \
                        or (ch == ":" and self.peek(length + 1) in "\0 \t\r\n\x85\u2028\u2029"
                            + (",[]{}" if self.flow_level else "")) \
                        or (self.flow_level and ch in ",[]{}"):
                    break
                length += 1
            if length == 0:
                break
            self.allow_simple_key = False
            chunks.extend(spaces)
            chunks.append(self.prefix(length))
            self.forward(length)
            end_mark = self.get_mark()
            spaces = self.scan_plain_spaces(indent, start_mark) or []
            if not spaces or self.peek() == "#" or (not self.flow_level and self.column < indent):
                break
        return ScalarToken("".join(chunks), True, start_mark, end_mark)


def compose_nodes(text: str, file: str) -> Node | None:
    """The node tree of one YAML document (None for an empty one); ScenarioError for bad YAML."""
    try:
        return yaml.compose(text, Loader=LineLoader)
    except yaml.YAMLError as e:
        raise _yaml_error(e, text, file) from None


def _yaml_error(e: yaml.YAMLError, text: str, file: str) -> ScenarioError:
    mark = getattr(e, "problem_mark", None)
    problem = getattr(e, "problem", None) or str(e)
    context = getattr(e, "context", None) or ""
    if "quoted scalar" in context and getattr(e, "context_mark", None) is not None:
        mark = e.context_mark  # type: ignore[attr-defined]  # an unclosed quote: point at where it opened, not the end of the file
        problem = "a quote opened here is not closed"
    line = mark.line + 1 if mark is not None else None
    src = text.splitlines()[mark.line] if mark is not None and mark.line < len(text.splitlines()) else ""
    hint = ""
    if "mapping values are not allowed" in problem:
        hint = "a step sentence or value containing ': ' must be quoted as a whole, e.g. - 'Assert the page shows: Hi'"
    elif "'\\t'" in problem or "\t" in src[: (mark.column + 1) if mark else 0]:
        hint = "indent with spaces, not tabs"
    elif re.search(r"found character '[@`%]'", problem):
        hint = "a value cannot start with @, ` or %: quote it"
    elif "expected <block end>" in problem or "did not find expected" in problem or "expected <block" in problem:
        if re.search(r"""(?:^|[:\-]\s)\s*(["'“])[^"'“”]*["'”]\s*\S""", src):
            hint = ("a value that starts with a quote must end with it: wrap the whole value in the other "
                    "quote, e.g. click: '\"Sign in\" button'")
        else:
            hint = ("check the indentation: the steps' '-' items line up, and a step's fields are indented "
                    "under it")
    elif "expected ',' or '}'" in problem or "expected ',' or ']'" in problem:
        hint = ("inside { } or [ ], quote a value that holds ? : # , [ ] { }, e.g. "
                "{target: 'What needs to be done?', text: …}")
    elif "another document" in problem:
        hint = "one scenario per file: remove the '---'"
    where = f" at column {mark.column + 1}" if mark is not None else ""
    msg = f"bad YAML{where}: {problem}" + (f" ({hint})" if hint else "")
    return ScenarioError(msg, file, line)


def combine_errors(errors: list[ScenarioError]) -> ScenarioError:
    """One error carrying them all: `str()` is one `file:line: message` per line."""
    errors = sorted(errors, key=lambda e: (str(e.file or ""), e.line or 0))
    if len(errors) == 1:
        return errors[0]
    from agent.language.sentences import forms_once  # one listing of the sentence forms, not one per step

    first, rest = errors[0], errors[1:]
    combined = ScenarioError("\n".join(forms_once([first.message] + [str(e) for e in rest])), first.file,
                             first.line)
    combined.errors = errors  # type: ignore[attr-defined]
    return combined


class NodeReader:
    """Reads one file's node tree, collecting every error instead of stopping at the first.

    Subclasses walk their own schema; `errors` holds what they found, each pointed at its line.
    """

    def __init__(self, text: str, file: str):
        self.text, self.file = text, file
        self.errors: list[ScenarioError] = []
        self._constructor = SafeConstructor()

    def error(self, message: str, node: Node | int | None) -> None:
        line = node if isinstance(node, int) else (node.start_mark.line + 1 if node is not None else None)
        self.errors.append(ScenarioError(message, self.file, line))

    def value(self, node: Node, raw: bool = False) -> Any:
        """The Python value; `raw` keeps a plain scalar as written (`0123`, `No`) unless it is empty."""
        if isinstance(node, ScalarNode):
            if raw and not (node.tag == _NULL and node.style is None):
                return node.value
            try:
                return self._constructor.construct_object(node, deep=True)
            except (yaml.YAMLError, ValueError):  # `!tag x`, `2024-13-45`: keep the text, checks say why
                return node.value
        if isinstance(node, SequenceNode):
            return [self.value(n) for n in node.value]
        assert isinstance(node, MappingNode)
        return {k: self.value(v) for k, (_, v) in self.mapping(node).items()}

    def mapping(self, node: MappingNode) -> dict[str, tuple[Node, Node]]:
        """key -> (key node, value node); reports duplicate and non-text keys."""
        out: dict[str, tuple[Node, Node]] = {}
        for k, v in node.value:
            if not isinstance(k, ScalarNode):
                self.error("a key must be a plain word", k)
                continue
            if k.value in out:
                self.error(f"duplicate key {k.value!r} (first on line {out[k.value][0].start_mark.line + 1}); "
                           f"each key may appear once", k)
                continue
            out[k.value] = (k, v)
        return out

    def snippet(self, node: Node) -> str:
        return " ".join(self.text[node.start_mark.index:node.end_mark.index].split())[:200]
