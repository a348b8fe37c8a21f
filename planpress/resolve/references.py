"""Cross-plan checks and reverse links: ids, dependencies, supports, prose references."""

from __future__ import annotations

import operator
import posixpath
import re
from collections import defaultdict

from planpress.diagnostics import Diagnostics, SourceLoc, did_you_mean
from planpress.resolve.model import Assignment, ItemRef, Plan, Reference, Site

WIKI_LINK = re.compile(r"\[\[([^\[\]|#]+)(?:#([^\[\]|]+))?(?:\|([^\[\]]+))?\]\]")
MENTION = re.compile(r"(?<![\w.@/])@([A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9]|[A-Za-z0-9])")
# "(" is excluded too, so a run of "[a](" without ")" is read in linear time
MD_LINK = re.compile(r"\]\(([^()\s#]+\.md)(#[^)\s]*)?\)")
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:|/", re.IGNORECASE)
_MARKS = ("[[", "@", "](")  # what WIKI_LINK, MENTION and MD_LINK each need to match
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BACKTICKS = re.compile(r"`+")


def item_ids(plan: Plan) -> dict[str, str]:
    """Every id an `after` or `[[plan#id]]` can name, with what it is."""
    ids = {o.id: "objective" for o in plan.objectives}
    ids.update({t.id: "task" for t in plan.all_tasks()})
    ids.update({m.id: "milestone" for m in plan.milestones})
    return ids


def check_dependencies(
    plans: dict[str, Plan], diagnostics: Diagnostics, hidden: frozenset[str] = frozenset()
) -> None:
    """Every `after` names an existing item; the plan part may name another plan.

    Plans hidden from this build are not checked against: `planpress check` sees them all.
    """
    ids = {plan_id: item_ids(plan) for plan_id, plan in plans.items()}
    for plan in plans.values():
        for ref in dependency_refs(plan):
            if ref.plan_id in hidden:
                continue
            if ref.plan_id not in plans:
                hint = did_you_mean(ref.plan_id, plans)
                diagnostics.error(
                    ref.loc, f"{ref.field}: unknown plan '{ref.plan_id}' in '{ref}'", hint
                )
            elif ref.item_id not in ids[ref.plan_id]:
                where = "" if ref.plan_id == plan.id else f" in plan '{ref.plan_id}'"
                hint = did_you_mean(ref.item_id, ids[ref.plan_id]) or (
                    "name a task, milestone or objective id; ids derived from titles "
                    "are listed in plans.json"
                )
                diagnostics.error(
                    ref.loc, f"after: no task or milestone '{ref.item_id}'{where}", hint
                )


def dependency_refs(plan: Plan) -> list[ItemRef]:
    refs = [ref for objective in plan.objectives for ref in objective.after]
    refs += [ref for task in plan.all_tasks() for ref in task.after]
    refs += [ref for milestone in plan.milestones for ref in milestone.after]
    return refs


def check_supports(
    plans: dict[str, Plan], diagnostics: Diagnostics, hidden: frozenset[str] = frozenset()
) -> dict[str, tuple[str, ...]]:
    """Warn on unknown `supports` targets; return the reverse links ('supported by')."""
    supported_by: dict[str, list[str]] = defaultdict(list)
    for plan in plans.values():
        for target in plan.supports:
            if target in plans:
                supported_by[target].append(plan.id)
            elif target not in hidden:
                diagnostics.warning(
                    plan.loc, f"supports: unknown plan '{target}'", did_you_mean(target, plans)
                )
        if plan.goal and plan.goal.metric and plan.goal.metric not in {k.id for k in plan.kpis}:
            diagnostics.warning(
                plan.loc,
                f"goal.metric: no KPI '{plan.goal.metric}' in this plan",
                did_you_mean(plan.goal.metric, [k.id for k in plan.kpis]) or "add it under kpis",
            )
    return {key: tuple(sorted(value)) for key, value in sorted(supported_by.items())}


def find_references(
    plan: Plan,
    plans: dict[str, Plan],
    parties: dict,
    diagnostics: Diagnostics,
    hidden: frozenset[str] = frozenset(),
    lookup: ReferenceLookup | None = None,
) -> tuple[Reference, ...]:
    """Resolved [[plan]], [[plan#item]], @person and links to .md files in the prose.

    `lookup` (built once per site by link_site) keeps a large site linear.
    """
    if not any(mark in plan.body for mark in _MARKS):
        return ()  # no pattern below can match: most prose has no references at all
    lookup = lookup or ReferenceLookup(plans, parties)
    by_source, party_keys = lookup.by_source, lookup.party_keys
    found = []
    for line_number, line in _prose_lines(plan):
        loc = SourceLoc(plan.source, line_number)
        for match in WIKI_LINK.finditer(line) if "[[" in line else ():
            if match.group(1).strip() in hidden:
                continue  # shown as plain text, without the hidden plan's title
            ref = _wiki_reference(match, loc, plans, diagnostics)
            if ref:
                found.append(ref)
        for match in MENTION.finditer(line) if "@" in line else ():
            key = match.group(1)
            if key.casefold() in party_keys:
                key = party_keys[key.casefold()]
                found.append(Reference(None, None, key, match.group(0), loc))
            else:
                diagnostics.warning(
                    loc, f"unknown person or team '@{key}'", did_you_mean(key, parties)
                )
        for match in MD_LINK.finditer(line) if "](" in line else ():
            if _SCHEME.match(match[1]):
                continue  # a web address that happens to end in .md
            target = posixpath.normpath(posixpath.join(posixpath.dirname(plan.source), match[1]))
            if target in by_source:
                found.append(Reference(by_source[target], None, None, match.group(1), loc))
            elif target not in lookup.hidden_sources:  # a hidden plan's: shown as plain text
                diagnostics.warning(loc, f"link to '{match[1]}': no plan file at {target}")
    return tuple(found)


class ReferenceLookup:
    """Plans by source path and party keys by folded case, for resolving prose references."""

    __slots__ = ("by_source", "hidden_sources", "party_keys")

    def __init__(
        self, plans: dict[str, Plan], parties: dict, hidden_sources: frozenset[str] = frozenset()
    ) -> None:
        self.by_source = {p.source: p.id for p in plans.values()}
        self.hidden_sources = hidden_sources  # files of plans left out of this build
        self.party_keys: dict[str, str] = {}
        for key in parties:  # the first key in order wins, as a scan in order would find it
            self.party_keys.setdefault(key.casefold(), key)


def _wiki_reference(
    match: re.Match, loc: SourceLoc, plans: dict[str, Plan], diagnostics: Diagnostics
) -> Reference | None:
    plan_id, item_id = match.group(1).strip(), (match.group(2) or "").strip() or None
    if plan_id not in plans:
        diagnostics.warning(
            loc,
            f"unresolved reference [[{match.group(1)}]]: no plan '{plan_id}'",
            did_you_mean(plan_id, plans),
        )
        return None
    if item_id and item_id not in item_ids(plans[plan_id]):
        diagnostics.warning(
            loc,
            f"unresolved reference '{match.group(0)}': plan '{plan_id}' has no '{item_id}'",
            did_you_mean(item_id, item_ids(plans[plan_id])),
        )
        return None
    return Reference(plan_id, item_id, None, match.group(0), loc)


def _prose_lines(plan: Plan) -> list[tuple[int, str]]:
    """Body lines with their file line numbers; code blocks and spans are skipped."""
    lines, fence = [], ""
    for offset, line in enumerate(plan.body.split("\n")):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            continue
        lines.append((plan.body_line + offset, _without_code_spans(line)))
    return lines


def _without_code_spans(line: str) -> str:
    """The line without its code spans: a run of backticks up to the next run as long.

    A scan over the runs rather than a backreferencing regex, which takes cubic time on a
    long run of backticks.
    """
    if "`" not in line:
        return line
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
    kept, pos, index = [], 0, 0
    while index < len(runs):
        start, end = runs[index]
        closer = next(
            (k for k in range(index + 1, len(runs)) if runs[k][1] - runs[k][0] == end - start),
            None,
        )
        if closer is None:
            index += 1
            continue
        kept.append(line[pos:start])
        pos, index = runs[closer][1], closer + 1
    kept.append(line[pos:])
    return "".join(kept)


# id(plan) -> (plan, plan_assignments(plan)): plans a build reuses unchanged from the last
AssignmentMemo = dict[int, tuple[Plan, tuple[Assignment, ...]]]


def link_site(site: Site, diagnostics: Diagnostics, memo: AssignmentMemo | None = None) -> None:
    """Fill the reverse indexes of a site whose plans are loaded.

    `memo`, kept from one build to the next, spares collecting the assignments of plans
    that are the same objects as last time (the document cache hands those out)."""
    site.supported_by = check_supports(site.plans, diagnostics, site.hidden)
    check_dependencies(site.plans, diagnostics, site.hidden)
    referenced_by: dict[str, set[str]] = defaultdict(set)
    lookup = ReferenceLookup(site.plans, site.parties, site.hidden_sources)
    for plan in site.plans.values():
        references = find_references(
            plan, site.plans, site.parties, diagnostics, site.hidden, lookup
        )
        site.references[plan.id] = references
        for ref in references:
            if ref.target_plan and ref.target_plan != plan.id:
                referenced_by[ref.target_plan].add(plan.id)
        for ref in dependency_refs(plan):
            if ref.plan_id != plan.id and ref.plan_id in site.plans:
                referenced_by[ref.plan_id].add(plan.id)
    site.referenced_by = {k: tuple(sorted(v)) for k, v in sorted(referenced_by.items())}
    by_plan = _assignments_by_plan(site.plans, memo if memo is not None else {})
    site.assignments_by_plan = {plan_id: found for plan_id, found in by_plan.items() if found}
    site.assignments = _by_party(site.assignments_by_plan)


def _assignments_by_plan(
    plans: dict[str, Plan], memo: AssignmentMemo
) -> dict[str, tuple[Assignment, ...]]:
    kept = dict(memo)
    memo.clear()  # only this build's plans stay
    for plan in plans.values():
        found = kept.get(id(plan))
        memo[id(plan)] = found if found and found[0] is plan else (plan, plan_assignments(plan))
    return {plan_id: memo[id(plan)][1] for plan_id, plan in plans.items()}


def _by_party(
    by_plan: dict[str, tuple[Assignment, ...]],
) -> dict[str, tuple[Assignment, ...]]:
    """Each party's assignments in _assignment_order: the plans' (each sorted) in id order."""
    found: dict[str, list[Assignment]] = defaultdict(list)
    for plan_id in sorted(by_plan):
        for assignment in by_plan[plan_id]:
            found[assignment.party].append(assignment)
    return {key: tuple(value) for key, value in sorted(found.items())}


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
