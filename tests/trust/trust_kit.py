"""Helpers for the trust tests: running the CLI as users do, snapshots, output scanning."""

from __future__ import annotations

import contextlib
import html
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"
REPO = HERE.parent.parent


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 120):
    """`python -m planpress ARGS` in a fresh process, as a user runs it."""
    environment = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "planpress", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        timeout=timeout,
    )


def run_main(*args: str) -> subprocess.CompletedProcess:
    """planpress.cli.main(ARGS) in this process, its output captured: fast, same code path."""
    from planpress import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return subprocess.CompletedProcess(["planpress", *args], code, out.getvalue(), err.getvalue())


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write {relative path: text or bytes} under root (text exactly as given)."""
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8", newline="")
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder: {relative path: bytes}."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def decoded_forms(text: str) -> list[str]:
    """text as written, HTML-entity-decoded, JSON-unescaped and URL-decoded (also combined)."""
    forms = [text]
    entity = html.unescape(text)
    forms.append(entity)
    for source in (text, entity):
        forms.append(_json_unescaped(source))
        forms.append(unquote(source))
        forms.append(unquote(_json_unescaped(source)))
    return forms


_JSON_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|[\"\\/bfnrt])")


def _json_unescaped(text: str) -> str:
    def one(match: re.Match) -> str:
        try:
            return json.loads(f'"{match.group(0)}"')
        except ValueError:
            return match.group(0)

    return _JSON_ESCAPE.sub(one, text)


def fm(front: str, body: str = "") -> str:
    """A plan file: front matter between '---' lines, then the body."""
    return f"---\n{front.strip(chr(10))}\n---\n{body}"


def q(text: str) -> str:
    """A YAML scalar holding exactly text (JSON strings are YAML double-quoted scalars)."""
    return json.dumps(text, ensure_ascii=False)


def every_field_plan(
    value, plan_id: str, *, owner: str, person: str, extra: str = "", ids: str = ""
) -> str:
    """A sales plan with value(field) in every field that holds text, and prose using them.

    `owner` and `person` name people (written as given); item ids are `ids` + o1, t1, m1...
    """
    v = lambda field: q(value(field))  # noqa: E731
    front = f"""
title: {v("title")}
id: {plan_id}
kind: sales-plan
owner: {q(owner)}
start: 2024-07-01
end: 2024-12-31
summary: {v("summary")}
department: {v("department")}
tags: [{v("tag")}, {v("tag-two")}]
budget: 9000
goal: {{statement: {v("goal")}, metric: {ids}k1, baseline: 1, target: 2, unit: {v("goal-unit")}}}
objectives:
  - id: {ids}o1
    title: {v("objective")}
    description: {v("objective-description")}
    tasks:
      - id: {ids}t1
        title: {v("task")}
        responsible: [{q(person)}, {v("task-responsible")}]
        accountable: {v("task-accountable")}
        consulted: [{v("task-consulted")}]
        informed: [{v("task-informed")}]
        due: week 2
        status: doing
        budget: 100
        cost: 150
        notes: {v("task-notes")}
        extra: {{note: {v("task-extra")}}}
      - id: {ids}t2
        title: {v("task-two")}
        responsible: {q(person)}
        after: [{ids}t1]
        duration: 1w
tasks:
  - {v("loose-task")}
milestones:
  - id: {ids}m1
    name: {v("milestone")}
    due: 2024-08-15
    end: 2024-08-16
    budget: 500
    cost: 700
    owner: {v("milestone-owner")}
    department: {v("milestone-department")}
    category: {v("milestone-category")}
    description: {v("milestone-description")}
    benefits:
      - metric: {v("benefit-metric")}
        target: {v("benefit-target")}
        actual: 3
        unit: {v("benefit-unit")}
      - {{metric: {ids}k1, target: 5, actual: 6, unit: {v("benefit-unit-two")}}}
    after: [{ids}t1]
kpis:
  - id: {ids}k1
    name: {v("kpi")}
    unit: {v("kpi-unit")}
    baseline: 1
    target: 9
    direction: up
    actuals: {{2024-07: 3, 2024-08: 5}}
risks:
  - risk: {v("risk")}
    likelihood: high
    impact: high
    trigger: {v("risk-trigger")}
    response: {v("risk-response")}
    owner: {v("risk-owner")}
communication:
  - audience: {v("comm-audience")}
    what: {v("comm-what")}
    channel: {v("comm-channel")}
    frequency: {v("comm-frequency")}
    owner: {v("comm-owner")}
resources:
  - {{item: {v("resource")}, amount: {v("resource-amount")}, owner: {v("resource-owner")}}}
reviews:
  - date: 2024-07-20
    attendees: [{q(person)}, {v("review-attendee")}]
    notes: {v("review-notes")}
    decisions: [{v("review-decision")}]
account: {v("account")}
opportunity:
  name: {v("opportunity")}
  value: 1000
  stage: {v("opportunity-stage")}
  close_by: 2024-10-01
objective:
  statement: {v("sso")}
  who: {v("sso-who")}
  where: {v("sso-where")}
  when: {v("sso-when")}
  information: {v("sso-information")}
  how: {v("sso-how")}
  outcome: {v("sso-outcome")}
influencers:
  - {{name: {v("influencer")}, role: coach, response: growth, notes: {v("influencer-notes")}}}
win_win: {v("win-win")}
competition:
  - name: {v("competitor")}
    alternative: {v("competitor-alternative")}
    differentiator: {v("competitor-differentiator")}
extra: {{plan-note: {v("plan-extra")}}}
{extra}"""

    def field_text(field: str) -> str:  # inside "(Key: value; ...)": no ';' or parentheses
        return value(field).translate(str.maketrans(";()", ",[]"))

    body = f"""
{value("prose")}

## Objective: {value("prose-objective")}

- Task 1: {field_text("prose-task")} (Responsible: {field_text("prose-who")}; Deadline: week 3)
- [ ] {value("prose-checkbox")}

A table:

| {value("table-head")} |
| --- |
| {value("table-cell")} |

> {value("quote")}

`{value("code-span")}`

```
{value("code-block")}
```
"""
    return fm(front, body)
