"""The monthly review page: the milestones and tasks that were due and those coming up.

The rules, as the page states them:

- Period: from the first day of the month `review_months_before` months before today's month
  to the last day of the month `review_months_after` months after it (both default to 1:
  today 2024-08-20 reviews 2024-07-01 to 2024-09-30).
- Due so far: tasks and milestones due from the period's first day to today, both included.
  Coming up: due after today until the period's last day. Cancelled tasks are left out.
- Needs correction: overdue items (whenever due), blocked tasks, items over budget (due in
  the period or still open), and KPIs behind: progress more than 25 points behind the time
  elapsed, or the target not reached when the plan's period is over.
- Results: the planned benefits of milestones due or done from the period's first day to
  today; every KPI of the plan with its latest actual.
- The five questions are answered with counts. On budget counts the items due in the period
  with a cost recorded.
- A plan with nothing due, to correct, measured or reviewed in the period gets one line.
- More plans with something in the period than `page_size`: the plans continue on
  review.2.html, review.3.html … (render.paging), `page_size` to a page. The first page keeps
  the questions answered for all plans; each of its tables of all plans lists `page_size` rows,
  the most pressing first (see review_scope.combine), and says how many it leaves out.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial

from markupsafe import Markup

from planpress.render import format as fmt
from planpress.render import urls
from planpress.render.context import Depends, Page, RenderContext, kept_part
from planpress.render.history import baseline_summary
from planpress.render.pages.cells import Cells
from planpress.render.pages.milestones import (
    benefit_view,
    budget_text,
    day_of,
    schedule_text,
)
from planpress.render.pages.review_results import (
    benefit_result,
    kpi_result,
    kpi_verdict,
    overlaps,
    reached_milestones,
)
from planpress.render.pages.review_scope import (
    Scope,
    combine,
    item_corrections,
    kpi_corrections,
    make_scope,
)
from planpress.render.paging import Paging, entries, paginate
from planpress.render.views import Link
from planpress.resolve.model import Plan
from planpress.schedule.status import DONE_STATES, Budget, Health, ItemStatus

TEMPLATE = "review.html"


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date
    today: date

    @property
    def title(self) -> str:
        first = f"{fmt.MONTH_NAMES[self.start.month - 1]} {self.start.year}"
        last = f"{fmt.MONTH_NAMES[self.end.month - 1]} {self.end.year}"
        if first == last:
            return first
        if self.start.year == self.end.year:
            return f"{fmt.MONTH_NAMES[self.start.month - 1]} – {last}"
        return f"{first} – {last}"


# not frozen: a frozen dataclass sets each field through object.__setattr__, which costs more
# than the rest of a row, and a large site has tens of thousands of rows
@dataclass(slots=True)
class ReviewItem:
    """A task or milestone of the review, with its plan-vs-actual answers."""

    plan: Plan
    plan_link: Link
    kind: str  # task | milestone
    link: Link
    responsible: tuple[Link, ...]
    due: date
    done: date | None
    state: ItemStatus
    outcome: str  # on-time | late | overdue | due-today | open | done | cancelled
    timing: str  # "done on time", "done 3 days late", "overdue by 2 days", "due in 4 days"
    budget: Budget | None
    budget_text: str  # "over budget by 400 USD (8%)", "no cost recorded", ...
    blocked: bool
    # the cells as partials/links.html draws them, drawn once (see cells.py)
    link_html: Markup
    plan_html: Markup
    responsible_html: Markup
    due_html: Markup
    done_html: Markup

    @property
    def open(self) -> bool:
        return self.state.state not in DONE_STATES

    @property
    def within_budget(self) -> bool | None:
        """None when there is no cost, or a cost without a budget."""
        budget = self.budget
        if budget is None or budget.actual is None or budget.planned is None:
            return None
        return budget.actual <= budget.planned


@dataclass(frozen=True, slots=True)
class PlanReview:
    plan: Plan
    link: Link
    owner: Link | None
    health: Health | None
    scope: Scope
    reviews: tuple[dict, ...]
    link_html: Markup  # link and owner as partials/links.html draws them (see cells.py)
    owner_html: Markup


def pages(ctx: RenderContext) -> Iterator[Page]:
    """The review; with more plans to show than `page_size`, continued on numbered pages."""
    size = ctx.config.page_size
    yield Page(urls.REVIEW, TEMPLATE, make=partial(review_context, ctx), depends=Depends.SITE)
    if len(ctx.site.plans) <= size:
        return  # one page, whatever each plan shows
    reviewer = Reviewer(ctx, period_of(ctx))

    def shows(plan: Plan) -> bool:  # a plan's summary (and today) decide it: kept by watch
        return kept_part(
            ctx, "review shows", Depends.plans((plan.id,)), "", lambda: reviewer.shows(plan)
        )

    shown = [plan.id for plan in ctx.site.plans.values() if shows(plan)]
    for paging in paginate(len(shown), size, urls.REVIEW)[1:]:
        ids = tuple(entries(shown, paging))
        make = partial(continued_context, ctx, paging, ids)
        # the period depends only on today, which every page depends on
        depends = Depends.plans(ids).but(paging.key)
        yield Page(paging.path, TEMPLATE, make=make, depends=depends)


def review_period(today: date, months_before: int, months_after: int) -> Period:
    """From the first day of the month `months_before` before today's, to the last day of the
    month `months_after` after it."""
    index = today.year * 12 + today.month - 1
    first, last = index - months_before, index + months_after
    start = date.min if first < 12 else date(first // 12, first % 12 + 1, 1)
    if last >= 12 * 10000:
        end = date.max
    else:
        year, month = divmod(last, 12)
        end = date(year, month + 1, calendar.monthrange(year, month + 1)[1])
    return Period(start, end, today)


def _months(ctx: RenderContext, name: str) -> int:
    value = getattr(ctx.config, name, 1)  # planpress.yaml review_months_before / _after
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 1


def period_of(ctx: RenderContext) -> Period:
    return review_period(
        ctx.status.today,
        _months(ctx, "review_months_before"),
        _months(ctx, "review_months_after"),
    )


def review_context(ctx: RenderContext) -> dict:
    """The first page: all plans, and the first `page_size` plans' sections (all of them when
    the review fits on one page)."""
    period = period_of(ctx)
    reviewer = Reviewer(ctx, period)
    shown: list[PlanReview] = []
    quiet: list[Link] = []
    for plan in ctx.site.plans.values():
        review = reviewer.kept(plan)
        if quiet_review(review):
            quiet.append(review.link)
        else:
            shown.append(review)
    size = ctx.config.page_size
    paging = paginate(len(shown), size, urls.REVIEW)[0]
    # paged, its tables would list every row of every page
    overall, caps = combine([r.scope for r in shown], size if paging.count > 1 else None)
    return {
        "title": f"Monthly review: {period.title}",
        "period": period,
        "paging": paging,
        "overall": overall,
        "caps": caps,
        "plans": list(entries(shown, paging)),
        "shown_count": len(shown),
        "quiet": quiet,
        "quiet_html": reviewer.cells.links(quiet),
        "plan_count": len(ctx.site.plans),
        "review_count": sum(len(r.reviews) for r in shown),
        "baseline": baseline_summary(ctx),
        "slips_shown": size if paging.count > 1 else None,
        "plan_part": _plan_part(ctx),
    }


def continued_context(ctx: RenderContext, paging: Paging, plan_ids: tuple[str, ...]) -> dict:
    """Page 2 and on: these plans' sections."""
    period = period_of(ctx)
    reviewer = Reviewer(ctx, period)
    return {
        "title": f"Monthly review: {period.title}",
        "period": period,
        "paging": paging,
        "plans": [reviewer.kept(ctx.site.plans[plan_id]) for plan_id in plan_ids],
        "plan_part": _plan_part(ctx),
    }


def _plan_part(ctx: RenderContext) -> Callable:
    """`plan_part` with the first page's bucket on every page, so a plan's section moves from
    page to page with its plan. With pretty_urls, review.2.html is review.2/index.html, in a
    folder of its own, but at the depth of review/index.html: its links are the same."""
    from planpress.render import site  # here: render.site imports the page kinds

    return partial(site.plan_part, ctx, site.part_bucket(ctx, TEMPLATE, urls.REVIEW))


def quiet_review(review: PlanReview) -> bool:
    """A plan with nothing due, to correct, measured or reviewed in the period."""
    return review.scope.empty and not review.reviews and not _measured(review.scope)


def _measured(scope: Scope) -> bool:
    return any(k.measured for k in scope.kpis)


# --- one plan -----------------------------------------------------------------------------


class Reviewer:
    """Reviews each plan for one period. Links, lists of people and KPI periods recur from
    row to row, so each is drawn or parsed once."""

    def __init__(self, ctx: RenderContext, period: Period) -> None:
        self.ctx = ctx
        self.period = period
        self.cells = Cells(ctx.url_style, urls.REVIEW)
        self._parties: dict[tuple[str, ...], tuple[tuple[Link, ...], Markup]] = {}
        self._measured: dict[str, bool] = {}

    def kept(self, plan: Plan) -> PlanReview:
        """plan_review(plan), or the last build's while the plan is unchanged: what the review
        shows of a plan depends on that plan alone (and the period). One bucket for all pages
        of the review: a plan that moves to another page is not reviewed again."""
        make = partial(self.plan_review, plan)
        return kept_part(self.ctx, urls.REVIEW, Depends.plans((plan.id,)), "", make)

    def shows(self, plan: Plan) -> bool:
        """Whether the review shows the plan, not as one with nothing in the period: what
        quiet_review(plan_review(plan)) finds, without making a row."""
        ctx, period = self.ctx, self.period
        if next(self._dated(plan), None) is not None:  # due in the period, or to correct
            return True
        if any(milestone.benefits for milestone, _ in reached_milestones(ctx, plan, period)):
            return True
        if any(_in(day_of(review.date), period.start, period.end) for review in plan.reviews):
            return True
        return any(
            kpi_verdict(ctx, plan, kpi, period) == "behind"  # a correction
            or any(self.measured(actual.period) for actual in kpi.actuals)
            for kpi in plan.kpis
        )

    def plan_review(self, plan: Plan) -> PlanReview:
        ctx, period, cells = self.ctx, self.period, self.cells
        items = list(self.items(plan))
        due = [i for i in items if period.start <= i.due <= period.today]
        coming = [i for i in items if period.today < i.due <= period.end]
        kpis = [kpi_result(ctx, plan, kpi, period, cells, self.measured) for kpi in plan.kpis]
        plan_link = ctx.views.plan_link(plan.id)
        benefits = [
            benefit_result(link, plan_link, benefit_view(plan, benefit), cells)
            for milestone, link in reached_milestones(ctx, plan, period)
            for benefit in milestone.benefits
        ]
        corrections = [*item_corrections(items, period), *kpi_corrections(kpis)]
        scope = make_scope(f"plan-{plan.id}", due, coming, corrections, benefits, kpis)
        reviews = tuple(
            {
                "review": review,
                "day": day_of(review.date),
                "attendees": ctx.views.parties(review.attendees),
            }
            for review in plan.reviews
            if _in(day_of(review.date), period.start, period.end)
        )
        owner = ctx.views.party(plan.owner)
        return PlanReview(
            plan=plan,
            link=plan_link,
            owner=owner,
            health=ctx.status.plans.get(plan.id),
            scope=scope,
            reviews=reviews,
            link_html=cells.link(plan_link),
            owner_html=cells.link(owner),
        )

    def items(self, plan: Plan) -> Iterator[ReviewItem]:
        """The plan's dated tasks and milestones that the review shows, as rows."""
        ctx, cells = self.ctx, self.cells
        plan_link = ctx.views.plan_link(plan.id)
        currency = ctx.config.currency
        anchor = urls.plan_page(plan.id) + "#"
        for item, kind, responsible, due, state, budget, outcome, blocked in self._dated(plan):
            if kind == "task":
                link = Link(item.title, anchor + urls.item_anchor(item.id))
            else:
                link = Link(item.name, urls.milestone_page(plan.id, item.id))
            parties, parties_html = self.parties(tuple(responsible))
            done = day_of(item.done)
            yield ReviewItem(
                plan=plan,
                plan_link=plan_link,
                kind=kind,
                link=link,
                responsible=parties,
                due=due,
                done=done,
                state=state,
                outcome=outcome,
                timing=_timing_text(state, done, due),
                budget=budget,
                budget_text=budget_text(budget, currency),
                blocked=blocked,
                link_html=cells.link(link),
                plan_html=cells.link(plan_link),
                responsible_html=parties_html,
                due_html=cells.day(due),
                done_html=cells.day(done),
            )

    def _dated(self, plan: Plan) -> Iterator[tuple]:
        """The plan's dated tasks and milestones that the review shows (due in the period, or
        needing correction), cancelled tasks left out: (item, kind, responsible, due, state,
        budget, outcome, blocked)."""
        ctx, period = self.ctx, self.period
        found: list[tuple] = [(task, "task", task.responsible) for task in plan.all_tasks()]
        for milestone in plan.milestones:
            owner = (milestone.owner,) if milestone.owner else ()
            found.append((milestone, "milestone", owner))
        for item, kind, responsible in found:
            key = (plan.id, item.id)
            timing = ctx.schedule.items.get(key)
            state = ctx.status.items.get(key)
            if timing is None or timing.due is None or state is None or state.state == "cancelled":
                continue
            due = timing.due
            budget = ctx.status.budgets.get(key)
            outcome = _outcome(state)
            still_open = state.state not in DONE_STATES
            blocked = kind == "task" and item.status == "blocked" and still_open
            over = budget is not None and budget.over and still_open
            if not (period.start <= due <= period.end or outcome == "overdue" or blocked or over):
                continue  # neither due in the period nor to correct: not on the page
            yield item, kind, responsible, due, state, budget, outcome, blocked

    def parties(self, keys: tuple[str, ...]) -> tuple[tuple[Link, ...], Markup]:
        """Links to these people and teams, and the links drawn."""
        found = self._parties.get(keys)
        if found is None:
            links = self.ctx.views.parties(keys)
            found = self._parties[keys] = (links, self.cells.links(links))
        return found

    def measured(self, written: str) -> bool:
        """Whether a KPI actual's period (as written: '2024-07') overlaps the review's."""
        found = self._measured.get(written)
        if found is None:
            found = self._measured[written] = overlaps(written, self.period.start, self.period.end)
        return found


def _in(day: date | None, first: date, last: date) -> bool:
    return day is not None and first <= day <= last


def _outcome(state: ItemStatus) -> str:
    if state.state == "done":
        return "done" if state.days is None else "on-time"
    if state.state == "done-late":
        return "late"
    if state.state == "overdue":
        return "overdue"
    if state.state == "due-soon" and state.days == 0:
        return "due-today"
    return "open"


def _timing_text(state: ItemStatus, done: date | None, due: date) -> str:
    if state.state in ("done", "done-late"):
        if done is None:
            return "done"
        text = schedule_text((done - due).days)
        return "done on time" if text == "on time" else f"done {text.lstrip('+')}"
    return state.label
