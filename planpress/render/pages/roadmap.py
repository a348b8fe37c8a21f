"""The roadmap: every plan as a swimlane on one timeline, with its milestones.

A portfolio of more than `page_size` plans continues on numbered pages (roadmap.2.html …),
cut in the order of the by-section view; each page shows both views of its own plans. Every
page draws the whole portfolio's time axis, so lanes on different pages line up, and a
group cut by a page break is titled again, as continued, on the next.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial

from planpress.render import format as fmt
from planpress.render import svg, urls
from planpress.render.context import Depends, Page, RenderContext, kept_part, part_bucket
from planpress.render.pages.charts import Axis, ChartBuilder, kept_lane, lane_key, timeline_rows
from planpress.render.paging import Paging, entries, paginate
from planpress.render.svg.drawing import Lane
from planpress.render.svg.elements import chart_id
from planpress.resolve.model import Plan

VIEWS = (("by-section", "By section", "section"), ("by-department", "By department", "department"))


@dataclass(frozen=True, slots=True)
class RoadmapPage:
    """What one page of the roadmap shows besides its plans' own data."""

    paging: Paging
    plans: Sequence[Plan]  # in site order: each view keeps it within its groups
    axis: Axis | None  # the whole portfolio's; None on a single page, which draws its own
    continued: dict[str, frozenset[str]]  # by grouping: the groups begun on an earlier page

    @property
    def key(self) -> str:
        """What other plans decide of this page (for its fingerprint)."""
        continued = {by: sorted(keys) for by, keys in sorted(self.continued.items())}
        return f"{self.paging.key}\naxis {self.axis}\ncontinued {continued}"


def pages(ctx: RenderContext) -> Iterator[Page]:
    plans = in_section_order(ctx.site.plans.values())
    pagings = paginate(len(plans), ctx.config.page_size, urls.ROADMAP)
    if len(pagings) == 1:  # the one page it always was
        shown = RoadmapPage(pagings[0], list(ctx.site.plans.values()), None, {})
        make = partial(roadmap_context, ctx, shown)
        yield Page(urls.ROADMAP, "roadmap.html", make=make, depends=Depends.SITE)
        return
    axis = ChartBuilder(ctx, urls.ROADMAP).roadmap_axis(plans)
    seen: dict[str, set[str]] = {by: set() for _, _, by in VIEWS}
    position = {plan_id: n for n, plan_id in enumerate(ctx.site.plans)}
    for paging in pagings:
        on_page = sorted(entries(plans, paging), key=lambda plan: position[plan.id])
        continued = {}
        for by, keys in seen.items():
            here = {lane_key(plan, by) for plan in on_page}
            continued[by] = frozenset(here & keys)
            keys |= here
        shown = RoadmapPage(paging, on_page, axis, continued)
        depends = Depends.plans(plan.id for plan in on_page).but(shown.key)
        make = partial(roadmap_context, ctx, shown)
        yield Page(paging.path, "roadmap.html", make=make, depends=depends)


def in_section_order(plans: Iterable[Plan]) -> list[Plan]:
    """The plans in the order the by-section view draws them: by group, then in site order."""
    lanes: dict[str, list[Plan]] = {}
    for plan in plans:
        lanes.setdefault(lane_key(plan, "section"), []).append(plan)
    return [plan for key in sorted(lanes, key=str.casefold) for plan in lanes[key]]


def roadmap_context(ctx: RenderContext, shown: RoadmapPage) -> dict:
    charts = ChartBuilder(ctx, shown.paging.path)
    bucket = part_bucket(ctx, "roadmap.html lane", shown.paging.path)
    views = []
    for anchor, label, by in VIEWS:
        timeline = charts.roadmap(
            shown.plans,
            group_by=by,
            title=chart_title(shown.paging, label),
            axis=shown.axis,
            continued=shown.continued.get(by, ()),
        )
        keep = partial(_keep_lane, ctx, bucket, timeline)
        # ids that stay the same from page to page, so a group's lane is kept when the plans
        # before it move to another page (a plan added or deleted shifts every later page)
        markup = svg.render_timeline(timeline, id_prefix=chart_id("roadmap", by), keep=keep)
        views.append((anchor, label, markup, timeline_rows(timeline)))
    return {"title": "Roadmap", "views": views, "paging": shown.paging}


def _keep_lane(
    ctx: RenderContext,
    bucket: str,
    timeline: svg.Timeline,
    index: int,
    key: str,
    make: Callable[[], Lane],
) -> Lane:
    """render_timeline's `keep`: a group's lane as drawn last time with the same plans, title
    and scale, on whichever page of the roadmap."""
    group = timeline.groups[index]
    plan_ids = (bar.id.removeprefix("plan:") for bar in group.bars)  # see ChartBuilder.plan_bar
    extra = f"{key}\n{group.title}"
    return kept_lane(kept_part, ctx, bucket, Depends.plans(plan_ids), extra, make)


def chart_title(paging: Paging, label: str) -> str:
    """The chart's accessible name: which plans it shows, and how they are grouped."""
    if paging.count == 1:
        return "Roadmap of all plans"
    first, last, total = (fmt.number(n) for n in (paging.start + 1, paging.stop, paging.total))
    return f"Roadmap of plans {first}–{last} of {total}, {label.lower()}"
