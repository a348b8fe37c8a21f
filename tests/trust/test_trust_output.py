"""planpress writes and deletes only inside the output folder, and only its own files.

It refuses an output folder that is the content folder, lies inside it or contains it, or is
`/` or the home folder; it removes only stale files its manifest names, never through a
hand-edited manifest or a link that leads out of the output folder.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from trust_kit import CORPUS, run_cli, run_main, snapshot, write_files


@pytest.fixture
def site(tmp_path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(CORPUS / "_base", root)
    return root


CACHE = ".planpress-cache/"  # the build cache, in the site folder (off with --no-cache)


def _everything(folder: Path) -> dict[str, bytes]:
    """Every file under folder but the build cache's."""
    return {name: data for name, data in snapshot(folder).items() if CACHE not in name}


@pytest.mark.parametrize(
    "target",
    ["content", "content/sub", ".", "..", "/", "HOME"],
)
def test_dangerous_output_folders_are_refused(site, target, monkeypatch):
    home = site.parent / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    output = str(home) if target == "HOME" else target if target == "/" else str(site / target)
    before = snapshot(site.parent)
    result = run_main("build", str(site), "-o", output, "--no-cache")
    assert result.returncode == 1
    assert "refusing to write the site into" in result.stderr, result.stderr
    assert snapshot(site.parent) == before  # not a byte anywhere


def test_a_folder_planpress_did_not_make_is_refused(site):
    (site / "www").mkdir()
    (site / "www/index.html").write_text("someone else's", encoding="utf-8")
    result = run_main("build", str(site), "-o", str(site / "www"))
    assert result.returncode == 1 and "was not made by planpress" in result.stderr
    assert (site / "www/index.html").read_text(encoding="utf-8") == "someone else's"


@pytest.mark.parametrize("cache", ["cache", "no-cache"])
def test_only_the_output_folder_changes(site, cache):
    before = snapshot(site.parent)
    options = ["--no-cache"] if cache == "no-cache" else []
    result = run_cli("build", str(site), "-o", str(site / "out"), *options)
    assert result.returncode == 0, result.stderr
    after = snapshot(site.parent)
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    allowed = ("site/out/", f"site/{CACHE}") if cache == "cache" else ("site/out/",)
    assert changed and all(name.startswith(allowed) for name in changed), sorted(changed)[:5]
    assert not [p for p in (site / "out").rglob(".planpress-tmp-*")]


def test_only_its_own_stale_files_are_removed(site):
    out = site / "out"
    assert run_main("build", str(site), "-o", str(out)).returncode == 0
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "plans/mine.html").write_text("mine", encoding="utf-8")
    write_files(site, {"content/later.md": "---\ntitle: Later\n---\n"})
    assert run_main("build", str(site), "-o", str(out)).returncode == 0
    assert (out / "plans/later.html").is_file()
    (site / "content/later.md").unlink()
    assert run_main("build", str(site), "-o", str(out)).returncode == 0
    assert not (out / "plans/later.html").exists()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "plans/mine.html").read_text(encoding="utf-8") == "mine"


def test_a_hand_edited_manifest_deletes_nothing_outside(site):
    out = site / "out"
    assert run_main("build", str(site), "-o", str(out)).returncode == 0
    victims = [site.parent / "victim.txt", site / "content/good.md", site / "planpress.yaml"]
    site.parent.joinpath("victim.txt").write_text("precious", encoding="utf-8")
    before = {path: path.read_bytes() for path in victims}
    names = ["../victim.txt", "../../victim.txt", str(victims[0]), "plans/../../content/good.md"]
    names += ["..\\\\planpress.yaml", "./../planpress.yaml", "a/../../planpress.yaml"]
    manifest = (out / ".planpress-manifest.json").read_text(encoding="utf-8")
    extra = ",\n".join(f'"{name}"' for name in names)
    (out / ".planpress-manifest.json").write_text(
        manifest.replace("[\n", f"[\n{extra},\n", 1), encoding="utf-8"
    )
    result = run_main("build", str(site), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert {path: path.read_bytes() for path in victims} == before


def test_a_link_out_of_the_output_folder_is_never_written_through(site):
    out, elsewhere = site / "out", site.parent / "elsewhere"
    assert run_main("build", str(site), "-o", str(out)).returncode == 0
    elsewhere.mkdir()
    (elsewhere / "good.html").write_text("not planpress's", encoding="utf-8")
    shutil.rmtree(out / "plans")
    (out / "plans").symlink_to(elsewhere, target_is_directory=True)
    good = site / "content/good.md"
    good.write_text(good.read_text(encoding="utf-8").replace("A good plan", "Renamed"), "utf-8")
    result = run_main("build", str(site), "-o", str(out))
    assert result.returncode == 1
    assert "leads outside it" in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in elsewhere.iterdir()] == ["good.html"]
    assert (elsewhere / "good.html").read_text(encoding="utf-8") == "not planpress's"


def test_stale_files_behind_a_link_are_left_alone(site):
    out, elsewhere = site / "out", site.parent / "elsewhere"
    write_files(site, {"content/extra/later.md": "---\ntitle: Later\n---\n"})
    assert run_main("build", str(site), "-o", str(out)).returncode == 0
    (site / "content/extra/later.md").unlink()
    (site / "content/extra").rmdir()
    # the folder of the now stale page becomes a link to a folder with a file of that name
    shutil.rmtree(out / "plans/extra")
    elsewhere.mkdir()
    (elsewhere / "later.html").write_text("keep", encoding="utf-8")
    os.symlink(elsewhere, out / "plans/extra")
    assert run_main("build", str(site), "-o", str(out)).returncode == 0
    assert (elsewhere / "later.html").read_text(encoding="utf-8") == "keep"


def test_an_output_folder_that_is_a_link_is_fine(site):
    real = site.parent / "www-real"
    real.mkdir()
    (site.parent / "www").symlink_to(real, target_is_directory=True)
    result = run_main("build", str(site), "-o", str(site.parent / "www"))
    assert result.returncode == 0, result.stderr
    assert (real / "plans/good.html").is_file()
