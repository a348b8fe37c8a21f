"""render.paging: how a long list is cut into numbered pages."""

from __future__ import annotations

import itertools

import pytest

from planpress.render.paging import entries, page_path, paginate


def test_the_first_page_keeps_the_list_path_and_the_others_get_a_number() -> None:
    assert page_path("review.html", 1) == "review.html"
    assert page_path("review.html", 2) == "review.2.html"
    assert page_path("milestones/index.html", 12) == "milestones/index.12.html"
    assert page_path("sections/sales/emea.html", 3) == "sections/sales/emea.3.html"


@pytest.mark.parametrize(
    ("total", "size", "count"), [(0, 10, 1), (1, 10, 1), (10, 10, 1), (11, 10, 2), (95, 10, 10)]
)
def test_pages_hold_size_entries_each_and_an_empty_list_has_one_page(
    total: int, size: int, count: int
) -> None:
    pages = paginate(total, size, "review.html")
    assert len(pages) == count
    assert [p.number for p in pages] == list(range(1, count + 1))
    assert pages[0].start == 0 and pages[-1].stop == total
    assert all(a.stop == b.start for a, b in itertools.pairwise(pages))
    assert all(p.stop - p.start <= size for p in pages)
    items = list(range(total))
    assert [x for p in pages for x in entries(items, p)] == items


def test_previous_next_and_the_page_links_around_the_current_page() -> None:
    pages = paginate(100, 10, "review.html")
    first, middle, last = pages[0], pages[4], pages[9]
    assert (first.previous, first.next) == (None, "review.2.html")
    assert (last.previous, last.next) == ("review.9.html", None)
    assert [n for n, _ in first.links()] == [1, 2, 3, 0, 10]
    assert [n for n, _ in middle.links()] == [1, 0, 3, 4, 5, 6, 7, 0, 10]
    assert dict(middle.links())[5] == "review.5.html"
    assert [n for n, _ in last.links()] == [1, 0, 8, 9, 10]
    # no gap for a single missing page number: it is shown instead
    assert [n for n, _ in pages[3].links()] == [1, 2, 3, 4, 5, 6, 0, 10]


def test_a_page_key_changes_with_anything_its_pager_shows() -> None:
    keys = {p.key for total in (100, 101) for p in paginate(total, 10, "x.html")}
    assert len(keys) == 21
