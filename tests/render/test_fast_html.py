"""The Python that stands in for the busiest template code draws exactly what it replaced."""

from __future__ import annotations

import datetime as dt

import jinja2
import pytest
from markupsafe import Markup
from sitekit import REPO, copy_example_site

from planpress.pipeline import build
from planpress.render import format as fmt
from planpress.render.links import PageLinks
from planpress.render.urls import UrlStyle
from planpress.render.views import Link
from planpress.schedule.status import ItemStatus

THEME_LINKS = REPO / "themes/default/templates/partials/links.html"
ITEMS = [
    Link("Ann Lee", "people/ann.html"),
    Link("Q3 <plan> & \"more\" 'too'", "plans/q3.html#item-t1"),
    Link("Hidden plan", None),
    Link("Empty target", ""),
    Link(Markup("<b>bold</b>"), "plans/b.html"),
    Link(42, "plans/n.html"),  # type: ignore[arg-type]
    {"text": "A dict", "target": "people/bob.html"},
    {"text": "No target", "target": None},
    None,
]
STATES = [ItemStatus("done", "done", None), ItemStatus("over<due>", 'late & "soon"', 3)]
DAYS = [dt.date(2024, 7, 5), None]


def _render(links_source: str, page_links: PageLinks | None, **values: object) -> str:
    env = jinja2.Environment(
        loader=jinja2.DictLoader({"partials/links.html": links_source}),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = fmt.day
    page = env.from_string(
        '{% from "partials/links.html" import link, links, state, day with context %}'
        "{% for i in items %}[{{ link(i) }}]{% endfor %}|{{ links(items) }}|{{ links([]) }}|"
        "{% for s in states %}[{{ state(s) }}]{% endfor %}|"
        "{% for d in days %}[{{ day(d) }}]{% endfor %}"
    )
    context = {"url": UrlStyle().linker("plans/q3.html"), **values}
    if page_links is not None:
        context["page_links"] = page_links
    return page.render(context)


def test_page_links_draw_what_the_macros_draw():
    source = THEME_LINKS.read_text(encoding="utf-8")
    url = UrlStyle().linker("plans/q3.html")
    values = {"items": ITEMS, "states": STATES, "days": DAYS}
    by_macros = _render(source, None, **values)
    assert _render(source, PageLinks(url), **values) == by_macros
    assert '<span class="restricted">Hidden plan</span>' in by_macros
    assert 'href="#item-t1"' in by_macros and "&lt;plan&gt; &amp; &#34;more&#34;" in by_macros


@pytest.mark.parametrize("pretty", [False, True])
def test_linker_is_link_for_any_page(pretty):
    style = UrlStyle(pretty=pretty)
    pages = ["index.html", "plans/a.html", "plans/b.html", "people/index.html", "x/y/z.html"]
    targets = [
        "index.html",
        "plans/a.html",
        "plans/a.html#item-t1",
        "plans/b.html#item-t2",
        "#top",
        "people/index.html",
        "x/y/z.html#k",
        "static/planpress.css",
    ]
    for _ in range(2):  # the second round is answered from the memo the first one filled
        for page in pages:
            url = style.linker(page)
            assert [url(t) for t in targets] == [style.link(page, t) for t in targets]
            assert url("") == "" and url(None) == ""  # type: ignore[arg-type]


def test_rows_use_the_macros_of_an_overridden_links_html(tmp_path):
    """A theme's own link macro draws the links in the rows drawn by Python as well."""
    site = copy_example_site(tmp_path / "site")
    own = THEME_LINKS.read_text(encoding="utf-8").split("{# The same as the macros above")[0]
    own = own.replace(
        '<a href="{{ url(item.target) }}">', '<a class="mine" href="{{ url(item.target) }}">'
    )
    (site / "templates/partials").mkdir(parents=True)
    (site / "templates/partials/links.html").write_text(own, encoding="utf-8")
    build(site, tmp_path / "out")
    plan = (tmp_path / "out/plans/online-sales-q3.html").read_text(encoding="utf-8")
    tasks = plan[plan.index('<table class="tasks">') :]
    assert '<td><a class="mine" href="../people/' in tasks
    matrix = plan[plan.index('<table class="matrix">') :]
    assert '<th scope="col"><a class="mine"' in matrix
    assert '<th scope="row"><a class="mine"' in matrix
    person = next((tmp_path / "out/people").glob("*.html")).read_text(encoding="utf-8")
    assert 'class="mine"' in person


def test_macro_links_and_python_links_build_the_same_site(tmp_path):
    """The example site drawn with links.html's macros alone equals the committed one."""
    site = copy_example_site(tmp_path / "site")
    macros_only = THEME_LINKS.read_text(encoding="utf-8").split("{# The same as the macros")[0]
    (site / "templates/partials").mkdir(parents=True)
    (site / "templates/partials/links.html").write_text(macros_only, encoding="utf-8")
    build(site, tmp_path / "out")
    for built in (tmp_path / "out").rglob("*.html"):
        committed = REPO / "site" / built.relative_to(tmp_path / "out")
        assert built.read_bytes() == committed.read_bytes(), built.name
