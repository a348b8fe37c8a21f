"""Tests for planpress.schedule.status: item states, budgets, KPI progress and plan health."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from planpress.diagnostics import Diagnostics
from planpress.load import load_sources
from planpress.resolve import Visibility, resolve_site
from planpress.schedule.scheduler import schedule_site
from planpress.schedule.status import Budget, Health, ItemStatus, Status, compute_status

TODAY = date(2024, 7, 15)


def status_of(tmp_path: Path, today: date = TODAY, **plans: str) -> Status:
    """Write each plan's front matter to content/<name>.md and run the pipeline to status."""
    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    for name, front in plans.items():
        text = f"---\nid: {name}\ntitle: Plan {name}\n{textwrap.dedent(front).strip()}\n---\n"
        (content / f"{name}.md").write_text(text)
    diagnostics = Diagnostics()
    sources = load_sources(tmp_path, content, diagnostics)
    site = resolve_site(sources, diagnostics, Visibility(drafts=True))  # drafts have a health too
    schedule = schedule_site(site, diagnostics)
    assert not diagnostics.errors, [x.format() for x in diagnostics.errors]
    return compute_status(site, schedule, today)


# --- items --------------------------------------------------------------------------------

ITEMS = """
start: 2024-07-01
end: 2024-12-31
tasks:
  - {id: today, title: Today, due: 2024-07-15}
  - {id: tomorrow, title: Tomorrow, due: 2024-07-16}
  - {id: soon-edge, title: Soon edge, due: 2024-07-29}
  - {id: upcoming, title: Upcoming, due: 2024-07-30}
  - {id: late1, title: Late, due: 2024-07-14}
  - {id: late5, title: Later, due: 2024-07-10}
  - {id: on-time, title: On time, due: 2024-07-10, status: done, done: 2024-07-10}
  - {id: early, title: Early, due: 2024-07-10, done: 2024-07-02}
  - {id: late-done, title: Late done, due: 2024-07-10, done: 2024-07-11}
  - {id: done-undated, title: Done undated, status: done}
  - {id: done-no-date, title: Done no date, due: 2024-07-10, status: done}
  - {id: gone, title: Gone, due: 2024-07-01, status: cancelled}
  - {id: always, title: Always, due: ongoing}
  - {id: someday, title: Someday}
milestones:
  - {id: m-done, name: Done, due: 2024-07-05, done: 2024-07-08}
  - {id: m-late, name: Late, due: 2024-07-12}
"""

EXPECTED_ITEMS = {
    "today": ItemStatus("due-soon", "due today", 0),
    "tomorrow": ItemStatus("due-soon", "due in 1 day", 1),
    "soon-edge": ItemStatus("due-soon", "due in 14 days", 14),
    "upcoming": ItemStatus("upcoming", "due in 15 days", 15),
    "late1": ItemStatus("overdue", "overdue by 1 day", 1),
    "late5": ItemStatus("overdue", "overdue by 5 days", 5),
    "on-time": ItemStatus("done", "done on time", 0),
    "early": ItemStatus("done", "done on time", 0),
    "late-done": ItemStatus("done-late", "done 1 day late", 1),
    "done-undated": ItemStatus("done", "done", None),
    "done-no-date": ItemStatus("done", "done", None),
    "gone": ItemStatus("cancelled", "cancelled", None),
    "always": ItemStatus("ongoing", "ongoing", None),
    "someday": ItemStatus("undated", "no date", None),
    "m-done": ItemStatus("done-late", "done 3 days late", 3),
    "m-late": ItemStatus("overdue", "overdue by 3 days", 3),
}


@pytest.mark.parametrize(("item", "expected"), sorted(EXPECTED_ITEMS.items()))
def test_item_states_at_boundaries(tmp_path: Path, item: str, expected: ItemStatus) -> None:
    status = status_of(tmp_path, p=ITEMS)
    assert status.items[("p", item)] == expected


def test_due_soon_days_is_configurable(tmp_path: Path) -> None:
    content = tmp_path / "content"
    status = status_of(tmp_path, p=ITEMS)
    diagnostics = Diagnostics()
    site = resolve_site(load_sources(tmp_path, content, diagnostics), diagnostics)
    narrow = compute_status(site, schedule_site(site, diagnostics), TODAY, due_soon_days=1)
    assert status.items[("p", "soon-edge")].state == "due-soon"
    assert narrow.items[("p", "soon-edge")] == ItemStatus("upcoming", "due in 14 days", 14)
    assert narrow.items[("p", "tomorrow")].state == "due-soon"


OBJECTIVES = """
start: 2024-07-01
objectives:
  - id: all-done
    title: All done
    tasks:
      - {id: a1, title: A1, due: 2024-07-01, done: 2024-07-01}
      - {id: a2, title: A2, due: 2024-07-02, status: cancelled}
  - id: mixed
    title: Mixed
    tasks:
      - {id: b1, title: B1, due: 2024-07-01, done: 2024-07-01}
      - {id: b2, title: B2, due: 2024-07-20}
      - {id: b3, title: B3, due: 2024-07-18}
      - {id: b4, title: B4, due: 2024-09-01}
  - id: behind
    title: Behind
    tasks:
      - {id: c1, title: C1, due: 2024-07-12}
      - {id: c2, title: C2, due: 2024-07-05}
      - {id: c3, title: C3, due: 2024-07-01, done: 2024-07-09}
  - id: cancelled
    title: Cancelled
    tasks:
      - {id: d1, title: D1, status: cancelled}
  - {id: empty, title: Empty}
"""


def test_objectives_take_the_most_pressing_state_of_their_tasks(tmp_path: Path) -> None:
    status = status_of(tmp_path, p=OBJECTIVES)
    assert status.items[("p", "all-done")] == ItemStatus("done", "done on time", 0)
    assert status.items[("p", "mixed")] == ItemStatus("due-soon", "due in 3 days", 3)
    assert status.items[("p", "behind")] == ItemStatus("overdue", "overdue by 10 days", 10)
    assert status.items[("p", "cancelled")].state == "cancelled"
    assert status.items[("p", "empty")] == ItemStatus("undated", "no date", None)


# --- budgets and KPIs ---------------------------------------------------------------------


def test_budget_variance(tmp_path: Path) -> None:
    status = status_of(
        tmp_path,
        p="""
        budget: 20000
        tasks:
          - {id: under, title: Under, budget: 8000, cost: 6500}
          - {id: planned, title: Planned, budget: 1000}
          - {id: spent, title: Spent, cost: 200}
        milestones:
          - {id: over, name: Over, budget: 5000, cost: 5400}
        """,
        q="tasks: [{id: a, title: A, budget: 300}, {id: b, title: B, budget: 700}]",
        r="tasks: [{id: a, title: A}]",
    )
    assert status.budgets[("p", "under")] == Budget(8000, 6500, -1500, -18.75, False)
    assert status.budgets[("p", "over")] == Budget(5000, 5400, 400, 8.0, True)
    assert status.budgets[("p", "planned")] == Budget(1000, None, None, None, False)
    assert status.budgets[("p", "spent")] == Budget(None, 200, None, None, False)
    assert status.budgets[("p", "")] == Budget(20000, 12100, -7900, -39.5, False)
    assert status.budgets[("q", "")] == Budget(1000, None, None, None, False)  # summed
    assert ("r", "") not in status.budgets and ("r", "a") not in status.budgets


KPIS = """
start: 2024-07-01
end: 2024-07-31
kpis:
  - {id: sales, name: Sales, baseline: 100, target: 200, direction: up,
     actuals: {2024-06: 110, 2024-07: 150}}
  - {id: churn, name: Churn, baseline: 72, target: 60, direction: down, actuals: {2024-07: 64}}
  - {id: fallen, name: Fallen, baseline: 72, target: 60, direction: down, actuals: {2024-07: 58}}
  - {id: worse, name: Worse, baseline: 100, target: 200, actuals: {2024-07: 90}}
  - {id: bare, name: Bare, target: 50, direction: down, actuals: {2024-07: 40}}
  - {id: empty, name: Empty, baseline: 1, target: 2}
"""


def test_kpi_progress_up_and_down(tmp_path: Path) -> None:
    status = status_of(tmp_path, today=date(2024, 7, 16), p=KPIS)
    sales = status.kpis[("p", "sales")]
    assert (sales.latest_period, sales.latest, sales.progress) == ("2024-07", 150, 0.5)
    assert not sales.reached
    assert sales.expected == pytest.approx(0.5)
    churn, fallen = status.kpis[("p", "churn")], status.kpis[("p", "fallen")]
    assert churn.progress == pytest.approx(8 / 12) and not churn.reached
    assert fallen.progress == pytest.approx(14 / 12) and fallen.reached
    assert status.kpis[("p", "worse")].progress == pytest.approx(-0.1)
    assert status.kpis[("p", "bare")].progress is None and status.kpis[("p", "bare")].reached
    empty = status.kpis[("p", "empty")]
    assert (empty.latest_period, empty.latest, empty.progress, empty.reached) == (
        None, None, None, False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2024, 6, 1), 0.0),
        (date(2024, 7, 1), 0.0),
        (date(2024, 7, 31), 1.0),
        (date(2024, 9, 1), 1.0),
    ],
)
def test_kpi_expected_progress_is_clamped(tmp_path: Path, today: date, expected: float) -> None:
    status = status_of(tmp_path, today=today, p=KPIS)
    assert status.kpis[("p", "sales")].expected == expected


def test_kpi_expected_is_none_without_plan_dates(tmp_path: Path) -> None:
    status = status_of(tmp_path, p="kpis: [{id: k, name: K, baseline: 1, target: 2}]")
    assert status.kpis[("p", "k")].expected is None


# --- plan health --------------------------------------------------------------------------

KPI_REASON = (
    "KPI 'Monthly online sales' behind schedule (30% of target reached, 70% of time elapsed)"
)
HEALTH_CASES = {
    "closed": ("status: done", Health("closed", ("the plan is done",))),
    "cancelled": ("status: cancelled", Health("closed", ("the plan was cancelled",))),
    "draft": ("status: draft", Health("not-started", ("the plan is a draft",))),
    "proposed": ("status: proposed", Health("not-started", ("the plan is proposed",))),
    "future": (
        "start: 2024-08-01\ntasks: [{id: a, title: A, due: 2024-08-05}]",
        Health("not-started", ("the plan starts on 2024-08-01",)),
    ),
    "milestone-overdue": (
        "start: 2024-07-01\nend: 2024-12-31\nmilestones: [{id: m, name: M, due: 2024-07-14}]",
        Health("off-track", ("1 milestone overdue",)),
    ),
    "critical-overdue": (
        "start: 2024-07-01\ntasks: [{id: a, title: A, due: 2024-07-10}]",
        Health("off-track", ("1 overdue task on the critical path", "1 task overdue")),
    ),
    "long-overdue": (
        "start: 2024-06-01\nend: 2024-12-31\n"
        "tasks: [{id: a, title: A, due: 2024-06-30}, {id: b, title: B, due: 2024-06-29}]",
        Health("off-track", ("2 tasks overdue by more than 14 days", "2 tasks overdue")),
    ),
    "budget-blown": (
        "budget: 1000\ntasks: [{id: a, title: A, cost: 1120}]",
        Health("off-track", ("over budget by 12%",)),
    ),
    "overdue": (
        "start: 2024-07-01\nend: 2024-12-31\n"
        "tasks: [{id: a, title: A, due: 2024-07-01}, {id: b, title: B, due: 2024-07-10}]",
        Health("at-risk", ("2 tasks overdue",)),
    ),
    "blocked": (
        "tasks: [{id: a, title: A, status: blocked}]",
        Health("at-risk", ("1 task blocked",)),
    ),
    "budget-slip": (
        "budget: 1000\ntasks: [{id: a, title: A, cost: 1050}]",
        Health("at-risk", ("over budget by 5%",)),
    ),
    "budget-edge": ("budget: 1000\ntasks: [{id: a, title: A, cost: 1000}]", Health("on-track", ())),
    "kpi-behind": (
        "start: 2024-07-01\nend: 2024-07-21\n"
        "kpis: [{id: k, name: Monthly online sales, baseline: 100, target: 200, "
        "actuals: {2024-07: 130}}]",
        Health("at-risk", (KPI_REASON,)),
    ),
    "kpi-close": (
        "start: 2024-07-01\nend: 2024-07-21\n"
        "kpis: [{id: k, name: K, baseline: 100, target: 200, actuals: {2024-07: 150}}]",
        Health("on-track", ()),
    ),
    "milestone-waiting": (
        "start: 2024-07-01\nend: 2024-12-31\n"
        "tasks: [{id: a, title: A, due: 2024-07-18}, {id: b, title: B, due: 2024-07-16}]\n"
        "milestones: [{id: m, name: M, due: 2024-07-20, after: [a]},"
        " {id: n, name: N, due: 2024-07-20, after: [b]}, {id: o, name: O, due: 2024-07-20}]",
        Health("at-risk", ("2 milestones due soon with dependencies not done",)),
    ),
    "milestone-ready": (
        "start: 2024-07-01\nend: 2024-12-31\n"
        "tasks: [{id: a, title: A, due: 2024-07-18, status: done}]\n"
        "milestones: [{id: m, name: M, due: 2024-07-20, after: [a]}]",
        Health("on-track", ()),
    ),
    "on-track": (
        "start: 2024-07-01\nend: 2024-12-31\n"
        "tasks: [{id: a, title: A, due: 2024-07-10, done: 2024-07-09},"
        " {id: b, title: B, due: 2024-08-01}]",
        Health("on-track", ()),
    ),
}


@pytest.mark.parametrize("case", sorted(HEALTH_CASES))
def test_plan_health(tmp_path: Path, case: str) -> None:
    front, expected = HEALTH_CASES[case]
    status = status_of(tmp_path, p=front)
    assert status.plans["p"] == expected


def test_off_track_lists_every_reason_once(tmp_path: Path) -> None:
    status = status_of(
        tmp_path,
        p="""
        start: 2024-06-01
        budget: 100
        tasks:
          - {id: a, title: A, due: 2024-06-10, cost: 150}
          - {id: b, title: B, due: 2024-07-14}
          - {id: c, title: C, status: blocked}
        milestones:
          - {id: m, name: M, due: 2024-07-01}
        """,
    )
    assert status.plans["p"] == Health(
        "off-track",
        (
            "1 milestone overdue",
            "1 overdue task on the critical path",
            "1 task overdue by more than 14 days",
            "over budget by 50%",
            "2 tasks overdue",
            "1 task blocked",
        ),
    )


def test_milestone_waiting_on_another_plan(tmp_path: Path) -> None:
    status = status_of(
        tmp_path,
        other="tasks: [{id: t, title: T, due: 2024-07-20}]",
        p="""
        start: 2024-07-01
        end: 2024-12-31
        milestones: [{id: m, name: M, due: 2024-07-25, after: [other#t]}]
        """,
    )
    assert status.plans["p"].reasons == ("1 milestone due soon with dependencies not done",)
