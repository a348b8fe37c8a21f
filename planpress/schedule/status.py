"""Stage 3: where every item, budget, KPI and plan stands on the build's `today`.

Items (tasks and milestones):

- cancelled: a task with `status: cancelled`.
- done: a task with `status: done` or a `done` date; a milestone with a `done` date. With a
  `done` date and a due day it is "done on time" (done on or before the due day) or
  "done-late" ("done 3 days late"); otherwise just "done".
- ongoing: `due: ongoing`.  undated: no due day ("no date").
- overdue: the due day has passed ("overdue by 5 days").
- due-soon: due today ("due today") or within `due_soon_days` days ("due in 4 days").
- upcoming: due later ("due in 41 days").

An objective is done when all its tasks are (cancelled tasks aside); otherwise it takes the
most pressing state of its tasks, in this order: overdue (the most days first), due-soon,
upcoming (the soonest first), ongoing, undated, done-late, done, cancelled.

Budgets: planned is `budget`, actual is `cost`; over budget when actual exceeds planned. A
plan's total planned is its `budget`, else the sum of its tasks' and milestones' budgets; its
actual is the sum of their costs.

KPIs: progress is how far the latest actual has moved from baseline to target (0.4 = 40%
of the way; a KPI going down works the same since its target is below its baseline); it is
reached at 100%. Expected progress is the share of the plan's period (start to end) elapsed
at today.

Plan health, checked in this order:

1. closed: the plan's status is done or cancelled.
2. not-started: the plan is draft or proposed, or today is before the plan's start.
3. off-track when any of: a milestone is overdue; a critical task (no slack, see the
   scheduler) is overdue; a task is overdue by more than 14 days; the plan's total cost is
   more than 10% over its planned budget.
4. at-risk when any of: a task is overdue; a task is blocked; the plan is over budget by any
   amount; a KPI's progress is more than 25 points behind the time elapsed (40% of the way
   to target with 70% of the time gone); a milestone is due soon while one of its
   dependencies is not done.
5. on-track otherwise.

The reasons list one sentence per condition met, off-track ones first ("1 milestone
overdue", "3 tasks overdue", "over budget by 12%"). Plans on hold are judged the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from planpress.resolve.model import KPI, Milestone, Plan, Site, Task
from planpress.schedule.dates import DateExpr
from planpress.schedule.scheduler import PlanTiming, Schedule, Timing

ItemKey = tuple[str, str]
OVERDUE_LIMIT_DAYS = 14  # overdue longer than this puts a plan off-track
BUDGET_LIMIT_PCT = 10.0  # over budget by more than this puts a plan off-track
KPI_LAG = 0.25  # KPI progress this far behind elapsed time puts a plan at risk
DONE_STATES = frozenset({"done", "done-late", "cancelled"})
_RANK = ("overdue", "due-soon", "upcoming", "ongoing", "undated", "done-late", "done")
_RANK += ("cancelled",)
_CLOSED = {"done": "the plan is done", "cancelled": "the plan was cancelled"}
_NOT_STARTED = {"draft": "the plan is a draft", "proposed": "the plan is proposed"}


@dataclass(frozen=True, slots=True)
class ItemStatus:
    state: str  # done | done-late | overdue | due-soon | upcoming | ongoing | cancelled | undated
    label: str  # human text: "done 3 days late", "due in 4 days", "no date"
    days: int | None  # days late / overdue / until due


_UNDATED = ItemStatus("undated", "no date", None)


@dataclass(frozen=True, slots=True)
class Budget:
    planned: float | None
    actual: float | None
    variance: float | None  # actual - planned
    variance_pct: float | None  # variance / planned * 100
    over: bool


@dataclass(frozen=True, slots=True)
class KpiProgress:
    latest_period: str | None
    latest: float | None
    progress: float | None  # fraction of the way from baseline to target (<0 or >1 possible)
    reached: bool
    expected: float | None  # fraction of the plan period elapsed at today (0..1)


@dataclass(frozen=True, slots=True)
class Health:
    state: str  # on-track | at-risk | off-track | not-started | closed
    reasons: tuple[str, ...]  # one sentence per condition met


@dataclass(frozen=True, slots=True)
class Status:
    today: date
    items: dict[ItemKey, ItemStatus]  # tasks, milestones and objectives
    budgets: dict[ItemKey, Budget]  # items with a budget or cost; (plan_id, "") for the total
    kpis: dict[ItemKey, KpiProgress]  # (plan_id, kpi_id)
    plans: dict[str, Health]


def compute_status(site: Site, schedule: Schedule, today: date, due_soon_days: int = 14) -> Status:
    items: dict[ItemKey, ItemStatus] = {}
    budgets: dict[ItemKey, Budget] = {}
    kpis: dict[ItemKey, KpiProgress] = {}
    for plan_id in sorted(site.plans):
        plan = site.plans[plan_id]
        items.update(_item_statuses(plan, schedule, today, due_soon_days))
        budgets.update(_budgets(plan))
        expected = _elapsed(schedule.plans.get(plan_id), today)
        kpis.update({(plan_id, kpi.id): _kpi_progress(kpi, expected) for kpi in plan.kpis})
    status = Status(today, items, budgets, kpis, {})
    # Health looks at dependencies in other plans, so it waits until every item is known.
    for plan_id in sorted(site.plans):
        status.plans[plan_id] = _health(site.plans[plan_id], schedule, status)
    return status


# --- items --------------------------------------------------------------------------------


def _item_statuses(
    plan: Plan, schedule: Schedule, today: date, soon: int
) -> dict[ItemKey, ItemStatus]:
    found: dict[ItemKey, ItemStatus] = {}
    for task in plan.all_tasks():
        timing = schedule.items.get((plan.id, task.id))
        found[(plan.id, task.id)] = _task_status(task, timing, today, soon)
    for milestone in plan.milestones:
        timing = schedule.items.get((plan.id, milestone.id))
        found[(plan.id, milestone.id)] = _milestone_status(milestone, timing, today, soon)
    for objective in plan.objectives:
        tasks = [found[(plan.id, task.id)] for task in objective.tasks]
        found[(plan.id, objective.id)] = min(tasks, key=_severity, default=_UNDATED)
    return dict(sorted(found.items()))


def _task_status(task: Task, timing: Timing | None, today: date, soon: int) -> ItemStatus:
    if task.status == "cancelled":
        return ItemStatus("cancelled", "cancelled", None)
    if task.status == "done" or task.done is not None:
        return _done_status(_day(task.done), timing)
    return _open_status(timing, today, soon)


def _milestone_status(
    milestone: Milestone, timing: Timing | None, today: date, soon: int
) -> ItemStatus:
    if milestone.done is not None:
        return _done_status(_day(milestone.done), timing)
    return _open_status(timing, today, soon)


def _done_status(done: date | None, timing: Timing | None) -> ItemStatus:
    due = timing.due if timing else None
    if done is None or due is None:
        return ItemStatus("done", "done", None)
    late = (done - due).days
    if late <= 0:
        return ItemStatus("done", "done on time", 0)
    return ItemStatus("done-late", f"done {_days(late)} late", late)


def _open_status(timing: Timing | None, today: date, soon: int) -> ItemStatus:
    if timing is not None and timing.ongoing:
        return ItemStatus("ongoing", "ongoing", None)
    if timing is None or timing.due is None:
        return _UNDATED
    days = (timing.due - today).days
    if days < 0:
        return ItemStatus("overdue", f"overdue by {_days(-days)}", -days)
    if days == 0:
        return ItemStatus("due-soon", "due today", 0)
    if days <= soon:
        return ItemStatus("due-soon", f"due in {_days(days)}", days)
    return ItemStatus("upcoming", f"due in {days} days", days)


def _severity(status: ItemStatus) -> tuple[int, int]:
    """Sort key, most pressing first: the longest overdue or late, the soonest due."""
    days = status.days or 0
    return (_RANK.index(status.state), -days if status.state in ("overdue", "done-late") else days)


def _day(expr: DateExpr | None) -> date | None:
    return expr.span.first if expr is not None and expr.span is not None else None


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


# --- budgets and KPIs ---------------------------------------------------------------------


def _budgets(plan: Plan) -> dict[ItemKey, Budget]:
    found: dict[ItemKey, Budget] = {}
    items: list[Task | Milestone] = [*plan.all_tasks(), *plan.milestones]
    for item in items:
        if item.budget is not None or item.cost is not None:
            found[(plan.id, item.id)] = _budget(item.budget, item.cost)
    budgets = [item.budget for item in items if item.budget is not None]
    costs = [item.cost for item in items if item.cost is not None]
    planned = plan.budget if plan.budget is not None else (sum(budgets) if budgets else None)
    actual = sum(costs) if costs else None
    if planned is not None or actual is not None:
        found[(plan.id, "")] = _budget(planned, actual)
    return dict(sorted(found.items()))


def _budget(planned: float | None, actual: float | None) -> Budget:
    if planned is None or actual is None:
        return Budget(planned, actual, None, None, False)
    variance = actual - planned
    pct = variance / planned * 100 if planned else None
    return Budget(planned, actual, variance, pct, variance > 0)


def _kpi_progress(kpi: KPI, expected: float | None) -> KpiProgress:
    last = kpi.actuals[-1] if kpi.actuals else None
    latest = last.value if last else None
    baseline, target = kpi.baseline, kpi.target
    progress = None
    if latest is not None and baseline is not None and target is not None and target != baseline:
        progress = (latest - baseline) / (target - baseline)
    if progress is not None:
        reached = progress >= 1
    elif latest is not None and target is not None:  # no baseline: compare with the target
        reached = latest >= target if kpi.direction == "up" else latest <= target
    else:
        reached = False
    return KpiProgress(last.period if last else None, latest, progress, reached, expected)


def _elapsed(timing: PlanTiming | None, today: date) -> float | None:
    if timing is None or timing.start is None or timing.end is None:
        return None
    total = (timing.end - timing.start).days
    if total <= 0:
        return 1.0 if today >= timing.start else 0.0
    return min(1.0, max(0.0, (today - timing.start).days / total))


# --- plan health --------------------------------------------------------------------------


def _health(plan: Plan, schedule: Schedule, status: Status) -> Health:
    if plan.status in _CLOSED:
        return Health("closed", (_CLOSED[plan.status],))
    if plan.status in _NOT_STARTED:
        return Health("not-started", (_NOT_STARTED[plan.status],))
    timing = schedule.plans.get(plan.id)
    if timing is not None and timing.start is not None and status.today < timing.start:
        return Health("not-started", (f"the plan starts on {timing.start.isoformat()}",))
    off_track = _off_track(plan, schedule, status)
    at_risk = _at_risk(plan, status)
    if off_track:
        return Health("off-track", tuple(dict.fromkeys(off_track + at_risk)))
    return Health("at-risk", tuple(at_risk)) if at_risk else Health("on-track", ())


def _off_track(plan: Plan, schedule: Schedule, status: Status) -> list[str]:
    overdue = _overdue_tasks(plan, status)
    critical = [t for t in overdue if _timing_critical(schedule, (plan.id, t.id))]
    late = [t for t in overdue if (status.items[(plan.id, t.id)].days or 0) > OVERDUE_LIMIT_DAYS]
    milestones = [m for m in plan.milestones if status.items[(plan.id, m.id)].state == "overdue"]
    reasons = [
        _count(len(milestones), "milestone", "overdue"),
        _count(len(critical), "overdue task", "on the critical path"),
        _count(len(late), "task", f"overdue by more than {OVERDUE_LIMIT_DAYS} days"),
    ]
    over = _over_budget_pct(status.budgets.get((plan.id, "")))
    if over is not None and over > BUDGET_LIMIT_PCT:
        reasons.append(_over_budget(over))
    return [reason for reason in reasons if reason]


def _at_risk(plan: Plan, status: Status) -> list[str]:
    blocked = [t for t in plan.all_tasks() if t.status == "blocked"]
    reasons = [
        _count(len(_overdue_tasks(plan, status)), "task", "overdue"),
        _count(len(blocked), "task", "blocked"),
    ]
    over = _over_budget_pct(status.budgets.get((plan.id, "")))
    if over is not None:
        reasons.append(_over_budget(over))
    for kpi in plan.kpis:
        progress = status.kpis[(plan.id, kpi.id)]
        if _behind(progress):
            reasons.append(
                f"KPI '{kpi.name}' behind schedule ({progress.progress:.0%} of target reached, "
                f"{progress.expected:.0%} of time elapsed)"
            )
    waiting = [m for m in plan.milestones if _waiting(plan.id, m, status)]
    reasons.append(_count(len(waiting), "milestone", "due soon with dependencies not done"))
    return [reason for reason in reasons if reason]


def _overdue_tasks(plan: Plan, status: Status) -> list[Task]:
    return [t for t in plan.all_tasks() if status.items[(plan.id, t.id)].state == "overdue"]


def _timing_critical(schedule: Schedule, key: ItemKey) -> bool:
    timing = schedule.items.get(key)
    return timing is not None and timing.critical


def _over_budget_pct(budget: Budget | None) -> float | None:
    """How far over budget in percent; infinite when nothing was planned; None when not over."""
    if budget is None or not budget.over:
        return None
    return budget.variance_pct if budget.variance_pct is not None else math.inf


def _over_budget(pct: float) -> str:
    return "over budget" if math.isinf(pct) else f"over budget by {pct:.0f}%"


def _behind(progress: KpiProgress) -> bool:
    if progress.progress is None or progress.expected is None or progress.reached:
        return False
    return progress.progress < progress.expected - KPI_LAG


def _waiting(plan_id: str, milestone: Milestone, status: Status) -> bool:
    """A milestone due soon while one of its dependencies is still open."""
    if status.items[(plan_id, milestone.id)].state != "due-soon":
        return False
    deps = [status.items.get(ref.key) for ref in milestone.after]
    return any(dep is not None and dep.state not in DONE_STATES for dep in deps)


def _count(count: int, noun: str, what: str) -> str:
    """'1 task overdue', '3 tasks overdue', or '' for none."""
    if not count:
        return ""
    return f"{count} {noun}{'' if count == 1 else 's'} {what}"
