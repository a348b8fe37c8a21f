"""Index pages for sections (content folders) and tags."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from functools import partial

from planpress.render import urls
from planpress.render.context import Depends, Page, RenderContext
from planpress.render.pages.common import plan_summary, section_crumbs, section_title
from planpress.render.paging import Paging, entries, paginate
from planpress.resolve.ids import slugify
from planpress.resolve.model import Plan


def sections(ctx: RenderContext) -> dict[str, list[Plan]]:
    """Plans by section, each also listed under its parent sections."""
    return ctx.once("sections", partial(_sections, ctx))


def _sections(ctx: RenderContext) -> dict[str, list[Plan]]:
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
    return ctx.once("tags", partial(_tags, ctx))


def _tags(ctx: RenderContext) -> dict[str, tuple[str, list[Plan]]]:
    found: dict[str, tuple[str, list[Plan]]] = {}
    for plan in ctx.site.plans.values():
        for tag in plan.tags:
            found.setdefault(slugify(tag), (tag, []))[1].append(plan)
    return dict(sorted(found.items()))


def pages(ctx: RenderContext) -> Iterator[Page]:
    for section, plans in sections(ctx).items():
        context = partial(section_context, ctx, section)
        yield from _list_pages(ctx, urls.section_page(section), section, plans, context)
    for slug, (tag, plans) in tags(ctx).items():
        context = partial(tag_context, ctx, tag)
        yield from _list_pages(ctx, urls.tag_page(slug), tag, plans, context)


def _list_pages(
    ctx: RenderContext,
    base: str,
    name: str,
    plans: list[Plan],
    context: Callable[[Sequence[Plan], Paging], dict],
) -> Iterator[Page]:
    """A list of plans on pages of page_size: sections/sales.html, sections/sales.2.html …

    Each page depends on the plans it shows, where it is in the list, and the section or tag
    as written (its title, which the first of its plans decides, maybe on another page).
    """
    for paging in paginate(len(plans), ctx.config.page_size, base):
        shown = entries(plans, paging)
        depends = Depends.plans(plan.id for plan in shown).but(f"{paging.key}\n{name}")
        make = partial(context, shown, paging)
        yield Page(paging.path, "plan_list.html", make=make, depends=depends)


def section_context(
    ctx: RenderContext, section: str, plans: Sequence[Plan], paging: Paging
) -> dict:
    return {
        "title": section_title(section),
        "heading": "Section",
        "breadcrumbs": section_crumbs(section)[:-1],
        "plans": [plan_summary(ctx, plan) for plan in plans],
        "paging": paging,
    }


def tag_context(ctx: RenderContext, tag: str, plans: Sequence[Plan], paging: Paging) -> dict:
    return {
        "title": tag,
        "heading": "Tag",
        "breadcrumbs": [("Home", urls.INDEX)],
        "plans": [plan_summary(ctx, plan) for plan in plans],
        "paging": paging,
    }
