"""Find plan documents and split them into front matter and Markdown body.

The loader is the only part of planpress that reads the content folder.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from planpress.diagnostics import Diagnostics, SourceLoc
from planpress.load.yamltree import YamlTree, parse_yaml

PEOPLE_FILE = "people.yaml"
_FENCE = "---"


@dataclass(frozen=True, slots=True)
class SourceDoc:
    """One plan file as written: front matter data with positions, and the body."""

    path: str  # relative to the site folder, with '/' separators
    section: str  # the folder under content/, '' at the top
    front: YamlTree
    body: str
    body_line: int  # file line number of the body's first line
    digest: str  # sha256 of the file's bytes


def discover_plan_files(content_dir: Path) -> list[Path]:
    """Every *.md under content_dir, sorted; hidden files and folders are skipped."""
    found = []
    for path in content_dir.rglob("*.md"):
        relative = path.relative_to(content_dir)
        if any(part.startswith((".", "_")) for part in relative.parts):
            continue
        found.append(path)
    return sorted(found, key=lambda p: p.relative_to(content_dir).as_posix())


def decode_text(data: bytes, shown: str, diagnostics: Diagnostics) -> str | None:
    """The file's text with BOM removed and newlines normalised, or None after an error."""
    if b"\0" in data:
        diagnostics.error(SourceLoc(shown), "not a text file (it contains NUL bytes)")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        diagnostics.error(
            SourceLoc(shown, line),
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            "save the file as UTF-8",
        )
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(
    text: str, shown: str, diagnostics: Diagnostics
) -> tuple[str | None, str, int]:
    """(front matter YAML, body, body's first line); the YAML is None after an error."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _FENCE:
        diagnostics.error(
            SourceLoc(shown, 1),
            "no front matter: a plan starts with a '---' line, its YAML, and another '---' line",
            "start the file with three lines: '---', 'title: My plan', '---'",
        )
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (_FENCE, "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    diagnostics.error(
        SourceLoc(shown, 1),
        "the front matter opened on line 1 is never closed",
        "add a line with '---' after the last YAML line",
    )
    return None, "", len(lines) + 1


def read_plan(path: Path, site_dir: Path, content_dir: Path, diagnostics: Diagnostics) -> SourceDoc:
    shown = _shown_path(path, site_dir)
    section = path.parent.relative_to(content_dir).as_posix()
    data = path.read_bytes()
    text = decode_text(data, shown, diagnostics)
    digest = hashlib.sha256(data).hexdigest()
    if text is None:
        return SourceDoc(shown, _section(section), YamlTree(None), "", 1, digest)
    front, body, body_line = split_front_matter(text, shown, diagnostics)
    if front is None:
        return SourceDoc(shown, _section(section), YamlTree(None), body, body_line, digest)
    tree = parse_yaml(front, shown, diagnostics, line_offset=1) if front.strip() else YamlTree({})
    if front.strip() and tree.data is not None and not isinstance(tree.data, dict):
        diagnostics.error(
            SourceLoc(shown, 2, 1),
            "the front matter must be a mapping of 'key: value' lines",
            "start with 'title: My plan'",
        )
        tree = YamlTree(None)
    return SourceDoc(shown, _section(section), tree, body, body_line, digest)


def read_people(content_dir: Path, site_dir: Path, diagnostics: Diagnostics) -> YamlTree:
    path = content_dir / PEOPLE_FILE
    if not path.is_file():
        return YamlTree({})
    shown = _shown_path(path, site_dir)
    text = decode_text(path.read_bytes(), shown, diagnostics)
    tree = parse_yaml(text, shown, diagnostics) if text else YamlTree({})
    if tree.data is None:
        tree.data = {}
    return tree


def _section(folder: str) -> str:
    return "" if folder == "." else folder


def _shown_path(path: Path, site_dir: Path) -> str:
    try:
        return path.relative_to(site_dir).as_posix()
    except ValueError:
        return path.as_posix()
