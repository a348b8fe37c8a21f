"""The time axis of a timeline: the date range, the tick unit chosen by span, tick labels.

The unit follows the span so labels stay readable at any length: days up to three weeks,
weeks (Mondays) up to about four months, months up to two years, quarters up to eight
years, years beyond. A computed range is snapped outwards to whole units so the axis starts
on a labelled tick; an explicit range is used as given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from planpress.render.svg.text import month, text_width

_UNITS = ((21, "day"), (122, "week"), (731, "month"), (2922, "quarter"))
AXIS_FONT = 11.0
LABEL_GAP = 6.0  # least space between two tick labels


@dataclass(frozen=True, slots=True)
class Tick:
    day: date
    label: str
    major: bool  # a year (or month) boundary: a stronger gridline, its label placed first


@dataclass(frozen=True, slots=True)
class Scale:
    """Maps days to x: a day covers [x(day), x(day + 1)), the end day included."""

    start: date
    end: date
    x0: float
    x1: float
    unit: str
    day_width: float = field(init=False, repr=False, compare=False)  # x per day

    def __post_init__(self) -> None:  # x() runs for every bar, tick and marker
        object.__setattr__(self, "day_width", (self.x1 - self.x0) / self.days)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def x(self, value: date) -> float:
        return self.x0 + (value - self.start).days * self.day_width

    def clamp(self, x: float) -> float:
        return min(max(x, self.x0), self.x1)

    def contains(self, value: date) -> bool:
        return self.start <= value <= self.end


def unit_for(span_days: int) -> str:
    return next((unit for limit, unit in _UNITS if span_days <= limit), "year")


def _snap(unit: str, first: date, last: date) -> tuple[date, date]:
    """Widen [first, last] to whole units (a day of margin each side for the day unit)."""
    if unit == "day":
        return first - timedelta(days=1), last + timedelta(days=1)
    if unit == "week":
        return first - timedelta(days=first.weekday()), last + timedelta(days=6 - last.weekday())
    months = {"month": 1, "quarter": 3, "year": 12}[unit]
    start = date(first.year, (first.month - 1) // months * months + 1, 1)
    stop_month = (last.month - 1) // months * months + months  # last month of the unit
    stop = date(last.year + stop_month // 12, stop_month % 12 + 1, 1) - timedelta(days=1)
    return start, stop


def make_range(
    dates: Iterable[date], start: date | None, end: date | None
) -> tuple[date, date, str] | None:
    """(start, end, unit) covering `dates` and the explicit bounds; None without any date."""
    known = sorted({*dates, *(d for d in (start, end) if d is not None)})
    if not known:
        return None
    first, last = start or known[0], end or known[-1]
    if last < first:
        first, last = (first, first) if start else (last, last)
    unit = unit_for((last - first).days + 1)
    snapped = _snap(unit, first, last)
    low, high = start or snapped[0], end or snapped[1]
    return low, max(high, low), unit  # an explicit end before the start shows one day


def _first_of_months(start: date, end: date, step: int) -> list[date]:
    index = start.year * 12 + start.month - 1
    index = -(-index // step) * step  # round up to the step (quarters start in Jan/Apr/...)
    if date(index // 12, index % 12 + 1, 1) < start:
        index += step
    found = []
    while (d := date(index // 12, index % 12 + 1, 1)) <= end:
        found.append(d)
        index += step
    return found


def _days(start: date, end: date, step: int, weekday: int | None = None) -> list[date]:
    first = start
    if weekday is not None:
        first += timedelta(days=(weekday - start.weekday()) % 7)
    count = (end - first).days // step + 1 if first <= end else 0
    return [first + timedelta(days=i * step) for i in range(count)]


def ticks(scale: Scale) -> list[Tick]:
    """The ticks of the scale's unit inside its range, with their labels."""
    unit, start, end = scale.unit, scale.start, scale.end
    if unit == "day":
        return [_day_tick(d, i == 0) for i, d in enumerate(_days(start, end, 1))]
    if unit == "week":
        mondays = _days(start, end, 7, weekday=0)
        return [_week_tick(d, i == 0) for i, d in enumerate(mondays)]
    if unit == "month":
        return [_month_tick(d, i == 0) for i, d in enumerate(_first_of_months(start, end, 1))]
    if unit == "quarter":
        return [_quarter_tick(d) for d in _first_of_months(start, end, 3)]
    return [Tick(d, str(d.year), True) for d in _first_of_months(start, end, 12)]


def _day_tick(d: date, first: bool) -> Tick:
    if first or d.day == 1:
        return Tick(d, f"{d.day} {month(d)}", True)
    return Tick(d, str(d.day), False)


def _week_tick(d: date, first: bool) -> Tick:
    """'8 Jul'; the year is added where a new one starts (the caption states the range)."""
    new_year = d.month == 1 and d.day <= 7
    label = f"{d.day} {month(d)}"
    return Tick(d, f"{label} {d.year}" if new_year else label, first or new_year)


def _month_tick(d: date, first: bool) -> Tick:
    if first or d.month == 1:
        return Tick(d, f"{month(d)} {d.year}", d.month == 1)
    return Tick(d, month(d), False)


def _quarter_tick(d: date) -> Tick:
    return Tick(d, f"Q{(d.month - 1) // 3 + 1} {d.year}", d.month == 1)


def label_spans(scale: Scale, found: list[Tick]) -> list[tuple[Tick, float, str]]:
    """(tick, x, anchor) for the labels that fit without overlapping, in axis order.

    Major labels are placed first so a year boundary is never dropped for an ordinary
    month; the others fill the gaps left between them.
    """
    centred = scale.unit == "day"  # a day's label sits in the middle of its column
    boxes: list[tuple[float, float]] = []
    placed: list[tuple[Tick, float, str]] = []
    for major in (True, False):
        for tick in (t for t in found if t.major == major):
            width = text_width(tick.label, AXIS_FONT, bold=tick.major)
            left = scale.x(tick.day) + (scale.day_width / 2 - width / 2 if centred else 3)
            middle = centred and left >= scale.x0
            left = max(left, scale.x0)  # a wide first label starts at the edge instead
            if left + width > scale.x1 + 14:
                continue
            if any(left < b + LABEL_GAP and a < left + width + LABEL_GAP for a, b in boxes):
                continue
            boxes.append((left, left + width))
            if middle:
                placed.append((tick, left + width / 2, "middle"))
            else:
                placed.append((tick, left, "start"))
    return sorted(placed, key=lambda item: item[0].day)
