"""Properties over any input: the loader, the date grammar and the prose-task parser give a
model or a planpress error, never another exception; and what is written can be read back.

Example counts are modest so the suite stays fast; the corpus covers the known bad cases.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from planpress.diagnostics import Diagnostics, PlanpressError
from planpress.load.files import decode_text, split_front_matter
from planpress.load.prose import PROSE_KEYS, extract_prose_tasks
from planpress.load.yamltree import parse_yaml
from planpress.pipeline import BuildOptions, check
from planpress.resolve.plans import PLAN_KEYS, TASK_KEYS
from planpress.schedule.dates import DateError, parse_date, parse_duration

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- the loader, from bytes to a checked site --

WORDS = [
    *PLAN_KEYS, *TASK_KEYS, "name", "due", "week 2", "weeks 2-4", "2024-07-01", "2024-02-30",
    "ongoing", "no", "on", "0123", "12:30", "1.10", "~", "ann", "@ann", "[[a]]", "a#b", "x",
    "<script>", "{{ 7*7 }}", "\u202e", "é", "\U0001f600", "",
]  # fmt: skip
# YAML itself folds line-break characters (NEL, LS, PS) and refuses most control characters
PRINTABLE = st.characters(
    blacklist_categories=("Cc", "Cs"), blacklist_characters="\x85\u2028\u2029"
)
SCALARS = st.sampled_from(WORDS) | st.text(PRINTABLE, max_size=12)
DATA = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(WORDS) | st.text(PRINTABLE, max_size=6), inner, max_size=5
        )
    ),
    max_leaves=25,
)
FRONT = st.dictionaries(st.sampled_from(PLAN_KEYS), DATA, max_size=8)
TASK = st.dictionaries(st.sampled_from(TASK_KEYS), DATA, max_size=6)
BODY = st.lists(
    st.sampled_from(
        ["## Objective: Grow\n", "- Task 1: Do (Responsible: ann; Deadline: week 1)\n",
         "- [ ] Check\n", "Text [[a]] and @ann.\n", "```\n", "<b>x</b>\n", "(Owner: x)\n", "\n"]
    )
    | st.text(max_size=20),
    max_size=8,
).map("".join)  # fmt: skip


def _check_files(files: dict[str, bytes]) -> None:
    """Check a site of these files: a clean result or a PlanpressError, nothing else."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, data in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
        try:
            check(root, BuildOptions(today=dt.date(2024, 8, 1)))
        except PlanpressError as failure:
            for diagnostic in failure.diagnostics:
                assert diagnostic.loc.path and diagnostic.message  # every one says where


def _dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@FAST
@given(FRONT, st.lists(TASK, max_size=3), BODY)
def test_any_plan_loads_or_fails_cleanly(front, tasks, body):
    if tasks:
        front = {**front, "tasks": tasks}
    plan = f"---\n{_dump(front)}---\n{body}"
    _check_files({"content/plan.md": plan.encode(), "content/people.yaml": b"people: {}\n"})


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_load_or_fail_cleanly(data):
    _check_files({"content/plan.md": b"---\n" + data, "content/people.yaml": data})


@FAST
@given(st.text(max_size=300))
def test_any_text_loads_or_fails_cleanly(text):
    _check_files({"content/plan.md": text.encode("utf-8", "surrogatepass"), "planpress.yaml": b""})


@FAST
@given(DATA)
def test_yaml_round_trip(data):
    """Whatever YAML writes for text, lists and mappings is read back as written."""
    diagnostics = Diagnostics()
    tree = parse_yaml(_dump({"value": data}), "x.yaml", diagnostics)
    assert not diagnostics.items
    assert tree.data == {"value": data}


@FAST
@given(st.text(max_size=200))
def test_any_yaml_text_parses_or_reports(text):
    diagnostics = Diagnostics()
    tree = parse_yaml(text, "x.yaml", diagnostics)
    if diagnostics.errors:
        assert all(d.loc.path == "x.yaml" for d in diagnostics.errors)
    else:
        assert tree.data is None or isinstance(tree.data, str | list | dict)


LINE = st.text(
    st.characters(blacklist_characters="\r\n\x00", blacklist_categories=("Cs",)), max_size=20
)  # text read from a file: UTF-8 cannot hold lone surrogates


@FAST
@given(st.lists(LINE, max_size=5), st.lists(LINE, max_size=5))
def test_front_matter_split_keeps_every_line(front, body):
    assume(not any(line.rstrip() in ("---", "...") for line in front))
    text = decode_text("\n".join(["---", *front, "---", *body]).encode(), "p.md", Diagnostics())
    assume(text is not None and not text.startswith("\ufeff"))
    diagnostics = Diagnostics()
    yaml_text, rest, line = split_front_matter(text, "p.md", diagnostics)
    assert not diagnostics.items
    assert yaml_text == "\n".join(front) and rest == "\n".join(body)
    assert line == len(front) + 3  # the body's first line, counted in the file


# -- the date grammar --


@FAST
@given(st.text(max_size=40))
def test_any_date_text_is_a_date_or_a_date_error(text):
    for parse in (parse_date, parse_duration):
        try:
            parse(text)
        except DateError as error:
            assert error.message


@FAST
@given(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_absolute_dates_round_trip(day):
    assert parse_date(day.isoformat()).span.first == day
    month = parse_date(f"{day.year:04}-{day.month:02}").span
    assert month.first == day.replace(day=1) and month.first <= day <= month.last
    quarter = parse_date(f"{day.year:04}-Q{(day.month - 1) // 3 + 1}").span
    assert quarter.first <= day <= quarter.last
    year, week, _ = day.isocalendar()
    assume(1 <= year <= 9999 and (year, week) != (9999, 52))
    iso = parse_date(f"{year:04}-W{week:02}").span
    assert iso.first <= day <= iso.last and iso.days == 7


@FAST
@given(
    st.sampled_from(["day", "week", "month", "quarter"]),
    st.integers(1, 200),
    st.integers(0, 50),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)),
)
def test_relative_dates_round_trip(unit, first, extra, start):
    last = first + extra
    text = f"{unit}s {first}-{last}" if extra else f"{unit} {first}"
    expr = parse_date(text)
    assert (expr.unit, expr.first, expr.last, expr.text) == (unit, first, last, text)
    span = expr.resolve(start)
    if unit == "day":
        assert span.days == extra + 1
    if unit == "week":
        assert span.days == 7 * (extra + 1)
    assert span.first >= start
    assert parse_date(text.upper()).resolve(start) == span  # case does not matter


@FAST
@given(st.integers(0, 500), st.sampled_from(["d", "w", "m", "q"]))
def test_durations_round_trip(count, unit):
    duration = parse_duration(f"{count}{unit}")
    days, months = {"d": (1, 0), "w": (7, 0), "m": (0, 1), "q": (0, 3)}[unit]
    assert (duration.days, duration.months) == (count * days, count * months)


# -- the prose-task parser --

TITLE = (
    st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="()[];`"),
        min_size=1,
        max_size=30,
    )
    .map(lambda t: " ".join(t.split()))
    .filter(lambda t: t.strip(" \t.,;:-–—") == t and t and t[0] not in "#>*+-•◦▪‣0123456789")
)
VALUE = st.text(
    st.characters(whitelist_categories=("L", "N"), whitelist_characters=" -@"), min_size=1
).map(lambda t: " ".join(t.split()) or "x")
FIELDS = st.dictionaries(st.sampled_from(sorted(set(PROSE_KEYS.values()))), VALUE, max_size=4)


def _key(field: str) -> str:
    return {"due": "Deadline"}.get(field, field.capitalize())


@FAST
@given(st.lists(st.tuples(TITLE, FIELDS), min_size=1, max_size=5), st.text(max_size=40))
def test_prose_tasks_round_trip(tasks, noise):
    assume(all(not title.lower().startswith(("task", "step", "action")) for title, _ in tasks))
    lines = ["## Objective: Launch", ""]
    for title, fields in tasks:
        group = "; ".join(f"{_key(k)}: {v}" for k, v in fields.items()) or "Status: todo"
        lines.append(f"- {title} ({group})")
    body = "\n".join(lines) + "\n"
    found = extract_prose_tasks(body, 10)
    assert [task.title for task in found.tasks] == [title for title, _ in tasks]
    for task, (_, fields) in zip(found.tasks, tasks, strict=True):
        got = {name: value for name, value, _col in task.fields}
        assert got == (fields or {"status": "todo"})
        assert task.objective == "Launch" and 12 <= task.line < 12 + len(tasks)
    assert not found.problems
    # anything after the list is read without an exception
    extract_prose_tasks(body + noise, 10)
