"""Find plan documents and split them into front matter and Markdown body.

The loader is the only part of planpress that reads the content folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG

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


def discover_plan_files(
    content_dir: Path, diagnostics: Diagnostics | None = None, site_dir: Path | None = None
) -> list[Path]:
    """Every *.md under content_dir, sorted; hidden files and folders are skipped.

    Linked folders are not followed. A link that leads out of the content folder, a broken
    link and anything that is not a regular file are reported (when `diagnostics` is given)
    and skipped: planpress reads nothing outside the content folder.
    """
    found = discover_with_stats(content_dir, diagnostics, site_dir)
    return [Path(content_dir, name) for name, _ in found]


def discover_with_stats(
    content_dir: Path, diagnostics: Diagnostics | None = None, site_dir: Path | None = None
) -> list[tuple[str, os.stat_result | None]]:
    """discover_plan_files as paths relative to content_dir ('sales/a.md'), each with what
    lstat() gave for it (None through a link).

    One os.scandir per folder and one lstat per file, and strings rather than Paths: a look
    at 10,000 plans takes a few hundredths of a second, which a rebuild pays every time.
    """
    found: list[tuple[str, os.stat_result | None]] = []
    site = site_dir or content_dir
    todo = [(os.fspath(content_dir), "")]
    while todo:
        folder, prefix = todo.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith((".", "_")):
                continue
            if entry.is_dir():  # a linked folder too, as os.walk sees it; not followed
                if entry.is_symlink():
                    if diagnostics is not None:
                        check_inside(Path(entry.path), content_dir, site, diagnostics)
                else:
                    todo.append((entry.path, f"{prefix}{name}/"))
            elif name.endswith(".md"):
                try:
                    stat_ = entry.stat(follow_symlinks=False)
                except OSError:
                    stat_ = None
                if stat_ is not None and S_ISREG(stat_.st_mode):
                    found.append((prefix + name, stat_))
                elif diagnostics is None or check_inside(
                    Path(entry.path), content_dir, site, diagnostics
                ):
                    found.append((prefix + name, None))
    found.sort(key=lambda item: item[0])
    return found


def check_inside(path: Path, content_dir: Path, site_dir: Path, diagnostics: Diagnostics) -> bool:
    """True for a regular file inside the content folder (also through links); else reports.

    `path` was found in the content folder without following linked folders, so only a link
    can lead out of it.
    """
    with contextlib.suppress(OSError):
        if stat.S_ISREG(path.lstat().st_mode):
            return True  # the common case, without resolving the path
    shown = _shown_path(path, site_dir)
    target = path.resolve()
    if not target.is_relative_to(content_dir.resolve()):
        diagnostics.error(
            SourceLoc(shown, 1),
            f"a link to {target}, outside the content folder: not read",
            "planpress reads only files inside the content folder: copy the file there instead",
        )
        return False
    if path.is_symlink() and target.is_dir():
        return True  # a linked folder inside the content folder: its files are found there
    if not target.is_file():
        what = "a broken link" if path.is_symlink() else "not a regular file"
        diagnostics.error(SourceLoc(shown, 1), f"{what}: not read")
        return False
    return True


def decode_text(data: bytes, shown: str, diagnostics: Diagnostics) -> str | None:
    """The file's text with BOM removed and newlines normalised, or None after an error."""
    if b"\0" in data:
        diagnostics.error(
            _byte_loc(data, data.index(b"\0"), shown),
            "not a text file (it contains NUL bytes)",
            "plans are text files saved as UTF-8",
        )
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        diagnostics.error(
            _byte_loc(data, exc.start, shown),
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            "save the file as UTF-8",
        )
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _byte_loc(data: bytes, offset: int, shown: str) -> SourceLoc:
    """The line and column (in characters) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    return SourceLoc(shown, data.count(b"\n", 0, offset) + 1, column)


def read_bytes(path: Path, shown: str, diagnostics: Diagnostics) -> bytes | None:
    """The file's bytes, or None after reporting why it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        diagnostics.error(SourceLoc(shown, 1), f"cannot read the file: {exc.strerror or exc}")
        return None


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


def read_plan(
    path: Path,
    site_dir: Path,
    content_dir: Path,
    diagnostics: Diagnostics,
    data: bytes | None = None,
) -> SourceDoc:
    """The document in the file at path; `data` is its bytes when the caller read them."""
    shown = _shown_path(path, site_dir)
    section = path.parent.relative_to(content_dir).as_posix()
    if data is None:
        data = read_bytes(path, shown, diagnostics)
    text = decode_text(data, shown, diagnostics) if data is not None else None
    digest = hashlib.sha256(data or b"").hexdigest()
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
    if not path.is_file() and not path.is_symlink():
        return YamlTree({})
    shown = _shown_path(path, site_dir)
    data = (
        read_bytes(path, shown, diagnostics)
        if check_inside(path, content_dir, site_dir, diagnostics)
        else None
    )
    text = decode_text(data, shown, diagnostics) if data is not None else None
    tree = parse_yaml(text, shown, diagnostics) if text else YamlTree({})
    if tree.data is None:
        tree.data = {}
    return tree


def _section(folder: str) -> str:
    return "" if folder == "." else folder


def shown_path(path: Path, site_dir: Path) -> str:
    """A file's path as messages show it: relative to the site folder when inside it."""
    return _shown_path(path, site_dir)


def _shown_path(path: Path, site_dir: Path) -> str:
    try:
        return path.relative_to(site_dir).as_posix()
    except ValueError:
        return path.as_posix()
