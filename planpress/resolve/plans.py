"""Build a Plan from one source document: front matter fields plus prose tasks."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from planpress.diagnostics import Diagnostics, SourceLoc, did_you_mean, format_path
from planpress.load.files import SourceDoc
from planpress.load.prose import ProseTask, extract_prose_tasks
from planpress.load.yamltree import KeyPath, YamlTree
from planpress.resolve import parts
from planpress.resolve.fields import FieldReader
from planpress.resolve.ids import id_from_path, id_problem, slugify, unique_id
from planpress.resolve.model import (
    PLAN_STATUSES,
    TASK_STATUSES,
    ItemRef,
    Objective,
    Plan,
    Task,
)
from planpress.resolve.people import PartyIndex

SALES_KEYS = ("account", "opportunity", "objective", "influencers", "win_win", "competition")
PLAN_KEYS = (
    *("title", "id", "kind", "owner", "status", "start", "end", "goal", "supports"),
    *("department", "tags", "budget", "audience", "summary", "objectives", "tasks"),
    *("milestones", "kpis", "risks", "communication", "resources", "reviews"),
    *SALES_KEYS,
)
OBJECTIVE_KEYS = ("id", "title", "description", "tasks", "after")
TASK_KEYS = (
    *("id", "title", "responsible", "accountable", "consulted", "informed"),
    *("start", "due", "duration", "after", "status", "budget", "cost", "done", "notes"),
)


class PlanBuilder:
    """Reads one document's fields; `item_ids` holds the ids tasks, milestones, objectives share."""

    def __init__(self, doc: SourceDoc, parties: PartyIndex, diagnostics: Diagnostics) -> None:
        self.doc = doc
        self.reader = FieldReader(doc.front, doc.path, diagnostics)
        self.parties = parties
        self.diagnostics = diagnostics
        self.plan_id = ""
        self.item_ids: dict[str, SourceLoc] = {}
        self.derived: set[str] = set()
        self.reserved: set[str] = set()

    def party(self, keypath: KeyPath, value: Any) -> str | None:
        name = self.reader.text(keypath, value)
        return self.parties.resolve(name, self.reader.loc(keypath), keypath) if name else None

    def party_list(self, keypath: KeyPath, value: Any) -> tuple[str, ...]:
        """People and teams: a list, or one text naming several, separated by commas."""
        names = self.reader.strings(keypath, value, split_commas=True)
        return tuple(self.parties.resolve(n, self.reader.loc(keypath), keypath) for n in names)

    def refs(self, keypath: KeyPath, value: Any) -> tuple[ItemRef, ...]:
        """`after: [audit, other-plan#launch]` (or "audit, launch") as references."""
        result = []
        for text in self.reader.strings(keypath, value, split_commas=True):
            plan_id, _, item_id = text.rpartition("#")
            where = self.reader.loc(keypath)
            result.append(ItemRef(plan_id or self.plan_id, item_id, where, format_path(keypath)))
        return tuple(result)

    def item_id(self, keypath: KeyPath, value: Any, title: str) -> str:
        """The explicit id (checked, unique in the plan) or one derived from the title."""
        if value is not None:
            written = self.reader.text(keypath, value)
            problem = id_problem(written, allow_slash=False)
            if problem:
                self.reader.error(keypath, problem, f"for example: id: {slugify(written)}")
            elif written in self.item_ids:
                first = self.item_ids[written]
                self.reader.error(keypath, f"duplicate id '{written}' (first used at {first})")
            else:
                self.item_ids[written] = self.reader.loc(keypath)
                return written
        return self.derive_id(title)

    def reserve_written_ids(self, fields: dict) -> None:
        """Ids written anywhere in the plan, so a title-derived id never takes one of them."""
        lists = [fields.get("tasks"), fields.get("milestones"), fields.get("objectives")]
        objectives = fields.get("objectives")
        if isinstance(objectives, list):
            lists += [o.get("tasks") for o in objectives if isinstance(o, dict)]
        for items in lists:
            for item in items if isinstance(items, list) else ():
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    self.reserved.add(item["id"].strip())

    def derive_id(self, title: str) -> str:
        taken = set(self.item_ids) | self.derived | self.reserved
        derived = unique_id(slugify(title, max_length=40), taken)
        self.derived.add(derived)
        return derived


def build_plan(
    doc: SourceDoc,
    parties: PartyIndex,
    diagnostics: Diagnostics,
    kinds: tuple[str, ...],
    audiences: tuple[str, ...] = (),
) -> Plan | None:
    """The Plan a document describes, or None when it is too broken to name."""
    builder = PlanBuilder(doc, parties, diagnostics)
    reader = builder.reader
    if doc.front.data is None:
        return None
    fields = reader.mapping((), doc.front.data, PLAN_KEYS, "a plan's front matter")
    title = reader.text(("title",), fields.get("title"))
    if not title:
        if not isinstance(fields.get("title"), list | dict):  # else reported as not text
            diagnostics.error(
                SourceLoc(doc.path, 1),
                "the plan has no title",
                "add 'title: …' to the front matter",
            )
        return None
    builder.plan_id = _plan_id(reader, fields.get("id"), doc)
    builder.reserve_written_ids(fields)
    kind = reader.choice(("kind",), fields.get("kind"), kinds, "action-plan")
    _reject_misplaced_sales_keys(reader, fields, kind)
    objectives, loose_tasks = _objectives_and_tasks(builder, fields, kind)
    plan = Plan(
        id=builder.plan_id,
        title=title,
        kind=kind,
        owner=builder.party(("owner",), fields.get("owner")),
        status=reader.choice(("status",), fields.get("status"), PLAN_STATUSES, "active"),
        start=reader.date(("start",), fields.get("start")),
        end=reader.date(("end",), fields.get("end")),
        goal=parts.goal(reader, fields.get("goal")),
        supports=reader.strings(("supports",), fields.get("supports")),
        department=reader.text(("department",), fields.get("department")),
        tags=reader.strings(("tags",), fields.get("tags")),
        budget=reader.number(("budget",), fields.get("budget")),
        audience=_audience(reader, fields.get("audience"), audiences),
        objectives=objectives,
        tasks=loose_tasks,
        milestones=parts.milestones(builder, fields.get("milestones")),
        kpis=parts.kpis(reader, fields.get("kpis")),
        risks=parts.risks(builder, fields.get("risks")),
        communication=parts.communication(builder, fields.get("communication")),
        resources=parts.resources(builder, fields.get("resources")),
        reviews=parts.reviews(builder, fields.get("reviews")),
        sales=parts.sales(reader, fields) if kind == "sales-plan" else None,
        summary=reader.text(("summary",), fields.get("summary")),
        body=doc.body,
        body_line=doc.body_line,
        section=doc.section,
        source=doc.path,
        loc=SourceLoc(doc.path, 1),
        extra=_extra(fields),
    )
    _check_relative_dates(reader, plan)
    return plan


def _check_relative_dates(reader: FieldReader, plan: Plan) -> None:
    """Relative dates count from the plan's start, which must be a calendar date."""
    if plan.start is not None and plan.start.is_relative:
        reader.error(("start",), f"a plan's start must be a calendar date, got '{plan.start.text}'")
        return
    if plan.start is not None:
        return
    for loc, field_name in reader.relative_dates:
        reader.diagnostics.error(
            loc,
            f"{field_name}: a relative date needs the plan's start date",
            "add 'start: YYYY-MM-DD' to the front matter, or write a calendar date",
        )


def _plan_id(reader: FieldReader, value: Any, doc: SourceDoc) -> str:
    """The written id, or one derived from the path under the content folder."""
    name = doc.path.rsplit("/", 1)[-1]
    derived = id_from_path(f"{doc.section}/{name}" if doc.section else name)
    if value is None:
        return derived
    written = reader.text(("id",), value)
    problem = id_problem(written, allow_slash=True)
    if problem:
        reader.error(("id",), problem, f"for example: id: {slugify(written)}")
        return derived
    return written


def _audience(reader: FieldReader, value: Any, audiences: tuple[str, ...]) -> tuple[str, ...]:
    """Who may see the plan; a name planpress.yaml does not declare would hide it everywhere."""
    names = reader.strings(("audience",), value)
    for name in names:
        if name not in audiences:
            declared = ", ".join(audiences) or "none"
            hint = did_you_mean(name, audiences) or f"declared audiences: {declared}"
            reader.error(
                ("audience",),
                f"audience '{name}' is not declared in planpress.yaml",
                hint + " (list it under 'audiences:' in planpress.yaml)",
            )
    return names


def _reject_misplaced_sales_keys(reader: FieldReader, fields: dict, kind: str) -> None:
    if kind == "sales-plan":
        return
    for key in SALES_KEYS:
        if key in fields:
            reader.error((key,), f"'{key}' belongs to sales plans", "add 'kind: sales-plan'")


def _objectives_and_tasks(
    builder: PlanBuilder, fields: dict, kind: str
) -> tuple[tuple[Objective, ...], tuple[Task, ...]]:
    """Front-matter objectives and tasks merged with those written in the prose."""
    objectives: list[Objective] = []
    for keypath, raw in builder.reader.items(("objectives",), fields.get("objectives")):
        objectives.append(_objective(builder, keypath, raw))
    loose = [
        _task(builder, keypath, raw, None)
        for keypath, raw in builder.reader.items(("tasks",), fields.get("tasks"))
    ]
    _merge_prose(builder, objectives, loose)
    if kind == "sales-plan":
        objectives = _chain(builder.plan_id, objectives)
    return tuple(objectives), tuple(t for t in loose if t is not None)


def _objective(builder: PlanBuilder, keypath: KeyPath, raw: Any) -> Objective:
    reader = builder.reader
    fields = reader.mapping(keypath, raw, OBJECTIVE_KEYS, "an objective")
    title = reader.text((*keypath, "title"), fields.get("title"), required=True) or "Objective"
    objective_id = builder.item_id((*keypath, "id"), fields.get("id"), title)
    tasks = [
        _task(builder, task_path, task_raw, objective_id)
        for task_path, task_raw in reader.items((*keypath, "tasks"), fields.get("tasks"))
    ]
    return Objective(
        id=objective_id,
        title=title,
        description=reader.text((*keypath, "description"), fields.get("description")),
        tasks=tuple(t for t in tasks if t is not None),
        after=builder.refs((*keypath, "after"), fields.get("after")),
        loc=reader.loc(keypath),
    )


def _task(
    builder: PlanBuilder, keypath: KeyPath, raw: Any, objective_id: str | None, prose: bool = False
) -> Task | None:
    reader = builder.reader
    if isinstance(raw, str) and not prose:  # `- Write the brief` is a task with just a title
        raw = {"title": raw}
    fields = reader.mapping(keypath, raw, TASK_KEYS, "a task")
    title = reader.text((*keypath, "title"), fields.get("title"), required=True)
    if not title:
        return None
    task = Task(
        id=builder.item_id((*keypath, "id"), fields.get("id"), title),
        title=title,
        objective_id=objective_id,
        responsible=builder.party_list((*keypath, "responsible"), fields.get("responsible")),
        accountable=_accountable(builder, (*keypath, "accountable"), fields.get("accountable")),
        consulted=builder.party_list((*keypath, "consulted"), fields.get("consulted")),
        informed=builder.party_list((*keypath, "informed"), fields.get("informed")),
        start=reader.date((*keypath, "start"), fields.get("start")),
        due=reader.date((*keypath, "due"), fields.get("due")),
        duration=reader.duration((*keypath, "duration"), fields.get("duration")),
        after=builder.refs((*keypath, "after"), fields.get("after")),
        status=reader.choice((*keypath, "status"), fields.get("status"), TASK_STATUSES, "todo"),
        budget=reader.number((*keypath, "budget"), fields.get("budget")),
        cost=reader.number((*keypath, "cost"), fields.get("cost")),
        done=reader.day((*keypath, "done"), fields.get("done")),
        notes=reader.text((*keypath, "notes"), fields.get("notes")),
        from_prose=prose,
        loc=reader.loc(keypath),
        extra=_extra(fields),
    )
    _warn_incomplete(reader, keypath, task, fields)
    return task


def _warn_incomplete(reader: FieldReader, keypath: KeyPath, task: Task, fields: dict) -> None:
    """Each task needs somebody responsible and a deadline (a due date, duration or 'ongoing')."""
    if task.status == "cancelled":
        return
    where = format_path(keypath) + ": " if keypath else ""
    if fields.get("responsible") is None:
        reader.diagnostics.warning(
            task.loc,
            f"{where}task '{task.title}' has no responsible party",
            "add 'responsible: …' (a person or team)",
        )
    if fields.get("due") is None and fields.get("duration") is None:
        reader.diagnostics.warning(
            task.loc,
            f"{where}task '{task.title}' has no deadline",
            "add 'due: …' (a date, 'week 3', or 'ongoing'), or 'after:' with 'duration:'",
        )


def _accountable(builder: PlanBuilder, keypath: KeyPath, value: Any) -> str | None:
    names = builder.party_list(keypath, value)
    if len(names) > 1:
        builder.reader.error(
            keypath,
            f"a task has at most one accountable party, got {len(names)}",
            "keep one; list the others under 'consulted' or 'responsible'",
        )
    return names[0] if names else None


def _merge_prose(builder: PlanBuilder, objectives: list[Objective], loose: list) -> None:
    """Objectives and tasks from the body join the front matter's, matched by title."""
    found = extract_prose_tasks(builder.doc.body, builder.doc.body_line)
    for problem in found.problems:
        builder.diagnostics.error(
            SourceLoc(builder.doc.path, problem.line, problem.col), problem.message, problem.hint
        )
    by_title = {o.title.casefold(): index for index, o in enumerate(objectives)}
    for prose_objective in found.objectives:
        if prose_objective.title.casefold() not in by_title:
            loc = SourceLoc(builder.doc.path, prose_objective.line)
            objective_id = builder.derive_id(prose_objective.title)
            objectives.append(Objective(objective_id, prose_objective.title, "", (), (), loc))
            by_title[prose_objective.title.casefold()] = len(objectives) - 1
    for prose_task in found.tasks:
        task = _prose_task(builder, prose_task, objectives, by_title)
        if task is None:
            continue
        if task.objective_id is None:
            loose.append(task)
            continue
        index = by_title[prose_task.objective.casefold()]
        objective = objectives[index]
        objectives[index] = replace(objective, tasks=(*objective.tasks, task))


def _prose_task(
    builder: PlanBuilder, found: ProseTask, objectives: list[Objective], by_title: dict
) -> Task | None:
    """Run a prose task through the same field checks as front matter, at its own line."""
    raw: dict[str, Any] = {"title": found.title}
    tree = YamlTree(raw, value_pos={(): (found.line, 1), ("title",): (found.line, 1)})
    for name, value, col in found.fields:
        raw[name] = value
        tree.value_pos[(name,)] = (found.line, col)
    if found.checked is not None and "status" not in raw:
        raw["status"] = "done" if found.checked else "todo"
    objective_id = None
    if found.objective is not None:
        objective_id = objectives[by_title[found.objective.casefold()]].id
    saved = builder.reader
    builder.reader = FieldReader(tree, builder.doc.path, builder.diagnostics)
    builder.reader.relative_dates = saved.relative_dates
    try:
        return _task(builder, (), raw, objective_id, prose=True)
    finally:
        builder.reader = saved


def _chain(plan_id: str, objectives: list[Objective]) -> list[Objective]:
    """In a sales plan each objective builds on the one before, unless `after` says otherwise."""
    chained = []
    for index, objective in enumerate(objectives):
        if index and not objective.after:
            previous = ItemRef(plan_id, objectives[index - 1].id, objective.loc)
            objective = replace(objective, after=(previous,))
        chained.append(objective)
    return chained


def _extra(fields: dict) -> dict:
    extra = fields.get("extra")
    return extra if isinstance(extra, dict) else {}
