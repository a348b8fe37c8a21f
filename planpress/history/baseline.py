"""Compare a build with a baseline (the plans as they were at a git revision): pure functions.

Items are matched by plan id and item id. For every task and milestone that both sides
date, the slip is the number of days its scheduled due day moved: positive when it is due
later than in the baseline. Items and plans only one side has are added or removed. Plans
hidden from the current build (drafts, other audiences) are never reported as removed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planpress.resolve.model import Plan, Site
from planpress.schedule.scheduler import Schedule

ItemKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A resolved and scheduled site: the current build, or one at a revision."""

    site: Site
    schedule: Schedule


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """A task or milestone reduced to what a comparison looks at."""

    plan_id: str
    id: str
    kind: str  # task | milestone
    title: str
    due: dt.date | None  # the scheduled due day; None when undated or ongoing
    responsible: tuple[str, ...]  # names as people.yaml gives them (a milestone's owner)
    status: str  # a task's status ('done' once it has a done date); milestones: done | open
    done: dt.date | None

    @property
    def key(self) -> ItemKey:
        return (self.plan_id, self.id)


@dataclass(frozen=True, slots=True)
class PlanFacts:
    id: str
    title: str
    owner: str  # the owner's name, '' without one
    status: str
    source: str
    items: dict[str, ItemFacts]  # tasks, then milestones, in written order


@dataclass(frozen=True, slots=True)
class Slip:
    item: ItemFacts  # as it is now
    baseline_due: dt.date

    @property
    def due(self) -> dt.date:
        assert self.item.due is not None
        return self.item.due

    @property
    def days(self) -> int:
        return (self.due - self.baseline_due).days

    @property
    def text(self) -> str:
        return slip_text(self.days)


@dataclass(frozen=True, slots=True)
class BaselineReport:
    rev: str  # as the user wrote it: main, v1.0, HEAD~3
    slips: dict[ItemKey, Slip]  # every item whose due day moved, earlier or later
    added: tuple[ItemFacts, ...]  # new items of plans both sides have
    removed: tuple[ItemFacts, ...]  # items gone from plans both sides have
    added_plans: tuple[PlanFacts, ...]
    removed_plans: tuple[PlanFacts, ...]

    def slip(self, plan_id: str, item_id: str) -> Slip | None:
        return self.slips.get((plan_id, item_id))

    @property
    def slipped(self) -> list[Slip]:
        """Items due later than in the baseline, the biggest slip first."""
        later = [s for s in self.slips.values() if s.days > 0]
        return sorted(later, key=lambda s: (-s.days, s.item.plan_id, s.item.title, s.item.id))

    def plan_slips(self, plan_id: str) -> list[Slip]:
        """The moved items of one plan, in written order."""
        return [s for key, s in self.slips.items() if key[0] == plan_id]

    def plan_added(self, plan_id: str) -> list[ItemFacts]:
        return [item for item in self.added if item.plan_id == plan_id]

    def plan_removed(self, plan_id: str) -> list[ItemFacts]:
        return [item for item in self.removed if item.plan_id == plan_id]

    def is_new(self, plan_id: str) -> bool:
        return any(plan.id == plan_id for plan in self.added_plans)


def facts(snapshot: Snapshot) -> dict[str, PlanFacts]:
    """Every visible plan of a snapshot, by id (sorted)."""
    return {plan_id: plan_facts(snapshot, plan) for plan_id, plan in snapshot.site.plans.items()}


def plan_facts(snapshot: Snapshot, plan: Plan) -> PlanFacts:
    site, schedule = snapshot.site, snapshot.schedule

    def name(key: str | None) -> str:
        party = site.parties.get(key) if key else None
        return party.name if party else (key or "")

    def due(item_id: str) -> dt.date | None:
        timing = schedule.items.get((plan.id, item_id))
        return timing.due if timing else None

    items: dict[str, ItemFacts] = {}
    for task in plan.all_tasks():
        done = task.done.span.first if task.done and task.done.span else None
        items[task.id] = ItemFacts(
            plan.id,
            task.id,
            "task",
            task.title,
            due(task.id),
            tuple(name(k) for k in task.responsible),
            "done" if done else task.status,
            done,
        )
    for milestone in plan.milestones:
        done = milestone.done.span.first if milestone.done and milestone.done.span else None
        items.setdefault(
            milestone.id,
            ItemFacts(
                plan.id,
                milestone.id,
                "milestone",
                milestone.name,
                due(milestone.id),
                (name(milestone.owner),) if milestone.owner else (),
                "done" if done else "open",
                done,
            ),
        )
    return PlanFacts(plan.id, plan.title, name(plan.owner), plan.status, plan.source, items)


def compare(current: Snapshot, baseline: Snapshot, rev: str) -> BaselineReport:
    now, then = facts(current), facts(baseline)
    slips: dict[ItemKey, Slip] = {}
    added: list[ItemFacts] = []
    removed: list[ItemFacts] = []
    for plan_id, plan in now.items():
        old = then.get(plan_id)
        if old is None:
            continue
        for item_id, item in plan.items.items():
            before = old.items.get(item_id)
            if before is None:
                added.append(item)
            elif item.due and before.due and item.due != before.due:
                slips[item.key] = Slip(item, before.due)
        removed += [item for item_id, item in old.items.items() if item_id not in plan.items]
    hidden = current.site.hidden
    return BaselineReport(
        rev=rev,
        slips=slips,
        added=tuple(added),
        removed=tuple(removed),
        added_plans=tuple(plan for plan_id, plan in now.items() if plan_id not in then),
        removed_plans=tuple(
            plan for plan_id, plan in then.items() if plan_id not in now and plan_id not in hidden
        ),
    )


def slip_text(days: int) -> str:
    """+7 days, -1 day, on the same day."""
    if days == 0:
        return "no change"
    unit = "day" if abs(days) == 1 else "days"
    return f"{days:+d} {unit}"
