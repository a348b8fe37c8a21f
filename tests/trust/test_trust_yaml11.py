"""YAML 1.1 surprises never change a plan silently, and output does not depend on the machine.

`no`, `on`, `0123`, `12:30`, `1.10`, `2024-07-01`, `0x1F`, `.inf` stay the text the author
wrote wherever a field wants text; a field that wants a number or a date reads the text
itself (and says so when it cannot). The same input gives the same bytes under any time zone
and locale.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from trust_kit import CORPUS, fm, run_cli, run_main, snapshot, write_files

from planpress.diagnostics import Diagnostics
from planpress.load.yamltree import parse_yaml
from planpress.pipeline import build

SURPRISES = [
    "no", "No", "NO", "off", "on", "On", "yes", "y", "n", "Y", "N", "true", "False",
    "0123", "0o17", "0x1F", "012", "1_000", "12:30", "190:20:30", "1.10", "1.0", "1e3",
    ".inf", "-.Inf", ".NaN", "2024-07-01", "2024-07-01 12:30:00", "2001-12-14t21:59:43.10-05:00",
    "=", "<<", "!", "&", "*", "?",
]  # fmt: skip


@pytest.mark.parametrize("text", SURPRISES)
def test_a_plain_scalar_stays_the_text_written(text):
    quoted = f"'{text}'" if text in {"!", "&", "*", "?"} else text  # YAML syntax unless quoted
    diagnostics = Diagnostics()
    tree = parse_yaml(f"value: {quoted}\nlist: [{quoted}]\n", "x.yaml", diagnostics)
    assert not diagnostics.errors  # `=` and `<<` are YAML 1.1 types, but text here
    assert tree.data == {"value": text, "list": [text]}


@pytest.mark.parametrize("text", ["null", "Null", "NULL", "~", ""])
def test_only_null_words_are_empty(text):
    assert parse_yaml(f"value: {text}\n", "x.yaml", Diagnostics()).data == {"value": None}


@pytest.fixture(scope="module")
def surprising(tmp_path_factory) -> dict:
    """A plan whose text fields hold YAML 1.1 look-alikes, built; its plans.json."""
    root = tmp_path_factory.mktemp("yaml11") / "site"
    write_files(
        root,
        {
            "planpress.yaml": "title: 1.10\ntoday: 2024-08-01\ncurrency: no\n",
            "content/people.yaml": "people:\n  '0123': {name: 0123, role: on}\n",
            "content/yaml11.md": fm(
                """
title: 1.10
id: 0123
owner: no
start: 2024-07-01
department: 12:30
tags: [on, off, 1.10, 0x1F, 2024-07-01]
summary: yes
goal: {statement: 12:30, unit: 1e3}
objectives:
  - id: '007'
    title: 0o17
    tasks:
      - id: 08
        title: .inf
        responsible: on
        accountable: 0123
        informed: [N]
        due: 2024-07-10
        notes: 2024-07-01
milestones:
  - id: 1.10
    name: 12:30
    due: 2024-07-20
    owner: Off
    category: 1.0
    benefits: [{metric: 0123, target: 1.10, actual: no}]
kpis:
  - {id: '0123', name: 1.10, unit: 12:30, baseline: 1.10, target: 0123}
risks:
  - {risk: y, trigger: n, response: ~, owner: yes}
"""
            ),
        },
    )
    result = build(root, root / "out")
    return json.loads((result.output / "plans.json").read_text(encoding="utf-8"))


def test_texts_stay_as_written_in_the_model(surprising):
    [plan] = surprising["plans"]
    assert (plan["id"], plan["title"], plan["department"], plan["summary"]) == (
        "0123",
        "1.10",
        "12:30",
        "yes",
    )
    assert plan["tags"] == ["on", "off", "1.10", "0x1F", "2024-07-01"]
    assert plan["goal"]["statement"] == "12:30" and plan["goal"]["unit"] == "1e3"
    objective = plan["objectives"][0]
    assert (objective["id"], objective["title"]) == ("007", "0o17")
    task = objective["tasks"][0]
    assert (task["id"], task["title"], task["notes"]) == ("08", ".inf", "2024-07-01")
    milestone = plan["milestones"][0]
    assert (milestone["id"], milestone["name"], milestone["category"]) == ("1.10", "12:30", "1.0")
    benefit = milestone["benefits"][0]
    assert (benefit["metric"], benefit["actual"]) == ("0123", "no")
    kpi = plan["kpis"][0]
    assert (kpi["id"], kpi["name"], kpi["unit"]) == ("0123", "1.10", "12:30")
    assert plan["risks"][0]["risk"] == "y" and plan["risks"][0]["trigger"] == "n"


def test_names_stay_as_written(surprising):
    [plan] = surprising["plans"]
    people = surprising["people"]
    assert people[plan["owner"]]["name"] == "no"
    task = plan["objectives"][0]["tasks"][0]
    assert [people[key]["name"] for key in task["responsible"]] == ["on"]
    assert task["accountable"] == "0123" and people["0123"]["role"] == "on"
    assert [people[key]["name"] for key in task["informed"]] == ["N"]
    assert people[plan["milestones"][0]["owner"]]["name"] == "Off"
    assert people[plan["risks"][0]["owner"]]["name"] == "yes"


def test_numbers_are_read_from_the_text(surprising):
    """A number field reads decimal text: 0123 is 123 (not octal 83), 1.10 is 1.1."""
    [plan] = surprising["plans"]
    kpi = plan["kpis"][0]
    assert (kpi["baseline"], kpi["target"]) == (1.1, 123)
    assert plan["milestones"][0]["benefits"][0]["target"] == 1.1


def test_the_site_title_and_currency_stay_text(tmp_path):
    root = write_files(
        tmp_path / "site",
        {
            "planpress.yaml": "title: 1.10\ntoday: 2024-08-01\ncurrency: no\n",
            "content/a.md": fm("title: A\nbudget: 5"),
        },
    )
    build(root, root / "out")
    page = (root / "out/plans/a.html").read_text(encoding="utf-8")
    assert "<title>A · 1.10</title>" in page and "5 no" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("budget", "12:30", "budget: expected a number, got '12:30'"),
        ("budget", "0x1F", "budget: expected a number, got '0x1F'"),
        ("budget", ".inf", "budget: expected a number, got '.inf'"),
        ("start", "yes", "start: 'yes' is not a date"),
        ("end", "2024-07-01 12:30:00", "end: '2024-07-01 12:30:00' is not a date"),
        ("kind", "no", "kind: expected one of"),
    ],
)
def test_a_look_alike_in_a_typed_field_is_a_clear_error(tmp_path, field, value, message):
    root = write_files(tmp_path / "site", {"content/a.md": fm(f"title: A\n{field}: {value}")})
    result = run_main("check", str(root))
    assert result.returncode == 1
    assert f"content/a.md:3:{len(field) + 3}: error: {message}" in result.stderr


# -- the machine's time zone and locale change nothing --

ENVIRONMENTS = {
    "utc-c": {"TZ": "UTC", "LANG": "C", "LC_ALL": "C"},
    "kiritimati-german": {"TZ": "Pacific/Kiritimati", "LANG": "de_DE.UTF-8", "LC_ALL": ""},
    "adak-turkish": {"TZ": "America/Adak", "LANG": "tr_TR.UTF-8", "LC_ALL": "tr_TR.UTF-8"},
}


@pytest.mark.parametrize("dated", ["today-in-config", "source-date-epoch"])
def test_output_is_the_same_under_any_time_zone_and_locale(tmp_path, dated):
    base = tmp_path / "base"
    shutil.copytree(CORPUS / "_base", base)
    extra = {"SOURCE_DATE_EPOCH": "1722556800"}  # 2024-08-02 00:00 UTC: 1 August in Adak
    if dated == "source-date-epoch":
        (base / "planpress.yaml").write_text("title: Trust corpus\n", encoding="utf-8")
    outputs = {}
    for name, env in ENVIRONMENTS.items():
        root = tmp_path / name
        shutil.copytree(base, root)
        result = run_cli("build", str(root), "-o", str(root / "out"), env={**env, **extra})
        assert result.returncode == 0, result.stderr
        outputs[name] = snapshot(root / "out")
    first, *others = outputs.values()
    for name, files in zip(list(outputs)[1:], others, strict=True):
        differing = sorted(k for k in first.keys() | files.keys() if first.get(k) != files.get(k))
        assert not differing, f"{name} differs from utc-c in {differing[:5]}"
    assert b"Aug 2024" in first["plans/good.html"] or b"2024" in first["plans/good.html"]


def test_dates_keep_their_day_in_every_time_zone(tmp_path):
    """A day is a day: no conversion through midnight UTC shifts 2024-07-01 anywhere."""
    root = write_files(
        tmp_path / "site",
        {
            "planpress.yaml": "today: 2024-08-01\n",
            "content/a.md": fm("title: A\ntasks:\n  - {title: T, responsible: x, due: 2024-07-01}"),
        },
    )
    result = run_cli("build", str(root), "-o", str(root / "out"), env={"TZ": "Pacific/Kiritimati"})
    assert result.returncode == 0, result.stderr
    data = json.loads(Path(root / "out/plans.json").read_text(encoding="utf-8"))
    assert data["plans"][0]["tasks"][0]["scheduled_due"] == "2024-07-01"
