"""Chart inputs built from the model: plan timelines, the roadmap, workloads, small charts.

The svg package draws; this module decides what is drawn, with links relative to the page.
"""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator
from datetime import date

from markupsafe import Markup

from planpress.render import format as fmt
from planpress.render import svg, urls
from planpress.render.context import Depends, RenderContext
from planpress.render.svg.drawing import Lane
from planpress.render.views import item_target
from planpress.resolve.model import KPI, Milestone, Plan, Task
from planpress.schedule.status import Health, ItemStatus

_UNKNOWN = ItemStatus("undated", "no date", None)
CONTINUED = " (continued)"  # a roadmap group that began on an earlier page
Axis = tuple[date, date, str]  # a timeline's (start, end, tick unit), see svg.axis_for
WORKLOAD_ROWS = 120  # a person's chart beyond this is unreadable; the table lists everything


class ChartBuilder:
    """Builds the charts of one page; every link is made relative to that page."""

    def __init__(self, ctx: RenderContext, page: str) -> None:
        self.ctx = ctx
        self.page = page
        self._url = ctx.url_style.linker(page)  # memoized: a chart links every item
        self._lanes: dict[str, tuple[svg.Bar, tuple[svg.Marker, ...]]] = {}  # see lane

    def href(self, target: str) -> str:
        return self._url(target)

    def state(self, plan: Plan, item: Task | Milestone) -> ItemStatus:
        return self.ctx.status.items.get((plan.id, item.id), _UNKNOWN)

    def task_bar(self, plan: Plan, task: Task, label: str | None = None) -> svg.Bar:
        timing = self.ctx.schedule.items.get((plan.id, task.id))
        status = self.state(plan, task)
        state = "blocked" if task.status == "blocked" and status.state != "done" else status.state
        names = ", ".join(self.ctx.views.party(k).text for k in task.responsible)
        detail = "; ".join(x for x in (f"Responsible: {names}" if names else "", status.label) if x)
        return svg.Bar(
            id=f"{plan.id}#{task.id}",
            label=label or task.title,
            start=timing.start if timing else None,
            end=timing.due if timing else None,
            state=state,
            href=self.href(item_target(plan.id, task.id, "task")),
            critical=bool(timing and timing.critical),
            ongoing=bool(timing and timing.ongoing),
            detail=detail,
        )

    def milestone_marker(
        self, plan: Plan, milestone: Milestone, row: str | None = None
    ) -> svg.Marker | None:
        timing = self.ctx.schedule.items.get((plan.id, milestone.id))
        if timing is None or timing.due is None:
            return None
        owner = self.ctx.views.party(milestone.owner)
        status = self.state(plan, milestone)
        detail = "; ".join(x for x in (f"Owner: {owner.text}" if owner else "", status.label) if x)
        return svg.Marker(
            id=f"{plan.id}#{milestone.id}",
            label=milestone.name,
            day=timing.due,
            state=status.state,
            href=self.href(item_target(plan.id, milestone.id, "milestone")),
            detail=detail,
            row=row,
        )

    def plan_timeline(self, plan: Plan) -> svg.Timeline:
        """Objectives as groups of task bars, milestones as diamonds, dependency arrows."""
        groups = [
            svg.Group(objective.title, tuple(self.task_bar(plan, t) for t in objective.tasks))
            for objective in plan.objectives
            if objective.tasks
        ]
        if plan.tasks:
            bars = tuple(self.task_bar(plan, t) for t in plan.tasks)
            groups.append(svg.Group("Other tasks" if groups else "Tasks", bars))
        markers = tuple(m for m in (self.milestone_marker(plan, ms) for ms in plan.milestones) if m)
        if markers:
            groups.append(svg.Group("Milestones", (), markers))
        timing = self.ctx.schedule.plans.get(plan.id)
        return svg.Timeline(
            title=f"Timeline of {plan.title}",
            groups=tuple(groups),
            links=tuple(self._links(plan)),
            today=self.ctx.status.today,
            start=timing.start if timing else None,
            end=timing.end if timing else None,
        )

    def _links(self, plan: Plan) -> Iterator[svg.Link]:
        """Arrows between items drawn in this chart; objective-level `after` is left out."""
        drawn = {t.id for t in plan.all_tasks()} | {m.id for m in plan.milestones}
        items: list[Task | Milestone] = [*plan.all_tasks(), *plan.milestones]
        for item in items:
            for ref in item.after:
                if ref.plan_id == plan.id and ref.item_id in drawn:
                    yield svg.Link(f"{plan.id}#{ref.item_id}", f"{plan.id}#{item.id}")

    def roadmap(
        self,
        plans: Iterable[Plan],
        group_by: str = "section",
        *,
        title: str = "Roadmap of all plans",
        axis: Axis | None = None,
        continued: Collection[str] = (),
    ) -> svg.Timeline:
        """Every plan as a lane from its start to its end, its milestones on the lane.

        `axis` (see roadmap_axis) draws the chart on that axis instead of its own; the
        groups named in `continued` (by lane_key) are titled as continuing an earlier page.
        """
        lanes: dict[str, list[Plan]] = {}
        for plan in plans:
            lanes.setdefault(lane_key(plan, group_by), []).append(plan)
        groups = []
        for key in sorted(lanes, key=str.casefold):
            drawn = [self.lane(plan) for plan in lanes[key]]
            bars = tuple(bar for bar, _ in drawn)
            markers = tuple(marker for _, on_lane in drawn for marker in on_lane)
            name = key.replace("/", " / ") + (CONTINUED if key in continued else "")
            groups.append(svg.Group(name, bars, markers))
        start, end, unit = axis or (None, None, None)
        return svg.Timeline(
            title,
            tuple(groups),
            today=self.ctx.status.today,
            start=start,
            end=end,
            unit=unit,
            legend=HEALTH_LEGEND,
        )

    def lane(self, plan: Plan) -> tuple[svg.Bar, tuple[svg.Marker, ...]]:
        """A plan's lane in the roadmap, and the milestones on it; made once for both views."""
        found = self._lanes.get(plan.id)
        if found is None:
            row = f"plan:{plan.id}"
            markers = (self.milestone_marker(plan, ms, row=row) for ms in plan.milestones)
            found = self._lanes[plan.id] = (self.plan_bar(plan), tuple(m for m in markers if m))
        return found

    def roadmap_axis(self, plans: Iterable[Plan]) -> Axis | None:
        """The axis the roadmap of `plans` draws by itself, without drawing it."""
        plan_timing, item_timing = self.ctx.schedule.plans.get, self.ctx.schedule.items.get
        days = []
        for plan in plans:
            if (timing := plan_timing(plan.id)) is not None:
                days.extend(d for d in (timing.start, timing.end) if d is not None)
            for ms in plan.milestones:  # the days milestone_marker draws
                if (found := item_timing((plan.id, ms.id))) is not None and found.due:
                    days.append(found.due)
        return svg.axis_for(days)

    def plan_bar(self, plan: Plan) -> svg.Bar:
        timing = self.ctx.schedule.plans.get(plan.id)
        health = self.ctx.status.plans.get(plan.id)
        state = _HEALTH_STATE.get(health.state if health else "", "upcoming")
        owner = self.ctx.views.party(plan.owner)
        words = [f"Owner: {owner.text}" if owner else "", health_words(health)]
        return svg.Bar(
            id=f"plan:{plan.id}",
            label=plan.title,
            start=timing.start if timing else None,
            end=timing.end if timing else None,
            state=state,
            href=self.href(urls.plan_page(plan.id)),
            detail="; ".join(w for w in words if w),
        )

    def workload_group(self, plan: Plan, ids: Collection[str]) -> svg.Group:
        """One plan's lane of a person's or team's open work: the tasks and milestones `ids`
        (those without a due day are left out)."""
        bars = tuple(self.task_bar(plan, t) for t in plan.all_tasks() if t.id in ids)
        owned = [ms for ms in plan.milestones if ms.id in ids]
        markers = tuple(m for ms in owned if (m := self.milestone_marker(plan, ms)))
        return svg.Group(plan.title, bars, markers)


HEALTH_LEGEND = (  # lanes are coloured by plan health, drawn with the item state colours
    ("overdue", "Off track"),
    ("due-soon", "At risk"),
    ("upcoming", "On track"),
    ("undated", "Not started"),
    ("done", "Closed"),
)
_HEALTH_STATE = {
    "off-track": "overdue",
    "at-risk": "due-soon",
    "on-track": "upcoming",
    "not-started": "undated",
    "closed": "done",
}


def health_words(health: Health | None) -> str:
    if health is None:
        return ""
    reasons = f" ({'; '.join(health.reasons)})" if health.reasons else ""
    return health.state.replace("-", " ") + reasons


def timeline_markup(timeline: svg.Timeline) -> Markup:
    return svg.render_timeline(timeline)  # Markup("") when there is nothing to draw


# kept_part(ctx, bucket, depends, extra, make), as a caller passes it (one it may count)
KeepPart = Callable[[RenderContext, str, Depends, str, Callable], object]


def kept_lane(
    keep_part: KeepPart,
    ctx: RenderContext,
    bucket: str,
    depends: Depends,
    extra: str,
    make: Callable[[], Lane],
) -> Lane:
    """A lane of a chart drawn with svg.render_timeline's `keep` (make()), kept by `watch`
    as keep_part keeps parts, its markup compressed: a chart's lanes are most of its page."""
    if not ctx.keeps_parts:
        return make()

    def packed() -> tuple[Lane, bytes]:
        lane = make()
        return dataclasses.replace(lane, markup=""), zlib.compress(lane.markup.encode(), 1)

    lane, markup = keep_part(ctx, bucket, depends, extra, packed)  # type: ignore[misc]
    return dataclasses.replace(lane, markup=zlib.decompress(markup).decode())


def lane_key(plan: Plan, group_by: str) -> str:
    """The group of a plan's lane in the roadmap: its section or its department."""
    return (plan.section if group_by == "section" else plan.department) or "Other"


def kpi_trend(ctx: RenderContext, plan: Plan, kpi: KPI) -> Markup:
    points = [(actual.period, actual.value) for actual in kpi.actuals]
    if not points:
        return Markup("")
    return svg.sparkline(points, kpi.baseline, kpi.target, kpi.name)


def budget_chart(ctx: RenderContext, plan: Plan) -> Markup:
    """Planned against actual for every task and milestone with a figure, then the total."""
    rows = []
    for item_id, title in [(t.id, t.title) for t in plan.all_tasks()] + [
        (m.id, m.name) for m in plan.milestones
    ]:
        budget = ctx.status.budgets.get((plan.id, item_id))
        if budget and (budget.planned is not None or budget.actual is not None):
            rows.append((title, budget.planned, budget.actual))
    total = ctx.status.budgets.get((plan.id, ""))
    if total and len(rows) != 1:
        rows.append(("Whole plan", total.planned, total.actual))
    if not rows:
        return Markup("")
    return svg.budget_bars(rows, f"Budget of {plan.title}: planned and actual", ctx.config.currency)


def risk_map(plan: Plan) -> Markup:
    if not plan.risks:
        return Markup("")
    cells: dict[tuple[str, str], list[str]] = {}
    for risk in plan.risks:
        cells.setdefault((risk.likelihood, risk.impact), []).append(risk.risk)
    return svg.risk_heatmap(cells, f"Risks of {plan.title} by likelihood and impact")


def timeline_rows(timeline: svg.Timeline) -> list[dict]:
    """The timeline's data as table rows, for readers who cannot see the chart."""
    return [row for group in timeline.groups for row in group_rows(group)]


def group_rows(group: svg.Group) -> list[dict]:
    """One group's rows of timeline_rows."""
    rows = []
    for bar in group.bars:
        rows.append(
            {
                "group": group.title,
                "label": bar.label,
                "start": fmt.day(bar.start),
                "end": "ongoing" if bar.ongoing else fmt.day(bar.end),
                "detail": bar.detail,
            }
        )
    for marker in group.markers:
        rows.append(
            {
                "group": group.title,
                "label": f"◆ {marker.label}",
                "start": "",
                "end": fmt.day(marker.day),
                "detail": marker.detail,
            }
        )
    return rows
