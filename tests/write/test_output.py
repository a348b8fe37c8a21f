from pathlib import Path

import pytest

from planpress.diagnostics import PlanpressError
from planpress.write import MANIFEST, check_output_dir, write_output


def test_writes_only_changed_files_and_removes_only_its_own(tmp_path: Path):
    out = tmp_path / "site"
    assert write_output(out, {"a.html": b"A", "d/b.html": b"B"}).written == 2
    (out / "mine.txt").write_text("keep")
    result = write_output(out, {"a.html": b"A", "c.html": b"C"})
    assert (result.written, result.unchanged, result.removed) == (1, 1, 1)
    assert not (out / "d").exists()
    assert (out / "mine.txt").read_text() == "keep"
    assert MANIFEST in {p.name for p in out.iterdir()}
    assert not [p for p in out.rglob(".planpress-tmp-*")]


def test_refuses_paths_outside_the_output(tmp_path: Path):
    with pytest.raises(PlanpressError):
        write_output(tmp_path / "site", {"../escape.html": b"x"})
    assert not (tmp_path / "escape.html").exists()


@pytest.mark.parametrize("name", ["content", "content/sub", ".", "/"])
def test_refuses_dangerous_output_folders(tmp_path: Path, name: str):
    (tmp_path / "content").mkdir()
    target = Path(name) if name == "/" else tmp_path / name
    with pytest.raises(PlanpressError):
        check_output_dir(target, tmp_path, tmp_path / "content")


def test_refuses_home_and_foreign_folders(tmp_path: Path):
    (tmp_path / "content").mkdir()
    with pytest.raises(PlanpressError):
        check_output_dir(Path.home(), tmp_path, tmp_path / "content")
    foreign = tmp_path / "other"
    foreign.mkdir()
    (foreign / "x").write_text("x")
    with pytest.raises(PlanpressError, match="not made by planpress"):
        check_output_dir(foreign, tmp_path, tmp_path / "content")


class Staged(dict):
    """{name: bytes} whose files were written in full elsewhere, as incremental.stage's."""

    def __init__(self, folder: Path, files: dict[str, bytes]) -> None:
        super().__init__(files)
        self.paths = {}
        for number, (name, data) in enumerate(files.items()):
            path = folder / f"staged-{number}"
            path.write_bytes(data)
            self.paths[name] = str(path)

    def staged_path(self, name: str) -> str | None:
        return self.paths[name]


def test_staged_files_are_moved_into_place_not_copied(tmp_path: Path):
    stage = tmp_path / "stage"
    stage.mkdir()
    files = Staged(stage, {"index.html": b"<p>home</p>", "plans/a.html": b"<p>a</p>"})
    out = tmp_path / "out"
    result = write_output(out, files)
    assert result.written == 2
    assert (out / "plans/a.html").read_bytes() == b"<p>a</p>"
    assert list(stage.iterdir()) == [], "renamed, so nothing was written twice"
    assert (out / "plans/a.html").stat().st_mode & 0o777 == 0o644


def test_a_staged_file_on_another_file_system_is_copied(tmp_path: Path, monkeypatch):
    import errno
    import os

    import planpress.write.output as output_module

    real = os.replace

    def across(source, target):
        if "staged-" in str(source):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real(source, target)

    monkeypatch.setattr(output_module.os, "replace", across)
    stage = tmp_path / "stage"
    stage.mkdir()
    out = tmp_path / "out"
    write_output(out, Staged(stage, {"index.html": b"<p>home</p>"}))
    assert (out / "index.html").read_bytes() == b"<p>home</p>"
    assert not [p for p in out.iterdir() if p.name.startswith(".planpress-tmp")]


def test_a_caller_that_knows_what_changed_spares_the_reading(tmp_path: Path, monkeypatch):
    out = tmp_path / "out"
    write_output(out, {"a.html": b"A", "big.json": b"{}"})
    read = record_reads(monkeypatch)
    result = write_output(out, {"big.json": b"[]"}, kept=["a.html"], compare=False)
    assert (result.written, result.unchanged) == (1, 1)
    assert not [path for path in read if path.name == "big.json"]  # written, never read
    assert (out / "big.json").read_bytes() == b"[]"


def record_reads(monkeypatch) -> list[Path]:
    read: list[Path] = []
    real = Path.read_bytes

    def reading(path: Path) -> bytes:
        read.append(path)
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", reading)
    return read
