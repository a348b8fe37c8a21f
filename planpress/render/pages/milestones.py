"""A page per milestone, and the milestone index (by month of due date and by category, in
pages of `page_size` milestones: see milestone_index.py).

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

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache, partial

from markupsafe import Markup, escape

from planpress.render import format as fmt
from planpress.render import urls
from planpress.render.context import Depends, Page, RenderContext
from planpress.render.pages.cells import Cells, verdict, with_unit
from planpress.render.pages.common import benefit_met, find_kpi
from planpress.render.pages.milestone_index import (
    Entry,
    IndexPage,
    category_label,
    index_context,
    index_order,
    index_pages,
)
from planpress.render.views import Link
from planpress.resolve.model import Benefit, Milestone, Plan
from planpress.resolve.references import dependency_refs
from planpress.schedule.dates import DateExpr
from planpress.schedule.status import Budget, ItemStatus

ItemKey = tuple[str, str]

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
    # as partials/links.html draws them (see cells.py)
    link_html: Markup
    state_html: Markup


@dataclass(frozen=True, slots=True)
class MilestoneCells:
    """What a milestone page shows of its milestone, drawn as partials/links.html draws it
    (see cells.py): a site has a page per milestone, and each saves a dozen macro calls."""

    in_plan: Markup
    owner: Markup
    due: Markup
    end: Markup
    done: Markup
    state: Markup


@dataclass(frozen=True, slots=True)
class BenefitCells:
    """A planned benefit's row, drawn as partials/links.html draws it (see cells.py)."""

    metric: Markup  # the KPI's link, or the metric as written
    target: Markup
    actual: Markup
    verdict: Markup


def pages(ctx: RenderContext) -> Iterator[Page]:
    # views and indexes are made when a page is drawn: a rebuild lists every page and draws
    # a few; the milestones of a plan share one index
    index = cache(partial(ItemIndex.around, ctx))
    for plan in ctx.site.plans.values():
        for milestone in plan.milestones:
            path = urls.milestone_page(plan.id, milestone.id)
            make = partial(_milestone_page, ctx, index, plan, milestone, path)
            yield Page(path, "milestone.html", make=make, depends=Depends.plan(plan.id))
    order = index_order(ctx)
    for page in index_pages(order, ctx.config.page_size):
        make = partial(_index, ctx, order, page)
        yield Page(page.paging.path, "milestones.html", make=make, depends=page.depends())


def _milestone_page(
    ctx: RenderContext,
    index: Callable[[str], ItemIndex],
    plan: Plan,
    milestone: Milestone,
    path: str,
) -> dict:
    return milestone_context(ctx, index(plan.id), milestone_view(ctx, plan, milestone), path)


def _index(ctx: RenderContext, order: list[Entry], page: IndexPage) -> dict:
    views = [milestone_view(ctx, entry.plan, entry.milestone) for entry in page.rows]
    return index_context(ctx, views, page, order)


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


def milestone_context(ctx: RenderContext, index: ItemIndex, view: MilestoneView, path: str) -> dict:
    plan, milestone = view.plan, view.milestone
    cells = Cells(ctx.url_style, path)
    benefits = [benefit_view(plan, b) for b in milestone.benefits]
    return {
        "title": milestone.name,
        "m": view,
        "cells": MilestoneCells(
            in_plan=cells.link(view.in_plan),
            owner=cells.link(view.owner),
            due=cells.day(view.due),
            end=cells.day(view.end),
            done=cells.day(view.done),
            state=cells.state(view.state),
        ),
        # drawn by base.html: (text, path) pairs, then the page's title
        "breadcrumbs": [
            ("Home", urls.INDEX),
            ("Milestones", urls.MILESTONES),
            (plan.title, urls.plan_page(plan.id)),
        ],
        "benefits": benefits,
        "benefit_cells": [benefit_cells(cells, benefit) for benefit in benefits],
        "dependencies": [
            index.related(ref.plan_id, ref.item_id, plan.id, cells) for ref in milestone.after
        ],
        "dependents": [
            index.related(*key, plan.id, cells) for key in index.dependents(plan.id, milestone.id)
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


def benefit_cells(cells: Cells, benefit: BenefitView) -> BenefitCells:
    return BenefitCells(
        metric=cells.link(benefit.kpi) if benefit.kpi else escape(benefit.metric),
        target=with_unit(benefit.target, benefit.unit),
        actual=with_unit(benefit.actual, benefit.unit),
        verdict=verdict(benefit.verdict),
    )


def figure(value: float | int | str | None) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else fmt.number(value)


def paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.split("\n\n") if part.strip()]


def day_of(expr: DateExpr | None) -> date | None:
    return expr.span.first if expr is not None and expr.span is not None else None


class ItemIndex:
    """The items of some plans by key (their kind), and who among them depends on whom."""

    def __init__(self, ctx: RenderContext, plans: Iterable[Plan]) -> None:
        self.ctx = ctx
        self.kinds: dict[ItemKey, str] = {}
        self._dependents: dict[ItemKey, list[ItemKey]] = {}
        for plan in plans:
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

    @classmethod
    def around(cls, ctx: RenderContext, plan_id: str) -> ItemIndex:
        """Enough for the items of one plan: that plan, the plans its items depend on, and
        the plans whose items depend on it (all of them in `referenced_by`), in site order
        as a whole-site index would list them."""
        site = ctx.site
        plan = site.plans[plan_id]
        wanted = {plan_id, *site.referenced_by.get(plan_id, ())}
        wanted.update(ref.plan_id for ref in dependency_refs(plan))
        return cls(ctx, [p for pid, p in site.plans.items() if pid in wanted])

    def dependents(self, plan_id: str, item_id: str) -> list[ItemKey]:
        return self._dependents.get((plan_id, item_id), [])

    def related(self, plan_id: str, item_id: str, from_plan: str, cells: Cells) -> RelatedItem:
        kind = self.kinds.get((plan_id, item_id), "")
        state = self.ctx.status.items.get((plan_id, item_id))
        if kind == "milestone":
            link = milestone_link(self.ctx, plan_id, item_id)
            if plan_id != from_plan:
                link = Link(f"{link.text} ({self.ctx.site.plans[plan_id].title})", link.target)
        else:
            link = self.ctx.views.item_link(plan_id, item_id, from_plan)
        state_html = cells.state(state) if state else Markup("")
        return RelatedItem(link, kind, state, cells.link(link), state_html)
