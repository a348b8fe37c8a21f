"""The monthly review's scopes (all plans, or one plan) and its answers to the five questions.

The rules are those stated in review.py, whose page shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from planpress.render import format as fmt

if TYPE_CHECKING:  # review.py builds the rows and imports this module
    from planpress.render.pages.review import Correction, ReviewItem
    from planpress.render.pages.review_results import BenefitResult, KpiResult


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
