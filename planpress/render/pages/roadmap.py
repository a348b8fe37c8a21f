"""The roadmap: every plan as a swimlane on one timeline, with its milestones."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from planpress.render import urls
from planpress.render.context import Depends, Page, RenderContext
from planpress.render.pages.charts import ChartBuilder, timeline_markup, timeline_rows


def pages(ctx: RenderContext) -> Iterator[Page]:
    make = partial(roadmap_context, ctx)
    yield Page(urls.ROADMAP, "roadmap.html", make=make, depends=Depends.SITE)


def roadmap_context(ctx: RenderContext) -> dict:
    charts = ChartBuilder(ctx, urls.ROADMAP)
    plans = list(ctx.site.plans.values())
    by_section = charts.roadmap(plans, group_by="section")
    by_department = charts.roadmap(plans, group_by="department")
    context = {
        "title": "Roadmap",
        "views": [
            ("by-section", "By section", timeline_markup(by_section), timeline_rows(by_section)),
            (
                "by-department",
                "By department",
                timeline_markup(by_department),
                timeline_rows(by_department),
            ),
        ],
    }
    return context
