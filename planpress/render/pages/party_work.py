"""A person's or team's page, plan by plan: what each plan shows there is kept between builds.

A party with work in hundreds of plans has a page of hundreds of table rows and a chart of up
to a hundred lanes. What the page shows of its plans are parts kept from the last build (see
render.context.kept_part), keyed by Depends.work(party, *plans): those plans' summaries (what
the party does in a plan comes from the plan). After an edit, `serve` and `watch` redraw only
the parts that show a changed plan, and take the others as they were:

- a plan's lane of the workload chart, drawn at y=0 and moved into place (the `keep` of
  svg.render_timeline), kept per plan and time scale, and the lane's bars and milestones;
- the rows of the overdue, due soon and responsibility tables, kept by runs of about RUN
  plans (a part per plan would cost more to keep than its few rows cost to draw);
- the rows of the workload table, one part for the chart's plans.

Each party's page keeps its parts apart from the others' (a page asks for all of its party's
parts: those it did not ask for show work that moved, and are dropped without looking at
anyone else's). Drawn parts are kept compressed: together they hold every person page.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from markupsafe import Markup

from planpress.render import format as fmt
from planpress.render import svg, urls
from planpress.render.context import Depends, RenderContext, kept_part, part_bucket
from planpress.render.pages.charts import WORKLOAD_ROWS, ChartBuilder, group_rows, kept_lane
from planpress.render.svg.drawing import Lane
from planpress.render.svg.elements import chart_id
from planpress.render.tables import RowWriter, timeline_rows
from planpress.render.views import Link
from planpress.resolve.model import Assignment, Plan

_CLOSED = ("done", "done-late", "cancelled")  # not open work
RUN = 16  # plans in a run of table rows kept together, on average (see runs)
T = TypeVar("T")
# texts compressed into one piece, with their lengths; or (None, the texts) as they are
Packed = tuple[tuple[int, ...], bytes] | tuple[None, tuple[str, ...]]


class Share:
    """What one person or team does in one plan."""

    __slots__ = ("assignments", "open_ids", "plan_id")

    def __init__(self, plan_id: str) -> None:
        self.plan_id = plan_id
        self.assignments: list[Assignment] = []
        self.open_ids: set[str] = set()  # their tasks and milestones not yet done


@dataclass(frozen=True, slots=True)
class DrawnRows:
    """The rows of a person page's tables, each run of plans drawn or kept on its own."""

    overdue: Markup
    upcoming: Markup
    workload: Markup
    responsibilities: Markup


class PartyWork:
    """A person's or team's work by plan, and the parts of their page drawn from it."""

    def __init__(self, ctx: RenderContext, key: str) -> None:
        self.ctx, self.key = ctx, key
        self.page = urls.party_page(key)
        self.shares: list[Share] = []
        self.overdue = self.upcoming = False  # whether any row is
        self.groups: tuple[svg.Group, ...] = ()  # the chart's lanes, once drawn
        # parts are kept compressed; those that will not be kept need not be
        self.compress = ctx.keeps_parts
        self._workload_rows = self._pack("")  # the workload table's rows
        self._buckets = {
            name: part_bucket(ctx, f"person.html {name} {key}", self.page)
            for name in ("rows", "work", "lane", "workload")
        }
        self._add(ctx.site.assignments.get(key, ()))

    def _add(self, assignments: Iterable[Assignment]) -> None:
        """Sorts the party's assignments (in plan id order) by plan."""
        state_of, share = self.ctx.status.items.get, Share("")
        for a in assignments:
            if a.plan_id != share.plan_id:
                share = Share(a.plan_id)
                self.shares.append(share)
            share.assignments.append(a)
            state = state_of((a.plan_id, a.item_id))
            shown = state.state if state is not None else ""
            if shown == "overdue":
                self.overdue = True
            elif shown == "due-soon":
                self.upcoming = True
            if shown not in _CLOSED and a.item_kind in ("task", "milestone"):
                share.open_ids.add(a.item_id)

    def workload(self) -> tuple[Markup, int]:
        """The chart of open tasks and milestones, a lane per plan, and how many open items
        were left out to keep it readable (the first plans' up to WORKLOAD_ROWS rows)."""
        groups, plan_ids, shown, total = [], [], 0, 0
        for share in self.shares:
            total += len(share.open_ids)
            if share.open_ids and shown < WORKLOAD_ROWS:
                group = self._part("work", (share.plan_id,), "", partial(self._group, share))
                groups.append(group)
                plan_ids.append(share.plan_id)
                shown += len(group.bars) + len(group.markers)
        self.groups = tuple(groups)
        if plan_ids:
            self._workload_rows = self._part("workload", plan_ids, "", self._draw_workload_rows)
        name = self.ctx.views.party(self.key).text
        chart = svg.Timeline(f"Open work of {name}", self.groups, today=self.ctx.status.today)
        if not svg.has_dates(chart):
            return Markup(""), total - shown
        # ids that stay the same as lanes come and go, so that the others can be kept
        prefix = chart_id("workload", self.key)
        keep = partial(self._keep_lane, plan_ids)
        return svg.render_timeline(chart, id_prefix=prefix, keep=keep), total - shown

    def _group(self, share: Share) -> svg.Group:
        """A plan's lane of the chart."""
        plan = self.ctx.site.plans[share.plan_id]
        return ChartBuilder(self.ctx, self.page).workload_group(plan, share.open_ids)

    def _draw_workload_rows(self) -> Packed:
        return self._pack(timeline_rows(self.workload_rows()))

    def _keep_lane(
        self, plan_ids: list[str], index: int, key: str, make: Callable[[], Lane]
    ) -> Lane:
        """render_timeline's `keep`: a plan's lane as drawn last time for the same scale."""
        depends = Depends.work(self.key, plan_ids[index])
        return kept_lane(kept_part, self.ctx, self._buckets["lane"], depends, key, make)

    def drawn_rows(self, writer: RowWriter) -> DrawnRows:
        """The rows of the tables, drawn with the template's `writer` (after `workload`)."""
        drawn = []
        for run in runs(self.shares):
            plan_ids = [share.plan_id for share in run]
            drawn.append(
                _unpack(self._part("rows", plan_ids, "", partial(self._rows, writer, run)))
            )
        return DrawnRows(
            Markup("".join(d[0] for d in drawn)),
            Markup("".join(d[1] for d in drawn)),
            Markup(_unpack(self._workload_rows)[0]),
            Markup("".join(d[2] for d in drawn)),
        )

    def _rows(self, writer: RowWriter, run: list[Share]) -> Packed:
        """The overdue, due soon and responsibility tables' rows of a run of plans."""
        rows = {share.plan_id: self.plan_rows(share) for share in run}
        every = [row for plan_rows in rows.values() for row in plan_rows]
        return self._pack(
            writer.person_items([r for r in every if is_overdue(r)]),
            writer.person_items([r for r in every if is_upcoming(r)]),
            writer.responsibilities(rows),
        )

    def _pack(self, *texts: str) -> Packed:
        """Texts kept as one compressed piece with their lengths (as they are when no part
        made now is kept)."""
        if not self.compress:
            return None, texts
        return tuple(map(len, texts)), zlib.compress("".join(texts).encode("utf-8"), 1)

    def _part(self, name: str, plan_ids: Sequence[str], extra: str, make: Callable[[], T]) -> T:
        depends = Depends.work(self.key, *plan_ids)
        return kept_part(self.ctx, self._buckets[name], depends, extra, make)

    def plan_rows(self, share: Share) -> list[dict]:
        """The responsibility table's rows of one plan, as the template sees them."""
        plan = self.ctx.site.plans[share.plan_id]
        return [self._row(plan, assignment) for assignment in share.assignments]

    def _row(self, plan: Plan, assignment: Assignment) -> dict:
        target = urls.plan_page(plan.id)
        if assignment.item_id and assignment.item_kind in ("task", "milestone"):
            target += "#" + urls.item_anchor(assignment.item_id)
        text = self.ctx.views.item_title(plan, assignment.item_id) or plan.title
        timing = self.ctx.schedule.items.get((plan.id, assignment.item_id))
        return {
            "assignment": assignment,
            "link": Link(text, target),
            "plan": plan,
            "due": fmt.day(timing.due) if timing else "",
            "state": self.ctx.status.items.get((plan.id, assignment.item_id)),
        }

    def rows(self) -> dict[str, list[dict]]:
        return {share.plan_id: self.plan_rows(share) for share in self.shares}

    def rows_where(self, test: Callable[[dict], bool]) -> list[dict]:
        return [row for share in self.shares for row in self.plan_rows(share) if test(row)]

    def workload_rows(self) -> list[dict]:
        return [row for group in self.groups for row in group_rows(group)]


def runs(shares: list[Share]) -> Iterator[list[Share]]:
    """A party's plans in runs whose table rows are kept as one part (a part per plan would
    cost more to keep than its few rows cost to draw). A run ends after a plan whose id's
    checksum is a multiple of RUN, or at 4 × RUN plans: a plan the party gains or loses
    changes its own run only."""
    run: list[Share] = []
    for share in shares:
        run.append(share)
        if zlib.crc32(share.plan_id.encode("utf-8")) % RUN == 0 or len(run) >= 4 * RUN:
            yield run
            run = []
    if run:
        yield run


def is_overdue(row: dict) -> bool:
    return bool(row["state"]) and row["state"].state == "overdue"


def is_upcoming(row: dict) -> bool:
    return bool(row["state"]) and row["state"].state == "due-soon"


def _unpack(packed: Packed) -> Sequence[str]:
    """The texts of PartyWork._pack."""
    lengths, data = packed
    if isinstance(data, tuple):
        return data
    joined, start, texts = zlib.decompress(data).decode("utf-8"), 0, []
    for length in lengths or ():
        texts.append(joined[start : start + length])
        start += length
    return texts
