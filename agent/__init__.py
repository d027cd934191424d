"""pagesight's agent layer: steps, scenarios, the loop, the CLI, the pytest plugin.

Heavy parts load lazily, so `import agent` stays cheap on a bare install.
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

_LAZY = {"expect": ("agent.assertions", "expect"), "UI": ("agent.ui", "UI")}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'agent' has no attribute {name!r}")
