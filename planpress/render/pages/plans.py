"""One page per plan."""

from __future__ import annotations

from collections.abc import Iterator

from planpress.render import urls
from planpress.render.context import Page, RenderContext
from planpress.render.pages.common import plan_summary, section_crumbs
from planpress.render.pages.matrix import plan_matrix
from planpress.render.views import item_title
from planpress.resolve.model import Plan


def pages(ctx: RenderContext) -> Iterator[Page]:
    for plan in ctx.site.plans.values():
        path = urls.plan_page(plan.id)
        yield Page(path, "plan.html", plan_context(ctx, plan, path))


def plan_context(ctx: RenderContext, plan: Plan, path: str) -> dict:
    views, site = ctx.views, ctx.site
    return {
        "title": plan.title,
        "summary": plan_summary(ctx, plan),
        "plan": plan,
        "objectives": views.objectives(plan),
        "milestones": [views.milestone_row(plan, m) for m in plan.milestones],
        "kpis": [(k, ctx.status.kpis.get((plan.id, k.id))) for k in plan.kpis],
        "budget": ctx.status.budgets.get((plan.id, "")),
        "owner_of": views.party,
        "parties": views.parties,
        "supports": [views.plan_link(pid) for pid in plan.supports],
        "supported_by": [views.plan_link(p) for p in site.supported_by.get(plan.id, ())],
        "referenced_by": [views.plan_link(p) for p in site.referenced_by.get(plan.id, ())],
        "critical_path": critical_path(ctx, plan),
        "matrix": plan_matrix(ctx, plan),
        "breadcrumbs": section_crumbs(plan.section),
        "body_html": ctx.markdown(plan.body, path, plan),
    }


def critical_path(ctx: RenderContext, plan: Plan) -> list[str]:
    timing = ctx.schedule.plans.get(plan.id)
    path = timing.critical_path if timing else ()
    return [item_title(plan, item_id) or item_id for item_id in path]
