"""A person's page: rows drawn by runs of plans, the same as drawn from the data; the data
still there for a template of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import write_site

from planpress.pipeline import build, load_site
from planpress.render.links import PageLinks
from planpress.render.pages import party_work
from planpress.render.pages.people import party_context
from planpress.render.site import RenderInput, render_context
from planpress.render.tables import RowWriter

PEOPLE = """\
people:
  ann: {name: Ann Lee, team: core}
  bob: {name: Bob <b>Stone</b>, team: core}
teams:
  core: {name: Core Team}
"""


def plan(number: int) -> str:
    return f"""\
---
title: Plan {number} <i>of</i> many
owner: ann
start: 2024-06-{number % 20 + 1:02d}
tasks:
  - {{id: t, title: Task of {number}, responsible: bob, due: week {number % 4 + 1}}}
  - {{id: u, title: Done of {number}, responsible: bob, status: done, due: week 1}}
milestones:
  - {{id: m, name: Milestone {number}, owner: core, due: week 3}}
risks:
  - {{risk: Risk {number}, owner: bob}}
---
"""


@pytest.fixture
def many(tmp_path: Path) -> Path:
    files = {f"content/p{number:03d}.md": plan(number) for number in range(60)}
    files |= {"planpress.yaml": "title: Many\ntoday: 2024-06-20\n", "content/people.yaml": PEOPLE}
    return write_site(tmp_path / "site", files)


@pytest.mark.parametrize("run", [1, 3, 16])
@pytest.mark.parametrize("key", ["ann", "bob", "core"])
def test_the_drawn_rows_are_what_the_rows_draw(many, monkeypatch, run, key):
    monkeypatch.setattr(party_work, "RUN", run)
    project = load_site(many)
    data = RenderInput(project.config, project.site, project.schedule, project.status)
    ctx = render_context(data, project.theme)
    context = party_context(ctx, key)
    links = PageLinks(ctx.url_style.linker(f"people/{key}.html"))
    writer = RowWriter(ctx.slip, ctx.config.currency, links.link, links.links, links.state)
    drawn = context["drawn_rows"](writer)
    assert drawn.overdue == writer.person_items(context["overdue"])
    assert drawn.upcoming == writer.person_items(context["upcoming"])
    assert drawn.responsibilities == writer.responsibilities(context["rows"])
    assert drawn.workload == writer.timeline(context["workload_rows"])
    assert bool(context["overdue"]) == bool(list(context["overdue"]))
    assert bool(context["upcoming"]) == bool(list(context["upcoming"]))
    assert bool(context["rows"]) and len(context["rows"]) == 60


def test_a_template_of_its_own_draws_from_the_data(many, tmp_path):
    (many / "templates").mkdir()
    (many / "templates/person.html").write_text(
        "{% for plan_id, items in rows.items() %}{{ plan_id }}: {{ items | length }}\n"
        "{% endfor %}overdue {{ overdue | length }}{% if upcoming %}, soon{% endif %}\n"
        "{% for r in workload_rows[:2] %}{{ r.group }} / {{ r.label }}\n{% endfor %}"
    )
    build(many, tmp_path / "out")
    text = (tmp_path / "out/people/bob.html").read_text()
    assert "p000: 3\n" in text and "p059: 3\n" in text  # two tasks and a risk
    assert "overdue 18, soon" in text
    assert "Plan 0 &lt;i&gt;of&lt;/i&gt; many / Task of 0\n" in text
