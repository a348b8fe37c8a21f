"""JSON Schemas (draft 2020-12) of planpress's JSON outputs, shipped with the package.

- plans.schema.json: plans.json, the whole build.
- plan.schema.json: json/<plan-id>.json, one plan with the people it names.

Both describe schema version 1 (see docs/plans-json.md); their $defs are the same.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

PLANS = "plans.schema.json"
PLAN = "plan.schema.json"


def load(name: str = PLANS) -> dict[str, Any]:
    """One of the schemas as a dict: load(PLANS) or load(PLAN)."""
    return json.loads(resources.files(__name__).joinpath(name).read_text(encoding="utf-8"))
