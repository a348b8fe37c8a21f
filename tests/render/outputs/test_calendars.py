"""calendar.ics, calendars/plans/*.ics and calendars/people/*.ics, parsed with icalendar."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import BASE_URL
from icalendar import Calendar
from sitekit import REPO

from planpress.pipeline import BuildOptions, build
from planpress.render.outputs.calendars import uid

TODAY = date(2024, 8, 20)  # the example site's and the hostile site's


def parse(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def events(path: Path) -> dict[str, object]:
    return {str(event["UID"]): event for event in parse(path).walk("VEVENT")}


def dated_items(plan: dict) -> dict[str, dict]:
    """UID -> item, for the tasks and milestones of a plans.json plan that have a day."""
    tasks = [t for o in plan["objectives"] for t in o["tasks"]] + plan["tasks"]
    found = {}
    for kind, items in (("task", tasks), ("milestone", plan["milestones"])):
        for item in items:
            if item["scheduled_due"] and not item.get("ongoing"):
                found[uid(plan["id"], item["id"], kind)] = item
    return found


def model(site: Path) -> dict:
    return json.loads((site / "plans.json").read_text(encoding="utf-8"))


def test_every_calendar_file_is_well_formed(example_output, hostile_output):
    for site in (example_output, hostile_output):
        files = sorted(site.glob("calendar*.ics")) + sorted((site / "calendars").rglob("*.ics"))
        assert files
        for path in files:
            data = path.read_bytes()
            assert data.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//planpress//")
            assert data.endswith(b"END:VCALENDAR\r\n")
            assert b"\n" not in data.replace(b"\r\n", b""), f"{path}: a line end without CR"
            for line in data.split(b"\r\n"):
                assert len(line) <= 75, f"{path}: {line!r} is longer than 75 octets"
                line.decode("utf-8")
            calendar = parse(path)
            assert calendar["VERSION"] == "2.0"
            uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
            assert len(uids) == len(set(uids)), f"{path}: a UID twice"


def test_every_dated_task_and_milestone_is_an_all_day_event(example_output):
    data = model(example_output)
    expected = {}
    for plan in data["plans"]:
        in_plan = dated_items(plan)
        found = events(example_output / "calendars" / "plans" / f"{plan['id']}.ics")
        assert set(found) == set(in_plan), plan["id"]
        expected |= in_plan
    site = events(example_output / "calendar.ics")
    assert set(site) == set(expected)
    stamp = datetime(2024, 8, 20, tzinfo=UTC)
    for key, event in site.items():
        item = expected[key]
        day = date.fromisoformat(item["scheduled_due"])
        assert event["DTSTART"].dt == day and type(event["DTSTART"].dt) is date
        assert event["DTEND"].dt == day + timedelta(days=1)
        assert event["DTSTAMP"].dt == stamp
        title = item.get("title") or item.get("name")
        summary = str(event["SUMMARY"])
        if key.endswith(".milestone@planpress"):
            assert summary.startswith(f"Milestone: {title} (")
        else:
            assert summary == f"Due: {title}"
        description = str(event["DESCRIPTION"])
        assert f"Status: {item['state']['label']}" in description
        assert "Plan: " in description
        assert "Page: plans/" in description or "Page: milestones/" in description
        assert "URL" not in event, "no base_url: no URL"
        assert (str(event.get("STATUS", "")) == "CANCELLED") == (item.get("status") == "cancelled")


def test_undated_and_ongoing_items_are_left_out(hostile_output):
    found = events(hostile_output / "calendars" / "plans" / "a.b.ics")
    assert uid("a.b", "forever", "task") not in found
    assert uid("a.b", "undated", "task") not in found
    assert uid("a.b", "long", "task") in found
    assert str(found[uid("a.b", "dropped", "task")]["STATUS"]) == "CANCELLED"


def test_a_persons_calendar_holds_their_r_and_a_tasks_and_owned_milestones(example_output):
    data = model(example_output)
    items = {}
    for plan in data["plans"]:
        tasks = [t for o in plan["objectives"] for t in o["tasks"]] + plan["tasks"]
        dated = dated_items(plan)
        for task in tasks:
            items[uid(plan["id"], task["id"], "task")] = (
                {*task["responsible"], task["accountable"]},
                uid(plan["id"], task["id"], "task") in dated,
            )
        for milestone in plan["milestones"]:
            key = uid(plan["id"], milestone["id"], "milestone")
            items[key] = ({milestone["owner"]}, key in dated)
    for key in data["people"]:
        expected = {u for u, (keys, dated) in items.items() if dated and key in keys}
        found = events(example_output / "calendars" / "people" / f"{key}.ics")
        assert set(found) == expected, key
    assert any(events(p) for p in (example_output / "calendars" / "people").glob("*.ics"))


def test_uids_are_stable_across_builds_and_days(tmp_path):
    first = build(REPO, tmp_path / "first").output
    later = build(REPO, tmp_path / "later", BuildOptions(today=date(2024, 9, 30))).output
    assert set(events(first / "calendar.ics")) == set(events(later / "calendar.ics"))
    assert (first / "calendar.ics").read_bytes() != (later / "calendar.ics").read_bytes()
    again = build(REPO, tmp_path / "again").output
    assert (first / "calendar.ics").read_bytes() == (again / "calendar.ics").read_bytes()


def test_uids_of_ids_with_dots_and_slashes_never_collide():
    assert uid("a.b", "c", "task") != uid("a", "b.c", "task")
    assert uid("x/y", "z", "task") != uid("x", "y/z", "task")
    assert uid("team/plan.v2", "m.1", "milestone") == "team%2Fplan%2Ev2.m%2E1.milestone@planpress"


def test_hostile_text_round_trips(hostile_output):
    found = events(hostile_output / "calendars" / "plans" / "a.b.ics")
    task = found[uid("a.b", "c", "task")]
    assert str(task["SUMMARY"]) == (
        'Due: =HYPERLINK("http://evil.example", "click"); part one, part two'
    )
    description = str(task["DESCRIPTION"]).split("\n")
    assert description[0] == "Status: done 1 day late"
    assert "Responsible: =Eve, the; \\tester 🚀" in description
    assert "Plan: Dots, commas; and \\ backslashes 🚀 — café" in description
    milestone = found[uid("a.b", "m.1", "milestone")]
    assert str(milestone["SUMMARY"]).startswith("Milestone: Line one\nline two, with a \ttab (")
    long_task = found[uid("a.b", "long", "task")]
    assert "🚀🚀🚀" in str(long_task["SUMMARY"]) and "日本語のテキスト" in str(long_task["SUMMARY"])
    calendar = parse(hostile_output / "calendar.ics")
    # icalendar leaves calendar names as written (escaped): it does not know they are TEXT
    assert str(calendar["X-WR-CALNAME"]) == "Hostile\\; site\\, with \\\\ specials"
    assert str(calendar["NAME"]) == str(calendar["X-WR-CALNAME"])


def test_base_url_gives_each_event_its_url(hostile_output):
    found = events(hostile_output / "calendars" / "plans" / "a.b.ics")
    task = found[uid("a.b", "c", "task")]
    assert str(task["URL"]) == f"{BASE_URL}/plans/a.b.html#item-c"
    assert f"Page: {BASE_URL}/plans/a.b.html#item-c" in str(task["DESCRIPTION"])
    milestone = found[uid("a.b", "m.1", "milestone")]
    assert str(milestone["URL"]) == f"{BASE_URL}/milestones/a.b/m.1.html"


def test_pretty_urls_link_to_folders(hostile_root, tmp_path):
    site = tmp_path / "src"
    shutil.copytree(hostile_root, site)
    config = site / "planpress.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "pretty_urls: true\n", "utf-8")
    out = build(site, tmp_path / "out").output
    found = events(out / "calendars" / "plans" / "a.b.ics")
    assert str(found[uid("a.b", "c", "task")]["URL"]) == f"{BASE_URL}/plans/a.b/#item-c"


def test_teams_and_people_get_a_calendar_even_without_events(hostile_output):
    people = hostile_output / "calendars" / "people"
    assert sorted(p.stem for p in people.glob("*.ics")) == ["crew", "eve", "mallory"]
    crew = events(people / "crew.ics")
    assert set(crew) == {uid("a.b", "long", "task")}


@pytest.mark.parametrize("kind", ["plans", "people"])
def test_every_plan_and_party_has_its_calendar(example_output, kind):
    data = model(example_output)
    keys = [p["id"] for p in data["plans"]] if kind == "plans" else list(data["people"])
    for key in keys:
        assert (example_output / "calendars" / kind / f"{key}.ics").is_file()
