"""Publishing into a folder a web server is serving: complete files only, healed after a crash."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from serve_kit import GROWTH, plan, write

import planpress.write.output as output_module
from planpress.pipeline import BuildCache, build
from planpress.write import MANIFEST
from planpress.write.output import TEMP_PREFIX

REPO = Path(__file__).parents[2]


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.fixture
def versions(tmp_path: Path):
    """A site at version 1, then changed to version 2 (a plan changed, one added, one removed).

    Returns (site, reference build of v1, reference build of v2); the site is left at v2.
    """
    site = tmp_path / "site"
    write(site / "planpress.yaml", "title: Publish\ntoday: 2024-08-01\n")
    write(site / "content" / "growth.md", GROWTH)
    write(site / "content" / "launch.md", plan("Launch v1"))
    write(site / "content" / "old.md", plan("Old plan"))
    first = build(site, tmp_path / "v1").output
    write(site / "content" / "launch.md", plan("Launch v2", "Changed. " * 50))
    (site / "content" / "old.md").unlink()
    write(site / "content" / "new.md", plan("New plan"))
    second = build(site, tmp_path / "v2").output
    return site, files_of(first), files_of(second)


def assert_old_or_new(out: Path, old: dict[str, bytes], new: dict[str, bytes]) -> None:
    """Every file complete (all old or all new bytes), no temporaries, the manifest covering all."""
    on_disk = files_of(out)
    leftovers = [name for name in on_disk if Path(name).name.startswith(TEMP_PREFIX)]
    assert not leftovers
    for name, data in on_disk.items():
        if name == MANIFEST:
            continue
        assert data in (old.get(name), new.get(name)), f"{name} is neither the old nor the new file"
    listed = set(json.loads(on_disk[MANIFEST]))
    assert set(on_disk) - {MANIFEST} <= listed, "a file of planpress is missing from the manifest"


def assert_healed(site: Path, out: Path, new: dict[str, bytes]) -> None:
    build(site, out)
    assert files_of(out) == new


def test_an_interrupted_build_leaves_every_file_old_or_new_and_heals(
    versions, tmp_path, monkeypatch
):
    site, old, new = versions
    real_replace = os.replace
    renames: list[str] = []

    def counting_replace(source, target, *args, **kwargs):
        renames.append(Path(target).name)
        return real_replace(source, target, *args, **kwargs)

    monkeypatch.setattr(output_module.os, "replace", counting_replace)
    build(site, shutil.copytree(tmp_path / "v1", tmp_path / "count"))
    monkeypatch.undo()
    total = len(renames)  # the extended manifest, every changed file, the final manifest
    assert renames[0] == renames[-1] == MANIFEST and total > 10
    for stop_at in sorted({0, 1, 2, total // 2, total - 2, total - 1}):
        out = shutil.copytree(tmp_path / "v1", tmp_path / f"out-{stop_at}")
        done: list[str] = []

        def interrupted_replace(source, target, *args, done=done, stop_at=stop_at, **kwargs):
            if len(done) == stop_at:  # Ctrl-C between writing a temporary file and renaming it
                raise KeyboardInterrupt
            done.append(Path(target).name)
            return real_replace(source, target, *args, **kwargs)

        monkeypatch.setattr(output_module.os, "replace", interrupted_replace)
        with pytest.raises(KeyboardInterrupt):
            build(site, out)
        monkeypatch.undo()
        assert_old_or_new(out, old, new)
        assert_healed(site, out, new)


def test_files_are_published_assets_first_new_pages_next_home_page_last_stale_after(
    versions, tmp_path, monkeypatch
):
    site, _, new = versions
    out = tmp_path / "out"
    shutil.copytree(tmp_path / "v1", out)
    order: list[str] = []
    real_write = output_module._atomic_write

    def recording_write(target: Path, data: bytes) -> None:
        name = target.relative_to(out).as_posix()
        if name == "index.html":
            assert (out / "plans" / "old.html").exists(), "stale pages go only after the home page"
            assert (out / "plans" / "new.html").exists()
        order.append(name)
        real_write(target, data)

    real_move = output_module._move

    def recording_move(source: str, target: Path) -> bool:
        moved = real_move(source, target)
        if moved:  # a staged file renamed into place: published like a write
            order.append(target.relative_to(out).as_posix())
        return moved

    monkeypatch.setattr(output_module, "_atomic_write", recording_write)
    monkeypatch.setattr(output_module, "_move", recording_move)
    build(site, out)
    assert order[0] == MANIFEST and order[-1] == MANIFEST  # extended first, final last
    pages = order[1:-1]
    html = [name for name in pages if name.endswith(".html")]
    assets = [name for name in pages if not name.endswith(".html")]
    assert pages == assets + html
    assert html[0] == "plans/new.html" and html[-1] == "index.html"
    assert not (out / "plans" / "old.html").exists()
    assert files_of(out) == new


def kill_while_renaming(
    site: Path, out: Path, cached: bool = False, moves: bool = False
) -> list[Path]:
    """Run a build in a process killed while it renames its files; its temporary files.

    Without `moves`, every file is written beside its target and renamed (as when the
    staging folder is on another file system); with it, staged files are moved into place.
    """
    cache = "BuildCache()" if cached else "None"
    copies = "" if moves else "output_module._move = lambda source, target: False"
    script = textwrap.dedent(
        f"""
        import os, sys, time
        from planpress.pipeline import BuildCache, build
        import planpress.write.output as output_module
        {copies}
        real = os.replace
        def slow(source, target, *args, **kwargs):
            print("renaming", target, flush=True)
            time.sleep(0.2)  # killed here: the temporary file is written, not yet renamed
            return real(source, target, *args, **kwargs)
        os.replace = slow
        build({str(site)!r}, {str(out)!r}, cache={cache})
        print("finished", flush=True)
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(line)
        if len(seen) == 4:
            break
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    assert len(seen) == 4 and "finished" not in "".join(seen)
    temporaries = [p for p in out.rglob(f"{TEMP_PREFIX}*")]
    if not moves:
        assert temporaries, "killed between writing and renaming: a temporary file is left"
    return temporaries


def test_a_killed_build_leaves_the_old_site_and_the_next_build_heals_it(versions, tmp_path):
    site, old, new = versions
    out = tmp_path / "out"
    shutil.copytree(tmp_path / "v1", out)
    temporaries = kill_while_renaming(site, out)
    kept = {t.relative_to(out).as_posix() for t in temporaries}
    on_disk = {n: d for n, d in files_of(out).items() if n not in kept}
    for name, data in on_disk.items():
        if name != MANIFEST:
            assert data in (old.get(name), new.get(name)), name
    assert set(on_disk) - {MANIFEST} <= set(json.loads(on_disk[MANIFEST]))
    assert_healed(site, out, new)


def test_a_cached_build_after_a_killed_one_removes_its_temporary_files(versions, tmp_path):
    """An incremental build skips looking for temporary files only when the last build into
    the folder finished; a killed one leaves no state of the folder to trust."""
    site, _, _ = versions
    out = tmp_path / "out"
    build(site, out, cache=BuildCache())
    write(site / "content" / "launch.md", plan("Launch v3", "Changed again. " * 50))
    kill_while_renaming(site, out, cached=True)
    build(site, out, cache=BuildCache())
    assert not list(out.rglob(f"{TEMP_PREFIX}*"))
    assert files_of(out) == files_of(build(site, tmp_path / "reference").output)
