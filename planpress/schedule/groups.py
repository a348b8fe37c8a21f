"""Scheduling and status one group of plans at a time, so a rebuild redoes only what changed.

A group is a set of plans linked by `after` (either way, through any number of plans); most
plans are a group of their own. The scheduler and the status of a plan read nothing but the
plans of its group (and, for status, the day and `due_soon_days`), so each group's results
are a function of those, and the results of the whole site are the groups' results put
together, in the same order as schedule_site and compute_status give them. With a GroupMemo
kept between builds (`planpress watch`), a group whose plans are unchanged takes its results
from the last build.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from planpress.diagnostics import Diagnostic, Diagnostics
from planpress.resolve.model import ItemRef, Plan, Site
from planpress.resolve.references import dependency_refs
from planpress.schedule.scheduler import ItemKey, PlanTiming, Schedule, Timing, schedule_site
from planpress.schedule.status import Budget, Health, ItemStatus, KpiProgress, Status
from planpress.schedule.status import compute_status as compute_site_status


@dataclass(slots=True)
class _PlanSchedule:
    items: dict[ItemKey, Timing]
    timing: PlanTiming
    ends: dict[ItemKey, dt.date]


@dataclass(slots=True)
class _PlanStatus:
    items: dict[ItemKey, ItemStatus]
    budgets: dict[ItemKey, Budget]
    kpis: dict[ItemKey, KpiProgress]
    health: Health


@dataclass(slots=True)
class GroupMemo:
    """What the last build computed for each group, by the group's key."""

    schedules: dict[str, tuple[dict[str, _PlanSchedule], tuple[Diagnostic, ...]]] = field(
        default_factory=dict
    )
    statuses: dict[tuple[str, dt.date, int], dict[str, _PlanStatus]] = field(default_factory=dict)


class Groups:
    """The groups of one site, each with two keys that change when any of its plans does.

    `plan_keys(plan)` gives two digests of the plan's model without its prose: with source
    positions (what the schedule and its warnings depend on) and without (what the dates
    and statuses depend on: a plan's prose edited above a prose task moves the task's line,
    and changes no date).
    """

    def __init__(
        self,
        site: Site,
        plan_keys: Callable[[Plan], tuple[str, str]],
        memo: GroupMemo,
        refs_of: Callable[[Plan], list[ItemRef]] = dependency_refs,
    ) -> None:
        """`refs_of` gives dependency_refs(plan) (remembered by resolve.linking)."""
        self.site = site
        self.memo = memo
        self.groups = _groups(site.plans, refs_of)
        digests = {pid: plan_keys(plan) for pid, plan in site.plans.items()}
        self.keys = [_key(f"{pid}\0{digests[pid][0]}" for pid in g) for g in self.groups]
        self.value_keys = [_key(f"{pid}\0{digests[pid][1]}" for pid in g) for g in self.groups]
        self._schedules: dict[str, _PlanSchedule] = {}

    def plan_keys(self) -> dict[str, str]:
        """Per plan: a key of its group. A plan's dates and statuses are a function of it (and
        of the day and `due_soon_days`)."""
        pairs = zip(self.groups, self.value_keys, strict=True)
        return {pid: key for group, key in pairs for pid in group}

    def schedule(self, diagnostics: Diagnostics) -> Schedule:
        """schedule_site(site, diagnostics), group by group."""
        done = {}
        for group, key in zip(self.groups, self.keys, strict=True):
            found = self.memo.schedules.get(key)
            if found is None:
                own = Diagnostics()
                found = (_split_schedule(schedule_site(self._part(group), own)), tuple(own.items))
            done[key] = found
            self._schedules.update(found[0])
            diagnostics.extend(found[1])
        self.memo.schedules = done  # groups gone or changed are forgotten
        items: dict[ItemKey, Timing] = {}
        plans: dict[str, PlanTiming] = {}
        ends: dict[ItemKey, dt.date] = {}
        for plan_id in sorted(self.site.plans):  # schedule_site's order: by key
            part = self._schedules[plan_id]
            items.update(part.items)
            plans[plan_id] = part.timing
            ends.update(part.ends)
        return Schedule(items, plans, ends)

    def status(self, schedule: Schedule, today: dt.date, due_soon_days: int) -> Status:
        """compute_status(site, schedule, today, due_soon_days), group by group; `schedule`
        is what schedule() gave."""
        done = {}
        parts: dict[str, _PlanStatus] = {}
        for group, key in zip(self.groups, self.keys, strict=True):
            memo_key = (key, today, due_soon_days)
            found = self.memo.statuses.get(memo_key)
            if found is None:
                part = self._part(group)
                group_schedule = _schedule_of(group, self._schedules)
                found = _split_status(
                    compute_site_status(part, group_schedule, today, due_soon_days)
                )
            done[memo_key] = found
            parts.update(found)
        self.memo.statuses = done
        status = Status(today, {}, {}, {}, {})
        for plan_id in sorted(self.site.plans):  # compute_status's order: plan by plan
            part = parts[plan_id]
            status.items.update(part.items)
            status.budgets.update(part.budgets)
            status.kpis.update(part.kpis)
        for plan_id in sorted(self.site.plans):
            status.plans[plan_id] = parts[plan_id].health
        return status

    def _part(self, group: Iterable[str]) -> Site:
        return Site({pid: self.site.plans[pid] for pid in group}, {}, {})


def _groups(
    plans: dict[str, Plan], refs_of: Callable[[Plan], list[ItemRef]] = dependency_refs
) -> list[tuple[str, ...]]:
    """The plans linked by `after` refs to plans of the site, each group in id order."""
    parent = {plan_id: plan_id for plan_id in plans}

    def root(plan_id: str) -> str:
        while parent[plan_id] != plan_id:
            parent[plan_id] = parent[parent[plan_id]]
            plan_id = parent[plan_id]
        return plan_id

    for plan_id, plan in plans.items():
        for ref in refs_of(plan):
            if ref.plan_id != plan_id and ref.plan_id in parent:
                parent[root(ref.plan_id)] = root(plan_id)
    members: dict[str, list[str]] = {}
    for plan_id in sorted(plans):
        members.setdefault(root(plan_id), []).append(plan_id)
    return [tuple(group) for group in members.values()]


def _key(parts: Iterable[str]) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass") + b"\n")
    return hasher.hexdigest()


def _split_schedule(schedule: Schedule) -> dict[str, _PlanSchedule]:
    parts = {pid: _PlanSchedule({}, timing, {}) for pid, timing in schedule.plans.items()}
    for key, timing in schedule.items.items():
        parts[key[0]].items[key] = timing
    for key, end in schedule.ends.items():
        parts[key[0]].ends[key] = end
    return parts


def _schedule_of(group: Iterable[str], parts: dict[str, _PlanSchedule]) -> Schedule:
    schedule = Schedule({}, {}, {})
    for plan_id in group:
        schedule.items.update(parts[plan_id].items)
        schedule.plans[plan_id] = parts[plan_id].timing
        schedule.ends.update(parts[plan_id].ends)
    return schedule


def _split_status(status: Status) -> dict[str, _PlanStatus]:
    parts = {pid: _PlanStatus({}, {}, {}, health) for pid, health in status.plans.items()}
    for key, item in status.items.items():
        parts[key[0]].items[key] = item
    for key, budget in status.budgets.items():
        parts[key[0]].budgets[key] = budget
    for key, kpi in status.kpis.items():
        parts[key[0]].kpis[key] = kpi
    return parts
