"""Drawing one timeline row: a bar or a milestone, with its label, status icon and tooltip.

Each item is one element, a <g>, or an <a> when it links somewhere, whose first child is
a <title> with everything a reader needs (name, dates, state, detail). The visible label
repeats part of that title, so it is hidden from screen readers to avoid reading it twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from planpress.render.svg.axis import Scale
from planpress.render.svg.elements import AttrValue, tag, text, title
from planpress.render.svg.model import Bar, Marker
from planpress.render.svg.text import day, num, safe_href, truncate

WIDTH = 1000.0  # of the viewBox; the SVG scales to its container
ROW_H = 22.0
BAR_H = 14.0
DIAMOND = 7.0  # half the diagonal of a milestone diamond
LABEL_X = 24.0  # item labels, indented under their group's title
LABEL_FONT = 12.0
PLOT_X0 = 300.0  # left edge of the chart area; labels and status icons sit left of it
ICON_X = PLOT_X0 - 16  # centre of the status icon column, between labels and chart
LABEL_W = ICON_X - 16 - LABEL_X
MIN_BAR = 4.0


@dataclass(frozen=True, slots=True)
class Span:
    """Where an item was drawn, for dependency arrows: left and right edge, row centre."""

    left: float
    right: float
    y: float


def state_class(state: str) -> str:
    """'state-done-late'; anything outside [a-z0-9-] is dropped so a state is one class."""
    return "state-" + (re.sub(r"[^a-z0-9-]", "", state.lower()) or "unknown")


def _words(state: str) -> str:
    return {"undated": "no date"}.get(state, state.replace("-", " "))


def bar_tooltip(bar: Bar) -> str:
    """'Conduct a website audit: 1 Jul 2024 – 7 Jul 2024, done. Responsible: ...'"""
    if bar.start and bar.end and bar.start != bar.end:
        when = f"{day(bar.start)} – {day(bar.end)}"
    elif bar.end:
        when = day(bar.end) if bar.start else f"due {day(bar.end)}"
    elif bar.start:
        when = f"from {day(bar.start)}"
    else:
        when = "no date"
    facts = [when] + ([] if bar.state == "undated" and not bar.start else [_words(bar.state)])
    if bar.ongoing and bar.state != "ongoing":
        facts.append("ongoing")
    if bar.critical:
        facts.append("critical")
    return _sentence(bar.label, facts, bar.detail)


def marker_tooltip(marker: Marker) -> str:
    facts = ["milestone", day(marker.day), _words(marker.state)]
    return _sentence(marker.label, facts, marker.detail)


def _sentence(label: str, facts: list[str], detail: str) -> str:
    head = f"{label}: {', '.join(f for f in facts if f)}."
    return f"{head} {detail.strip()}" if detail.strip() else head


def wrap(kind: str, item: Bar | Marker, element_id: str, body: list[str]) -> str:
    """The item element: <a href> when it links somewhere, else <g>; the tooltip first."""
    if isinstance(item, Bar):
        tip, critical = bar_tooltip(item), item.critical
    else:
        tip, critical = marker_tooltip(item), False
    classes = f"item item-{kind} {state_class(item.state)}" + (" critical" if critical else "")
    link = safe_href(item.href)
    values: dict[str, AttrValue] = {"class": classes, "id": element_id, "href": link}
    return tag("a" if link else "g", values, title(tip), *body)


def label(y: float, content: str, state: str) -> str:
    shown = truncate(content, LABEL_FONT, LABEL_W, bold=state == "overdue")
    return text(LABEL_X, y + 15, shown, "lbl", aria_hidden="true")


def icon(state: str, y: float) -> str:
    """A shape beside the label so state never depends on colour alone (and survives print)."""
    cy = y + ROW_H / 2
    if state in ("done", "done-late"):
        return tag("path", {"class": "check", "d": f"M{num(ICON_X - 5)} {num(cy)}l3.5 3.5l6-7"})
    if state == "overdue":
        badge = tag("circle", {"class": "flag", "cx": ICON_X, "cy": cy, "r": 6.5})
        return badge + text(ICON_X, cy + 3.5, "!", "flag-mark", text_anchor="middle")
    if state == "cancelled":
        d = f"M{num(ICON_X - 4)} {num(cy - 4)}l8 8m0 -8l-8 8"
        return tag("path", {"class": "check", "d": d})
    return ""


def bar_extent(bar: Bar, scale: Scale) -> tuple[float, float, bool] | None:
    """(left, right, open) in chart units, unclamped; None for an undated bar."""
    first = bar.start or bar.end
    if first is None:
        return None
    if bar.ongoing or (bar.end is None and bar.start is not None):
        return scale.x(first), scale.x1, True
    last = bar.end or first
    left, right = scale.x(min(first, last)), scale.x(max(first, last) + timedelta(days=1))
    return left, max(right, left + MIN_BAR), False


def bar_shapes(bar: Bar, y: float, scale: Scale, prefix: str) -> tuple[list[str], Span | None]:
    """The bar (or an edge pointer when it lies outside the range) and where it went."""
    extent = bar_extent(bar, scale)
    top, mid = y + (ROW_H - BAR_H) / 2, y + ROW_H / 2
    if extent is None:
        return [text(scale.x0 + 4, y + 15, "no date", "note", aria_hidden="true")], None
    left, right, is_open = extent
    if right <= scale.x0 or left >= scale.x1:
        return [_pointer(left >= scale.x1, mid, scale)], None
    left, right = scale.clamp(left), scale.clamp(right)
    shape: dict[str, AttrValue] = {
        "class": "bar",
        "x": left,
        "y": top,
        "width": max(right - left, MIN_BAR),
        "height": BAR_H,
        "rx": 3.0,
        "mask": f"url(#{prefix}-fade)" if is_open else None,
    }
    parts = [tag("rect", shape)]
    if bar.state == "blocked":
        parts.append(_hatch(left, right, top))
    if bar.ongoing:
        parts.append(text(scale.x1 - 4, mid + 4, "ongoing", "note halo", text_anchor="end"))
    return parts, Span(left, right, mid)


def _pointer(after: bool, mid: float, scale: Scale) -> str:
    """A small triangle at the chart's edge for an item outside the shown range."""
    x = scale.x1 - 2 if after else scale.x0 + 2
    step = -7 if after else 7
    return tag("path", {"class": "bar", "d": f"M{num(x)} {num(mid)}l{step} -5v10z"})


def _hatch(left: float, right: float, top: float) -> str:
    """Diagonal stripes over a blocked bar, drawn as one path (no pattern ids needed)."""
    steps = range(int(left) + 4, int(right), 7)
    d = "".join(
        f"M{max(x - 6, left):.0f} {num(top + BAR_H - 1)}L{x:.0f} {num(top + 1)}" for x in steps
    )
    return tag("path", {"class": "hatch", "d": d}) if d else ""


def diamond(cx: float, cy: float) -> str:
    d = f"M{num(cx)} {num(cy - DIAMOND)}l{num(DIAMOND)} {num(DIAMOND)}"
    d += f"l-{num(DIAMOND)} {num(DIAMOND)}l-{num(DIAMOND)} -{num(DIAMOND)}z"
    return tag("path", {"class": "diamond", "d": d})


def marker_x(marker: Marker, scale: Scale) -> float:
    return scale.x(marker.day) + scale.day_width / 2


def marker_label(marker: Marker, cx: float, cy: float, limit: float) -> str:
    """The name beside a diamond sitting on another item's row, cut to the free space."""
    room = limit - cx - DIAMOND - 8
    if room < 24:
        return ""
    shown = truncate(marker.label, 11, room)
    return text(cx + DIAMOND + 3, cy + 4, shown, "note halo", aria_hidden="true")


def hit(y: float, left: float = 0.0, width: float = WIDTH) -> str:
    """An invisible but painted rectangle over the item's row.

    SVG only takes pointer events on painted shapes, so without it a row reacts to the
    pointer only over its label text and bar; with it the whole row shows the tooltip and
    follows the link, and hover can highlight it.
    """
    box = {"class": "hit", "x": left, "y": y, "width": width, "height": ROW_H}
    return tag("rect", {**box, "fill": "#000", "fill-opacity": "0"})
