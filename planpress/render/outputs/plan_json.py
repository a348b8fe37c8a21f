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
from planpress.render.outputs import paths
from planpress.resolve.model import Plan


@per_file
def plan_json_files(ctx: RenderContext) -> Iterator[OutputFile]:
    from planpress.render.artifacts import json_bytes  # the same encoding as plans.json

    def make(plan: Plan) -> bytes:
        return json_bytes(plan_file(ctx, plan))

    for plan in ctx.site.plans.values():
        yield OutputFile(paths.plan_json(plan.id), partial(make, plan), Depends.plan(plan.id))


def plan_file(ctx: RenderContext, plan: Plan) -> dict:
    site = ctx.site
    keys = named_keys(plan)
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": f"planpress {__version__}",
        "today": ctx.status.today.isoformat(),
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
