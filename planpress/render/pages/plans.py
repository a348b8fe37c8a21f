"""One page per plan."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from planpress.render import urls
from planpress.render.context import Depends, Page, RenderContext
from planpress.render.history import history_toc, plan_history_context
from planpress.render.pages.charts import (
    ChartBuilder,
    budget_chart,
    kpi_trend,
    risk_map,
    timeline_markup,
    timeline_rows,
)
from planpress.render.pages.common import benefit_met, find_kpi, plan_summary, section_crumbs
from planpress.render.pages.matrix import plan_matrix
from planpress.render.views import ItemRow, Link, TaskColumns
from planpress.resolve.ids import slugify
from planpress.resolve.model import Plan


def pages(ctx: RenderContext) -> Iterator[Page]:
    for plan in ctx.site.plans.values():
        path = urls.plan_page(plan.id)
        make = partial(plan_context, ctx, plan, path)
        yield Page(path, plan_template(ctx, plan), make=make, depends=Depends.plan(plan.id))


def plan_template(ctx: RenderContext, plan: Plan) -> str:
    """kinds/<kind>.html when the theme (or the site) has one, else plan.html."""
    return f"kinds/{plan.kind}.html" if plan.kind in ctx.kind_templates else "plan.html"


def plan_context(ctx: RenderContext, plan: Plan, path: str) -> dict:
    views, site = ctx.views, ctx.site
    charts = chart_context(ctx, plan, path)
    objectives = views.objectives(plan)
    rows = [row for objective in objectives for row in objective.rows]
    milestones = [views.milestone_row(plan, m) for m in plan.milestones]
    return {
        "title": plan.title,
        "summary": plan_summary(ctx, plan),
        "plan": plan,
        "objectives": objectives,
        "task_columns": TaskColumns(  # columns no task fills are left out, on every table
            accountable=any(r.accountable for r in rows),
            involved=any(r.consulted or r.informed for r in rows),
            money=any(r.budget for r in rows),
        ),
        "milestones": milestones,
        "kpis": [(k, ctx.status.kpis.get((plan.id, k.id))) for k in plan.kpis],
        "budget": ctx.status.budgets.get((plan.id, "")),
        "owner_of": views.party,
        "parties": views.parties,
        "supports": [views.plan_link(pid) for pid in plan.supports],
        "supported_by": [views.plan_link(p) for p in site.supported_by.get(plan.id, ())],
        "referenced_by": [views.plan_link(p) for p in site.referenced_by.get(plan.id, ())],
        "critical_path": critical_path(ctx, plan),
        "matrix": plan_matrix(ctx, plan),
        "toc": table_of_contents(plan, bool(charts["timeline"])) + history_toc(ctx, plan),
        "breadcrumbs": section_crumbs(plan.section),
        "body_html": ctx.markdown(plan.body, path, plan),
        **plan_history_context(ctx, plan),
        **charts,
        **kind_context(ctx, plan, milestones),
    }


def table_of_contents(plan: Plan, has_timeline: bool) -> list[tuple[str, str]]:
    parts = [
        ("deal", "The deal", plan.sales is not None),
        ("goal", "Goal and KPIs", bool(plan.goal or plan.kpis)),
        ("timeline", "Timeline", has_timeline),
        ("objectives", "Objectives and tasks", bool(plan.objectives or plan.tasks)),
        ("milestones", "Milestones", bool(plan.milestones)),
        ("risks", "Risks", bool(plan.risks)),
        ("communication", "Communication", bool(plan.communication)),
        ("reviews", "Reviews", bool(plan.reviews)),
        ("text", "Plan text", bool(plan.body.strip())),
    ]
    return [(anchor, label) for anchor, label, present in parts if present]


def chart_context(ctx: RenderContext, plan: Plan, path: str) -> dict:
    timeline = ChartBuilder(ctx, path).plan_timeline(plan)
    return {
        "timeline": timeline_markup(timeline),
        "timeline_rows": timeline_rows(timeline),
        "kpi_trends": {kpi.id: kpi_trend(ctx, plan, kpi) for kpi in plan.kpis},
        "budget_chart": budget_chart(ctx, plan),
        "risk_map": risk_map(plan),
    }


def kind_context(ctx: RenderContext, plan: Plan, milestones: list[ItemRow]) -> dict:
    """What the layouts of particular kinds show besides the common parts; `milestones` are
    the plan's milestones as rows, in order."""
    categories: dict[str, list] = {}
    for milestone, row in zip(plan.milestones, milestones, strict=True):
        categories.setdefault(milestone.category, []).append(row)
    supporters = [
        plan_summary(ctx, ctx.site.plans[pid]) for pid in ctx.site.supported_by.get(plan.id, ())
    ]
    return {
        "milestone_categories": dict(sorted(categories.items())),
        "supporters": supporters,
        "review_questions": review_questions(ctx, plan) if plan.kind == "milestone-plan" else [],
        "tag_links": [Link(tag, urls.tag_page(slugify(tag))) for tag in plan.tags],
    }


def review_questions(ctx: RenderContext, plan: Plan) -> list[tuple[str, str]]:
    """The source's monthly review questions, answered from the milestones' figures."""
    states = [ctx.status.items.get((plan.id, m.id)) for m in plan.milestones]
    done = [s for s in states if s and s.state in ("done", "done-late")]
    late = [s for s in done if s.state == "done-late"]
    budgets = [ctx.status.budgets.get((plan.id, m.id)) for m in plan.milestones]
    costed = [b for b in budgets if b and b.planned is not None and b.actual is not None]
    over = [b for b in costed if b.over]
    overdue = [s for s in states if s and s.state == "overdue"]
    benefits = [b for m in plan.milestones for b in m.benefits if b.actual is not None]
    met = [b for b in benefits if benefit_met(b, find_kpi(plan, b.metric))]
    metrics = "; ".join(f"{b.metric}: {b.actual} against {b.target}" for b in benefits)
    return [
        ("On time?", f"{len(done) - len(late)} of {len(done)} completed milestones on time"),
        (
            "On budget?",
            f"{len(costed) - len(over)} of {len(costed)} costed milestones within budget",
        ),
        ("Corrections needed?", f"{len(overdue)} overdue, {len(over)} over budget"),
        ("Desired results?", f"{len(met)} of {len(benefits)} measured benefits met"),
        ("Specific metrics", metrics or "no actual figures recorded yet"),
    ]


def critical_path(ctx: RenderContext, plan: Plan) -> list[str]:
    timing = ctx.schedule.plans.get(plan.id)
    path = timing.critical_path if timing else ()
    return [ctx.views.item_title(plan, item_id) or item_id for item_id in path]
