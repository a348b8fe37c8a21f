"""Tests for tasks and objectives written as prose in a plan body."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planpress.load.prose import (
    PROSE_KEYS,
    ProseTask,
    ProseTasks,
    extract_prose_tasks,
)

FIXTURE = Path(__file__).parent / "fixtures" / "online_sales_prose.md"

OBJECTIVES = [
    "Improve Website User Experience",
    "Enhance Digital Marketing Efforts",
    "Expand Product Offerings",
    "Improve Customer Service and Support",
]

# (objective index, title start, responsible, due) for the ten tasks of the example plan.
TASKS = [
    (0, "Conduct a website audit to identify areas for improvement", "Marketing Team", "Week 1"),
    (0, "Implement changes based on audit findings", "Web Development Team", "Weeks 2-3"),
    (1, "Develop a comprehensive digital marketing strategy", "Marketing Team", "Week 1"),
    (1, "Create engaging and targeted content", "Content Team", "Ongoing"),
    (1, "Launch targeted online advertising campaigns", "Marketing Team", "Weeks 2-4"),
    (2, "Research market trends", "Product Development Team", "Week 1"),
    (2, "Develop and launch new products", "Product Development Team", "Weeks 2-4"),
    (3, "Train customer service representatives", "Customer Service Manager", "Ongoing"),
    (3, "Implement a live chat feature", "Web Development Team", "Week 2"),
    (3, "Collect and analyze customer feedback", "Customer Service Manager", "Ongoing"),
]


def fields(task: ProseTask) -> dict[str, str]:
    return {name: value for name, value, _ in task.fields}


def only_task(body: str) -> ProseTask:
    result = extract_prose_tasks(body)
    assert len(result.tasks) == 1, result
    return result.tasks[0]


def messages(body: str) -> list[str]:
    return [p.message for p in extract_prose_tasks(body).problems]


def assert_example_plan(result: ProseTasks) -> None:
    assert [o.title for o in result.objectives] == OBJECTIVES
    assert len(result.tasks) == len(TASKS)
    for task, (objective, start, responsible, due) in zip(result.tasks, TASKS, strict=True):
        assert task.title.startswith(start), task.title
        assert fields(task) == {"responsible": responsible, "due": due}
        assert task.objective == OBJECTIVES[objective]
        assert task.checked is None
    assert result.problems == ()


def as_markdown(text: str) -> str:
    """The pasted example rewritten the way a Markdown author would write it."""
    text = text.replace("\nObjective:", "\n## Objective:").replace("  • ", "- ")
    for heading in ("Action Plan", "Resource Allocation", "Monitoring and Evaluation"):
        text = text.replace(f"\n{heading}\n", f"\n## {heading}\n")
    return text


# The example plan from the source document, pasted verbatim.


def test_pasted_example_plan_yields_objectives_and_tasks() -> None:
    result = extract_prose_tasks(FIXTURE.read_text(encoding="utf-8"))
    assert_example_plan(result)
    first = result.tasks[0]
    assert first.title == "Conduct a website audit to identify areas for improvement"
    assert first.line == 7
    assert result.tasks[1].title.endswith("streamlining the checkout process")
    assert [o.line for o in result.objectives] == [5, 10, 16, 21]


def test_pasted_timeline_and_resource_bullets_are_not_tasks() -> None:
    result = extract_prose_tasks(FIXTURE.read_text(encoding="utf-8"))
    titles = " | ".join(t.title for t in result.tasks)
    for text in ("Weeks 1-4", "Weeks 5-8", "Monitor customer service metrics", "Marketing budget"):
        assert text not in titles
    assert "Personnel resources" not in titles
    assert "Weekly progress meetings" not in titles


def test_example_plan_as_markdown_gives_same_result() -> None:
    pasted = FIXTURE.read_text(encoding="utf-8")
    markdown = as_markdown(pasted)
    assert "## Objective: Expand Product Offerings" in markdown
    result = extract_prose_tasks(markdown)
    assert_example_plan(result)
    expected = extract_prose_tasks(pasted)
    assert result.objectives == expected.objectives
    assert [(t.title, t.line, fields(t)) for t in result.tasks] == [
        (t.title, t.line, fields(t)) for t in expected.tasks
    ]


# Objectives.


@pytest.mark.parametrize(
    "line",
    [
        "Objective: Grow",
        "objective - Grow",
        "OBJECTIVE – Grow",
        "# Objective: Grow",
        "###### Objective: Grow ##",
        "  Objective : Grow",
    ],
)
def test_objective_forms(line: str) -> None:
    result = extract_prose_tasks(f"{line}\n\n- Do it (Owner: Ann)\n")
    assert [o.title for o in result.objectives] == ["Grow"]
    assert result.tasks[0].objective == "Grow"


@pytest.mark.parametrize(
    "line", ["Objectives: many", "Objective-based planning", "####### Objective: x"]
)
def test_not_objectives(line: str) -> None:
    assert extract_prose_tasks(line).objectives == ()


def test_empty_objective_title_is_a_problem_and_ignored() -> None:
    result = extract_prose_tasks("Objective: A\nObjective:\n- Do (Owner: Ann)\n## Objective:  ")
    assert [o.title for o in result.objectives] == ["A"]
    assert result.tasks[0].objective == "A"
    assert [(p.line, p.col, p.message) for p in result.problems] == [
        (2, 1, "objective has no title"),
        (4, 4, "objective has no title"),
    ]


def test_heading_scope_ends_at_same_or_higher_level() -> None:
    body = "\n".join(
        [
            "## Objective: A",
            "- one (Owner: Ann)",
            "### Details",
            "- two (Owner: Ann)",
            "## Next section",
            "- three (Owner: Ann)",
            "### Objective: B",
            "- four (Owner: Ann)",
            "# Top",
            "- five (Owner: Ann)",
        ]
    )
    result = extract_prose_tasks(body)
    assert [(t.title, t.objective) for t in result.tasks] == [
        ("one", "A"),
        ("two", "A"),
        ("three", None),
        ("four", "B"),
        ("five", None),
    ]


def test_paragraph_objective_ends_at_any_heading_or_next_objective() -> None:
    body = "Objective: A\n- one (Owner: Ann)\nObjective: B\n- two (Owner: Ann)\n#### Notes\n- x [ ]"
    body += "\n- [ ] three"
    result = extract_prose_tasks(body)
    assert [(t.title, t.objective) for t in result.tasks] == [
        ("one", "A"),
        ("two", "B"),
        ("three", None),
    ]


def test_setext_heading_objective_and_scope() -> None:
    body = "Objective: A\n---\n- one (Owner: Ann)\n\nOther\n=====\n- two (Owner: Ann)"
    result = extract_prose_tasks(body)
    assert [(t.title, t.objective) for t in result.tasks] == [("one", "A"), ("two", None)]


def test_tasks_outside_objectives_have_none() -> None:
    assert only_task("- Do it (Owner: Ann)").objective is None


# Tasks and list items.


@pytest.mark.parametrize("marker", ["-", "*", "+", "1.", "12)", "•", "◦", "▪", "‣", "    -", "\t*"])
def test_list_markers(marker: str) -> None:
    task = only_task(f"{marker} Task 3: Write it (Owner: Ann)")
    assert task.title == "Write it"
    assert fields(task) == {"responsible": "Ann"}


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Task 1: Audit", "Audit"),
        ("task 2 - Audit", "Audit"),
        ("Step 3: Audit", "Audit"),
        ("Action 4) Audit", "Audit"),
        ("Step 5. Audit the site.", "Audit the site"),
        ("Task 6 – Audit;", "Audit"),
        ("Audit (first pass)", "Audit (first pass)"),
    ],
)
def test_title_cleaning(text: str, title: str) -> None:
    assert only_task(f"- {text} (Due: W1).").title == title


WRITTEN_KEYS = "owner accountable consulted informed start deadline budget status after"
NORMALISED = "responsible accountable consulted informed start due budget status after"


def test_all_keys_normalise_in_written_order() -> None:
    keys = WRITTEN_KEYS.split()
    parts = "; ".join(f"{k.upper() if i % 2 else k.title()}: v{i}" for i, k in enumerate(keys))
    task = only_task(f"- Do ({parts})")
    expected = NORMALISED.split()
    assert [name for name, _, _ in task.fields] == expected
    assert [value for _, value, _ in task.fields] == [f"v{i}" for i in range(len(keys))]
    assert set(PROSE_KEYS.values()) == set(expected)
    assert set(PROSE_KEYS) == {*keys, "responsible", "due"}


def test_values_may_contain_colons_and_commas() -> None:
    task = only_task("- Launch (Start: 2024-07-01 09:00; After: audit, design)")
    assert fields(task) == {"start": "2024-07-01 09:00", "after": "audit, design"}


def test_last_balanced_parenthesis_is_the_field_group() -> None:
    task = only_task("- Review (draft) copy (Responsible: Ann (lead); Due: week 2)")
    assert task.title == "Review (draft) copy"
    assert fields(task) == {"responsible": "Ann (lead)", "due": "week 2"}


@pytest.mark.parametrize(
    "item",
    [
        "- Read chapter 2 (see appendix)",
        "- Add tests (optional)",
        "- Plain item",
        "- Unbalanced (Owner: Ann",
        "- Parenthesis (Owner: Ann) in the middle",
        "- Stray close Owner: Ann)",
    ],
)
def test_items_without_field_group_are_not_tasks(item: str) -> None:
    result = extract_prose_tasks(item)
    assert result.tasks == ()
    assert result.problems == ()


def test_checkbox_items() -> None:
    body = "- [ ] Draft\n- [x] Review (optional)\n* [X] Task 2: Ship (Owner: Bo; Status: done)"
    result = extract_prose_tasks(body)
    assert [(t.title, t.checked) for t in result.tasks] == [
        ("Draft", False),
        ("Review (optional)", True),
        ("Ship", True),
    ]
    assert fields(result.tasks[2]) == {"responsible": "Bo", "status": "done"}
    assert result.tasks[0].fields == ()


def test_numbered_checkbox_and_non_checkbox_brackets() -> None:
    result = extract_prose_tasks("1. [ ] Draft\n2. [y] Nope\n3. [x]Glued")
    assert [t.title for t in result.tasks] == ["Draft"]


def test_empty_task_title_is_a_problem() -> None:
    result = extract_prose_tasks("- Task 1: (Owner: Ann)\n- [ ]")
    assert result.tasks == ()
    assert [(p.line, p.col, p.message) for p in result.problems] == [
        (1, 3, "task has no title"),
        (2, 6, "task has no title"),
    ]


# Field problems.


def test_unknown_key_with_did_you_mean() -> None:
    result = extract_prose_tasks("- Audit (Responsable: Ann; Deadline: W1)")
    (problem,) = result.problems
    assert problem.message == "unknown task field 'Responsable'"
    assert problem.hint == "did you mean 'Responsible'?"
    assert (problem.line, problem.col) == (1, 10)
    assert fields(result.tasks[0]) == {"due": "W1"}


def test_unknown_key_without_close_match_lists_known_keys() -> None:
    (problem,) = extract_prose_tasks("- Audit (Owner: Ann; Colour: red)").problems
    assert problem.message == "unknown task field 'Colour'"
    assert problem.hint.startswith("known fields: Responsible, Owner")


def test_part_without_colon() -> None:
    result = extract_prose_tasks("- Audit (Owner: Ann; week 1)")
    (problem,) = result.problems
    assert problem.message == "expected 'Key: value' in task fields, found 'week 1'"
    assert problem.col == 22
    assert fields(result.tasks[0]) == {"responsible": "Ann"}


def test_empty_value() -> None:
    result = extract_prose_tasks("- Audit (Owner: Ann; Deadline: )")
    assert [p.message for p in result.problems] == ["task field 'Deadline' has no value"]
    assert fields(result.tasks[0]) == {"responsible": "Ann"}


@pytest.mark.parametrize(
    ("group", "message"),
    [
        ("Deadline: W1; Deadline: W2", "duplicate task field 'Deadline'"),
        ("Deadline: W1; due: W2", "duplicate task field 'due'"),
        ("Owner: Ann; Responsible: Bo", "duplicate task field 'Responsible'"),
    ],
)
def test_duplicate_fields(group: str, message: str) -> None:
    result = extract_prose_tasks(f"- Audit ({group})")
    assert [p.message for p in result.problems] == [message]
    assert len(result.tasks[0].fields) == 1


def test_stray_semicolon_is_harmless() -> None:
    result = extract_prose_tasks("- Audit (Owner: Ann;)")
    assert result.problems == ()
    assert fields(result.tasks[0]) == {"responsible": "Ann"}


# Skipped regions.


def test_fenced_code_is_skipped() -> None:
    body = "\n".join(
        [
            "````markdown",
            "Objective: Hidden",
            "- Hidden (Owner: Ann)",
            "```",
            "- still hidden: a shorter fence does not close (Owner: Ann)",
            "``````",
            "~~~~",
            "- Hidden (Owner: Ann)",
            "~~~",
            "- Hidden (Owner: Ann)",
            "~~~~~",
            "- Visible (Owner: Ann)",
        ]
    )
    result = extract_prose_tasks(body)
    assert result.objectives == ()
    assert [t.title for t in result.tasks] == ["Visible"]


def test_unclosed_fence_hides_the_rest() -> None:
    assert extract_prose_tasks("```\n- Hidden (Owner: Ann)").tasks == ()


def test_backtick_info_with_backtick_is_not_a_fence() -> None:
    assert only_task("```not a fence```\n- Visible (Owner: Ann)").title == "Visible"


def test_html_comments_are_skipped() -> None:
    body = "<!--\nObjective: Hidden\n- Hidden (Owner: Ann)\n-->\n- Seen (Owner: Ann) <!-- x -->"
    result = extract_prose_tasks(body + "\n- Also <!-- (Owner: x) --> seen (Due: W1)")
    assert result.objectives == ()
    assert [(t.title, fields(t)) for t in result.tasks] == [
        ("Seen", {"responsible": "Ann"}),
        ("Also seen", {"due": "W1"}),
    ]


# Continuation lines, positions and line endings.


def test_lazy_continuation_joins_the_field_group() -> None:
    result = extract_prose_tasks("intro\n- Task 1: Do it\n  (Responsible: Ann; Due: week 1)\n")
    (task,) = result.tasks
    assert task.title == "Do it"
    assert task.line == 2
    assert task.fields == (("responsible", "Ann", 4), ("due", "week 1", 22))


def test_continuation_across_several_lines_and_problem_position() -> None:
    body = "- Do a long\n    thing\n    (Owner: Ann;\n     Colr: red)"
    result = extract_prose_tasks(body, first_line=10)
    assert result.tasks[0].title == "Do a long thing"
    assert result.tasks[0].line == 10
    (problem,) = result.problems
    assert (problem.line, problem.col) == (13, 6)


@pytest.mark.parametrize(
    "body",
    [
        "- Done already (Owner: Ann)\n  (Due: W1)",  # item already ended in ')'
        "- Do it\n(Owner: Ann)",  # not more indented
        "- Do it\n\n  (Owner: Ann)",  # blank line in between
        "- Do it\n  - (Owner: Ann)",  # a nested item is a new item
    ],
)
def test_lines_that_do_not_continue(body: str) -> None:
    titles = [t.title for t in extract_prose_tasks(body).tasks]
    assert "Do it" not in titles
    assert all("Owner" not in title for title in titles)


def test_line_and_column_numbers_with_first_line() -> None:
    body = "Objective: Grow\n\n  * Task 1: Audit (Owner: Ann;  Due: W1)\n- Bad (Ownr: Ann; Due: W2)"
    result = extract_prose_tasks(body, first_line=7)
    assert result.objectives[0].line == 7
    task = result.tasks[0]
    assert task.line == 9
    assert task.fields == (("responsible", "Ann", 20), ("due", "W1", 33))
    (problem,) = result.problems
    assert (problem.line, problem.col) == (10, 8)
    assert problem.hint == "did you mean 'Owner'?"


def test_crlf_input() -> None:
    body = "## Objective: Grow\r\n\r\n- Task 1: Audit\r\n  (Owner: Ann; Due: W1)\r\n- [x] Ship\r\n"
    result = extract_prose_tasks(body, first_line=3)
    assert [(o.title, o.line) for o in result.objectives] == [("Grow", 3)]
    assert [(t.title, t.line, fields(t), t.checked) for t in result.tasks] == [
        ("Audit", 5, {"responsible": "Ann", "due": "W1"}, None),
        ("Ship", 7, {}, True),
    ]


def test_crlf_example_plan() -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace("\n", "\r\n")
    assert_example_plan(extract_prose_tasks(text))


# Robustness.


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_on_any_text(body: str) -> None:
    assert isinstance(extract_prose_tasks(body), ProseTasks)


PIECES = [
    "- ",
    "* ",
    "1. ",
    "  • ",
    "[ ] ",
    "[x] ",
    "Objective: ",
    "## ",
    "Task 1: ",
    "(",
    ")",
    ";",
    ":",
    "Owner",
    "Due",
    " ",
    "\n",
    "\r\n",
    "```",
    "~~~",
    "<!--",
    "-->",
    "---",
    "x",
    ".",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join), st.integers(1, 50))
def test_never_raises_on_markdownish_text(body: str, first_line: int) -> None:
    result = extract_prose_tasks(body, first_line)
    lines = body.replace("\r\n", "\n").split("\n")
    last = first_line + len(lines) - 1
    for item in (*result.objectives, *result.tasks, *result.problems):
        assert first_line <= item.line <= last
    for task in result.tasks:
        assert task.title
