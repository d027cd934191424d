"""What a run leaves behind: one record per step, one result per scenario. Reports read these.

Statuses, as a test runner's: passed, failed, skipped, flaky (failed, then passed on a retry) and
interrupted (the run was stopped while this scenario ran). `from_json` reads back what `to_json`
wrote, so `pagesight merge-reports` can rebuild a report from shards' results.json.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields
from typing import Any

__all__ = ["StepRecord", "ScenarioResult", "PASSED", "FAILED", "SKIPPED", "FLAKY", "INTERRUPTED", "OK",
           "slug"]

PASSED, FAILED, SKIPPED, FLAKY, INTERRUPTED = "passed", "failed", "skipped", "flaky", "interrupted"
OK = (PASSED, FLAKY)  # what a run's exit code 0 allows


def slug(text: str, limit: int = 40) -> str:
    """A file- and anchor-safe name: ASCII letters, digits and '-' (`06_admin_add_user_zh` ->
    `06-admin-add-user-zh`); '' when nothing is left (e.g. all Chinese)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")


@dataclass
class StepRecord:
    """One step as it ran. Image paths are relative to the report folder."""

    index: int
    description: str
    line: int = 0
    status: str = PASSED
    duration_s: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # screenshot, stability, vision, action
    before: str | None = None
    after: str | None = None
    before_url: str = ""  # the page each image shows
    after_url: str = ""
    target_box: list[int] | None = None  # screenshot pixels
    point: list[int] | None = None  # screenshot pixels
    answer: str = ""  # what the backend said (location, answer text)
    error: str = ""
    candidates: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # how each look's stillness wait ended: still, still-masked, moving-elsewhere, moving-at-target, moving
    stillness: list[str] = field(default_factory=list)
    cache: str = ""  # locator cache: hit, new, miss (grounding failed too), healed (found again); "" unused

    def add_time(self, phase: str, seconds: float) -> None:
        self.timings[phase] = self.timings.get(phase, 0.0) + seconds

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["duration_s"] = round(self.duration_s, 4)
        out["timings"] = {k: round(v, 4) for k, v in self.timings.items()}
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StepRecord:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class ScenarioResult:
    name: str
    file: str
    status: str = PASSED
    duration_s: float = 0.0
    steps: list[StepRecord] = field(default_factory=list)
    error: str = ""
    backend: str = ""
    url: str = ""
    number: int = 0  # its place in the whole run (before sharding): report names and order
    attempts: list[ScenarioResult] = field(default_factory=list)  # earlier failed tries (retries)

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    @property
    def ok(self) -> bool:
        return self.status in OK

    @property
    def key(self) -> str:
        """The scenario's anchor and image-name prefix: `03-dashboard-menu`."""
        from pathlib import Path

        name = slug(Path(self.file).stem) or slug(self.name) or "scenario"
        return f"{self.number:02d}-{name}"

    @property
    def failed_step(self) -> StepRecord | None:
        return next((s for s in self.steps if s.status in (FAILED, INTERRUPTED)), None)

    def to_json(self) -> dict[str, Any]:
        out = {"name": self.name, "file": self.file, "status": self.status, "backend": self.backend,
               "url": self.url, "duration_s": round(self.duration_s, 4), "error": self.error,
               "number": self.number, "steps": [s.to_json() for s in self.steps]}
        if self.attempts:
            out["attempts"] = [a.to_json() for a in self.attempts]
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ScenarioResult:
        names = {f.name for f in fields(cls)} - {"steps", "attempts"}
        result = cls(**{k: v for k, v in data.items() if k in names})
        result.steps = [StepRecord.from_json(s) for s in data.get("steps", [])]
        result.attempts = [cls.from_json(a) for a in data.get("attempts", [])]
        return result
