"""One page per person and team: what they are responsible for, across plans."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import partial

from planpress.render import format as fmt
from planpress.render import urls
from planpress.render.context import Depends, Page, RenderContext, kept_part
from planpress.render.pages.charts import ChartBuilder, timeline_markup, timeline_rows
from planpress.render.views import Link


def pages(ctx: RenderContext) -> Iterator[Page]:
    for key in ctx.site.parties:
        make = partial(party_context, ctx, key)
        yield Page(urls.party_page(key), "person.html", make=make, depends=Depends.party(key))
    # the index counts each one's work, and shows nothing of the plans: not their titles
    depends = Depends.assigned(ctx.site.parties)
    yield Page(urls.PEOPLE, "people.html", make=partial(people_index, ctx), depends=depends)


def _is_overdue(row: dict) -> bool:
    return bool(row["state"]) and row["state"].state == "overdue"


def _is_upcoming(row: dict) -> bool:
    return bool(row["state"]) and row["state"].state == "due-soon"


def people_index(ctx: RenderContext) -> dict:
    """People and teams with how much they carry, alphabetically."""
    entries = []
    for key, party in sorted(ctx.site.parties.items(), key=lambda kv: kv[1].name.casefold()):
        # kept by `watch` while the party's work is the same
        counted = kept_part(
            ctx, urls.PEOPLE, Depends.assigned((key,)), "", partial(_work, ctx, key)
        )
        entries.append(
            {
                "party": party,
                "link": ctx.views.party(key),
                "team": ctx.views.party(getattr(party, "team", None)),
                "plans": counted[0],
                "letters": counted[1],
            }
        )
    return {
        "title": "People and teams",
        "people": [e for e in entries if e["party"].kind == "person"],
        "teams": [e for e in entries if e["party"].kind == "team"],
    }


def _work(ctx: RenderContext, key: str) -> tuple[int, Counter]:
    """How many plans a party has work in, and its letters (R, A, C, I) in tasks and
    milestones."""
    assignments = ctx.site.assignments.get(key, ())
    letters = Counter(a.role for a in assignments if a.item_kind in ("task", "milestone"))
    return len({a.plan_id for a in assignments}), letters


def party_context(ctx: RenderContext, key: str) -> dict:
    party = ctx.site.parties[key]
    rows: dict[str, list] = {}
    for assignment in ctx.site.assignments.get(key, ()):
        plan = ctx.site.plans[assignment.plan_id]
        target = urls.plan_page(plan.id)
        if assignment.item_id and assignment.item_kind in ("task", "milestone"):
            target += "#" + urls.item_anchor(assignment.item_id)
        text = ctx.views.item_title(plan, assignment.item_id) or plan.title
        timing = ctx.schedule.items.get((plan.id, assignment.item_id))
        rows.setdefault(plan.id, []).append(
            {
                "assignment": assignment,
                "link": Link(text, target),
                "plan": plan,
                "due": fmt.day(timing.due) if timing else "",
                "state": ctx.status.items.get((plan.id, assignment.item_id)),
            }
        )
    workload, left_out = ChartBuilder(ctx, urls.party_page(key)).workload(key)
    return {
        "title": party.name,
        "party": party,
        "workload": timeline_markup(workload),
        "workload_rows": timeline_rows(workload),
        "workload_left_out": left_out,
        "upcoming": [r for rows_ in rows.values() for r in rows_ if _is_upcoming(r)],
        "overdue": [r for rows_ in rows.values() for r in rows_ if _is_overdue(r)],
        "rows": rows,
        "members": ctx.views.parties(getattr(party, "members", ())),
        "team": ctx.views.party(getattr(party, "team", None)),
        "lead": ctx.views.party(getattr(party, "lead", None)),
    }
