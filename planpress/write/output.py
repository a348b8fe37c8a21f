"""Writing the output folder safely.

Each file is replaced atomically (written beside, then renamed), and only when
its bytes changed. A manifest lists what planpress wrote, so a later build
removes only its own stale files and never a file somebody else put there.
"""

from __future__ import annotations

import json
import os
import posixpath
import tempfile
from dataclasses import dataclass
from pathlib import Path

from planpress.diagnostics import PlanpressError

MANIFEST = ".planpress-manifest.json"


@dataclass(frozen=True, slots=True)
class WriteResult:
    written: int
    unchanged: int
    removed: int


def check_output_dir(output: Path, site_dir: Path, content_dir: Path) -> None:
    """Refuse output folders whose cleaning could destroy sources or a home."""
    output, content_dir = output.resolve(), content_dir.resolve()
    forbidden = {Path("/"), Path.home().resolve(), site_dir.resolve()}
    if output in forbidden:
        raise PlanpressError(
            f"refusing to write the site into {output}: choose an own folder such as site/"
        )
    if (
        output == content_dir
        or content_dir.is_relative_to(output)
        or output.is_relative_to(content_dir)
    ):
        raise PlanpressError(
            f"refusing to write the site into {output}: "
            f"it overlaps the content folder {content_dir}"
        )
    if output.exists() and not output.is_dir():
        raise PlanpressError(f"the output path {output} exists and is not a folder")
    if output.is_dir() and any(output.iterdir()) and not (output / MANIFEST).is_file():
        raise PlanpressError(
            f"the output folder {output} is not empty and was not made by planpress; "
            "choose another folder with -o, or empty it"
        )


def write_output(output: Path, files: dict[str, bytes]) -> WriteResult:
    output.mkdir(parents=True, exist_ok=True)
    previous = _read_manifest(output)
    written = unchanged = 0
    for name, data in files.items():
        target = output / _safe_relative(name)
        if target.is_file() and target.read_bytes() == data:
            unchanged += 1
            continue
        _atomic_write(target, data)
        written += 1
    stale = sorted(set(previous) - set(files))
    for name in stale:
        (output / _safe_relative(name)).unlink(missing_ok=True)
        _remove_empty_parents(output, output / _safe_relative(name))
    _atomic_write(output / MANIFEST, (json.dumps(sorted(files), indent=0) + "\n").encode())
    return WriteResult(written, unchanged, len(stale))


def _safe_relative(name: str) -> str:
    normal = posixpath.normpath(name)
    if normal.startswith(("/", "../")) or normal in ("..", ".") or "\\" in name or "\0" in name:
        raise PlanpressError(
            f"internal error: refusing to write outside the output folder: {name!r}"
        )
    return normal


def _atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _read_manifest(output: Path) -> list[str]:
    try:
        names = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []


def _remove_empty_parents(root: Path, path: Path) -> None:
    folder = path.parent
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
