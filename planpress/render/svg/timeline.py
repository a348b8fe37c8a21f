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

import functools
from collections.abc import Iterable, Iterator
from datetime import date

from markupsafe import Markup

from planpress.render.svg.arrows import arrowheads, arrows
from planpress.render.svg.axis import Scale, make_range, ticks
from planpress.render.svg.drawing import PLOT_X1, Drawing, Keep, Row, Section
from planpress.render.svg.elements import chart_id, svg, tag
from planpress.render.svg.items import PLOT_X0, ROW_H, WIDTH
from planpress.render.svg.legend import axis_labels, gridlines, legend, today_marks
from planpress.render.svg.model import Bar, Marker, Timeline
from planpress.render.svg.text import day, num

PAD = 8.0  # days map inside the chart area with this margin, so diamonds are not clipped
HEADER_H = 44.0
MIN_WIDTH = 720.0  # px; on narrow screens the chart scrolls (in the page's container)
REPEAT_AXIS_ROWS = 30  # from this many rows on, tick labels are repeated below the chart


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


def _item_ids(t: Timeline) -> Iterator[str]:
    for g in t.groups:
        yield from (b.id for b in g.bars)
        yield from (m.id for m in g.markers)


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


def render_timeline(
    t: Timeline, *, id_prefix: str | None = None, keep: Keep | None = None
) -> Markup:
    """The Gantt chart as inline SVG, or Markup("") when no item has a date and no axis is
    given (see has_dates, Timeline.unit), or there are no rows at all.

    `id_prefix` overrides the ids derived from the content, should a page ever show the
    very same chart twice, or should they stay the same while its items change.

    With `keep`, each group is drawn on its own at y=0 and moved into place, so that a
    caller can keep a group's drawing from one chart to the next while the rows above it
    change: `keep(index, key, make)` returns make(), or a Lane that make() gave before for
    the same group (t.groups[index]) and the same `key` (the scale, the id prefix and
    whether the chart draws arrows).
    """
    scale = scale_for(t)
    if scale is None or not t.groups:
        return Markup("")
    prefix = id_prefix or chart_id("timeline", t.title, *_item_ids(t))
    sections, on_row = layout(t)
    rows = [row for header, items in sections for row in (header, *items)]
    bottom = rows[-1].y + ROW_H
    drawing = Drawing(t.legend, scale, prefix, on_row)
    body = _lanes(t, sections, drawing, keep) if keep is not None else None
    if body is None:  # drawn in place, every row at its own height
        drawing = Drawing(t.legend, scale, prefix, on_row)
        body = [drawing.group(header, items) for header, items in sections]
    critical = frozenset(b.id for g in t.groups for b in g.bars if b.critical)
    links = arrows(t.links, drawing.spans, critical, prefix)
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


def _lanes(t: Timeline, sections: list[Section], drawing: Drawing, keep: Keep) -> list[str] | None:
    """The groups as lanes, each one kept by `keep` unless its milestones and another
    group's bars share rows; None when two lanes gave an element the same id (ids are then
    made unique across the chart, drawn in place)."""
    scale, with_arrows = drawing.scale, bool(t.links)
    key = f"{scale.start} {scale.end} {scale.unit} {num(scale.x0)} {num(scale.x1)} {drawing.prefix}"
    key += " arrows" if with_arrows else ""
    shared = _sharing_rows(t)
    body: list[str] = []
    ids: set[str] = set()
    for index, (header, items) in enumerate(sections):
        make = functools.partial(drawing.lane, header, items, with_arrows)
        lane = make() if index in shared else keep(index, key, make)
        if not ids.isdisjoint(lane.ids):
            return None
        ids.update(lane.ids)
        drawing.take(lane, header.y)
        body.append(f'<g class="group" transform="translate(0 {num(header.y)})">{lane.markup}</g>')
    return body


def _sharing_rows(t: Timeline) -> set[int]:
    """The groups whose milestones sit on another group's bar, and those groups."""
    owners = {b.id: index for index, g in enumerate(t.groups) for b in g.bars}
    found: set[int] = set()
    for index, g in enumerate(t.groups):
        for m in g.markers:
            owner = owners.get(m.row) if m.row is not None else None
            if owner is not None and owner != index:
                found |= {index, owner}
    return found


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
