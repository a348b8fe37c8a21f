"""One page per person and team: what they are responsible for, across plans."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import partial

from planpress.render import urls
from planpress.render.context import Depends, Page, RenderContext, kept_part
from planpress.render.pages.capped import Later, LaterMap
from planpress.render.pages.party_work import PartyWork, is_overdue, is_upcoming


def pages(ctx: RenderContext) -> Iterator[Page]:
    for key in ctx.site.parties:
        make = partial(party_context, ctx, key)
        yield Page(urls.party_page(key), "person.html", make=make, depends=Depends.party(key))
    # the index counts each one's work, and shows nothing of the plans: not their titles
    depends = Depends.assigned(ctx.site.parties)
    yield Page(urls.PEOPLE, "people.html", make=partial(people_index, ctx), depends=depends)


def people_index(ctx: RenderContext) -> dict:
    """People and teams with how much they carry, alphabetically."""
    entries = []
    for key, party in sorted(ctx.site.parties.items(), key=lambda kv: kv[1].name.casefold()):
        # kept by `watch` while the party's work is the same
        counted = kept_part(
            ctx, urls.PEOPLE, Depends.assigned((key,)), "", partial(_counts, ctx, key)
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


def _counts(ctx: RenderContext, key: str) -> tuple[int, Counter]:
    """How many plans a party has work in, and its letters (R, A, C, I) in tasks and
    milestones."""
    assignments = ctx.site.assignments.get(key, ())
    letters = Counter(a.role for a in assignments if a.item_kind in ("task", "milestone"))
    return len({a.plan_id for a in assignments}), letters


def party_context(ctx: RenderContext, key: str) -> dict:
    """What a person's or team's page shows. The rows of its tables come drawn, a few plans
    at a time (drawn_rows, see party_work), and are made as data only when a template reads
    them."""
    party = ctx.site.parties[key]
    work = PartyWork(ctx, key)
    workload, left_out = work.workload()
    return {
        "title": party.name,
        "party": party,
        "workload": workload,
        "workload_rows": Later(
            work.workload_rows, nonempty=any(g.bars or g.markers for g in work.groups)
        ),
        "workload_left_out": left_out,
        "upcoming": Later(partial(work.rows_where, is_upcoming), nonempty=work.upcoming),
        "overdue": Later(partial(work.rows_where, is_overdue), nonempty=work.overdue),
        "rows": LaterMap(work.rows, nonempty=bool(work.shares)),
        "drawn_rows": work.drawn_rows,
        "members": ctx.views.parties(getattr(party, "members", ())),
        "team": ctx.views.party(getattr(party, "team", None)),
        "lead": ctx.views.party(getattr(party, "lead", None)),
    }
