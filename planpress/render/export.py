"""plans.json: the whole resolved model for other tools (schema documented in docs/plans-json.md).

Dates are ISO 8601 strings, people and teams are keys into the top-level
`people` object, and computed values (dates, status, health) sit beside what
the author wrote. Key order is fixed, so the file is byte-for-byte reproducible.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, is_dataclass
from operator import attrgetter, methodcaller
from typing import Any

from planpress.diagnostics import SourceLoc
from planpress.resolve.model import ItemRef, Milestone, Party, Plan, Site, Task, Team
from planpress.schedule.dates import DateExpr
from planpress.schedule.scheduler import Schedule, Timing
from planpress.schedule.status import Status

SCHEMA_VERSION = 1


def plans_json(site: Site, schedule: Schedule, status: Status, version: str) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": f"planpress {version}",
        "today": status.today.isoformat(),
        "plans": [_plan(plan, site, schedule, status) for plan in site.plans.values()],
        "people": {key: _party(party) for key, party in site.parties.items()},
    }


def plan_document(plan: Plan, site: Site, schedule: Schedule, status: Status) -> dict[str, Any]:
    """One plan as it appears in plans.json's `plans`."""
    return _plan(plan, site, schedule, status)


def party_document(party: Party) -> dict[str, Any]:
    """One person or team as it appears in plans.json's `people`."""
    return _party(party)


def _plan(plan: Plan, site: Site, schedule: Schedule, status: Status) -> dict[str, Any]:
    timing = schedule.plans.get(plan.id)
    health = status.plans.get(plan.id)
    budget = status.budgets.get((plan.id, ""))
    return {
        "id": plan.id,
        "title": plan.title,
        "kind": plan.kind,
        "status": plan.status,
        "owner": plan.owner,
        "source": plan.source,
        "section": plan.section,
        "start": _iso(timing.start if timing else None),
        "end": _iso(timing.end if timing else None),
        "start_written": _written(plan.start),
        "end_written": _written(plan.end),
        "health": {"state": health.state, "reasons": list(health.reasons)} if health else None,
        "critical_path": list(timing.critical_path) if timing else [],
        "goal": _plain(plan.goal),
        "supports": list(plan.supports),
        "supported_by": list(site.supported_by.get(plan.id, ())),
        "referenced_by": list(site.referenced_by.get(plan.id, ())),
        "department": plan.department,
        "tags": list(plan.tags),
        "audience": list(plan.audience),
        "budget": _plain(budget),
        "summary": plan.summary,
        "objectives": [
            {
                "id": o.id,
                "title": o.title,
                "description": o.description,
                "after": [str(ref) for ref in o.after],
                **_timing(schedule.items.get((plan.id, o.id))),
                "tasks": [_task(plan, t, schedule, status) for t in o.tasks],
            }
            for o in plan.objectives
        ],
        "tasks": [_task(plan, t, schedule, status) for t in plan.tasks],
        "milestones": [_milestone(plan, m, schedule, status) for m in plan.milestones],
        "kpis": [
            {**_plain(k), "progress": _plain(status.kpis.get((plan.id, k.id)))} for k in plan.kpis
        ],
        "risks": [_plain(r) for r in plan.risks],
        "communication": [_plain(c) for c in plan.communication],
        "resources": [_plain(r) for r in plan.resources],
        "reviews": [_plain(r) for r in plan.reviews],
        "sales": _plain(plan.sales),
        "extra": plan.extra,
    }


def _task(plan: Plan, task: Task, schedule: Schedule, status: Status) -> dict[str, Any]:
    key = (plan.id, task.id)
    data = _plain(task)
    data.pop("objective_id")
    data.update(_timing(schedule.items.get(key)))
    data.update(_state(status, key))
    return data


def _milestone(plan: Plan, milestone: Milestone, schedule: Schedule, status: Status) -> dict:
    key = (plan.id, milestone.id)
    data = _plain(milestone)
    data.update(_timing(schedule.items.get(key)))
    data.update(_state(status, key))
    return data


def _timing(timing: Timing | None) -> dict[str, Any]:
    if timing is None:
        return {"scheduled_start": None, "scheduled_due": None}
    return {
        "scheduled_start": _iso(timing.start),
        "scheduled_due": _iso(timing.due),
        "ongoing": timing.ongoing,
        "slack_days": timing.slack,
        "critical": timing.critical,
    }


def _state(status: Status, key: tuple[str, str]) -> dict[str, Any]:
    item = status.items.get(key)
    budget = status.budgets.get(key)
    return {"state": _plain(item), "budget_status": _plain(budget)}


def _party(party: Party) -> dict[str, Any]:
    data = _plain(party)
    data["kind"] = "team" if isinstance(party, Team) else "person"
    return data


_SCALARS = frozenset({type(None), str, int, float, bool})  # as they are in JSON
_CONVERTERS: dict[type, Callable[[Any], Any]] = {}  # how _plain converts each other type


def _plain(value: Any) -> Any:
    """Dataclasses to dicts; dates as written text; source locations as 'path:line'.

    A site has hundreds of thousands of values: how each type converts is worked out once
    (_converter), not value by value.
    """
    kind = type(value)
    if kind in _SCALARS:
        return value
    convert = _CONVERTERS.get(kind)
    if convert is None:
        convert = _CONVERTERS[kind] = _converter(value)
    return convert(value)


def _converter(value: Any) -> Callable[[Any], Any]:
    """How _plain converts values of this one's type (the first rule that matches)."""
    if isinstance(value, str | int | float | bool):  # subclasses, such as enums
        return _same
    if isinstance(value, DateExpr):
        return attrgetter("text")
    if hasattr(value, "isoformat"):
        return methodcaller("isoformat")
    if isinstance(value, SourceLoc | ItemRef):
        return str
    if is_dataclass(value):
        return _fields_converter(tuple(f.name for f in fields(value)))
    if isinstance(value, dict):
        return _mapping
    if isinstance(value, list | tuple):
        return _sequence
    return str


def _fields_converter(names: tuple[str, ...]) -> Callable[[Any], dict[str, Any]]:
    if len(names) > 1:
        values = attrgetter(*names)  # all of them in one call
    else:  # attrgetter of one name gives the value itself, of none fails
        values = lambda obj: tuple(getattr(obj, name) for name in names)  # noqa: E731
    scalars = _SCALARS

    def convert(obj: Any) -> dict[str, Any]:
        return {
            name: value if type(value) in scalars else _plain(value)
            for name, value in zip(names, values(obj), strict=True)
        }

    return convert


def _same(value: Any) -> Any:
    return value


def _mapping(value: dict) -> dict[str, Any]:
    if not value:  # most `extra`s
        return {}
    return {str(k): v if type(v) in _SCALARS else _plain(v) for k, v in value.items()}


def _sequence(value: list | tuple) -> list[Any]:
    if not value:  # most lists of people and dependencies
        return []
    return [v if type(v) in _SCALARS else _plain(v) for v in value]


def _written(expr: DateExpr | None) -> str | None:
    return expr.text if expr else None


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
