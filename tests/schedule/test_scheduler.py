"""Tests for planpress.schedule.scheduler: dates, dependencies, cycles and the critical path."""

from __future__ import annotations

import itertools
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planpress.diagnostics import Diagnostics, SourceLoc
from planpress.load import load_sources
from planpress.resolve import resolve_site
from planpress.resolve.model import ItemRef, Plan, Site, Task
from planpress.schedule.dates import parse_date, parse_duration
from planpress.schedule.scheduler import Schedule, Timing, schedule_site


def d(text: str) -> date:
    return date.fromisoformat(text)


def build(tmp_path: Path, **plans: str) -> tuple[Site, Schedule, Diagnostics]:
    """Write each plan's front matter to content/<name>.md and run load, resolve, schedule.

    The diagnostics returned are the scheduler's own.
    """
    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    for name, front in plans.items():
        text = f"---\nid: {name}\ntitle: Plan {name}\n{textwrap.dedent(front).strip()}\n---\n"
        (content / f"{name}.md").write_text(text)
    diagnostics = Diagnostics()
    site = resolve_site(load_sources(tmp_path, content, diagnostics), diagnostics)
    assert not diagnostics.errors, [x.format() for x in diagnostics.errors]
    scheduled = Diagnostics()
    return site, schedule_site(site, scheduled), scheduled


def span(schedule: Schedule, plan: str, item: str) -> tuple[date | None, date | None]:
    timing = schedule.items[(plan, item)]
    return timing.start, timing.due


def messages(diagnostics: Diagnostics) -> list[str]:
    return [item.message for item in diagnostics.items]


def line_of(site: Site, plan: str, item: str) -> str:
    """'content/p.md:12' for a task, milestone or objective."""
    found = site.plans[plan]
    items = [*found.objectives, *found.all_tasks(), *found.milestones]
    loc = next(i.loc for i in items if i.id == item)
    return f"{loc.path}:{loc.line}"


# --- dates --------------------------------------------------------------------------------


def test_explicit_dates(tmp_path: Path) -> None:
    _, schedule, diagnostics = build(
        tmp_path,
        p="""
        start: 2024-07-01
        tasks:
          - {id: a, title: A, start: 2024-07-02, due: 2024-07-05}
          - {id: b, title: B, due: 2024-07-10}
          - {id: c, title: C, due: 2024-08}
          - {id: early, title: Early, due: 2024-06-20}
          - {id: none, title: Undated}
        """,
    )
    assert span(schedule, "p", "a") == (d("2024-07-02"), d("2024-07-05"))
    assert span(schedule, "p", "b") == (d("2024-07-01"), d("2024-07-10"))  # from the plan start
    assert span(schedule, "p", "c") == (d("2024-08-01"), d("2024-08-31"))  # the whole month
    assert span(schedule, "p", "early") == (d("2024-06-20"), d("2024-06-20"))  # before the plan
    assert schedule.items[("p", "none")] == Timing(None, None, False, None, False)
    assert not diagnostics.items


def test_task_without_plan_start_starts_on_its_due_day(tmp_path: Path) -> None:
    _, schedule, _ = build(tmp_path, p="tasks: [{id: a, title: A, due: 2024-07-10}]")
    assert span(schedule, "p", "a") == (d("2024-07-10"), d("2024-07-10"))
    assert schedule.plans["p"].start == d("2024-07-10")
    assert schedule.plans["p"].end == d("2024-07-10")


def test_relative_weeks_count_from_the_plan_start(tmp_path: Path) -> None:
    _, schedule, _ = build(
        tmp_path,
        p="""
        start: 2024-07-01
        end: month 3
        tasks:
          - {id: w2, title: W2, due: week 2}
          - {id: span, title: Span, due: weeks 2-4}
          - {id: both, title: Both, start: week 2, due: end of week 3}
          - {id: day, title: Day, due: day 10}
        """,
    )
    assert span(schedule, "p", "w2") == (d("2024-07-08"), d("2024-07-14"))
    assert span(schedule, "p", "span") == (d("2024-07-08"), d("2024-07-28"))
    assert span(schedule, "p", "both") == (d("2024-07-08"), d("2024-07-21"))
    assert span(schedule, "p", "day") == (d("2024-07-01"), d("2024-07-10"))
    assert schedule.plans["p"].end == d("2024-09-30")


def test_after_and_duration_chain(tmp_path: Path) -> None:
    _, schedule, diagnostics = build(
        tmp_path,
        p="""
        start: 2024-07-01
        tasks:
          - {id: a, title: A, due: 2024-07-05}
          - {id: b, title: B, after: [a], duration: 2w}
          - {id: c, title: C, after: [b], duration: 3d}
          - {id: fixed, title: Fixed, start: 2024-07-01, duration: 1m}
          - {id: loose, title: Loose, duration: 1w}
        """,
    )
    assert span(schedule, "p", "b") == (d("2024-07-06"), d("2024-07-19"))
    assert span(schedule, "p", "c") == (d("2024-07-20"), d("2024-07-22"))
    assert span(schedule, "p", "fixed") == (d("2024-07-01"), d("2024-07-31"))
    assert span(schedule, "p", "loose") == (d("2024-07-01"), d("2024-07-07"))
    assert not diagnostics.items


def test_cross_plan_dependency(tmp_path: Path) -> None:
    _, schedule, _ = build(
        tmp_path,
        other="milestones: [{id: m1, name: M1, due: 2024-07-10}]",
        main="""
        tasks:
          - {id: x, title: X, after: [other#m1], duration: 5d}
        milestones:
          - {id: done, name: Done, after: [x]}
        """,
    )
    assert span(schedule, "main", "x") == (d("2024-07-11"), d("2024-07-15"))
    assert span(schedule, "main", "done") == (d("2024-07-16"), d("2024-07-16"))
    assert schedule.plans["main"].start == d("2024-07-11")


def test_objective_spans_its_tasks_and_dependents_wait_for_all(tmp_path: Path) -> None:
    _, schedule, _ = build(
        tmp_path,
        p="""
        start: 2024-07-01
        objectives:
          - id: o
            title: O
            tasks:
              - {id: t1, title: T1, start: 2024-07-03, due: 2024-07-05}
              - {id: t2, title: T2, due: 2024-07-12}
        tasks:
          - {id: x, title: X, after: [o], duration: 1w}
        """,
    )
    assert span(schedule, "p", "o") == (d("2024-07-01"), d("2024-07-12"))
    assert span(schedule, "p", "x") == (d("2024-07-13"), d("2024-07-19"))


def test_sales_plan_objectives_follow_one_another(tmp_path: Path) -> None:
    _, schedule, _ = build(
        tmp_path,
        deal="""
        kind: sales-plan
        start: 2024-07-01
        objectives:
          - id: o1
            title: First
            tasks:
              - {id: a, title: A, due: week 1}
              - {id: b, title: B, due: week 2}
          - id: o2
            title: Second
            tasks:
              - {id: c, title: C, duration: 1w}
              - {id: d, title: D, due: week 4}
              - {id: own, title: Own, start: 2024-07-02, due: 2024-07-03}
              - {id: dep, title: Dep, after: [a], duration: 2d}
        """,
    )
    assert span(schedule, "deal", "o1") == (d("2024-07-01"), d("2024-07-14"))
    assert span(schedule, "deal", "c") == (d("2024-07-15"), d("2024-07-21"))
    assert span(schedule, "deal", "d") == (d("2024-07-15"), d("2024-07-28"))
    assert span(schedule, "deal", "own") == (d("2024-07-02"), d("2024-07-03"))  # its own start
    assert span(schedule, "deal", "dep") == (d("2024-07-08"), d("2024-07-09"))  # its own after


def test_milestones_are_points_with_their_end_kept_apart(tmp_path: Path) -> None:
    _, schedule, _ = build(
        tmp_path,
        p="""
        tasks: [{id: t, title: T, start: 2024-07-01, due: 2024-07-05}]
        milestones:
          - {id: live, name: Live, due: 2024-07-21, end: 2024-07-28}
          - {id: month, name: Month, due: 2024-08}
        """,
    )
    assert span(schedule, "p", "live") == (d("2024-07-21"), d("2024-07-21"))
    assert span(schedule, "p", "month") == (d("2024-08-31"), d("2024-08-31"))
    assert schedule.ends == {("p", "live"): d("2024-07-28")}
    assert schedule.plans["p"].end == d("2024-08-31")


def test_ongoing_tasks_run_from_their_start_or_the_plan_start(tmp_path: Path) -> None:
    _, schedule, _ = build(
        tmp_path,
        p="""
        start: 2024-07-01
        tasks:
          - {id: support, title: Support, due: ongoing}
          - {id: later, title: Later, start: 2024-08-01, due: ongoing}
        """,
        q="""
        tasks:
          - {id: first, title: First, start: 2024-03-01, due: 2024-03-05}
          - {id: always, title: Always, due: ongoing}
        """,
    )
    assert schedule.items[("p", "support")] == Timing(d("2024-07-01"), None, True, None, False)
    assert schedule.items[("p", "later")].start == d("2024-08-01")
    assert schedule.items[("q", "always")].start == d("2024-03-01")  # the plan's first day


def test_relative_dates_without_plan_start_add_no_error(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "p.md").write_text(
        "---\nid: p\ntitle: P\ntasks: [{id: a, title: A, due: week 2}, "
        "{id: b, title: B, after: [a], duration: 2d}]\n---\n"
    )
    diagnostics = Diagnostics()
    site = resolve_site(load_sources(tmp_path, content, diagnostics), diagnostics)
    before = len(diagnostics.items)
    schedule = schedule_site(site, diagnostics)
    assert len(diagnostics.items) == before
    assert span(schedule, "p", "a") == (None, None)
    assert span(schedule, "p", "b") == (None, None)


# --- warnings and cycles ------------------------------------------------------------------


def test_due_before_dependency_finishes_is_a_warning(tmp_path: Path) -> None:
    site, schedule, diagnostics = build(
        tmp_path,
        p="""
        tasks:
          - {id: y, title: Y, start: 2024-07-01, due: 2024-07-10}
          - {id: x, title: X, after: [y], due: 2024-07-05}
        milestones:
          - {id: m, name: M, after: [y], due: 2024-07-09}
          - {id: ok, name: OK, after: [y], due: 2024-07-10}
        """,
    )
    assert sorted(messages(diagnostics)) == [
        "milestone 'm' is due 2024-07-09, before its dependency 'y' finishes on 2024-07-10",
        "task 'x' is due 2024-07-05, before its dependency 'y' finishes on 2024-07-10",
    ]
    (warning,) = [w for w in diagnostics.warnings if w.message.startswith("task")]
    assert f"{warning.loc.path}:{warning.loc.line}" == line_of(site, "p", "x")
    assert warning.hint == "move the due date or the dependency"
    assert span(schedule, "p", "x") == (d("2024-07-05"), d("2024-07-05"))


def test_start_after_due_is_a_warning(tmp_path: Path) -> None:
    _, schedule, diagnostics = build(
        tmp_path, p="tasks: [{id: x, title: X, start: 2024-07-10, due: 2024-07-05}]"
    )
    assert messages(diagnostics) == ["task 'x' starts 2024-07-10, after its due date 2024-07-05"]
    assert span(schedule, "p", "x") == (d("2024-07-05"), d("2024-07-05"))


def test_cycle_within_a_plan(tmp_path: Path) -> None:
    site, schedule, diagnostics = build(
        tmp_path,
        p="""
        start: 2024-07-01
        tasks:
          - {id: a, title: A, after: [c], due: 2024-07-05}
          - {id: b, title: B, after: [a], duration: 3d}
          - {id: c, title: C, after: [b], start: 2024-07-02, due: 2024-07-04}
          - {id: d, title: D, after: [c], duration: 2d}
        """,
    )
    (error,) = diagnostics.errors
    assert error.message == "dependency cycle: a -> c -> b -> a"
    assert f"{error.loc.path}:{error.loc.line}" == line_of(site, "p", "a")
    for item in ("a", "b", "c"):
        assert line_of(site, "p", item) in error.hint
    # Cycle members keep their own dates; what follows the cycle is still scheduled.
    assert span(schedule, "p", "a") == (d("2024-07-01"), d("2024-07-05"))
    assert span(schedule, "p", "b") == (d("2024-07-01"), d("2024-07-03"))
    assert span(schedule, "p", "d") == (d("2024-07-05"), d("2024-07-06"))


def test_cycle_across_two_plans(tmp_path: Path) -> None:
    site, _, diagnostics = build(
        tmp_path,
        alpha="tasks: [{id: x, title: X, after: [beta#y], due: 2024-07-05}]",
        beta="tasks: [{id: y, title: Y, after: [alpha#x], due: 2024-07-06}]",
    )
    (error,) = diagnostics.errors
    assert error.message == "dependency cycle: x -> beta#y -> x"
    assert error.loc.path == "content/alpha.md"
    assert line_of(site, "alpha", "x") in error.hint
    assert line_of(site, "beta", "y") in error.hint


def test_task_after_its_own_objective_is_a_cycle(tmp_path: Path) -> None:
    _, schedule, diagnostics = build(
        tmp_path,
        p="""
        objectives:
          - id: o
            title: O
            tasks:
              - {id: t, title: T, after: [o], due: 2024-07-05}
        tasks:
          - {id: self, title: Self, after: [self], due: 2024-07-06}
        """,
    )
    assert sorted(messages(diagnostics)) == [
        "dependency cycle: o -> t -> o",
        "dependency cycle: self -> self",
    ]
    assert span(schedule, "p", "o") == (d("2024-07-05"), d("2024-07-05"))


def test_unknown_dependencies_are_left_to_resolve(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "p.md").write_text(
        "---\nid: p\ntitle: P\ntasks: [{id: a, title: A, after: [nope], duration: 2d}]\n---\n"
    )
    diagnostics = Diagnostics()
    site = resolve_site(load_sources(tmp_path, content, diagnostics), diagnostics)
    before = len(diagnostics.items)
    schedule = schedule_site(site, diagnostics)
    assert len(diagnostics.items) == before
    assert span(schedule, "p", "a") == (None, None)


# --- critical path ------------------------------------------------------------------------

DIAMOND = """
start: 2024-07-01
{end}
objectives:
  - id: build
    title: Build
    tasks:
      - {{id: a, title: A, start: 2024-07-01, due: 2024-07-05}}
      - {{id: b, title: B, after: [a], duration: 10d}}
      - {{id: c, title: C, after: [a], duration: 3d}}
tasks:
  - {{id: d, title: D, after: [b, c], duration: 5d}}
  - {{id: e, title: E, start: 2024-07-18, due: 2024-07-20}}
  - {{id: f, title: F, start: 2024-07-01, due: 2024-07-02}}
  - {{id: gone, title: Gone, due: 2024-07-20, status: cancelled}}
  - {{id: always, title: Always, due: ongoing}}
"""


def test_critical_path_on_a_diamond(tmp_path: Path) -> None:
    _, schedule, _ = build(tmp_path, p=DIAMOND.format(end=""))
    slack = {k[1]: t.slack for k, t in schedule.items.items()}
    assert slack == {
        "a": 0, "b": 0, "c": 7, "d": 0, "e": 0, "f": 18, "gone": None, "always": None,
        "build": 0,
    }  # fmt: skip
    critical = sorted(k[1] for k, t in schedule.items.items() if t.critical)
    assert critical == ["a", "b", "build", "d", "e"]
    assert schedule.plans["p"].end == d("2024-07-20")
    # d and e both finish last; the tie goes to the smaller id.
    assert schedule.plans["p"].critical_path == ("a", "b", "d")


def test_explicit_plan_end_gives_slack(tmp_path: Path) -> None:
    _, schedule, _ = build(tmp_path, p=DIAMOND.format(end="end: 2024-07-31"))
    assert schedule.items[("p", "a")].slack == 11
    assert schedule.items[("p", "c")].slack == 18
    assert schedule.plans["p"].critical_path == ()


def test_explicit_plan_end_before_the_work_makes_negative_slack(tmp_path: Path) -> None:
    _, schedule, _ = build(tmp_path, p=DIAMOND.format(end="end: 2024-07-18"))
    assert schedule.items[("p", "d")].slack == -2
    assert schedule.items[("p", "c")].slack == 5
    assert schedule.plans["p"].critical_path == ("a", "b", "d")


def test_other_plans_do_not_constrain_slack(tmp_path: Path) -> None:
    _, schedule, _ = build(
        tmp_path,
        p="tasks: [{id: a, title: A, start: 2024-07-01, due: 2024-07-05}]",
        q="tasks: [{id: b, title: B, after: [p#a], duration: 30d}]",
    )
    assert schedule.items[("p", "a")].critical
    assert schedule.plans["q"].critical_path == ("b",)


# --- scale --------------------------------------------------------------------------------


def make_task(task_id: str, after: tuple[str, ...] = (), **dates: str) -> Task:
    loc = SourceLoc("content/big.md", 1)
    return Task(
        id=task_id, title=task_id, objective_id=None, responsible=(), accountable=None,
        consulted=(), informed=(),
        start=parse_date(dates["start"]) if "start" in dates else None,
        due=parse_date(dates["due"]) if "due" in dates else None,
        duration=parse_duration(dates["duration"]) if "duration" in dates else None,
        after=tuple(ItemRef("big", dep, loc) for dep in after), status="todo", budget=None,
        cost=None, done=None, notes="", from_prose=False, loc=loc,
    )  # fmt: skip


def make_site(tasks: list[Task]) -> Site:
    plan = Plan(
        id="big", title="Big", kind="action-plan", owner=None, status="active",
        start=parse_date("2024-01-01"), end=None, goal=None, supports=(), department="",
        tags=(), budget=None, audience=(), objectives=(), tasks=tuple(tasks), milestones=(),
        kpis=(), risks=(), communication=(), resources=(), reviews=(), sales=None, summary="",
        body="", body_line=1, section="", source="content/big.md",
        loc=SourceLoc("content/big.md", 1),
    )  # fmt: skip
    return Site(plans={"big": plan}, parties={}, references={})


def test_a_long_chain_schedules_quickly_without_recursion() -> None:
    count = 20_000
    tasks = [make_task("t0", due="2024-01-01")]
    tasks += [make_task(f"t{i}", (f"t{i - 1}",), duration="1d") for i in range(1, count)]
    site = make_site(tasks)
    began = time.perf_counter()
    schedule = schedule_site(site, Diagnostics())
    elapsed = time.perf_counter() - began
    last = schedule.items[("big", f"t{count - 1}")]
    assert last.due == date(2024, 1, 1) + (count - 1) * (d("2024-01-02") - d("2024-01-01"))
    assert last.critical
    assert len(schedule.plans["big"].critical_path) == count
    assert elapsed < 5  # generous: catches quadratic behaviour, not a slow machine


@pytest.mark.parametrize("size", [3, 50])
def test_a_long_cycle_is_one_error(size: int) -> None:
    tasks = [make_task(f"t{i}", (f"t{(i - 1) % size}",), due="2024-02-01") for i in range(size)]
    diagnostics = Diagnostics()
    schedule_site(make_site(tasks), diagnostics)
    (error,) = diagnostics.errors
    assert error.message.count(" -> ") == size


@st.composite
def dags(draw: st.DrawFn) -> list[Task]:
    """Tasks t00, t01, ... each after some earlier ones, or starting on a given day."""
    tasks = []
    for i in range(draw(st.integers(1, 25))):
        deps = draw(st.lists(st.integers(0, i - 1), max_size=3, unique=True)) if i else []
        duration = f"{draw(st.integers(1, 10))}d"
        if deps:
            tasks.append(make_task(f"t{i:02}", tuple(f"t{j:02}" for j in deps), duration=duration))
        else:
            start = f"2024-01-{draw(st.integers(1, 20)):02}"
            tasks.append(make_task(f"t{i:02}", start=start, duration=duration))
    return tasks


@settings(max_examples=60, deadline=None)
@given(dags())
def test_dependency_chains_respect_finishes_and_slack(tasks: list[Task]) -> None:
    diagnostics = Diagnostics()
    schedule = schedule_site(make_site(tasks), diagnostics)
    assert not diagnostics.items
    timing = {key[1]: t for key, t in schedule.items.items()}
    for task in tasks:
        if task.after:
            latest = max(timing[ref.item_id].due or date.min for ref in task.after)
            assert timing[task.id].start == latest + (d("2024-01-02") - d("2024-01-01"))
    slacks = [t.slack for t in timing.values()]
    assert 0 in slacks and all(slack is not None and slack >= 0 for slack in slacks)
    path = schedule.plans["big"].critical_path
    assert timing[path[-1]].due == schedule.plans["big"].end
    by_id = {task.id: task for task in tasks}
    for before, after in itertools.pairwise(path):
        assert before in {ref.item_id for ref in by_id[after].after}
    assert all(timing[item].critical for item in path)


@st.composite
def graphs(draw: st.DrawFn) -> tuple[int, list[tuple[int, int]]]:
    size = draw(st.integers(1, 10))
    node = st.integers(0, size - 1)
    return size, draw(st.lists(st.tuples(node, node), max_size=25))


@settings(max_examples=80, deadline=None)
@given(graphs())
def test_one_error_per_cycle_naming_a_real_cycle(graph: tuple[int, list[tuple[int, int]]]) -> None:
    size, edges = graph
    after = {i: sorted({b for a, b in edges if a == i}) for i in range(size)}
    tasks = [
        make_task(f"t{i}", tuple(f"t{j}" for j in after[i]), due="2024-02-01") for i in range(size)
    ]
    diagnostics = Diagnostics()
    schedule_site(make_site(tasks), diagnostics)
    reach = {(a, b) for a in range(size) for b in after[a]}
    for k in range(size):  # transitive closure, Floyd-Warshall style
        reach |= {
            (a, b) for a in range(size) for b in range(size) if (a, k) in reach and (k, b) in reach
        }
    cycles = {
        frozenset(b for b in range(size) if (a, b) in reach and (b, a) in reach)
        for a in range(size)
        if (a, a) in reach
    }
    assert len(diagnostics.errors) == len(cycles)
    for error in diagnostics.errors:
        walk = [
            int(label[1:])
            for label in error.message.removeprefix("dependency cycle: ").split(" -> ")
        ]
        assert walk[0] == walk[-1]
        assert all(b in after[a] for a, b in itertools.pairwise(walk))


def test_a_milestone_reached_the_day_its_dependency_finishes_takes_no_slack(tmp_path: Path) -> None:
    _site, schedule, diagnostics = build(
        tmp_path,
        p="""
        start: 2024-07-01
        tasks:
          - {id: sign, title: Sign, due: 2024-07-31}
        milestones:
          - {id: signed, name: Signed, due: 2024-07-31, after: [sign]}
        """,
    )
    assert schedule.items[("p", "sign")].slack == 0
    assert schedule.items[("p", "signed")].slack == 0
    assert schedule.plans["p"].critical_path == ("sign", "signed")
    assert not diagnostics.items
