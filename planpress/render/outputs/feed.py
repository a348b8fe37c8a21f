"""feed.xml: an Atom feed (RFC 4287) of what happened in the plans.

Without a history of the sources, the feed is made from what the plans record:

- one entry per plan, updated on the latest of its dates that is not after today (a task's or
  milestone's completion day, a review, the plan's start); a plan none of whose dates has come
  yet has no entry;
- one entry per completed milestone, updated on its completion day;
- one entry per review, updated on its day (reviews dated after today are left out);

the newest `page_size` of them (planpress.yaml, default 100).

Times are days at midnight UTC, and the feed's `updated` is its newest entry's (today when it has
none), so the same sources and "today" give the same bytes. Entry ids are tag URIs made of the
plan and item ids, stable across builds. Atom needs absolute link IRIs, so links are written only
when `base_url` is configured; the content always names the page's path in the site.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass
from datetime import date
from functools import partial

from planpress import __version__
from planpress.render import urls
from planpress.render.context import Depends, RenderContext, kept_part
from planpress.render.outputs import common, paths
from planpress.resolve.model import Plan

ATOM = "http://www.w3.org/2005/Atom"
TAG = "tag:planpress,2024:"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ATTRIBUTE_ENTITIES = (
    ("&", "&amp;"),  # first: the others add ampersands
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("\r", "&#13;"),
    ("\n", "&#10;"),
    ("\t", "&#09;"),
)


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    title: str
    updated: date
    content: str
    page: str  # output path of the page it is about
    author: str  # '' when the plan has no owner (the feed's author stands in)


def feed_file(ctx: RenderContext) -> dict[str, bytes]:
    return {paths.FEED: feed_xml(ctx)}


def entries(ctx: RenderContext) -> list[Entry]:
    """The newest `page_size` entries (planpress.yaml, default 100), newest first (ties: by
    id). A feed reader shows what is new; a feed of every entry of a large portfolio would
    be megabytes read again and again. Each plan's entries are kept by `watch` while what
    they show of the plan is unchanged."""
    found: list[Entry] = []
    for plan in ctx.site.plans.values():
        make = partial(_plan_entries, ctx, plan)
        found += kept_part(ctx, paths.FEED, Depends.plans((plan.id,)), "", make)
    return heapq.nsmallest(ctx.config.page_size, found, key=_newest_first)


def _newest_first(entry: Entry) -> tuple[int, str]:
    return (-entry.updated.toordinal(), entry.id)


def feed_xml(ctx: RenderContext) -> bytes:
    """The feed, written out directly: exactly what ElementTree.tostring() gives for the same
    elements after ElementTree.indent() (tests/render/outputs/test_feed.py compares them),
    at a fraction of the cost: building and walking an element per field was most of it."""
    items = entries(ctx)
    updated = max((e.updated for e in items), default=ctx.status.today)
    children = [
        _leaf("id", TAG + "feed"),
        _leaf("title", ctx.config.title),
        _leaf("subtitle", "Plan updates, completed milestones and reviews"),
        _leaf("updated", _stamp(updated)),
        *_link(ctx, paths.FEED, "self", "application/atom+xml"),
        *_link(ctx, urls.INDEX, "alternate", "text/html"),
        _branch("author", [_leaf("name", ctx.config.title)], 1),
        _leaf("generator", "planpress", f' version="{_attribute(__version__)}"'),
    ]
    children += (_entry(ctx, item) for item in items)
    feed = _branch("feed", children, 0, f' xmlns="{ATOM}"')
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + feed + "\n").encode("utf-8")


def _entry(ctx: RenderContext, item: Entry) -> str:
    children = [
        _leaf("id", item.id),
        _leaf("title", item.title),
        _leaf("updated", _stamp(item.updated)),
    ]
    if item.author:
        children.append(_branch("author", [_leaf("name", item.author)], 2))
    children += _link(ctx, item.page, "alternate", "text/html")
    url = common.absolute_url(ctx, item.page) or common.root_href(ctx, item.page)
    children.append(_leaf("content", f"{item.content}\n\nPage: {url}", ' type="text"'))
    return _branch("entry", children, 1)


def _plan_entries(ctx: RenderContext, plan: Plan) -> list[Entry]:
    today = ctx.status.today
    author = common.name(ctx, plan.owner)
    found: list[Entry] = []
    days: list[date] = []
    timing = ctx.schedule.plans.get(plan.id)
    if timing and timing.start:
        days.append(timing.start)
    days += [d for t in plan.all_tasks() if (d := common.day_of(t.done))]
    for milestone in plan.milestones:
        done = common.day_of(milestone.done)
        if done is None:
            continue
        days.append(done)
        if done > today:
            continue
        state = ctx.status.items.get((plan.id, milestone.id))
        lines = [f"Milestone of {plan.title}, completed on {done.isoformat()}"]
        due = ctx.schedule.items.get((plan.id, milestone.id))
        if due and due.due:
            lines.append(f"Due {due.due.isoformat()}: {state.label if state else 'done'}.")
        if milestone.owner:
            lines.append(f"Owner: {common.name(ctx, milestone.owner)}")
        budget = ctx.status.budgets.get((plan.id, milestone.id))
        if budget and budget.planned is not None and budget.actual is not None:
            lines.append(f"Budget {_num(budget.planned)}, cost {_num(budget.actual)}.")
        found.append(
            Entry(
                id=f"{TAG}{plan.id}/milestones/{milestone.id}/done",
                title=f"Milestone reached: {milestone.name} ({plan.title})",
                updated=done,
                content="\n".join(lines),
                page=urls.milestone_page(plan.id, milestone.id),
                author=common.name(ctx, milestone.owner) or author,
            )
        )
    seen: dict[date, int] = {}
    for review in plan.reviews:
        day = common.day_of(review.date)
        if day is None:
            continue
        days.append(day)
        if day > today:
            continue
        seen[day] = seen.get(day, 0) + 1
        suffix = "" if seen[day] == 1 else f"-{seen[day]}"
        lines = [f"Review of {plan.title} on {review.date.text}."]
        if review.attendees:
            lines.append("Attendees: " + ", ".join(common.names(ctx, review.attendees)))
        if review.notes:
            lines.append(review.notes.strip())
        if review.decisions:
            lines.append("Decisions:\n" + "\n".join(f"- {d}" for d in review.decisions))
        found.append(
            Entry(
                id=f"{TAG}{plan.id}/reviews/{day.isoformat()}{suffix}",
                title=f"Review: {plan.title}, {review.date.text}",
                updated=day,
                content="\n".join(lines),
                page=urls.plan_page(plan.id) + "#reviews",
                author=author,
            )
        )
    past = [d for d in days if d <= today]
    if past:
        found.append(
            Entry(
                id=f"{TAG}{plan.id}",
                title=plan.title,
                updated=max(past),
                content=_plan_summary(ctx, plan),
                page=urls.plan_page(plan.id),
                author=author,
            )
        )
    return found


def _plan_summary(ctx: RenderContext, plan: Plan) -> str:
    health = ctx.status.plans.get(plan.id)
    lines = [f"Status: {plan.status}."]
    if health:
        reasons = f" ({'; '.join(health.reasons)})" if health.reasons else ""
        lines.append(f"Health: {health.state.replace('-', ' ')}{reasons}.")
    if plan.owner:
        lines.append(f"Owner: {common.name(ctx, plan.owner)}")
    tasks = plan.all_tasks()
    if tasks:
        states = [ctx.status.items.get((plan.id, t.id)) for t in tasks]
        done = sum(1 for s in states if s and s.state in ("done", "done-late"))
        lines.append(f"Tasks done: {done} of {len(tasks)}.")
    if plan.milestones:
        done = sum(1 for m in plan.milestones if m.done is not None)
        lines.append(f"Milestones reached: {done} of {len(plan.milestones)}.")
    if plan.summary:
        lines.append(plan.summary)
    return "\n".join(lines)


def _num(value: float) -> str:
    return f"{value:,}"


def _stamp(day: date) -> str:
    return day.isoformat() + "T00:00:00Z"


# --- XML as ElementTree writes it ------------------------------------------------------


def _leaf(tag: str, text: str, attributes: str = "") -> str:
    """An element with text (characters XML cannot carry dropped); empty, it closes itself."""
    text = _NOT_XML.sub("", text)
    if not text:
        return f"<{tag}{attributes} />"
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<{tag}{attributes}>{text}</{tag}>"


def _branch(tag: str, children: list[str], level: int, attributes: str = "") -> str:
    """An element of elements, each on its own line, indented two spaces per `level`."""
    inner = "\n" + "  " * (level + 1)
    return f"<{tag}{attributes}>{inner}{inner.join(children)}\n{'  ' * level}</{tag}>"


def _attribute(value: str) -> str:
    for char, entity in _ATTRIBUTE_ENTITIES:
        if char in value:
            value = value.replace(char, entity)
    return value


def _link(ctx: RenderContext, page: str, rel: str, kind: str) -> list[str]:
    url = common.absolute_url(ctx, page)
    if not url:
        return []
    return [f'<link rel="{rel}" type="{kind}" href="{_attribute(url)}" />']
