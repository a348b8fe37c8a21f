"""Git as the plans' memory: who changed a plan and when, and how dates moved since a baseline.

Everything here is read from git and nothing from the clock, so a build stays reproducible.
When the site folder is not inside a git work tree, or git is not installed, the history is
empty and the pages look as they always did. Asking for a baseline that cannot be loaded
gives a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from planpress.config import CONFIG_FILE
from planpress.diagnostics import Diagnostic, Level, PlanpressError, SourceLoc
from planpress.history.baseline import BaselineReport, Snapshot, compare
from planpress.history.git import (
    GitError,
    Repo,
    changed_files,
    find_repo,
    git,
    verify_revision,
)
from planpress.history.log import PlanHistory, safe_histories
from planpress.history.revision import load_revision

if TYPE_CHECKING:
    from planpress.config import SiteConfig
    from planpress.pipeline import BuildOptions, Project

__all__ = [
    "BaselineReport",
    "GitFacts",
    "PlanHistory",
    "Snapshot",
    "compare",
    "gather",
    "git_state",
    "load_revision",
]


@dataclass(slots=True)
class GitFacts:
    history: dict[str, PlanHistory] = field(default_factory=dict)  # by plan id
    baseline: BaselineReport | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def gather(project: Project, options: BuildOptions) -> GitFacts:
    """The history of every plan of the build, and the comparison with the baseline."""
    config = project.config
    repo = find_repo(config.site_dir)
    found = GitFacts()
    if repo is not None and config.history:
        content = _relative(config.content_dir, config.site_dir)
        sources = {p.source: p.id for p in project.site.plans.values()}
        if content is not None:
            histories = safe_histories(repo, content, [s for s in sources if _inside(s)])
            found.history = {sources[s]: h for s, h in sorted(histories.items())}
    rev = options.baseline or config.baseline
    if rev:
        where = SourceLoc("--baseline") if options.baseline else SourceLoc(CONFIG_FILE)
        try:
            found.baseline = baseline_report(repo, rev, project, options)
        except (GitError, PlanpressError) as exc:
            message = f"baseline '{rev}' could not be loaded: {exc}"
            hint = _hint(repo, exc)
            found.diagnostics.append(Diagnostic(Level.WARNING, where, message, hint))
    return found


def git_state(config: SiteConfig, options: BuildOptions) -> str:
    """What of git a build shows, in a few words: HEAD, the content folder's uncommitted
    files and the baseline's commit. Two builds with the same state read the same history."""
    repo = find_repo(config.site_dir)
    rev = options.baseline or config.baseline
    if repo is None or not (config.history or rev):
        return "none"
    parts = [str(repo.top), repo.prefix]
    try:
        if config.history:
            content = _relative(config.content_dir, config.site_dir) or ""
            parts.append(git(["rev-parse", "--verify", "--quiet", "HEAD"], repo.top).decode())
            parts.append(repr(sorted(changed_files(repo, repo.path_of(content)).items())))
        if rev:
            parts.append(verify_revision(repo, rev))
    except GitError as exc:  # unborn HEAD, unknown baseline, no git: as good a state as any
        parts.append(f"error: {exc}")
    return "\n".join(parts)


def baseline_report(
    repo: Repo | None, rev: str, project: Project, options: BuildOptions
) -> BaselineReport:
    from planpress.pipeline import BuildOptions

    if repo is None:
        raise GitError(f"{project.config.site_dir} is not inside a git work tree")
    at_rev = BuildOptions(
        today=project.status.today, drafts=options.drafts, audience=options.audience
    )
    then = load_revision(repo, rev, at_rev)
    return compare(
        Snapshot(project.site, project.schedule), Snapshot(then.site, then.schedule), rev
    )


def _hint(repo: Repo | None, exc: Exception) -> str:
    if repo is None:
        return "the baseline is a git revision: keep the site folder in a git repository"
    if isinstance(exc, PlanpressError) and exc.diagnostics:
        return f"at that revision: {exc.diagnostics[0].format().splitlines()[0]}"
    if "unknown revision" in str(exc):
        return "a CI checkout may lack history: fetch it (actions/checkout with fetch-depth: 0)"
    return ""


def _relative(path: Path, root: Path) -> str | None:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


def _inside(source: str) -> bool:
    return not source.startswith("/") and ".." not in source.split("/")
