"""Validation messages: exact text, file, line and column, all problems at once."""

from sitekit import assert_golden, messages

BROKEN_PLAN = """
---
title: Launch
id: launch
kind: action-plan
owner: maria
statu: active
start: 2024-07-01
budget: 40,000
goal:
  statement: Sell more
  metric: sales
objectives:
  - id: ux
    title: Better UX
    tasks:
      - id: audit
        title: Audit
        responsible: maria
        due: soon
        accountable: [maria, tom]
      - title: Fix
        responsible: webdevs
        due: weeks 4-2
        after: [audti]
      - id: audit
        title: Second audit
        due: 2024-02-30
        status: started
milestones:
  - name: Live
    due: week 0
    categry: product
kpis:
  - name: Sales
    direction: sideways
---
"""

PEOPLE = """
people:
  maria: {name: Maria Lopez, team: marketing}
  tom: {name: Tom Chen}
teams:
  marketing: {name: Marketing Team, lead: maria, members: [maria]}
  webdev: {name: Web Development Team, members: [tom, ghost]}
"""


def test_every_problem_of_a_broken_plan_is_reported_at_once(site):
    root = site({"content/launch.md": BROKEN_PLAN, "content/people.yaml": PEOPLE})
    assert_golden("broken_plan.txt", "\n".join(messages(root)) + "\n")


def test_relative_dates_without_start_name_each_line(site):
    root = site(
        {
            "content/p.md": """
        ---
        title: P
        tasks:
          - title: A
            due: week 2
          - title: B
            start: 2024-07-01
            due: weeks 3-4
        ---
        """
        }
    )
    found = [m for m in messages(root) if ": error: " in m]
    assert found[0].startswith("content/p.md:5:10: error: tasks[0].due: a relative date needs")
    assert found[1].startswith("content/p.md:8:10: error: tasks[1].due: a relative date needs")


def test_unknown_config_key_names_its_line(site):
    root = site(
        {"planpress.yaml": "title: X\ntodya: 2024-01-01\n", "content/a.md": "---\ntitle: A\n---\n"}
    )
    [message] = messages(root)
    assert message.startswith(
        "planpress.yaml:2:1: error: todya: unknown key 'todya' in planpress.yaml"
    )
    assert "did you mean 'today'?" in message


def test_duplicate_plan_ids_name_both_files(site):
    root = site(
        {
            "content/a.md": "---\ntitle: A\nid: same\n---\n",
            "content/b.md": "---\ntitle: B\nid: same\n---\n",
        }
    )
    assert messages(root) == [
        "content/b.md:1: error: duplicate plan id 'same' (also used by content/a.md)\n"
        "  hint: give one of the plans another 'id:'"
    ]


def test_unknown_people_and_references_are_warnings_errors_under_strict(site):
    root = site(
        {
            "content/a.md": """
        ---
        title: A
        owner: Nobody Known
        supports: [missing-plan]
        ---
        See [[nowhere]] and @ghost.
        """
        }
    )
    found = messages(root)
    assert all(": warning: " in m for m in found)
    assert len(found) == 4
    assert messages(root, strict=True) == found


def test_misspelled_key_in_a_task_suggests_the_right_one(site):
    root = site(
        {
            "content/a.md": """
        ---
        title: A
        tasks:
          - title: T
            responsable: ann
            due: 2024-07-01
        ---
        """
        }
    )
    [missing, message] = messages(root)
    assert "task 'T' has no responsible party" in missing
    assert "tasks[0].responsable: unknown key 'responsable' in a task" in message
    assert "did you mean 'responsible'?" in message


def test_prose_task_errors_point_into_the_body(site):
    root = site(
        {
            "content/a.md": """
        ---
        title: A
        start: 2024-07-01
        ---
        ## Objective: Grow

        - Task 1: Audit (Responsible: ann; Deadline: someday)
        """
        }
    )
    found = [m for m in messages(root) if ": error: " in m]
    assert found[0].startswith("content/a.md:7:36: error: due:")
    assert "'someday' is not a date" in found[0]


def test_sales_keys_on_other_kinds_are_errors(site):
    root = site({"content/a.md": "---\ntitle: A\ninfluencers: []\n---\n"})
    [message] = messages(root)
    assert "'influencers' belongs to sales plans" in message
