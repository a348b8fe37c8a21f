"""planpress: a static site generator for plans.

Library API (the CLI is a thin layer over it):

    import planpress
    project = planpress.load_site(".")        # load, resolve, schedule; BuildFailed on errors
    result = planpress.build(".", "site")     # the whole pipeline, writing the output folder
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "BuildOptions": "planpress.pipeline",
    "BuildResult": "planpress.pipeline",
    "Project": "planpress.pipeline",
    "build": "planpress.pipeline",
    "check": "planpress.pipeline",
    "load_site": "planpress.pipeline",
    "BuildFailed": "planpress.diagnostics",
    "Diagnostic": "planpress.diagnostics",
    "PlanpressError": "planpress.diagnostics",
}
__all__ = [*sorted(_LAZY), "__version__"]


def __getattr__(name: str) -> Any:
    """Import the pipeline on first use, so `planpress --version` starts fast."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'planpress' has no attribute {name!r}")
