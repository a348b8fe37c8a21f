"""Loading documents in worker processes gives what loading them in one process gives."""

from __future__ import annotations

import contextlib
import gc
from pathlib import Path

import pytest
from inc_kit import RandomSite

from planpress.config import load_config
from planpress.diagnostics import BuildFailed, Diagnostics
from planpress.incremental import documents, pool
from planpress.incremental.cache import BuildCache
from planpress.incremental.documents import LoadedPlans, load_plans
from planpress.pipeline import load_site
from planpress.resolve.model import PLAN_KINDS

BROKEN = {  # documents that report problems, among the plans, in path order
    "a-unclosed.md": '---\ntitle: "Unclosed\nowner: ann\n---\n',
    "sales/b-tabs.md": "---\ntitle: Tabs\ntasks:\n\t- id: x\n---\n",
    "sales/c-duplicate.md": "---\ntitle: Twice\ntitle: Again\nowner: Zed Unknown\n---\n",
    "ops/d-list.md": "---\n- not\n- a mapping\n---\n",
    "ops/e-tag.md": "---\ntitle: !!python/object/apply:os.system ['true']\n---\n",
    "ops/north/f-alias.md": "---\ntitle: &t Aliased\nsummary: *t\nowner: quinn nobody\n---\n",
    "ops/north/g-unclosed-front.md": "---\ntitle: Never closed\n",
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """Sixty plans, some naming people that people.yaml does not know, and broken ones."""
    root = tmp_path / "site"
    RandomSite(root, seed=7, plans=60)
    for name, text in BROKEN.items():
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / "content" / "ops" / "h-latin1.md").write_bytes(b"---\ntitle: Caf\xe9\n---\n")
    return root


@pytest.fixture
def forked(monkeypatch) -> list[int]:
    """Load in workers from two jobs on, in chunks of three; lists the documents sent."""
    sent: list[int] = []
    run = pool.run

    def counting(function, payloads, jobs, **kwargs):
        sent.extend(len(chunk) for chunk in payloads)
        return run(function, payloads, jobs, **kwargs)

    monkeypatch.setattr(documents, "PARALLEL_DOCUMENTS", 1)
    monkeypatch.setattr(documents, "PARALLEL_LOAD_JOBS", 2)
    monkeypatch.setattr(documents, "_CHUNK", 3)
    monkeypatch.setattr(pool, "run", counting)
    return sent


def load(site: Path, jobs: int, cache: BuildCache | None = None) -> tuple[LoadedPlans, list]:
    diagnostics = Diagnostics()
    config = load_config(site, diagnostics)
    loaded = load_plans(config, PLAN_KINDS, diagnostics, cache, jobs)
    return loaded, list(diagnostics.items)


def assert_same(got: tuple[LoadedPlans, list], want: tuple[LoadedPlans, list]) -> None:
    (loaded, diagnostics), (expected, expected_diagnostics) = got, want
    assert loaded.plans == expected.plans
    assert diagnostics == expected_diagnostics  # the same problems, in the same order
    assert loaded.index.parties == expected.index.parties
    assert list(loaded.models.values()) == list(expected.models.values())


@pytest.mark.skipif(not pool.can_fork(), reason="workers are forked")
def test_workers_load_what_one_process_loads(site, forked):
    one = load(site, jobs=1)
    assert not forked
    two = load(site, jobs=2)
    assert sum(forked) == 68  # every document went to the workers
    assert_same(two, one)
    plans, diagnostics = one
    assert None in plans.plans and len(plans.plans) == 68
    messages = " ".join(d.message for d in diagnostics)
    assert "duplicate key" in messages and "unknown person or team" in messages
    assert "tabs" in " ".join(d.hint or "" for d in diagnostics)


@pytest.mark.skipif(not pool.can_fork(), reason="workers are forked")
def test_entries_from_workers_are_cached_as_one_process_would(site, tmp_path, forked):
    one = load(site, jobs=1, cache=BuildCache(tmp_path / "one"))
    cache = BuildCache(tmp_path / "two")
    two = load(site, jobs=2, cache=cache)
    assert two[0].built == 68 and sum(forked) == 68
    assert_same(two, one)
    cache.save()
    forked.clear()
    again = load(site, jobs=2, cache=BuildCache(tmp_path / "two"))  # from the saved pickles
    assert again[0].built == 0 and not forked
    assert_same(again, one)


def test_few_documents_are_loaded_in_this_process(site, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("no worker should start")

    monkeypatch.setattr(documents, "PARALLEL_DOCUMENTS", 69)
    monkeypatch.setattr(pool, "run", refuse)
    loaded, _ = load(site, jobs=4)
    assert loaded.built == 68


def test_the_collector_rests_while_loading_and_is_left_as_it_was(site):
    started: list[int] = []

    def note(phase: str, info: dict) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(note)
    try:
        with contextlib.suppress(BuildFailed):  # the broken documents fail the load at its end
            load_site(site, jobs=1)
    finally:
        gc.callbacks.remove(note)
    assert not started  # tens of thousands of objects, and not one collection
    assert gc.isenabled() and gc.get_freeze_count() == 0
