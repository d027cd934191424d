"""`${NAME}` in scenario values, taken from the environment, and hiding secrets in everything shown.

A value that came from the environment is treated as a secret: wherever a run prints or stores text
(console, index.html, results.json, junit.xml, captions drawn on images), `Secrets` replaces it with
`•••`. `$${NAME}` is a literal `${NAME}`. The real value is still what the browser gets.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["expand", "MissingVariable", "Secrets", "MASK"]

MASK = "•••"
_VAR = re.compile(r"\$(\$?)\{([^}]*)\}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class MissingVariable(ValueError):
    """`${NAME}` named a variable that is not set (or is not a variable name)."""


def expand(text: str, env: Mapping[str, str] | None = None) -> tuple[str, list[str]]:
    """`text` with every `${NAME}` replaced from `env` (default os.environ), and the values used.

    MissingVariable names the first variable that is not set."""
    env = os.environ if env is None else env
    used: list[str] = []

    def one(m: re.Match) -> str:
        if m.group(1):  # $${NAME}: written out as ${NAME}
            return "${" + m.group(2) + "}"
        name = m.group(2).strip()
        if not _NAME.match(name):
            raise MissingVariable(f"${{{m.group(2)}}} is not a variable name (letters, digits and _; "
                                  "write $${…} for a literal ${…})")
        if name not in env:
            raise MissingVariable(f"environment variable {name} is not set: set it (export {name}=…) "
                                  f"or write $${{{name}}} for a literal ${{{name}}}")
        used.append(env[name])
        return env[name]

    if "${" not in text:
        return text, used
    return _VAR.sub(one, text), used


class Secrets:
    """Replaces each secret value with `•••` in text, and in records and results (in place)."""

    def __init__(self, values: Iterable[str] = ()):
        # Longest first, so a secret that contains another is hidden whole.
        self.values = sorted({v for v in values if v and v.strip()}, key=len, reverse=True)

    def __bool__(self) -> bool:
        return bool(self.values)

    def __call__(self, text: Any) -> Any:
        if not self.values or not isinstance(text, str):
            return text
        for value in self.values:
            text = text.replace(value, MASK)
        return text

    def deep(self, data: Any) -> Any:
        """A copy of JSON-like data with every string redacted."""
        if isinstance(data, str):
            return self(data)
        if isinstance(data, list):
            return [self.deep(v) for v in data]
        if isinstance(data, dict):
            return {k: self.deep(v) for k, v in data.items()}
        return data

    def record(self, record: Any) -> Any:
        """Hide secrets in a StepRecord's texts (description, answer, error, notes, candidates)."""
        if self.values:
            record.description = self(record.description)
            record.answer = self(record.answer)
            record.error = self(record.error)
            record.notes = [self(n) for n in record.notes]
            record.candidates = self.deep(record.candidates)
        return record

    def result(self, result: Any) -> Any:
        """Hide secrets in a ScenarioResult's own texts and its steps."""
        if self.values:
            result.name, result.error, result.url = self(result.name), self(result.error), self(result.url)
            for step in result.steps:
                self.record(step)
        return result
