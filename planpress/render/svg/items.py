"""Drawing one timeline row: a bar or a milestone, with its label, status icon and tooltip.

Each item is one element, a <g>, or an <a> when it links somewhere, whose first child is
a <title> with everything a reader needs (name, dates, state, detail). The visible label
repeats part of that title, so it is hidden from screen readers to avoid reading it twice.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import timedelta

from planpress.render.svg.axis import Scale
from planpress.render.svg.elements import tag, text, title, value_text
from planpress.render.svg.model import Bar, Marker
from planpress.render.svg.text import clean, day, escaped, num, safe_href, text_width, truncate

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
NOTE_FONT = 11.0  # 'ongoing', 'no date'


@dataclass(frozen=True, slots=True)
class Span:
    """Where an item was drawn, for dependency arrows: left and right edge, row centre."""

    left: float
    right: float
    y: float


_NOT_IN_CLASS = re.compile(r"[^a-z0-9-]")


@functools.lru_cache(maxsize=256)  # a handful of states, asked for by every item
def state_class(state: str) -> str:
    """'state-done-late'; anything outside [a-z0-9-] is dropped so a state is one class."""
    return "state-" + (_NOT_IN_CLASS.sub("", state.lower()) or "unknown")


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
    # tag("a" if link else "g", {"class": classes, "id": element_id, "href": link},
    # title(tip), *body), spelled out: every item has one
    name = "a" if link else "g"
    head = f'<{name} class="{value_text(classes)}" id="{value_text(element_id)}"'
    if link is not None:
        head += f' href="{value_text(link)}"'
    return f"{head}>{title(tip)}{''.join(body)}</{name}>"


def label(y: float, content: str, state: str) -> str:
    """text(LABEL_X, y + 15, shown, "lbl", aria_hidden="true"), spelled out: every row has one."""
    shown = escaped(truncate(content, LABEL_FONT, LABEL_W, bold=state == "overdue"))
    where = f'x="{_LABEL_X}" y="{num(float(y + 15))}"'
    return f'<text {where} class="lbl" aria-hidden="true">{shown}</text>'


def icon(state: str, y: float) -> str:
    """A shape beside the label so state never depends on colour alone (and survives print)."""
    cy = y + ROW_H / 2
    if state in ("done", "done-late"):
        return f'<path class="check" d="M{num(ICON_X - 5)} {num(cy)}l3.5 3.5l6-7"/>'
    if state == "overdue":  # a circle with a centred "!", spelled out: many rows have one
        badge = f'<circle class="flag" cx="{_ICON_X}" cy="{num(cy)}" r="6.5"/>'
        mark = f'<text x="{_ICON_X}" y="{num(cy + 3.5)}" class="flag-mark" text-anchor="middle">'
        return f"{badge}{mark}!</text>"
    if state == "cancelled":
        d = f"M{num(ICON_X - 4)} {num(cy - 4)}l8 8m0 -8l-8 8"
        return tag("path", {"class": "check", "d": d})
    return ""


Extent = tuple[float, float, bool] | None  # what bar_extent returns


def bar_extent(bar: Bar, scale: Scale) -> Extent:
    """(left, right, open) in chart units, unclamped; None for an undated bar."""
    first = bar.start or bar.end
    if first is None:
        return None
    if bar.ongoing or (bar.end is None and bar.start is not None):
        return scale.x(first), scale.x1, True
    last = bar.end or first
    left, right = scale.x(min(first, last)), scale.x(max(first, last) + timedelta(days=1))
    return left, max(right, left + MIN_BAR), False


def bar_shapes(
    bar: Bar, extent: Extent, y: float, scale: Scale, prefix: str
) -> tuple[list[str], Span | None]:
    """The bar (or an edge pointer when it lies outside the range) and where it went;
    `extent` is bar_extent(bar, scale)."""
    top, mid = y + (ROW_H - BAR_H) / 2, y + ROW_H / 2
    if extent is None:
        return [text(scale.x0 + 4, y + 15, "no date", "note", aria_hidden="true")], None
    left, right, is_open = extent
    if right <= scale.x0 or left >= scale.x1:
        return [_pointer(left >= scale.x1, mid, scale)], None
    left, right = scale.clamp(left), scale.clamp(right)
    # tag("rect", {"class": "bar", "x": left, "y": top, "width": max(right - left, MIN_BAR),
    # "height": BAR_H, "rx": 3.0, "mask": ...}), spelled out: every bar has one
    box = f'x="{num(left)}" y="{num(top)}" width="{num(max(right - left, MIN_BAR))}"'
    mask = ' mask="' + value_text(f"url(#{prefix}-fade)") + '"' if is_open else ""
    parts = [f'<rect class="bar" {box} height="{_BAR_H}" rx="3"{mask}/>']
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


def diamond(cx: float, cy: float, halo: bool = False) -> str:
    """A milestone's diamond; with `halo` on a slightly larger one in the background colour,
    so it stands out on a bar of its own colour."""
    # tag("path", {"class": cls, "d": f"M{num(cx)} {num(cy - r)}" + _diamond_rest(r)}) per
    # size, spelled out: every milestone has one or two, and a roadmap has thousands
    x = num(cx)
    shape = f'<path class="diamond" d="M{x} {num(cy - DIAMOND)}{_DIAMOND_REST}"/>'
    if not halo:
        return shape
    return f'<path class="diamond-halo" d="M{x} {num(cy - HALO)}{_HALO_REST}"/>{shape}'


def _diamond_rest(r: float) -> str:
    """The path of a diamond of half-diagonal r after its top corner."""
    return f"l{num(r)} {num(r)}l-{num(r)} {num(r)}l-{num(r)} -{num(r)}z"


HALO = DIAMOND + 1.5
_DIAMOND_REST, _HALO_REST = _diamond_rest(DIAMOND), _diamond_rest(HALO)


def marker_x(marker: Marker, scale: Scale) -> float:
    return scale.x(marker.day) + scale.day_width / 2


RIDER_FONT = 11.0
PILL_PAD = 4.0  # text to pill edge, each side
PILL_H = 15.0
PILL_GAP = 3.0  # between a diamond and its pill, and between neighbouring pills


def rider_labels(
    riders: list[tuple[Marker, float]], reserved: list[tuple[float, float]], x0: float, x1: float
) -> dict[str, tuple[float, float]]:
    """Where to draw the names of milestones sitting on a bar's row: {id: (left, width)}.

    `riders` are (marker, diamond centre) in day order. A name goes right of its diamond,
    or else left of it, whole, on a pill that touches no diamond, no other pill and no
    `reserved` span and stays within [x0, x1]. A name that fits nowhere is not drawn: the
    marker's <title> and the page's table still carry it.
    """
    taken = [(cx - DIAMOND, cx + DIAMOND) for _, cx in riders] + list(reserved)
    placed: dict[str, tuple[float, float]] = {}
    for marker, cx in riders:
        name = clean(marker.label).strip()
        if not name:
            continue
        width = text_width(name, RIDER_FONT) + 2 * PILL_PAD
        after, before = cx + DIAMOND + PILL_GAP, cx - DIAMOND - PILL_GAP - width
        for left in (after, before):
            right = left + width
            if left < x0 or right > x1:
                continue
            if any(left < b + PILL_GAP and a - PILL_GAP < right for a, b in taken):
                continue
            taken.append((left, right))
            placed[marker.id] = (left, width)
            break
    return placed


def rider_label(marker: Marker, left: float, width: float, cy: float) -> str:
    """The milestone's name in plain text on a solid pill, readable on any bar colour."""
    # tag("g", {"aria-hidden": "true"}, tag("rect", {"class": "pill", "x": left,
    # "y": cy - PILL_H / 2, "width": width, "height": PILL_H, "rx": 3.0}), text(left +
    # width / 2, cy + 4, name, "pill-text", text_anchor="middle")), spelled out: a roadmap
    # names thousands of milestones
    name = escaped(clean(marker.label).strip())
    pill = f'x="{num(left)}" y="{num(cy - PILL_H / 2)}" width="{num(width)}"'
    where = f'x="{num(left + width / 2)}" y="{num(cy + 4)}"'
    return (
        f'<g aria-hidden="true"><rect class="pill" {pill} height="{_PILL_H}" rx="3"/>'
        f'<text {where} class="pill-text" text-anchor="middle">{name}</text></g>'
    )


def hit(y: float, left: float = 0.0, width: float = WIDTH) -> str:
    """An invisible but painted rectangle over the item's row.

    SVG only takes pointer events on painted shapes, so without it a row reacts to the
    pointer only over its label text and bar; with it the whole row shows the tooltip and
    follows the link, and hover can highlight it.
    """
    # tag("rect", {"class": "hit", "x": left, "y": y, "width": width, "height": ROW_H,
    # "fill": "#000", "fill-opacity": "0"}), spelled out: every row has one
    return (
        f'<rect class="hit" x="{num(left)}" y="{num(y)}" width="{num(width)}" height="{_ROW_H}"'
        ' fill="#000" fill-opacity="0"/>'
    )


_LABEL_X, _ROW_H, _BAR_H, _ICON_X = num(LABEL_X), num(ROW_H), num(BAR_H), num(ICON_X)
_PILL_H = num(PILL_H)
