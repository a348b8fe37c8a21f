"""The rows of the longest tables of plan and person pages, drawn in Python.

A plan page's task, responsibility-matrix and milestone tables and a person's lists run to
thousands of cells; drawn by Jinja, every cell costs a markupsafe escape and every link a
macro call. The templates keep each table's frame and call a RowWriter for its rows, with the
`link`, `links` and `state` they imported from partials/links.html (and history.html's
`slip_badge`), so a theme's override of those macros still draws every link.

Each method returns exactly what the template loop it replaced rendered (quoted in the
method's docstring, as it stood in the template): the same markup, escaping and whitespace.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from planpress.render import format as fmt
from planpress.render.links import PageLinks, esc, field

if TYPE_CHECKING:
    from planpress.render.pages.matrix import MatrixRow
    from planpress.render.views import ItemRow, TaskColumns
    from planpress.resolve.model import Benefit

Draw = Callable[[Any], Any]  # a macro, or a PageLinks method: value -> Markup
_DONE = ("done", "done-late")


class RowWriter:
    """Table rows for one page, drawn with that page's link, links, state and slip_badge."""

    def __init__(
        self,
        slip: Callable[[str, str], Any],
        currency: str,
        link: Draw,
        links: Draw,
        state: Draw,
        slip_badge: Draw | None = None,
    ) -> None:
        self.slip, self.currency = slip, currency
        self.link, self.links, self.state = _printed(link), _printed(links), _printed(state)
        self.slip_badge = slip_badge

    def tasks(self, rows: Iterable[ItemRow], columns: TaskColumns, plan_id: str) -> Markup:
        """objectives_part's task rows (plan_parts.html):

        {% for row in objective.rows %}
        <tr id="{{ row.anchor }}"{% if row.critical %} class="critical"{% endif %}>
        <th scope="row">{{ row.title }}{% if row.critical %} <small class="critical-mark">
        critical</small>{% endif %}{% if row.after %}<br><small>after {{ links(row.after) }}
        </small>{% endif %}{% if row.source.notes %}<br><small>{{ row.source.notes }}</small>
        {% endif %}</th>
        <td>{{ links(row.responsible) }}</td>
        {% if task_columns.accountable %}<td>{{ link(row.accountable) }}</td>{% endif %}
        {% if task_columns.involved %}<td>{{ links(row.consulted) }}{% if row.informed %}
        {% if row.consulted %} · {% endif %}{{ links(row.informed) }}{% endif %}</td>{% endif %}
        <td>{{ row.start }}</td>
        <td>{% if row.ongoing %}ongoing{% else %}<time datetime="{{ row.due_iso }}">
        {{ row.due }}</time>{% set s = slip(plan.id, row.id) %}{% if s %}<br>
        {{ history.slip_badge(s) }}{% endif %}{% endif %}</td>
        <td>{{ state(row.state) }}{% if row.source.status == 'doing' and row.state.state not in
        ('done', 'done-late') %} <small>in progress</small>{% elif row.source.status ==
        'blocked' %} <strong>blocked</strong>{% endif %}</td>
        {% if task_columns.money %}<td class="num">{{ budget }}</td>{% endif %}
        </tr>
        {% endfor %}

        (broken here for width only: the template has one line per table cell).
        """
        accountable, involved = field(columns, "accountable"), field(columns, "involved")
        money = field(columns, "money")
        out: list[str] = []
        for row in rows:
            flag = ' class="critical"' if row.critical else ""
            out += (f'<tr id="{esc(row.anchor)}"{flag}>\n', self._task_head(row))
            out.append(f"<td>{self.links(row.responsible)}</td>\n")
            if accountable:
                out.append(f"<td>{self.link(row.accountable)}</td>")
            if involved:
                out.append(f"<td>{self._involved(row)}</td>")
            out.append(f"<td>{esc(row.start)}</td>\n")
            out.append(f"<td>{self._task_due(row, plan_id)}</td>\n")
            out.append(f"<td>{self._task_state(row)}</td>\n")
            if money:
                out.append(f'<td class="num">{self._task_budget(row)}</td>')
            out.append("</tr>\n")
        return Markup("".join(out))

    def _task_head(self, row: ItemRow) -> str:
        out = [f'<th scope="row">{esc(row.title)}']
        if row.critical:
            out.append(' <small class="critical-mark">critical</small>')
        if row.after:
            out.append(f"<br><small>after {self.links(row.after)}</small>")
        if row.source.notes:
            out.append(f"<br><small>{esc(row.source.notes)}</small>")
        out.append("</th>\n")
        return "".join(out)

    def _involved(self, row: ItemRow) -> str:
        text = self.links(row.consulted)
        if row.informed:
            text += (" · " if row.consulted else "") + self.links(row.informed)
        return text

    def _task_due(self, row: ItemRow, plan_id: str) -> str:
        if row.ongoing:
            return "ongoing"
        due = f'<time datetime="{esc(row.due_iso)}">{esc(row.due)}</time>'
        return due + self._slip(plan_id, row.id)

    def _task_state(self, row: ItemRow) -> str:
        text = self.state(row.state)
        status = row.source.status
        if status == "doing" and row.state.state not in _DONE:
            return text + " <small>in progress</small>"
        if status == "blocked":
            return text + " <strong>blocked</strong>"
        return text

    def _task_budget(self, row: ItemRow) -> str:
        """{% if row.budget %}{{ row.budget.planned | money }}{% if row.budget.actual is not
        none %}<br><small{% if row.budget.over %} class="over"{% endif %}>
        {{ row.budget.actual | money }} spent</small>{% endif %}{% endif %}"""
        budget = row.budget
        if not budget:
            return ""
        text = self._money(budget.planned)
        if budget.actual is not None:
            over = ' class="over"' if budget.over else ""
            text += f"<br><small{over}>{self._money(budget.actual)} spent</small>"
        return text

    def matrix(self, rows: Iterable[MatrixRow]) -> Markup:
        """matrix_part's rows (plan_parts.html):

        {% for r in matrix.rows %}
        <tr{% if r.problems %} class="flagged"{% endif %}><th scope="row">{{ link(r.item) }}
        {% if r.kind == 'milestone' %} <small>(milestone)</small>{% endif %}</th>
        {% for cell in r.cells %}<td class="letter">{{ cell }}</td>{% endfor %}
        <td>{% if r.problems %}<strong>{{ r.problems | join(', ') }}</strong>{% endif %}</td></tr>
        {% endfor %}
        """
        out: list[str] = []
        for r in rows:
            flag = ' class="flagged"' if r.problems else ""
            kind = " <small>(milestone)</small>" if r.kind == "milestone" else ""
            out.append(f'<tr{flag}><th scope="row">{self.link(r.item)}{kind}</th>\n')
            out += map(_letter_cell, r.cells)
            problems = f"<strong>{esc(', '.join(r.problems))}</strong>" if r.problems else ""
            out.append(f"<td>{problems}</td></tr>\n")
        return Markup("".join(out))

    def matrix_columns(self, columns: Iterable[Any]) -> Markup:
        """matrix_part's column heads (plan_parts.html):

        {% for c in matrix.columns %}<th scope="col">{{ link(c) }}</th>{% endfor %}
        """
        return Markup("".join([f'<th scope="col">{self.link(c)}</th>' for c in columns]))

    def milestones(self, rows: Iterable[ItemRow], plan_id: str) -> Markup:
        """milestone_table's rows (plan_parts.html):

        {% for row in rows %}{% set m = row.source %}
        <tr id="{{ row.anchor }}">
        <th scope="row">{{ link(row.link) }}{% if m.department %}<br><small>{{ m.department }}
        </small>{% endif %}</th>
        <td>{{ links(row.responsible) }}</td>
        <td><time datetime="{{ row.due_iso }}">{{ row.due }}</time>{% if row.end %}<br><small>
        until {{ row.end }}</small>{% endif %}{% set s = slip(plan.id, row.id) %}{% if s %}<br>
        {{ history.slip_badge(s) }}{% endif %}</td>
        <td>{% if row.done %}{{ row.done }}{% endif %}</td>
        <td>{{ state(row.state) }}</td>
        <td class="num">{{ m.budget | money }}</td>
        <td class="num">{{ m.cost | money }}{{ variance }}</td>
        <td>{{ benefits }}</td>
        </tr>
        {% endfor %}
        """
        out: list[str] = []
        for row in rows:
            m = row.source
            department = f"<br><small>{esc(m.department)}</small>" if m.department else ""
            until = f"<br><small>until {esc(row.end)}</small>" if row.end else ""
            due = f'<time datetime="{esc(row.due_iso)}">{esc(row.due)}</time>{until}'
            out += (
                f'<tr id="{esc(row.anchor)}">\n',
                f'<th scope="row">{self.link(row.link)}{department}</th>\n',
                f"<td>{self.links(row.responsible)}</td>\n",
                f"<td>{due}{self._slip(plan_id, row.id)}</td>\n",
                f"<td>{esc(row.done) if row.done else ''}</td>\n",
                f"<td>{self.state(row.state)}</td>\n",
                f'<td class="num">{self._money(m.budget)}</td>\n',
                f'<td class="num">{self._money(m.cost)}{self._variance(row)}</td>\n',
                f"<td>{_benefits(m.benefits)}</td>\n</tr>\n",
            )
        return Markup("".join(out))

    def _variance(self, row: ItemRow) -> str:
        """{% if row.budget and row.budget.variance is not none and m.cost is not none %}<br>
        <small{% if row.budget.over %} class="over"{% endif %}>{{ row.budget.variance |
        signed }}</small>{% endif %}"""
        budget = row.budget
        if not (budget and budget.variance is not None and row.source.cost is not None):
            return ""
        over = ' class="over"' if budget.over else ""
        return f"<br><small{over}>{esc(fmt.signed(budget.variance))}</small>"

    def person_items(self, rows: Iterable[Mapping[str, Any]]) -> Markup:
        """item_list's rows (person.html):

        {% for row in items %}<tr><th scope="row">{{ link(row.link) }}</th><td>
        {{ row.plan.title }}</td><td>{{ row.assignment.role }}</td><td>{{ row.due }}</td><td>
        {{ state(row.state) }}</td></tr>{% endfor %}
        """
        return Markup(
            "".join(
                f'<tr><th scope="row">{self.link(row["link"])}</th>'
                f"<td>{esc(row['plan'].title)}</td><td>{esc(row['assignment'].role)}</td>"
                f"<td>{esc(row['due'])}</td><td>{self.state(row['state'])}</td></tr>"
                for row in rows
            )
        )

    def responsibilities(self, rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> Markup:
        """The responsibility table's rows (person.html), one group per plan:

          {% for plan_id, items in rows.items() %}{% for row in items %}
            <tr{% if loop.first %} id="plan-{{ plan_id }}"{% endif %}><td>{{ row.plan.title }}
        </td><th scope="row">{{ link(row.link) }}</th><td>{{ row.assignment.role }}</td><td>
        {{ row.due }}</td><td>{% if row.state %}{{ state(row.state) }}{% endif %}</td></tr>
          {% endfor %}{% endfor %}
        """
        out: list[str] = []
        for plan_id, items in rows.items():
            first = f' id="plan-{esc(plan_id)}"'
            for row in items:
                state = row["state"]
                out.append(
                    f"    <tr{first}><td>{esc(row['plan'].title)}</td>"
                    f'<th scope="row">{self.link(row["link"])}</th>'
                    f"<td>{esc(row['assignment'].role)}</td><td>{esc(row['due'])}</td>"
                    f"<td>{self.state(state) if state else ''}</td></tr>\n"
                )
                first = ""
        return Markup("".join(out))

    @staticmethod
    def timeline(rows: Iterable[Mapping[str, Any]]) -> Markup:
        return timeline_rows(rows)

    def _money(self, value: float | None) -> str:
        """The `money` filter of site.environment."""
        return esc(fmt.money(value, self.currency))

    def _slip(self, plan_id: str, item_id: str) -> str:
        """{% set s = slip(plan.id, row.id) %}{% if s %}<br>{{ history.slip_badge(s) }}
        {% endif %}"""
        found = self.slip(plan_id, item_id)
        if not found:
            return ""
        if self.slip_badge is None:
            raise TypeError("a RowWriter made without slip_badge met a slip")
        return "<br>" + esc(self.slip_badge(found))


def _printed(draw: Draw) -> Callable[[Any], str]:
    """`draw` as a function giving what `{{ draw(value) }}` prints: for the page's own
    PageLinks methods their plain str twins, else the call's result escaped."""
    owner = getattr(draw, "__self__", None)
    twin = owner.twin(draw) if isinstance(owner, PageLinks) else None
    return twin or (lambda value: esc(draw(value)))


def timeline_rows(rows: Iterable[Mapping[str, Any]]) -> Markup:
    """The rows of a timeline's table (plan_parts.html, person.html):

    {% for r in timeline_rows %}<tr><td>{{ r.group }}</td><th scope="row">{{ r.label }}</th>
    <td>{{ r.start }}</td><td>{{ r.end }}</td><td>{{ r.detail }}</td></tr>{% endfor %}
    """
    return Markup(
        "".join(
            f'<tr><td>{esc(r["group"])}</td><th scope="row">{esc(r["label"])}</th>'
            f"<td>{esc(r['start'])}</td><td>{esc(r['end'])}</td><td>{esc(r['detail'])}</td></tr>"
            for r in rows
        )
    )


@functools.lru_cache(maxsize=64)  # a matrix has hundreds of cells, "R", "C/I" or empty
def _letter_cell(cell: str) -> str:
    return f'<td class="letter">{esc(cell)}</td>'


def _benefits(benefits: Sequence[Benefit]) -> str:
    """{% for b in m.benefits %}{{ b.metric }}: {{ b.target if b.target is not none else '—' }}
    {% if b.actual is not none %} → {{ b.actual }}{% endif %}{% if b.unit %} {{ b.unit }}
    {% endif %}{% if not loop.last %}<br>{% endif %}{% endfor %}"""
    out = []
    for b in benefits:
        text = f"{esc(b.metric)}: {esc(b.target) if b.target is not None else '—'}"
        if b.actual is not None:
            text += f" → {esc(b.actual)}"
        if b.unit:
            text += f" {esc(b.unit)}"
        out.append(text)
    return "<br>".join(out)
