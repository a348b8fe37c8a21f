"""A Gantt chart of a Timeline as inline SVG, drawn at build time.

Layout, top to bottom: the axis band (tick labels, the Today tag), one row per group title,
bar and milestone, then a repeat of the tick labels on long charts and a legend. Left to
right: labels, a status icon column, the chart. The viewBox is 1000 units wide and the
height grows with the rows, so the SVG scales to its container and stays readable from one
row to hundreds.

`render_timeline` returns an empty Markup when nothing has a date and the Timeline gives no
axis of its own (see Timeline.unit); the template is expected to check `has_dates` and say
so in a sentence instead (and to render the same items as an HTML table, which is the
accessible and printable source of truth for the details).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from planpress.render.svg import items as it
from planpress.render.svg.arrows import arrowheads, arrows
from planpress.render.svg.axis import Scale, make_range, ticks
from planpress.render.svg.elements import chart_id, svg, tag, text
from planpress.render.svg.items import PLOT_X0, ROW_H, WIDTH, Span
from planpress.render.svg.legend import Keys, axis_labels, gridlines, legend, today_marks
from planpress.render.svg.model import Bar, Group, Marker, Timeline
from planpress.render.svg.text import day, num, text_width, truncate

PLOT_X1 = 990.0
PAD = 8.0  # days map inside the chart area with this margin, so diamonds are not clipped
HEADER_H = 44.0
MIN_WIDTH = 720.0  # px; on narrow screens the chart scrolls (in the page's container)
REPEAT_AXIS_ROWS = 30  # from this many rows on, tick labels are repeated below the chart
_NOT_IN_ID = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class Row:
    kind: str  # group | bar | marker
    item: Group | Bar | Marker
    y: float  # top edge


Section = tuple[Row, list[Row]]  # a group's title row and its item rows


def has_dates(t: Timeline) -> bool:
    """True when at least one bar or milestone has a date, i.e. there is a chart to draw."""
    return any(g.markers or any(b.start or b.end for b in g.bars) for g in t.groups)


def scale_for(t: Timeline) -> Scale | None:
    """The chart's time scale, or None when nothing has a date (and no axis is given)."""
    if t.unit is not None and t.start is not None and t.end is not None:
        found: tuple[date, date, str] | None = (t.start, max(t.start, t.end), t.unit)
    else:
        found = make_range(_dates(t), t.start, t.end) if has_dates(t) else None
    if found is None:
        return None
    start, end, unit = found
    return Scale(start, end, PLOT_X0 + PAD, PLOT_X1 - PAD, unit)


def axis_for(dates: Iterable[date]) -> tuple[date, date, str] | None:
    """(start, end, unit): the axis a timeline of items on these days draws by itself; give
    it to several Timelines (start, end, unit) to draw them on one axis. None: no day."""
    return make_range(dates, None, None)


def _dates(t: Timeline) -> Iterator[date]:
    for g in t.groups:
        for b in g.bars:
            yield from (d for d in (b.start, b.end) if d is not None)
        yield from (m.day for m in g.markers)


def layout(t: Timeline) -> tuple[list[Section], dict[str, list[Marker]]]:
    """Rows in reading order, by group, and the milestones sitting on a bar's row (by bar id)."""
    bar_ids = {b.id for g in t.groups for b in g.bars}
    on_row: dict[str, list[Marker]] = {}
    sections: list[Section] = []
    y = HEADER_H
    for g in t.groups:
        for m in g.markers:
            if m.row in bar_ids:
                on_row.setdefault(m.row, []).append(m)
        own: list[Bar | Marker] = [*g.bars, *(m for m in g.markers if m.row not in bar_ids)]
        header, y = Row("group", g, y), y + ROW_H
        rows = []
        for item in own:
            rows.append(Row("bar" if isinstance(item, Bar) else "marker", item, y))
            y += ROW_H
        sections.append((header, rows))
    return sections, on_row


def render_timeline(t: Timeline, *, id_prefix: str | None = None) -> Markup:
    """The Gantt chart as inline SVG, or Markup("") when no item has a date and no axis is
    given (see has_dates, Timeline.unit), or there are no rows at all.

    `id_prefix` overrides the ids derived from the content, should a page ever show the
    very same chart twice.
    """
    scale = scale_for(t)
    if scale is None or not t.groups:
        return Markup("")
    ids = [i.id for g in t.groups for i in (*g.bars, *g.markers)]
    prefix = id_prefix or chart_id("timeline", t.title, *ids)
    sections, on_row = layout(t)
    rows = [row for header, items in sections for row in (header, *items)]
    bottom = rows[-1].y + ROW_H
    drawing = _Drawing(t, scale, prefix, on_row)
    body = [drawing.group(header, items) for header, items in sections]
    links = arrows(t.links, drawing.spans, drawing.critical, prefix)
    under = [_defs(prefix, scale), _background(rows), *_axis(scale, bottom)]
    under.append(tag("g", {"class": "deps", "aria-hidden": "true"}, *links))
    over, height = today_marks(t.today, scale, HEADER_H, bottom), bottom + 8
    if len(rows) >= REPEAT_AXIS_ROWS:
        over += axis_labels(scale, ticks(scale), bottom + 16)
        height += 20
    keys = drawing.legend_keys(bool(links), t.today, scale)
    key, key_height = legend(keys, height + 6, WIDTH)
    size = (WIDTH, height + key_height + 6)
    parts = [*under, *body, over, key]
    desc = _description(t, scale)
    return svg("timeline", size, prefix, t.title, parts, desc=desc, min_width=MIN_WIDTH)


def _axis(scale: Scale, bottom: float) -> list[str]:
    """Gridlines, tick labels with the range caption, and the line left of the chart area."""
    found = ticks(scale)
    frame = f"M{num(PLOT_X0)} {num(HEADER_H)}V{num(bottom)}"
    return [
        gridlines(scale, found, HEADER_H - 38, bottom),
        axis_labels(scale, found, HEADER_H - 28, caption=True),
        tag("path", {"class": "frame", "d": frame, "aria-hidden": "true"}),
    ]


def _defs(prefix: str, scale: Scale) -> str:
    """Arrowheads, and the mask that fades open-ended bars out over the chart's last 70 units."""
    grad = tag(
        "linearGradient",
        {
            "id": f"{prefix}-fg",
            "gradientUnits": "userSpaceOnUse",
            "x1": scale.x1 - 70,
            "x2": scale.x1,
        },
        tag("stop", {"offset": "0", "stop-color": "#fff"}),
        tag("stop", {"offset": "1", "stop-color": "#fff", "stop-opacity": "0.1"}),
    )
    mask = tag(
        "mask",
        {
            "id": f"{prefix}-fade",
            "maskUnits": "userSpaceOnUse",
            "x": "0",
            "y": "0",
            "width": num(WIDTH),
            "height": "100000",
        },
        tag("rect", {"width": num(WIDTH), "height": "100000", "fill": f"url(#{prefix}-fg)"}),
    )
    return f"<defs>{arrowheads(prefix)}{grad}{mask}</defs>"


def _background(rows: list[Row]) -> str:
    """Group title bands and zebra stripes on every other item row."""
    parts, count = [], 0
    for row in rows:
        if row.kind == "group":
            count = 0
            cls = "band"
        else:
            count += 1
            if count % 2:
                continue
            cls = "stripe"
        # tag("rect", {"class": cls, "x": 0.0, "y": row.y, "width": WIDTH, "height": ROW_H})
        parts.append(f'<rect class="{cls}" x="0" y="{num(row.y)}" {_BAND_SIZE}/>')
    return tag("g", {"aria-hidden": "true"}, *parts) if parts else ""


def _description(t: Timeline, scale: Scale) -> str:
    bars = sum(len(g.bars) for g in t.groups)
    markers = sum(len(g.markers) for g in t.groups)
    counts = [f"{bars} {'bar' if bars == 1 else 'bars'}"]
    if markers:
        counts.append(f"{markers} {'milestone' if markers == 1 else 'milestones'}")
    text_ = f"Gantt chart, {' and '.join(counts)}, from {day(scale.start)} to {day(scale.end)}."
    if t.today and scale.contains(t.today):
        text_ += f" Today is {day(t.today)}."
    return text_


_BAND_SIZE = f'width="{num(WIDTH)}" height="{num(ROW_H)}"'


class _Drawing:
    """Draws the rows, remembering where each item went (for arrows) and what the legend needs."""

    def __init__(self, t: Timeline, scale: Scale, prefix: str, on_row: dict[str, list[Marker]]):
        self.scale, self.prefix, self.on_row = scale, prefix, on_row
        self.spans: dict[str, Span] = {}
        self.critical = frozenset(b.id for g in t.groups for b in g.bars if b.critical)
        self.states: list[str] = []
        self.names = t.legend
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
        g = header.item
        assert isinstance(g, Group)
        parts = [self.group_header(g, header.y)]
        for row in rows:
            if isinstance(row.item, Bar):
                parts.append(self.bar(row.item, row.y))
                parts.extend(self.riders(row.item, row.y))
            elif isinstance(row.item, Marker):
                parts.append(self.marker(row.item, row.y))
        return tag("g", {"class": "group"}, *parts)

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
