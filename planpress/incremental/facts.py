"""Fingerprints of what a page shows, so an incremental build redraws only changed pages.

Each plan gets three digests per build:

- its *summary* (what other pages can show of it): the plan's model without its prose and
  without source positions, the key of its dates and statuses (its group's, see
  schedule.groups), who supports and references it, and its git history;
- its *face* (what a person's page shows of it, which has neither the site's links nor git
  history): the summary without who supports and references it and without its history;
- its *data* (what plans.json shows): the summary with the source positions;
- its *facts* (what its own pages show): the summary plus the whole model (prose and
  positions included) and the references its prose makes.

A page declares what it shows with `Depends` (see render.context); its fingerprint combines
the digests of those plans with the global fingerprint (planpress itself, configuration,
options, templates, `today`, the baseline) and the people and teams. Two builds that give a
page the same fingerprint give it the same bytes; when in doubt a page depends on more.

A process that builds again and again (`watch`) keeps a FactsMemo: each plan's digests with
what they were made from, and each fingerprint with the plans it read. The next build then
digests only the plans whose inputs changed, and takes a fingerprint from the memo when none
of the plans it read changed: an edit costs what it touches, not what the site holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from planpress.incremental.digests import code_digest, digest, model_digests, tree_digest
from planpress.render.context import Depends, RenderContext
from planpress.resolve.model import Assignment
from planpress.resolve.references import dependency_refs

__all__ = ["Facts", "FactsMemo", "code_digest", "digest", "model_digests", "tree_digest"]
_ABSENT = "-"  # a plan a page names that is not in this build (unknown, or hidden)

# one plan's digests (summary, data, facts, face) and what they were made from
PlanDigests = tuple[tuple[object, ...], str, str, str, str]
# a fingerprint, the rule that tells whether it holds in a next build, and what the rule reads
Print = tuple[str, str, tuple[str, ...]]


@dataclass(slots=True)
class FactsMemo:
    """What one build's Facts leave for the next build of the same process."""

    people: str = ""
    plans: dict[str, PlanDigests] = field(default_factory=dict)
    prints: dict[Depends, Print] = field(default_factory=dict)
    parties: dict[str, frozenset[str]] = field(default_factory=dict)  # plan id -> its parties
    hidden: frozenset[str] = frozenset()


class Facts:
    """The digests of one build, and the fingerprint of any page's `Depends`."""

    def __init__(
        self,
        ctx: RenderContext,
        models: dict[str, tuple[str, str, str]],
        global_digest: str,
        schedules: Mapping[str, str],
        memo: FactsMemo | None = None,
    ) -> None:
        """`models`: plan id -> model_digests(plan), kept by the document cache; `schedules`:
        every plan id -> a key that changes whenever its dates or statuses may
        (schedule.groups.Groups.plan_keys), which stands for them; `memo`: the last build's,
        updated in place for the next."""
        site = ctx.site
        self.ctx = ctx
        self.global_digest = global_digest
        self.people = digest(global_digest, repr(list(site.parties.items())))
        old = memo if memo is not None and memo.people == self.people else FactsMemo()
        self.memo = memo if memo is not None else FactsMemo()
        self.summary: dict[str, str] = {}
        self.data: dict[str, str] = {}
        self.facts: dict[str, str] = {}
        self.face: dict[str, str] = {}
        fresh: dict[str, PlanDigests] = {}
        changed: list[str] = []  # plans whose digests were made again
        for plan_id, plan in site.plans.items():
            inputs = (
                models.get(plan_id) or model_digests(plan),
                schedules[plan_id],
                site.supported_by.get(plan_id, ()),
                site.referenced_by.get(plan_id, ()),
                ctx.history.get(plan_id),
                site.references.get(plan_id, ()),
            )
            known = old.plans.get(plan_id)
            if known is None or known[0] != inputs:
                known = _plan_digests(inputs)
                changed.append(plan_id)
            fresh[plan_id] = known
            _, self.summary[plan_id], self.data[plan_id], self.facts[plan_id] = known[:4]
            self.face[plan_id] = known[4]
        gone = [plan_id for plan_id in old.plans if plan_id not in fresh]
        self._facts_changed = frozenset((*changed, *gone))
        self._summary_changed = frozenset(
            (*gone, *(p for p in changed if _old(old, p, 1) != self.summary[p]))
        )
        self._face_changed = frozenset(
            (*gone, *(p for p in changed if _old(old, p, 4) != self.face[p]))
        )
        self._data_changed = bool(gone) or any(_old(old, p, 2) != self.data[p] for p in changed)
        self._parties_touched = self._touched(old, changed, gone)
        self._old_prints = old.prints
        self._everything_changed = bool(self._facts_changed) or site.hidden != old.hidden
        self.memo.people, self.memo.plans, self.memo.hidden = self.people, fresh, site.hidden
        self._prints: dict[Depends, Print] = {}
        self.memo.prints = self._prints  # what this build asks is what the next may reuse
        self.site_digest = digest(self.people, "site", *_pairs(self.summary))
        self.data_digest = digest(self.people, "data", *_pairs(self.data))
        self.everything = digest(
            self.people, "everything", *_pairs(self.facts), repr(sorted(site.hidden))
        )

    def _touched(self, old: FactsMemo, changed: list[str], gone: list[str]) -> frozenset[str]:
        """The people and teams with work in a changed plan, before or after the change."""
        by_plan = self.ctx.site.assignments_by_plan
        parties = dict(old.parties)
        touched: set[str] = set()
        for plan_id in gone:
            touched |= parties.pop(plan_id, frozenset())
        for plan_id in changed if old.plans else self.ctx.site.plans:
            now = frozenset(a.party for a in by_plan.get(plan_id, ()))
            touched |= now | parties.get(plan_id, frozenset())
            parties[plan_id] = now
        self.memo.parties = parties
        return frozenset(touched)

    def piece_keys(self) -> dict[str, str]:
        """Per plan: the key of its pieces of whole-site files (see render.pieces.PlanPieces),
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
            old = self._old_prints.get(depends)
            found = old if old is not None and self._still(old) else self._fingerprint(depends)
            self._prints[depends] = found
        return found[0]

    def _still(self, found: Print) -> bool:
        """Whether a fingerprint of the last build holds for this one: none of what it was
        made from changed (see _fingerprint)."""
        _, rule, shown = found
        if rule == "plan":  # the plan in full, and the summaries of its neighbours
            return shown[0] not in self._facts_changed and not any(
                plan_id in self._summary_changed for plan_id in shown[1:]
            )
        if rule == "party":  # its work, and the faces of the plans it is in
            return shown[0] not in self._parties_touched and not any(
                plan_id in self._face_changed for plan_id in shown[1:]
            )
        if rule == "assigned":  # one party's assignments alone
            return shown[0] not in self._parties_touched
        if rule == "plans":
            return not any(plan_id in self._summary_changed for plan_id in shown)
        if rule == "work":  # the plans' faces (see _fingerprint)
            return not any(plan_id in self._face_changed for plan_id in shown)
        if rule == "site":
            return not self._summary_changed
        if rule == "data":
            return not self._data_changed
        if rule == "everything":
            return not self._everything_changed
        return False  # made of other fingerprints: made again from them, each reused

    def _fingerprint(self, depends: Depends) -> Print:
        """The fingerprint, the rule that tells whether it still holds in a next build, and
        what that rule looks at."""
        if depends.extra:
            base = Depends(depends.kind, depends.ids)
            return digest(self.fingerprint(base), depends.extra), "", ()
        kind, ids = depends.kind, depends.ids
        if kind == "plan" and len(ids) == 1 and ids[0] in self.facts:
            shown = self.neighbours(ids[0])
            fingerprint = digest(self.people, "plan", self.facts[ids[0]], *self._summaries(shown))
            return fingerprint, "plan", (ids[0], *shown)
        if kind == "party" and len(ids) == 1:
            assignments = self.ctx.site.assignments.get(ids[0], ())
            shown = sorted({a.plan_id for a in assignments})
            work = _lines(assignments)
            fingerprint = digest(self.people, "party", ids[0], work, *self._faces(shown))
            return fingerprint, "party", (ids[0], *shown)
        if kind == "parties":
            prints = [self.fingerprint(Depends.party(key)) for key in ids]
            return digest("parties", *prints), "", ()
        if kind == "assigned" and len(ids) == 1:
            work = _lines(self.ctx.site.assignments.get(ids[0], ()))
            return digest(self.people, "assigned", ids[0], work), "assigned", ids
        if kind == "assigned":
            return (
                digest("assigned", *(self.fingerprint(Depends.assigned((k,))) for k in ids)),
                "",
                (),
            )
        if kind == "plans":
            return digest(self.people, "plans", *self._summaries(ids)), "plans", ids
        if kind == "work" and ids:
            # what the party does in a plan comes from the plan's model, in its face, and
            # from people and teams, in every fingerprint: it need not be digested again
            plans = ids[1:]
            return digest(self.people, "work", ids[0], *self._faces(plans)), "work", plans
        if kind == "site":
            return self.site_digest, "site", ()
        if kind == "data":
            return self.data_digest, "data", ()
        return self.everything, "everything", ()

    def _summaries(self, plan_ids: Iterable[str]) -> list[str]:
        return [f"{pid}={self.summary.get(pid, _ABSENT)}" for pid in plan_ids]

    def _faces(self, plan_ids: Iterable[str]) -> list[str]:
        return [f"{pid}={self.face.get(pid, _ABSENT)}" for pid in plan_ids]


def _lines(assignments: Iterable[Assignment]) -> str:
    """A party's assignments, as a fingerprint reads them."""
    return "\n".join(f"{a.plan_id}\0{a.item_kind}\0{a.item_id}\0{a.role}" for a in assignments)


def _plan_digests(inputs: tuple[object, ...]) -> PlanDigests:
    (full, bare, with_lines), schedule, supported_by, referenced_by, history, references = inputs
    face = digest(bare, schedule)
    summary = digest(face, repr(supported_by), repr(referenced_by), repr(history))
    data, facts = digest(summary, with_lines), digest(summary, full, repr(references))
    return inputs, summary, data, facts, face


def _old(memo: FactsMemo, plan_id: str, index: int) -> str | None:
    found = memo.plans.get(plan_id)
    return found[index] if found is not None else None  # type: ignore[return-value]


def _pairs(digests: dict[str, str]) -> list[str]:
    return [f"{key}={value}" for key, value in digests.items()]
