"""pagesight's agent layer, the top one (it joins vision/ and browser/), in four rooms:

    agent.language    the step language: typed steps, the dict form, step sentences, scenario files
    agent.engine      the agent loop, the step handlers, the model planner, records, running scenarios
    agent.frontends   the CLI, `pagesight explore`, the pytest plugin and `ui`, `expect`, the report
    agent.bench       the grounding benchmark (DOM ground truth, the bench, its corpus and tables)

The error tree lives below every layer (`pagesight_errors`) and is re-exported here, so
`from agent import PagesightError` catches everything. Heavy parts load lazily, so `import agent`
stays cheap on a bare install.
"""

from __future__ import annotations

from typing import Any

from pagesight_errors import (
    ActionFailed,
    AssertionFailed,
    BackendError,
    BackendUnavailable,
    BrowserError,
    ElementNotFound,
    PagesightError,
    PlannerError,
    ScenarioError,
    UnsupportedQuestion,
)

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "expect",
    "UI",
    "PagesightError",
    "ScenarioError",
    "BrowserError",
    "BackendError",
    "BackendUnavailable",
    "UnsupportedQuestion",
    "ElementNotFound",
    "ActionFailed",
    "AssertionFailed",
    "PlannerError",
]

_LAZY = {"expect": ("agent.frontends.assertions", "expect"), "UI": ("agent.frontends.ui", "UI")}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'agent' has no attribute {name!r}")
