"""Index pages for sections (content folders) and tags."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from functools import partial

from planpress.render import urls
from planpress.render.context import Depends, Page, RenderContext
from planpress.render.pages.common import plan_summary, section_crumbs, section_title
from planpress.resolve.ids import slugify
from planpress.resolve.model import Plan


def sections(ctx: RenderContext) -> dict[str, list[Plan]]:
    """Plans by section, each also listed under its parent sections."""
    found: dict[str, list[Plan]] = defaultdict(list)
    first: dict[str, str] = {}  # page -> the folder named first: "Sales" and "sales" share one
    for plan in ctx.site.plans.values():
        parts = plan.section.split("/") if plan.section else []
        for depth in range(1, len(parts) + 1):
            folder = "/".join(parts[:depth])
            found[first.setdefault(urls.section_page(folder), folder)].append(plan)
    return dict(sorted(found.items()))


def tags(ctx: RenderContext) -> dict[str, tuple[str, list[Plan]]]:
    """Plans by tag slug, with the tag as first written."""
    found: dict[str, tuple[str, list[Plan]]] = {}
    for plan in ctx.site.plans.values():
        for tag in plan.tags:
            found.setdefault(slugify(tag), (tag, []))[1].append(plan)
    return dict(sorted(found.items()))


def pages(ctx: RenderContext) -> Iterator[Page]:
    for section, plans in sections(ctx).items():
        make = partial(section_context, ctx, section, plans)
        depends = Depends.plans(plan.id for plan in plans)
        yield Page(urls.section_page(section), "plan_list.html", make=make, depends=depends)
    for slug, (tag, plans) in tags(ctx).items():
        make = partial(tag_context, ctx, tag, plans)
        depends = Depends.plans(plan.id for plan in plans)
        yield Page(urls.tag_page(slug), "plan_list.html", make=make, depends=depends)


def section_context(ctx: RenderContext, section: str, plans: list[Plan]) -> dict:
    return {
        "title": section_title(section),
        "heading": "Section",
        "breadcrumbs": section_crumbs(section)[:-1],
        "plans": [plan_summary(ctx, plan) for plan in plans],
    }


def tag_context(ctx: RenderContext, tag: str, plans: list[Plan]) -> dict:
    return {
        "title": tag,
        "heading": "Tag",
        "breadcrumbs": [("Home", urls.INDEX)],
        "plans": [plan_summary(ctx, plan) for plan in plans],
    }
