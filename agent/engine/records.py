"""What a run leaves behind: one record per step, one result per scenario. Reports read these."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["StepRecord", "ScenarioResult", "PASSED", "FAILED", "SKIPPED"]

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"


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

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    @property
    def failed_step(self) -> StepRecord | None:
        return next((s for s in self.steps if s.status == FAILED), None)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "file": self.file, "status": self.status, "backend": self.backend,
                "url": self.url, "duration_s": round(self.duration_s, 4), "error": self.error,
                "steps": [s.to_json() for s in self.steps]}
