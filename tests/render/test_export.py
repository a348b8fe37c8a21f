"""plans.json, parsed with a real JSON parser and checked against the example site."""

import json

from sitekit import REPO

from planpress.pipeline import build


def test_plans_json_holds_the_resolved_model(tmp_path):
    build(REPO, tmp_path / "site")
    data = json.loads((tmp_path / "site/plans.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == 1 and data["today"] == "2024-08-20"
    plans = {p["id"]: p for p in data["plans"]}
    assert "acquisition-review" not in plans  # audience-restricted, default build
    online = plans["online-sales-q3"]
    assert online["start"] == "2024-07-01" and online["supports"] == ["growth-2024"]
    assert len(online["objectives"]) == 4
    assert sum(len(o["tasks"]) for o in online["objectives"]) == 10
    audit = online["objectives"][0]["tasks"][0]
    assert audit["responsible"] == ["marketing"] and audit["due"] == "Week 1"
    assert audit["scheduled_due"] == "2024-07-07" and audit["from_prose"] is True
    checkout = next(m for m in online["milestones"] if m["id"] == "checkout-live")
    assert checkout["state"]["state"] == "done-late"
    assert checkout["budget_status"]["variance"] == 400
    assert set(data["people"]["marketing"]) >= {"kind", "name", "members"}
    for plan in data["plans"]:
        assert plan["health"]["state"] in {
            "on-track",
            "at-risk",
            "off-track",
            "not-started",
            "closed",
        }
