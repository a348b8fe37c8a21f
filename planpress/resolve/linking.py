"""Linking a site: the checks across plans, and the reverse indexes pages need.

A process that builds again and again (`watch`) passes a LinkMemo from one build to the
next. The document cache hands out the same Plan object while its file is unchanged, so
what depends on a plan alone (its item ids, its dependencies, the references its prose
writes, its assignments) is kept per plan object; what depends on other plans (whether a
reference resolves, who is referenced by whom) is worked out again each build from those,
which is cheap. Each party's assignments are regrouped only for the parties of changed
plans.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from dataclasses import dataclass, field

from planpress.diagnostics import Diagnostics
from planpress.resolve.model import Assignment, ItemRef, Plan, Site
from planpress.resolve.references import (
    ProseMark,
    ReferenceLookup,
    check_dependencies,
    check_supports,
    dependency_refs,
    find_references,
    item_ids,
    scan_prose,
)


@dataclass(slots=True)
class PlanLinks:
    """What linking needs of one plan that depends on that plan alone."""

    plan: Plan
    ids: dict[str, str]  # item_ids
    refs: list[ItemRef]  # dependency_refs
    marks: tuple[ProseMark, ...]  # scan_prose
    assignments: tuple[Assignment, ...]  # plan_assignments
    names: frozenset[str]  # plan_names


@dataclass(slots=True)
class LinkMemo:
    """What one build's linking leaves for the next build of the same process."""

    plans: dict[int, PlanLinks] = field(default_factory=dict)  # by id() of the plan
    by_plan: dict[str, tuple[Assignment, ...]] = field(default_factory=dict)
    by_party: dict[str, tuple[Assignment, ...]] = field(default_factory=dict)
    # party -> plan id -> the party's assignments in that plan
    slices: dict[str, dict[str, tuple[Assignment, ...]]] = field(default_factory=dict)

    def of(self, plan: Plan) -> PlanLinks:
        found = self.plans.get(id(plan))
        if found is None or found.plan is not plan:
            found = PlanLinks(
                plan,
                item_ids(plan),
                dependency_refs(plan),
                scan_prose(plan),
                plan_assignments(plan),
                plan_names(plan),
            )
            self.plans[id(plan)] = found
        return found

    def ids(self, plan: Plan) -> dict[str, str]:
        return self.of(plan).ids

    def refs(self, plan: Plan) -> list[ItemRef]:
        return self.of(plan).refs

    def keep_only(self, plans: dict[str, Plan]) -> None:
        """Forget the plan objects this build did not use."""
        self.plans = {id(plan): self.of(plan) for plan in plans.values()}


def link_site(site: Site, diagnostics: Diagnostics, memo: LinkMemo | None = None) -> None:
    """Fill the reverse indexes of a site whose plans are loaded; `memo`: see above."""
    memo = memo if memo is not None else LinkMemo()
    memo.keep_only(site.plans)
    site.supported_by = check_supports(site.plans, diagnostics, site.hidden)
    check_dependencies(site.plans, diagnostics, site.hidden, memo.ids, memo.refs)
    referenced_by: dict[str, set[str]] = defaultdict(set)
    lookup = ReferenceLookup(site.plans, site.parties, site.hidden_sources, memo.ids)
    for plan in site.plans.values():
        links = memo.of(plan)
        references = find_references(
            plan, site.plans, site.parties, diagnostics, site.hidden, lookup, links.marks
        )
        site.references[plan.id] = references
        for ref in references:
            if ref.target_plan and ref.target_plan != plan.id:
                referenced_by[ref.target_plan].add(plan.id)
        for ref in links.refs:
            if ref.plan_id != plan.id and ref.plan_id in site.plans:
                referenced_by[ref.plan_id].add(plan.id)
    site.referenced_by = {k: tuple(sorted(v)) for k, v in sorted(referenced_by.items())}
    by_plan = {plan_id: memo.of(plan).assignments for plan_id, plan in site.plans.items()}
    site.assignments_by_plan = {plan_id: found for plan_id, found in by_plan.items() if found}
    site.assignments = _by_party(site.assignments_by_plan, memo)


def _by_party(
    by_plan: dict[str, tuple[Assignment, ...]], memo: LinkMemo
) -> dict[str, tuple[Assignment, ...]]:
    """Each party's assignments: the plans' (each sorted) in plan id order. Regrouped only
    for the parties of plans whose assignments are not the last build's."""
    old = memo.by_plan
    changed = [
        pid
        for pid in by_plan.keys() | old.keys()
        if (now := by_plan.get(pid)) is not (then := old.get(pid)) and now != then
    ]  # a plan whose prose changed has new, equal assignments: it changes no one's
    if not memo.by_party or len(changed) * 4 > len(by_plan):
        memo.by_plan, memo.by_party, memo.slices = by_plan, *_group(by_plan)
        return memo.by_party
    slices = memo.slices
    touched: set[str] = set()
    for plan_id in changed:
        before = {a.party for a in old.get(plan_id, ())}
        mine: dict[str, list[Assignment]] = defaultdict(list)
        for assignment in by_plan.get(plan_id, ()):
            mine[assignment.party].append(assignment)
        for party in before - mine.keys():
            slices[party].pop(plan_id, None)
        for party, found in mine.items():
            slices.setdefault(party, {})[plan_id] = tuple(found)
        touched |= before | mine.keys()
    grouped = dict(memo.by_party)
    for party in touched:
        parts = slices.get(party, {})
        if parts:
            grouped[party] = tuple(a for pid in sorted(parts) for a in parts[pid])
        else:
            grouped.pop(party, None)
            slices.pop(party, None)
    memo.by_plan, memo.by_party = by_plan, dict(sorted(grouped.items()))
    return memo.by_party


def _group(
    by_plan: dict[str, tuple[Assignment, ...]],
) -> tuple[dict[str, tuple[Assignment, ...]], dict[str, dict[str, tuple[Assignment, ...]]]]:
    """Each party's assignments, and its slices: plan id -> its assignments in that plan."""
    found: dict[str, list[Assignment]] = defaultdict(list)
    slices: dict[str, dict[str, list[Assignment]]] = defaultdict(lambda: defaultdict(list))
    for plan_id in sorted(by_plan):
        for assignment in by_plan[plan_id]:
            found[assignment.party].append(assignment)
            slices[assignment.party][plan_id].append(assignment)
    by_party = {key: tuple(value) for key, value in sorted(found.items())}
    kept = {party: {pid: tuple(v) for pid, v in mine.items()} for party, mine in slices.items()}
    return by_party, kept


def plan_names(plan: Plan) -> frozenset[str]:
    """Every person or team key the plan names, in any field that takes a name."""
    keys: set[str | None] = {plan.owner}
    for task in plan.all_tasks():
        keys |= {*task.responsible, task.accountable, *task.consulted, *task.informed}
    keys |= {m.owner for m in plan.milestones} | {r.owner for r in plan.risks}
    keys |= {c.owner for c in plan.communication} | {r.owner for r in plan.resources}
    keys |= {key for review in plan.reviews for key in review.attendees}
    keys.discard(None)
    return frozenset(keys)  # type: ignore[arg-type]


def plan_assignments(plan: Plan) -> tuple[Assignment, ...]:
    """What the people and teams of one plan are responsible for, in _assignment_order."""
    found: list[Assignment] = []
    if plan.owner:
        found.append(Assignment(plan.owner, plan.id, "", "plan", "owner"))
    for task in plan.all_tasks():
        roles = [(key, "R") for key in task.responsible]
        roles += [(task.accountable, "A")] if task.accountable else []
        roles += [(key, "C") for key in task.consulted] + [(key, "I") for key in task.informed]
        found += [Assignment(key, plan.id, task.id, "task", letter) for key, letter in roles]
    for milestone in plan.milestones:
        if milestone.owner:
            found.append(Assignment(milestone.owner, plan.id, milestone.id, "milestone", "R"))
    for index, risk in enumerate(plan.risks):
        if risk.owner:
            found.append(Assignment(risk.owner, plan.id, f"risk-{index + 1}", "risk", "owner"))
    for review in plan.reviews:
        found += [
            Assignment(key, plan.id, review.date.text, "review", "attendee")
            for key in review.attendees
        ]
    return tuple(sorted(set(found), key=_assignment_order))


# plan, then kind, item, role and party (attrgetter: tens of thousands of sort keys)
_assignment_order = operator.attrgetter("plan_id", "item_kind", "item_id", "role", "party")
