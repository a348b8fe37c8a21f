"""json/<plan-id>.json: one plan with only the people it names (schema: plan.schema.json).

The plan object is exactly the one in plans.json; `people` holds the persons and teams that the
plan's own keys name (owner, RACI, milestone, risk, communication and resource owners, review
attendees). A team's `lead` and `members` and a person's `team` may name keys outside this file:
plans.json has everyone.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from planpress import __version__
from planpress.render.context import Depends, OutputFile, RenderContext, per_file
from planpress.render.export import SCHEMA_VERSION, party_document, plan_document
from planpress.render.outputs import common, paths
from planpress.resolve.model import Plan


@per_file
def plan_json_files(ctx: RenderContext) -> Iterator[OutputFile]:
    files = _PlanFiles(ctx)
    for plan in ctx.site.plans.values():
        yield OutputFile(paths.plan_json(plan.id), partial(files.make, plan), Depends.plan(plan.id))


class _PlanFiles:
    """Writes each plan's file, exactly json_bytes(plan_file(ctx, plan)), without building the
    document whole: each person's and team's JSON is made once for all files (most people are
    named in many plans), and found by key rather than by walking everyone for every plan."""

    def __init__(self, ctx: RenderContext) -> None:
        self.ctx, self.json_text = ctx, common.json_text  # the same encoding as plans.json
        self._order = {key: number for number, key in enumerate(ctx.site.parties)}
        self._members: dict[str, str] = {}  # key -> '"key":{...}'
        self._head = common.json_text(plan_file_header(ctx)).removesuffix("}") + ',"plan":'

    def make(self, plan: Plan) -> bytes:
        ctx, order = self.ctx, self._order
        document = plan_document(plan, ctx.site, ctx.schedule, ctx.status)
        keys = sorted((key for key in named_keys(plan) if key in order), key=order.__getitem__)
        people = ",".join(map(self._member, keys))
        return f'{self._head}{self.json_text(document)},"people":{{{people}}}}}\n'.encode()

    def _member(self, key: str) -> str:
        found = self._members.get(key)
        if found is None:
            party = party_document(self.ctx.site.parties[key])
            found = self._members[key] = f"{self.json_text(key)}:{self.json_text(party)}"
        return found


def plan_file_header(ctx: RenderContext) -> dict:
    """What a plan file holds before its plan and people."""
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": f"planpress {__version__}",
        "today": ctx.status.today.isoformat(),
    }


def plan_file(ctx: RenderContext, plan: Plan) -> dict:
    """The plan file as a document (plan_json_files writes it without building it whole)."""
    site = ctx.site
    keys = named_keys(plan)
    return plan_file_header(ctx) | {
        "plan": plan_document(plan, site, ctx.schedule, ctx.status),
        "people": {k: party_document(p) for k, p in site.parties.items() if k in keys},
    }


def named_keys(plan: Plan) -> set[str]:
    """Every person or team key the plan's data holds."""
    keys = {plan.owner}
    for task in plan.all_tasks():
        keys |= {*task.responsible, task.accountable, *task.consulted, *task.informed}
    keys |= {m.owner for m in plan.milestones}
    keys |= {r.owner for r in plan.risks}
    keys |= {c.owner for c in plan.communication}
    keys |= {r.owner for r in plan.resources}
    keys |= {key for review in plan.reviews for key in review.attendees}
    keys.discard(None)
    return keys
