"""Drawing a timeline's rows: group titles, bars, milestones, and the lanes of kept groups.

timeline.render_timeline lays the rows out and puts the chart together; a Drawing draws them,
remembering where each item went (for the arrows) and what the legend needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from planpress.render.svg import items as it
from planpress.render.svg.axis import Scale
from planpress.render.svg.elements import tag, text
from planpress.render.svg.items import PLOT_X0, ROW_H, Span
from planpress.render.svg.legend import Keys
from planpress.render.svg.model import Bar, Group, Marker
from planpress.render.svg.text import num, text_width, truncate

PLOT_X1 = 990.0
_NOT_IN_ID = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class Row:
    kind: str  # group | bar | marker
    item: Group | Bar | Marker
    y: float  # top edge


Section = tuple[Row, list[Row]]  # a group's title row and its item rows


@dataclass(frozen=True, slots=True)
class Lane:
    """One group drawn on its own, its title row at y=0 (the chart moves it into place), and
    what the rest of the chart needs to know of the drawing."""

    markup: str  # the group's elements
    ids: tuple[str, ...]  # the element ids it gave its items
    states: tuple[str, ...]  # its items' states, in the order they first showed (legend)
    bar_states: tuple[str, ...]
    markers: bool
    critical: bool
    spans: tuple[tuple[str, Span], ...]  # where its items went, from y=0; for arrows only


# keep(group index, what the group's drawing shows besides the group, make) -> a Lane
Keep = Callable[[int, str, Callable[[], Lane]], Lane]


class Drawing:
    """Draws the rows, remembering where each item went (for arrows) and what the legend needs."""

    def __init__(
        self,
        names: tuple[tuple[str, str], ...],
        scale: Scale,
        prefix: str,
        on_row: dict[str, list[Marker]],
    ):
        self.scale, self.prefix, self.on_row = scale, prefix, on_row
        self.spans: dict[str, Span] = {}
        self.states: list[str] = []
        self.names = names  # Timeline.legend
        self.bar_states: set[str] = set()
        self.has_markers = self.has_critical = False
        self._ids: set[str] = set()
        self._extents: dict[int, it.Extent] = {}  # by id(bar): the header, row and riders ask

    def extent(self, b: Bar) -> it.Extent:
        """it.bar_extent(b, self.scale), worked out once per bar."""
        key = id(b)
        if key not in self._extents:
            self._extents[key] = it.bar_extent(b, self.scale)
        return self._extents[key]

    def element_id(self, item_id: str) -> str:
        """A page-unique, valid id for an item; the chart's prefix keeps charts apart."""
        base = f"{self.prefix}-{_NOT_IN_ID.sub('-', item_id).strip('-') or 'item'}"
        candidate, n = base, 1
        while candidate in self._ids:
            n += 1
            candidate = f"{base}-{n}"
        self._ids.add(candidate)
        return candidate

    def group(self, header: Row, rows: list[Row]) -> str:
        return f'<g class="group">{self.group_parts(header, rows)}</g>'

    def group_parts(self, header: Row, rows: list[Row]) -> str:
        g = header.item
        assert isinstance(g, Group)
        parts = [self.group_header(g, header.y)]
        for row in rows:
            if isinstance(row.item, Bar):
                parts.append(self.bar(row.item, row.y))
                parts.extend(self.riders(row.item, row.y))
            elif isinstance(row.item, Marker):
                parts.append(self.marker(row.item, row.y))
        return "".join(parts)

    def lane(self, header: Row, rows: list[Row], arrows: bool = True) -> Lane:
        """The group drawn on its own, its title row at y=0 (see timeline._lanes); where its
        items went is left out of a chart without arrows."""
        own = Drawing(self.names, self.scale, self.prefix, self.on_row)
        top = header.y
        moved = [Row(row.kind, row.item, row.y - top) for row in rows]
        markup = own.group_parts(Row(header.kind, header.item, 0.0), moved)
        return Lane(
            markup,
            tuple(sorted(own._ids)),
            tuple(own.states),
            tuple(sorted(own.bar_states)),
            own.has_markers,
            own.has_critical,
            tuple(own.spans.items()) if arrows else (),
        )

    def take(self, lane: Lane, y: float) -> None:
        """What the chart needs to know of a lane placed at `y`."""
        for state in lane.states:
            self.note(state)
        self.bar_states.update(lane.bar_states)
        self.has_markers |= lane.markers
        self.has_critical |= lane.critical
        for item_id, span in lane.spans:
            self.spans[item_id] = Span(span.left, span.right, span.y + y)

    def group_header(self, g: Group, y: float) -> str:
        """The group's title and a summary bracket over the span of its dated items."""
        lefts, rights = [], []
        for b in g.bars:
            if (extent := self.extent(b)) is not None:
                lefts.append(extent[0])
                rights.append(extent[1])
        days = [it.marker_x(m, self.scale) for m in g.markers]
        lefts.extend(days)
        rights.extend(days)
        parts = []
        limit = PLOT_X0 - 14  # the title may run on into the chart, up to the bracket
        if lefts:
            left, right = self.scale.clamp(min(lefts)), self.scale.clamp(max(rights))
            limit = max(limit, left - 14)
            end = num(max(right, left + 8))
            d = f"M{num(left)} {num(y + 8)}H{end}v8l-4 -4H{num(left + 4)}l-4 4z"
            parts.append(tag("path", {"class": "summary", "d": d, "aria-hidden": "true"}))
        shown = truncate(g.title, 12.5, limit - 10, bold=True)
        return text(10, y + 15, shown, "group-title") + "".join(parts)

    def bar(self, b: Bar, y: float) -> str:
        extent = self.extent(b)
        dated = extent is not None
        self.note(b.state if dated else "", critical=b.critical)
        self.bar_states.add(b.state if dated else "")
        shapes, span = it.bar_shapes(b, extent, y, self.scale, self.prefix)
        if span:
            self.spans[b.id] = span
        body = [it.hit(y), it.label(y, b.label, b.state), it.icon(b.state, y), *shapes]
        return it.wrap("bar", b, self.element_id(b.id), body)

    def marker(self, m: Marker, y: float) -> str:
        self.note(m.state, marker=True)
        body = [it.hit(y), it.label(y, m.label, m.state), it.icon(m.state, y)]
        body.extend(self.diamond(m, y))
        return it.wrap("marker", m, self.element_id(m.id), body)

    def riders(self, b: Bar, y: float) -> list[str]:
        """Milestones sitting on this bar's row, named where the name fits (see rider_labels)."""
        if b.id not in self.on_row:  # most bars carry none
            return []
        riders = sorted(self.on_row[b.id], key=lambda m: m.day)
        drawn = [(m, it.marker_x(m, self.scale)) for m in riders if self.scale.contains(m.day)]
        names = it.rider_labels(drawn, self.reserved(b), PLOT_X0 + 2, PLOT_X1)
        out = []
        for m in riders:
            self.note(m.state, marker=True)
            body = self.diamond(m, y, halo=True)
            if body:
                cx = it.marker_x(m, self.scale)
                body.insert(0, it.hit(y, cx - it.DIAMOND - 1, it.DIAMOND * 2 + 2))
                if m.id in names:
                    body.append(it.rider_label(m, *names[m.id], y + ROW_H / 2))
            out.append(it.wrap("marker", m, self.element_id(m.id), body))
        return out

    def reserved(self, b: Bar) -> list[tuple[float, float]]:
        """Spans of the bar's row already holding text ('ongoing', 'no date')."""
        x0, x1 = self.scale.x0, self.scale.x1
        if self.extent(b) is None:
            return [(x0, x0 + 4 + text_width("no date", it.NOTE_FONT))]
        if b.ongoing:
            return [(x1 - 4 - text_width("ongoing", it.NOTE_FONT), x1)]
        return []

    def diamond(self, m: Marker, y: float, halo: bool = False) -> list[str]:
        if not self.scale.contains(m.day):
            return []
        cx, cy = it.marker_x(m, self.scale), y + ROW_H / 2
        self.spans[m.id] = Span(cx - it.DIAMOND, cx + it.DIAMOND, cy)
        return [it.diamond(cx, cy, halo)]

    def note(self, state: str, *, critical: bool = False, marker: bool = False) -> None:
        if state and state not in self.states:  # "": an undated bar, drawn without colour
            self.states.append(state)
        self.has_critical |= critical
        self.has_markers |= marker

    def legend_keys(self, links: bool, today: date | None, scale: Scale) -> Keys:
        shown_today = bool(today and scale.contains(today))
        return Keys(
            tuple(self.states),
            self.has_critical,
            self.has_markers,
            links,
            shown_today,
            # the caller's names describe the bars; a colour only milestones show keeps its own
            tuple((state, name) for state, name in self.names if state in self.bar_states),
        )
