"""Dependency arrows: orthogonal connectors from the end of one item to the start of another.

When the target starts far enough right of the source's end, the connector runs right,
down (or up) and right again into the target. Otherwise it doubles back along the boundary
just above (or below) the target's row, so it never runs through the target's own bar.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from planpress.render.svg.elements import tag
from planpress.render.svg.items import ROW_H, Span
from planpress.render.svg.model import Link
from planpress.render.svg.text import num

GAP = 8.0  # horizontal run out of the source and into the target


def route(source: Span, target: Span) -> str:
    """The path data from the source's right edge to the target's left edge."""
    sx, sy, tx, ty = source.right, source.y, target.left, target.y
    if sy == ty and tx >= sx:
        return f"M{num(sx)} {num(sy)}H{num(tx)}"
    if tx - GAP >= sx + GAP:
        bend = tx - GAP
        return f"M{num(sx)} {num(sy)}H{num(bend)}V{num(ty)}H{num(tx)}"
    lane = ty - ROW_H / 2 if ty > sy else ty + ROW_H / 2
    out, into = sx + GAP, tx - GAP
    return f"M{num(sx)} {num(sy)}H{num(out)}V{num(lane)}H{num(into)}V{num(ty)}H{num(tx)}"


def arrows(
    links: Sequence[Link], spans: Mapping[str, Span], critical: frozenset[str], prefix: str
) -> list[str]:
    """One <path> per link whose two ends were drawn; links to hidden items are skipped."""
    paths = []
    seen: set[tuple[str, str]] = set()
    for link in links:
        key = (link.source, link.target)
        source, target = spans.get(link.source), spans.get(link.target)
        if source is None or target is None or key in seen or link.source == link.target:
            continue
        seen.add(key)
        hot = link.source in critical and link.target in critical
        values = {
            "class": "dep critical" if hot else "dep",
            "d": route(source, target),
            "marker-end": f"url(#{prefix}-{'arrow-crit' if hot else 'arrow'})",
        }
        paths.append(tag("path", values))
    return paths


def arrowheads(prefix: str) -> str:
    """The two arrowhead markers (ordinary and critical) for this chart's <defs>."""
    return "".join(
        tag(
            "marker",
            {
                "id": f"{prefix}-{name}",
                "viewBox": "0 0 10 10",
                "refX": "9",
                "refY": "5",
                "markerWidth": "7",
                "markerHeight": "7",
                "markerUnits": "userSpaceOnUse",
                "orient": "auto",
            },
            tag("path", {"class": cls, "d": "M0 1L10 5L0 9z"}),
        )
        for name, cls in (("arrow", "head"), ("arrow-crit", "head critical"))
    )
