"""Responsibility (RACI) matrices: items x parties for a plan, parties x plans for the site."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial

from markupsafe import Markup, escape

from planpress.render import format as fmt
from planpress.render import urls
from planpress.render.context import Depends, Page, RenderContext, kept_part
from planpress.render.pages.cells import Cells
from planpress.render.paging import Paging, entries, paginate
from planpress.render.views import Link
from planpress.resolve.model import Assignment, Plan

LETTERS = ("R", "A", "C", "I")
_NAMES = tuple(zip(LETTERS, ("responsible", "accountable", "consulted", "informed"), strict=True))
# people x plans beyond which the site-wide matrix becomes a list
MATRIX_CELLS = 250_000
# plans beyond which it becomes a list too (a table that wide shows nothing at a glance), and
# the most plans a person's or team's entry in the list names before linking to their page
MATRIX_PLANS = 100


@dataclass(frozen=True, slots=True)
class MatrixRow:
    item: Link
    kind: str  # task | milestone
    cells: tuple[str, ...]  # one per column: "", "R", "R/A", …
    problems: tuple[str, ...]  # "no one responsible", "2 accountable"


@dataclass(frozen=True, slots=True)
class Matrix:
    columns: tuple[Link, ...]
    rows: tuple[MatrixRow, ...]


def plan_matrix(ctx: RenderContext, plan: Plan) -> Matrix:
    """Tasks and milestones of one plan against everybody who has a letter in it."""
    letters: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for assignment in ctx.site.assignments_by_plan.get(plan.id, ()):
        if assignment.role in LETTERS and assignment.item_kind in ("task", "milestone"):
            letters[assignment.item_id][assignment.party].append(assignment.role)
    keys = sorted({p for cells in letters.values() for p in cells}, key=_party_order(ctx))
    items = [(t.id, t.title, "task") for t in plan.all_tasks()]
    items += [(m.id, m.name, "milestone") for m in plan.milestones]
    rows = []
    for item_id, title, kind in items:
        cells = letters.get(item_id, {})
        target = urls.plan_page(plan.id) + "#" + urls.item_anchor(item_id)
        if kind == "milestone":
            target = urls.milestone_page(plan.id, item_id)
        rows.append(MatrixRow(Link(title, target), kind, _cells(cells, keys), _problems(cells)))
    columns = tuple(ctx.views.party(key) for key in keys)
    return Matrix(columns, tuple(rows))


def _cells(cells: dict[str, list[str]], keys: list[str]) -> tuple[str, ...]:
    return tuple(_letters(cells[k]) if k in cells else "" for k in keys)


def _letters(roles: list[str]) -> str:
    return "/".join(sorted(roles, key=LETTERS.index))


def _problems(cells: dict[str, list[str]]) -> tuple[str, ...]:
    roles = Counter(role for letters in cells.values() for role in letters)
    problems = []
    if not roles["R"]:
        problems.append("no one responsible")
    if roles["A"] > 1:
        problems.append(f"{roles['A']} accountable")
    return tuple(problems)


def _party_order(ctx: RenderContext) -> Callable[[str], tuple[str, str]]:
    return lambda key: (ctx.site.parties[key].name.casefold(), key)


def pages(ctx: RenderContext) -> Iterator[Page]:
    """responsibilities.html, continued on responsibilities.2.html … (page_size rows each).

    A page shows its parties' work, and in a table every plan's column: it depends on those
    parties (not on every plan), so an edit redraws only the pages of the people it changes,
    or every page of a table when a column changes (a plan added, removed or renamed).
    """
    layout = _layout(ctx)
    for paging in paginate(len(layout.parties), ctx.config.page_size, urls.RESPONSIBILITIES):
        depends = Depends.parties(entries(layout.parties, paging))
        depends = depends.but(f"{paging.key}\n{layout.columns_key}")
        make = partial(site_matrix, ctx, layout, paging)
        yield Page(paging.path, "responsibilities.html", make=make, depends=depends)


@dataclass(frozen=True, slots=True)
class Layout:
    """What every page of the site-wide matrix shares: one form for all of them."""

    parties: tuple[str, ...]  # everyone with a letter, by name: the rows, page after page
    plans: tuple[Plan, ...]
    dense: bool  # a table of parties x plans; else each party's list of its plans
    rows_key: str  # what a row shows of other plans: their order in a table's columns
    columns_key: str  # what a page shows besides its rows: a table's column headings


def _layout(ctx: RenderContext) -> Layout:
    """The rows and the form, decided for the whole site (MATRIX_CELLS), not per page."""
    plans = tuple(ctx.site.plans.values())
    assignments = ctx.site.assignments
    parties = tuple(
        key
        for key in sorted(assignments, key=_party_order(ctx))
        if any(assignment.role in LETTERS for assignment in assignments[key])
    )
    if len(parties) * len(plans) > MATRIX_CELLS or len(plans) > MATRIX_PLANS:
        return Layout(parties, plans, False, "list", "list")  # no table wider than a page
    rows_key = _digest(plan.id for plan in plans)
    columns_key = _digest(f"{plan.id}\1{plan.title}" for plan in plans)
    return Layout(parties, plans, True, rows_key, columns_key)


def _digest(texts: Iterable[str]) -> str:
    return hashlib.blake2b("\0".join(texts).encode()).hexdigest()


def site_matrix(ctx: RenderContext, layout: Layout, paging: Paging) -> dict:
    """One page of the site-wide matrix: for each of its people or teams, their letters in
    each plan.

    A site with more than MATRIX_CELLS cells (people x plans) gets a list instead: each
    person or team with only the plans they have letters in (`columns` is then empty and
    each cell names its `plan`), so the page grows with the work, not with its square.

    Each row also comes drawn (`party_html`, and `cells_html`: its cells' <td>s, or <li>s in
    a list): a matrix has up to MATRIX_CELLS cells, too many for a template loop each. Rows
    are kept parts shared by all pages (which all sit in one folder, so their links are the
    same), and show nothing of the page they are on.
    """
    plans = list(layout.plans)
    assignments = ctx.site.assignments
    cells = Cells(ctx.url_style, paging.path)
    if layout.dense:
        draw = partial(_dense_row, ctx, cells, plans=plans)
    else:
        order = {plan.id: number for number, plan in enumerate(plans)}
        draw = partial(_list_row, ctx, cells, order=order)

    def row(key: str) -> dict:
        def make() -> dict:
            return draw(key, _counts(assignments[key]))

        return kept_part(ctx, urls.RESPONSIBILITIES, Depends.party(key), layout.rows_key, make)

    rows = [row(key) for key in entries(layout.parties, paging)]
    columns = [ctx.views.plan_link(plan.id) for plan in plans] if layout.dense else []
    return {
        "title": "Responsibilities",
        "columns": columns,
        "column_links": [cells.link(column) for column in columns],
        "rows": rows,
        "paging": paging,
    }


def _counts(assignments: tuple[Assignment, ...]) -> dict[str, Counter]:
    """A party's letters, counted per plan."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for assignment in assignments:
        if assignment.role in LETTERS:
            counts[assignment.plan_id][assignment.role] += 1
    return counts


def _dense_row(
    ctx: RenderContext, cells: Cells, key: str, counts: dict[str, Counter], *, plans: list[Plan]
) -> dict:
    """The party's cell in every plan's column (None where it has no letter)."""
    found = [_count_cell(counts.get(plan.id), key, plan.id) for plan in plans]
    page = cells.href(urls.party_page(key))
    drawn = "".join(
        f"<td>{_count_link(page, cell, plan.id)}</td>" if cell else "<td></td>"
        for cell, plan in zip(found, plans, strict=True)
    )
    return _row(ctx, cells, key, found, drawn)


def _list_row(
    ctx: RenderContext, cells: Cells, key: str, counts: dict[str, Counter], *, order: dict[str, int]
) -> dict:
    """The party's cells in the plans it has letters in, in the site's order of plans: the
    first MATRIX_PLANS of them, then a link to the party's page, which lists all its work."""
    plan_ids = sorted(counts, key=lambda pid: order.get(pid, len(order)))
    more = len(plan_ids) - MATRIX_PLANS
    if more > 0:
        plan_ids = plan_ids[:MATRIX_PLANS]
    found = [
        _count_cell(counts[plan_id], key, plan_id) | {"plan": ctx.views.plan_link(plan_id)}
        for plan_id in plan_ids
    ]
    page = cells.href(urls.party_page(key))
    drawn = "".join(
        f"<li>{cells.link(cell['plan'])}: {_count_link(page, cell, plan_id)}</li>"
        for cell, plan_id in zip(found, plan_ids, strict=True)
    )
    if more > 0:
        label = fmt.plural(more, "more plan")
        drawn += f'<li class="more"><a href="{page}">and {label}: see all their work</a></li>'
    return _row(ctx, cells, key, found, drawn)


def _row(ctx: RenderContext, cells: Cells, key: str, found: list, drawn: str) -> dict:
    party = ctx.views.party(key)
    return {
        "party": party,
        "cells": found,
        "party_html": cells.link(party),
        "cells_html": Markup(drawn),
    }


def _count_cell(counts: Counter | None, key: str, plan_id: str) -> dict | None:
    if not counts:
        return None
    shown = [(counts[letter], letter, name) for letter, name in _NAMES if counts[letter]]
    return {
        "text": " ".join(f"{count}{letter}" for count, letter, _ in shown),
        "label": ", ".join(f"{count} {name}" for count, _, name in shown),
        "target": f"{urls.party_page(key)}#plan-{plan_id}",
    }


def _count_link(page: str, cell: dict, plan_id: str) -> str:
    """A cell's counts, linked to the plan on the party's page (`page`: its href), as
    `<a href="{{ url(cell.target) }}" ...>` draws it; text and label are counts and fixed
    words, with nothing to escape."""
    href = f"{page}#plan-{escape(plan_id)}"
    return f'<a href="{href}" aria-label="{cell["label"]}">{cell["text"]}</a>'
