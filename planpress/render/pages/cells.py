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

from collections.abc import Iterable
from datetime import date

from markupsafe import Markup, escape

from planpress.render import format as fmt
from planpress.render.links import esc
from planpress.render.urls import UrlStyle
from planpress.render.views import Link
from planpress.schedule.status import ItemStatus

_EMPTY = Markup("")
_VERDICT_STATES = {
    "met": "done",
    "reached": "done",
    "not met": "overdue",
    "behind": "overdue",
    "on track": "upcoming",
}


class Cells:
    """Draws the cells of one page, whose path its links are relative to."""

    def __init__(self, url_style: UrlStyle, page: str) -> None:
        self._url_style = url_style
        self._page = page
        self._links: dict[tuple[str, str | None], Markup] = {}
        self._days: dict[date, Markup] = {}
        self._states: dict[tuple[str, str], Markup] = {}

    def link(self, item: Link | None) -> Markup:
        if item is None:
            return _EMPTY
        key = (item.text, item.target)
        drawn = self._links.get(key)
        if drawn is None:
            drawn = self._links[key] = self._draw_link(item)
        return drawn

    def _draw_link(self, item: Link) -> Markup:
        if not item.target:
            return Markup(f'<span class="restricted">{esc(item.text)}</span>')
        return Markup(f'<a href="{self.href(item.target)}">{esc(item.text)}</a>')

    def href(self, target: str) -> str:
        """url(target), escaped, as `href="{{ url(target) }}"` writes it."""
        return esc(self._url_style.link(self._page, target))

    def links(self, items: Iterable[Link]) -> Markup:
        return Markup(", ".join(map(self.link, items)))

    def state(self, status: ItemStatus) -> Markup:
        key = (status.state, status.label)
        drawn = self._states.get(key)
        if drawn is None:
            css, label = escape(status.state), escape(status.label)
            drawn = self._states[key] = Markup(f'<span class="state state-{css}">{label}</span>')
        return drawn

    def day(self, value: date | None) -> Markup:
        if not value:
            return _EMPTY
        drawn = self._days.get(value)
        if drawn is None:
            text = escape(fmt.day(value).replace(" ", "\u00a0"))
            drawn = self._days[value] = Markup(
                f'<time datetime="{value.isoformat()}">{text}</time>'
            )
        return drawn


def verdict(text: str) -> Markup:
    css = _VERDICT_STATES.get(text, "undated")
    return Markup(f'<span class="state state-{css}">{escape(text)}</span>')


def with_unit(text: str, unit: str) -> Markup:
    if not (text and unit):
        return escape(text)
    return escape(text) + (unit if unit == "%" else " " + unit)
