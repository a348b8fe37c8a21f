"""The portfolio dashboard: health, what is late, what is due, money, KPIs, strategy tree."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import overload

from markupsafe import Markup

from planpress.render import format as fmt
from planpress.render import urls
from planpress.render.context import Depends, Page, RenderContext, kept_part
from planpress.render.history import baseline_summary
from planpress.render.pages.capped import Later, capped
from planpress.render.pages.cells import Cells
from planpress.render.pages.common import plan_summary, section_title
from planpress.render.pages.sections import sections, tags
from planpress.render.pages.strategy import StrategyTree
from planpress.render.views import ItemRow, Link, item_target
from planpress.resolve.model import KPI, PLAN_STATUSES, Milestone, Plan, Task
from planpress.schedule.status import Budget, ItemStatus, KpiProgress

HEALTH_ORDER = ("off-track", "at-risk", "on-track", "not-started", "closed")
UPCOMING_DAYS = 30
_UNDATED = ItemStatus("undated", "no date", None)  # an item without a status, as ItemRow


def pages(ctx: RenderContext) -> Iterator[Page]:
    yield Page(urls.INDEX, "index.html", make=partial(home_context, ctx), depends=Depends.SITE)


def home_context(ctx: RenderContext) -> dict:
    size = ctx.config.page_size
    plans = list(ctx.site.plans.values())
    cells = Cells(ctx.url_style, urls.INDEX)
    horizon = ctx.status.today + dt.timedelta(days=UPCOMING_DAYS)
    overdue, upcoming, over_budget = _dashboard_items(ctx, horizon)
    draw = partial(_drawn, ctx, cells)
    summary = partial(plan_summary, ctx)
    rank = partial(_health_rank, ctx)
    budgets, kpis = plan_budgets(ctx), plan_kpis(ctx)
    budget_row, kpi_row = partial(_plan_budget, ctx, cells), partial(_kpi_row, ctx, cells)
    tree = StrategyTree(ctx, cells)
    by_due = Later(partial(sorted, overdue, key=_due), len(overdue))
    soonest = Later(partial(sorted, upcoming, key=_due), len(upcoming))
    context = {
        "title": ctx.config.title,
        # the full lists, made only if a template reads them; the default theme shows the top_*
        "plans": Later(lambda: [summary(plan) for plan in sorted(plans, key=rank)], len(plans)),
        "by_status": _counts(plan.status for plan in plans),
        "by_status_order": PLAN_STATUSES,
        "by_health": _counts(h.state for p in plans if (h := ctx.status.plans.get(p.id))),
        "health_order": HEALTH_ORDER,
        "overdue": ItemRows(ctx, by_due),
        "overdue_cells": Later(lambda: [draw(item) for item in by_due], len(overdue)),
        "upcoming_milestones": ItemRows(ctx, soonest),
        "upcoming_cells": Later(lambda: [draw(item) for item in soonest], len(upcoming)),
        "upcoming_days": UPCOMING_DAYS,
        "over_budget": ItemRows(ctx, over_budget),
        "over_budget_cells": Later(lambda: [draw(item) for item in over_budget], len(over_budget)),
        "plan_budgets": Later(lambda: [budget_row(found) for found in budgets], len(budgets)),
        "kpis": Later(lambda: [kpi_row(found) for found in kpis], len(kpis)),
        "strategy_tree": Later(tree.whole),
        # what the dashboard shows: at most `page_size` rows a list, the most urgent
        "top_plans": capped(plans, size, summary, sort=rank),
        "top_overdue": capped(overdue, size, draw, sort=_due),
        "top_upcoming": capped(upcoming, size, draw, sort=_due),
        "top_plan_budgets": capped(budgets, size, budget_row, cut_by=_money_at_risk),
        "top_over_budget": capped(over_budget, size, draw, cut_by=_furthest_over),
        "top_kpis": capped(kpis, size, kpi_row, cut_by=_furthest_behind),
        "top_strategy_tree": tree.top(size),
        "sections": [
            Link(section_title(s), urls.section_page(s)) for s in sections(ctx) if "/" not in s
        ],
        "tags": [Link(tag, urls.tag_page(slug)) for slug, (tag, _) in tags(ctx).items()],
        "baseline": baseline_summary(ctx),
    }
    return context


@dataclass(frozen=True, slots=True)
class DrawnRow:
    """What the dashboard shows of a task or milestone, its links and state drawn as
    partials/links.html draws them (see cells.py): thousands of overdue items would each cost
    several macro calls. The same values as its ItemRow's."""

    title: str
    link: Markup
    plan: Markup
    responsible: Markup
    due_iso: str
    due: str
    state: Markup
    budget: Budget | None
    html: Markup  # the whole row as the theme draws it


@dataclass(frozen=True, slots=True)
class _Item:
    """A task or milestone on one of the dashboard's lists: what it is sorted by and drawn
    from. Only the rows shown are drawn: a large site has 130,000 overdue items."""

    plan_link: Link
    plan: Plan
    item: Task | Milestone
    kind: str  # task | milestone
    title: str
    responsible: tuple[str, ...]
    due: dt.date | None
    state: ItemStatus | None
    budget: Budget | None


def _dashboard_items(ctx: RenderContext, horizon: dt.date) -> tuple[list[_Item], ...]:
    """The overdue tasks and milestones, the milestones due from today to `horizon`, and the
    items over budget, in plan order."""
    overdue: list[_Item] = []
    upcoming: list[_Item] = []
    over_budget: list[_Item] = []
    for plan in ctx.site.plans.values():
        # what the dashboard lists of a plan depends on that plan alone (and today)
        make = partial(_items_of_plan, ctx, horizon, plan)
        late, soon, over = kept_part(ctx, urls.INDEX, Depends.plans((plan.id,)), "", make)
        overdue += late
        upcoming += soon
        over_budget += over
    return overdue, upcoming, over_budget


def _items_of_plan(
    ctx: RenderContext, horizon: dt.date, plan: Plan
) -> tuple[list[_Item], list[_Item], list[_Item]]:
    """One plan's part of _dashboard_items."""
    overdue: list[_Item] = []
    upcoming: list[_Item] = []
    over_budget: list[_Item] = []
    items, budgets, timings = ctx.status.items, ctx.status.budgets, ctx.schedule.items
    today = ctx.status.today
    plan_link = ctx.views.plan_link(plan.id)
    for item, kind, title, responsible in _plan_items(plan):
        key = (plan.id, item.id)
        state, budget, timing = items.get(key), budgets.get(key), timings.get(key)
        late = state is not None and state.state == "overdue"
        due = timing.due if timing else None
        soon = kind == "milestone" and due is not None and today <= due <= horizon
        over = budget is not None and budget.over
        if not (late or soon or over):
            continue
        found = _Item(plan_link, plan, item, kind, title, responsible, due, state, budget)
        for wanted, where in ((late, overdue), (soon, upcoming), (over, over_budget)):
            if wanted:
                where.append(found)
    return overdue, upcoming, over_budget


def _drawn(ctx: RenderContext, cells: Cells, found: _Item) -> DrawnRow:
    """The row of a task or milestone as index.html's item_table drew it field by field,
    which took most of the dashboard's time on a large site."""
    due, target = found.due, item_target(found.plan.id, found.item.id, found.kind)
    row = {
        "title": found.title,
        "link": cells.link(Link(found.title, target)),
        "plan": cells.link(found.plan_link),
        "responsible": cells.links(ctx.views.parties(found.responsible)),
        "due_iso": due.isoformat() if due else "",
        "due": fmt.day(due),
        "state": cells.state(found.state or _UNDATED),
    }
    html = Markup(
        '<tr><th scope="row">{link}</th><td>{plan}</td><td>{responsible}</td>'
        '<td><time datetime="{due_iso}">{due}</time></td><td>{state}</td></tr>\n'
    ).format(**row)
    return DrawnRow(budget=found.budget, html=html, **row)


def _plan_items(plan: Plan) -> Iterator[tuple[Task | Milestone, str, str, tuple[str, ...]]]:
    """Each task and milestone with its kind, title and responsible parties, as ItemRow."""
    for task in plan.all_tasks():
        yield task, "task", task.title, task.responsible
    for milestone in plan.milestones:
        yield milestone, "milestone", milestone.name, (milestone.owner,) if milestone.owner else ()


def _due(item: _Item) -> tuple[dt.date, str]:
    return (item.due or dt.date.max, item.title)


class ItemRows(Sequence[tuple[Link, ItemRow]]):
    """The (plan Link, ItemRow) pairs of one of the dashboard's lists, each made when a
    template first reads it. The theme draws the rows from their DrawnRows and reads only
    how many there are, and an ItemRow (every party, dependency and date) costs more than
    its drawn row; a site's own index.html may still read the pairs."""

    def __init__(self, ctx: RenderContext, items: list[_Item]) -> None:
        self._views = ctx.views
        self._items = items
        self._made: dict[int, tuple[Link, ItemRow]] = {}

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> tuple[Link, ItemRow]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[Link, ItemRow]]: ...

    def __getitem__(self, index: int | slice) -> tuple[Link, ItemRow] | list:
        if isinstance(index, slice):
            return [self[number] for number in range(*index.indices(len(self)))]
        number = range(len(self))[index]  # negative indexes; IndexError past the end
        pair = self._made.get(number)
        if pair is None:
            found = self._items[number]
            if found.kind == "task":
                row = self._views.task_row(found.plan, found.item)
            else:
                row = self._views.milestone_row(found.plan, found.item)
            pair = self._made[number] = (found.plan_link, row)
        return pair


def _counts(values) -> dict[str, int]:
    return dict(Counter(values))


def _health_rank(ctx: RenderContext, plan: Plan) -> tuple[int, str]:
    health = ctx.status.plans.get(plan.id)
    rank = HEALTH_ORDER.index(health.state) if health and health.state in HEALTH_ORDER else 9
    return (rank, plan.title.casefold())


@dataclass(frozen=True, slots=True)
class PlanBudget:
    plan: Link
    budget: Budget
    plan_html: Markup  # as partials/links.html draws the link (see cells.py)


def plan_budgets(ctx: RenderContext) -> list[tuple[Plan, Budget]]:
    """The plans with a planned or actual cost, in plan order."""
    found = []
    for plan in ctx.site.plans.values():
        budget = ctx.status.budgets.get((plan.id, ""))
        if budget and (budget.planned or budget.actual):
            found.append((plan, budget))
    return found


def _plan_budget(ctx: RenderContext, cells: Cells, found: tuple[Plan, Budget]) -> PlanBudget:
    link = ctx.views.plan_link(found[0].id)
    return PlanBudget(link, found[1], cells.link(link))


@dataclass(frozen=True, slots=True)
class KpiRow:
    plan: Link
    kpi: KPI
    progress: KpiProgress | None
    target: Link  # the KPI's row on its plan's page
    percent: str  # progress, as a percentage
    plan_html: Markup  # the links as partials/links.html draws them (see cells.py)
    target_html: Markup


PlanKpi = tuple[Plan, KPI, KpiProgress | None]


def plan_kpis(ctx: RenderContext) -> list[PlanKpi]:
    """Every KPI with its progress, in plan order."""
    found = ctx.status.kpis
    return [(p, k, found.get((p.id, k.id))) for p in ctx.site.plans.values() for k in p.kpis]


def _kpi_row(ctx: RenderContext, cells: Cells, found: PlanKpi) -> KpiRow:
    plan, kpi, progress = found
    plan_link = ctx.views.plan_link(plan.id)
    target = Link(kpi.name, f"{urls.plan_page(plan.id)}#kpi-{kpi.id}")
    percent = fmt.percent(progress.progress if progress else None)
    plan_html, target_html = cells.link(plan_link), cells.link(target)
    return KpiRow(plan_link, kpi, progress, target, percent, plan_html, target_html)


# --- the orders of lists cut to page_size rows ---------------------------------------------


def _money_at_risk(found: tuple[Plan, Budget]) -> tuple[int, float]:
    """Where money is going wrong, worst first: plans over budget, the largest overrun first;
    then plans spending without a budget, the most spent first; then the rest, the largest
    share of their budget spent first (closest to running over)."""
    budget = found[1]
    if budget.over:
        return (0, -(budget.variance or 0))
    if not budget.planned:
        return (1, -(budget.actual or 0))
    return (2, -(budget.actual or 0) / budget.planned)


def _furthest_over(item: _Item) -> float:
    """Items over budget, the largest overrun (cost less budget) first."""
    return -(item.budget.variance or 0) if item.budget else 0


def _furthest_behind(found: PlanKpi) -> tuple[int, float]:
    """KPIs furthest behind first: by how much the share of the way from baseline to target
    lags the share of the plan's time gone by (for a plan without dates: the share of the
    way still to go); then KPIs with no figure to judge (no actual, baseline or target);
    then the rest, the closest to falling behind first; reached ones last."""
    progress = found[2]
    if progress is None or progress.progress is None:
        return (3, 0.0) if progress and progress.reached else (1, 0.0)
    expected = 1.0 if progress.expected is None else progress.expected
    lag = expected - progress.progress
    if progress.reached:
        return (3, 0.0)
    return (0, -lag) if lag > 0 else (2, -lag)
