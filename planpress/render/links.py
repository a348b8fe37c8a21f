"""The busiest macros of partials/links.html (`link`, `links`, `state`, `day`) in Python.

A Jinja macro call and every `{{ value }}` it escapes cost microseconds, and a plan page
draws hundreds of links, so stream_page hands every page a PageLinks as `page_links`, and
links.html binds the macro names to its methods. Each method returns exactly what its macro
renders; the macros stay in links.html as the reference, and for templates that import it
without context.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from jinja2 import UndefinedError
from markupsafe import Markup, escape

from planpress.render import format as fmt
from planpress.render.views import Link
from planpress.schedule.status import ItemStatus

_SPECIAL = re.compile("[&<>'\"]")
EMPTY = Markup("")  # nothing to draw: an empty cell or link


def esc(value: Any) -> str:
    """What `{{ value }}` prints with autoescape on: str(markupsafe.escape(value)).

    Quicker than escape() for the usual plain text with nothing to escape, and for Markup.
    """
    kind = type(value)
    if kind is str:
        return value if _SPECIAL.search(value) is None else str(escape(value))
    if kind is Markup:
        return str(value)  # a plain str: adding text to Markup would escape the text
    return str(escape(value))


def field(obj: Any, name: str) -> Any:
    """`obj.name` as Jinja reads it: the attribute, else the item; missing is an error, as
    StrictUndefined makes it in the templates."""
    try:
        return getattr(obj, name)
    except AttributeError:
        pass
    try:
        return obj[name]
    except (TypeError, LookupError, AttributeError):
        raise UndefinedError(f"{type(obj).__name__!r} object has no attribute {name!r}") from None


class PageLinks:
    """link/links/state/day for one page; `url` makes a path relative to that page."""

    __slots__ = ("_drawn", "url")

    def __init__(self, url: Callable[[str], str]) -> None:
        self.url = url
        # id(link) -> (link, html): a page links the same people over and over (the views
        # hand out one Link per party); holding the link keeps its id from being reused
        self._drawn: dict[int, tuple[Link, str]] = {}

    # What the templates call: each returns Markup, like the macro it stands in for.

    def link(self, item: Any) -> Markup:
        return Markup(self.link_html(item))

    def links(self, items: Iterable[Any]) -> Markup:
        return Markup(self.links_html(items))

    def state(self, s: Any) -> Markup:
        return Markup(state_html(s))

    @staticmethod
    def day(value: Any) -> Markup:
        if not value:
            return EMPTY
        shown = fmt.day(value).replace(" ", "\u00a0")
        return Markup(f'<time datetime="{esc(value.isoformat())}">{esc(shown)}</time>')

    # The same as plain str, for Python that draws HTML itself (tables.py).

    def link_html(self, item: Any) -> str:
        if type(item) is Link:  # nearly always: Links are frozen, so their HTML can be kept
            drawn = self._drawn.get(id(item))
            if drawn is None:
                drawn = self._drawn[id(item)] = (item, self._anchor(item.target, item.text))
            return drawn[1]
        if item is None:
            return ""
        return self._anchor(field(item, "target"), field(item, "text"))

    def links_html(self, items: Iterable[Any]) -> str:
        return ", ".join([self.link_html(item) for item in items])

    def twin(self, draw: Callable[[Any], Markup]) -> Callable[[Any], str] | None:
        """The plain str version of this page's link, links or state; None for others."""
        twins = {self.link: self.link_html, self.links: self.links_html, self.state: state_html}
        return twins.get(draw)

    def _anchor(self, target: Any, text: Any) -> str:
        if target:
            return f'<a href="{esc(self.url(target))}">{esc(text)}</a>'
        return f'<span class="restricted">{esc(text)}</span>'


def state_html(s: Any) -> str:
    if type(s) is ItemStatus:
        value, label = s.state, s.label
    else:
        value, label = field(s, "state"), field(s, "label")
    return f'<span class="state state-{esc(value)}">{esc(label)}</span>'
