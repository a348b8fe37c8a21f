"""Fingerprints of what a page shows, so an incremental build redraws only changed pages.

Each plan gets two digests per build:

- its *summary* (what other pages can show of it): the plan's model without its prose and
  without source positions, its scheduled dates and statuses, who supports and references
  it, and its git history;
- its *facts* (what its own pages show): the summary plus the whole model (prose and
  positions included) and the references its prose makes.

A page declares what it shows with `Depends` (see render.context); its fingerprint combines
the digests of those plans with the global fingerprint (planpress itself, configuration,
options, templates, `today`, the baseline) and the people and teams. Two builds that give a
page the same fingerprint give it the same bytes; when in doubt a page depends on more.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from planpress import __version__
from planpress.render.context import Depends, RenderContext
from planpress.resolve.model import Plan
from planpress.resolve.references import dependency_refs

_PACKAGE = Path(__file__).resolve().parent.parent
_ABSENT = "-"  # a plan a page names that is not in this build (unknown, or hidden)


def digest(*parts: str) -> str:
    """A short, stable digest of some texts (the same in every process and run)."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def model_digests(plan: Plan) -> tuple[str, str]:
    """(facts, summary) digests of a plan's model: everything, and without prose or positions.

    Source positions of the plan's own file are left out of the summary so that editing the
    prose (which moves the lines of prose tasks) does not touch the pages that only list the
    plan. Computed once per document version, when the plan is built.
    """
    full = repr(plan)
    bare = repr(_without_prose(plan))
    own_loc = re.compile(re.escape(f"SourceLoc(path={plan.source!r}, line=") + r"\d+, col=\d+\)")
    return digest(full), digest(own_loc.sub("@", bare))


def _without_prose(plan: Plan) -> Plan:
    from dataclasses import replace

    return replace(plan, body="", body_line=0)


@cache
def code_digest() -> str:
    """planpress's version and its own source code: a new planpress redraws everything."""
    parts = [__version__]
    for path in sorted(_PACKAGE.rglob("*.py")):
        parts += [path.relative_to(_PACKAGE).as_posix(), path.read_bytes().hex()]
    return digest(*parts)


def tree_digest(folders: Iterable[Path]) -> str:
    """Every file under the folders (names and bytes), e.g. the template folders of a theme."""
    parts: list[str] = []
    for folder in folders:
        parts.append(str(folder))
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                parts += [path.relative_to(folder).as_posix(), path.read_bytes().hex()]
    return digest(*parts)


class Facts:
    """The digests of one build, and the fingerprint of any page's `Depends`."""

    def __init__(
        self, ctx: RenderContext, models: dict[str, tuple[str, str]], global_digest: str
    ) -> None:
        """`models`: plan id -> model_digests(plan), kept by the document cache."""
        site = ctx.site
        self.ctx = ctx
        self.global_digest = global_digest
        self.people = digest(global_digest, repr(list(site.parties.items())))
        dynamic = _dynamic_parts(ctx)
        self.summary: dict[str, str] = {}
        self.facts: dict[str, str] = {}
        for plan_id in site.plans:
            full, bare = models.get(plan_id) or model_digests(site.plans[plan_id])
            summary = digest(
                bare,
                *dynamic.get(plan_id, ()),
                repr(site.supported_by.get(plan_id, ())),
                repr(site.referenced_by.get(plan_id, ())),
                repr(ctx.history.get(plan_id)),
            )
            self.summary[plan_id] = summary
            self.facts[plan_id] = digest(summary, full, repr(site.references.get(plan_id, ())))
        self.site_digest = digest(self.people, "site", *_pairs(self.summary))
        self.everything = digest(
            self.people, "everything", *_pairs(self.facts), repr(sorted(site.hidden))
        )

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
        kind, ids = depends.kind, depends.ids
        if kind == "plan" and len(ids) == 1 and ids[0] in self.facts:
            shown = self.neighbours(ids[0])
            return digest(self.people, "plan", self.facts[ids[0]], *self._summaries(shown))
        if kind == "party" and len(ids) == 1:
            assignments = self.ctx.site.assignments.get(ids[0], ())
            shown = sorted({a.plan_id for a in assignments})
            return digest(self.people, "party", ids[0], repr(assignments), *self._summaries(shown))
        if kind == "plans":
            return digest(self.people, "plans", *self._summaries(ids))
        if kind == "site":
            return self.site_digest
        return self.everything

    def _summaries(self, plan_ids: Iterable[str]) -> list[str]:
        return [f"{pid}={self.summary.get(pid, _ABSENT)}" for pid in plan_ids]


def _pairs(digests: dict[str, str]) -> list[str]:
    return [f"{key}={value}" for key, value in digests.items()]


def _dynamic_parts(ctx: RenderContext) -> dict[str, list[str]]:
    """Per plan: its computed dates, statuses, budgets and KPI progress, as text."""
    parts: dict[str, list[str]] = defaultdict(list)
    schedule, status = ctx.schedule, ctx.status
    for name, table in (
        ("t", schedule.items),
        ("e", schedule.ends),
        ("s", status.items),
        ("b", status.budgets),
        ("k", status.kpis),
    ):
        for key, value in table.items():
            parts[key[0]].append(f"{name}{key[1]!r}{value!r}")
    for name, by_plan in (("p", schedule.plans), ("h", status.plans)):
        for plan_id, value in by_plan.items():
            parts[plan_id].append(f"{name}{value!r}")
    return parts
