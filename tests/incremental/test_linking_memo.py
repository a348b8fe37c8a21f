"""resolve.linking: a site linked with the last build's memo is the site linked afresh."""

from __future__ import annotations

from pathlib import Path

import pytest
from inc_kit import RandomSite

from planpress.diagnostics import BuildFailed
from planpress.pipeline import BuildCache, BuildOptions, load_site
from planpress.pipeline import _load as load_with_cache


def _linked(project) -> tuple:
    site = project.site
    return (
        list(site.plans),
        list(site.parties),
        site.references,
        site.supported_by,
        site.referenced_by,
        site.assignments,
        site.assignments_by_plan,
        project.diagnostics,
    )


@pytest.mark.parametrize("seed", [3, 4])
def test_linking_with_the_memo_equals_linking_afresh_after_random_edits(tmp_path: Path, seed):
    site = RandomSite(tmp_path / "site", seed)
    cache = BuildCache(persist=False)
    compared = 0
    for _ in range(40):
        site.step()
        try:
            fresh = load_site(site.root, jobs=1)
        except BuildFailed:
            continue
        kept = load_with_cache(site.root, BuildOptions(), None, cache, 1, None)[0]
        assert _linked(kept) == _linked(fresh)
        compared += 1
    assert compared > 10
