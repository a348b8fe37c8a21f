"""Stage 2: source documents -> the resolved, cross-linked Site model."""

from __future__ import annotations

from dataclasses import dataclass

from planpress.diagnostics import Diagnostics, SourceLoc
from planpress.load import Sources
from planpress.resolve.model import PLAN_KINDS, Plan, Site
from planpress.resolve.people import PartyIndex, read_parties
from planpress.resolve.plans import build_plan
from planpress.resolve.references import link_site


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
    plans: dict[str, Plan] = {}
    for doc in sources.documents:
        plan = build_plan(doc, index, diagnostics, kinds, audiences)
        if plan is None:
            continue
        if plan.id in plans:
            first = plans[plan.id].source
            diagnostics.error(
                SourceLoc(doc.path, 1),
                f"duplicate plan id '{plan.id}' (also used by {first})",
                "give one of the plans another 'id:'",
            )
            continue
        plans[plan.id] = plan
    visible = {pid: plan for pid, plan in sorted(plans.items()) if visibility.shows(plan)}
    hidden = frozenset(plans) - frozenset(visible)
    site = Site(visible, dict(sorted(index.parties.items())), references={}, hidden=hidden)
    link_site(site, diagnostics)
    # a name written only in hidden plans must not surface in this build
    site.parties = {
        key: party for key, party in site.parties.items() if party.known or key in site.assignments
    }
    return site
