"""A build whose inputs are all unchanged stops early, and any changed input stops that."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from gitkit import commit, git
from inc_kit import assert_same_tree, files_of, full_build
from sitekit import write_site

from planpress.pipeline import BuildCache, BuildOptions, build

PLAN = """\
---
title: {title}
owner: ann
start: 2024-06-03
tasks:
  - {{id: draft, title: Draft it, responsible: bob, due: week 2}}
---

Text.
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(
        tmp_path / "site",
        {
            "planpress.yaml": "title: Inputs\ntoday: 2024-06-20\n",
            "content/people.yaml": "people:\n  ann: {name: Ann Lee}\n",
            "content/launch.md": PLAN.format(title="Launch the shop"),
            "content/promo.md": PLAN.format(title="Summer promotion"),
        },
    )


def test_an_unchanged_build_reads_no_plan_and_reports_what_the_last_one_did(site, tmp_path):
    out = tmp_path / "out"
    first = build(site, out, cache=BuildCache(tmp_path / "cache"))
    again = build(site, out, cache=BuildCache(tmp_path / "cache"))  # as a new process would
    assert first.diagnostics, "bob is not in people.yaml: a warning the next build repeats"
    assert (again.parsed, again.rendered, again.files.written) == (0, 0, 0)
    assert again.files.unchanged == first.files.written
    assert again.plans == first.plans == 2 and again.diagnostics == first.diagnostics
    assert "resolve" not in again.timings  # nothing was resolved, scheduled or drawn
    assert sorted(again.project.site.plans) == ["launch", "promo"]  # loaded when asked for


def _edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text().replace(old, new))


def _write(site: Path, name: str, text: str) -> None:
    write_site(site, {name: text})


# each changes one input of the build: a file (edited in the site) or the options
CHANGES: dict[str, Callable[[Path], object]] = {
    "a plan file": lambda s: _edit(s / "content/promo.md", "Text.", "Other text."),
    "a new plan file": lambda s: _write(s, "content/new.md", PLAN.format(title="New")),
    "a deleted plan file": lambda s: (s / "content/promo.md").unlink(),
    "people.yaml": lambda s: _edit(s / "content/people.yaml", "Ann Lee", "Ann Leigh"),
    "planpress.yaml": lambda s: _edit(s / "planpress.yaml", "Inputs", "Outputs"),
    "a template of the site": lambda s: _write(
        s, "templates/partials/footer.html", "<footer>Ours</footer>\n"
    ),
    "an asset of the site": lambda s: _write(s, "static/extra.css", "p { color: red }\n"),
    "today": lambda s: BuildOptions(today=dt.date(2024, 7, 1)),
    "the options": lambda s: BuildOptions(drafts=True),
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_changed_input_builds_again_and_equals_a_full_build(site, tmp_path, change):
    out, cache = tmp_path / "out", BuildCache(tmp_path / "cache")
    build(site, out, cache=cache)
    options = CHANGES[change](site)
    options = options if isinstance(options, BuildOptions) else BuildOptions()
    again = build(site, out, options, cache=BuildCache(tmp_path / "cache"))
    assert "resolve" in again.timings, f"a changed {change} must not be skipped"
    full_build(site, tmp_path / "full", options)
    assert_same_tree(out, tmp_path / "full")


def test_an_output_folder_changed_by_another_build_is_built_again(site, tmp_path):
    out = tmp_path / "out"
    build(site, out, cache=BuildCache(tmp_path / "cache"))
    _edit(site / "content/promo.md", "Text.", "Other text.")
    build(site, out)  # without the cache: the cache's record of `out` is out of date
    _edit(site / "content/promo.md", "Other text.", "Text.")
    again = build(site, out, cache=BuildCache(tmp_path / "cache"))
    assert "resolve" in again.timings
    full_build(site, tmp_path / "full")
    assert_same_tree(out, tmp_path / "full")


def test_a_build_into_another_folder_is_a_build_of_its_own(site, tmp_path):
    build(site, tmp_path / "one", cache=BuildCache(tmp_path / "cache"))
    other = build(site, tmp_path / "two", cache=BuildCache(tmp_path / "cache"))
    assert other.files.written > 10
    assert files_of(tmp_path / "one") == files_of(tmp_path / "two")


def test_a_commit_changes_the_history_pages_show(site, tmp_path):
    git(site, "init", "-q")
    commit(site, "First plans", "2024-06-01T10:00:00")
    out = tmp_path / "out"
    build(site, out, cache=BuildCache(tmp_path / "cache"))
    assert "First plans" in (out / "plans/promo.html").read_text()
    # the same files, a new commit: only git knows
    git(site, "commit", "-q", "--allow-empty", "-m", "Nothing", date="2024-06-02T10:00:00")
    _edit(site / "content/promo.md", "Text.", "Other text.")
    commit(site, "Reword the promotion", "2024-06-03T10:00:00")
    _edit(site / "content/promo.md", "Other text.", "Text.")
    commit(site, "Back to the first words", "2024-06-04T10:00:00")
    again = build(site, out, cache=BuildCache(tmp_path / "cache"))
    assert "resolve" in again.timings
    assert "Back to the first words" in (out / "plans/promo.html").read_text()
    # the same bytes, no longer committed: only git status knows
    git(site, "rm", "-q", "--cached", "content/promo.md")
    untracked = build(site, out, cache=BuildCache(tmp_path / "cache"))
    assert "resolve" in untracked.timings
    full_build(site, tmp_path / "full")
    assert_same_tree(out, tmp_path / "full")


def test_a_baseline_that_now_names_another_commit_is_read_again(site, tmp_path):
    git(site, "init", "-q")
    commit(site, "First plans", "2024-06-01T10:00:00")
    git(site, "tag", "before")
    _edit(site / "content/promo.md", "due: week 2", "due: week 3")
    commit(site, "Later", "2024-06-02T10:00:00")
    out, options = tmp_path / "out", BuildOptions(baseline="before")
    build(site, out, options, cache=BuildCache(tmp_path / "cache"))
    git(site, "tag", "-f", "before", "HEAD")  # the same name, now the latest commit
    again = build(site, out, options, cache=BuildCache(tmp_path / "cache"))
    assert "resolve" in again.timings
    full_build(site, tmp_path / "full", options)
    assert_same_tree(out, tmp_path / "full")


@pytest.mark.parametrize("how", ["deleted", "changed"])
def test_a_page_changed_by_hand_is_restored_by_the_next_build(site, tmp_path, how):
    out = tmp_path / "out"
    build(site, out, cache=BuildCache(tmp_path / "cache"))
    want = files_of(out)
    page = out / "plans/promo.html"
    if how == "deleted":
        page.unlink()
    else:
        page.write_text(page.read_text().replace("Summer", "Winter"))
    again = build(site, out, cache=BuildCache(tmp_path / "cache"))
    assert again.files.written == 1
    assert files_of(out) == want


def test_a_live_cache_is_saved_by_its_owner_and_then_serves_a_new_process(site, tmp_path):
    """`watch` and `serve` keep a live cache: build() leaves saving it to them."""
    out, folder = tmp_path / "out", tmp_path / "cache"
    live = BuildCache(folder, live=True)
    build(site, out, cache=live)
    assert not list(folder.rglob("*.pickle")) and live.unsaved
    live.save()
    assert not live.unsaved
    again = build(site, out, cache=BuildCache(folder))  # a new process, from disk
    assert "resolve" not in again.timings and again.files.written == 0


def test_a_live_cache_trusts_its_own_folder_and_notices_another_build(site, tmp_path, monkeypatch):
    import planpress.incremental.cache as cache_module

    out, live = tmp_path / "out", BuildCache(tmp_path / "cache", live=True)
    build(site, out, cache=live)
    looked: list[Path] = []
    real = cache_module.output_digest
    monkeypatch.setattr(cache_module, "output_digest", lambda o: looked.append(o) or real(o))
    _edit(site / "content/promo.md", "Text.", "Other text.")
    build(site, out, cache=live)
    assert looked == [], "the folder it wrote last is not looked at file by file"
    # another build, without the cache and for another day, writes pages the live cache
    # would otherwise take for its own
    assert build(site, out, BuildOptions(today=dt.date(2030, 1, 1))).files.written
    build(site, out, cache=live)
    assert looked, "a manifest it did not write: the folder is looked at again"
    full_build(site, tmp_path / "full")
    assert_same_tree(out, tmp_path / "full")
    live.save()  # the state on disk names the folder's real digest, not the live marker
    again = build(site, out, cache=BuildCache(tmp_path / "cache"))
    assert "resolve" not in again.timings and again.files.written == 0
