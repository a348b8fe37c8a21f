"""The monthly review page: period, due and coming items, corrections, the five questions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from planpress.pipeline import build
from planpress.render.pages.review import review_period

CONFIG = "title: Test plans\ntoday: 2024-08-20\ncurrency: USD\n"

PEOPLE = """
people:
  ann: {name: Ann Lee}
  bob: {name: Bob Stone}
"""

# today 2024-08-20: the period is 2024-07-01 .. 2024-09-30
ALPHA = """
---
title: Alpha
id: alpha
owner: ann
start: 2024-01-01
end: 2024-12-31
kpis:
  - {id: signups, name: Signups, baseline: 0, target: 100, actuals: {2024-07: 10}}
  - id: conversion
    name: Conversion
    unit: "%"
    baseline: 2.5
    target: 3.5
    actuals: {2024-08: 3.2}
  - id: abandonment
    name: Abandonment
    unit: "%"
    baseline: 72
    target: 60
    direction: down
    actuals: {2024-05: 70, 2024-08: 64}
  - {id: old, name: Old metric, baseline: 0, target: 10, actuals: {2024-03: 5}}
tasks:
  - {id: before, title: Day before the period, responsible: ann, due: 2024-06-30, status: done}
  - {id: first-day, title: First day, responsible: ann, due: 2024-07-01, done: 2024-07-01}
  - {id: late, title: Done late, responsible: bob, due: 2024-07-10, done: 2024-07-13}
  - {id: cancelled, title: Cancelled one, responsible: bob, due: 2024-07-05, status: cancelled}
  - {id: stale, title: Long overdue, responsible: bob, due: 2024-05-01}
  - {id: overdue, title: "Overdue <script>alert(1)</script>", responsible: bob, due: 2024-08-01}
  - {id: due-today, title: Due today, responsible: ann, due: 2024-08-20}
  - {id: tomorrow, title: Due tomorrow, responsible: ann, due: 2024-08-21}
  - {id: blocked, title: Blocked one, responsible: bob, due: 2024-09-10, status: blocked}
  - {id: last-day, title: Last day, responsible: ann, due: 2024-09-30}
  - {id: next-day, title: Day after the period, responsible: ann, due: 2024-10-01}
milestones:
  - {id: costly, name: Costly milestone, due: 2024-07-15, done: 2024-07-15, budget: 100, cost: 150}
  - id: results
    name: Results milestone
    owner: ann
    due: 2024-08-05
    done: 2024-08-05
    budget: 500
    cost: 400
    benefits:
      - {metric: conversion, target: 3, actual: 3.2}
      - {metric: abandonment, target: 60, actual: 64}
      - {metric: press mentions, target: 5}
  - id: future
    name: Future milestone
    due: 2024-09-20
    budget: 800
    benefits: [{metric: x, target: 1}]
reviews:
  - date: 2024-06-15
    attendees: [ann]
    notes: Before the period.
  - date: 2024-08-01
    attendees: [ann, bob]
    notes: "Checked <img src=x onerror=alert(1)> everything."
    decisions: [Hire a contractor, Keep the date]
---
"""

QUIET = """
---
title: Quiet plan
id: quiet
start: 2023-01-01
tasks:
  - {id: old, title: Old task, responsible: ann, due: 2023-03-01, status: done}
milestones:
  - {id: next-year, name: Next year, due: 2025-03-01}
---
"""

BETA = """
---
title: Beta
id: beta
owner: bob
start: 2024-07-01
tasks:
  - id: b1
    title: Beta task
    responsible: bob
    due: 2024-07-20
    done: 2024-07-19
    budget: 50
    cost: 40
---
"""


def page(out: Path, path: str = "review.html") -> BeautifulSoup:
    return BeautifulSoup((out / path).read_text(encoding="utf-8"), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def answers(section) -> dict[str, str]:
    dl = section.select_one("dl.answers")
    return {text(dt): text(dt.find_next_sibling("dd")) for dt in dl.find_all("dt")}


def items(section, part: str) -> list[str]:
    return [text(th.a) for th in section.select(f'section[aria-labelledby$="-{part}"] tbody th')]


@pytest.fixture
def out(site) -> Path:
    root = site(
        {
            "planpress.yaml": CONFIG,
            "content/people.yaml": PEOPLE,
            "content/alpha.md": ALPHA,
            "content/beta.md": BETA,
            "content/quiet.md": QUIET,
        }
    )
    build(root, root / "out")
    return root / "out"


@pytest.mark.parametrize(
    ("today", "before", "after", "start", "end"),
    [
        (date(2024, 8, 20), 1, 1, date(2024, 7, 1), date(2024, 9, 30)),
        (date(2024, 1, 15), 1, 1, date(2023, 12, 1), date(2024, 2, 29)),
        (date(2024, 12, 31), 1, 1, date(2024, 11, 1), date(2025, 1, 31)),
        (date(2024, 8, 1), 0, 0, date(2024, 8, 1), date(2024, 8, 31)),
        (date(2024, 8, 20), 3, 2, date(2024, 5, 1), date(2024, 10, 31)),
        (date(2024, 8, 20), 0, 14, date(2024, 8, 1), date(2025, 10, 31)),
    ],
)
def test_period_rule(today, before, after, start, end):
    period = review_period(today, before, after)
    assert (period.start, period.end) == (start, end)


def test_heading_and_period(out):
    soup = page(out)
    assert text(soup.h1) == "Monthly review: July – September 2024"
    times = soup.select("p.period time")
    assert [t["datetime"] for t in times] == ["2024-07-01", "2024-09-30", "2024-08-20"]


def test_due_so_far_and_coming_up_boundaries(out):
    alpha = page(out).select_one("#plan-alpha")
    assert items(alpha, "due") == [
        "First day",
        "Done late",
        "Costly milestone",
        "Overdue <script>alert(1)</script>",
        "Results milestone",
        "Due today",
    ]
    assert items(alpha, "coming") == ["Due tomorrow", "Blocked one", "Future milestone", "Last day"]


def test_due_rows_answer_on_time_and_on_budget(out):
    alpha = page(out).select_one("#plan-alpha")
    rows = {
        text(tr.th.a): [text(td) for td in tr.select("td")]
        for tr in alpha.select('section[aria-labelledby~="plan-alpha-due"] tbody tr')
    }
    assert rows["Done late"][3] == "done 3 days late"
    assert rows["First day"][3] == "done on time"
    assert rows["Due today"][3] == "due today"
    assert rows["Overdue <script>alert(1)</script>"][3] == "overdue by 19 days"
    assert rows["Costly milestone"][4:] == ["100 USD", "150 USD", "over budget by 50 USD (50%)"]
    assert rows["Results milestone"][4:] == ["500 USD", "400 USD", "under budget by 100 USD (20%)"]
    link = alpha.select_one(
        'section[aria-labelledby~="plan-alpha-due"] tbody th a[href$="results.html"]'
    )
    assert link["href"] == "milestones/alpha/results.html"


def test_five_questions_for_a_plan(out):
    alpha = page(out).select_one("#plan-alpha")
    assert answers(alpha) == {
        "On time?": (
            "3 of 4 items done by a recorded day were on time. (1 done late, 1 overdue, "
            "1 due today)"
        ),
        "On budget?": "1 of 2 items with costs are within budget. (1 over budget)",
        "Corrections needed?": "5 items. (2 overdue, 1 over budget, 1 blocked, 1 KPI behind)",
        "Desired results?": "1 of 2 benefits met. (1 not measured yet)",
        "Metrics:": "3 KPIs measured in the period; 2 benefit results recorded. "
        "(2 on track, 1 behind) See results and metrics",
    }


def test_five_questions_overall(out):
    overall = page(out).select_one("#all")
    assert answers(overall)["On time?"] == (
        "4 of 5 items done by a recorded day were on time. (1 done late, 1 overdue, 1 due today)"
    )
    assert answers(overall)["On budget?"].startswith("2 of 3 items with costs are within budget.")
    assert answers(overall)["Corrections needed?"].startswith("5 items.")
    # the overall tables name the plan of each item
    heads = [text(th) for th in overall.select('section[aria-labelledby~="all-due"] thead th')]
    assert heads[:2] == ["Item", "Plan"]
    assert items(overall, "due")[:3] == ["First day", "Done late", "Costly milestone"]
    assert "Beta task" in items(overall, "due")


def test_needs_correction(out):
    alpha = page(out).select_one("#plan-alpha")
    rows = [
        [text(c) for c in tr.select("th, td")]
        for tr in alpha.select('section[aria-labelledby~="plan-alpha-corrections"] tbody tr')
    ]
    assert rows == [
        ["Long overdue (task)", "overdue by 111 days", "Bob Stone"],
        ["Costly milestone (milestone)", "over budget by 50 USD (50%)", ""],
        ["Overdue <script>alert(1)</script> (task)", "overdue by 19 days", "Bob Stone"],
        ["Blocked one (task)", "blocked", "Bob Stone"],
        [
            "Signups (KPI)",
            "behind: 10% of the way to target with 64% of the time elapsed",
            "",
        ],
    ]


def test_results_and_metrics(out):
    alpha = page(out).select_one("#plan-alpha")
    benefits = [
        [text(c) for c in tr.select("th, td")]
        for tr in alpha.select("table.review-benefits tbody tr")
    ]
    assert benefits == [
        ["Results milestone", "Conversion", "3%", "3.20%", "met"],
        ["Results milestone", "Abandonment", "60%", "64%", "not met"],
        ["Results milestone", "press mentions", "5", "", "not measured yet"],
    ]
    kpis = {
        text(tr.th.a): [text(td) for td in tr.select("td")]
        for tr in alpha.select("table.review-kpis tbody tr")
    }
    assert kpis["Signups"][2:] == ["10 (2024-07)", "10%", "64%", "behind"]
    assert kpis["Abandonment"][2:] == ["64% (2024-08)", "67%", "64%", "on track"]
    assert kpis["Old metric"][-1] == "on track"


def test_reviews_within_the_period(out):
    alpha = page(out).select_one("#plan-alpha")
    meetings = alpha.select("article.review")
    assert len(meetings) == 1
    assert meetings[0].time["datetime"] == "2024-08-01"
    paragraphs = [p.get_text() for p in meetings[0].select("p")]
    assert paragraphs[:2] == [
        "Attendees: Ann Lee, Bob Stone",
        "Checked <img src=x onerror=alert(1)> everything.",
    ]
    assert [text(li) for li in meetings[0].select("li")] == ["Hire a contractor", "Keep the date"]
    assert "<img src=x onerror=alert(1)>" in meetings[0].get_text()
    beta = page(out).select_one("#plan-beta")
    assert "No review meeting recorded in the period." in text(beta)


def test_plans_with_nothing_in_the_period_get_one_line(out):
    soup = page(out)
    assert soup.select_one("#plan-quiet") is None
    quiet = soup.select_one("#quiet")
    assert [text(a) for a in quiet.select("a")] == ["Quiet plan"]
    assert len(quiet.select("p")) == 1
    assert text(soup.select_one("#all p")).startswith("2 of 3 plans with something in the period")


def test_sections_link_their_plan_and_use_headings(out):
    soup = page(out)
    alpha = soup.select_one("#plan-alpha")
    assert alpha.h2.a["href"] == "plans/alpha.html"
    assert [text(h) for h in alpha.find_all("h3")] == [
        "The five questions",
        "Due in the period so far",
        "Coming up",
        "Needs correction",
        "Results and metrics",
        "Reviews recorded in the period",
    ]
    for table in soup.select("table"):
        assert table.caption is not None
        assert all(th.get("scope") in ("col", "row") for th in table.select("th"))


def test_hostile_text_is_escaped(out):
    raw = (out / "review.html").read_text(encoding="utf-8")
    assert "<script>" not in raw and "<img" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw


def test_months_around_today_come_from_the_config(site):
    config = CONFIG + "review_months_before: 0\nreview_months_after: 0\n"
    root = site(
        {"planpress.yaml": config, "content/people.yaml": PEOPLE, "content/alpha.md": ALPHA}
    )
    build(root, root / "out")
    soup = page(root / "out")
    assert text(soup.h1) == "Monthly review: August 2024"
    alpha = soup.select_one("#plan-alpha")
    assert items(alpha, "due") == [
        "Overdue <script>alert(1)</script>",
        "Results milestone",
        "Due today",
    ]
    assert items(alpha, "coming") == ["Due tomorrow"]


def test_empty_site(site):
    root = site({"planpress.yaml": CONFIG})
    (root / "content").mkdir()
    build(root, root / "out")
    soup = page(root / "out")
    assert text(soup.h1) == "Monthly review: July – September 2024"
    assert "There are no plans to review." in text(soup.main)
    assert soup.select("table") == []
