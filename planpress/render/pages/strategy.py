"""The dashboard's strategy tree: plans that support nothing visible are roots, and each
plan hangs below the plans it supports.

The whole tree lists every plan that supports or is supported by another: on a portfolio
whose plans all support some other plan, every plan, nine levels deep at 10,000 plans. The
dashboard shows it whole while it has at most `page_size` entries; past that, its top:
the roots, then their supporters level by level (one from each plan of a level in turn, so
every branch shows some) until `page_size` entries, each with the count of the plans below
it that are not shown. Each plan's page lists the plans supporting it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

from markupsafe import Markup

from planpress.render import format as fmt
from planpress.render import urls
from planpress.render.context import RenderContext
from planpress.render.links import EMPTY
from planpress.render.pages.cells import Cells
from planpress.render.views import Link


@dataclass(frozen=True, slots=True)
class TreeTop:
    """What the dashboard shows of the strategy tree."""

    rows: list[dict]  # the roots shown, as nodes: link, html, children, more, more_html
    shown: int  # entries shown (a plan supporting two plans is an entry under each)
    total: int  # plans in the tree
    roots: int  # roots in the tree
    cut: bool  # whether anything was left out


@dataclass(slots=True)
class _Entry:
    """A plan shown in the top of the tree, below the plans it supports."""

    plan_id: str
    seen: frozenset[str]  # the plans on its branch, itself included
    children: list[_Entry] = field(default_factory=list)

    def below(self) -> set[str]:
        """The plans shown below this one."""
        found: set[str] = set()
        for child in self.children:
            found |= {child.plan_id, *child.below()}
        return found


class StrategyTree:
    def __init__(self, ctx: RenderContext, cells: Cells) -> None:
        self.ctx, self.cells = ctx, cells
        self.supported_by = ctx.site.supported_by
        plans = ctx.site.plans
        in_tree = {pid for plan in plans.values() for pid in plan.supports}
        in_tree |= set(self.supported_by)  # once, not once per plan: a large site has many
        self.roots = [
            plan.id
            for plan in plans.values()
            if not any(target in plans for target in plan.supports) and plan.id in in_tree
        ]

    def whole(self) -> list[dict]:
        """Every root with everything below it, a plan once on each branch it is on."""

        def node(plan_id: str, seen: frozenset[str]) -> dict:
            children = [
                node(child, seen | {child})
                for child in self.supported_by.get(plan_id, ())
                if child not in seen  # `supports` may loop; show each plan once per branch
            ]
            return self._node(plan_id, children, 0)

        return [node(root, frozenset({root})) for root in self.roots]

    def top(self, size: int) -> TreeTop:
        """The whole tree when it has at most `size` entries; else its top: the roots (at
        most `size`), then their supporters level by level while there is room, each entry
        with the count of the plans below it that are not shown."""
        entries = self._entries(size)
        if entries <= size:
            return TreeTop(self.whole(), entries, self._total(), len(self.roots), False)
        level = [_Entry(root, frozenset({root})) for root in self.roots[:size]]
        rows, room = list(level), size - len(level)
        while room > 0 and level:
            level, room = self._next_level(level, room)
        drawn = [self._drawn(entry) for entry in rows]
        return TreeTop(drawn, size - room, self._total(), len(self.roots), True)

    def _next_level(self, level: list[_Entry], room: int) -> tuple[list[_Entry], int]:
        """Supporters of the entries of one level, one from each entry in turn while there
        is room (so each branch shows some), and the room left."""
        pending = [(entry, self._supporters(entry.plan_id, entry.seen)) for entry in level]
        while room > 0 and pending:
            still = []
            for entry, kids in pending:
                kid = next(kids, None) if room > 0 else None
                if kid is not None:
                    entry.children.append(_Entry(kid, entry.seen | {kid}))
                    room -= 1
                    still.append((entry, kids))
            pending = still
        return [child for entry in level for child in entry.children], room

    def _drawn(self, entry: _Entry) -> dict:
        children = [self._drawn(child) for child in entry.children]
        more = self._below(entry.plan_id, entry.seen) - len(entry.below())
        return self._node(entry.plan_id, children, more)

    def _node(self, plan_id: str, children: list[dict], more: int) -> dict:
        link = self.ctx.views.plan_link(plan_id)
        return {
            "link": link,
            "children": children,
            "html": self.cells.link(link),
            "more": more,  # plans below this one that are not shown
            "more_html": self._more(plan_id, more) if more else EMPTY,
        }

    def _more(self, plan_id: str, more: int) -> Markup:
        """'supported by 12 more plans', linked to the plan's list of its supporters."""
        text = f"supported by {fmt.plural(more, 'more plan')}"
        known = plan_id in self.ctx.site.plans
        target = f"{urls.plan_page(plan_id)}#supporters" if known else None
        return self.cells.link(Link(text, target))

    def _supporters(self, plan_id: str, seen: Collection[str]) -> Iterator[str]:
        return (kid for kid in self.supported_by.get(plan_id, ()) if kid not in seen)

    def _entries(self, limit: int) -> int:
        """How many entries the whole tree has, counted up to one past `limit` (a tree with
        many branches that join again has far more entries than plans)."""
        count = 0
        stack = [(root, frozenset({root})) for root in reversed(self.roots)]
        while stack and count <= limit:
            plan_id, seen = stack.pop()
            count += 1
            stack.extend((kid, seen | {kid}) for kid in self._supporters(plan_id, seen))
        return count

    def _below(self, plan_id: str, seen: set[str]) -> int:
        """How many plans support `plan_id` directly or not, leaving out those in `seen`."""
        found, stack = set(seen), [plan_id]
        while stack:
            for kid in self.supported_by.get(stack.pop(), ()):
                if kid not in found:
                    found.add(kid)
                    stack.append(kid)
        return len(found) - len(seen)

    def _total(self) -> int:
        """How many plans the whole tree has, each counted once."""
        return len(self.roots) + sum(1 for _ in self._reachable())

    def _reachable(self) -> Iterator[str]:
        found, stack = set(self.roots), list(self.roots)
        while stack:
            for kid in self.supported_by.get(stack.pop(), ()):
                if kid not in found:
                    found.add(kid)
                    stack.append(kid)
                    yield kid
