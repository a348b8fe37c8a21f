"""Fingerprints of what a page shows, so an incremental build redraws only changed pages.

Each plan gets three digests per build:

- its *summary* (what other pages can show of it): the plan's model without its prose and
  without source positions, the key of its dates and statuses (its group's, see
  schedule.groups), who supports and references it, and its git history;
- its *data* (what plans.json shows): the summary with the source positions;
- its *facts* (what its own pages show): the summary plus the whole model (prose and
  positions included) and the references its prose makes.

A page declares what it shows with `Depends` (see render.context); its fingerprint combines
the digests of those plans with the global fingerprint (planpress itself, configuration,
options, templates, `today`, the baseline) and the people and teams. Two builds that give a
page the same fingerprint give it the same bytes; when in doubt a page depends on more.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from planpress.incremental.digests import code_digest, digest, model_digests, tree_digest
from planpress.render.context import Depends, RenderContext
from planpress.resolve.references import dependency_refs

__all__ = ["Facts", "code_digest", "digest", "model_digests", "tree_digest"]
_ABSENT = "-"  # a plan a page names that is not in this build (unknown, or hidden)


class Facts:
    """The digests of one build, and the fingerprint of any page's `Depends`."""

    def __init__(
        self,
        ctx: RenderContext,
        models: dict[str, tuple[str, str, str]],
        global_digest: str,
        schedules: Mapping[str, str],
    ) -> None:
        """`models`: plan id -> model_digests(plan), kept by the document cache; `schedules`:
        every plan id -> a key that changes whenever its dates or statuses may
        (schedule.groups.Groups.plan_keys), which stands for them."""
        site = ctx.site
        self.ctx = ctx
        self.global_digest = global_digest
        self._prints: dict[Depends, str] = {}  # a plan's pages and files share theirs
        self.people = digest(global_digest, repr(list(site.parties.items())))
        self.summary: dict[str, str] = {}
        self.data: dict[str, str] = {}
        self.facts: dict[str, str] = {}
        for plan_id in site.plans:
            full, bare, with_lines = models.get(plan_id) or model_digests(site.plans[plan_id])
            summary = digest(
                bare,
                schedules[plan_id],
                repr(site.supported_by.get(plan_id, ())),
                repr(site.referenced_by.get(plan_id, ())),
                repr(ctx.history.get(plan_id)),
            )
            self.summary[plan_id] = summary
            self.data[plan_id] = digest(summary, with_lines)
            self.facts[plan_id] = digest(summary, full, repr(site.references.get(plan_id, ())))
        self.site_digest = digest(self.people, "site", *_pairs(self.summary))
        self.data_digest = digest(self.people, "data", *_pairs(self.data))
        self.everything = digest(
            self.people, "everything", *_pairs(self.facts), repr(sorted(site.hidden))
        )

    def piece_keys(self) -> dict[str, str]:
        """Per plan: the key of its pieces of whole-site files (see render.context.PlanPieces),
        which show what plans.json shows of it."""
        return {plan_id: digest(self.people, data) for plan_id, data in self.data.items()}

    def neighbours(self, plan_id: str) -> list[str]:
        """The plans a plan's pages show something of: links, dependencies, supporters."""
        site = self.ctx.site
        plan = site.plans.get(plan_id)
        if plan is None:
            return []
        found = set(plan.supports)
        found.update(site.supported_by.get(plan_id, ()))
        found.update(site.referenced_by.get(plan_id, ()))
        found.update(r.target_plan for r in site.references.get(plan_id, ()) if r.target_plan)
        found.update(ref.plan_id for ref in dependency_refs(plan))
        found.discard(plan_id)
        return sorted(found)

    def fingerprint(self, depends: Depends) -> str:
        found = self._prints.get(depends)
        if found is None:
            found = self._prints[depends] = self._fingerprint(depends)
        return found

    def _fingerprint(self, depends: Depends) -> str:
        if depends.extra:
            return digest(self.fingerprint(Depends(depends.kind, depends.ids)), depends.extra)
        kind, ids = depends.kind, depends.ids
        if kind == "plan" and len(ids) == 1 and ids[0] in self.facts:
            shown = self.neighbours(ids[0])
            return digest(self.people, "plan", self.facts[ids[0]], *self._summaries(shown))
        if kind == "party" and len(ids) == 1:
            assignments = self.ctx.site.assignments.get(ids[0], ())
            shown = sorted({a.plan_id for a in assignments})
            lines = (f"{a.plan_id}\0{a.item_kind}\0{a.item_id}\0{a.role}" for a in assignments)
            return digest(self.people, "party", ids[0], "\n".join(lines), *self._summaries(shown))
        if kind == "parties":
            return digest("parties", *(self.fingerprint(Depends.party(key)) for key in ids))
        if kind == "plans":
            return digest(self.people, "plans", *self._summaries(ids))
        if kind == "site":
            return self.site_digest
        if kind == "data":
            return self.data_digest
        return self.everything

    def _summaries(self, plan_ids: Iterable[str]) -> list[str]:
        return [f"{pid}={self.summary.get(pid, _ABSENT)}" for pid in plan_ids]


def _pairs(digests: dict[str, str]) -> list[str]:
    return [f"{key}={value}" for key, value in digests.items()]
