"""The risk heat map: likelihood (rows, high at the top) by impact (columns, low at the left).

Each cell shows how many risks fall in it and is coloured by severity, sev-1 (low, low) to
sev-5 (high, high); its <title> names the risks, so the count is never the only information.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

from markupsafe import Markup

from planpress.render.svg.elements import chart_id, svg, tag, text
from planpress.render.svg.elements import title as title_el
from planpress.render.svg.text import clean

LEVELS = ("low", "medium", "high")
CELL_W, CELL_H = 88.0, 56.0
GRID_X, GRID_Y = 104.0, 10.0
HEAT_W = GRID_X + 3 * CELL_W + 10
HEAT_H = GRID_Y + 3 * CELL_H + 46


def severity(likelihood: str, impact: str) -> int:
    """1 (low, low) .. 5 (high, high)."""
    return LEVELS.index(likelihood) + LEVELS.index(impact) + 1


def _collect(cells: Mapping[tuple[str, str], Sequence[str]]) -> dict[tuple[str, str], list[str]]:
    """Risk names by normalised (likelihood, impact); unknown levels are left out."""
    found: dict[tuple[str, str], list[str]] = {}
    for (likelihood, impact), names in cells.items():
        key = (clean(likelihood).strip().lower(), clean(impact).strip().lower())
        if key[0] in LEVELS and key[1] in LEVELS:
            found.setdefault(key, []).extend(str(n) for n in names)
    return found


def _cell(likelihood: str, impact: str, names: list[str]) -> str:
    return _drawn_cell(likelihood, impact, tuple(names))


@functools.lru_cache(maxsize=64)  # most cells of most maps are empty, and alike
def _drawn_cell(likelihood: str, impact: str, names: tuple[str, ...]) -> str:
    row, col = 2 - LEVELS.index(likelihood), LEVELS.index(impact)
    x, y = GRID_X + col * CELL_W, GRID_Y + row * CELL_H
    sev = severity(likelihood, impact)
    count = len(names)
    what = f"{count} {'risk' if count == 1 else 'risks'}" + (
        f": {'; '.join(names)}" if names else ""
    )
    tip = f"Likelihood {likelihood}, impact {impact} (severity {sev} of 5): {what}."
    cls = f"cell sev-{sev}" + ("" if names else " empty")
    box = {"x": x, "y": y, "width": CELL_W, "height": CELL_H, "rx": 4.0}
    count_text = text(x + CELL_W / 2, y + CELL_H / 2 + 7, str(count), "count", text_anchor="middle")
    return tag("g", {"class": cls}, title_el(tip), tag("rect", box), count_text)


@functools.cache  # the same on every map
def _axes() -> tuple[str, ...]:
    parts = []
    for level in LEVELS:
        y = GRID_Y + (2 - LEVELS.index(level)) * CELL_H + CELL_H / 2 + 4
        parts.append(text(GRID_X - 8, y, level.capitalize(), "tick", text_anchor="end"))
        x = GRID_X + LEVELS.index(level) * CELL_W + CELL_W / 2
        parts.append(
            text(x, GRID_Y + 3 * CELL_H + 16, level.capitalize(), "tick", text_anchor="middle")
        )
    mid_y = GRID_Y + 1.5 * CELL_H
    parts.append(
        text(
            18,
            mid_y,
            "Likelihood",
            "axis-title",
            text_anchor="middle",
            transform=f"rotate(-90 18 {mid_y:.0f})",
        )
    )
    parts.append(
        text(GRID_X + 1.5 * CELL_W, HEAT_H - 8, "Impact", "axis-title", text_anchor="middle")
    )
    return tuple(parts)


def risk_heatmap(cells: Mapping[tuple[str, str], Sequence[str]], title: str) -> Markup:
    """A 3x3 grid of risk counts; keys are (likelihood, impact), each low, medium or high."""
    found = _collect(cells)
    body = [
        _cell(likelihood, impact, found.get((likelihood, impact), []))
        for likelihood in reversed(LEVELS)
        for impact in LEVELS
    ]
    body.append(tag("g", {"aria-hidden": "true"}, *_axes()))
    names = [n for key in sorted(found) for n in found[key]]
    prefix = chart_id("heatmap", title, *names)
    return svg("heatmap", (HEAT_W, HEAT_H), prefix, title, body)
