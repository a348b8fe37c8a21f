"""`planpress diff REV1 [REV2]`: what changed in the plans between two revisions.

Both sides go through the whole load -> resolve -> schedule pipeline, so a due date that
moved because a dependency moved shows up too. Items are matched by plan id and item id.
The comparison is pure (`diff`); `load_sides` reads the revisions and `format_text` and
`format_markdown` print the result (markdown for a pull-request comment).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from planpress.diagnostics import PlanpressError
from planpress.history.baseline import ItemFacts, PlanFacts, Snapshot, facts, slip_text
from planpress.history.git import GitError, find_repo, verify_revision
from planpress.history.revision import load_revision
from planpress.render.format import day

if TYPE_CHECKING:
    from planpress.pipeline import BuildOptions

WORKING_TREE = "working tree"


@dataclass(frozen=True, slots=True)
class Change:
    """One change of a plan, in words; `days` is set for a moved due date."""

    subject: str  # '' for the plan itself, else the item's title
    kind: str  # plan | task | milestone
    what: str  # due | owner | responsible | status | done | title | added | removed
    before: str
    after: str
    days: int | None = None


@dataclass(slots=True)
class PlanDiff:
    plan: PlanFacts  # as it is in the newer revision
    changes: list[Change] = field(default_factory=list)


@dataclass(slots=True)
class SiteDiff:
    old: str  # revision labels as the user wrote them
    new: str
    added_plans: list[PlanFacts] = field(default_factory=list)
    removed_plans: list[PlanFacts] = field(default_factory=list)
    plans: list[PlanDiff] = field(default_factory=list)  # changed plans only, by id

    @property
    def empty(self) -> bool:
        return not (self.added_plans or self.removed_plans or self.plans)


def load_sides(
    site_dir: Path, old: str, new: str | None, options: BuildOptions
) -> tuple[Snapshot, Snapshot]:
    """The site at old and at new (None: the working tree), loaded with options.

    Raises UnknownRevision for a revision that names no commit, GitError when the folder is
    not in a git work tree, and PlanpressError when one side's plans do not load.
    """
    from planpress.pipeline import load_site

    repo = find_repo(site_dir)
    if repo is None:
        raise GitError(f"{site_dir} is not inside a git work tree")
    for rev in (old, new):
        if rev is not None:
            verify_revision(repo, rev)
    sides = []
    for rev in (old, new):
        try:
            project = load_revision(repo, rev, options) if rev else load_site(site_dir, options)
        except PlanpressError as exc:
            where = rev or f"the {WORKING_TREE}"
            message = f"the plans at {where} do not load: {exc}"
            raise PlanpressError(message, exc.diagnostics) from None
        sides.append(Snapshot(project.site, project.schedule))
    return sides[0], sides[1]


def diff(old: Snapshot, new: Snapshot, old_label: str, new_label: str) -> SiteDiff:
    before, after = facts(old), facts(new)
    result = SiteDiff(old_label, new_label)
    result.added_plans = [plan for pid, plan in after.items() if pid not in before]
    result.removed_plans = [
        plan for pid, plan in before.items() if pid not in after and pid not in new.site.hidden
    ]
    for plan_id, plan in after.items():
        if plan_id in before:
            changes = plan_changes(before[plan_id], plan)
            if changes:
                result.plans.append(PlanDiff(plan, changes))
    return result


def plan_changes(old: PlanFacts, new: PlanFacts) -> list[Change]:
    changes = [
        Change("", "plan", what, a, b)
        for what, a, b in (
            ("title", old.title, new.title),
            ("owner", old.owner or "nobody", new.owner or "nobody"),
            ("status", old.status, new.status),
        )
        if a != b
    ]
    for item_id, item in new.items.items():
        was = old.items.get(item_id)
        if was is None:
            due = f"due {day(item.due)}" if item.due else "no due date"
            changes.append(Change(item.title, item.kind, "added", "", due))
        else:
            changes += item_changes(was, item)
    for item_id, was in old.items.items():
        if item_id not in new.items:
            changes.append(Change(was.title, was.kind, "removed", "", ""))
    return changes


def item_changes(old: ItemFacts, new: ItemFacts) -> list[Change]:
    found = []
    if old.due != new.due:
        days = (new.due - old.due).days if old.due and new.due else None
        found.append(Change(new.title, new.kind, "due", _day(old.due), _day(new.due), days))
    if old.responsible != new.responsible:
        what = "owner" if new.kind == "milestone" else "responsible"
        before, after = _names(old.responsible), _names(new.responsible)
        found.append(Change(new.title, new.kind, what, before, after))
    if new.kind == "milestone":
        if new.done and new.done != old.done:
            found.append(Change(new.title, new.kind, "done", _day(old.done), _day(new.done)))
        elif old.done and not new.done:
            found.append(Change(new.title, new.kind, "status", "done", "open"))
    elif old.status != new.status:
        found.append(Change(new.title, new.kind, "status", old.status, new.status))
    return found


def _day(value: dt.date | None) -> str:
    return day(value) if value else "no date"


def _names(names: tuple[str, ...]) -> str:
    return ", ".join(names) or "nobody"


# --- printing -----------------------------------------------------------------------------


def sentence(change: Change, arrow: str = "->", escape=str, strong: str = "") -> str:
    """One change in words: 'Build the shop (task): due 14 Jul 2024 -> 21 Jul 2024 (+7 days)'.

    `escape` is applied to what authors wrote (titles, names, statuses).
    """
    title = escape(change.subject)
    if change.what == "added":
        return f"added {change.kind}: {title} ({change.after})"
    if change.what == "removed":
        return f"removed {change.kind}: {title}"
    subject = f"{title} ({change.kind})" if change.subject else ""
    if change.what == "done":
        was = f" (was {change.before})" if change.before != "no date" else ""
        text = f"done {change.after}{was}"
    else:
        text = f"{change.what} {escape(change.before)} {arrow} {escape(change.after)}"
        if change.days is not None:
            text += f" ({strong}{slip_text(change.days)}{strong})"
    return f"{subject}: {text}" if subject else text


def format_text(result: SiteDiff) -> str:
    lines = [f"planpress diff {result.old}..{result.new}"]
    if result.empty:
        lines.append("No changes to the plans.")
    if result.added_plans:
        lines.append("Plans added: " + ", ".join(_plan(p) for p in result.added_plans))
    if result.removed_plans:
        lines.append("Plans removed: " + ", ".join(_plan(p) for p in result.removed_plans))
    for entry in result.plans:
        lines += ["", _plan(entry.plan)]
        lines += [f"  {sentence(change, '->')}" for change in entry.changes]
    return "\n".join(lines) + "\n"


def format_markdown(result: SiteDiff) -> str:
    new = "the working tree" if result.new == WORKING_TREE else f"`{result.new}`"
    lines = [f"### Plan changes from `{result.old}` to {new}", ""]
    if result.empty:
        lines.append("No changes to the plans.")
    if result.added_plans:
        lines.append("**Plans added:** " + ", ".join(_plan(p, True) for p in result.added_plans))
        lines.append("")
    if result.removed_plans:
        removed = ", ".join(_plan(p, True) for p in result.removed_plans)
        lines += [f"**Plans removed:** {removed}", ""]
    for entry in result.plans:
        lines += [f"#### {_plan(entry.plan, True)}", ""]
        lines += [f"- {sentence(change, '→', _escape, '**')}" for change in entry.changes]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _plan(plan: PlanFacts, markdown: bool = False) -> str:
    if markdown:
        return f"{_escape(plan.title)} (`{plan.id}`)"
    return f"{plan.title} ({plan.id})"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def _escape(text: str) -> str:
    """Text that GitHub's Markdown shows as written (no emphasis, links, tables or HTML)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
