"""Helpers several page kinds share: plan summaries, section names, breadcrumbs."""

from __future__ import annotations

from planpress.render import format as fmt
from planpress.render import urls
from planpress.render.context import RenderContext
from planpress.render.views import KIND_LABELS
from planpress.resolve.model import KPI, Benefit, Plan


def plan_summary(ctx: RenderContext, plan: Plan) -> dict:
    timing = ctx.schedule.plans.get(plan.id)
    return {
        "plan": plan,
        "link": ctx.views.plan_link(plan.id),
        "kind": KIND_LABELS.get(plan.kind, plan.kind),
        "owner": ctx.views.party(plan.owner),
        "health": ctx.status.plans.get(plan.id),
        "start": fmt.day(timing.start) if timing else "",
        "end": fmt.day(timing.end) if timing else "",
    }


def section_title(folder: str) -> str:
    """'sales/emea-north' -> 'Emea north' (the last folder name as a heading)."""
    name = folder.rsplit("/", 1)[-1].replace("-", " ").replace("_", " ")
    return name[:1].upper() + name[1:]


def section_crumbs(section: str) -> list[tuple[str, str]]:
    """Home, then each folder above and including `section`, as (text, path) pairs."""
    crumbs = [("Home", urls.INDEX)]
    parts = section.split("/") if section else []
    for depth in range(1, len(parts) + 1):
        folder = "/".join(parts[:depth])
        crumbs.append((section_title(folder), urls.section_page(folder)))
    return crumbs


def find_kpi(plan: Plan, metric: str) -> KPI | None:
    wanted = metric.strip().casefold()
    for kpi in plan.kpis:
        if kpi.id.casefold() == wanted or kpi.name.casefold() == wanted:
            return kpi
    return None


def benefit_met(benefit: Benefit, kpi: KPI | None) -> bool | None:
    target, actual = benefit.target, benefit.actual
    if not isinstance(target, int | float) or not isinstance(actual, int | float):
        return None
    if kpi is not None and kpi.direction == "down":
        return actual <= target
    return actual >= target
