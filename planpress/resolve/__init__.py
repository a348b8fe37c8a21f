"""Stage 2: source documents -> the resolved, cross-linked Site model."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from planpress.diagnostics import Diagnostics, SourceLoc
from planpress.load import Sources
from planpress.resolve.linking import LinkMemo, link_site
from planpress.resolve.model import PLAN_KINDS, RESTRICTED, ItemRef, Plan, Site
from planpress.resolve.people import PartyIndex, read_parties
from planpress.resolve.plans import build_plan


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
    memo: LinkMemo | None = None,
) -> Site:
    """The Site of plans built from documents in path order (None for a broken one);
    `memo`: see linking (kept from one build to the next)."""
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
    memo = memo if memo is not None else LinkMemo()
    link_site(site, diagnostics, memo)
    # a name written only in hidden plans must not surface in this build
    named = set().union(*(memo.of(plan).names for plan in site.plans.values()))
    if hidden:
        site.plans = {plan_id: _restrict(plan, hidden) for plan_id, plan in site.plans.items()}
    site.parties = {key: p for key, p in site.parties.items() if p.known or key in named}
    return site


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
