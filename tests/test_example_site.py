"""The committed example site is exactly what the current code builds (also proves determinism)."""

from __future__ import annotations

from pathlib import Path

from sitekit import REPO

from planpress.pipeline import BuildOptions, build, check


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_example_site_checks_clean_even_strict():
    assert check(REPO, BuildOptions(strict=True)) == []


def test_committed_site_is_what_the_code_builds(tmp_path):
    build(REPO, tmp_path / "site")
    built, committed = files_under(tmp_path / "site"), files_under(REPO / "site")
    assert sorted(built) == sorted(committed), "site/ is stale: run `planpress build` and commit"
    changed = [name for name in built if built[name] != committed[name]]
    assert not changed, f"site/ is stale in {changed[:5]}: run `planpress build` and commit"


def test_builds_are_byte_identical_under_other_timezones_and_locales(tmp_path, monkeypatch):
    build(REPO, tmp_path / "a")
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    build(REPO, tmp_path / "b")
    assert files_under(tmp_path / "a") == files_under(tmp_path / "b")
