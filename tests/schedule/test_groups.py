"""Scheduling group by group gives what scheduling the whole site gives, and redoes only
the groups whose plans changed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from incremental.inc_kit import RandomSite
from sitekit import write_site

from planpress.diagnostics import Diagnostics
from planpress.incremental.digests import model_digests
from planpress.pipeline import load_site
from planpress.resolve.model import Plan, Site
from planpress.schedule import groups as groups_module
from planpress.schedule.groups import GroupMemo, Groups
from planpress.schedule.scheduler import schedule_site
from planpress.schedule.status import compute_status

TODAY = date(2024, 7, 15)


def _key(plan: Plan) -> tuple[str, str]:
    digests = model_digests(plan)
    return digests[2], digests[1]


def _whole(site: Site) -> tuple:
    diagnostics = Diagnostics()
    schedule = schedule_site(site, diagnostics)
    status = compute_status(site, schedule, TODAY, 14)
    return schedule, status, diagnostics.sorted()


def _grouped(site: Site, memo: GroupMemo) -> tuple:
    diagnostics = Diagnostics()
    groups = Groups(site, _key, memo)
    schedule = groups.schedule(diagnostics)
    status = groups.status(schedule, TODAY, 14)
    return schedule, status, diagnostics.sorted()


def _same(got: tuple, want: tuple) -> None:
    """Equal, and in the same key order: pages and plans.json iterate these dicts."""
    (got_schedule, got_status, got_diags), (schedule, status, diags) = got, want
    for name in ("items", "plans", "ends"):
        assert list(getattr(got_schedule, name).items()) == list(getattr(schedule, name).items()), (
            name
        )
    for name in ("items", "budgets", "kpis", "plans"):
        assert list(getattr(got_status, name).items()) == list(getattr(status, name).items()), name
    assert got_status.today == status.today
    assert got_diags == diags


def _site(root: Path) -> Site:
    return load_site(root).site


@pytest.mark.parametrize("seed", [3, 4, 5])
def test_groups_equal_the_whole_site_after_random_edits(tmp_path, seed):
    random_site = RandomSite(tmp_path / "site", seed, plans=12)
    memo = GroupMemo()
    for _ in range(25):
        random_site.step()
        try:
            site = _site(random_site.root)
        except Exception:  # a step may break the site (a cycle is an error): next step
            continue
        _same(_grouped(site, memo), _whole(site))
        _same(_grouped(site, GroupMemo()), _whole(site))


CYCLE = """\
---
title: {title}
start: 2024-06-03
tasks:
  - {{id: a, title: A, due: 2024-06-20, after: [{after}]}}
  - {{id: b, title: B, due: 2024-06-10}}
---
"""


def test_a_cycle_across_plans_is_reported_as_the_whole_site_reports_it(tmp_path):
    root = write_site(
        tmp_path / "site",
        {
            "planpress.yaml": "title: Cycles\ntoday: 2024-07-15\n",
            "content/one.md": CYCLE.format(title="One", after="two#a"),
            "content/two.md": CYCLE.format(title="Two", after="one#a"),
            "content/three.md": CYCLE.format(title="Three", after="b"),
        },
    )
    from planpress.load import load_sources
    from planpress.resolve import resolve_site

    diagnostics = Diagnostics()
    site = resolve_site(load_sources(root, root / "content", diagnostics), diagnostics)
    got, want = _grouped(site, GroupMemo()), _whole(site)
    _same(got, want)
    assert any("dependency cycle" in d.message for d in want[2])


def test_only_the_group_of_a_changed_plan_is_scheduled_again(tmp_path, monkeypatch):
    random_site = RandomSite(tmp_path / "site", 6, plans=12)
    site = _site(random_site.root)
    memo = GroupMemo()
    _grouped(site, memo)
    scheduled: list[tuple[str, ...]] = []
    original = groups_module.schedule_site

    def counted(part: Site, diagnostics: Diagnostics):
        scheduled.append(tuple(part.plans))
        return original(part, diagnostics)

    monkeypatch.setattr(groups_module, "schedule_site", counted)
    _grouped(site, memo)
    assert scheduled == [], "nothing changed"
    plan = next(iter(site.plans.values()))
    path = random_site.root / plan.source
    path.write_text(path.read_text().replace(f"title: {plan.title}", "title: Renamed"))
    site = _site(random_site.root)
    _same(_grouped(site, memo), _whole(site))
    group = next(g for g in Groups(site, _key, GroupMemo()).groups if plan.id in g)
    assert scheduled == [group]
