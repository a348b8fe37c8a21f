from pathlib import Path

from planpress.diagnostics import Diagnostics
from planpress.load.files import discover_plan_files, read_plan


def read(tmp_path: Path, data: bytes):
    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    path = content / "plan.md"
    path.write_bytes(data)
    diagnostics = Diagnostics()
    return read_plan(path, tmp_path, content, diagnostics), diagnostics


def test_bom_and_crlf_are_accepted(tmp_path):
    doc, diagnostics = read(tmp_path, "\ufeff---\r\ntitle: A\r\n---\r\nBody\r\n".encode())
    assert not diagnostics.items
    assert doc.front.data == {"title": "A"}
    assert doc.body == "Body\n"
    assert doc.body_line == 4


def test_missing_front_matter(tmp_path):
    _, diagnostics = read(tmp_path, b"# Just prose\n")
    assert "no front matter" in diagnostics.errors[0].message


def test_unclosed_front_matter(tmp_path):
    _, diagnostics = read(tmp_path, b"---\ntitle: A\n")
    assert "never closed" in diagnostics.errors[0].message


def test_front_matter_that_is_not_a_mapping(tmp_path):
    doc, diagnostics = read(tmp_path, b"---\n- a\n- b\n---\n")
    assert doc.front.data is None
    assert "must be a mapping" in diagnostics.errors[0].message


def test_binary_and_non_utf8_files(tmp_path):
    _, diagnostics = read(tmp_path, b"---\ntitle: \x00\n---\n")
    assert "not a text file" in diagnostics.errors[0].message
    _, diagnostics = read(tmp_path, b"---\ntitle: caf\xe9\n---\n")
    [error] = diagnostics.errors
    assert "not valid UTF-8" in error.message and error.loc.line == 2


def test_discovery_is_sorted_and_skips_hidden(tmp_path):
    for name in ["b.md", "a/c.md", ".hidden/x.md", "_drafts/y.md", "notes.txt", "a/.z.md"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\ntitle: t\n---\n")
    found = [p.relative_to(tmp_path).as_posix() for p in discover_plan_files(tmp_path)]
    assert found == ["a/c.md", "b.md"]
