"""Portfolio pages in pages: a long list continues on numbered pages of `page_size` entries.

A page that lists every plan (the review, the roadmap, a section) or every milestone grows
with the portfolio; at 10,000 plans it would be a file of a hundred megabytes that no
browser opens. So such a list is cut into pages of `page_size` entries (planpress.yaml,
default 100): the first keeps the page's usual path, page n the path with `.n` before
`.html` (review.html, review.2.html, review.3.html …; milestones/index.2.html). Slugs never
contain a dot, so these names never meet a section's, a tag's or another page's.

A site whose lists fit on one page gets exactly the pages it always had.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

WINDOW = 2  # page links shown either side of the current page, besides the first and last


def page_path(base: str, number: int) -> str:
    """The path of page `number` (from 1) of the page at `base`."""
    if number == 1:
        return base
    return f"{base.removesuffix('.html')}.{number}.html"


@dataclass(frozen=True, slots=True)
class Paging:
    """Where one page sits in its list: which entries it shows, and every page's path."""

    number: int  # this page, from 1
    paths: tuple[str, ...]  # every page of the list, the first at the list's own path
    start: int  # the index of this page's first entry (from 0)
    stop: int  # one past its last entry
    total: int  # entries in the whole list

    @property
    def count(self) -> int:
        return len(self.paths)

    @property
    def path(self) -> str:
        return self.paths[self.number - 1]

    @property
    def first(self) -> bool:
        return self.number == 1

    @property
    def previous(self) -> str | None:
        return self.paths[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.paths[self.number] if self.number < self.count else None

    @property
    def key(self) -> str:
        """What a page shows of its place in the list (for its fingerprint)."""
        return f"page {self.number}/{self.count} {self.start}-{self.stop}/{self.total}"

    def links(self) -> list[tuple[int, str | None]]:
        """The page links a pager shows: (number, path), with (0, None) for a gap: the
        first and last page, and WINDOW pages either side of this one."""
        shown = {1, self.count, *range(self.number - WINDOW, self.number + WINDOW + 1)}
        found: list[tuple[int, str | None]] = []
        for number in sorted(n for n in shown if 1 <= n <= self.count):
            if found and number - found[-1][0] > 1:
                found.append((0, None))
            found.append((number, self.paths[number - 1]))
        return found


def paginate(total: int, size: int, base: str) -> list[Paging]:
    """The pages of a list of `total` entries, `size` to a page; one page for an empty
    list."""
    size = max(1, size)
    count = max(1, -(-total // size))
    paths = tuple(page_path(base, number) for number in range(1, count + 1))
    return [
        Paging(number, paths, (number - 1) * size, min(total, number * size), total)
        for number in range(1, count + 1)
    ]


def entries(items: Sequence[T], paging: Paging) -> Sequence[T]:
    return items[paging.start : paging.stop]
