"""A small random site that tests edit step by step, and helpers to compare build outputs."""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planpress.diagnostics import BuildFailed
from planpress.pipeline import BuildCache, BuildOptions, build

SECTIONS = ("", "sales", "ops", "ops/north")
STATUSES = ("active", "active", "active", "done", "on-hold", "proposed", "draft")
WORDS = ("plan", "goal", "customer", "market", "revenue", "budget", "launch", "review", "risk")


def record_calls(
    monkeypatch: Any,
    owner: object,
    name: str,
    noted: Callable[..., Any],
    into: list | None = None,
) -> list:
    """owner.name replaced for the test by a wrapper that appends noted(*args) to the list
    returned (`into`, when given) and calls the real one."""
    calls = into if into is not None else []
    real = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.append(noted(*args))
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, wrapper)
    return calls


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def assert_same_tree(got: Path, want: Path) -> None:
    a, b = files_of(got), files_of(want)
    assert sorted(a) == sorted(b), (
        f"only in incremental: {sorted(set(a) - set(b))[:5]}, "
        f"only in full: {sorted(set(b) - set(a))[:5]}"
    )
    different = [name for name in a if a[name] != b[name]]
    assert not different, f"files that differ: {different[:10]}"


def full_build(site: Path, out: Path, options: BuildOptions | None = None) -> object:
    """A clean build without cache into a fresh folder: the reference."""
    shutil.rmtree(out, ignore_errors=True)
    try:
        return build(site, out, options or BuildOptions(), jobs=1)
    except BuildFailed as failure:
        return sorted(d.format() for d in failure.diagnostics)


def cached_build(site: Path, out: Path, cache: BuildCache, jobs: int = 1):
    try:
        return build(site, out, BuildOptions(), cache=cache, jobs=jobs)
    except BuildFailed as failure:
        return sorted(d.format() for d in failure.diagnostics)


@dataclass
class TaskSpec:
    id: str
    title: str
    responsible: str
    due: str
    after: list[str] = field(default_factory=list)


@dataclass
class PlanSpec:
    file: str  # relative to content/
    id: str
    title: str
    status: str = "active"
    owner: str = "ann"
    supports: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    tasks: list[TaskSpec] = field(default_factory=list)
    milestones: list[tuple[str, str, str]] = field(default_factory=list)  # id, name, due
    body: list[str] = field(default_factory=list)

    def text(self) -> str:
        lines = ["---", f"title: {self.title}", f"id: {self.id}", f"owner: {self.owner}"]
        lines += [f"status: {self.status}", "start: 2024-06-03"]
        if self.supports:
            lines.append(f"supports: [{', '.join(self.supports)}]")
        if self.tags:
            lines.append(f"tags: [{', '.join(self.tags)}]")
        if self.tasks:
            lines.append("tasks:")
            for task in self.tasks:
                lines += [f"  - id: {task.id}", f"    title: {task.title}"]
                lines += [f"    responsible: {task.responsible}", f"    due: {task.due}"]
                if task.after:
                    lines.append(f"    after: [{', '.join(task.after)}]")
        if self.milestones:
            lines.append("milestones:")
            for mid, name, due in self.milestones:
                lines += [f"  - id: {mid}", f"    name: {name}", f"    due: {due}"]
        lines.append("---")
        return "\n".join(lines + self.body) + "\n"


class RandomSite:
    """A site on disk that random steps edit; every step is a plausible author's edit."""

    def __init__(self, root: Path, seed: int, plans: int = 8, page_size: int = 100) -> None:
        self.root = root
        self.rng = random.Random(seed)
        self.people: dict[str, tuple[str, str | None]] = {
            "ann": ("Ann Lee", "core"),
            "bob": ("Bob Stone", "core"),
            "cy": ("Cy Park", None),
            "dee": ("Dee Moss", "field"),
        }
        self.teams = {"core": "Core Team", "field": "Field Team"}
        self.plans: dict[str, PlanSpec] = {}
        self.counter = 0
        (root / "content").mkdir(parents=True, exist_ok=True)
        config = f"title: Random plans\ntoday: 2024-07-15\npage_size: {page_size}\n"
        (root / "planpress.yaml").write_text(config)
        for _ in range(plans):
            self.create_plan()
        self.write_people()

    # --- writing ----------------------------------------------------------------------------

    def write_people(self) -> None:
        lines = ["people:"]
        for key, (name, team) in sorted(self.people.items()):
            team_part = f", team: {team}" if team else ""
            lines.append(f"  {key}: {{name: {name}{team_part}}}")
        lines.append("teams:")
        for key, name in sorted(self.teams.items()):
            lines.append(f"  {key}: {{name: {name}}}")
        (self.root / "content" / "people.yaml").write_text("\n".join(lines) + "\n")

    def write(self, plan: PlanSpec) -> None:
        path = self.root / "content" / plan.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(plan.text())

    def remove_file(self, plan: PlanSpec) -> None:
        (self.root / "content" / plan.file).unlink()

    # --- pieces -----------------------------------------------------------------------------

    def words(self, n: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(n))

    def someone(self) -> str:
        pool = [*self.people, *self.teams]
        if self.rng.random() < 0.15:
            return self.rng.choice(["Zed Unknown", "zed unknown", "Quinn Nobody", "Ann-Lee"])
        return self.rng.choice(pool)

    def other(self, plan: PlanSpec) -> PlanSpec | None:
        others = [p for p in self.plans.values() if p.id != plan.id]
        return self.rng.choice(others) if others else None

    def body(self, plan: PlanSpec) -> list[str]:
        lines = ["", f"## About {plan.title}", "", self.words(12).capitalize() + "."]
        other = self.other(plan)
        if other is not None and self.rng.random() < 0.6:
            target = other.id
            if other.tasks and self.rng.random() < 0.5:
                target += "#" + other.tasks[0].id
            lines += ["", f"See [[{target}]] and ask @{self.rng.choice(list(self.people))}."]
        if self.rng.random() < 0.5:
            lines += ["", "## Objective: Follow up", ""]
            who = self.someone()
            lines.append(f"- Task 1: Call {self.words(2)} (Responsible: {who}; Due: week 3)")
        return lines

    # --- steps ------------------------------------------------------------------------------

    def create_plan(self) -> PlanSpec:
        self.counter += 1
        number = self.counter
        section = self.rng.choice(SECTIONS)
        file = f"{section}/p{number}.md" if section else f"p{number}.md"
        plan = PlanSpec(file, f"plan-{number}", f"Plan {number} {self.words(2)}")
        plan.status = self.rng.choice(STATUSES[:4])
        plan.owner = self.someone()
        plan.tags = self.rng.sample(["alpha", "beta", "gamma"], self.rng.randint(0, 2))
        for t in range(self.rng.randint(1, 3)):
            plan.tasks.append(
                TaskSpec(f"t{t}", f"Task {t} {self.words(2)}", self.someone(), f"week {t + 2}")
            )
        if self.rng.random() < 0.6:
            plan.milestones.append(("m1", f"Milestone of plan {number}", "2024-07-20"))
        other = self.other(plan)
        if other is not None and self.rng.random() < 0.5:
            plan.supports = [other.id]
        plan.body = self.body(plan)
        self.plans[plan.id] = plan
        self.write(plan)
        return plan

    def step(self) -> str:
        """One random edit; returns what it did."""
        rng = self.rng
        plans = list(self.plans.values())
        plan = rng.choice(plans) if plans else self.create_plan()
        action = rng.choice(
            [
                "body",
                "body",
                "title",
                "status",
                "task",
                "untask",
                "create",
                "delete",
                "rename",
                "people",
                "depend",
                "supports",
                "milestone",
                "nothing",
            ]
        )
        if action == "body":
            plan.body = self.body(plan) if rng.random() < 0.5 else [*plan.body, "", self.words(8)]
            if rng.random() < 0.3:
                plan.body = ["", "Inserted first line.", *plan.body]  # moves prose task lines
        elif action == "title":
            plan.title = f"Plan {plan.id[5:]} {self.words(2)}"
        elif action == "status":
            plan.status = rng.choice(STATUSES)
        elif action == "task":
            number = len(plan.tasks)
            plan.tasks.append(
                TaskSpec(f"n{number}", f"New task {self.words(2)}", self.someone(), "week 5")
            )
        elif action == "untask" and plan.tasks:
            gone = plan.tasks.pop(rng.randrange(len(plan.tasks)))
            self._drop_refs(f"{plan.id}#{gone.id}")
        elif action == "create":
            self.create_plan()
            return action
        elif action == "delete" and len(plans) > 2:
            self.remove_file(plan)
            del self.plans[plan.id]
            self._drop_refs(plan.id)
            return f"delete {plan.id}"
        elif action == "rename":
            self.remove_file(plan)
            section = rng.choice(SECTIONS)
            name = plan.file.rsplit("/", 1)[-1]
            plan.file = f"{section}/{name}" if section else name
        elif action == "people":
            self._edit_people()
            return "people"
        elif action == "depend":
            other = self.other(plan)
            if other is not None and other.tasks and plan.tasks:
                plan.tasks[0].after = [f"{other.id}#{other.tasks[-1].id}"]
                self.write(other)
        elif action == "supports":
            other = self.other(plan)
            plan.supports = [other.id] if other is not None and rng.random() < 0.7 else []
        elif action == "milestone":
            day = rng.choice(["2024-07-01", "2024-07-20", "2024-08-30"])
            plan.milestones = [("m1", f"Milestone {self.words(1)}", day)]
        elif action == "nothing":
            return action
        self.write(plan)
        return f"{action} {plan.id}"

    def _edit_people(self) -> None:
        rng = self.rng
        choice = rng.random()
        if choice < 0.4:
            self.counter += 1
            team = rng.choice(["core", None])
            self.people[f"px{self.counter}"] = (f"Person {self.counter}", team)
        elif choice < 0.7 and len(self.people) > 3:
            key = rng.choice([k for k in self.people if k != "ann"])
            del self.people[key]
        else:
            key = rng.choice(list(self.people))
            name, team = self.people[key]
            self.people[key] = (f"{name.split()[0]} {self.words(1).capitalize()}", team)
        self.write_people()

    def _drop_refs(self, target: str) -> None:
        """Dependencies on a removed plan or task go too (a dangling one is an error)."""
        for plan in self.plans.values():
            changed = False
            for task in plan.tasks:
                kept = [r for r in task.after if r != target and not r.startswith(target + "#")]
                if kept != task.after:
                    task.after, changed = kept, True
            if changed:
                self.write(plan)
