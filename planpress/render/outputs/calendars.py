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
from datetime import date
from functools import partial

from planpress.render.context import Depends, OutputFile, RenderContext, kept_part, per_file
from planpress.render.outputs import common, paths
from planpress.render.outputs.ical import Event, calendar_of, event_text, stamp_text
from planpress.resolve.model import Milestone, Plan, Task

ItemKey = tuple[str, str]
Entry = tuple[date, str, str]  # an event drawn once for every calendar: day, UID, text


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


@per_file
def calendar_files(ctx: RenderContext) -> Iterator[OutputFile]:
    """The site's calendar, each plan's and each person's and team's, each made when needed
    (an incremental build remakes only those whose plans changed)."""
    title = ctx.config.title
    events = _Events(ctx)

    def site_calendar() -> bytes:
        every = [entry for pid in ctx.site.plans for entry in events.of(pid, kept=True).values()]
        return calendar_of(title, every)

    def plan_calendar(plan: Plan) -> bytes:
        return calendar_of(f"{plan.title} · {title}", list(events.of(plan.id).values()))

    def party_calendar(key: str, name: str) -> bytes:
        own = [events.of(item[0]).get(item) for item in sorted(_party_items(ctx, key))]
        return calendar_of(f"{name} · {title}", [entry for entry in own if entry])

    yield OutputFile(paths.SITE_CALENDAR, site_calendar, Depends.SITE)
    for plan in ctx.site.plans.values():
        yield OutputFile(
            paths.plan_calendar(plan.id), partial(plan_calendar, plan), Depends.plan(plan.id)
        )
    for key, party in ctx.site.parties.items():
        yield OutputFile(
            paths.party_calendar(key), partial(party_calendar, key, party.name), Depends.party(key)
        )


class _Events:
    """Each plan's events by item, made and drawn once per process when first asked for."""

    def __init__(self, ctx: RenderContext) -> None:
        self.ctx = ctx
        self.dtstamp = stamp_text(ctx.status.today)
        self.made: dict[str, dict[ItemKey, Entry]] = {}

    def of(self, plan_id: str, kept: bool = False) -> dict[ItemKey, Entry]:
        """`kept`: also kept for the next build, as a part of the site's calendar (only that
        file asks so: a page keeps only the parts it asked for, see PlanPieces)."""
        found = self.made.get(plan_id)
        if kept:
            depends = Depends.plans((plan_id,))
            make = partial(self._make, plan_id) if found is None else lambda: found
            found = kept_part(self.ctx, paths.SITE_CALENDAR, depends, "", make)
        elif found is None:
            found = self._make(plan_id)
        self.made[plan_id] = found
        return found

    def _make(self, plan_id: str) -> dict[ItemKey, Entry]:
        plan = self.ctx.site.plans.get(plan_id)
        dated = _plan_events(self.ctx, plan) if plan is not None else ()
        return {item.key: self._entry(item.event) for item in dated}

    def _entry(self, event: Event) -> Entry:
        return event.day, event.uid, event_text(event, self.dtstamp)


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
