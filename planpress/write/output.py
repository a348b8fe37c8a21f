"""Writing the output folder safely, while a web server may be serving it.

Each file is replaced atomically (written to a temporary name beside it, then
renamed over it), and only when its bytes changed, so a reader of the folder
never sees a half-written file. Files are published in an order that keeps
links working: assets and data first, then new pages, then changed pages, the
home page last, and stale files are removed only after that.

A manifest lists what planpress wrote, so a later build removes only its own
stale files and never a file somebody else put there. Before any new file is
written, the manifest is extended to name it too, so a build interrupted at any
point (an error, Ctrl-C, SIGTERM, a kill) leaves a manifest that covers every
file of planpress on disk, and the next build heals the folder.
"""

from __future__ import annotations

import errno
import json
import os
import posixpath
import tempfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from planpress.diagnostics import PlanpressError

MANIFEST = ".planpress-manifest.json"
TEMP_PREFIX = ".planpress-tmp-"  # files being written; never served as pages


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


def write_output(
    output: Path,
    files: Mapping[str, bytes],
    kept: Collection[str] = (),
    sweep: bool = True,
    compare: bool = True,
) -> WriteResult:
    """Publish `files` ({path: bytes}) into `output`; see the module docstring for the order.

    `kept` names files of the previous build that stay as they are (an incremental build
    knows they did not change): they are neither read nor written, and stay in the manifest.
    `files` may load its bytes lazily: each value is looked up when compared and written,
    and none is held longer. A `files` with a `staged_path(name)` method (a path, or None)
    has files written in full elsewhere: those are renamed into place rather than copied
    when they lie on the same file system (and are gone from where they were).
    `sweep=False` skips looking for temporary files of a killed
    build, for a caller that knows the last build into `output` finished (a folder scan of
    every page's folder: a quarter second at 10,000 plans). `compare=False` writes every
    file of `files` without reading what the folder holds first, for a caller that knows
    they differ (at 10,000 plans, plans.json and calendar.ics alone are 200 MB to read).
    """
    relative = {name: _safe_relative(name) for name in files}  # refuse before writing anything
    output.mkdir(parents=True, exist_ok=True)
    inside = _Inside(output)
    for name, path in relative.items():
        if not inside(output / path):
            raise PlanpressError(
                f"refusing to write {name}: a link in the output folder {output} leads "
                "outside it; remove the link (planpress writes only inside the output folder)"
            )
    previous = _read_manifest(output)
    kept = set(kept) - set(files)
    if sweep:
        _remove_leftover_temporaries(output, [*previous, *files])
    if not set(files) <= set(previous) or not (output / MANIFEST).is_file():
        _write_manifest(output, set(previous) | set(files))  # names what may appear below
    changed: list[str] = []
    unchanged = len(kept)
    for name in files:
        target = output / relative[name]
        if compare and target.is_file() and target.read_bytes() == files[name]:
            unchanged += 1
        else:
            changed.append(name)
    staged = getattr(files, "staged_path", None)  # a file already written in full elsewhere
    for name in sorted(changed, key=lambda n: _publish_order(n, output / relative[n])):
        source = staged(name) if staged is not None else None
        if source is None or not _move(source, output / relative[name]):
            _atomic_write(output / relative[name], files[name])
    stale = sorted(set(previous) - set(files) - kept)
    for name in stale:
        try:
            path = output / _safe_relative(name)
        except PlanpressError:  # a hand-edited manifest: never follow it outside the folder
            continue
        if not inside(path):  # nor through a link to another folder
            continue
        path.unlink(missing_ok=True)
        _remove_empty_parents(output, path)
    # a build that changed the folder always writes the manifest anew, so a process that
    # trusts the folder it wrote last sees another build by the manifest alone (see
    # incremental.cache.BuildCache.folder_digest)
    _write_manifest(output, set(files) | kept, anew=bool(changed or stale))
    return WriteResult(len(changed), unchanged, len(stale))


class _Inside:
    """Whether a path's folder, links followed, is inside the output folder (cached by folder)."""

    def __init__(self, output: Path) -> None:
        self.root = output.resolve()
        self.folders: dict[Path, bool] = {}

    def __call__(self, path: Path) -> bool:
        folder = path.parent
        if folder not in self.folders:
            self.folders[folder] = folder.resolve().is_relative_to(self.root)
        return self.folders[folder]


def _publish_order(name: str, target: Path) -> tuple[int, str]:
    """Assets before the pages that use them, new pages before the pages linking to them."""
    if not name.endswith(".html"):
        return (0, name)
    if name == "index.html":
        return (3, name)
    return (2 if target.exists() else 1, name)


def _write_manifest(output: Path, names: set[str], anew: bool = False) -> None:
    data = (json.dumps(sorted(names), indent=0) + "\n").encode()
    path = output / MANIFEST
    if anew or not (path.is_file() and path.read_bytes() == data):
        _atomic_write(path, data)


def _remove_leftover_temporaries(output: Path, names: list[str]) -> None:
    """Temporary files of a build that was killed between writing and renaming."""
    root = os.fspath(output)
    folders = {root}
    for name in names:  # strings, not Paths: 60,000 names at 10,000 plans
        try:
            folder = posixpath.dirname(_safe_relative(name))
        except PlanpressError:
            continue
        folders.add(os.path.join(root, folder) if folder else root)
    for folder in sorted(folders):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(TEMP_PREFIX) and entry.is_file(follow_symlinks=False):
                Path(entry.path).unlink(missing_ok=True)


def _safe_relative(name: str) -> str:
    normal = posixpath.normpath(name)
    if normal.startswith(("/", "../")) or normal in ("..", ".") or "\\" in name or "\0" in name:
        raise PlanpressError(
            f"internal error: refusing to write outside the output folder: {name!r}"
        )
    return normal


def _atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _move(source: str, target: Path) -> bool:
    """Publish a complete file by renaming it over the target (one step, as _atomic_write
    ends); False when it lies on another file system, to be copied instead."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(source, 0o644)
        os.replace(source, target)
    except OSError as exc:
        if exc.errno == errno.EXDEV:
            return False
        raise
    return True


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
