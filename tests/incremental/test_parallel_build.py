"""Builds over several processes: the same bytes as one process, and errors as diagnostics."""

from __future__ import annotations

from pathlib import Path

import pytest
from inc_kit import RandomSite, assert_same_tree, files_of
from sitekit import copy_example_site

from planpress.diagnostics import PlanpressError
from planpress.incremental import documents, pool
from planpress.incremental import draw as incremental_draw
from planpress.pipeline import BuildCache, build
from planpress.render.pages import plans as plan_pages

pytestmark = pytest.mark.skipif(not pool.can_fork(), reason="workers are forked")


@pytest.fixture
def always_parallel(monkeypatch):
    """Small sites normally stay in one process; here every build forks workers."""
    monkeypatch.setattr(incremental_draw, "PARALLEL_PAGES", 1)
    monkeypatch.setattr(documents, "PARALLEL_DOCUMENTS", 1)
    monkeypatch.setattr(documents, "PARALLEL_LOAD_JOBS", 2)


def example_site(tmp_path: Path) -> Path:
    return copy_example_site(tmp_path / "example")


def test_a_parallel_build_writes_what_one_process_writes(tmp_path, always_parallel):
    site = example_site(tmp_path)
    one = build(site, tmp_path / "one", jobs=1)
    three = build(site, tmp_path / "three", jobs=3)
    assert one.rendered == three.rendered > 20
    assert_same_tree(tmp_path / "three", tmp_path / "one")
    assert one.project.diagnostics == three.project.diagnostics


def test_parallel_incremental_builds_equal_one_process_builds(tmp_path, always_parallel):
    random_site = RandomSite(tmp_path / "site", 11, plans=12)
    caches = {jobs: BuildCache(tmp_path / f"cache{jobs}") for jobs in (1, 2)}
    for _ in range(8):
        random_site.step()
        for jobs, cache in caches.items():
            build(random_site.root, tmp_path / f"out{jobs}", cache=cache, jobs=jobs)
        assert files_of(tmp_path / "out1") == files_of(tmp_path / "out2")


def test_a_template_error_in_a_worker_is_a_diagnostic(tmp_path, always_parallel):
    site = example_site(tmp_path)
    override = site / "templates" / "milestone.html"
    override.parent.mkdir()
    override.write_text("{% extends 'base.html' %}{% block content %}{{ nope.x }}{% endblock %}\n")
    with pytest.raises(PlanpressError) as caught:
        build(site, tmp_path / "out", jobs=2)
    assert "template" in str(caught.value)
    assert any("milestone.html" in d.format() for d in caught.value.diagnostics)
    assert not (tmp_path / "out").exists()  # nothing was written


def test_a_bug_in_a_worker_is_an_internal_error(tmp_path, always_parallel, monkeypatch):
    site = example_site(tmp_path)

    def broken(ctx, plan, path):
        raise ValueError("boom")

    monkeypatch.setattr(plan_pages, "plan_context", broken)
    with pytest.raises(PlanpressError) as caught:
        build(site, tmp_path / "out", jobs=2)
    assert "internal error" in str(caught.value) and "ValueError: boom" in str(caught.value)
    assert caught.value.diagnostics and "boom" in caught.value.diagnostics[0].message
