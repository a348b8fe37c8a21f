"""Calendars: calendar.ics for the site, one per plan, one per person and team.

Each dated task deadline and milestone is an all-day event on its scheduled day. Undated and
ongoing items have no day and are left out. A person's or team's calendar holds the tasks they
are responsible (R) or accountable (A) for and the milestones they own. Every calendar file is
written, even one with no event, so a subscription never breaks when a person's last dated item
goes away.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from planpress.render.context import RenderContext
from planpress.render.outputs import common, paths
from planpress.render.outputs.ical import Event, calendar
from planpress.resolve.model import Milestone, Plan, Task

ItemKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class _Dated:
    key: ItemKey
    event: Event


def uid(plan_id: str, item_id: str, kind: str) -> str:
    """'<plan>.<item>.<kind>@planpress', stable across builds.

    Ids may hold '.' and '/' (never '%'), so those two are percent-encoded: the three parts can
    always be told apart and two different items never share a UID.
    """
    return f"{_uid_part(plan_id)}.{_uid_part(item_id)}.{kind}@planpress"


def _uid_part(value: str) -> str:
    return value.replace(".", "%2E").replace("/", "%2F")


def calendar_files(ctx: RenderContext) -> dict[str, bytes]:
    title, today = ctx.config.title, ctx.status.today
    by_plan = {plan.id: list(_plan_events(ctx, plan)) for plan in ctx.site.plans.values()}
    events = {dated.key: dated.event for found in by_plan.values() for dated in found}
    files = {paths.SITE_CALENDAR: calendar(title, list(events.values()), today)}
    for plan in ctx.site.plans.values():
        plan_events = [dated.event for dated in by_plan[plan.id]]
        name = f"{plan.title} · {title}"
        files[paths.plan_calendar(plan.id)] = calendar(name, plan_events, today)
    for key, party in ctx.site.parties.items():
        own = _party_items(ctx, key)
        party_events = [events[item] for item in sorted(own) if item in events]
        name = f"{party.name} · {title}"
        files[paths.party_calendar(key)] = calendar(name, party_events, today)
    return files


def _party_items(ctx: RenderContext, key: str) -> set[ItemKey]:
    """Tasks the party is R or A for, and milestones it owns (recorded as R)."""
    return {
        (a.plan_id, a.item_id)
        for a in ctx.site.assignments.get(key, ())
        if a.item_kind in ("task", "milestone") and a.role in ("R", "A")
    }


def _plan_events(ctx: RenderContext, plan: Plan) -> Iterator[_Dated]:
    for task in plan.all_tasks():
        event = _task_event(ctx, plan, task)
        if event:
            yield _Dated((plan.id, task.id), event)
    for milestone in plan.milestones:
        event = _milestone_event(ctx, plan, milestone)
        if event:
            yield _Dated((plan.id, milestone.id), event)


def _task_event(ctx: RenderContext, plan: Plan, task: Task) -> Event | None:
    timing = ctx.schedule.items.get((plan.id, task.id))
    if timing is None or timing.due is None or timing.ongoing:
        return None
    details = [("Responsible", ", ".join(common.names(ctx, task.responsible)))]
    details.append(("Accountable", common.name(ctx, task.accountable)))
    return _event(
        ctx, plan, task.id, "task", timing.due, f"Due: {task.title}", details, task.status
    )


def _milestone_event(ctx: RenderContext, plan: Plan, milestone: Milestone) -> Event | None:
    timing = ctx.schedule.items.get((plan.id, milestone.id))
    if timing is None or timing.due is None or timing.ongoing:
        return None
    summary = f"Milestone: {milestone.name} ({plan.title})"
    details = [("Owner", common.name(ctx, milestone.owner))]
    return _event(ctx, plan, milestone.id, "milestone", timing.due, summary, details, "")


def _event(
    ctx: RenderContext,
    plan: Plan,
    item_id: str,
    kind: str,
    day,
    summary: str,
    details: list[tuple[str, str]],
    written_status: str,
) -> Event:
    state = ctx.status.items.get((plan.id, item_id))
    page = common.item_page(plan, item_id, kind)
    url = common.absolute_url(ctx, page)
    lines = [f"Status: {state.label}" if state else "", *(f"{k}: {v}" for k, v in details if v)]
    lines.append(f"Plan: {plan.title}")
    lines.append(f"Page: {url or common.root_href(ctx, page)}")
    return Event(
        uid=uid(plan.id, item_id, kind),
        day=day,
        summary=summary,
        description="\n".join(line for line in lines if line),
        url=url,
        cancelled=written_status == "cancelled",
        categories=("Milestone",) if kind == "milestone" else ("Task",),
    )
