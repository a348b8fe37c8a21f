"""Where each page lives in the output, and relative links between pages.

Links are relative so a site works from file:// and under any sub-path.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field

from planpress.resolve.ids import slugify

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
    """sections/<folder>.html with each folder name as a slug, like the ids of its plans."""
    return f"sections/{'/'.join(slugify(part) for part in section.split('/'))}.html"


def tag_page(tag_slug: str) -> str:
    return f"tags/{tag_slug}.html"


def item_anchor(item_id: str) -> str:
    return f"item-{item_id}"


@dataclass(frozen=True, slots=True)
class UrlStyle:
    """How logical page paths become files and links.

    By default every page is a file (plans/a.html) and links name files, which
    works from file:// and any sub-path. With `pretty`, plans/a.html is written
    as plans/a/index.html and linked as plans/a/, for web servers.
    """

    pretty: bool = False
    # linker's memo: links from pages of one depth, by depth; per style, so per build
    _memo: dict[str, dict[str, str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def file(self, path: str) -> str:
        if not self.pretty or not path.endswith(".html") or path.rpartition("/")[2] == INDEX:
            return path
        return path.removesuffix(".html") + "/" + INDEX

    def link(self, from_page: str, to_path: str) -> str:
        """The link from one page to a path: up to the root, then down to the target.

        plans/sales/a.html -> index.html gives ../../index.html. Going through the
        root is as valid as the shortest path and costs no path arithmetic per link.
        """
        if to_path.startswith("#"):
            return to_path
        target, hash_sign, fragment = to_path.partition("#")
        if target == from_page:
            return f"#{fragment}" if hash_sign else self._tail(self.file(target))
        up = "../" * self.file(from_page).count("/")
        href = up + self._href(self.file(target))
        return (href or "./") + hash_sign + fragment

    def linker(self, from_page: str) -> Callable[[str], str]:
        """`url(target)` for one page: link(from_page, target), "" for no target.

        A link depends on the page only through its depth, unless it points into the page
        itself, so results are shared by all pages of a depth (a site draws the same few
        thousand targets from hundreds of pages).
        """
        up = "../" * self.file(from_page).count("/")
        memo = self._memo.setdefault(up, {})
        own = from_page + "#"

        def url(target: str) -> str:
            if not target:
                return ""
            if type(target) is not str or target == from_page or target.startswith(own):
                return self.link(from_page, target)  # into the page itself: not shared
            found = memo.get(target)
            if found is None:
                found = memo[target] = self.link(from_page, target)
            return found

        return url

    def _href(self, file: str) -> str:
        if self.pretty and file.rpartition("/")[2] == INDEX:
            return file.removesuffix(INDEX)
        return file

    def _tail(self, file: str) -> str:
        return "./" if self.pretty and file.endswith(INDEX) else posixpath.basename(file)


DEFAULT_STYLE = UrlStyle()


def relative(from_page: str, to_path: str) -> str:
    return DEFAULT_STYLE.link(from_page, to_path)
