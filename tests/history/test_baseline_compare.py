"""The baseline comparison is pure: two scheduled sites in, slips, added and removed out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sitekit import write_site

from planpress.history.baseline import Snapshot, compare, slip_text
from planpress.pipeline import BuildOptions, load_site

PEOPLE = "people:\n  ann: {name: Ann Lee}\n"


def snapshot(root: Path, plans: dict[str, str]):
    write_site(root, {"content/people.yaml": PEOPLE, **plans})
    project = load_site(root, BuildOptions())
    return Snapshot(project.site, project.schedule)


PLAN = """
---
title: P
id: p
start: 2024-07-01
tasks:
  - {id: a, title: A, responsible: ann, due: week 1}
  - {id: b, title: B, responsible: ann, after: [a], duration: 1w}
milestones:
  - {id: m, name: M, after: [b]}
---
"""


def test_slips_follow_the_schedule_not_only_the_written_dates(tmp_path):
    before = snapshot(tmp_path / "then", {"content/p.md": PLAN})
    later = PLAN.replace("due: week 1}", "due: week 2}")  # b and m move with a
    now = snapshot(tmp_path / "now", {"content/p.md": later})
    report = compare(now, before, "v1")
    assert {key: s.days for key, s in report.slips.items()} == {
        ("p", "a"): 7,
        ("p", "b"): 7,
        ("p", "m"): 7,
    }
    slip = report.slip("p", "m")
    assert (slip.baseline_due, slip.due, slip.text) == (
        dt.date(2024, 7, 15),
        dt.date(2024, 7, 22),
        "+7 days",
    )
    assert [s.item.id for s in report.slipped] == ["a", "b", "m"]  # ties: written order
    assert report.added == () and report.removed == () and report.added_plans == ()


def test_earlier_dates_are_slips_too_but_not_slipped(tmp_path):
    before = snapshot(tmp_path / "then", {"content/p.md": PLAN})
    now = snapshot(tmp_path / "now", {"content/p.md": PLAN.replace("duration: 1w", "duration: 3d")})
    report = compare(now, before, "v1")
    assert {key: s.days for key, s in report.slips.items()} == {("p", "b"): -4, ("p", "m"): -4}
    assert report.slipped == []


def test_added_and_removed_items_and_plans(tmp_path):
    before = snapshot(
        tmp_path / "then",
        {"content/p.md": PLAN, "content/gone.md": "---\ntitle: Gone\n---\n"},
    )
    changed = PLAN.replace("  - {id: a, title: A", "  - {id: a2, title: A2").replace(
        "after: [a]", "after: [a2]"
    )
    now = snapshot(
        tmp_path / "now",
        {"content/p.md": changed, "content/new.md": "---\ntitle: New\n---\n"},
    )
    report = compare(now, before, "main")
    assert [i.id for i in report.added] == ["a2"]
    assert [i.id for i in report.removed] == ["a"]
    assert [p.id for p in report.added_plans] == ["new"]
    assert [p.title for p in report.removed_plans] == ["Gone"]
    assert report.is_new("new") and not report.is_new("p")


def test_plans_hidden_from_the_build_are_never_reported_removed(tmp_path):
    secret = "---\ntitle: Secret takeover\naudience: [leadership]\n---\n"
    config = "audiences: [leadership]\n"
    before = snapshot(
        tmp_path / "then",
        {"planpress.yaml": config, "content/s.md": secret.replace("audience: [leadership]\n", "")},
    )
    now = snapshot(tmp_path / "now", {"planpress.yaml": config, "content/s.md": secret})
    assert compare(now, before, "v1").removed_plans == ()


def test_slip_text():
    assert [slip_text(d) for d in (7, 1, -1, -3, 0)] == [
        "+7 days",
        "+1 day",
        "-1 day",
        "-3 days",
        "no change",
    ]
