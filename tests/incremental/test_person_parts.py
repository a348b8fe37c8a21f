"""A person's page draws again only what a changed plan shows on it, and stays correct."""

from __future__ import annotations

from pathlib import Path

import pytest
from inc_kit import assert_same_tree, full_build
from sitekit import write_site

from planpress.incremental import draw as incremental_draw
from planpress.pipeline import BuildCache, build
from planpress.render.pages import party_work

PEOPLE = """\
people:
  ann: {name: Ann Lee, team: core}
  bob: {name: Bob Stone, team: core}
  cy: {name: Cy Park}
teams:
  core: {name: Core Team}
"""
PLANS = ("growth", "hours", "launch", "promo")  # in plan id order, as pages list them


def plan(name: str, start: str, doer: str) -> str:
    """A plan owned by ann: a task for `doer`, one overdue task and a milestone for bob."""
    return "\n".join(
        [
            "---",
            f"title: Plan {name}",
            "owner: ann",
            f"start: {start}",
            "tasks:",
            f"  - {{id: draft, title: Draft {name}, responsible: {doer}, due: week 2}}",
            f"  - {{id: late, title: Chase {name}, responsible: bob, consulted: cy, due: week 1}}",
            "milestones:",
            f"  - {{id: done, name: {name} done, owner: bob, due: week 3}}",
            "---",
            "",
            f"About {name}.",
            "",
        ]
    )


@pytest.fixture
def people_site(tmp_path: Path) -> Path:
    starts = ("2024-06-03", "2024-07-01", "2024-06-10", "2024-06-17")
    doers = ("bob", "bob", "cy", "core")
    shapes = zip(PLANS, starts, doers, strict=True)
    files = {f"content/{name}.md": plan(name, start, doer) for name, start, doer in shapes}
    files |= {"planpress.yaml": "title: People\ntoday: 2024-06-20\n"}
    files |= {"content/people.yaml": PEOPLE}
    return write_site(tmp_path / "site", files)


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """Every part a person page makes: (page folder, part, party, its plans); each plan's
    table rows on their own (runs of one plan)."""
    found: list[tuple[str, str, str, tuple[str, ...]]] = []
    original = party_work.kept_part
    monkeypatch.setattr(party_work, "RUN", 1)

    def counted(ctx, bucket, depends, extra, make):
        def make_counted():
            name, _, folder = bucket.split(" ")[1:]
            found.append((folder, name, depends.ids[0], depends.ids[1:]))
            return make()

        return original(ctx, bucket, depends, extra, make_counted)

    monkeypatch.setattr(party_work, "kept_part", counted)
    return found


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _same_as_full_build(site: Path, out: Path, tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    full_build(site, reference)
    assert_same_tree(out, reference)


def test_a_title_change_makes_again_only_that_plans_parts(people_site, tmp_path, made):
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(people_site, out, cache=cache, jobs=1)
    first = set(made)
    assert ("people/", "rows", "cy", ("launch",)) in first
    assert ("people/", "lane", "bob", ("hours",)) in first  # bob's open work in each plan
    assert ("people/", "work", "core", ("promo",)) in first
    assert ("people/", "workload", "bob", PLANS) in first  # the workload table
    made.clear()
    _edit(people_site / "content/promo.md", "title: Plan promo", "title: Winter promo")
    build(people_site, out, cache=cache, jobs=1)
    # every party with work in the promotion makes its rows, lane and workload rows again,
    # for that plan only, and the others are kept (ann owns the plan: it is not in her chart)
    parts = {"ann": ("rows",)} | dict.fromkeys(("bob", "cy", "core"), ("rows", "work", "lane"))
    want = [("people/", part, key, ("promo",)) for key in parts for part in parts[key]]
    workload = {"bob": PLANS, "cy": PLANS, "core": ("promo",)}
    want += [("people/", "workload", key, plans) for key, plans in workload.items()]
    assert sorted(made) == sorted(want)
    bob = (out / "people/bob.html").read_text()
    assert "Winter promo" in bob and "Plan growth" in bob and "Plan promo" not in bob
    _same_as_full_build(people_site, out, tmp_path)


def test_a_new_task_makes_again_that_plans_parts_of_who_has_work_in_it(people_site, tmp_path, made):
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(people_site, out, cache=cache, jobs=1)
    made.clear()
    task = "  - {id: more, title: More of it, responsible: cy, due: week 2}\n"
    _edit(people_site / "content/growth.md", "milestones:\n", task + "milestones:\n")
    build(people_site, out, cache=cache, jobs=1)
    assert {(key, plans) for _, part, key, plans in made if part != "workload"} == {
        ("ann", ("growth",)),
        ("bob", ("growth",)),
        ("cy", ("growth",)),
    }
    assert "More of it" in (out / "people/cy.html").read_text()
    _same_as_full_build(people_site, out, tmp_path)


def test_a_wider_chart_draws_every_lane_again(people_site, tmp_path, made):
    """A lane's drawing depends on the chart's time scale, which every lane's dates set."""
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(people_site, out, cache=cache, jobs=1)
    made.clear()
    _edit(people_site / "content/hours.md", "due: week 3", "due: 2025-03-01")
    build(people_site, out, cache=cache, jobs=1)
    lanes = sorted(plans for _, part, key, plans in made if part == "lane" and key == "bob")
    assert lanes == sorted((plan_id,) for plan_id in PLANS)
    _same_as_full_build(people_site, out, tmp_path)


def test_each_party_keeps_its_own_parts_of_a_plan(people_site, tmp_path):
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(people_site, out, cache=cache, jobs=1)
    _edit(people_site / "content/growth.md", "About growth.", "About growth, edited.")
    build(people_site, out, cache=cache, jobs=1)  # the page of nobody changes
    _edit(people_site / "content/launch.md", "title: Plan launch", "title: Launch it")
    build(people_site, out, cache=cache, jobs=1)
    cy = (out / "people/cy.html").read_text()
    assert "Draft growth" not in cy and "Draft launch" in cy  # bob's and cy's, apart
    _same_as_full_build(people_site, out, tmp_path)


def test_runs_that_changed_are_not_kept_beside_the_new_ones(people_site, tmp_path, monkeypatch):
    monkeypatch.setattr(party_work, "RUN", 2)
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(people_site, out, cache=cache, jobs=1)

    def kept_runs(key: str) -> list[str]:
        runs = cache.parts[f"person.html rows {key} people/"]
        return sorted(plan_id for d in runs for plan_id in d.ids[1:])

    assert kept_runs("core") == ["promo"]
    task = "  - {id: more, title: More of it, responsible: core, due: week 2}\n"
    for name in ("growth", "launch"):  # core gains work in plans before and after its own
        _edit(people_site / f"content/{name}.md", "milestones:\n", task + "milestones:\n")
        build(people_site, out, cache=cache, jobs=1)
    assert kept_runs("core") == ["growth", "launch", "promo"]  # each plan in one run only
    (people_site / "content/promo.md").unlink()
    build(people_site, out, cache=cache, jobs=1)
    assert kept_runs("core") == ["growth", "launch"]
    _same_as_full_build(people_site, out, tmp_path)


def test_parts_made_in_worker_processes_are_kept(people_site, tmp_path, monkeypatch):
    """Pages drawn by forked workers hand back what they made: the next build finds it."""
    monkeypatch.setattr(incremental_draw, "PARALLEL_PAGES", 1)
    monkeypatch.setattr(incremental_draw.pool, "can_fork", lambda: True)
    alone, together = BuildCache(persist=False), BuildCache(persist=False)
    build(people_site, tmp_path / "alone", cache=alone, jobs=1)
    build(people_site, tmp_path / "out", cache=together, jobs=3)
    rows = [bucket for bucket in alone.parts if bucket.startswith("person.html rows")]
    assert len(rows) == 4  # ann's, bob's, cy's, the core team's
    for bucket in rows:
        assert together.parts[bucket] == alone.parts[bucket]  # every run of their rows
    assert sorted(together.pieces) == sorted(alone.pieces)  # plans.json's, the CSV's
    _edit(people_site / "content/promo.md", "title: Plan promo", "title: Winter promo")
    build(people_site, tmp_path / "out", cache=together, jobs=3)
    assert "Winter promo" in (tmp_path / "out/people/cy.html").read_text()
    _same_as_full_build(people_site, tmp_path / "out", tmp_path)


def test_who_supports_a_plan_is_not_on_the_pages_of_its_people(people_site, tmp_path):
    side = "---\ntitle: Side plan\nowner: cy\nsupports: [growth]\nstart: 2024-06-03\n---\n"
    (people_site / "content/side.md").write_text(side)
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(people_site, out, cache=cache, jobs=1)
    assert "Side plan" in (out / "plans/growth.html").read_text()  # growth's supporters
    (people_site / "content/side.md").unlink()
    drawn = build(people_site, out, cache=cache, jobs=1).rendered_pages
    assert "plans/growth.html" in drawn and "people/cy.html" in drawn
    assert "people/bob.html" not in drawn  # bob works in growth, not in the side plan
    _same_as_full_build(people_site, out, tmp_path)
