"""Scenario files: YAML in, a validated `Scenario` out; discovery and sharding of scenario files.

The YAML is composed into a node tree by agent.language.yaml_lines, so every step and field keeps its line,
duplicate keys are caught, and scalars that YAML would read as numbers or booleans (`text: 0123`,
`option: No`) stay the text the user wrote where a field holds text. The whole file is checked before
a scenario is returned, and every error found is reported, one per line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from agent.language.discovery import discover
from agent.language.env_vars import MissingVariable, Secrets, expand
from agent.language.sentences import forms_once, parse_sentence
from agent.language.step_dicts import SHORTHAND_TEXT, STEP_FIELDS, TEXT_FIELDS, step_from_dict
from agent.language.steps import Step
from agent.language.yaml_lines import NodeReader, combine_errors, compose_nodes
from pagesight_errors import ScenarioError
from vision.vocabulary import UnclosedQuote, scan_quotes

__all__ = ["Scenario", "load_scenario", "parse_scenario", "load_all", "discover", "shard", "shard_paths",
           "parse_shard", "TOP_KEYS"]

TOP_KEYS = ("name", "url", "serve", "base_url", "viewport", "device_scale_factor", "backend", "timeout",
            "retries", "mask", "steps")
MAX_RETRIES = 10


@dataclass(frozen=True)
class Scenario:
    name: str
    url: str
    steps: tuple[Step, ...]
    serve: Path | None = None  # absolute: resolved against the scenario file's folder
    base_url: str | None = None
    viewport: tuple[int, int] = (1280, 800)
    device_scale_factor: int = 1
    backend: str | None = None
    timeout: float = 10.0
    path: Path | None = None
    line: int = 0  # where `name:` is
    retries: int | None = None  # None: the run's --retries (default 0)
    secrets: tuple[str, ...] = ()  # values from ${NAME} and `secret: true`: shown as ••• (env_vars.Secrets)
    mask: tuple[Any, ...] = ()  # vision.masks.Mask: regions the stillness wait and visual checks ignore

    @property
    def step_lines(self) -> tuple[int, ...]:
        return tuple(s.line for s in self.steps)


class _Reader(NodeReader):
    """Walks one scenario file's node tree: its top-level keys, then every step."""

    def __init__(self, text: str, file: str):
        super().__init__(text, file)
        self.secrets: list[str] = []

    # -- ${NAME} from the environment: every string value, wherever it is read ----------------------
    def value(self, node: Node, raw: bool = False) -> Any:
        return self._expand(super().value(node, raw), node)

    def _expand(self, value: Any, node: Node | int) -> Any:
        if not isinstance(value, str) or "${" not in value:
            return value
        try:
            text, used = expand(value)
        except MissingVariable as e:
            self.error(str(e), node)
            return value
        self.secrets.extend(used)
        return text

    # -- steps ------------------------------------------------------------------------------------
    def step(self, node: Node) -> Step | None:
        line = node.start_mark.line + 1
        try:
            if isinstance(node, ScalarNode):
                value = self.value(node)
                if value is None:
                    raise ScenarioError("empty step: write a step after the '-'", self.file, line)
                if not isinstance(value, str):
                    raise ScenarioError(f"a step is a sentence or `key: value`, not {value!r}", self.file, line)
                try:
                    return parse_sentence(value, line, self.file)
                except ScenarioError as e:
                    raise self._comment_hint(e, node) from None
            if isinstance(node, SequenceNode):
                raise ScenarioError("a step is one item, not a list (check the '-' and the indentation)",
                                    self.file, line)
            assert isinstance(node, MappingNode)
            sentence = self._split_sentence(node)
            if sentence is not None:
                return parse_sentence(self._expand(sentence, line), line, self.file)
            return self._dict_step(node, line)
        except ScenarioError as e:
            self.errors.append(e)
            return None

    def _split_sentence(self, node: MappingNode) -> str | None:
        """The whole sentence when YAML split a plain step at a ': ' inside quotes
        (`- Assert "Status: clicked" is visible`): its key then holds a quote left open."""
        if len(node.value) != 1:
            return None
        key, value = node.value[0]
        if not (isinstance(key, ScalarNode) and isinstance(value, ScalarNode) and key.style is None
                and value.style is None and key.start_mark.line == value.end_mark.line):
            return None
        try:
            scan_quotes(key.value, strict=True)
        except UnclosedQuote:
            return self.text[node.start_mark.index:node.end_mark.index]
        return None

    def _comment_hint(self, e: ScenarioError, node: ScalarNode) -> ScenarioError:
        lines = self.text.splitlines()
        end = node.end_mark
        rest = lines[end.line][end.column:] if node.style is None and end.line < len(lines) else ""
        if rest.lstrip().startswith("#"):
            return ScenarioError(e.message + " (YAML read the ' #…' after it as a comment: quote the whole step)",
                                 e.file, e.line)
        return e

    def _dict_step(self, node: MappingNode, line: int) -> Step:
        items = self.mapping(node)
        d: dict[str, Any] = {}
        field_lines: dict[str, int] = {}
        for key, (_, vnode) in items.items():
            if len(items) == 1 and isinstance(vnode, MappingNode):
                fields = {}
                for fk, (fknode, fvnode) in self.mapping(vnode).items():
                    fields[fk] = self.value(fvnode, raw=fk in TEXT_FIELDS.get(key, ()))
                    field_lines[fk] = fknode.start_mark.line + 1
                if key == "fill" and "secret" in fields:
                    self._secret(fields, line)
                d[key] = fields
            else:
                d[key] = self.value(vnode, raw=key in SHORTHAND_TEXT and key in STEP_FIELDS)
        return step_from_dict(d, line, self.file, field_lines, source=self.snippet(node))

    def _secret(self, fields: dict[str, Any], line: int) -> None:
        """`fill: {target: T, text: "…", secret: true}`: the text is typed, and shown as •••."""
        secret = fields.pop("secret")
        if not isinstance(secret, bool):
            raise ScenarioError(f"secret must be true or false, not {secret!r}", self.file, line)
        if secret and isinstance(fields.get("text"), str):
            self.secrets.append(fields["text"])

    # -- the file ---------------------------------------------------------------------------------
    def scenario(self, root: Node, path: Path) -> Scenario | None:
        if not isinstance(root, MappingNode):
            self.error("a scenario is a mapping with name, url and steps (see SCENARIO_FORMAT.md)", root)
            return None
        items = self.mapping(root)
        suggested = set()
        for key, (knode, _) in items.items():
            if key not in TOP_KEYS:
                close = difflib.get_close_matches(key.lower(), TOP_KEYS, n=1, cutoff=0.6)
                hint = f"did you mean {close[0]!r}? " if close else ""
                if not close and key in STEP_FIELDS:
                    hint = "steps go in a list under `steps:`; "
                suggested.update(close)
                self.error(f"unknown key {key!r}; {hint}the keys are: {', '.join(TOP_KEYS)}", knode)
        top = root.start_mark.line + 1
        for key in ("name", "url", "steps"):
            if key not in items and key not in suggested:  # a misspelt key already said so
                self.error(f"missing {key!r} (a scenario needs name, url and steps)", top)
        get = {k: v for k, (_, v) in items.items()}
        name = self._text(get.get("name"), "name")
        url = self._text(get.get("url"), "url")
        if url is not None and re.search(r"\s", url):
            self.error(f"url {url!r} contains spaces; write %20 or fix the path", get["url"])
        serve = self._serve(get.get("serve"), path)
        base_url = self._text(get.get("base_url"), "base_url")
        if base_url is not None and not re.match(r"https?://\S+$", base_url):
            self.error(f"base_url must start with http:// or https://, not {base_url!r}", get["base_url"])
        if base_url is not None and serve is not None:
            self.error("serve and base_url are both set; serve picks the base URL itself: keep one",
                       get["base_url"])
        viewport = self._viewport(get.get("viewport"))
        dsf = self._choice(get.get("device_scale_factor"), "device_scale_factor", (1, 2), 1)
        backend = self._backend(get.get("backend"))
        timeout = self._timeout(get.get("timeout"))
        retries = self._retries(get.get("retries"))
        steps = self._steps(get.get("steps"))
        mask = self._mask(get.get("mask"))
        if self.errors or name is None or url is None or steps is None:
            return None
        return Scenario(name=name, url=url, steps=steps, serve=serve, base_url=base_url, viewport=viewport,
                        device_scale_factor=dsf, backend=backend, timeout=timeout, path=path,
                        line=items["name"][0].start_mark.line + 1, retries=retries,
                        secrets=tuple(dict.fromkeys(self.secrets)), mask=mask)

    def _text(self, node: Node | None, key: str) -> str | None:
        if node is None:
            return None
        value = self.value(node, raw=True)
        if not isinstance(value, str) or not value.strip():
            self.error(f"{key} must be text" + ("" if value is None else f", not {value!r}"), node)
            return None
        return value.strip()

    def _serve(self, node: Node | None, path: Path) -> Path | None:
        folder = self._text(node, "serve")
        if folder is None:
            return None
        resolved = (path.parent / folder).resolve()
        if not resolved.is_dir():
            self.error(f"serve: no such folder {resolved} (serve is relative to this file's folder)", node)
            return None
        return resolved

    def _viewport(self, node: Node | None) -> tuple[int, int]:
        if node is None:
            return (1280, 800)
        value = self.value(node)
        right = "viewport: {width: 1280, height: 800}"
        if not isinstance(value, dict) or set(value) != {"width", "height"}:
            self.error(f"viewport must be {right}, not {self.snippet(node)!r}", node)
            return (1280, 800)
        w, h = value["width"], value["height"]
        if not all(isinstance(v, int) and not isinstance(v, bool) and 100 <= v <= 10000 for v in (w, h)):
            self.error(f"viewport width and height must be whole numbers of CSS pixels (100-10000), e.g. {right}",
                       node)
            return (1280, 800)
        return (w, h)

    def _choice(self, node: Node | None, key: str, choices: tuple, default: Any) -> Any:
        if node is None:
            return default
        value = self.value(node)
        if isinstance(value, bool) or value not in choices:
            self.error(f"{key} must be {' or '.join(map(str, choices))}, not {self.snippet(node)!r}", node)
            return default
        return int(value)

    def _backend(self, node: Node | None) -> str | None:
        name = self._text(node, "backend")
        if name is None:
            return None
        from vision.backend import BACKENDS  # the one list of backend names

        if name.lower() not in BACKENDS:
            close = difflib.get_close_matches(name.lower(), list(BACKENDS), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            self.error(f"unknown backend {name!r}; {hint}choose one of: {', '.join(sorted(BACKENDS))}", node)
            return None
        return name.lower()

    def _timeout(self, node: Node | None) -> float:
        if node is None:
            return 10.0
        value = self.value(node)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 600:
            self.error(f"timeout must be a number of seconds above 0 and at most 600, not "
                       f"{self.snippet(node)!r}", node)
            return 10.0
        return float(value)

    def _retries(self, node: Node | None) -> int | None:
        if node is None:
            return None
        value = self.value(node)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_RETRIES:
            self.error(f"retries must be a whole number from 0 to {MAX_RETRIES}, not {self.snippet(node)!r}", node)
            return None
        return value

    def _mask(self, node: Node | None) -> tuple[Any, ...]:
        if node is None:
            return ()
        from pagesight_errors import TargetError
        from vision.masks import parse_masks  # the one parser of masks

        try:
            return parse_masks(self.value(node, raw=True))
        except TargetError as e:
            self.error(f"mask: {e}; e.g. mask: ['\"Last login\" text', [0, 0, 200, 40]]", node)
            return ()

    def _steps(self, node: Node | None) -> tuple[Step, ...] | None:
        if node is None:
            return None
        if not isinstance(node, SequenceNode):
            self.error("steps must be a list, one '- step' per line", node)
            return None
        if not node.value:
            self.error("steps is empty: a scenario needs at least one step", node)
            return None
        steps = [self.step(item) for item in node.value]
        return tuple(s for s in steps if s is not None)


def parse_scenario(text: str, path: str | Path = "<scenario>") -> Scenario:
    """A Scenario from YAML text; ScenarioError lists every problem found, one `file:line: …` per line."""
    path = Path(path)
    file = str(path)
    root = compose_nodes(text, file)
    if root is None:
        raise ScenarioError("empty file: a scenario needs name, url and steps", file, None)
    reader = _Reader(text, file)
    scenario = reader.scenario(root, path)
    if reader.errors or scenario is None:
        hide = Secrets(reader.secrets)  # an error that quotes a value must not show a secret either
        errors = [ScenarioError(hide(e.message), e.file, e.line) for e in reader.errors]
        raise combine_errors(errors or [ScenarioError("not a scenario", file, None)])
    return scenario


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate one scenario file."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError("no such file", str(path)) from None
    except IsADirectoryError:
        raise ScenarioError("is a folder, not a scenario file", str(path)) from None
    except UnicodeDecodeError as e:
        raise ScenarioError(f"not UTF-8 text ({e.reason} at byte {e.start}); save the file as UTF-8",
                            str(path)) from None
    return parse_scenario(text, path)


def load_all(paths: Iterable[str | Path]) -> list[Scenario]:
    """Load every file, validating all of them before returning; one ScenarioError lists every problem."""
    scenarios: list[Scenario] = []
    errors: list[ScenarioError] = []
    for p in paths:
        try:
            scenarios.append(load_scenario(p))
        except ScenarioError as e:
            errors.extend(getattr(e, "errors", [e]))
    if errors:
        if len(errors) == 1:
            raise errors[0]
        files = len({e.file for e in errors})
        combined = ScenarioError(f"{len(errors)} problems in {files} scenario file{'s' * (files > 1)}:\n"
                                 + "\n".join(forms_once([str(e) for e in errors])))
        combined.errors = errors  # type: ignore[attr-defined]
        raise combined
    return scenarios


# ---- finding and splitting files ----------------------------------------------------------------
# Finding them is agent.language.discovery (skipped folders, YAML with `steps:`, --glob): `discover`.


def parse_shard(spec: str) -> tuple[int, int]:
    """`"2/4"` -> (2, 4); ScenarioError for anything else."""
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", str(spec))
    if not m:
        raise ScenarioError(f"--shard must look like i/n (e.g. 1/4), not {spec!r}")
    i, n = int(m.group(1)), int(m.group(2))
    if n < 1 or not 1 <= i <= n:
        raise ScenarioError(f"--shard {spec}: i must be between 1 and n, and n at least 1 (e.g. 1/4 … 4/4)")
    return i, n


def shard(paths: Sequence[Path], i: int, n: int) -> list[Path]:
    """Shard i of n (1-based): every n-th file starting at the i-th; the n shards cover every file once."""
    if n < 1 or not 1 <= i <= n:
        raise ScenarioError(f"shard {i}/{n}: i must be between 1 and n")
    return list(paths)[i - 1::n]


shard_paths = shard
