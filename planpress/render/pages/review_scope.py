"""The monthly review's scopes (all plans, or one plan): their rows needing correction, their
answers to the five questions, and the tables of all plans cut to a page's length.

The rules are those stated in review.py, whose page shows them.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from planpress.render import format as fmt
from planpress.render.links import EMPTY
from planpress.render.views import Link

if TYPE_CHECKING:  # review.py builds the rows and imports this module
    from planpress.render.pages.review import Period, ReviewItem
    from planpress.render.pages.review_results import BenefitResult, KpiResult


@dataclass(slots=True)  # not frozen, as ReviewItem
class Correction:
    subject: Link
    plan_link: Link
    kind: str  # task | milestone | KPI
    problems: tuple[str, ...]
    tags: tuple[str, ...]  # overdue | over-budget | blocked | kpi-behind
    responsible: tuple[Link, ...]
    due: date | None  # for the order: items by due day, then KPIs
    # the cells as partials/links.html draws them (see cells.py)
    subject_html: Markup
    plan_html: Markup
    responsible_html: Markup
    problems_html: Markup = field(init=False)

    def __post_init__(self) -> None:
        self.problems_html = escape("; ".join(self.problems))


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
                item.link_html,
                item.plan_html,
                item.responsible_html,
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
            result.link,
            result.plan_link,
            "KPI",
            (problem,),
            ("kpi-behind",),
            (),
            None,
            result.link_html,
            result.plan_html,
            EMPTY,
        )


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
    corrections.sort(key=_correction_order)
    answers = five_questions(due, coming, corrections, benefits, kpis)
    return Scope(
        key, tuple(due), tuple(coming), tuple(corrections), tuple(benefits), tuple(kpis), answers
    )


def combine(scopes: list[Scope], size: int | None = None) -> tuple[Scope, dict[str, Cap]]:
    """The scope of all plans, and the tables cut, by name. With `size`, each table longer
    than that shows its `size` most pressing rows (see _PRESSING_FIRST); the answers still
    count every row. The rows left out are never sorted: at 10,000 plans the tables hold
    tens of thousands of rows."""
    tables = {name: [row for s in scopes for row in getattr(s, name)] for name in _TABLES}
    answers = five_questions(*tables.values())  # counts: the order does not matter
    chosen: dict[str, tuple] = {}
    caps: dict[str, Cap] = {}
    for name, rows in tables.items():
        order = _ORDER.get(name)
        if size is None or len(rows) <= size:
            chosen[name] = tuple(sorted(rows, key=order) if order else rows)
            continue
        pressing = _PRESSING_FIRST.get(name)
        # a stable sort by order then by pressing, cut: nsmallest is a stable sort's first
        chosen[name] = tuple(heapq.nsmallest(size, rows, key=_both(pressing, order)))
        caps[name] = Cap(size, len(rows))
    return Scope("all", answers=answers, **chosen), caps


@dataclass(frozen=True, slots=True)
class Cap:
    """A table of all plans cut to a page's length: it shows `shown` of its `total` rows."""

    shown: int
    total: int


_TABLES = ("due", "coming", "corrections", "benefits", "kpis")  # five_questions' order


def _item_order(item: ReviewItem) -> tuple:
    return (item.due, item.plan.id, item.kind, item.link.text)


def _correction_order(c: Correction) -> tuple:
    return (c.due or date.max, c.due is None, c.subject.text)


# the order of each table (benefits and KPIs: the plans' order)
_ORDER: dict[str, Callable[[Any], tuple]] = {
    "due": _item_order,
    "coming": _item_order,
    "corrections": _correction_order,
}

# what a table of all plans shows first when it is cut: a row is pressing when the key is
# False. Coming up (soonest first) and needs correction (longest overdue first, then KPIs
# behind) are in that order already; due so far is by due day, done or not.
_PRESSING_FIRST: dict[str, Callable[[Any], bool]] = {
    "due": lambda item: not item.open,
    "benefits": lambda result: result.benefit.met is not False,
    "kpis": lambda result: result.verdict != "behind",
}


def _both(first: Callable | None, then: Callable | None) -> Callable[[Any], tuple]:
    return lambda row: (first(row) if first else 0, then(row) if then else 0)


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
