"""Dashboard, responsibility matrices, people, sections and tags: built and parsed."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from planpress.pipeline import BuildOptions, build

PEOPLE = """
people:
  ann: {name: Ann Lee, role: Lead, team: web}
  bob: {name: Bob <b>Stone</b>}
teams:
  web: {name: Web Team}
"""

PLAN_A = """
---
title: Alpha
id: alpha
owner: ann
start: 2024-07-01
tags: [Growth, q3]
budget: 1000
tasks:
  - id: late
    title: Late task
    responsible: web
    accountable: ann
    consulted: [bob]
    due: 2024-07-10
  - id: nobody
    title: Unassigned task
    informed: [bob]
    due: 2024-09-30
milestones:
  - {id: soon, name: Soon milestone, due: 2024-08-10, owner: bob, budget: 100, cost: 150}
kpis:
  - {id: k, name: Signups, baseline: 0, target: 100, actuals: {2024-07: 40}}
---
"""

PLAN_B = """
---
title: Beta
id: beta
supports: [alpha]
tags: [growth]
tasks:
  - {title: Help, responsible: ann, due: 2024-08-30}
---
"""


@pytest.fixture
def built(site):
    root = site(
        {
            "planpress.yaml": "title: Portfolio\ntoday: 2024-08-01\n",
            "content/people.yaml": PEOPLE,
            "content/growth/alpha.md": PLAN_A,
            "content/growth/emea/beta.md": PLAN_B,
        }
    )
    build(root, root / "out", BuildOptions())
    return root / "out"


def soup(out, path):
    return BeautifulSoup((out / path).read_text(encoding="utf-8"), "html.parser")


def test_dashboard_lists_overdue_upcoming_budget_kpis_and_strategy_tree(built):
    page = soup(built, "index.html")
    overdue = page.find("h2", id="overdue-heading").find_next("table")
    assert [a.get_text() for a in overdue.select("tbody th a")] == ["Late task"]
    upcoming = page.find("h2", id="upcoming-heading").find_next("table")
    link = upcoming.select_one("tbody th a")
    assert link.get_text() == "Soon milestone"
    assert link["href"] == "milestones/alpha/soon.html"
    assert (
        "Soon milestone" in page.find("h2", id="budget-heading").find_parent("section").get_text()
    )
    kpi_row = page.find("h2", id="kpi-heading").find_next("table").select_one("tbody tr")
    assert "40%" in kpi_row.get_text()
    tree = page.select_one(".tree")
    assert tree.select_one("li > a").get_text() == "Alpha"
    assert tree.select_one("li li > a").get_text() == "Beta"
    assert page.select("p.capped") == []  # every list fits in page_size (100) rows


def test_plan_matrix_has_letters_and_flags_missing_responsible(built):
    page = soup(built, "plans/alpha.html")
    matrix = page.find("h2", id="raci").find_next("table")
    columns = [th.get_text(strip=True) for th in matrix.select("thead th")]
    assert columns == ["Task or milestone", "Ann Lee", "Bob <b>Stone</b>", "Web Team", "Check"]
    rows = {
        r.th.get_text(" ", strip=True): [td.get_text(strip=True) for td in r.select("td")]
        for r in matrix.select("tbody tr")
    }
    assert rows["Late task"] == ["A", "C", "R", ""]
    assert rows["Unassigned task"] == ["", "I", "", "no one responsible"]
    assert rows["Soon milestone (milestone)"] == ["", "R", "", ""]


def test_global_matrix_counts_letters_and_links_to_details(built):
    page = soup(built, "responsibilities.html")
    row = next(r for r in page.select("tbody tr") if r.th.get_text(strip=True) == "Ann Lee")
    cells = row.select("td")
    assert cells[0].get_text(strip=True) == "1A" and cells[1].get_text(strip=True) == "1R"
    assert cells[0].a["href"] == "people/ann.html#plan-alpha"
    assert soup(built, "people/ann.html").find(id="plan-alpha") is not None


def test_people_index_and_person_page(built):
    page = soup(built, "people/index.html")
    assert "Bob <b>Stone</b>" in page.get_text()  # escaped, shown as written
    assert page.find("b") is None
    person = soup(built, "people/ann.html")
    assert person.h1.get_text() == "Ann Lee"
    assert [li.get_text() for li in person.select(".breadcrumbs li")] == [
        "Home",
        "People",
        "Ann Lee",
    ]


def test_section_and_tag_pages(built):
    section = soup(built, "sections/growth.html")
    assert {a.get_text() for a in section.select("table.plans tbody th a")} == {"Alpha", "Beta"}
    nested = soup(built, "sections/growth/emea.html")
    assert [a.get_text() for a in nested.select(".breadcrumbs a")] == ["Home", "Growth"]
    tag = soup(built, "tags/growth.html")  # "Growth" and "growth" are one tag
    assert {a.get_text() for a in tag.select("table.plans tbody th a")} == {"Alpha", "Beta"}
    plan = soup(built, "plans/beta.html")
    crumbs = [a.get_text() for a in plan.select(".breadcrumbs a")]
    assert crumbs == ["Home", "Growth", "Emea"]


def test_navigation_marks_the_current_page(built):
    page = soup(built, "responsibilities.html")
    current = page.select_one('.site-nav a[aria-current="page"]')
    assert current.get_text() == "Responsibilities"
