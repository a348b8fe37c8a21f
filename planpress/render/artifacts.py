"""Output files that are not HTML pages: plans.json, JSON per plan, calendars, feed, CSV, search.

Each artifact is a function from the render context to {output path: bytes}; listing it in
ARTIFACTS is all it takes to add one to every build. An incremental build recomputes a whole
artifact whenever anything in the site changed, unless it says what it shows: `shows(Depends.SITE)`
for one that lists every plan without its prose, or `per_file` for one whose files each depend on
one plan or person (see render.context).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace

from planpress import __version__
from planpress.render.context import Depends, RenderContext, shows
from planpress.render.export import plan_document, plans_json
from planpress.render.outputs.calendars import calendar_files
from planpress.render.outputs.common import plan_pieces
from planpress.render.outputs.feed import feed_file
from planpress.render.outputs.plan_json import plan_json_files
from planpress.render.outputs.search import search_index_file
from planpress.render.outputs.tables import csv_files
from planpress.render.pieces import Spliced

# a file may come as a Spliced when `watch` keeps its pieces (see render.pieces)
Artifact = Callable[[RenderContext], dict[str, bytes | Spliced]]


def json_bytes(document: object) -> bytes:
    # compact: the indenting encoder is pure Python and 5x slower at a few thousand plans
    return (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def plans_json_file(ctx: RenderContext) -> dict[str, bytes | Spliced]:
    """plans.json, exactly json_bytes(plans_json(...)), one plan at a time: the whole document
    as Python objects would need ten times the file's size (gigabytes for 10,000 plans)."""
    site, schedule, status = ctx.site, ctx.schedule, ctx.status
    shell = json_bytes(plans_json(replace(site, plans={}), schedule, status, __version__))
    return {
        "plans.json": plan_pieces(
            ctx, "plans.json", shell, lambda plan: plan_document(plan, site, schedule, status)
        )
    }


ARTIFACTS: tuple[Artifact, ...] = (
    shows(Depends.DATA)(plans_json_file),  # every plan but its prose, with source lines
    plan_json_files,  # per file (see per_file): each plan's own
    calendar_files,  # per file: the site's, each plan's, each person's
    shows(Depends.SITE)(feed_file),  # milestones reached and reviews held, not prose
    shows(Depends.SITE)(csv_files),  # tasks and milestones, as every page lists them
    shows(Depends.SITE)(search_index_file),  # titles of plans, items and people, not prose
)
