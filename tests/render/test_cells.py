"""pages/cells.py draws exactly what the macros of partials/links.html draw."""

from __future__ import annotations

from datetime import date

import pytest
from sitekit import REPO

from planpress.render import format as fmt
from planpress.render.pages.cells import Cells, verdict, with_unit
from planpress.render.theme import Theme
from planpress.render.urls import UrlStyle
from planpress.render.views import Link
from planpress.schedule.status import ItemStatus

MACROS = (
    '{% from "partials/links.html" import link, links, state, day, verdict, with_unit '
    "with context %}"
)
PAGES = ["review.html", "plans/sales/q3.html", "milestones/shop/m.1.html"]
LINKS = [
    None,
    Link("Plain", "plans/a.html"),
    Link("Into <the> page & \"quotes\" 'too'", "plans/sales/q3.html#item-x"),
    Link("Own page", "review.html"),
    Link("An index", "people/index.html"),
    Link("Hidden", None),
    Link("Empty target", ""),
    Link("Odd target", 'plans/a&b"c.html#k'),
]
TEXTS = ["", "12", "3.5", "Not <a> number & more", "0"]
UNITS = ["", "%", "USD", "<u>"]


def macro(name: str, page: str, style: UrlStyle, *args: object) -> str:
    """What the macro draws, with `url` as stream_page gives it (no page_links)."""
    env = Theme.find("default", REPO).environment()
    env.filters["day"] = fmt.day
    template = env.from_string(MACROS + "{{ " + name + "(*args) }}")
    url = lambda target: style.link(page, target) if target else ""  # noqa: E731
    return template.render(args=args, url=url)


@pytest.mark.parametrize("pretty", [False, True])
@pytest.mark.parametrize("page", PAGES)
def test_links_as_the_macros_draw_them(page, pretty):
    style = UrlStyle(pretty=pretty)
    cells = Cells(style, page)
    for item in LINKS:
        assert cells.link(item) == macro("link", page, style, item)
        assert cells.link(item) == macro("link", page, style, item)  # drawn once, the same
    shown = [item for item in LINKS if item is not None]
    assert cells.links(shown) == macro("links", page, style, shown)
    assert cells.links([]) == macro("links", page, style, [])


def test_days_and_states_as_the_macros_draw_them():
    style = UrlStyle()
    cells = Cells(style, "review.html")
    for value in (None, date(2024, 7, 5), date(999, 12, 31)):
        assert cells.day(value) == macro("day", "review.html", style, value)
    for status in (
        ItemStatus("overdue", "overdue by 3 days", 3),
        ItemStatus("done-late", 'done <late> & "odd"', None),
    ):
        assert cells.state(status) == macro("state", "review.html", style, status)


def test_verdicts_and_units_as_the_macros_draw_them():
    style = UrlStyle()
    for text in ("met", "not met", "reached", "behind", "on track", "no data", "<odd>"):
        assert verdict(text) == macro("verdict", "review.html", style, text)
    for text in TEXTS:
        for unit in UNITS:
            assert with_unit(text, unit) == macro("with_unit", "review.html", style, text, unit)
