"""Where each page lives in the output, and relative links between pages.

Links are relative so a site works from file:// and under any sub-path.
"""

from __future__ import annotations

import posixpath

INDEX = "index.html"


def plan_page(plan_id: str) -> str:
    return f"plans/{plan_id}.html"


def party_page(key: str) -> str:
    return f"people/{key}.html"


def item_anchor(item_id: str) -> str:
    return f"item-{item_id}"


def relative(from_page: str, to_path: str) -> str:
    """The link from one output file to another, e.g. plans/a.html -> ../index.html."""
    target, _, fragment = to_path.partition("#")
    base = posixpath.dirname(from_page) or "."
    link = posixpath.relpath(target, base) if target else ""
    return f"{link}#{fragment}" if fragment else link
