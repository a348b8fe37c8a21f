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
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial

from planpress.render import format as fmt
from planpress.render import urls
from planpress.render.context import Depends, Page, RenderContext
from planpress.render.history import baseline_summary
from planpress.render.pages.milestones import (
    BenefitView,
    benefit_view,
    budget_text,
    day_of,
    schedule_text,
)
from planpress.render.views import Link
from planpress.resolve.model import KPI, Plan
from planpress.schedule.dates import DateError, parse_date
from planpress.schedule.status import DONE_STATES, KPI_LAG, Budget, Health, ItemStatus, KpiProgress

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August")
MONTH_NAMES += ("September", "October", "November", "December")


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date
    today: date

    @property
    def title(self) -> str:
        first = f"{MONTH_NAMES[self.start.month - 1]} {self.start.year}"
        last = f"{MONTH_NAMES[self.end.month - 1]} {self.end.year}"
        if first == last:
            return first
        if self.start.year == self.end.year:
            return f"{MONTH_NAMES[self.start.month - 1]} – {last}"
        return f"{first} – {last}"


@dataclass(frozen=True, slots=True)
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
class Correction:
    subject: Link
    plan_link: Link
    kind: str  # task | milestone | KPI
    problems: tuple[str, ...]
    tags: tuple[str, ...]  # overdue | over-budget | blocked | kpi-behind
    responsible: tuple[Link, ...]
    due: date | None  # for the order: items by due day, then KPIs


@dataclass(frozen=True, slots=True)
class BenefitResult:
    milestone: Link
    plan_link: Link
    benefit: BenefitView


@dataclass(frozen=True, slots=True)
class KpiResult:
    kpi: KPI
    link: Link
    plan_link: Link
    progress: KpiProgress
    measured: bool  # an actual falls in the period
    verdict: str  # reached | on track | behind | no data | measured


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    answer: str
    details: str


@dataclass(frozen=True, slots=True)
class Scope:
    """Everything the review shows for one plan, or for all of them."""

    key: str  # anchor prefix
    due: tuple[ReviewItem, ...]
    coming: tuple[ReviewItem, ...]
    corrections: tuple[Correction, ...]
    benefits: tuple[BenefitResult, ...]
    kpis: tuple[KpiResult, ...]
    answers: tuple[Answer, ...]

    @property
    def empty(self) -> bool:
        return not (self.due or self.coming or self.corrections or self.benefits)


@dataclass(frozen=True, slots=True)
class PlanReview:
    plan: Plan
    link: Link
    owner: Link | None
    health: Health | None
    scope: Scope
    reviews: tuple[dict, ...]


def pages(ctx: RenderContext) -> Iterator[Page]:
    make = partial(review_context, ctx)
    yield Page(urls.REVIEW, "review.html", make=make, depends=Depends.SITE)


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


def review_context(ctx: RenderContext) -> dict:
    period = review_period(
        ctx.status.today,
        _months(ctx, "review_months_before"),
        _months(ctx, "review_months_after"),
    )
    shown: list[PlanReview] = []
    quiet: list[Link] = []
    for plan in ctx.site.plans.values():
        review = plan_review(ctx, plan, period)
        if review.scope.empty and not review.reviews and not _measured(review.scope):
            quiet.append(review.link)
        else:
            shown.append(review)
    overall = combine([r.scope for r in shown])
    return {
        "title": f"Monthly review: {period.title}",
        "period": period,
        "overall": overall,
        "plans": shown,
        "quiet": quiet,
        "plan_count": len(ctx.site.plans),
        "review_count": sum(len(r.reviews) for r in shown),
        "baseline": baseline_summary(ctx),
    }


def _measured(scope: Scope) -> bool:
    return any(k.measured for k in scope.kpis)


# --- one plan -----------------------------------------------------------------------------


def plan_review(ctx: RenderContext, plan: Plan, period: Period) -> PlanReview:
    items = list(review_items(ctx, plan))
    due = [i for i in items if period.start <= i.due <= period.today]
    coming = [i for i in items if period.today < i.due <= period.end]
    kpis = [kpi_result(ctx, plan, kpi, period) for kpi in plan.kpis]
    plan_link = ctx.views.plan_link(plan.id)
    benefits = [
        BenefitResult(link, plan_link, benefit_view(plan, benefit))
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
    return PlanReview(
        plan=plan,
        link=ctx.views.plan_link(plan.id),
        owner=ctx.views.party(plan.owner),
        health=ctx.status.plans.get(plan.id),
        scope=scope,
        reviews=reviews,
    )


def _in(day: date | None, first: date, last: date) -> bool:
    return day is not None and first <= day <= last


def review_items(ctx: RenderContext, plan: Plan) -> Iterator[ReviewItem]:
    """The plan's dated tasks and milestones, cancelled tasks left out."""
    plan_link = ctx.views.plan_link(plan.id)
    currency = ctx.config.currency
    anchor = urls.plan_page(plan.id) + "#"
    entries: list[tuple] = []
    for task in plan.all_tasks():
        link = Link(task.title, anchor + urls.item_anchor(task.id))
        entries.append((task, "task", task.responsible, link))
    for milestone in plan.milestones:
        link = Link(milestone.name, urls.milestone_page(plan.id, milestone.id))
        owner = (milestone.owner,) if milestone.owner else ()
        entries.append((milestone, "milestone", owner, link))
    for item, kind, responsible, link in entries:
        key = (plan.id, item.id)
        timing = ctx.schedule.items.get(key)
        state = ctx.status.items.get(key)
        if timing is None or timing.due is None or state is None or state.state == "cancelled":
            continue
        done = day_of(item.done)
        budget = ctx.status.budgets.get(key)
        yield ReviewItem(
            plan=plan,
            plan_link=plan_link,
            kind=kind,
            link=link,
            responsible=ctx.views.parties(tuple(responsible)),
            due=timing.due,
            done=done,
            state=state,
            outcome=_outcome(state),
            timing=_timing_text(state, done, timing.due),
            budget=budget,
            budget_text=budget_text(budget, currency),
            blocked=kind == "task" and item.status == "blocked" and state.state not in DONE_STATES,
        )


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


def reached_milestones(ctx: RenderContext, plan: Plan, period: Period) -> Iterator:
    """Milestones due or done from the period's start to today: their results are in."""
    for milestone in plan.milestones:
        timing = ctx.schedule.items.get((plan.id, milestone.id))
        due = timing.due if timing else None
        done = day_of(milestone.done)
        if _in(due, period.start, period.today) or _in(done, period.start, period.today):
            yield milestone, Link(milestone.name, urls.milestone_page(plan.id, milestone.id))


def kpi_result(ctx: RenderContext, plan: Plan, kpi: KPI, period: Period) -> KpiResult:
    progress = ctx.status.kpis.get((plan.id, kpi.id)) or KpiProgress(None, None, None, False, None)
    timing = ctx.schedule.plans.get(plan.id)
    ended = timing is not None and timing.end is not None and timing.end < period.today
    if progress.latest is None:
        verdict = "no data"
    elif progress.reached:
        verdict = "reached"
    elif _behind(progress) or (ended and kpi.target is not None):
        verdict = "behind"
    elif progress.progress is not None and progress.expected is not None:
        verdict = "on track"
    else:
        verdict = "below target" if kpi.target is not None else "measured"
    return KpiResult(
        kpi=kpi,
        link=Link(kpi.name, f"{urls.plan_page(plan.id)}#kpi-{kpi.id}"),
        plan_link=ctx.views.plan_link(plan.id),
        progress=progress,
        measured=any(_overlaps(actual.period, period) for actual in kpi.actuals),
        verdict=verdict,
    )


def _behind(progress: KpiProgress) -> bool:
    if progress.progress is None or progress.expected is None:
        return False
    return progress.progress < progress.expected - KPI_LAG


def _overlaps(text: str, period: Period) -> bool:
    try:
        span = parse_date(text).span
    except DateError:
        return False
    return span is not None and span.first <= period.end and span.last >= period.start


def item_corrections(items: list[ReviewItem], period: Period) -> Iterator[Correction]:
    for item in items:
        problems, tags = [], []
        if item.outcome == "overdue":
            problems.append(item.state.label)
            tags.append("overdue")
        if item.blocked:
            problems.append("blocked")
            tags.append("blocked")
        if (
            item.budget
            and item.budget.over
            and (item.open or period.start <= item.due <= period.end)
        ):
            problems.append(item.budget_text)
            tags.append("over-budget")
        if problems:
            yield Correction(
                item.link,
                item.plan_link,
                item.kind,
                tuple(problems),
                tuple(tags),
                item.responsible,
                item.due,
            )


def kpi_corrections(kpis: list[KpiResult]) -> Iterator[Correction]:
    for result in kpis:
        if result.verdict != "behind":
            continue
        p = result.progress
        if p.progress is not None and p.expected is not None:
            problem = (
                f"behind: {fmt.percent(p.progress)} of the way to target "
                f"with {fmt.percent(p.expected)} of the time elapsed"
            )
        else:
            problem = f"target {fmt.number(result.kpi.target)} not reached by the plan's end"
        yield Correction(
            result.link, result.plan_link, "KPI", (problem,), ("kpi-behind",), (), None
        )


# --- scopes and the five questions --------------------------------------------------------


def make_scope(
    key: str,
    due: list[ReviewItem],
    coming: list[ReviewItem],
    corrections: list[Correction],
    benefits: list[BenefitResult],
    kpis: list[KpiResult],
) -> Scope:
    due.sort(key=_item_order)
    coming.sort(key=_item_order)
    corrections.sort(key=lambda c: (c.due or date.max, c.due is None, c.subject.text))
    answers = five_questions(due, coming, corrections, benefits, kpis)
    return Scope(
        key, tuple(due), tuple(coming), tuple(corrections), tuple(benefits), tuple(kpis), answers
    )


def combine(scopes: list[Scope]) -> Scope:
    return make_scope(
        "all",
        [i for s in scopes for i in s.due],
        [i for s in scopes for i in s.coming],
        [c for s in scopes for c in s.corrections],
        [b for s in scopes for b in s.benefits],
        [k for s in scopes for k in s.kpis],
    )


def _item_order(item: ReviewItem) -> tuple:
    return (item.due, item.plan.id, item.kind, item.link.text)


def five_questions(
    due: list[ReviewItem],
    coming: list[ReviewItem],
    corrections: list[Correction],
    benefits: list[BenefitResult],
    kpis: list[KpiResult],
) -> tuple[Answer, ...]:
    return (
        Answer("On time?", *_on_time(due)),
        Answer("On budget?", *_on_budget([*due, *coming])),
        Answer("Corrections needed?", *_corrections(corrections)),
        Answer("Desired results?", *_results(benefits)),
        Answer("Metrics:", *_metrics(benefits, kpis)),
    )


def _on_time(due: list[ReviewItem]) -> tuple[str, str]:
    """Judged only on items with a done day; items marked done without one are counted apart."""
    if not due:
        return "Nothing was due in the period so far.", ""
    outcomes = [i.outcome for i in due]
    on_time, late = outcomes.count("on-time"), outcomes.count("late")
    if on_time + late:
        verb = "was" if on_time + late == 1 else "were"
        done = fmt.plural(on_time + late, "item")
        answer = f"{on_time} of {done} done by a recorded day {verb} on time."
    else:
        answer = "No completion days were recorded for the items due so far."
    counts = [
        (late, "done late"),
        (outcomes.count("overdue"), "overdue"),
        (outcomes.count("due-today"), "due today"),
        (outcomes.count("done"), "marked done without a done date"),
    ]
    return answer, _details(counts)


def _on_budget(items: list[ReviewItem]) -> tuple[str, str]:
    costed = [i for i in items if i.budget is not None and i.budget.actual is not None]
    judged = [i for i in costed if i.within_budget is not None]
    unbudgeted = len(costed) - len(judged)
    if not costed:
        return "No costs recorded for the items due in the period.", ""
    within = sum(1 for i in judged if i.within_budget)
    verb = "is" if len(judged) == 1 else "are"
    answer = f"{within} of {fmt.plural(len(judged), 'item')} with costs {verb} within budget."
    over = [i for i in judged if not i.within_budget]
    counts = [(len(over), "over budget"), (unbudgeted, "with costs but no budget")]
    return answer, _details(counts)


def _corrections(corrections: list[Correction]) -> tuple[str, str]:
    if not corrections:
        return "None.", ""
    tags = [tag for c in corrections for tag in c.tags]
    counts = [
        (tags.count("overdue"), "overdue"),
        (tags.count("over-budget"), "over budget"),
        (tags.count("blocked"), "blocked"),
        (
            tags.count("kpi-behind"),
            "KPI behind" if tags.count("kpi-behind") == 1 else "KPIs behind",
        ),
    ]
    return f"{fmt.plural(len(corrections), 'item')}.", _details(counts)


def _results(benefits: list[BenefitResult]) -> tuple[str, str]:
    if not benefits:
        return "No planned benefits were due in the period so far.", ""
    judged = [b for b in benefits if b.benefit.met is not None]
    met = sum(1 for b in judged if b.benefit.met)
    if not judged:
        answer = "No benefit results recorded yet."
    else:
        answer = f"{met} of {fmt.plural(len(judged), 'benefit')} met."
    pending = sum(1 for b in benefits if b.benefit.verdict == "not measured yet")
    other = sum(1 for b in benefits if b.benefit.verdict == "not comparable")
    return answer, _details([(pending, "not measured yet"), (other, "not comparable")])


def _metrics(benefits: list[BenefitResult], kpis: list[KpiResult]) -> tuple[str, str]:
    measured = [k for k in kpis if k.measured]
    parts = []
    if measured:
        parts.append(f"{fmt.plural(len(measured), 'KPI')} measured in the period")
    results = [b for b in benefits if b.benefit.actual]
    if results:
        parts.append(f"{fmt.plural(len(results), 'benefit result')} recorded")
    if not parts:
        return "No metrics recorded in the period.", ""
    verdicts = [k.verdict for k in measured]
    counts = [(verdicts.count(v), v) for v in ("reached", "on track", "behind", "below target")]
    return "; ".join(parts) + ".", _details(counts)


def _details(counts: list[tuple[int, str]]) -> str:
    return ", ".join(f"{count} {label}" for count, label in counts if count)
