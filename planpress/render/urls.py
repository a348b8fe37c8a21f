"""Where each page lives in the output, and relative links between pages.

Links are relative so a site works from file:// and under any sub-path.
"""

from __future__ import annotations

import posixpath

INDEX = "index.html"  # the portfolio dashboard
ROADMAP = "roadmap.html"
REVIEW = "review.html"
RESPONSIBILITIES = "responsibilities.html"  # the global RACI matrix
MILESTONES = "milestones/index.html"
PEOPLE = "people/index.html"


def plan_page(plan_id: str) -> str:
    return f"plans/{plan_id}.html"


def party_page(key: str) -> str:
    return f"people/{key}.html"


def milestone_page(plan_id: str, milestone_id: str) -> str:
    return f"milestones/{plan_id}/{milestone_id}.html"


def section_page(section: str) -> str:
    return f"sections/{section}.html"


def tag_page(tag_slug: str) -> str:
    return f"tags/{tag_slug}.html"


def item_anchor(item_id: str) -> str:
    return f"item-{item_id}"


def relative(from_page: str, to_path: str) -> str:
    """The link from one output file to another: up to the root, then down to the target.

    plans/sales/a.html -> index.html gives ../../index.html. Always going through the
    root is as valid as the shortest path and costs no path arithmetic per link.
    """
    if to_path.startswith("#"):
        return to_path
    if to_path.partition("#")[0] == from_page:
        return to_path[len(from_page) :] or posixpath.basename(from_page)
    return "../" * from_page.count("/") + to_path
