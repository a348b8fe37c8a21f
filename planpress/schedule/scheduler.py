"""Stage 3: calendar dates, dependencies and the critical path of every plan item.

The rules, as authors see them:

- A plan's start is its `start`. Relative dates ("week 2") count from it; in a plan without
  `start` they were already reported by resolve and are treated as missing here.
- A task's due day is the last day of its `due` ("2024-07" is due on July 31). Its start is
  its `start` (first day), else the day after its latest `after` dependency finishes, else the
  first day of a `due` naming a period ("weeks 2-4", "2024-07"), else the plan's start when it
  is not later than the due day, else the due day itself.
- `duration` without `due` ends the task `duration` after its start (the start counts as the
  first day); a task with neither `start` nor `after` then starts with the plan. `due` wins
  over `duration` when both are given.
- `due: ongoing` has no deadline: it starts at its `start` or the plan's start.
- A milestone is a point: its day is its `due`, or the day after its dependencies finish.
  Its `end` is kept apart (`Schedule.ends`); dependents wait for the milestone's day.
- An objective spans its tasks: from their earliest start to their latest due day. Depending
  on an objective means waiting until all of its tasks are done. An objective's `after` is
  inherited by its tasks that have neither `start` nor `after` (so a sales plan's objectives
  follow one another).
- An item that depends on something finishing on day F starts on F+1. A dependency without a
  date (undated or ongoing) does not move anything. Dependencies may name other plans.
- Circular dependencies are errors, one per cycle (a group of items that all wait for each
  other), reported at the item written first and showing one loop through it. Items in a
  cycle keep only their own dates. A task depending on its own objective is a cycle too.
- Warnings: an item due before a dependency finishes; a task whose `start` is after its due
  day. A task whose start would fall after its due day is drawn as starting on its due day.
- Plan dates: start is the plan's `start`, else its earliest item start; end is its `end`,
  else its latest task due day, milestone day or milestone end.
- Critical path, per plan, over its dated, not ongoing, not cancelled tasks and milestones:
  an item's slack is how many days it could finish later without pushing a dependent of the
  same plan past its own latest start or anything past the plan's end. Items with no slack
  (or negative slack) are critical; an objective's slack is the least of its tasks'. The
  critical path is the chain of critical items, linked by dependencies, that ends at the
  critical item finishing last (ties: the smaller id).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from planpress.diagnostics import Diagnostics
from planpress.resolve.model import ItemRef, Milestone, Objective, Site, Task
from planpress.schedule.dates import DateError, DateExpr, DateSpan, Duration

ItemKey = tuple[str, str]
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Timing:
    start: date | None
    due: date | None  # None when undated or ongoing-without-deadline
    ongoing: bool
    slack: int | None  # total float in days against the plan's end; None when not computable
    critical: bool


@dataclass(frozen=True, slots=True)
class PlanTiming:
    start: date | None  # plan start (explicit, else earliest item start)
    end: date | None  # plan end (explicit `end`, else latest item due)
    critical_path: tuple[str, ...]  # item ids in dependency order


@dataclass(frozen=True, slots=True)
class Schedule:
    items: dict[ItemKey, Timing]  # every task, milestone and objective
    plans: dict[str, PlanTiming]
    ends: dict[ItemKey, date] = field(default_factory=dict)  # milestones with an `end`


@dataclass(frozen=True, slots=True)
class _Node:
    item: Task | Milestone | Objective
    deps: tuple[ItemKey, ...]  # what it waits for; an objective also waits for its tasks
    members: tuple[ItemKey, ...] = ()  # an objective's tasks


def schedule_site(site: Site, diagnostics: Diagnostics) -> Schedule:
    return _Scheduler(site, diagnostics).run()


def _build_graph(site: Site) -> dict[ItemKey, _Node]:
    """Every item by key, in key order (plans in id order, each plan's items sorted)."""
    nodes: dict[ItemKey, _Node] = {}
    for plan_id in sorted(site.plans):
        plan = site.plans[plan_id]
        items: dict[ItemKey, _Node] = {}
        for objective in plan.objectives:
            members = tuple((plan_id, task.id) for task in objective.tasks)
            deps = _keys(objective.after, members)
            items[(plan_id, objective.id)] = _Node(objective, deps, members)
            for task in objective.tasks:
                # Only tasks with no timing of their own follow their objective's `after`.
                inherited = objective.after if task.start is None and not task.after else ()
                own = (plan_id, task.id)
                refs = task.after or [ref for ref in inherited if ref.key != own]
                items[own] = _Node(task, _keys(refs))
        for item in (*plan.tasks, *plan.milestones):
            items[(plan_id, item.id)] = _Node(item, _keys(item.after))
        for key in sorted(items):  # sorting each plan's few keys: the whole is sorted too
            nodes[key] = items[key]
    # Unknown targets were reported by resolve; here they constrain nothing.
    for key, node in nodes.items():
        if not all(dep in nodes for dep in node.deps):
            known = tuple(dep for dep in node.deps if dep in nodes)
            nodes[key] = _Node(node.item, known, node.members)
    return nodes


def _keys(refs: tuple[ItemRef, ...] | list[ItemRef], extra: tuple[ItemKey, ...] = ()) -> tuple:
    if not refs:  # the common case, kept cheap: large sites have tens of thousands of items
        return extra
    return tuple(sorted({ref.key for ref in refs}.union(extra)))


def _components(nodes: dict[ItemKey, _Node]) -> list[list[ItemKey]]:
    """Tarjan's strongly connected components, dependencies first (iterative: chains are long)."""
    index: dict[ItemKey, int] = {}
    low: dict[ItemKey, int] = {}
    stack: list[ItemKey] = []
    on_stack: set[ItemKey] = set()
    result: list[list[ItemKey]] = []
    work: list[tuple[ItemKey, Iterator[ItemKey]]] = []

    def visit(key: ItemKey) -> None:
        index[key] = low[key] = len(index)
        stack.append(key)
        on_stack.add(key)
        work.append((key, iter(nodes[key].deps)))

    for root in nodes:
        if root not in index:
            visit(root)
        while work:
            key, deps = work[-1]
            for dep in deps:
                if dep not in index:
                    visit(dep)
                    break
                if dep in on_stack and index[dep] < low[key]:
                    low[key] = index[dep]
            else:
                work.pop()
                if work and low[key] < low[work[-1][0]]:
                    low[work[-1][0]] = low[key]
                if low[key] == index[key]:
                    component = [stack.pop()]
                    while component[-1] != key:
                        component.append(stack.pop())
                    on_stack.difference_update(component)
                    result.append(sorted(component) if len(component) > 1 else component)
    return result


def _cycle_path(first: ItemKey, members: set[ItemKey], nodes: dict[ItemKey, _Node]) -> list:
    """The shortest walk along dependencies from first back to itself (breadth first)."""
    parent: dict[ItemKey, ItemKey] = {}
    queue = deque([first])
    while queue:
        key = queue.popleft()
        for dep in nodes[key].deps:
            if dep == first:
                path = [key]
                while path[-1] != first:
                    path.append(parent[path[-1]])
                return path[::-1]
            if dep in members and dep not in parent:
                parent[dep] = key
                queue.append(dep)
    return [first]


class _Scheduler:
    def __init__(self, site: Site, diagnostics: Diagnostics) -> None:
        self.site = site
        self.diagnostics = diagnostics
        self.nodes = _build_graph(site)
        self.plan_start = {pid: _first(site.plans[pid].start, None) for pid in sorted(site.plans)}
        self.plan_keys: dict[str, list[ItemKey]] = {pid: [] for pid in sorted(site.plans)}
        for key, node in self.nodes.items():  # sorted by _build_graph
            if not isinstance(node.item, Objective):
                self.plan_keys[key[0]].append(key)
        self.usable: dict[ItemKey, tuple[ItemKey, ...]] = {}  # deps outside the item's cycle
        self.start: dict[ItemKey, date | None] = {}
        self.due: dict[ItemKey, date | None] = {}
        self.ongoing: set[ItemKey] = set()
        self.ends: dict[ItemKey, date] = {}
        self.preds: dict[ItemKey, list[ItemKey]] = {}  # same-plan dependencies, for the CPM

    def run(self) -> Schedule:
        components = _components(self.nodes)
        for component in components:
            cyclic = len(component) > 1 or component[0] in self.nodes[component[0]].deps
            if cyclic:
                self._report_cycle(component)
                # Objectives last: they summarise tasks that share their cycle.
                component = sorted(
                    component, key=lambda k: (isinstance(self.nodes[k].item, Objective), k)
                )
            for key in component:
                self.usable[key] = () if cyclic else self.nodes[key].deps
                self._place(key, self.nodes[key])
        starts, ends = self._plan_dates()
        for key in sorted(self.ongoing):
            self.start[key] = self.start[key] or starts[key[0]]
        slack = self._slack(components, ends)
        items = {key: self._timing(key, slack) for key in self.nodes}
        plans = {
            pid: PlanTiming(starts[pid], ends[pid], self._critical_path(pid, items))
            for pid in sorted(self.site.plans)
        }
        return Schedule(items, plans, dict(sorted(self.ends.items())))

    def _place(self, key: ItemKey, node: _Node) -> None:
        plan_start, item = self.plan_start[key[0]], node.item
        if isinstance(item, Objective):
            self.due[key] = max(filter(None, map(self.due.get, node.members)), default=None)
        elif item.due is not None and item.due.is_ongoing:
            self.ongoing.add(key)
            explicit = _first(item.start, plan_start) if isinstance(item, Task) else None
            self.start[key], self.due[key] = explicit or plan_start, None
        elif isinstance(item, Task):
            self._place_task(key, item, plan_start)
        else:
            self._place_milestone(key, item, plan_start)

    def _place_task(self, key: ItemKey, task: Task, plan_start: date | None) -> None:
        latest = self._latest_finish(key)
        start_span, due_span = _span(task.start, plan_start), _span(task.due, plan_start)
        if start_span is not None:
            start: date | None = start_span.first
        elif latest is not None:
            start = _day_after(latest[0])
        elif due_span is None:
            start = plan_start if task.duration is not None else None
        elif task.due is not None and task.due.is_period:
            start = due_span.first
        else:
            start = plan_start if plan_start and plan_start <= due_span.last else due_span.last
        due = due_span.last if due_span else _duration_end(task.duration, start)
        if start and due and start > due:
            if start_span is not None:
                message = f"task '{task.id}' starts {start}, after its due date {due}"
                self.diagnostics.warning(task.loc, message, "move the start or the due date")
            start = due
        self.start[key], self.due[key] = start, due
        if due_span is not None and due is not None:
            self._check_order(key, "task", due, latest)

    def _place_milestone(self, key: ItemKey, milestone: Milestone, plan_start: date | None) -> None:
        latest = self._latest_finish(key)
        due_span = _span(milestone.due, plan_start)
        due = due_span.last if due_span else (_day_after(latest[0]) if latest else None)
        self.start[key] = self.due[key] = due
        end = _span(milestone.end, plan_start)
        if end is not None:
            self.ends[key] = end.last
        if due_span is not None and due is not None:
            self._check_order(key, "milestone", due, latest)

    def _latest_finish(self, key: ItemKey) -> tuple[date, ItemKey] | None:
        latest = None
        for dep in self.usable[key]:
            finish = self.due[dep]
            if finish is not None and (latest is None or finish > latest[0]):
                latest = (finish, dep)
        return latest

    def _check_order(
        self, key: ItemKey, kind: str, due: date, latest: tuple[date, ItemKey] | None
    ) -> None:
        if latest is not None and latest[0] > due:
            dependency = _label(latest[1], key[0])
            self.diagnostics.warning(
                self.nodes[key].item.loc,
                f"{kind} '{key[1]}' is due {due}, before its dependency '{dependency}' "
                f"finishes on {latest[0]}",
                "move the due date or the dependency",
            )

    def _report_cycle(self, component: list[ItemKey]) -> None:
        locs = {key: self.nodes[key].item.loc for key in component}
        members = sorted(component, key=lambda k: (locs[k], k))
        first = members[0]
        path = _cycle_path(first, set(component), self.nodes)
        cycle = " -> ".join(_label(key, first[0]) for key in [*path, first])
        places = [f"{_label(k, first[0])} ({locs[k].path}:{locs[k].line})" for k in members]
        hint = f"remove one 'after' to break the cycle; its items: {', '.join(places)}"
        self.diagnostics.error(locs[first], f"dependency cycle: {cycle}", hint)

    def _plan_dates(self) -> tuple[dict[str, date | None], dict[str, date | None]]:
        """Each plan's start and end: explicit, else from its tasks and milestones."""
        starts: dict[str, date | None] = {}
        ends: dict[str, date | None] = {}
        for plan_id, keys in self.plan_keys.items():
            item_starts = [self.start[k] for k in keys if self.start[k] is not None]
            starts[plan_id] = self.plan_start[plan_id] or min(item_starts, default=None)
            end = _span(self.site.plans[plan_id].end, self.plan_start[plan_id])
            finishes = [self.due[k] for k in keys if self.due[k] is not None]
            finishes += [self.ends[k] for k in keys if k in self.ends]
            ends[plan_id] = end.last if end else max(finishes, default=None)
        return starts, ends

    def _slack(self, components: list[list[ItemKey]], ends: dict[str, date | None]) -> dict:
        """Backward pass: in reversed order every item comes before its dependencies."""
        # Only dated, finite (not ongoing), still planned (not cancelled) items weigh in.
        network = {
            key
            for keys in self.plan_keys.values()
            for key in keys
            if self.start[key]
            and self.due[key]
            and getattr(self.nodes[key].item, "status", "") != "cancelled"
        }
        latest_finish: dict[ItemKey, date] = {}
        slack: dict[ItemKey, int] = {}
        for component in reversed(components):
            for key in component:
                plan_end = ends[key[0]]
                if key not in network or plan_end is None:
                    continue
                preds = self.preds[key] = self._same_plan_deps(key, network)
                start, due = self.start[key], self.due[key]
                assert start is not None and due is not None
                finish = min(latest_finish.get(key, plan_end), plan_end)
                slack[key] = (finish - due).days
                bound = finish - (due - start)  # its latest start; dependencies end a day before,
                if not isinstance(self.nodes[key].item, Milestone) and bound > date.min:
                    bound -= ONE_DAY  # except for a milestone, reached the day they finish

                for pred in preds:
                    if pred not in latest_finish or bound < latest_finish[pred]:
                        latest_finish[pred] = bound
        return slack

    def _same_plan_deps(self, key: ItemKey, network: set[ItemKey]) -> list[ItemKey]:
        """An item's dependencies in its own plan; an objective stands for its tasks."""
        preds: list[ItemKey] = []
        for dep in self.usable[key]:
            if dep[0] == key[0]:
                preds += self.nodes[dep].members or (dep,)
        return [pred for pred in preds if pred in network]

    def _timing(self, key: ItemKey, slack: dict[ItemKey, int]) -> Timing:
        members = self.nodes[key].members
        if not isinstance(self.nodes[key].item, Objective):
            item_slack = slack.get(key)
            critical = item_slack is not None and item_slack <= 0
            return Timing(self.start[key], self.due[key], key in self.ongoing, item_slack, critical)
        starts = [self.start[k] for k in members if self.start[k] is not None]
        item_slack = min((slack[k] for k in members if k in slack), default=None)
        due = self.due[key]
        ongoing = due is None and any(k in self.ongoing for k in members)
        critical = item_slack is not None and item_slack <= 0
        return Timing(min(starts, default=None), due, ongoing, item_slack, critical)

    def _critical_path(self, plan_id: str, items: dict[ItemKey, Timing]) -> tuple[str, ...]:
        def order(key: ItemKey) -> tuple[int, str]:
            due = items[key].due
            return (-due.toordinal() if due else 0, key[1])  # latest finish, then smaller id

        critical = [key for key in self.plan_keys[plan_id] if items[key].critical]
        if not critical:
            return ()
        waited_for = {p for key in critical for p in self.preds.get(key, ())}
        ends = [key for key in critical if key not in waited_for] or critical
        chain = [min(ends, key=order)]
        while preds := [p for p in self.preds.get(chain[-1], ()) if items[p].critical]:
            chain.append(min(preds, key=order))
        return tuple(key[1] for key in reversed(chain))


def _span(expr: DateExpr | None, plan_start: date | None) -> DateSpan | None:
    if expr is None:
        return None
    try:
        return expr.resolve(plan_start)
    except DateError:  # resolve already reported relative dates in plans without a start
        return None


def _first(expr: DateExpr | None, plan_start: date | None) -> date | None:
    span = _span(expr, plan_start)
    return span.first if span else None


def _duration_end(duration: Duration | None, start: date | None) -> date | None:
    if duration is None or start is None:
        return None
    try:
        return duration.end_from(start)
    except DateError:  # beyond the calendar
        return None


def _day_after(day: date) -> date:
    return day + ONE_DAY if day < date.max else day


def _label(key: ItemKey, home_plan: str) -> str:
    """An item as authors write it in `after`: plain id in its own plan, plan#id elsewhere."""
    return key[1] if key[0] == home_plan else f"{key[0]}#{key[1]}"
