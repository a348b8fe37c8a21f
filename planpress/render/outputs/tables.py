"""csv/tasks.csv and csv/milestones.csv: every task and milestone, for spreadsheets.

UTF-8 with a byte order mark (so spreadsheet programs read the accents right), CRLF line ends,
and the csv module's quoting. Dates are ISO days (the scheduled ones; a completion day as written
when it is not a plain day). Numbers are written as numbers. A text cell that a spreadsheet could
take for a formula (starting with =, +, -, @, a tab or a carriage return) gets a leading
apostrophe, so opening the file never runs anything an author wrote.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from functools import partial

from planpress.render.context import RenderContext, kept_piece
from planpress.render.outputs import common, paths
from planpress.render.pieces import PieceRef, Spliced, spliced_join
from planpress.resolve.model import Milestone, Plan, Task

TASK_COLUMNS = (
    *("plan id", "plan", "objective", "task id", "title", "responsible", "accountable"),
    *("consulted", "informed", "start", "due", "status", "state", "budget", "cost"),
)
MILESTONE_COLUMNS = (
    *("plan id", "plan", "milestone id", "milestone", "category", "owner", "department"),
    *("due", "done", "days late", "budget", "cost", "variance", "benefits"),
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_BOM = "\ufeff".encode()  # so spreadsheet programs read UTF-8
Cell = str | int | float | None


def neutralise(cell: Cell) -> Cell:
    """A text cell that could start a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def csv_bytes(header: Iterable[str], rows: Iterable[Iterable[Cell]]) -> bytes:
    return _BOM + csv_text([header, *rows]).encode("utf-8")


def csv_text(rows: Iterable[Iterable[Cell]]) -> str:
    """Rows as CSV lines, cells neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    # neutralise() inlined: a site has hundreds of thousands of cells
    writer.writerows(
        [
            ("'" + cell if cell.startswith(FORMULA_STARTS) else cell)
            if type(cell) is str
            else ("" if cell is None else neutralise(cell))
            for cell in row
        ]
        for row in rows
    )
    return out.getvalue()


def csv_files(ctx: RenderContext) -> dict[str, bytes | Spliced]:
    """Each plan's rows are kept for the next build (see render.pieces.PlanPieces)."""

    def table(
        file: str, header: tuple[str, ...], rows: Callable[[Plan], list[list[Cell]]]
    ) -> bytes | Spliced:
        def piece(plan: Plan) -> bytes | PieceRef:
            return kept_piece(ctx, file, plan.id, lambda: csv_text(rows(plan)).encode("utf-8"))

        body = map(piece, ctx.site.plans.values())
        return spliced_join((_BOM, csv_text([header]).encode("utf-8"), *body))

    return {
        paths.TASKS_CSV: table(paths.TASKS_CSV, TASK_COLUMNS, partial(_task_rows, ctx)),
        paths.MILESTONES_CSV: table(
            paths.MILESTONES_CSV, MILESTONE_COLUMNS, partial(_milestone_rows, ctx)
        ),
    }


def _task_rows(ctx: RenderContext, plan: Plan) -> list[list[Cell]]:
    rows = [_task_row(ctx, plan, o.title, t) for o in plan.objectives for t in o.tasks]
    return rows + [_task_row(ctx, plan, "", t) for t in plan.tasks]


def _milestone_rows(ctx: RenderContext, plan: Plan) -> list[list[Cell]]:
    return [_milestone_row(ctx, plan, m) for m in plan.milestones]


def _task_row(ctx: RenderContext, plan: Plan, objective: str, task: Task) -> list[Cell]:
    timing = ctx.schedule.items.get((plan.id, task.id))
    state = ctx.status.items.get((plan.id, task.id))
    return [
        plan.id,
        plan.title,
        objective,
        task.id,
        task.title,
        "; ".join(common.names(ctx, task.responsible)),
        common.name(ctx, task.accountable),
        "; ".join(common.names(ctx, task.consulted)),
        "; ".join(common.names(ctx, task.informed)),
        _iso(timing.start if timing else None),
        _iso(timing.due if timing else None) or _ongoing(timing),
        task.status,
        state.state if state else "",
        task.budget,
        task.cost,
    ]


def _milestone_row(ctx: RenderContext, plan: Plan, milestone: Milestone) -> list[Cell]:
    key = (plan.id, milestone.id)
    timing = ctx.schedule.items.get(key)
    state = ctx.status.items.get(key)
    budget = ctx.status.budgets.get(key)
    done = common.day_of(milestone.done)
    late = None
    if state and state.state in ("done", "done-late", "overdue") and state.days is not None:
        late = state.days
    return [
        plan.id,
        plan.title,
        milestone.id,
        milestone.name,
        milestone.category,
        common.name(ctx, milestone.owner),
        milestone.department,
        _iso(timing.due if timing else None),
        done.isoformat() if done else (milestone.done.text if milestone.done else ""),
        late,
        milestone.budget,
        milestone.cost,
        budget.variance if budget else None,
        "; ".join(_benefit(b) for b in milestone.benefits),
    ]


def _benefit(benefit) -> str:
    """'Online revenue: target 120000 USD, actual 95000 USD'."""
    unit = f" {benefit.unit}" if benefit.unit else ""
    parts = [
        f"{label} {value}{unit}"
        for label, value in (("target", benefit.target), ("actual", benefit.actual))
        if value is not None
    ]
    return benefit.metric + (": " + ", ".join(parts) if parts else "")


def _ongoing(timing) -> str:
    return "ongoing" if timing is not None and timing.ongoing else ""


def _iso(day) -> str:
    return day.isoformat() if day is not None else ""
