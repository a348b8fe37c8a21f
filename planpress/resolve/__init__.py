"""Stage 2: source documents -> the resolved, cross-linked Site model."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from planpress.diagnostics import Diagnostics, SourceLoc
from planpress.load import Sources
from planpress.resolve.model import PLAN_KINDS, RESTRICTED, ItemRef, Plan, Site
from planpress.resolve.people import PartyIndex, read_parties
from planpress.resolve.plans import build_plan
from planpress.resolve.references import AssignmentMemo, link_site


@dataclass(frozen=True, slots=True)
class Visibility:
    """Which plans a build shows: drafts only on request, audiences only to themselves."""

    drafts: bool = False
    audience: str | None = None
    everything: bool = False  # `planpress check` validates every plan, whoever may see it

    def shows(self, plan: Plan) -> bool:
        if self.everything:
            return True
        if plan.status == "draft" and not self.drafts:
            return False
        return not plan.audience or self.audience in plan.audience


def resolve_site(
    sources: Sources,
    diagnostics: Diagnostics,
    visibility: Visibility = Visibility(),
    kinds: tuple[str, ...] = PLAN_KINDS,
    audiences: tuple[str, ...] = (),
) -> Site:
    parties = read_parties(sources.people, sources.people_path, diagnostics)
    index = PartyIndex(parties, diagnostics)
    built = (build_plan(doc, index, diagnostics, kinds, audiences) for doc in sources.documents)
    return assemble_site(built, index, diagnostics, visibility)


def assemble_site(
    built: Iterable[Plan | None],
    index: PartyIndex,
    diagnostics: Diagnostics,
    visibility: Visibility = Visibility(),
    memo: AssignmentMemo | None = None,
) -> Site:
    """The Site of plans built from documents in path order (None for a broken one);
    `memo`: see references.link_site."""
    plans: dict[str, Plan] = {}
    for plan in built:
        if plan is None:
            continue
        if plan.id in plans:
            first = plans[plan.id].source
            diagnostics.error(
                SourceLoc(plan.source, 1),
                f"duplicate plan id '{plan.id}' (also used by {first})",
                "give one of the plans another 'id:'",
            )
            continue
        plans[plan.id] = plan
    visible = {pid: plan for pid, plan in sorted(plans.items()) if visibility.shows(plan)}
    hidden = frozenset(plans) - frozenset(visible)
    sources = frozenset(plans[plan_id].source for plan_id in hidden)
    site = Site(visible, dict(sorted(index.parties.items())), {}, hidden, sources)
    link_site(site, diagnostics, memo)
    site.plans = {plan_id: _restrict(plan, hidden) for plan_id, plan in site.plans.items()}
    # a name written only in hidden plans must not surface in this build
    named = _named_parties(site.plans.values())
    site.parties = {key: p for key, p in site.parties.items() if p.known or key in named}
    return site


def _named_parties(plans) -> set[str]:
    """Every person or team key the plans name, in any field that takes a name."""
    keys: set[str | None] = set()
    for plan in plans:
        keys.add(plan.owner)
        for task in plan.all_tasks():
            keys |= {*task.responsible, task.accountable, *task.consulted, *task.informed}
        keys |= {m.owner for m in plan.milestones} | {r.owner for r in plan.risks}
        keys |= {c.owner for c in plan.communication} | {r.owner for r in plan.resources}
        keys |= {key for review in plan.reviews for key in review.attendees}
    keys.discard(None)
    return keys  # type: ignore[return-value]


def _restrict(plan: Plan, hidden: frozenset[str]) -> Plan:
    """The plan with the hidden plans it names (`after`, `supports`) replaced by RESTRICTED.

    Pages then show "restricted" and plans.json "(restricted)", never a hidden plan's id.
    """
    items = (*plan.objectives, *plan.all_tasks(), *plan.milestones)
    if not any(ref.plan_id in hidden for item in items for ref in item.after) and not any(
        target in hidden for target in plan.supports
    ):
        return plan

    def restricted(item):  # a task, milestone or objective
        if not any(ref.plan_id in hidden for ref in item.after):
            return item
        kept = [ref for ref in item.after if ref.plan_id not in hidden]
        first = next(ref for ref in item.after if ref.plan_id in hidden)
        return replace(item, after=(*kept, ItemRef(RESTRICTED, RESTRICTED, first.loc, first.field)))

    objectives = tuple(
        replace(restricted(o), tasks=tuple(map(restricted, o.tasks))) for o in plan.objectives
    )
    return replace(
        plan,
        objectives=objectives,
        tasks=tuple(map(restricted, plan.tasks)),
        milestones=tuple(map(restricted, plan.milestones)),
        supports=tuple(dict.fromkeys(RESTRICTED if p in hidden else p for p in plan.supports)),
    )
