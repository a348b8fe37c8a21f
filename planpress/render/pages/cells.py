"""Table cells of the site-wide pages, drawn in Python once per value.

The dashboard, the review and the milestone index show one row per task, milestone or KPI of
the whole site: tens of thousands of rows on a large site. Calling a macro (or a Python
function) from a template costs more than the rest of a row, so these pages get their links,
dates and states as ready HTML from here, exactly as the macros of the same name in
partials/links.html draw them (tests/render/test_cells.py compares the two). Each distinct
value is drawn once per page.

The price: a site that overrides partials/links.html changes the links of these tables only
by overriding the page's own template as well.
"""

from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape

from planpress.render.links import EMPTY, PageLinks, esc
from planpress.render.urls import UrlStyle
from planpress.schedule.status import ItemStatus

_VERDICT_STATES = {
    "met": "done",
    "reached": "done",
    "not met": "overdue",
    "behind": "overdue",
    "on track": "upcoming",
}


class Cells(PageLinks):
    """PageLinks for one site-wide page, remembering each date and state it draws: the rows
    of a large site repeat a few hundred of them tens of thousands of times."""

    __slots__ = ("_days", "_states")

    def __init__(self, url_style: UrlStyle, page: str) -> None:
        super().__init__(url_style.linker(page))
        self._days: dict[date, Markup] = {}
        self._states: dict[tuple[str, str], Markup] = {}

    def href(self, target: str) -> str:
        """url(target), escaped, as `href="{{ url(target) }}"` writes it."""
        return esc(self.url(target))

    def state(self, status: ItemStatus) -> Markup:
        key = (status.state, status.label)
        drawn = self._states.get(key)
        if drawn is None:
            drawn = self._states[key] = super().state(status)
        return drawn

    def day(self, value: date | None) -> Markup:  # type: ignore[override]
        if not value:
            return EMPTY
        drawn = self._days.get(value)
        if drawn is None:
            drawn = self._days[value] = PageLinks.day(value)
        return drawn


def verdict(text: str) -> Markup:
    css = _VERDICT_STATES.get(text, "undated")
    return Markup(f'<span class="state state-{css}">{escape(text)}</span>')


def with_unit(text: str, unit: str) -> Markup:
    if not (text and unit):
        return escape(text)
    return escape(text) + (unit if unit == "%" else " " + unit)
