"""The history of each plan file: its commits, following renames, and uncommitted changes.

One `git log --name-status -M` over the content folder and one `git status` serve every
plan, so a large site costs two git calls. A file is followed back through renames as
`git log --follow` would: going from the newest commit to the oldest, a commit that
renames old -> new continues the history of `new` under `old`, and the commit that added
the file ends it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from planpress.history.git import Commit, GitError, Repo, changed_files, log_with_files


@dataclass(frozen=True, slots=True)
class Change:
    """One commit of a plan file."""

    commit: Commit
    path: str  # the file's path from the work tree's top at that commit

    @property
    def date(self):
        return self.commit.date

    @property
    def author(self) -> str:
        return self.commit.author

    @property
    def subject(self) -> str:
        return self.commit.subject

    @property
    def short(self) -> str:
        return self.commit.short


@dataclass(frozen=True, slots=True)
class PlanHistory:
    """What git knows about one plan file."""

    source: str  # the plan's path relative to the site folder
    changes: tuple[Change, ...]  # newest first
    uncommitted: bool  # the working tree differs from the last commit (or git lacks the file)

    @property
    def last(self) -> Change | None:
        return self.changes[0] if self.changes else None


def plan_histories(repo: Repo, content: str, sources: Iterable[str]) -> dict[str, PlanHistory]:
    """source -> PlanHistory for each source path (relative to the site folder).

    `content` is the content folder relative to the site folder. Raises GitError.
    """
    sources = sorted(set(sources))
    pending = changed_files(repo, repo.path_of(content))
    tracked: dict[str, list[str]] = {}  # the name each source had, as we walk back in time
    names: dict[str, str | None] = {}
    for source in sources:
        path = repo.path_of(source)
        names[source] = pending.get(path, path) if path in pending else path
    for source, name in names.items():
        if name is not None:
            tracked.setdefault(name, []).append(source)
    changes: dict[str, list[Change]] = {source: [] for source in sources}
    for commit, files in log_with_files(repo, repo.path_of(content)) if tracked else ():
        moves: list[tuple[str, str | None]] = []
        for change in files:
            status, new = change[0], change[-1]
            if new not in tracked:
                continue
            for source in tracked[new]:
                changes[source].append(Change(commit, new))
            if status == "R":
                moves.append((new, change[1]))
            elif status == "A":
                moves.append((new, None))
        for new, old in moves:  # applied after the commit: a swap of two names stays right
            followers = tracked.pop(new, [])
            if old is not None:
                tracked.setdefault(old, []).extend(followers)
        if not tracked:
            break
    return {
        source: PlanHistory(source, tuple(changes[source]), repo.path_of(source) in pending)
        for source in sources
    }


def safe_histories(repo: Repo | None, content: str, sources: Iterable[str]) -> dict:
    """plan_histories, or {} when there is no repository or git fails."""
    if repo is None:
        return {}
    try:
        return plan_histories(repo, content, sources)
    except GitError:
        return {}
