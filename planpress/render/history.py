"""View-models for the git history and the baseline comparison (partials/history.html)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planpress.history.baseline import ItemFacts, Slip
from planpress.history.log import PlanHistory
from planpress.render.context import RenderContext
from planpress.render.views import Link, item_target
from planpress.resolve.model import Plan

HISTORY_SHOWN = 20  # commits listed on a plan page, newest first
BIGGEST_SLIPS = 5  # on the dashboard


@dataclass(frozen=True, slots=True)
class SlipView:
    link: Link
    plan_link: Link
    kind: str
    due: dt.date
    baseline_due: dt.date
    days: int
    text: str  # +7 days


@dataclass(frozen=True, slots=True)
class ItemChange:
    link: Link  # plain text for removed items
    plan_link: Link
    kind: str


@dataclass(frozen=True, slots=True)
class BaselineSummary:
    """The comparison with the baseline for the dashboard and the review page."""

    rev: str
    slipped: tuple[SlipView, ...]  # due later than in the baseline, biggest first
    biggest: tuple[SlipView, ...]
    earlier: int  # items now due earlier
    added: tuple[ItemChange, ...]
    removed: tuple[ItemChange, ...]
    added_plans: tuple[Link, ...]
    removed_plans: tuple[str, ...]


def plan_history_context(ctx: RenderContext, plan: Plan) -> dict:
    """`plan_history` and `baseline_changes` for a plan page (None when there are none)."""
    history = ctx.history.get(plan.id)
    return {
        "plan_history": _history_view(history) if history else None,
        "baseline_changes": _plan_changes(ctx, plan) if ctx.baseline else None,
    }


def history_toc(ctx: RenderContext, plan: Plan) -> list[tuple[str, str]]:
    """The page's contents entries for the two sections, when they are shown."""
    found = []
    if ctx.baseline:
        found.append(("changes", "Changes since baseline"))
    if plan.id in ctx.history:
        found.append(("history", "History"))
    return found


def _history_view(history: PlanHistory) -> dict:
    last = history.last
    return {
        "last": last,
        "uncommitted": history.uncommitted,
        "changes": history.changes[:HISTORY_SHOWN],
        "older": max(0, len(history.changes) - HISTORY_SHOWN),
        "source": history.source,
    }


def _plan_changes(ctx: RenderContext, plan: Plan) -> dict:
    report = ctx.baseline
    assert report is not None
    return {
        "rev": report.rev,
        "new": report.is_new(plan.id),
        "moved": [_slip_view(ctx, s) for s in report.plan_slips(plan.id)],
        "added": [_change(ctx, item, True) for item in report.plan_added(plan.id)],
        "removed": [_change(ctx, item, False) for item in report.plan_removed(plan.id)],
    }


def baseline_summary(ctx: RenderContext) -> BaselineSummary | None:
    report = ctx.baseline
    if report is None:
        return None
    slipped = tuple(_slip_view(ctx, s) for s in report.slipped)
    return BaselineSummary(
        rev=report.rev,
        slipped=slipped,
        biggest=slipped[:BIGGEST_SLIPS],
        earlier=sum(1 for s in report.slips.values() if s.days < 0),
        added=tuple(_change(ctx, item, True) for item in report.added),
        removed=tuple(_change(ctx, item, False) for item in report.removed),
        added_plans=tuple(ctx.views.plan_link(p.id) for p in report.added_plans),
        removed_plans=tuple(p.title for p in report.removed_plans),
    )


def _slip_view(ctx: RenderContext, slip: Slip) -> SlipView:
    item = slip.item
    return SlipView(
        link=Link(item.title, item_target(item.plan_id, item.id, item.kind)),
        plan_link=ctx.views.plan_link(item.plan_id),
        kind=item.kind,
        due=slip.due,
        baseline_due=slip.baseline_due,
        days=slip.days,
        text=slip.text,
    )


def _change(ctx: RenderContext, item: ItemFacts, exists: bool) -> ItemChange:
    target = item_target(item.plan_id, item.id, item.kind) if exists else None
    return ItemChange(Link(item.title, target), ctx.views.plan_link(item.plan_id), item.kind)
