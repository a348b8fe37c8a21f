"""The milestone index: every milestone by month of its due day and by category, with totals.

Its rows are the MilestoneViews that milestones.py makes for the milestone pages. On a site
with more milestones than `page_size`, the index continues on numbered pages
(milestones/index.html, milestones/index.2.html, …): the milestones in month order, cut
into pages, each page showing its own milestones by month and by category. A page shows
nothing decided by milestones on other pages but its place in the list (see `IndexPage`),
so an edit redraws only the pages showing the plan, and page 1, which keeps the totals of
every milestone by category.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, NamedTuple, Protocol

from markupsafe import Markup

from planpress.render import format as fmt
from planpress.render import urls
from planpress.render.context import Depends, RenderContext
from planpress.render.pages.cells import Cells
from planpress.render.paging import Paging, entries, paginate
from planpress.resolve.model import Milestone, Plan
from planpress.schedule.status import Budget

if TYPE_CHECKING:  # milestones.py makes the views and imports this module
    from planpress.render.pages.milestones import MilestoneView

CATEGORY_LABELS = {"marketing-sales": "Marketing and sales", "product": "Product", "other": "Other"}

Month = tuple[int, int] | None  # (year, month), None for no due date


class Costed(Protocol):
    """What totals need of a row: an Entry or a MilestoneView."""

    @property
    def milestone(self) -> Milestone: ...

    @property
    def budget(self) -> Budget | None: ...


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
    totals: Totals  # of `rows`: the group's milestones on this page
    drawn: tuple[tuple[MilestoneView, RowCells], ...]  # the rows with their cells
    whole: bool = True  # every milestone of the group is on this page (so are its totals)
    continued: bool = False  # a month begun on the page before
    continues: str = ""  # the page a month goes on to, if it does


@dataclass(frozen=True, slots=True)
class CategoryTotals:
    """A row of "Budget and cost by category": every milestone of the category."""

    key: str  # its table's anchor
    title: str
    totals: Totals


class Entry(NamedTuple):
    """A milestone's place in the index, known without drawing its row (a tuple: every
    build lists all of them, and a frozen dataclass is several times slower to make)."""

    plan: Plan
    milestone: Milestone
    due: date | None
    budget: Budget | None

    @property
    def month(self) -> Month:
        return (self.due.year, self.due.month) if self.due else None

    @property
    def key(self) -> str:
        return f"{self.plan.id}#{self.milestone.id}"


@dataclass(frozen=True, slots=True)
class IndexPage:
    """One page of the index and what it shows of the pages around it."""

    paging: Paging
    rows: Sequence[Entry]  # its milestones, in month order
    continued: bool  # its first month began on the page before
    continues: bool  # its last month goes on to the next page
    shared: tuple[str, ...]  # its categories that have milestones on other pages too

    def depends(self) -> Depends:
        """Page 1 shows every milestone's totals; the others only their own milestones and
        what decides them: their place in the list, which milestones, and whether their
        first and last month and their categories go on elsewhere."""
        if self.paging.first:
            return Depends.SITE
        plan_ids = dict.fromkeys(entry.plan.id for entry in self.rows)
        extra = (
            self.paging.key,
            " ".join(entry.key for entry in self.rows),
            f"continued {self.continued}, continues {self.continues}",
            "shared " + " ".join(self.shared),
        )
        return Depends.plans(plan_ids).but("\n".join(extra))


def index_order(ctx: RenderContext) -> list[Entry]:
    """Every milestone in the index's month order: by due day (undated last), then plan id;
    milestones of one plan due the same day stay in written order."""
    found = [
        Entry(plan, m, _due(ctx, plan.id, m.id), ctx.status.budgets.get((plan.id, m.id)))
        for plan in ctx.site.plans.values()
        for m in plan.milestones
    ]
    return sorted(found, key=lambda entry: _due_order(entry.due, entry.plan.id))


def index_pages(order: list[Entry], size: int) -> list[IndexPage]:
    """The pages of the index, `size` milestones to a page."""
    everywhere = Counter(entry.milestone.category for entry in order)
    found = []
    for paging in paginate(len(order), size, urls.MILESTONES):
        rows = entries(order, paging)
        here = Counter(entry.milestone.category for entry in rows)
        before = order[paging.start - 1] if paging.start else None
        after = order[paging.stop] if paging.stop < len(order) else None
        found.append(
            IndexPage(
                paging,
                rows,
                continued=bool(rows and before and before.month == rows[0].month),
                continues=bool(rows and after and after.month == rows[-1].month),
                shared=tuple(sorted(c for c in here if here[c] < everywhere[c])),
            )
        )
    return found


def index_context(
    ctx: RenderContext, views: list[MilestoneView], page: IndexPage, order: list[Entry]
) -> dict:
    """The template context of one page of the index; `views` are its rows, in month
    order, and `order` every milestone of the site (only page 1 shows more than its own)."""
    cells = Cells(ctx.url_style, page.paging.path)
    drawn = {id(view): _row_cells(cells, view) for view in views}
    context = {
        "title": "Milestones",
        "count": page.paging.total,
        "months": _months(page, views, drawn),
        "categories": _categories(page, views, drawn),
        "paging": page.paging,
    }
    return context | (_portfolio(order) if page.paging.first else _no_portfolio())


def _months(page: IndexPage, views: list[MilestoneView], drawn: dict[int, RowCells]) -> list:
    by_month: dict[Month, list[MilestoneView]] = {}
    for view in views:
        by_month.setdefault((view.due.year, view.due.month) if view.due else None, []).append(view)
    last = len(by_month) - 1
    goes_on = page.paging.next if page.continues else None
    return [
        _group(
            *_month_heading(month),
            rows,
            drawn,
            continued=page.continued and number == 0,
            continues=(goes_on or "") if number == last else "",
        )
        for number, (month, rows) in enumerate(by_month.items())
    ]


def _categories(page: IndexPage, views: list[MilestoneView], drawn: dict[int, RowCells]) -> list:
    by_category: dict[str, list[MilestoneView]] = {}
    for view in views:
        by_category.setdefault(view.milestone.category, []).append(view)
    return [
        _group(
            f"category-{name}", category_label(name), "", rows, drawn, whole=name not in page.shared
        )
        for name, rows in _by_category_order(by_category)
    ]


def _portfolio(order: list[Entry]) -> dict:
    """What page 1 shows of every milestone: how many, and the totals by category."""
    by_category: dict[str, list[Entry]] = {}
    for entry in order:
        by_category.setdefault(entry.milestone.category, []).append(entry)
    return {
        "plan_count": len({entry.plan.id for entry in order}),
        "category_totals": [
            CategoryTotals(f"category-{name}", category_label(name), totals(rows))
            for name, rows in _by_category_order(by_category)
        ],
        "total": totals(order),
    }


def _no_portfolio() -> dict:
    return {"plan_count": None, "category_totals": [], "total": None}


def _by_category_order(groups: dict[str, list]) -> list[tuple[str, list]]:
    return sorted(groups.items(), key=lambda pair: category_order(pair[0]))


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
    key: str,
    title: str,
    iso: str,
    rows: list[MilestoneView],
    drawn: dict[int, RowCells],
    **where: bool | str,
) -> Group:
    """A month's or category's table; `where` says how it sits on the page (see Group)."""
    pairs = tuple((view, drawn[id(view)]) for view in rows)
    return Group(key, title, iso, tuple(rows), totals(rows), pairs, **where)  # type: ignore


def _due(ctx: RenderContext, plan_id: str, milestone_id: str) -> date | None:
    timing = ctx.schedule.items.get((plan_id, milestone_id))
    return timing.due if timing else None


def _due_order(due: date | None, plan_id: str) -> tuple:
    # undated last; a stable sort keeps milestones of one plan due the same day in order
    return (due is None, due or date.min, plan_id)


def _month_heading(month: Month) -> tuple[str, str, str]:
    """The month's anchor, title and ISO month."""
    if month is None:
        return "month-undated", "No due date", ""
    year, number = month
    iso = f"{year:04d}-{number:02d}"
    return f"month-{iso}", f"{fmt.MONTH_NAMES[number - 1]} {year}", iso


def totals(rows: Iterable[Costed]) -> Totals:
    rows = list(rows)
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
