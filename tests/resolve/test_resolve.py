"""Resolution through the real loader: ids, people, prose merge, reverse links."""

from __future__ import annotations

from pathlib import Path

import pytest

from planpress.diagnostics import BuildFailed
from planpress.pipeline import BuildOptions, load_site

FIXTURES = Path(__file__).parent.parent / "load" / "fixtures"

PEOPLE = """
people:
  maria: {name: Maria Lopez, team: marketing}
  tom: {name: Tom Chen}
teams:
  marketing: {name: Marketing Team, lead: maria}
  webdev: {name: Web Development Team, members: [tom]}
"""


def load(root: Path, **options):
    return load_site(root, BuildOptions(**options))


def test_source_example_pasted_as_body_gives_four_objectives_and_ten_tasks(site):
    body = (FIXTURES / "online_sales_prose.md").read_text(encoding="utf-8")
    root = site(
        {
            "content/people.yaml": PEOPLE,
            "content/sales.md": "---\ntitle: Online sales\nstart: 2024-07-01\n---\n" + body,
        }
    )
    plan = load(root).site.plans["sales"]
    assert [o.title for o in plan.objectives] == [
        "Improve Website User Experience",
        "Enhance Digital Marketing Efforts",
        "Expand Product Offerings",
        "Improve Customer Service and Support",
    ]
    tasks = plan.all_tasks()
    assert len(tasks) == 10
    audit = tasks[0]
    assert audit.title.startswith("Conduct a website audit")
    assert audit.responsible == ("marketing",)  # "Marketing Team" matched by name
    assert audit.due.text == "Week 1"
    assert tasks[1].responsible == ("webdev",) and tasks[1].due.text == "Weeks 2-3"
    assert tasks[3].due.is_ongoing


def test_derived_ids_are_stable_whole_words_and_unique(site):
    root = site(
        {
            "content/Team Plans/Q3 Launch!.md": """
        ---
        title: Launch
        tasks:
          - {title: Conduct a website audit to identify areas for improvement, due: 2024-07-01}
          - {title: Conduct a website audit to identify areas for improvement, due: 2024-07-02}
        ---
        """,
        }
    )
    project = load(root)
    plan = project.site.plans["team-plans/q3-launch"]
    assert [t.id for t in plan.tasks] == [
        "conduct-a-website-audit-to-identify",
        "conduct-a-website-audit-to-identify-2",
    ]


def test_reverse_links_and_raci_assignments(site):
    root = site(
        {
            "content/people.yaml": PEOPLE,
            "content/strategy.md": "---\ntitle: Strategy\nid: strategy\n---\n",
            "content/a.md": """
        ---
        title: A
        id: a
        owner: MARIA LOPEZ
        supports: [strategy]
        tasks:
          - id: t1
            title: Audit
            responsible: Marketing Team
            accountable: tom
            consulted: [webdev]
            informed: [maria]
            due: 2024-07-01
        ---
        Builds on [[strategy]].
        """,
        }
    )
    site_model = load(root).site
    assert site_model.supported_by == {"strategy": ("a",)}
    assert site_model.referenced_by == {"strategy": ("a",)}
    roles = {(a.item_id, a.role) for a in site_model.assignments["maria"]}
    assert roles == {("", "owner"), ("t1", "I")}
    assert [(a.item_id, a.role) for a in site_model.assignments["tom"]] == [("t1", "A")]
    assert [(a.item_id, a.role) for a in site_model.assignments["marketing"]] == [("t1", "R")]
    assert site_model.parties["webdev"].members == ("tom",)
    assert site_model.parties["marketing"].members == ("maria",)


def test_unknown_names_still_become_parties(site):
    root = site({"content/a.md": "---\ntitle: A\nowner: Customer Service Manager\n---\n"})
    project = load(root)
    party = project.site.parties["customer-service-manager"]
    assert party.name == "Customer Service Manager" and not party.known
    assert "unknown person or team" in project.diagnostics[0].message


def test_drafts_are_left_out_unless_asked_for(site):
    root = site({"content/a.md": "---\ntitle: A\nstatus: draft\n---\n"})
    assert load(root).site.plans == {}
    assert list(load(root, drafts=True).site.plans) == ["a"]


def test_audience_plans_only_in_their_audience_build(site):
    root = site(
        {
            "planpress.yaml": "audiences: [staff, board]\n",
            "content/a.md": "---\ntitle: A\naudience: [board]\n---\n",
            "content/b.md": "---\ntitle: B\n---\n",
        }
    )
    assert list(load(root).site.plans) == ["b"]
    assert list(load(root, audience="board").site.plans) == ["a", "b"]
    assert list(load(root, audience="staff").site.plans) == ["b"]


def test_every_part_of_a_sales_plan_is_in_the_model(site):
    root = site(
        {
            "content/deal.md": """
        ---
        title: Acme deal
        kind: sales-plan
        account: Acme Corp
        opportunity: {name: Outerwear, value: 250000, stage: proposal, close_by: 2024-Q4}
        objective:
          statement: Agree a pilot
          who: CFO and buyer
          where: Acme HQ
          when: 2024-09-12
          information: Budget cycle
          how: On-site demo
          outcome: Signed pilot order
        influencers:
          - {name: Dana, role: economic, response: even-keel, notes: Signs off}
          - {name: Lee, role: coach, response: growth}
        win_win: Fewer returns for Acme, volume for us
        competition:
          - {name: In-house, alternative: build their own, differentiator: proven fit}
        objectives:
          - {id: one, title: First meeting, tasks: [{title: Call, due: 2024-07-05}]}
          - {id: two, title: Pilot, tasks: [{title: Ship pilot, due: 2024-08-01}]}
        ---
        """,
        }
    )
    plan = load(root).site.plans["deal"]
    sales = plan.sales
    assert sales.account == "Acme Corp"
    assert sales.opportunity.value == 250000 and sales.opportunity.close_by.kind == "quarter"
    assert sales.objective.outcome == "Signed pilot order"
    assert [(i.role, i.response) for i in sales.influencers] == [
        ("economic", "even-keel"),
        ("coach", "growth"),
    ]
    assert sales.competition[0].alternative == "build their own"
    assert [str(ref) for ref in plan.objectives[1].after] == ["deal#one"]


def test_broken_site_raises_with_every_error(site):
    root = site(
        {
            "content/a.md": "---\ntitle: A\nbudget: x\n---\n",
            "content/b.md": "---\ntitle: [unclosed\n---\n",
        }
    )
    with pytest.raises(BuildFailed) as failure:
        load(root)
    paths = {d.loc.path for d in failure.value.diagnostics}
    assert paths == {"content/a.md", "content/b.md"}


def test_derived_ids_never_take_an_id_written_later(site):
    root = site(
        {
            "content/a.md": """
        ---
        title: A
        tasks:
          - {title: Audit, due: 2024-07-01, responsible: x}
          - {id: audit, title: The real audit, due: 2024-07-02, responsible: x}
        milestones:
          - {id: launch, name: Launch, due: 2024-07-03}
        ---
        """
        }
    )
    plan = load(root).site.plans["a"]
    assert [t.id for t in plan.tasks] == ["audit-2", "audit"]


def test_plan_ids_come_from_the_path_under_the_content_folder(site):
    root = site(
        {
            "planpress.yaml": "content_dir: docs/plans\n",
            "docs/plans/sales/Q3 Push.md": "---\ntitle: Q3\n---\n",
        }
    )
    assert list(load(root).site.plans) == ["sales/q3-push"]


def test_hidden_plans_leave_no_trace_and_raise_no_false_alarms(site):
    root = site(
        {
            "planpress.yaml": "audiences: [staff, board]\n",
            "content/secret.md": """
        ---
        title: Secret acquisition
        id: secret
        audience: [board]
        tasks:
          - {id: close, title: Close, responsible: Jane Target, due: 2024-07-01}
        ---
        """,
            "content/open.md": """
        ---
        title: Open plan
        supports: [secret]
        tasks:
          - {title: Follow, responsible: Ann, due: 2024-08-01, after: [secret#close]}
        ---
        See [[secret]].
        """,
        }
    )
    project = load(root, audience="staff")
    assert list(project.site.plans) == ["open"]
    assert "jane-target" not in project.site.parties
    messages = [d.message for d in project.diagnostics]
    assert not [m for m in messages if "secret" in m]
    board = load(root, audience="board")
    assert "jane-target" in board.site.parties


def test_check_validates_plans_hidden_from_the_default_build(site):
    from planpress.pipeline import check

    root = site(
        {
            "planpress.yaml": "audiences: [board]\n",
            "content/secret.md": "---\ntitle: S\naudience: [board]\nbudget: lots\n---\n",
            "content/draft.md": "---\ntitle: D\nstatus: draft\nkind: nonsense\n---\n",
        }
    )
    with pytest.raises(BuildFailed) as failure:
        check(root)
    assert {d.loc.path for d in failure.value.diagnostics} == {
        "content/secret.md",
        "content/draft.md",
    }


def test_undeclared_audience_is_an_error(site):
    root = site(
        {
            "planpress.yaml": "audiences: [board]\n",
            "content/a.md": "---\ntitle: A\naudience: [bord]\n---\n",
        }
    )
    with pytest.raises(BuildFailed) as failure:
        load(root)
    [error] = failure.value.diagnostics
    assert "audience 'bord' is not declared" in error.message
    assert "did you mean 'board'?" in error.hint


def test_missing_content_folder_is_an_error(tmp_path):
    from planpress.diagnostics import PlanpressError

    (tmp_path / "planpress.yaml").write_text("content_dir: plans\n")
    with pytest.raises(PlanpressError, match="no content folder"):
        load(tmp_path)


def test_comma_separated_people_and_dependencies(site):
    root = site(
        {
            "content/people.yaml": PEOPLE,
            "content/a.md": """
        ---
        title: A
        tasks:
          - {id: one, title: One, responsible: "maria, tom", due: 2024-07-01}
          - {id: two, title: Two, responsible: tom, due: 2024-07-09, after: "one"}
        milestones:
          - {id: m, name: M, due: 2024-07-10, after: "one, two"}
        ---
        """,
        }
    )
    plan = load(root).site.plans["a"]
    assert plan.tasks[0].responsible == ("maria", "tom")
    assert [str(r) for r in plan.milestones[0].after] == ["a#one", "a#two"]
