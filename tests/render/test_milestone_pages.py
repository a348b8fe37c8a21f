"""Milestone pages and the milestone index: built from inline plans and parsed."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from planpress.pipeline import build

CONFIG = "title: Test plans\ntoday: 2024-08-20\ncurrency: USD\n"

PEOPLE = """
people:
  ann: {name: Ann Lee, role: Lead, team: web}
  bob: {name: Bob Stone}
teams:
  web: {name: Web Team, members: [ann]}
"""

SHOP = """
---
title: Online shop
id: shop
kind: action-plan
owner: ann
start: 2024-07-01
end: 2024-09-30
kpis:
  - {id: conversion, name: Conversion rate, unit: "%", baseline: 2.5, target: 3.5}
  - {id: abandonment, name: Cart abandonment, unit: "%", baseline: 72, target: 60, direction: down}
tasks:
  - {id: audit, title: Website audit, responsible: ann, due: 2024-07-07, status: done}
milestones:
  - id: checkout
    name: New checkout live
    due: 2024-07-21
    end: 2024-07-31
    done: 2024-07-24
    budget: 5000
    cost: 5400
    owner: web
    department: Web Development
    category: product
    after: [audit]
    benefits:
      - {metric: conversion, target: 3.5, actual: 3.6}
      - {metric: abandonment, target: 60, actual: 64}
      - {metric: Cart abandonment, target: 70, actual: 64}
      - {metric: signups, target: 100, actual: 120}
      - {metric: staff mood, target: happier, actual: much happier}
      - {metric: reviews, target: 50}
    description: |
      First paragraph <script>alert('description')</script>.

      Second paragraph.
  - id: campaign
    name: Fall campaign
    due: 2024-09-16
    budget: 6000
    owner: bob
    category: marketing-sales
    after: [checkout]
---
"""

OPS = """
---
title: Operations
id: ops
start: 2024-07-01
tasks:
  - {id: chat, title: Route live chat, responsible: bob, due: 2024-08-25, after: [shop#checkout]}
  - {id: other, title: Unrelated, responsible: bob, due: 2024-08-26}
milestones:
  - id: early
    name: "<script>alert('x')</script> Early bird"
    due: 2024-08-10
    done: 2024-08-08
    budget: 1000
    cost: 900
    owner: bob
    category: marketing-sales
    after: [shop#checkout]
  - {id: license, name: License approved, due: 2024-07-02, budget: 300, cost: 300, category: legal}
  - {id: someday, name: Someday, budget: 50, category: other}
  - {id: lease, name: Lease signed, due: 2024-06-30, done: 2024-06-30, category: other, budget: 100}
---
"""


def page(out: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((out / path).read_text(encoding="utf-8"), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


@pytest.fixture
def built(site) -> Path:
    root = site(
        {
            "planpress.yaml": CONFIG,
            "content/people.yaml": PEOPLE,
            "content/shop.md": SHOP,
            "content/ops.md": OPS,
        }
    )
    build(root, root / "out")
    return root / "out"


def facts(soup: BeautifulSoup) -> dict[str, str]:
    dl = soup.select_one("dl.facts")
    return {text(dt): text(dt.find_next_sibling("dd")) for dt in dl.find_all("dt")}


def test_every_milestone_gets_a_page(built):
    pages = sorted(p.relative_to(built).as_posix() for p in (built / "milestones").rglob("*.html"))
    assert pages == [
        "milestones/index.html",
        "milestones/ops/early.html",
        "milestones/ops/lease.html",
        "milestones/ops/license.html",
        "milestones/ops/someday.html",
        "milestones/shop/campaign.html",
        "milestones/shop/checkout.html",
    ]


def test_milestone_page_fields(built):
    soup = page(built, "milestones/shop/checkout.html")
    assert text(soup.h1) == "New checkout live"
    assert soup.title.string.startswith("New checkout live")
    info = facts(soup)
    assert info["Plan"] == "Online shop"
    assert soup.select_one("dl.facts dd a")["href"] == "../../plans/shop.html#item-checkout"
    assert info["Owner"] == "Web Team"
    assert soup.find("a", string="Web Team")["href"] == "../../people/web.html"
    assert info["Department"] == "Web Development"
    assert info["Category"] == "Product"
    assert info["Due"] == "21 Jul 2024" and info["End"] == "31 Jul 2024"
    assert info["Done"] == "24 Jul 2024"
    assert info["Status"] == "done 3 days late"
    due = soup.select_one("dl.facts time")
    assert due["datetime"] == "2024-07-21"


def test_breadcrumbs(built):
    nav = page(built, "milestones/shop/checkout.html").select_one('nav[aria-label="Breadcrumb"]')
    assert [text(li) for li in nav.select("li")] == [
        "Home",
        "Milestones",
        "Online shop",
        "New checkout live",
    ]
    assert [a["href"] for a in nav.select("a")] == [
        "../../index.html",
        "../../milestones/index.html",
        "../../plans/shop.html",
    ]


def test_plan_vs_actual(built):
    soup = page(built, "milestones/shop/checkout.html")
    table = soup.select_one("table.plan-vs-actual")
    assert table.caption and all(th.get("scope") for th in table.select("th"))
    date_row = [text(td) for td in table.select("tr.schedule td")]
    assert date_row == ["due 21 Jul 2024", "done 24 Jul 2024", "+3 days late"]
    cost_row = [text(td) for td in table.select("tr.cost td")]
    assert cost_row == ["5,000 USD", "5,400 USD", "over budget by 400 USD (8%)"]


def test_plan_vs_actual_early_and_on_time(built):
    early = page(built, "milestones/ops/early.html").select_one("table.plan-vs-actual")
    assert [text(td) for td in early.select("tr.schedule td")][2] == "2 days early"
    assert [text(td) for td in early.select("tr.cost td")][2] == "under budget by 100 USD (10%)"
    lease = page(built, "milestones/ops/lease.html").select_one("table.plan-vs-actual")
    assert [text(td) for td in lease.select("tr.schedule td")][2] == "on time"
    assert [text(td) for td in lease.select("tr.cost td")] == ["100 USD", "no cost recorded", ""]
    license_ = page(built, "milestones/ops/license.html").select_one("table.plan-vs-actual")
    assert [text(td) for td in license_.select("tr.schedule td")] == [
        "due 2 Jul 2024",
        "not done yet",
        "overdue by 49 days",
    ]
    assert [text(td) for td in license_.select("tr.cost td")][2] == "on budget"
    someday = page(built, "milestones/ops/someday.html")
    assert facts(someday)["Due"] == "no date" and facts(someday)["Owner"] == "not assigned"


def test_benefits_compare_in_the_kpi_direction(built):
    soup = page(built, "milestones/shop/checkout.html")
    rows = [[text(c) for c in tr.select("th, td")] for tr in soup.select("table.benefits tbody tr")]
    assert rows == [
        ["Conversion rate", "3.50%", "3.60%", "met"],
        ["Cart abandonment", "60%", "64%", "not met"],  # down: 64 is above the target
        ["Cart abandonment", "70%", "64%", "met"],  # named by the KPI's name
        ["signups", "100", "120", "met"],  # no KPI: at least the target
        ["staff mood", "happier", "much happier", "not comparable"],
        ["reviews", "50", "", "not measured yet"],
    ]
    kpi = soup.select_one("table.benefits tbody th a")
    assert kpi["href"] == "../../plans/shop.html#kpi-conversion"


def test_dependencies_and_dependents_across_plans(built):
    soup = page(built, "milestones/shop/checkout.html")
    section = soup.select_one('section[aria-labelledby="dependencies"]')
    lists = section.select("ul")
    waits, needed = lists
    assert [text(li) for li in waits.select("li")] == ["Website audit (task) · done"]
    assert waits.a["href"] == "../../plans/shop.html#item-audit"
    assert [a.get_text() for a in needed.select("a")] == [
        "Route live chat (Operations)",
        "<script>alert('x')</script> Early bird (Operations)",
        "Fall campaign",
    ]
    hrefs = [a["href"] for a in needed.select("a")]
    assert hrefs == [
        "../../plans/ops.html#item-chat",
        "../../milestones/ops/early.html",
        "../../milestones/shop/campaign.html",
    ]
    campaign = page(built, "milestones/shop/campaign.html")
    assert "No item waits for this milestone." in text(campaign)


def test_description_and_hostile_text_are_escaped(built):
    soup = page(built, "milestones/shop/checkout.html")
    paragraphs = soup.select('section[aria-labelledby="description"] p')
    assert [p.get_text() for p in paragraphs] == [
        "First paragraph <script>alert('description')</script>.",
        "Second paragraph.",
    ]
    for path in (
        "milestones/shop/checkout.html",
        "milestones/ops/early.html",
        "milestones/index.html",
    ):
        raw = (built / path).read_text(encoding="utf-8")
        assert "<script>" not in raw
    early = page(built, "milestones/ops/early.html")
    assert text(early.h1) == "<script>alert('x')</script> Early bird"


def test_index_groups_by_month_in_order_undated_last(built):
    soup = page(built, "milestones/index.html")
    by_month = soup.select_one('section[aria-labelledby="by-month"]')
    headings = [text(h) for h in by_month.select("h3")]
    assert headings == ["June 2024", "July 2024", "August 2024", "September 2024", "No due date"]
    assert by_month.select_one("h3 time")["datetime"] == "2024-06"
    july = by_month.select_one('section[aria-labelledby="month-2024-07"] table')
    assert text(july.caption) == "Milestones due in July 2024"
    assert [text(th) for th in july.select("tbody th")] == ["License approved", "New checkout live"]
    assert all(th.get("scope") == "col" for th in july.select("thead th"))
    row = [text(td) for td in july.select("tbody tr")[1].select("td")]
    assert row == [
        "Online shop",
        "Web Team",
        "21 Jul 2024",
        "24 Jul 2024",
        "+3 days late",
        "5,000 USD",
        "5,400 USD",
        "+400 (+8%)",
        "done 3 days late",
    ]
    link = july.select("tbody th a")[1]
    assert link["href"] == "../milestones/shop/checkout.html"
    assert july.select("tbody tr")[1].select_one("td a")["href"] == "../plans/shop.html"


def test_index_groups_by_category_with_totals(built):
    soup = page(built, "milestones/index.html")
    section = soup.select_one('section[aria-labelledby="by-category"]')
    assert [text(h) for h in section.select("h3")] == [
        "Marketing and sales",
        "Product",
        "legal",
        "Other",
    ]
    marketing = section.select_one('section[aria-labelledby="category-marketing-sales"] table')
    names = [text(th) for th in marketing.select("tbody th")]
    assert names == ["<script>alert('x')</script> Early bird", "Fall campaign"]
    total = [text(c) for c in marketing.select("tfoot th, tfoot td")]
    assert total[:4] == ["Total (2 milestones)", "7,000 USD", "900 USD", "-100"]
    other = section.select_one('section[aria-labelledby="category-other"] table')
    assert [text(c) for c in other.select("tfoot th, tfoot td")][:4] == [
        "Total (2 milestones)",
        "150 USD",
        "",
        "",
    ]
    summary = soup.select_one("table.totals")
    rows = [[text(c) for c in tr.select("th, td")] for tr in summary.select("tr")[1:]]
    assert rows == [
        ["Marketing and sales", "2", "7,000 USD", "900 USD", "-100"],
        ["Product", "1", "5,000 USD", "5,400 USD", "+400"],
        ["legal", "1", "300 USD", "300 USD", "0"],
        ["Other", "2", "150 USD", "", ""],
        ["All milestones", "6", "12,450 USD", "6,600 USD", "+300"],
    ]


def test_empty_site_has_a_sensible_index(site):
    root = site({"planpress.yaml": CONFIG, "content/people.yaml": PEOPLE})
    build(root, root / "out")
    soup = page(root / "out", "milestones/index.html")
    assert text(soup.h1) == "Milestones"
    assert "There are no milestones" in text(soup.main)
    assert list((root / "out/milestones").rglob("*.html")) == [root / "out/milestones/index.html"]
