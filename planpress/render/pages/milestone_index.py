"""The milestone index: every milestone by month of its due day and by category, with totals.

Its rows are the MilestoneViews that milestones.py makes for the milestone pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from markupsafe import Markup

from planpress.render import urls
from planpress.render.context import RenderContext
from planpress.render.pages.cells import Cells

if TYPE_CHECKING:  # milestones.py makes the views and imports this module
    from planpress.render.pages.milestones import MilestoneView

CATEGORY_LABELS = {"marketing-sales": "Marketing and sales", "product": "Product", "other": "Other"}
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August")
MONTH_NAMES += ("September", "October", "November", "December")


@dataclass(frozen=True, slots=True)
class Totals:
    count: int
    budget: float | None
    cost: float | None
    variance: float | None  # of the milestones with both a budget and a cost


@dataclass(frozen=True, slots=True)
class RowCells:
    """A milestone's row in the index, drawn as partials/links.html draws it (see cells.py):
    each milestone has two rows (its month's and its category's), a macro call per cell."""

    link: Markup
    plan: Markup
    owner: Markup
    due: Markup
    done: Markup
    state: Markup


@dataclass(frozen=True, slots=True)
class Group:
    key: str  # anchor
    title: str
    iso: str  # "2024-07" for a month; "" otherwise
    rows: tuple[MilestoneView, ...]
    totals: Totals
    drawn: tuple[tuple[MilestoneView, RowCells], ...]  # the rows with their cells


def index_context(ctx: RenderContext, views: list[MilestoneView]) -> dict:
    cells = Cells(ctx.url_style, urls.MILESTONES)
    drawn = {id(view): _row_cells(cells, view) for view in views}
    by_month: dict[tuple[int, int] | None, list[MilestoneView]] = {}
    by_category: dict[str, list[MilestoneView]] = {}
    for view in sorted(views, key=_due_order):
        month = (view.due.year, view.due.month) if view.due else None
        by_month.setdefault(month, []).append(view)
        by_category.setdefault(view.milestone.category, []).append(view)
    months = [
        _group(*_month_heading(month), by_month[month], drawn)
        for month in sorted(by_month, key=_month_key)
    ]
    categories = [
        _group(f"category-{name}", category_label(name), "", rows, drawn)
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


def _row_cells(cells: Cells, view: MilestoneView) -> RowCells:
    return RowCells(
        link=cells.link(view.link),
        plan=cells.link(view.plan_link),
        owner=cells.link(view.owner),
        due=cells.day(view.due),
        done=cells.day(view.done),
        state=cells.state(view.state),
    )


def _group(
    key: str, title: str, iso: str, rows: list[MilestoneView], drawn: dict[int, RowCells]
) -> Group:
    pairs = tuple((view, drawn[id(view)]) for view in rows)
    return Group(key, title, iso, tuple(rows), totals(rows), pairs)


def _due_order(view: MilestoneView) -> tuple:
    # a stable sort: milestones of one plan due the same day stay in written order
    return (view.due or date.max, view.plan.id)


def _month_key(month: tuple[int, int] | None) -> tuple[int, int]:
    return month or (10000, 0)


def _month_heading(month: tuple[int, int] | None) -> tuple[str, str, str]:
    """The month's anchor, title and ISO month."""
    if month is None:
        return "month-undated", "No due date", ""
    year, number = month
    iso = f"{year:04d}-{number:02d}"
    return f"month-{iso}", f"{MONTH_NAMES[number - 1]} {year}", iso


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


def category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category)


def category_order(category: str) -> tuple[int, str]:
    """Marketing and sales, product, then other categories by name, 'other' last."""
    known = ("marketing-sales", "product")
    if category in known:
        return (known.index(category), "")
    return (3, "") if category == "other" else (2, category.casefold())
