"""Load a site as it was at a git revision.

The revision's planpress.yaml, content folder and plan-kind templates are copied from git
(`git ls-tree` and `git cat-file`, nothing checked out, the work tree untouched) into a
temporary folder, and run through the same load -> resolve -> schedule pipeline as a build.
"""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from planpress.config import CONFIG_FILE, load_config
from planpress.diagnostics import Diagnostics
from planpress.history.git import GitError, Repo, read_blobs, tree_files, verify_revision

if TYPE_CHECKING:
    from planpress.pipeline import BuildOptions, Project


def load_revision(repo: Repo, rev: str, options: BuildOptions) -> Project:
    """The site folder's plans at rev, loaded with options.

    Raises GitError when rev names no commit, and PlanpressError (BuildFailed) when the
    plans at rev do not load.
    """
    from planpress.pipeline import load_site  # the pipeline uses this module

    commit = verify_revision(repo, rev)  # the hash, so both reads see the same tree
    with tempfile.TemporaryDirectory(prefix="planpress-rev-") as folder:
        root = Path(folder)
        _extract(repo, commit, root, [CONFIG_FILE])
        config = load_config(root, Diagnostics())
        try:
            content = config.content_dir.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            raise GitError("its content folder is outside the site folder") from None
        _extract(repo, commit, root, [content, "templates/kinds", "themes"])
        return load_site(root, options)


def _extract(repo: Repo, rev: str, root: Path, folders: list[str]) -> None:
    """Write the files under folders (relative to the site folder) at rev below root."""
    specs = [repo.path_of(folder) if folder != "." else repo.prefix or "." for folder in folders]
    files = tree_files(repo, rev, specs)
    wanted = []
    for path, blob in files:
        relative = PurePosixPath(path[len(repo.prefix) :] if path.startswith(repo.prefix) else path)
        if ".." in relative.parts or relative.is_absolute():
            continue
        parts = relative.parts
        if parts and parts[0] == "themes" and (len(parts) < 3 or parts[2] != "templates"):
            continue  # of an own theme, only its templates matter (they add plan kinds)
        wanted.append((relative, blob))
    for (relative, _), data in zip(wanted, read_blobs(repo, [b for _, b in wanted]), strict=True):
        target = root.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
