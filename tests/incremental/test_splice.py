"""Whole-site files spliced from the last published one: the same bytes as a clean build."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from inc_kit import RandomSite, assert_same_tree, full_build

from planpress.incremental import splice
from planpress.pipeline import BuildCache, build


@pytest.fixture
def copies(monkeypatch) -> list[int]:
    """The lengths os.copy_file_range was asked to copy."""
    asked: list[int] = []
    real = os.copy_file_range

    def counted(src: int, dst: int, count: int, *args: object) -> int:
        asked.append(count)
        return real(src, dst, count, *args)

    monkeypatch.setattr(splice.os, "copy_file_range", counted)
    return asked


def _rename_a_plan(site: RandomSite) -> None:
    path = sorted((site.root / "content").rglob("*.md"))[0]
    text = path.read_text()
    path.write_text(text.replace("title: ", "title: Renamed ", 1))


def _watch(tmp_path: Path) -> tuple[RandomSite, Path, BuildCache]:
    site = RandomSite(tmp_path / "site", 3, plans=12)
    out, cache = tmp_path / "out", BuildCache(persist=False, live=True)
    build(site.root, out, cache=cache, jobs=1)
    return site, out, cache


def test_unchanged_pieces_are_copied_from_the_published_file(tmp_path, copies):
    site, out, cache = _watch(tmp_path)
    assert "plans.json" in cache.layouts
    copies.clear()
    _rename_a_plan(site)
    build(site.root, out, cache=cache, jobs=1)
    # plans.json, the CSVs and the search index: the other plans' pieces, in a few ranges
    assert 0 < len(copies) <= 4 * 3
    assert sum(copies) > (out / "plans.json").stat().st_size // 2
    assert "Renamed" in json.dumps(json.loads((out / "plans.json").read_text()))
    full_build(site.root, tmp_path / "reference")
    assert_same_tree(out, tmp_path / "reference")


def test_a_published_file_changed_by_someone_else_is_not_copied_from(tmp_path, copies):
    site, out, cache = _watch(tmp_path)
    published = out / "plans.json"
    published.write_bytes(published.read_bytes().replace(b'"plans":[', b'"plans": ['))
    copies.clear()
    _rename_a_plan(site)
    build(site.root, out, cache=cache, jobs=1)
    full_build(site.root, tmp_path / "reference")
    assert published.read_bytes() == (tmp_path / "reference/plans.json").read_bytes()
    assert_same_tree(out, tmp_path / "reference")


def test_a_file_system_that_cannot_copy_ranges_gets_the_bytes_read_and_written(
    tmp_path, monkeypatch
):
    def unsupported(*args: object) -> int:
        raise OSError(errno.EXDEV, "cross-device")

    site, out, cache = _watch(tmp_path)
    monkeypatch.setattr(splice.os, "copy_file_range", unsupported)
    _rename_a_plan(site)
    build(site.root, out, cache=cache, jobs=1)
    full_build(site.root, tmp_path / "reference")
    assert_same_tree(out, tmp_path / "reference")


def test_without_copy_file_range_the_bytes_are_read_and_written(tmp_path, monkeypatch):
    site, out, cache = _watch(tmp_path)
    monkeypatch.delattr(splice.os, "copy_file_range")  # macOS has none
    _rename_a_plan(site)
    build(site.root, out, cache=cache, jobs=1)
    full_build(site.root, tmp_path / "reference")
    assert_same_tree(out, tmp_path / "reference")
