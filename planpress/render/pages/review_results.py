"""The review's results and metrics: planned benefits of milestones reached, and KPIs.

The rules are those stated in review.py, whose page shows them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from markupsafe import Markup

from planpress.render import format as fmt
from planpress.render import urls
from planpress.render.context import RenderContext
from planpress.render.links import EMPTY
from planpress.render.pages.cells import Cells, verdict, with_unit
from planpress.render.pages.milestones import BenefitCells, BenefitView, benefit_cells, day_of
from planpress.render.views import Link
from planpress.resolve.model import KPI, Plan
from planpress.schedule.dates import DateError, parse_date
from planpress.schedule.status import KPI_LAG, KpiProgress

if TYPE_CHECKING:  # review.py draws the page and imports this module
    from planpress.render.pages.review import Period


@dataclass(frozen=True, slots=True)
class BenefitResult:
    milestone: Link
    plan_link: Link
    benefit: BenefitView
    # the cells as partials/links.html draws them (see cells.py)
    milestone_html: Markup
    plan_html: Markup
    cells: BenefitCells


@dataclass(frozen=True, slots=True)
class KpiResult:
    kpi: KPI
    link: Link
    plan_link: Link
    progress: KpiProgress
    measured: bool  # an actual falls in the period
    verdict: str  # reached | on track | behind | no data | measured
    # the cells as partials/links.html draws them (see cells.py)
    link_html: Markup
    plan_html: Markup
    target_html: Markup
    latest_html: Markup  # with its unit; empty without an actual
    verdict_html: Markup


def reached_milestones(ctx: RenderContext, plan: Plan, period: Period) -> Iterator:
    """Milestones due or done from the period's start to today: their results are in."""
    for milestone in plan.milestones:
        timing = ctx.schedule.items.get((plan.id, milestone.id))
        due = timing.due if timing else None
        done = day_of(milestone.done)
        if _between(due, period.start, period.today) or _between(done, period.start, period.today):
            yield milestone, Link(milestone.name, urls.milestone_page(plan.id, milestone.id))


def benefit_result(
    milestone: Link, plan_link: Link, benefit: BenefitView, cells: Cells
) -> BenefitResult:
    return BenefitResult(
        milestone=milestone,
        plan_link=plan_link,
        benefit=benefit,
        milestone_html=cells.link(milestone),
        plan_html=cells.link(plan_link),
        cells=benefit_cells(cells, benefit),
    )


def kpi_result(
    ctx: RenderContext,
    plan: Plan,
    kpi: KPI,
    period: Period,
    cells: Cells,
    measured: Callable[[str], bool],  # an actual's period as written -> in the review's?
) -> KpiResult:
    progress = _progress(ctx, plan, kpi)
    link = Link(kpi.name, f"{urls.plan_page(plan.id)}#kpi-{kpi.id}")
    plan_link = ctx.views.plan_link(plan.id)
    judged = _kpi_verdict(ctx, plan, kpi, progress, period)
    latest = progress.latest
    return KpiResult(
        kpi=kpi,
        link=link,
        plan_link=plan_link,
        progress=progress,
        measured=any(measured(actual.period) for actual in kpi.actuals),
        verdict=judged,
        link_html=cells.link(link),
        plan_html=cells.link(plan_link),
        target_html=with_unit(fmt.number(kpi.target), kpi.unit),
        latest_html=EMPTY if latest is None else with_unit(fmt.number(latest), kpi.unit),
        verdict_html=verdict(judged),
    )


def kpi_verdict(ctx: RenderContext, plan: Plan, kpi: KPI, period: Period) -> str:
    """The verdict kpi_result gives, alone."""
    return _kpi_verdict(ctx, plan, kpi, _progress(ctx, plan, kpi), period)


def _progress(ctx: RenderContext, plan: Plan, kpi: KPI) -> KpiProgress:
    return ctx.status.kpis.get((plan.id, kpi.id)) or KpiProgress(None, None, None, False, None)


def _kpi_verdict(
    ctx: RenderContext, plan: Plan, kpi: KPI, progress: KpiProgress, period: Period
) -> str:
    timing = ctx.schedule.plans.get(plan.id)
    ended = timing is not None and timing.end is not None and timing.end < period.today
    if progress.latest is None:
        return "no data"
    if progress.reached:
        return "reached"
    if _behind(progress) or (ended and kpi.target is not None):
        return "behind"
    if progress.progress is not None and progress.expected is not None:
        return "on track"
    return "below target" if kpi.target is not None else "measured"


def _behind(progress: KpiProgress) -> bool:
    if progress.progress is None or progress.expected is None:
        return False
    return progress.progress < progress.expected - KPI_LAG


def overlaps(written: str, first: date, last: date) -> bool:
    """Whether a period as written ('2024-07', '2024-Q3') overlaps first..last."""
    try:
        span = parse_date(written).span
    except DateError:
        return False
    return span is not None and span.first <= last and span.last >= first


def _between(day: date | None, first: date, last: date) -> bool:
    return day is not None and first <= day <= last
