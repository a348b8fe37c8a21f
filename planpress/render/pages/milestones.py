"""A page per milestone, and the milestone index (by month of due date and by category).

Plan vs actual, as the pages show it:

- Schedule: the done day against the due day: "+3 days late", "on time", "2 days early".
  A milestone not done yet shows its status instead ("overdue by 5 days", "due in 4 days").
- Budget: cost against budget: "over budget by 400 USD (8%)", "under budget by 300 USD (6%)",
  "on budget"; "no cost recorded" or "no budget" when one side is missing.
- A planned benefit is met when its actual reaches its target: for a metric naming a KPI of
  the plan (by id or name) in the KPI's direction (a KPI going down is met at or below the
  target), else when the actual is at least the target. Benefits written as words, or without
  an actual, are not judged.
- Dependents are the tasks, milestones and objectives of any visible plan whose `after` names
  the milestone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial

from planpress.render import format as fmt
from planpress.render import urls
from planpress.render.context import Depends, Page, RenderContext
from planpress.render.pages.common import benefit_met, find_kpi
from planpress.render.views import Link
from planpress.resolve.model import Benefit, Milestone, Plan
from planpress.schedule.dates import DateExpr
from planpress.schedule.status import Budget, ItemStatus

ItemKey = tuple[str, str]

CATEGORY_LABELS = {"marketing-sales": "Marketing and sales", "product": "Product", "other": "Other"}
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August")
MONTH_NAMES += ("September", "October", "November", "December")
_UNDATED = ItemStatus("undated", "no date", None)


@dataclass(frozen=True, slots=True)
class BenefitView:
    metric: str  # the KPI's name when the metric names one, else as written
    kpi: Link | None  # the KPI row on the plan page
    target: str
    actual: str
    unit: str
    met: bool | None  # None: not measured yet, or not comparable
    verdict: str  # "met", "not met", "not measured yet", "not comparable"


@dataclass(frozen=True, slots=True)
class MilestoneView:
    """A milestone with everything its row and its page show."""

    plan: Plan
    milestone: Milestone
    link: Link  # its own page
    plan_link: Link
    in_plan: Link  # its row on the plan page
    owner: Link | None
    due: date | None
    end: date | None
    done: date | None
    state: ItemStatus
    budget: Budget | None
    days_late: int | None  # done - due, in days (negative: early)
    schedule: str  # "+3 days late", "on time", "2 days early", or "" when not done
    budget_text: str
    variance_pct: str  # "+8%", "-6%", "0%"
    category: str  # label


@dataclass(frozen=True, slots=True)
class RelatedItem:
    """A dependency or a dependent, with where it stands."""

    link: Link
    kind: str
    state: ItemStatus | None


@dataclass(frozen=True, slots=True)
class Totals:
    count: int
    budget: float | None
    cost: float | None
    variance: float | None  # of the milestones with both a budget and a cost


@dataclass(frozen=True, slots=True)
class Group:
    key: str  # anchor
    title: str
    iso: str  # "2024-07" for a month; "" otherwise
    rows: tuple[MilestoneView, ...]
    totals: Totals


def pages(ctx: RenderContext) -> Iterator[Page]:
    index = ItemIndex(ctx)
    views = [
        milestone_view(ctx, plan, m) for plan in ctx.site.plans.values() for m in plan.milestones
    ]
    for view in views:
        path = urls.milestone_page(view.plan.id, view.milestone.id)
        make = partial(milestone_context, ctx, index, view)
        yield Page(path, "milestone.html", make=make, depends=Depends.plan(view.plan.id))
    make = partial(index_context, views)
    yield Page(urls.MILESTONES, "milestones.html", make=make, depends=Depends.SITE)


# --- one milestone ------------------------------------------------------------------------


def milestone_view(ctx: RenderContext, plan: Plan, milestone: Milestone) -> MilestoneView:
    key = (plan.id, milestone.id)
    timing = ctx.schedule.items.get(key)
    due = timing.due if timing else None
    done = day_of(milestone.done)
    days_late = (done - due).days if done and due else None
    budget = ctx.status.budgets.get(key)
    return MilestoneView(
        plan=plan,
        milestone=milestone,
        link=milestone_link(ctx, plan.id, milestone.id),
        plan_link=ctx.views.plan_link(plan.id),
        in_plan=Link(plan.title, f"{urls.plan_page(plan.id)}#{urls.item_anchor(milestone.id)}"),
        owner=ctx.views.party(milestone.owner),
        due=due,
        end=ctx.schedule.ends.get(key),
        done=done,
        state=ctx.status.items.get(key, _UNDATED),
        budget=budget,
        days_late=days_late,
        schedule=schedule_text(days_late),
        budget_text=budget_text(budget, ctx.config.currency),
        variance_pct=signed_pct(budget),
        category=category_label(milestone.category),
    )


def milestone_context(ctx: RenderContext, index: ItemIndex, view: MilestoneView) -> dict:
    plan, milestone = view.plan, view.milestone
    return {
        "title": milestone.name,
        "m": view,
        # drawn by base.html: (text, path) pairs, then the page's title
        "breadcrumbs": [
            ("Home", urls.INDEX),
            ("Milestones", urls.MILESTONES),
            (plan.title, urls.plan_page(plan.id)),
        ],
        "benefits": [benefit_view(plan, b) for b in milestone.benefits],
        "dependencies": [
            index.related(ref.plan_id, ref.item_id, plan.id) for ref in milestone.after
        ],
        "dependents": [
            index.related(*key, plan.id) for key in index.dependents(plan.id, milestone.id)
        ],
        "description": paragraphs(milestone.description),
    }


def milestone_link(ctx: RenderContext, plan_id: str, milestone_id: str) -> Link:
    plan = ctx.site.plans.get(plan_id)
    name = ctx.views.item_title(plan, milestone_id) if plan else None
    return Link(name or milestone_id, urls.milestone_page(plan_id, milestone_id))


def schedule_text(days_late: int | None) -> str:
    if days_late is None:
        return ""
    if days_late > 0:
        return f"+{fmt.plural(days_late, 'day')} late"
    if days_late < 0:
        return f"{fmt.plural(-days_late, 'day')} early"
    return "on time"


def budget_text(budget: Budget | None, currency: str) -> str:
    if budget is None:
        return ""
    if budget.planned is None:
        return "no budget"
    if budget.actual is None:
        return "no cost recorded"
    if budget.variance is None or budget.variance == 0:
        return "on budget"
    word = "over" if budget.variance > 0 else "under"
    share = f" ({abs(budget.variance_pct):.0f}%)" if budget.variance_pct is not None else ""
    return f"{word} budget by {fmt.money(abs(budget.variance), currency)}{share}"


def signed_pct(budget: Budget | None) -> str:
    """The variance in percent of the budget: '+8%', '-6%', '0%'."""
    if budget is None or budget.variance_pct is None:
        return ""
    pct = round(budget.variance_pct)
    return f"+{pct}%" if pct > 0 else f"{pct}%"


def benefit_view(plan: Plan, benefit: Benefit) -> BenefitView:
    kpi = find_kpi(plan, benefit.metric)
    met = benefit_met(benefit, kpi)
    if met is None:
        verdict = "not measured yet" if benefit.actual is None else "not comparable"
    else:
        verdict = "met" if met else "not met"
    kpi_link = Link(kpi.name, f"{urls.plan_page(plan.id)}#kpi-{kpi.id}") if kpi else None
    return BenefitView(
        metric=kpi.name if kpi else benefit.metric,
        kpi=kpi_link,
        target=figure(benefit.target),
        actual=figure(benefit.actual),
        unit=benefit.unit or (kpi.unit if kpi else ""),
        met=met,
        verdict=verdict,
    )


def figure(value: float | int | str | None) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else fmt.number(value)


def paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.split("\n\n") if part.strip()]


def category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category)


def category_order(category: str) -> tuple[int, str]:
    """Marketing and sales, product, then other categories by name, 'other' last."""
    known = ("marketing-sales", "product")
    if category in known:
        return (known.index(category), "")
    return (3, "") if category == "other" else (2, category.casefold())


def day_of(expr: DateExpr | None) -> date | None:
    return expr.span.first if expr is not None and expr.span is not None else None


class ItemIndex:
    """Every item of the build by key (its kind), and who depends on whom, computed once."""

    def __init__(self, ctx: RenderContext) -> None:
        self.ctx = ctx
        self.kinds: dict[ItemKey, str] = {}
        self._dependents: dict[ItemKey, list[ItemKey]] = {}
        for plan in ctx.site.plans.values():
            for objective in plan.objectives:
                self._add(plan.id, objective.id, "objective", objective.after)
            for task in plan.all_tasks():
                self._add(plan.id, task.id, "task", task.after)
            for milestone in plan.milestones:
                self._add(plan.id, milestone.id, "milestone", milestone.after)

    def _add(self, plan_id: str, item_id: str, kind: str, after: tuple) -> None:
        key = (plan_id, item_id)
        self.kinds[key] = kind
        for ref in after:
            found = self._dependents.setdefault(ref.key, [])
            if key not in found:
                found.append(key)

    def dependents(self, plan_id: str, item_id: str) -> list[ItemKey]:
        return self._dependents.get((plan_id, item_id), [])

    def related(self, plan_id: str, item_id: str, from_plan: str) -> RelatedItem:
        kind = self.kinds.get((plan_id, item_id), "")
        state = self.ctx.status.items.get((plan_id, item_id))
        if kind == "milestone":
            link = milestone_link(self.ctx, plan_id, item_id)
            if plan_id != from_plan:
                link = Link(f"{link.text} ({self.ctx.site.plans[plan_id].title})", link.target)
        else:
            link = self.ctx.views.item_link(plan_id, item_id, from_plan)
        return RelatedItem(link, kind, state)


# --- the index ----------------------------------------------------------------------------


def index_context(views: list[MilestoneView]) -> dict:
    by_month: dict[tuple[int, int] | None, list[MilestoneView]] = {}
    by_category: dict[str, list[MilestoneView]] = {}
    for view in sorted(views, key=_due_order):
        month = (view.due.year, view.due.month) if view.due else None
        by_month.setdefault(month, []).append(view)
        by_category.setdefault(view.milestone.category, []).append(view)
    months = [_month_group(month, by_month[month]) for month in sorted(by_month, key=_month_key)]
    categories = [
        Group(f"category-{name}", category_label(name), "", tuple(rows), totals(rows))
        for name, rows in sorted(by_category.items(), key=lambda pair: category_order(pair[0]))
    ]
    return {
        "title": "Milestones",
        "count": len(views),
        "plan_count": len({view.plan.id for view in views}),
        "months": months,
        "categories": categories,
        "total": totals(views),
    }


def _due_order(view: MilestoneView) -> tuple:
    # a stable sort: milestones of one plan due the same day stay in written order
    return (view.due or date.max, view.plan.id)


def _month_key(month: tuple[int, int] | None) -> tuple[int, int]:
    return month or (10000, 0)


def _month_group(month: tuple[int, int] | None, rows: list[MilestoneView]) -> Group:
    if month is None:
        return Group("month-undated", "No due date", "", tuple(rows), totals(rows))
    year, number = month
    iso = f"{year:04d}-{number:02d}"
    return Group(
        f"month-{iso}", f"{MONTH_NAMES[number - 1]} {year}", iso, tuple(rows), totals(rows)
    )


def totals(rows: list[MilestoneView] | tuple[MilestoneView, ...]) -> Totals:
    budgets = [r.milestone.budget for r in rows if r.milestone.budget is not None]
    costs = [r.milestone.cost for r in rows if r.milestone.cost is not None]
    variances = [r.budget.variance for r in rows if r.budget and r.budget.variance is not None]
    return Totals(
        count=len(rows),
        budget=sum(budgets) if budgets else None,
        cost=sum(costs) if costs else None,
        variance=sum(variances) if variances else None,
    )
