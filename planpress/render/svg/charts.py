"""Small charts for plan pages: a KPI sparkline, budget bars, a progress bar (and, re-exported
from heatmap.py, the risk heat map).

Simple pictures (sparkline, progress bar) are role="img" with everything in their <title>;
charts with parts (budget rows, heat map cells) are role="group" with one <title> per part.
Non-finite numbers are treated as missing, so a NaN in the data never reaches the SVG.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from markupsafe import Markup

from planpress.render.svg.elements import AttrValue, chart_id, svg, tag, text
from planpress.render.svg.elements import title as title_el
from planpress.render.svg.heatmap import risk_heatmap
from planpress.render.svg.text import amount, finite, num, text_width, truncate

__all__ = ["budget_bars", "progress_bar", "risk_heatmap", "sparkline"]

SPARK_W, SPARK_H, SPARK_PAD = 120.0, 32.0, 3.5


def sparkline(
    points: Sequence[tuple[str, float]], baseline: float | None, target: float | None, title: str
) -> Markup:
    """A 120x32 trend line of a KPI's actuals, a dashed target line, the last point marked."""
    values = [(label, v) for label, raw in points if (v := finite(raw)) is not None]
    base, goal = finite(baseline), finite(target)
    words = [f"baseline {amount(base)}"] if base is not None else []
    words += [f"{label} {amount(v)}" for label, v in values] or ["no values yet"]
    words += [f"target {amount(goal)}"] if goal is not None else []
    label = f"{title}: {'; '.join(words)}"
    y = _spark_y([v for _, v in values] + [x for x in (base, goal) if x is not None])
    parts = []
    for cls, level in (("spark-base", base), ("spark-target", goal)):
        if level is not None:
            d = f"M{num(SPARK_PAD)} {num(y(level))}H{num(SPARK_W - SPARK_PAD)}"
            parts.append(tag("path", {"class": cls, "d": d}))
    xs = _spark_xs(len(values))
    coords = [f"{num(x)} {num(y(v))}" for x, (_, v) in zip(xs, values, strict=True)]
    if len(coords) > 1:
        parts.append(tag("path", {"class": "spark-line", "d": "M" + "L".join(coords)}))
    if values:
        last = {"class": "spark-last", "cx": xs[-1], "cy": y(values[-1][1]), "r": 2.5}
        parts.append(tag("circle", last))
    prefix = chart_id("sparkline", label)
    return svg("sparkline", (SPARK_W, SPARK_H), prefix, label, parts, role="img", fixed=True)


def _spark_xs(count: int) -> list[float]:
    if count == 1:
        return [SPARK_W - SPARK_PAD]
    step = (SPARK_W - 2 * SPARK_PAD) / max(count - 1, 1)
    return [SPARK_PAD + i * step for i in range(count)]


def _spark_y(levels: list[float]) -> Callable[[float], float]:
    """Maps a value to y; a flat series sits in the middle."""
    low, high = (min(levels), max(levels)) if levels else (0.0, 0.0)
    span = high - low

    def y(value: float) -> float:
        if span == 0:
            return SPARK_H / 2
        return SPARK_PAD + (high - value) / span * (SPARK_H - 2 * SPARK_PAD)

    return y


BUDGET_W, LABEL_W, BAR_X0, BAR_X1 = 680.0, 150.0, 160.0, 500.0
_BAR_X0 = num(BAR_X0)
ROW_H, KEY_H = 40.0, 28.0


def budget_bars(
    rows: Sequence[tuple[str, float | None, float | None]], title: str, currency: str = ""
) -> Markup:
    """Planned and actual amounts as paired horizontal bars, one pair per row, values written.

    An actual above its planned amount gets the class "over" and says by how much.
    """
    clean = [(label, finite(p), finite(a)) for label, p, a in rows]
    top = max([v for _, p, a in clean for v in (p, a) if v is not None] + [0.0])
    per_unit = (BAR_X1 - BAR_X0) / (top or 1.0)
    body = [_budget_key(any(_over(p, a) for _, p, a in clean))]
    for index, (label, planned, actual) in enumerate(clean):
        body.append(_budget_row(KEY_H + index * ROW_H, label, planned, actual, per_unit, currency))
    height = KEY_H + len(clean) * ROW_H + 6
    body.append(
        tag("path", {"class": "zero", "d": f"M{num(BAR_X0)} {num(KEY_H)}V{num(height - 4)}"})
    )
    prefix = chart_id("budget", title, *(label for label, _, _ in clean))
    return svg("budget", (BUDGET_W, height), prefix, title, body)


def _over(planned: float | None, actual: float | None) -> bool:
    return planned is not None and actual is not None and actual > planned


def _money(value: float | None, currency: str) -> str:
    if value is None:
        return "not set"
    return f"{amount(value)} {currency}".strip()


def _budget_row(
    y: float, label: str, planned: float | None, actual: float | None, per_unit: float, cur: str
) -> str:
    over = _over(planned, actual)
    excess = (actual or 0.0) - (planned or 0.0)
    tip = f"{label}: planned {_money(planned, cur)}, actual {_money(actual, cur)}"
    tip += f", over budget by {_money(excess, cur)}." if over else "."
    actual_text = _money(actual, cur) + (f", {_money(excess, cur)} over" if over else "")
    parts = [title_el(tip), text(10, y + 24, truncate(label, 12, LABEL_W - 10), "row-label")]
    for offset, cls, value, words in (
        (7.0, "planned", planned, _money(planned, cur)),
        (21.0, "actual over" if over else "actual", actual, actual_text),
    ):
        width = max(value or 0.0, 0.0) * per_unit
        if value is not None:  # tag("rect", {"class": cls, "x": BAR_X0, "y": y + offset,
            # "width": width, "height": 12.0}), spelled out: every budget row has two
            box = f'x="{_BAR_X0}" y="{num(y + offset)}" width="{num(width)}" height="12"'
            parts.append(f'<rect class="{cls}" {box}/>')
        value_cls = "value over" if over and cls != "planned" else "value"
        parts.append(text(BAR_X0 + width + 6, y + offset + 10, words, value_cls))
    values: dict[str, AttrValue] = {"class": "row over" if over else "row"}
    return tag("g", values, parts[0], tag("g", {"aria-hidden": "true"}, *parts[1:]))


@functools.cache  # one of two, on every budget chart
def _budget_key(with_over: bool) -> str:
    # Swatches have classes of their own, so counting bars by class never counts the legend.
    entries = [("key-planned", "Planned"), ("key-actual", "Actual")]
    entries += [("key-over", "Over budget")] if with_over else []
    parts, x = [], BAR_X0
    for cls, name in entries:
        parts.append(tag("rect", {"class": cls, "x": x, "y": 8.0, "width": 14.0, "height": 10.0}))
        parts.append(text(x + 19, 17, name, "value"))
        x += 19 + text_width(name, 11) + 18
    return tag("g", {"class": "legend", "aria-hidden": "true"}, *parts)


PROGRESS_W, PROGRESS_H, TRACK_W = 150.0, 16.0, 100.0


def progress_bar(fraction: float | None, label: str) -> Markup:
    """A 0..100% bar; the drawing is clamped, the written percent is not ('120%')."""
    value = finite(fraction)
    words = "no data" if value is None else f"{round(value * 100)}%"
    tip = f"{label}: {words}"
    filled = 0.0 if value is None else min(max(value, 0.0), 1.0) * TRACK_W
    track = {"class": "track", "x": 0.5, "y": 3.5, "width": TRACK_W, "height": 9.0, "rx": 4.5}
    parts = [tag("rect", track)]
    if filled > 0:
        bar = {"class": "fill", "x": 0.5, "y": 3.5, "width": filled, "height": 9.0, "rx": 4.5}
        parts.append(tag("rect", bar))
    parts.append(text(TRACK_W + 7, 12.5, words, "pct"))
    cls = "complete" if value is not None and value >= 1 else None
    body = [tag("g", {"class": cls, "aria-hidden": "true"}, *parts)]
    prefix = chart_id("progress", tip)
    return svg("progress", (PROGRESS_W, PROGRESS_H), prefix, tip, body, role="img", fixed=True)
