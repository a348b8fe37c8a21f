"""Stage 4: the resolved, scheduled site -> output files (path -> bytes).

Rendering only reads templates and theme assets; it writes nothing.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial

import jinja2
from markupsafe import Markup

from planpress import __version__
from planpress.config import SiteConfig
from planpress.history.baseline import BaselineReport
from planpress.history.log import PlanHistory
from planpress.render import format as fmt
from planpress.render.artifacts import ARTIFACTS
from planpress.render.context import Depends, Page, RenderContext, kept_part, part_bucket
from planpress.render.links import PageLinks
from planpress.render.outputs import paths as output_paths
from planpress.render.pages import PAGE_KINDS
from planpress.render.tables import RowWriter
from planpress.render.theme import Theme, template_error
from planpress.resolve.model import Site
from planpress.schedule.scheduler import Schedule
from planpress.schedule.status import Status


@dataclass(frozen=True, slots=True)
class RenderInput:
    config: SiteConfig
    site: Site
    schedule: Schedule
    status: Status
    baseline: BaselineReport | None = None  # the comparison with --baseline REV
    history: dict[str, PlanHistory] = field(default_factory=dict)  # git history by plan id


def render_site(data: RenderInput, theme: Theme) -> dict[str, bytes]:
    """Every output file of the build, keyed by its path in the output folder.

    The incremental build (planpress.incremental) draws the same files from the same pieces:
    render_context, site_pages, render_page, ARTIFACTS and the theme's static files, in this
    order, a later file winning over an earlier one of the same name.
    """
    ctx = render_context(data, theme)
    env = environment(theme, data.config)
    files: dict[str, bytes] = {}
    for page in site_pages(ctx):
        files[ctx.url_style.file(page.path)] = render_page(env, page, ctx).encode("utf-8")
    for artifact in ARTIFACTS:
        files.update(artifact(ctx))
    files.update(theme.static_files())
    return dict(sorted(files.items()))


def render_context(data: RenderInput, theme: Theme) -> RenderContext:
    kinds = frozenset(theme.kinds())
    return RenderContext(
        data.config, data.site, data.schedule, data.status, kinds, data.baseline, data.history
    )


def site_pages(ctx: RenderContext) -> Iterator[Page]:
    """Every page of every kind, in PAGE_KINDS order; contexts are made when drawn."""
    for page_kind in PAGE_KINDS:
        yield from page_kind(ctx)


def environment(theme: Theme, config: SiteConfig) -> jinja2.Environment:
    env = theme.environment()
    env.filters.update(
        day=fmt.day,
        number=fmt.number,
        percent=fmt.percent,
        signed=fmt.signed,
        money=lambda value: fmt.money(value, config.currency),
    )
    env.globals["downloads"] = output_paths  # calendars, feed, CSV, JSON: paths for links
    return env


def plan_part(ctx: RenderContext, bucket: str, name: str, plan_id: str, caller: Callable) -> Markup:
    """`{% call plan_part(name, plan_id) %}…{% endcall %}`: the block's output, which shows
    only that plan (its summary, not its prose) and what every page depends on. An
    incremental build draws it again only when that changed; `name` tells a template's
    blocks apart (the pages of one template share them: a block must not show which page
    it is on)."""

    def make() -> bytes:
        return zlib.compress(str(caller()).encode("utf-8"), 1)  # kept small in memory

    drawn = kept_part(ctx, f"{bucket} {name}", Depends.plans((plan_id,)), "", make)
    return Markup(zlib.decompress(drawn).decode("utf-8"))


def render_page(env: jinja2.Environment, page: Page, ctx: RenderContext) -> str:
    return "".join(stream_page(env, page, ctx))


def stream_page(env: jinja2.Environment, page: Page, ctx: RenderContext) -> Iterator[str]:
    """The page's text in pieces, as the template makes them (large pages need not be held
    whole); joined, exactly what render_page returns."""
    url = ctx.url_style.linker(page.path)
    common = {
        "site_title": ctx.config.title,
        "today": ctx.status.today,
        "version": __version__,
        "page_path": page.path,
        "url": url,
        "page_links": PageLinks(url),  # partials/links.html's busiest macros, in Python
        "row_writer": partial(RowWriter, ctx.slip, ctx.config.currency),  # see tables.py
        "slip": ctx.slip,  # slip(plan_id, item_id): the move since the baseline, or None
        "plan_part": partial(plan_part, ctx, part_bucket(ctx, page.template, page.path)),
    }
    try:
        yield from env.get_template(page.template).generate(common | page.context)
    except jinja2.TemplateError as exc:  # a site's own template override can be wrong
        raise template_error(page.template, exc) from None
