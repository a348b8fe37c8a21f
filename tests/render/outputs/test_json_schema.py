"""plans.json and json/<plan-id>.json against the JSON Schemas shipped in planpress/schema."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from planpress import schema
from planpress.render.export import SCHEMA_VERSION


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def validator(name: str) -> jsonschema.Draft202012Validator:
    document = schema.load(name)
    jsonschema.Draft202012Validator.check_schema(document)
    return jsonschema.Draft202012Validator(document)


def problems(name: str, document: dict) -> list[str]:
    return [
        f"{error.json_path}: {error.message[:300]}"
        for error in validator(name).iter_errors(document)
    ]


@pytest.fixture(scope="module")
def sites(example_output, leadership_output, hostile_output) -> list[Path]:
    return [example_output, leadership_output, hostile_output]


def test_the_schemas_are_valid_draft_2020_12_and_share_their_definitions():
    plans, plan = schema.load(schema.PLANS), schema.load(schema.PLAN)
    for document in (plans, plan):
        assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(document)
        assert document["properties"]["schema_version"] == {
            "const": SCHEMA_VERSION,
            "description": plans["properties"]["schema_version"]["description"],
        }
    assert plan["$defs"] == plans["$defs"], "keep the $defs of the two files equal"


def test_plans_json_matches_its_schema(sites):
    for site in sites:
        assert problems(schema.PLANS, load(site / "plans.json")) == [], site


def test_every_plan_file_matches_its_schema(sites):
    for site in sites:
        files = sorted((site / "json").rglob("*.json"))
        assert len(files) == len(load(site / "plans.json")["plans"])
        for path in files:
            assert problems(schema.PLAN, load(path)) == [], path


def test_a_plan_file_is_its_plans_json_entry_with_the_people_it_names(sites):
    for site in sites:
        everything = load(site / "plans.json")
        for plan in everything["plans"]:
            single = load(site / "json" / f"{plan['id']}.json")
            assert single["plan"] == plan
            assert {k: single[k] for k in ("schema_version", "generator", "today")} == {
                k: everything[k] for k in ("schema_version", "generator", "today")
            }
            named = keys_in(plan)
            assert set(single["people"]) == named
            for key, party in single["people"].items():
                assert party == everything["people"][key]


def keys_in(plan: dict) -> set[str]:
    tasks = [t for o in plan["objectives"] for t in o["tasks"]] + plan["tasks"]
    keys = {plan["owner"]}
    for task in tasks:
        keys |= {*task["responsible"], task["accountable"], *task["consulted"], *task["informed"]}
    for part in ("milestones", "risks", "communication", "resources"):
        keys |= {item["owner"] for item in plan[part]}
    keys |= {key for review in plan["reviews"] for key in review["attendees"]}
    return keys - {None}


def test_the_schemas_are_strict(example_output):
    document = load(example_output / "plans.json")
    plan = next(p for p in document["plans"] if p["objectives"] and p["milestones"])
    mutations = [
        lambda d: d.update(unknown=1),
        lambda d: d["plans"][index].update(colour="red"),
        lambda d: d["plans"][index]["objectives"][0]["tasks"][0].update(priority="high"),
        lambda d: d["plans"][index]["objectives"][0]["tasks"][0].pop("title"),
        lambda d: d["plans"][index]["milestones"][0].update(due=5),
        lambda d: d["plans"][index].update(status="finished"),
        lambda d: d["plans"][index].update(start="1 July"),
        lambda d: d.update(schema_version=2),
        lambda d: next(iter(d["people"].values())).update(kind="robot"),
    ]
    index = document["plans"].index(plan)
    for number, mutate in enumerate(mutations):
        changed = copy.deepcopy(document)
        mutate(changed)
        assert problems(schema.PLANS, changed), f"mutation {number} was accepted"


def test_the_schemas_ship_in_the_package():
    folder = Path(schema.__file__).parent
    assert (folder / schema.PLANS).is_file() and (folder / schema.PLAN).is_file()
