"""Running git: a list of arguments, never a shell; output parsed from NUL-separated formats.

Every call runs `git --no-pager -C FOLDER ...` with the system configuration ignored
(GIT_CONFIG_NOSYSTEM=1), no prompts and C-locale messages. When git is missing or a call
fails, GitError is raised; callers that only add information (history on pages) catch it
and carry on without.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

_RECORD = "\x1e"  # starts each commit in `git log` output; fields are NUL-separated
_LOG_FORMAT = "%x1e%H%x00%h%x00%cI%x00%an%x00%s"


class GitError(Exception):
    """git is missing, the folder is no work tree, or a git command failed."""


class UnknownRevision(GitError):
    """A revision that names no commit of the repository."""


@dataclass(frozen=True, slots=True)
class Commit:
    commit: str  # the full hash
    short: str
    date: dt.date  # the commit date, in the committer's own time zone (no clock involved)
    author: str
    subject: str


@dataclass(frozen=True, slots=True)
class Repo:
    """A git work tree and where a folder sits in it."""

    top: Path  # the work tree's top folder
    prefix: str  # the folder's path from the top, '' or ending in '/'

    def path_of(self, relative: str) -> str:
        """A path relative to the folder -> the same path from the top (as git prints it)."""
        return str(PurePosixPath(self.prefix + relative)) if relative else self.prefix


def git(args: Sequence[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    """Run git in cwd and return its standard output; GitError when it cannot or fails."""
    env = dict(os.environ)
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
        GIT_PAGER="cat",
        LC_ALL="C",
        LANGUAGE="C",
    )
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):  # set by hooks; -C decides
        env.pop(name, None)
    command = ["git", "--no-pager", "-C", str(cwd), *args]
    try:
        done = subprocess.run(command, input=stdin, capture_output=True, env=env, check=False)
    except OSError as exc:  # git is not installed, or cwd is gone
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout


def find_repo(folder: Path) -> Repo | None:
    """The work tree holding folder, or None (no git, not a repository, inside .git)."""
    try:
        inside = git(["rev-parse", "--is-inside-work-tree"], folder).decode().strip()
        if inside != "true":
            return None
        top = git(["rev-parse", "--show-toplevel"], folder).decode("utf-8").strip()
        prefix = git(["rev-parse", "--show-prefix"], folder).decode("utf-8").strip()
    except GitError:
        return None
    return Repo(Path(top), prefix)


def verify_revision(repo: Repo, rev: str) -> str:
    """The full hash of the commit rev names; GitError when it names none."""
    if not rev or rev.startswith("-"):
        raise UnknownRevision(f"'{rev}' is not a revision")
    try:
        out = git(
            ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], repo.top
        )
    except GitError:
        raise UnknownRevision(f"unknown revision '{rev}'") from None
    return out.decode().strip()


def log_with_files(repo: Repo, pathspec: str) -> list[tuple[Commit, list[tuple[str, ...]]]]:
    """Every commit touching pathspec (from the top), newest first, with its changed files.

    Each change is (status letter, path) or, for renames and copies, (letter, old, new).
    """
    args = ["log", "-z", "--no-color", "--no-show-signature", "--encoding=UTF-8"]
    args += ["--name-status", "-M", f"--format={_LOG_FORMAT}", "--", pathspec or "."]
    try:
        out = git(args, repo.top)
    except GitError as exc:
        if "does not have any commits" in str(exc) or "bad default revision" in str(exc):
            return []  # a fresh repository
        raise
    return parse_log(out.decode("utf-8", "replace"))


def parse_log(text: str) -> list[tuple[Commit, list[tuple[str, ...]]]]:
    found = []
    for record in text.split(_RECORD):
        if not record:
            continue
        fields = record.split("\0")
        if len(fields) < 5:
            continue
        commit, short, stamp, author, subject = fields[:5]
        tokens = [t.lstrip("\n") for t in fields[5:]]
        changes: list[tuple[str, ...]] = []
        index = 0
        while index < len(tokens):
            status = tokens[index]
            if not status:
                index += 1
                continue
            width = 2 if status[0] in "RC" else 1
            paths = tokens[index + 1 : index + 1 + width]
            if len(paths) == width:
                changes.append((status[0], *paths))
            index += 1 + width
        date = dt.date.fromisoformat(stamp[:10])
        found.append((Commit(commit, short, date, author, subject), changes))
    return found


def changed_files(repo: Repo, pathspec: str) -> dict[str, str | None]:
    """Uncommitted files under pathspec (paths from the top): path -> its committed name.

    The committed name is the old path of a staged rename, the path itself otherwise, and
    None for a file git does not know yet (untracked or newly added).
    """
    args = ["status", "--porcelain", "-z", "--untracked-files=all", "--", pathspec or "."]
    tokens = git(args, repo.top).decode("utf-8", "replace").split("\0")
    found: dict[str, str | None] = {}
    index = 0
    while index < len(tokens):
        entry = tokens[index]
        index += 1
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        if "R" in code or "C" in code:
            found[path] = tokens[index] if index < len(tokens) else None
            index += 1
        elif code in ("??", "A ", "AM", "AD"):
            found[path] = None
        else:
            found[path] = path
    return found


def tree_files(repo: Repo, rev: str, pathspecs: Iterable[str]) -> list[tuple[str, str]]:
    """(path from the top, blob hash) of the regular files under pathspecs at rev."""
    specs = [spec for spec in pathspecs if spec]
    if not specs:
        return []
    out = git(["ls-tree", "-r", "-z", "--full-tree", rev, "--", *specs], repo.top)
    files = []
    for entry in out.decode("utf-8", "replace").split("\0"):
        if "\t" not in entry:
            continue
        meta, path = entry.split("\t", 1)
        mode, kind, blob = meta.split()
        if kind == "blob" and mode in ("100644", "100755"):  # no symlinks, no submodules
            files.append((path, blob))
    return files


def read_blobs(repo: Repo, blobs: Sequence[str]) -> list[bytes]:
    """The contents of blobs, in order, with one `git cat-file --batch`."""
    if not blobs:
        return []
    out = git(["cat-file", "--batch"], repo.top, stdin="".join(f"{b}\n" for b in blobs).encode())
    contents = []
    position = 0
    for _ in blobs:
        header_end = out.index(b"\n", position)
        header = out[position:header_end].split()
        if len(header) != 3:
            raise GitError(f"cannot read {header[0].decode(errors='replace')} from git")
        size = int(header[2])
        start = header_end + 1
        contents.append(out[start : start + size])
        position = start + size + 1
    return contents
