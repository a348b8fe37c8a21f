"""Server-side SVG charts: timelines (Gantt charts) and small charts for plan pages.

Everything is drawn at build time as inline SVG returned as `markupsafe.Markup`, so pages
need no JavaScript, no fonts and no network, print, and work in light and dark themes.
"""

from planpress.render.svg.charts import budget_bars, progress_bar, risk_heatmap, sparkline
from planpress.render.svg.model import Bar, Group, Link, Marker, Timeline
from planpress.render.svg.timeline import axis_for, has_dates, render_timeline

__all__ = [
    "Bar",
    "Group",
    "Link",
    "Marker",
    "Timeline",
    "axis_for",
    "budget_bars",
    "has_dates",
    "progress_bar",
    "render_timeline",
    "risk_heatmap",
    "sparkline",
]
