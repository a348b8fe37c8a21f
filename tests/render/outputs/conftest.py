"""Sites for the output tests: the example site, and a hostile one with base_url set."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import REPO, write_site

from planpress.pipeline import BuildOptions, build

BASE_URL = "https://intranet.example.com/plans"

HOSTILE = {
    "planpress.yaml": f"""
        title: "Hostile; site, with \\\\ specials"
        today: 2024-08-20
        base_url: {BASE_URL}/
        """,
    "content/people.yaml": """
        people:
          eve: {name: "=Eve, the; \\\\tester 🚀", email: eve@example.com}
          mallory: {name: "@Mallory", team: crew}
        teams:
          crew: {name: "+Crew", lead: mallory, members: [mallory]}
        """,
    "content/dots.md": """
        ---
        title: "Dots, commas; and \\\\ backslashes 🚀 — café"
        id: a.b
        owner: eve
        start: 2024-07-01
        tasks:
          - id: c
            title: "=HYPERLINK(\\"http://evil.example\\", \\"click\\"); part one, part two"
            responsible: eve
            accountable: mallory
            due: 2024-07-05
            budget: 100
            cost: 120
            status: done
            done: 2024-07-06
          - id: long
            title: "Überlange Aufgabe mit Umlauten äöü und Emoji 🚀🚀🚀 und noch mehr Text,
              damit die Zeile gefaltet werden muss: ÄÖÜäöüß€ 日本語のテキスト"
            responsible: crew
            due: 2024-08-30
          - id: forever
            title: "+ongoing work"
            responsible: eve
            due: ongoing
          - id: undated
            title: "-no date at all"
            responsible: eve
          - id: dropped
            title: "-5 is text here"
            responsible: mallory
            due: 2024-07-12
            status: cancelled
        milestones:
          - id: m.1
            name: "Line one\\nline two, with a \\ttab"
            due: 2024-07-20
            done: 2024-07-22
            owner: mallory
            budget: 1000
            cost: 900
            benefits:
              - {metric: "=1+1", target: 10, actual: 12}
          - id: later
            name: "@Later milestone"
            due: 2024-12-01
            owner: eve
        reviews:
          - date: 2024-07-15
            attendees: [eve, mallory]
            notes: "Notes with <b>markup</b> & an ampersand"
            decisions: ["Go; on, now"]
          - date: 2024-07-15
            attendees: [eve]
            notes: Second review the same day
          - date: 2024-09-15
            attendees: [eve]
            notes: A review still to come
        ---
        Hostile text.
        """,
    "content/a.md": """
        ---
        title: Plain plan
        id: a
        owner: mallory
        start: 2024-07-01
        tasks:
          - id: b.c
            title: Same UID parts, other split
            responsible: mallory
            due: 2024-07-05
        ---
        """,
    "content/team/future.md": """
        ---
        title: A plan that has not started
        owner: eve
        start: 2025-01-01
        milestones:
          - id: kickoff
            name: Kick-off
            due: 2025-01-15
            owner: eve
        ---
        """,
}


@pytest.fixture(scope="session")
def example_output(tmp_path_factory) -> Path:
    """The example site, built once for these tests."""
    return build(REPO, tmp_path_factory.mktemp("outputs-example") / "site").output


@pytest.fixture(scope="session")
def leadership_output(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("outputs-leadership") / "site"
    return build(REPO, out, BuildOptions(audience="leadership")).output


@pytest.fixture(scope="session")
def hostile_root(tmp_path_factory) -> Path:
    return write_site(tmp_path_factory.mktemp("hostile"), HOSTILE)


@pytest.fixture(scope="session")
def hostile_output(hostile_root, tmp_path_factory) -> Path:
    return build(hostile_root, tmp_path_factory.mktemp("hostile-out") / "site").output
