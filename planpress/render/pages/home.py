"""The portfolio dashboard: health, what is late, what is due, money, KPIs, strategy tree."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from functools import partial

from planpress.render import format as fmt
from planpress.render import urls
from planpress.render.context import Depends, Page, RenderContext
from planpress.render.history import baseline_summary
from planpress.render.pages.common import plan_summary, section_title
from planpress.render.pages.sections import sections, tags
from planpress.render.views import ItemRow, Link
from planpress.resolve.model import PLAN_STATUSES

HEALTH_ORDER = ("off-track", "at-risk", "on-track", "not-started", "closed")
UPCOMING_DAYS = 30


def pages(ctx: RenderContext) -> Iterator[Page]:
    yield Page(urls.INDEX, "index.html", make=partial(home_context, ctx), depends=Depends.SITE)


def home_context(ctx: RenderContext) -> dict:
    summaries = [plan_summary(ctx, plan) for plan in ctx.site.plans.values()]
    rows = list(_item_rows(ctx))
    today = ctx.status.today
    horizon = today + dt.timedelta(days=UPCOMING_DAYS)
    context = {
        "title": ctx.config.title,
        "plans": sorted(summaries, key=_health_rank),
        "by_status": _counts(s["plan"].status for s in summaries),
        "by_status_order": PLAN_STATUSES,
        "by_health": _counts(s["health"].state for s in summaries if s["health"]),
        "health_order": HEALTH_ORDER,
        "overdue": sorted((r for r in rows if r[1].state.state == "overdue"), key=_due),
        "upcoming_milestones": sorted(
            (r for r in rows if r[1].kind == "milestone" and _within(r[1], today, horizon)),
            key=_due,
        ),
        "upcoming_days": UPCOMING_DAYS,
        "over_budget": [r for r in rows if r[1].budget and r[1].budget.over],
        "plan_budgets": _plan_budgets(ctx),
        "kpis": _kpis(ctx),
        "strategy_tree": _strategy_tree(ctx),
        "sections": [
            Link(section_title(s), urls.section_page(s)) for s in sections(ctx) if "/" not in s
        ],
        "tags": [Link(tag, urls.tag_page(slug)) for slug, (tag, _) in tags(ctx).items()],
        "baseline": baseline_summary(ctx),
    }
    return context


def _item_rows(ctx: RenderContext) -> Iterator[tuple[Link, ItemRow]]:
    """Every task and milestone with the plan it belongs to."""
    for plan in ctx.site.plans.values():
        plan_link = ctx.views.plan_link(plan.id)
        for task in plan.all_tasks():
            yield plan_link, ctx.views.task_row(plan, task)
        for milestone in plan.milestones:
            yield plan_link, ctx.views.milestone_row(plan, milestone)


def _within(row: ItemRow, first: dt.date, last: dt.date) -> bool:
    return bool(row.due_iso) and first.isoformat() <= row.due_iso <= last.isoformat()


def _due(pair: tuple[Link, ItemRow]) -> tuple[str, str]:
    return (pair[1].due_iso or "9999", pair[1].title)


def _counts(values) -> dict[str, int]:
    return dict(Counter(values))


def _health_rank(summary: dict) -> tuple[int, str]:
    health = summary["health"]
    rank = HEALTH_ORDER.index(health.state) if health and health.state in HEALTH_ORDER else 9
    return (rank, summary["plan"].title.casefold())


def _plan_budgets(ctx: RenderContext) -> list[dict]:
    found = []
    for plan in ctx.site.plans.values():
        budget = ctx.status.budgets.get((plan.id, ""))
        if budget and (budget.planned or budget.actual):
            found.append({"plan": ctx.views.plan_link(plan.id), "budget": budget})
    return found


def _kpis(ctx: RenderContext) -> list[dict]:
    found = []
    for plan in ctx.site.plans.values():
        for kpi in plan.kpis:
            progress = ctx.status.kpis.get((plan.id, kpi.id))
            found.append(
                {
                    "plan": ctx.views.plan_link(plan.id),
                    "kpi": kpi,
                    "progress": progress,
                    "target": Link(kpi.name, f"{urls.plan_page(plan.id)}#kpi-{kpi.id}"),
                    "percent": fmt.percent(progress.progress if progress else None),
                }
            )
    return found


def _strategy_tree(ctx: RenderContext) -> list[dict]:
    """Plans that support nothing visible are roots; their supporters hang below them."""
    supported = {pid for plan in ctx.site.plans.values() for pid in plan.supports}
    roots = [
        plan.id
        for plan in ctx.site.plans.values()
        if not any(target in ctx.site.plans for target in plan.supports)
        and plan.id in supported | set(ctx.site.supported_by)
    ]

    def node(plan_id: str, seen: frozenset[str]) -> dict:
        children = [
            node(child, seen | {child})
            for child in ctx.site.supported_by.get(plan_id, ())
            if child not in seen  # `supports` may loop; show each plan once per branch
        ]
        return {"link": ctx.views.plan_link(plan_id), "children": children}

    return [node(root, frozenset({root})) for root in roots]
