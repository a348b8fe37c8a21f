"""Output files that are not HTML pages: plans.json and, later, calendars, feeds, CSV, search.

Each artifact is a function from the render context to {output path: bytes}; listing it in
ARTIFACTS is all it takes to add one to every build.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from planpress import __version__
from planpress.render.context import RenderContext
from planpress.render.export import plans_json

Artifact = Callable[[RenderContext], dict[str, bytes]]


def json_bytes(document: object) -> bytes:
    # compact: the indenting encoder is pure Python and 5x slower at a few thousand plans
    return (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def plans_json_file(ctx: RenderContext) -> dict[str, bytes]:
    return {"plans.json": json_bytes(plans_json(ctx.site, ctx.schedule, ctx.status, __version__))}


ARTIFACTS: tuple[Artifact, ...] = (plans_json_file,)
