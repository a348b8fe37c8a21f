"""What the SVG renderers draw: plain, frozen data built by the view layer.

Nothing here knows about plans or schedules; a caller turns tasks, milestones or whole plans
into bars and markers, so the same chart serves a plan timeline and a site roadmap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# The states a bar or marker may be in; each becomes the CSS class state-<state>.
STATES = (
    "overdue",
    "due-soon",
    "upcoming",
    "ongoing",
    "blocked",
    "undated",
    "done-late",
    "done",
    "cancelled",
)


@dataclass(frozen=True, slots=True)
class Bar:
    """One row of a timeline: a task, or a whole plan in a roadmap."""

    id: str  # unique within the chart; used for dependency arrows and element ids
    label: str
    start: date | None
    end: date | None  # inclusive last day; None when open-ended
    state: str  # one of STATES; becomes the class state-<state>
    href: str | None = None  # already relative; the row becomes an <a> link when set
    critical: bool = False
    ongoing: bool = False  # drawn to the chart's end with an open, fading end
    detail: str = ""  # appended to the tooltip, e.g. "Responsible: Marketing Team"


@dataclass(frozen=True, slots=True)
class Marker:
    """A milestone: a diamond on a day."""

    id: str
    label: str
    day: date
    state: str
    href: str | None = None
    detail: str = ""
    row: str | None = None  # id of the Bar whose row it sits on; None: a row of its own


@dataclass(frozen=True, slots=True)
class Group:
    """Objectives in a plan timeline; sections or departments in a roadmap."""

    title: str
    bars: tuple[Bar, ...]
    markers: tuple[Marker, ...] = ()


@dataclass(frozen=True, slots=True)
class Link:
    """A dependency arrow from the end of `source` to the start of `target` (ids)."""

    source: str
    target: str


@dataclass(frozen=True, slots=True)
class Timeline:
    title: str  # accessible name, e.g. "Timeline of Increase online sales"
    groups: tuple[Group, ...]
    links: tuple[Link, ...] = ()
    today: date | None = None
    start: date | None = None  # optional explicit range; default: the items' dates, padded
    end: date | None = None
    # with start and end, the tick unit ("day" ... "year", see axis.unit_for): the axis is
    # then exactly that, drawn even when no item has a date, so charts given the same
    # (start, end, unit), e.g. the pages of one roadmap, line up. Default: chosen by the span.
    unit: str | None = None
    # (state, label) pairs naming the bars' colours in the legend, in this order, e.g.
    # (("overdue", "Off track"), ...) when bars show plan health. A state only milestones
    # show, and any state not named here, keeps its usual name ("Done"). Either way the
    # legend lists only the states the chart shows.
    legend: tuple[tuple[str, str], ...] = ()
