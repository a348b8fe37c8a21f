"""The home page: every plan with its status and health."""

from __future__ import annotations

from collections.abc import Iterator

from planpress.render import urls
from planpress.render.context import Page, RenderContext
from planpress.render.pages.plans import plan_summary


def pages(ctx: RenderContext) -> Iterator[Page]:
    summaries = [plan_summary(ctx, plan) for plan in ctx.site.plans.values()]
    yield Page(urls.INDEX, "index.html", {"title": ctx.config.title, "plans": summaries})
