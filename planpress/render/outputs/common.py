"""What several outputs share: absolute URLs from base_url, names of people, calendar days."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from planpress.render import urls
from planpress.render.context import RenderContext, kept_piece
from planpress.render.pieces import PieceRef, Spliced, spliced_join
from planpress.resolve.model import Plan
from planpress.schedule.dates import DateExpr


def root_href(ctx: RenderContext, path: str) -> str:
    """The link to an output path from the site's root, as a page at the root would write it."""
    return ctx.url_style.link(urls.INDEX, path)


def absolute_url(ctx: RenderContext, path: str) -> str | None:
    """The absolute URL of an output path when `base_url` is configured, else None."""
    if not ctx.config.base_url:
        return None
    href = root_href(ctx, path)
    return f"{ctx.config.base_url}/{href.removeprefix('./')}"


def item_page(plan: Plan, item_id: str, kind: str) -> str:
    """Where an item is shown: a milestone's own page, or the task's row on its plan page."""
    if kind == "milestone":
        return urls.milestone_page(plan.id, item_id)
    return f"{urls.plan_page(plan.id)}#{urls.item_anchor(item_id)}"


def names(ctx: RenderContext, keys: tuple[str, ...] | list[str]) -> list[str]:
    return [name(ctx, key) for key in keys]


def name(ctx: RenderContext, key: str | None) -> str:
    if not key:
        return ""
    party = ctx.site.parties.get(key)
    return party.name if party else key


def day_of(expr: DateExpr | None) -> date | None:
    """The first day of a date as written, when it names days on its own (not 'week 3')."""
    return expr.span.first if expr is not None and expr.span is not None else None


def json_text(document: object) -> str:
    """A value as compact JSON, UTF-8 kept (how plans.json and the search index write it)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def plan_pieces(
    ctx: RenderContext, file: str, shell: bytes, document: Callable[[Plan], object]
) -> bytes | Spliced:
    """`shell`, a JSON document whose `"plans":[]` is filled with document(plan) for every
    plan, as json_text(...) of the whole would write it; each plan's piece is kept for the
    next build (see render.pieces.PlanPieces)."""
    head, marker, tail = shell.partition(b'"plans":[]')
    assert marker, f"{file} has a plans list"

    def piece(plan: Plan) -> bytes | PieceRef:
        return kept_piece(ctx, file, plan.id, lambda: json_text(document(plan)).encode())

    parts: list[bytes | PieceRef] = [head, b'"plans":[']
    for number, plan in enumerate(ctx.site.plans.values()):
        parts += (b",", piece(plan)) if number else (piece(plan),)
    return spliced_join((*parts, b"]", tail))
