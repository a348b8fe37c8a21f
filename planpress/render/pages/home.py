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
from planpress.render.pages.cells import Cells
from planpress.render.pages.common import plan_summary, section_title
from planpress.render.pages.sections import sections, tags
from planpress.render.views import ItemRow, Link, item_target
from planpress.resolve.model import KPI, PLAN_STATUSES, Milestone, Plan, Task
from planpress.schedule.status import Budget, ItemStatus, KpiProgress

HEALTH_ORDER = ("off-track", "at-risk", "on-track", "not-started", "closed")
UPCOMING_DAYS = 30
_UNDATED = ItemStatus("undated", "no date", None)  # an item without a status, as ItemRow


def pages(ctx: RenderContext) -> Iterator[Page]:
    yield Page(urls.INDEX, "index.html", make=partial(home_context, ctx), depends=Depends.SITE)


def home_context(ctx: RenderContext) -> dict:
    summaries = [plan_summary(ctx, plan) for plan in ctx.site.plans.values()]
    cells = Cells(ctx.url_style, urls.INDEX)
    horizon = ctx.status.today + dt.timedelta(days=UPCOMING_DAYS)
    overdue, upcoming, over_budget = _dashboard_items(ctx, cells, horizon)
    overdue.sort(key=_due)
    upcoming.sort(key=_due)
    context = {
        "title": ctx.config.title,
        "plans": sorted(summaries, key=_health_rank),
        "by_status": _counts(s["plan"].status for s in summaries),
        "by_status_order": PLAN_STATUSES,
        "by_health": _counts(s["health"].state for s in summaries if s["health"]),
        "health_order": HEALTH_ORDER,
        "overdue": ItemRows(ctx, overdue),
        "overdue_cells": [item.drawn for item in overdue],
        "upcoming_milestones": ItemRows(ctx, upcoming),
        "upcoming_cells": [item.drawn for item in upcoming],
        "upcoming_days": UPCOMING_DAYS,
        "over_budget": ItemRows(ctx, over_budget),
        "over_budget_cells": [item.drawn for item in over_budget],
        "plan_budgets": _plan_budgets(ctx, cells),
        "kpis": _kpis(ctx, cells),
        "strategy_tree": _strategy_tree(ctx, cells),
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
    plan_link: Link
    plan: Plan
    item: Task | Milestone
    kind: str  # task | milestone
    drawn: DrawnRow


def _dashboard_items(ctx: RenderContext, cells: Cells, horizon: dt.date) -> tuple[list, ...]:
    """The overdue tasks and milestones, the milestones due from today to `horizon`, and the
    items over budget."""
    overdue: list[_Item] = []
    upcoming: list[_Item] = []
    over_budget: list[_Item] = []
    for plan in ctx.site.plans.values():
        # what the dashboard lists of a plan depends on that plan alone (and today)
        make = partial(_items_of_plan, ctx, cells, horizon, plan)
        late, soon, over = kept_part(ctx, urls.INDEX, Depends.plans((plan.id,)), "", make)
        overdue += late
        upcoming += soon
        over_budget += over
    return overdue, upcoming, over_budget


def _items_of_plan(
    ctx: RenderContext, cells: Cells, horizon: dt.date, plan: Plan
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
        drawn = _drawn_row(
            title=title,
            link=cells.link(Link(title, item_target(plan.id, item.id, kind))),
            plan=cells.link(plan_link),
            responsible=cells.links(ctx.views.parties(responsible)),
            due_iso=due.isoformat() if due else "",
            due=fmt.day(due) if timing else "",
            state=cells.state(state or _UNDATED),
            budget=budget,
        )
        found = _Item(plan_link, plan, item, kind, drawn)
        for wanted, where in ((late, overdue), (soon, upcoming), (over, over_budget)):
            if wanted:
                where.append(found)
    return overdue, upcoming, over_budget


def _drawn_row(**cells) -> DrawnRow:
    """A DrawnRow with its `html`: the row as index.html's item_table drew it field by
    field, which took most of the dashboard's time on a large site."""
    html = Markup(
        '<tr><th scope="row">{link}</th><td>{plan}</td><td>{responsible}</td>'
        '<td><time datetime="{due_iso}">{due}</time></td><td>{state}</td></tr>\n'
    ).format(**cells)
    return DrawnRow(html=html, **cells)


def _plan_items(plan: Plan) -> Iterator[tuple[Task | Milestone, str, str, tuple[str, ...]]]:
    """Each task and milestone with its kind, title and responsible parties, as ItemRow."""
    for task in plan.all_tasks():
        yield task, "task", task.title, task.responsible
    for milestone in plan.milestones:
        yield milestone, "milestone", milestone.name, (milestone.owner,) if milestone.owner else ()


def _due(item: _Item) -> tuple[str, str]:
    return (item.drawn.due_iso or "9999", item.drawn.title)


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


def _health_rank(summary: dict) -> tuple[int, str]:
    health = summary["health"]
    rank = HEALTH_ORDER.index(health.state) if health and health.state in HEALTH_ORDER else 9
    return (rank, summary["plan"].title.casefold())


@dataclass(frozen=True, slots=True)
class PlanBudget:
    plan: Link
    budget: Budget
    plan_html: Markup  # as partials/links.html draws the link (see cells.py)


def _plan_budgets(ctx: RenderContext, cells: Cells) -> list[PlanBudget]:
    found = []
    for plan in ctx.site.plans.values():
        budget = ctx.status.budgets.get((plan.id, ""))
        if budget and (budget.planned or budget.actual):
            link = ctx.views.plan_link(plan.id)
            found.append(PlanBudget(link, budget, cells.link(link)))
    return found


@dataclass(frozen=True, slots=True)
class KpiRow:
    plan: Link
    kpi: KPI
    progress: KpiProgress | None
    target: Link  # the KPI's row on its plan's page
    percent: str  # progress, as a percentage
    plan_html: Markup  # the links as partials/links.html draws them (see cells.py)
    target_html: Markup


def _kpis(ctx: RenderContext, cells: Cells) -> list[KpiRow]:
    found = []
    for plan in ctx.site.plans.values():
        plan_link = ctx.views.plan_link(plan.id)
        for kpi in plan.kpis:
            progress = ctx.status.kpis.get((plan.id, kpi.id))
            target = Link(kpi.name, f"{urls.plan_page(plan.id)}#kpi-{kpi.id}")
            percent = fmt.percent(progress.progress if progress else None)
            row = KpiRow(
                plan_link, kpi, progress, target, percent, cells.link(plan_link), cells.link(target)
            )
            found.append(row)
    return found


def _strategy_tree(ctx: RenderContext, cells: Cells) -> list[dict]:
    """Plans that support nothing visible are roots; their supporters hang below them."""
    in_tree = {pid for plan in ctx.site.plans.values() for pid in plan.supports}
    in_tree |= set(ctx.site.supported_by)  # once, not once per plan: a large site has many
    roots = [
        plan.id
        for plan in ctx.site.plans.values()
        if not any(target in ctx.site.plans for target in plan.supports) and plan.id in in_tree
    ]

    def node(plan_id: str, seen: frozenset[str]) -> dict:
        children = [
            node(child, seen | {child})
            for child in ctx.site.supported_by.get(plan_id, ())
            if child not in seen  # `supports` may loop; show each plan once per branch
        ]
        link = ctx.views.plan_link(plan_id)
        return {"link": link, "children": children, "html": cells.link(link)}

    return [node(root, frozenset({root})) for root in roots]
