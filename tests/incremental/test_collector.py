"""The garbage collector during a build: no full passes over whole-site files, and the
process's collector as the build found it."""

from __future__ import annotations

import gc

import pytest
from sitekit import copy_example_site

from planpress.incremental import draw as incremental_draw
from planpress.pipeline import BuildCache, build

# responsibilities.html is not one: its pages show page_size people each (Depends.parties)
WHOLE_SITE_PAGES = {"index.html", "review.html", "roadmap.html"}


@pytest.fixture
def eager_collector():
    """Thresholds that make the collector run full passes all the time."""
    saved = gc.get_threshold()
    gc.set_threshold(50, 1, 1)
    yield
    gc.set_threshold(*saved)


@pytest.fixture
def full_passes(monkeypatch):
    """Full collections counted by the page being drawn ("" between pages)."""
    counts: dict[str, int] = {}
    drawing = [""]
    real = incremental_draw.stream_page

    def stream_page(env, page, ctx):
        drawing[0] = page.path
        try:
            yield from real(env, page, ctx)
        finally:
            drawing[0] = ""

    def count(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            counts[drawing[0]] = counts.get(drawing[0], 0) + 1

    monkeypatch.setattr(incremental_draw, "stream_page", stream_page)
    gc.callbacks.append(count)
    yield counts
    gc.callbacks.remove(count)


def test_no_full_pass_while_a_whole_site_page_is_drawn(tmp_path, eager_collector, full_passes):
    build(copy_example_site(tmp_path / "site"), tmp_path / "out", jobs=1)
    plan_pages = sum(n for page, n in full_passes.items() if page.startswith("plans/"))
    assert plan_pages > 0  # the thresholds do cause full passes on other pages
    assert not {page: n for page, n in full_passes.items() if page in WHOLE_SITE_PAGES}


@pytest.mark.parametrize("cached", [False, True])
def test_a_build_leaves_the_collector_as_it_found_it(tmp_path, cached):
    site = copy_example_site(tmp_path / "site")
    cache = BuildCache(tmp_path / "cache") if cached else None
    before = gc.get_threshold(), gc.isenabled()
    for _ in range(2):
        build(site, tmp_path / "out", cache=cache, jobs=1)
        assert (gc.get_threshold(), gc.isenabled()) == before
        assert gc.get_freeze_count() == 0  # nothing of the build stays frozen


def test_objects_frozen_before_a_build_stay_frozen(tmp_path):
    site = copy_example_site(tmp_path / "site")
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        build(site, tmp_path / "out", jobs=1)
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()


def test_a_forked_build_counts_frozen_objects_only_while_none_are_frozen(tmp_path, monkeypatch):
    """gc.get_freeze_count() walks every frozen object: nested freezes do not ask it."""
    asked: list[int] = []
    real = gc.get_freeze_count

    def counted() -> int:
        asked.append(real())
        return asked[-1]

    monkeypatch.setattr(gc, "get_freeze_count", counted)
    build(copy_example_site(tmp_path / "site"), tmp_path / "out", jobs=2)
    assert all(count == 0 for count in asked)  # asked only while nothing was frozen
    assert real() == 0
