"""Cross-plan checks and reverse links: ids, dependencies, supports, prose references."""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Callable

from planpress.diagnostics import Diagnostics, SourceLoc, did_you_mean
from planpress.resolve.model import ItemRef, Plan, Reference

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


def dependency_refs(plan: Plan) -> list[ItemRef]:
    refs = [ref for objective in plan.objectives for ref in objective.after]
    refs += [ref for task in plan.all_tasks() for ref in task.after]
    refs += [ref for milestone in plan.milestones for ref in milestone.after]
    return refs


def check_dependencies(
    plans: dict[str, Plan],
    diagnostics: Diagnostics,
    hidden: frozenset[str] = frozenset(),
    ids_of: Callable[[Plan], dict[str, str]] = item_ids,
    refs_of: Callable[[Plan], list[ItemRef]] = dependency_refs,
) -> None:
    """Every `after` names an existing item; the plan part may name another plan.

    Plans hidden from this build are not checked against: `planpress check` sees them all.
    `ids_of` and `refs_of` give item_ids and dependency_refs (remembered by link_site).
    """
    ids = {plan_id: ids_of(plan) for plan_id, plan in plans.items()}
    for plan in plans.values():
        for ref in refs_of(plan):
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


# a reference as written in the prose, before it is resolved: (kind, line number, the match's
# text, what it names, the item it names), kind being wiki ([[plan#item]]: the plan as
# written), mention (@key) or md (a link to a .md file: its normalised path, then as written)
ProseMark = tuple[str, int, str, str, str | None]


def find_references(
    plan: Plan,
    plans: dict[str, Plan],
    parties: dict,
    diagnostics: Diagnostics,
    hidden: frozenset[str] = frozenset(),
    lookup: ReferenceLookup | None = None,
    marks: tuple[ProseMark, ...] | None = None,
) -> tuple[Reference, ...]:
    """Resolved [[plan]], [[plan#item]], @person and links to .md files in the prose.

    `lookup` (built once per site by link_site) keeps a large site linear; `marks` is what
    scan_prose(plan) gave, when known.
    """
    marks = scan_prose(plan) if marks is None else marks
    if not marks:
        return ()
    lookup = lookup or ReferenceLookup(plans, parties)
    by_source, party_keys = lookup.by_source, lookup.party_keys
    found = []
    for kind, line, text, target, item in marks:
        loc = SourceLoc(plan.source, line)
        if kind == "wiki":
            if target.strip() in hidden:
                continue  # shown as plain text, without the hidden plan's title
            ref = _wiki_reference(target, item, text, loc, plans, diagnostics, lookup)
            if ref:
                found.append(ref)
        elif kind == "mention":
            key = party_keys.get(target.casefold())
            if key is not None:
                found.append(Reference(None, None, key, text, loc))
            else:
                diagnostics.warning(
                    loc, f"unknown person or team '@{target}'", did_you_mean(target, parties)
                )
        elif target in by_source:
            found.append(Reference(by_source[target], None, None, item, loc))
        elif target not in lookup.hidden_sources:  # a hidden plan's: shown as plain text
            diagnostics.warning(loc, f"link to '{item}': no plan file at {target}")
    return tuple(found)


def scan_prose(plan: Plan) -> tuple[ProseMark, ...]:
    """The references written in a plan's prose, in order, found but not resolved: what
    they resolve to depends on the other plans, what they are only on the plan itself."""
    if not any(mark in plan.body for mark in _MARKS):
        return ()  # no pattern below can match: most prose has no references at all
    found: list[ProseMark] = []
    folder = posixpath.dirname(plan.source)
    for line_number, line in _prose_lines(plan):
        for match in WIKI_LINK.finditer(line) if "[[" in line else ():
            item = (match.group(2) or "").strip() or None
            found.append(("wiki", line_number, match.group(0), match.group(1), item))
        for match in MENTION.finditer(line) if "@" in line else ():
            found.append(("mention", line_number, match.group(0), match.group(1), None))
        for match in MD_LINK.finditer(line) if "](" in line else ():
            if _SCHEME.match(match[1]):
                continue  # a web address that happens to end in .md
            target = posixpath.normpath(posixpath.join(folder, match[1]))
            found.append(("md", line_number, match.group(0), target, match[1]))
    return tuple(found)


class ReferenceLookup:
    """Plans by source path and party keys by folded case, for resolving prose references."""

    __slots__ = ("by_source", "hidden_sources", "item_ids", "party_keys")

    def __init__(
        self,
        plans: dict[str, Plan],
        parties: dict,
        hidden_sources: frozenset[str] = frozenset(),
        ids: Callable[[Plan], dict[str, str]] | None = None,
    ) -> None:
        self.by_source = {p.source: p.id for p in plans.values()}
        self.hidden_sources = hidden_sources  # files of plans left out of this build
        self.item_ids = ids or item_ids  # a plan's item ids (remembered by link_site)
        self.party_keys: dict[str, str] = {}
        for key in parties:  # the first key in order wins, as a scan in order would find it
            self.party_keys.setdefault(key.casefold(), key)


def _wiki_reference(
    written: str,
    item_id: str | None,
    text: str,
    loc: SourceLoc,
    plans: dict[str, Plan],
    diagnostics: Diagnostics,
    lookup: ReferenceLookup,
) -> Reference | None:
    plan_id = written.strip()
    if plan_id not in plans:
        diagnostics.warning(
            loc,
            f"unresolved reference [[{written}]]: no plan '{plan_id}'",
            did_you_mean(plan_id, plans),
        )
        return None
    if item_id:
        ids = lookup.item_ids(plans[plan_id])
        if item_id not in ids:
            diagnostics.warning(
                loc,
                f"unresolved reference '{text}': plan '{plan_id}' has no '{item_id}'",
                did_you_mean(item_id, ids),
            )
            return None
    return Reference(plan_id, item_id, None, text, loc)


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
