"""The timeline's furniture: gridlines, tick labels, the today line and the legend.

All of it is hidden from screen readers: the chart's <desc> states the range and today's
date, and every item's own <title> carries its dates and state in words.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from planpress.render.svg.axis import Scale, Tick, label_spans
from planpress.render.svg.elements import tag, text
from planpress.render.svg.items import state_class
from planpress.render.svg.model import STATES
from planpress.render.svg.text import day, num, text_width

KEY_FONT = 11.0
KEY_ROW = 18.0
_NAMES = {"undated": "No date", "due-soon": "Due soon", "done-late": "Done late"}


@dataclass(frozen=True, slots=True)
class Keys:
    """What the legend explains: only what the chart actually shows."""

    states: tuple[str, ...]
    critical: bool
    milestone: bool
    dependency: bool
    today: bool
    names: tuple[tuple[str, str], ...] = ()  # (state, label): overrides, listed first


def gridlines(scale: Scale, found: list[Tick], top: float, bottom: float) -> str:
    """One path of light lines at every tick and one of stronger lines at major ticks."""
    paths = []
    for major, cls in ((False, "grid"), (True, "grid major")):
        d = "".join(
            f"M{num(scale.x(t.day))} {num(top)}V{num(bottom)}" for t in found if t.major == major
        )
        if d:
            paths.append(tag("path", {"class": cls, "d": d}))
    return tag("g", {"aria-hidden": "true"}, *paths) if paths else ""


def axis_labels(scale: Scale, found: list[Tick], baseline: float, caption: bool = False) -> str:
    """Tick labels; with `caption`, the whole range with years above the label column too."""
    span = f"{day(scale.start)} – {day(scale.end)}"
    labels = [text(10, baseline, span, "range")] if caption else []
    labels += [
        text(x, baseline, tick.label, "major" if tick.major else None, text_anchor=anchor)
        for tick, x, anchor in label_spans(scale, found)
    ]
    return tag("g", {"class": "axis", "aria-hidden": "true"}, *labels)


def today_marks(today: date | None, scale: Scale, top: float, bottom: float) -> str:
    """A dashed line through the rows on today's date, under a 'Today' tag in the axis band."""
    if today is None or not scale.contains(today):
        return ""
    x = scale.x(today) + scale.day_width / 2
    width = text_width("Today", 11, bold=True) + 10
    left = min(max(x - width / 2, scale.x0 - 8), scale.x1 + 8 - width)
    parts = [
        tag("path", {"class": "today-line", "d": f"M{num(x)} {num(top - 4)}V{num(bottom)}"}),
        tag(
            "rect",
            {
                "class": "today-tag",
                "x": left,
                "y": top - 20,
                "width": width,
                "height": 16.0,
                "rx": 3.0,
            },
        ),
        text(left + width / 2, top - 8, "Today", "today-text", text_anchor="middle"),
    ]
    return tag("g", {"class": "today", "aria-hidden": "true"}, *parts)


@functools.lru_cache(maxsize=256)  # charts show the same few combinations over and over
def _key_shapes(keys: Keys) -> tuple[tuple[str, str], ...]:
    """(shape drawn in a 16x12 box at the origin, label) for each entry.

    Legend shapes have classes of their own (key-*), so counting a chart's arrows or
    diamonds by class never counts the legend.
    """
    swatch = {"class": "swatch", "x": 1.0, "y": 1.0, "width": 14.0, "height": 10.0, "rx": 2.0}
    names = dict(keys.names)
    order = {state: index for index, state in enumerate(names)}

    def rank(state: str) -> tuple[int, int]:
        return (order.get(state, len(order)), _order(state))

    found = [
        (
            tag("g", {"class": state_class(s)}, tag("rect", swatch)),
            names.get(s) or _NAMES.get(s, s.capitalize()),
        )
        for s in sorted(keys.states, key=rank)
    ]
    if keys.critical:
        found.append((tag("rect", {**swatch, "class": "swatch critical"}), "Critical path"))
    if keys.milestone:
        diamond = tag("path", {"class": "key-diamond", "d": "M8 0l6 6l-6 6l-6 -6z"})
        found.append((diamond, "Milestone"))
    if keys.dependency:
        arrow = tag("path", {"class": "key-dep", "d": "M0 6H10"}) + tag(
            "path", {"class": "head", "d": "M9 2.5L16 6L9 9.5z"}
        )
        found.append((arrow, "Depends on"))
    if keys.today:
        found.append((tag("path", {"class": "key-today", "d": "M8 -2V14"}), "Today"))
    return tuple(found)


def _order(state: str) -> int:
    return STATES.index(state) if state in STATES else len(STATES)


def legend(keys: Keys, top: float, width: float) -> tuple[str, float]:
    """The legend laid out in lines from the left, and the height it takes."""
    entries = _key_shapes(keys)
    if not entries:
        return "", 0.0
    parts, x, y = [], 10.0, top
    for shape, label in entries:
        size = 16 + 5 + text_width(label, KEY_FONT) + 18
        if x + size > width - 10 and x > 10:
            x, y = 10.0, y + KEY_ROW
        parts.append(tag("g", {"transform": f"translate({num(x)} {num(y)})"}, shape))
        parts.append(text(x + 21, y + 10, label))
        x += size
    return tag("g", {"class": "legend", "aria-hidden": "true"}, *parts), y - top + KEY_ROW
