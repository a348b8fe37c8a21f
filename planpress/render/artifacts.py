"""Output files that are not HTML pages: plans.json, JSON per plan, calendars, feed, CSV, search.

Each artifact is a function from the render context to {output path: bytes}; listing it in
ARTIFACTS is all it takes to add one to every build.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from planpress import __version__
from planpress.render.context import RenderContext
from planpress.render.export import plans_json
from planpress.render.outputs.calendars import calendar_files
from planpress.render.outputs.feed import feed_file
from planpress.render.outputs.plan_json import plan_json_files
from planpress.render.outputs.search import search_index_file
from planpress.render.outputs.tables import csv_files

Artifact = Callable[[RenderContext], dict[str, bytes]]


def json_bytes(document: object) -> bytes:
    # compact: the indenting encoder is pure Python and 5x slower at a few thousand plans
    return (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def plans_json_file(ctx: RenderContext) -> dict[str, bytes]:
    return {"plans.json": json_bytes(plans_json(ctx.site, ctx.schedule, ctx.status, __version__))}


ARTIFACTS: tuple[Artifact, ...] = (
    plans_json_file,
    plan_json_files,
    calendar_files,
    feed_file,
    csv_files,
    search_index_file,
)
