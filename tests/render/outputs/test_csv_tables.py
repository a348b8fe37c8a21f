"""csv/tasks.csv and csv/milestones.csv: BOM, CRLF, csv quoting, no formulas from authors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from planpress.render.outputs.tables import MILESTONE_COLUMNS, TASK_COLUMNS, csv_bytes, neutralise


def rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte order mark"
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def by_id(table: list[list[str]], *columns: str) -> dict[tuple[str, ...], dict[str, str]]:
    header, *body = table
    records = [dict(zip(header, row, strict=True)) for row in body]
    return {tuple(r[c] for c in columns): r for r in records}


def test_line_ends_are_crlf(example_output):
    for name in ("tasks", "milestones"):
        data = (example_output / "csv" / f"{name}.csv").read_bytes()
        assert data.endswith(b"\r\n")
        assert data.count(b"\n") == data.count(b"\r\n")


def test_every_task_and_milestone_is_a_row(example_output):
    model = json.loads((example_output / "plans.json").read_text(encoding="utf-8"))
    tasks = by_id(rows(example_output / "csv" / "tasks.csv"), "plan id", "task id")
    milestones = by_id(rows(example_output / "csv" / "milestones.csv"), "plan id", "milestone id")
    assert rows(example_output / "csv" / "tasks.csv")[0] == list(TASK_COLUMNS)
    assert rows(example_output / "csv" / "milestones.csv")[0] == list(MILESTONE_COLUMNS)
    expected_tasks = {}
    for plan in model["plans"]:
        for objective in plan["objectives"]:
            for task in objective["tasks"]:
                expected_tasks[(plan["id"], task["id"])] = (objective["title"], task)
        for task in plan["tasks"]:
            expected_tasks[(plan["id"], task["id"])] = ("", task)
        for m in plan["milestones"]:
            row = milestones[(plan["id"], m["id"])]
            assert row["milestone"] == m["name"] and row["due"] == (m["scheduled_due"] or "")
            assert row["budget"] == ("" if m["budget"] is None else str(m["budget"]))
    assert set(tasks) == set(expected_tasks)
    for key, (objective, task) in expected_tasks.items():
        row = tasks[key]
        assert row["objective"] == objective
        assert row["title"] == task["title"]
        assert row["status"] == task["status"] and row["state"] == task["state"]["state"]
        assert row["start"] == (task["scheduled_start"] or "")
        names = [model["people"][k]["name"] for k in task["responsible"]]
        assert row["responsible"] == "; ".join(names)
    assert len(milestones) == sum(len(p["milestones"]) for p in model["plans"])


def test_numbers_stay_numbers_even_when_negative(example_output):
    milestones = by_id(rows(example_output / "csv" / "milestones.csv"), "plan id", "milestone id")
    row = milestones[("acme-deal", "fit-session-held")]
    assert (row["budget"], row["cost"], row["variance"], row["days late"]) == (
        "2300",
        "2270",
        "-30",
        "0",
    )
    late = milestones[("business-plan-2024", "trail-box-launch")]
    assert late["days late"] == "6" and late["done"] == "2024-05-06"


def test_hostile_cells_are_neutralised(hostile_output):
    tasks = by_id(rows(hostile_output / "csv" / "tasks.csv"), "plan id", "task id")
    assert tasks[("a.b", "c")]["title"] == (
        """'=HYPERLINK("http://evil.example", "click"); part one, part two"""
    )
    assert tasks[("a.b", "c")]["responsible"] == "'=Eve, the; \\tester 🚀"
    assert tasks[("a.b", "c")]["accountable"] == "'@Mallory"
    assert tasks[("a.b", "forever")]["title"] == "'+ongoing work"
    assert tasks[("a.b", "forever")]["due"] == "ongoing"
    assert tasks[("a.b", "dropped")]["title"] == "'-5 is text here"
    assert tasks[("a.b", "long")]["responsible"] == "'+Crew"
    assert tasks[("a.b", "c")]["plan"] == "Dots, commas; and \\ backslashes 🚀 — café"
    milestones = by_id(rows(hostile_output / "csv" / "milestones.csv"), "plan id", "milestone id")
    m1 = milestones[("a.b", "m.1")]
    assert m1["milestone"] == "Line one\nline two, with a \ttab"
    assert m1["benefits"] == "'=1+1: target 10, actual 12"
    assert m1["variance"] == "-100"
    for table in (tasks, milestones):
        for record in table.values():
            for value in record.values():
                assert not value.startswith(("=", "+", "@", "\t", "\r")), value
                assert not value.startswith("-") or value.lstrip("-").isdigit(), value


def test_neutralise_touches_only_text():
    assert neutralise("=1+2") == "'=1+2"
    assert neutralise("\tx") == "'\tx"
    assert neutralise("\rx") == "'\rx"
    assert neutralise("-x") == "'-x"
    assert neutralise(-5) == -5 and neutralise(-2.5) == -2.5
    assert neutralise("a=b") == "a=b" and neutralise("") == "" and neutralise(None) is None


def test_round_trip_of_any_cells():
    cells = ["a,b", 'quote "x"', "line\nbreak", "semi;colon", "ünïcödé 🚀", 3, -4.5, None]
    data = csv_bytes(["one"] * len(cells), [cells])
    [_header, row] = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert row == ["a,b", 'quote "x"', "line\nbreak", "semi;colon", "ünïcödé 🚀", "3", "-4.5", ""]
