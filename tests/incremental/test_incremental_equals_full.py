"""After any sequence of edits, an incremental build writes exactly what a clean build writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from inc_kit import RandomSite, assert_same_tree, cached_build, full_build

from planpress.incremental import draw
from planpress.pipeline import BuildCache

STEPS = 60
CHECK_EVERY = 6


@pytest.mark.parametrize("seed", [1, 2])
def test_incremental_build_equals_full_build_after_random_edits(tmp_path: Path, seed: int):
    site = RandomSite(tmp_path / "site", seed)
    out, folder = tmp_path / "out", tmp_path / "cache"
    cache = BuildCache(folder)
    cached_build(site.root, out, cache)
    done = []
    for step in range(1, STEPS + 1):
        done.append(site.step())
        roll = site.rng.random()
        if roll < 0.15:
            cache = BuildCache(folder)  # a new `planpress build` process: the cache from disk
        elif roll < 0.2:
            shutil.rmtree(folder, ignore_errors=True)  # somebody deleted the cache
            cache = BuildCache(folder)
        got = cached_build(site.root, out, cache)
        if step % CHECK_EVERY == 0 or step == STEPS:
            want = full_build(site.root, tmp_path / "reference")
            if isinstance(got, list) or isinstance(want, list):  # the site has errors
                assert got == want, f"after {done}"
                continue
            assert_same_tree(out, tmp_path / "reference")
            assert got.project.diagnostics == want.project.diagnostics, f"after {done}"


def test_a_kept_cache_draws_nothing_after_a_no_op_step(tmp_path: Path):
    site = RandomSite(tmp_path / "site", 7)
    out, cache = tmp_path / "out", BuildCache(persist=False)
    cached_build(site.root, out, cache)
    again = cached_build(site.root, out, cache)
    assert (again.rendered, again.parsed, again.files.written) == (0, 0, 0)


def test_watch_drawing_in_workers_on_paged_lists_equals_full_build(tmp_path: Path, monkeypatch):
    """As `watch` keeps its cache, with every rebuild drawn by forked workers that hand back
    the parts they made, on a site whose lists continue on pages that shift."""
    monkeypatch.setattr(draw, "PARALLEL_PAGES", 1)
    monkeypatch.setattr(draw.pool, "can_fork", lambda: True)
    site = RandomSite(tmp_path / "site", 5, plans=10, page_size=3)
    out, cache = tmp_path / "out", BuildCache(persist=False, live=True)
    cached_build(site.root, out, cache, jobs=3)
    done = []
    for step in range(1, 31):
        done.append(site.step())
        got = cached_build(site.root, out, cache, jobs=3)
        if step % 5 == 0:
            want = full_build(site.root, tmp_path / "reference")
            if isinstance(got, list) or isinstance(want, list):
                assert got == want, f"after {done}"
                continue
            assert_same_tree(out, tmp_path / "reference")
