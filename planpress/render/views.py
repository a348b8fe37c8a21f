"""View-models: what templates see, built from the model, schedule and status.

Templates never reach into the loader's output; every value here is ready to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planpress.render import format as fmt
from planpress.render import urls
from planpress.resolve.model import Milestone, Plan, Site, Task
from planpress.schedule.scheduler import Schedule, Timing
from planpress.schedule.status import Budget, ItemStatus, Status

_UNDATED = ItemStatus("undated", "no date", None)  # frozen: one serves every undated row
KIND_LABELS = {
    "action-plan": "Action plan",
    "sales-plan": "Strategic sales plan",
    "milestone-plan": "Milestone plan",
    "strategy": "Strategy",
}


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    target: str | None  # output path (+ #fragment); None renders as plain text


@dataclass(frozen=True, slots=True)
class ItemRow:
    """A task or milestone as one table row."""

    id: str
    anchor: str
    title: str
    kind: str  # task | milestone
    link: Link  # the task's row on its plan page, or the milestone's own page
    responsible: tuple[Link, ...]
    accountable: Link | None
    consulted: tuple[Link, ...]
    informed: tuple[Link, ...]
    start: str
    due: str
    due_iso: str
    end: str  # a milestone's end date, when it has one
    done: str  # the recorded completion day
    ongoing: bool
    state: ItemStatus
    budget: Budget | None
    critical: bool
    slack: int | None
    after: tuple[Link, ...]
    source: Any  # the Task or Milestone, for fields shown as written


@dataclass(frozen=True, slots=True)
class TaskColumns:
    """Which optional columns a plan's task tables have (a template reads them per table)."""

    accountable: bool
    involved: bool  # consulted or informed
    money: bool  # budget and cost


@dataclass(frozen=True, slots=True)
class ObjectiveView:
    id: str
    title: str
    description: str
    rows: tuple[ItemRow, ...]
    after: tuple[Link, ...]
    state: ItemStatus | None


class ViewBuilder:
    """Builds view-models for one build's site, schedule and status."""

    def __init__(self, site: Site, schedule: Schedule, status: Status, currency: str) -> None:
        self.site = site
        self.schedule = schedule
        self.status = status
        self.currency = currency
        self._titles: dict[str, dict[str, str]] = {}  # plan id -> item id -> title
        self._parties: dict[str, Link] = {}  # party key -> its link; pages ask thousands of times

    def party(self, key: str | None) -> Link | None:
        if key is None:
            return None
        found = self._parties.get(key)
        if found is None:
            party = self.site.parties.get(key)
            found = Link(party.name if party else key, urls.party_page(key) if party else None)
            self._parties[key] = found
        return found

    def parties(self, keys: tuple[str, ...]) -> tuple[Link, ...]:
        if not keys:  # most consulted and informed lists are empty
            return ()
        return tuple([link for link in map(self.party, keys) if link is not None])

    def plan_link(self, plan_id: str) -> Link:
        plan = self.site.plans.get(plan_id)
        if plan is None:  # hidden from this build's audience: no title, no link
            return Link("restricted plan", None)
        return Link(plan.title, urls.plan_page(plan_id))

    def item_link(self, plan_id: str, item_id: str, from_plan: str) -> Link:
        plan = self.site.plans.get(plan_id)
        if plan is None:
            return Link("restricted", None)
        title = self.item_title(plan, item_id) or item_id
        text = title if plan_id == from_plan else f"{title} ({plan.title})"
        return Link(text, f"{urls.plan_page(plan_id)}#{urls.item_anchor(item_id)}")

    def item_title(self, plan: Plan, item_id: str) -> str | None:
        """item_title(plan, item_id) from an index built once per plan (large plans ask often)."""
        titles = self._titles.get(plan.id)
        if titles is None:
            titles = self._titles[plan.id] = item_titles(plan)
        return titles.get(item_id)

    def timing(self, plan_id: str, item_id: str) -> Timing | None:
        return self.schedule.items.get((plan_id, item_id))

    def task_row(self, plan: Plan, task: Task) -> ItemRow:
        return self._row(
            plan,
            task,
            task.title,
            "task",
            task.responsible,
            task.accountable,
            task.consulted,
            task.informed,
            task.after,
        )

    def milestone_row(self, plan: Plan, milestone: Milestone) -> ItemRow:
        owner = (milestone.owner,) if milestone.owner else ()
        return self._row(
            plan, milestone, milestone.name, "milestone", owner, None, (), (), milestone.after
        )

    def _row(
        self,
        plan: Plan,
        item: Any,
        title: str,
        kind: str,
        responsible: tuple,
        accountable: str | None,
        consulted: tuple,
        informed: tuple,
        after: tuple,
    ) -> ItemRow:
        key = (plan.id, item.id)
        timing = self.schedule.items.get(key)
        return ItemRow(
            id=item.id,
            anchor=urls.item_anchor(item.id),
            title=title,
            kind=kind,
            link=Link(title, item_target(plan.id, item.id, kind)),
            responsible=self.parties(responsible),
            accountable=self.party(accountable),
            consulted=self.parties(consulted),
            informed=self.parties(informed),
            start=fmt.day(timing.start) if timing else "",
            due=fmt.day(timing.due) if timing else "",
            due_iso=timing.due.isoformat() if timing and timing.due else "",
            end=fmt.day(self.schedule.ends.get(key)),
            done=fmt.day(item.done.span.first) if item.done and item.done.span else "",
            ongoing=bool(timing and timing.ongoing),
            state=self.status.items.get(key, _UNDATED),
            budget=self.status.budgets.get(key),
            critical=bool(timing and timing.critical),
            slack=timing.slack if timing else None,
            after=tuple([self.item_link(ref.plan_id, ref.item_id, plan.id) for ref in after]),
            source=item,
        )

    def objectives(self, plan: Plan) -> tuple[ObjectiveView, ...]:
        views = [
            ObjectiveView(
                id=objective.id,
                title=objective.title,
                description=objective.description,
                rows=tuple(self.task_row(plan, task) for task in objective.tasks),
                after=tuple(self.item_link(r.plan_id, r.item_id, plan.id) for r in objective.after),
                state=self.status.items.get((plan.id, objective.id)),
            )
            for objective in plan.objectives
        ]
        if plan.tasks:
            rows = tuple(self.task_row(plan, task) for task in plan.tasks)
            views.append(ObjectiveView("", "Other tasks", "", rows, (), None))
        return tuple(views)


def item_target(plan_id: str, item_id: str, kind: str) -> str:
    if kind == "milestone":
        return urls.milestone_page(plan_id, item_id)
    return f"{urls.plan_page(plan_id)}#{urls.item_anchor(item_id)}"


def item_titles(plan: Plan) -> dict[str, str]:
    """Every item id of the plan with its title; objectives first, then tasks, then milestones."""
    titles: dict[str, str] = {}
    for objective in plan.objectives:
        titles.setdefault(objective.id, objective.title)
    for task in plan.all_tasks():
        titles.setdefault(task.id, task.title)
    for milestone in plan.milestones:
        titles.setdefault(milestone.id, milestone.name)
    return titles


def item_title(plan: Plan, item_id: str) -> str | None:
    for objective in plan.objectives:
        if objective.id == item_id:
            return objective.title
    for task in plan.all_tasks():
        if task.id == item_id:
            return task.title
    for milestone in plan.milestones:
        if milestone.id == item_id:
            return milestone.name
    return None
