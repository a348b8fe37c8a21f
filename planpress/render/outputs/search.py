"""search-index.js: the offline search index, as a script (no fetch, so it works from file://).

The file sets `window.PLANPRESS_SEARCH` to a compact object; themes/default/static/search.js
loads it on first use and searches it. Shape (version 1):

    {"v": 1,
     "u": {"plan": "plans/{p}.html", "item": "plans/{p}.html#item-{i}",
           "milestone": "milestones/{p}/{i}.html", "party": "people/{i}.html"},
     "plans": [[plan id, title, [objectives], [tasks], [milestones]], ...],
     "people": [[key, name], ...], "teams": [[key, name], ...]}

`u` holds link templates relative to the site's root ({p}: plan id, {i}: item id or key), as
the build's URL style writes them. An objective, task or milestone is its title alone when its
id is what search.js derives from the title (slug(), below, mirrored in JavaScript), else a
[title, id] pair: most ids are derived, so most items cost only their title. Only the plans of
this build are listed: hidden plans (drafts, other audiences) are not in ctx.site.
"""

from __future__ import annotations

import re
import unicodedata

from planpress.render import urls
from planpress.render.context import RenderContext
from planpress.render.outputs import common, paths
from planpress.render.pieces import Spliced, spliced_join
from planpress.resolve.model import Plan, Team

INDEX_VERSION = 1
# The same rule as planpress.resolve.ids.slugify without its hash fallback; search.js has a
# copy (slug) and tests compare the three.
SLUG_WORDS, SLUG_LENGTH = 6, 60


_WORD = re.compile(r"[a-z0-9]+")


def slug(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    result = ""
    for word in _WORD.findall(text.lower())[:SLUG_WORDS]:
        if result and len(result) + 1 + len(word) > SLUG_LENGTH:
            break
        result = f"{result}-{word}" if result else word[:SLUG_LENGTH]
    return result


def search_index_file(ctx: RenderContext) -> dict[str, bytes | Spliced]:
    """search-index.js, exactly the script of json_text(search_index(ctx)), one plan at a time
    (each plan's entry is kept for the next build)."""
    shell = common.json_text(search_index(ctx, with_plans=False)).encode()
    document = common.plan_pieces(ctx, paths.SEARCH_INDEX, shell, _plan)
    return {paths.SEARCH_INDEX: spliced_join((b"window.PLANPRESS_SEARCH=", document, b";\n"))}


def search_index(ctx: RenderContext, with_plans: bool = True) -> dict:
    """The index as an object; `with_plans=False` leaves its plans list empty."""
    parties = ctx.site.parties.items()
    plans = ctx.site.plans.values() if with_plans else ()
    return {
        "v": INDEX_VERSION,
        "u": {
            "plan": common.root_href(ctx, urls.plan_page("{p}")),
            "item": common.root_href(ctx, urls.plan_page("{p}") + "#" + urls.item_anchor("{i}")),
            "milestone": common.root_href(ctx, urls.milestone_page("{p}", "{i}")),
            "party": common.root_href(ctx, urls.party_page("{i}")),
        },
        "plans": [_plan(plan) for plan in plans],
        "people": [[key, p.name] for key, p in parties if not isinstance(p, Team)],
        "teams": [[key, p.name] for key, p in parties if isinstance(p, Team)],
    }


def _plan(plan: Plan) -> list:
    return [
        plan.id,
        plan.title,
        [_item(o.id, o.title) for o in plan.objectives],
        [_item(t.id, t.title) for t in plan.all_tasks()],
        [_item(m.id, m.name) for m in plan.milestones],
    ]


def _item(item_id: str, title: str) -> str | list[str]:
    return title if slug(title) == item_id else [title, item_id]
