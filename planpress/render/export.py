"""plans.json: the whole resolved model for other tools (schema documented in docs/plans-json.md).

Dates are ISO 8601 strings, people and teams are keys into the top-level
`people` object, and computed values (dates, status, health) sit beside what
the author wrote. Key order is fixed, so the file is byte-for-byte reproducible.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
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
    return data | _timing(schedule.items.get(key)) | _state(status, key)


def _milestone(plan: Plan, milestone: Milestone, schedule: Schedule, status: Status) -> dict:
    key = (plan.id, milestone.id)
    return _plain(milestone) | _timing(schedule.items.get(key)) | _state(status, key)


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


def _plain(value: Any) -> Any:
    """Dataclasses to dicts; dates as written text; source locations as 'path:line'."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, DateExpr):
        return value.text
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, SourceLoc | ItemRef):
        return str(value)
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)


def _written(expr: DateExpr | None) -> str | None:
    return expr.text if expr else None


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
