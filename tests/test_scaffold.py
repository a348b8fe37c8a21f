"""`planpress init` and `planpress new plan`: starter sites and templates that check clean."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from planpress.pipeline import BuildOptions, check, load_site
from planpress.scaffold import init_site, new_plan

KINDS = ("action-plan", "sales-plan", "milestone-plan", "strategy")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "planpress", *args], capture_output=True, text=True, cwd=cwd
    )


def test_init_then_check_strict_and_build(tmp_path):
    folder = tmp_path / "myplans"
    result = run("init", str(folder))
    assert result.returncode == 0, result.stderr
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "content/example-plan.md",
        "content/people.yaml",
        "planpress.yaml",
    ]
    assert (folder / "planpress.yaml").read_text().startswith("# planpress.yaml: the settings")
    checked = run("check", "--strict", str(folder))
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr == "planpress check: site is valid\n"
    assert run("build", str(folder)).returncode == 0
    page = BeautifulSoup((folder / "site/plans/example-plan.html").read_text(), "html.parser")
    assert page.h1.get_text() == "Launch the customer newsletter"


def test_the_starter_plan_shows_every_part(tmp_path):
    init_site(tmp_path, dt.date(2025, 3, 5))
    plan = load_site(tmp_path, BuildOptions(strict=True)).site.plans["example-plan"]
    assert plan.start.text == "2025-03-03"  # the Monday of today's week
    assert plan.goal and plan.goal.metric == "subscribers"
    assert [k.id for k in plan.kpis] == ["subscribers"]
    assert [m.id for m in plan.milestones] == ["first-issue-sent"]
    task = plan.objectives[0].tasks[0]
    assert (task.responsible, task.accountable, task.consulted, task.informed) == (
        ("sam",),
        "alex",
        ("jo",),
        ("core",),
    )
    prose = [t for o in plan.objectives for t in o.tasks if t.from_prose]
    assert [t.title for t in prose] == ["Add a sign-up form to the website"]


def test_init_refuses_to_overwrite_anything(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content/people.yaml").write_text("people: {}\n")
    result = run("init", str(tmp_path))
    assert result.returncode == 1
    assert f"refusing to overwrite {tmp_path}/content/people.yaml" in result.stderr
    assert (tmp_path / "content/people.yaml").read_text() == "people: {}\n"
    assert not (tmp_path / "planpress.yaml").exists()  # nothing at all was written
    assert "--force" not in run("init", "--help").stdout


def test_init_in_a_file_is_an_error(tmp_path):
    (tmp_path / "f").write_text("x")
    assert run("init", str(tmp_path / "f")).returncode == 1


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_from_new_plan_checks_clean_strict(tmp_path, kind):
    init_site(tmp_path, dt.date(2025, 3, 5))
    result = run("new", "plan", f"sales/q4-{kind}", "--kind", kind, str(tmp_path))
    assert result.returncode == 0, result.stderr
    path = tmp_path / f"content/sales/q4-{kind}.md"
    assert f"created {tmp_path}/content/sales/q4-{kind}.md ({kind})" in result.stderr
    assert path.read_text().startswith("---\n# ")
    assert check(tmp_path, BuildOptions(strict=True)) == []
    plan = load_site(tmp_path).site.plans[f"sales/q4-{kind}"]
    assert (plan.kind, plan.title, plan.owner) == (kind, f"Q4 {kind.replace('-', ' ')}", "alex")


def test_new_plan_uses_the_sites_own_people(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content/people.yaml").write_text(
        "people:\n  maria: {name: Maria Lopez}\n  tom: {name: Tom Becker}\n"
        "teams:\n  web: {name: Web Team, members: [tom]}\n"
    )
    for kind in KINDS:
        new_plan(tmp_path, f"{kind}-plan", kind, dt.date(2024, 8, 20))
    assert check(tmp_path, BuildOptions(strict=True)) == []
    plan = load_site(tmp_path).site.plans["action-plan-plan"]
    assert plan.owner == "maria" and plan.start.text == "2024-08-19"
    assert plan.objectives[0].tasks[0].informed == ("web",)


def test_new_plan_without_people_says_so(tmp_path):
    (tmp_path / "content").mkdir()
    result = run("new", "plan", "launch", str(tmp_path))
    assert result.returncode == 0
    assert "the plan names 'Plan Owner'" in result.stderr
    assert 'owner: "Plan Owner"' in (tmp_path / "content/launch.md").read_text()


def test_new_plan_refuses_an_existing_file_and_bad_names(tmp_path):
    init_site(tmp_path)
    first = run("new", "plan", "launch", str(tmp_path))
    assert first.returncode == 0
    before = (tmp_path / "content/launch.md").read_text()
    again = run("new", "plan", "launch.md", "--kind", "strategy", str(tmp_path))
    assert again.returncode == 1 and "refusing to overwrite" in again.stderr
    assert (tmp_path / "content/launch.md").read_text() == before
    for name in ("Big Plan", "../outside", "a//b", "con"):
        assert run("new", "plan", name, str(tmp_path)).returncode == 2, name
    assert run("new", "plan", "x", "--kind", "okr", str(tmp_path)).returncode == 2
    assert run("new", "plan", "x", str(tmp_path / "missing")).returncode == 2
    assert not (tmp_path.parent / "outside.md").exists()


def test_the_cli_offers_every_kind_with_a_template():
    from planpress.cli import KINDS
    from planpress.resolve.model import PLAN_KINDS
    from planpress.scaffold import TEMPLATES

    assert KINDS == PLAN_KINDS == tuple(TEMPLATES)
