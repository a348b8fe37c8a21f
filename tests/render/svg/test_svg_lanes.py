"""render_timeline's `keep`: groups drawn as lanes at y=0, moved into place, kept by caller."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from datetime import date

from test_svg_timeline import NS, bar, parse, plan_timeline

from planpress.render.svg import Group, Marker, Timeline, render_timeline
from planpress.render.svg.drawing import Lane


def keep_nothing(index: int, key: str, make) -> Lane:
    return make()


def placed(root: ET.Element) -> list[tuple[str, float]]:
    """(element id, y of its row on the chart) of every item, lanes' translates applied."""
    found = []
    for group in root.iter(f"{NS}g"):
        if group.get("class") != "group":
            continue
        moved = re.fullmatch(r"translate\(0 ([\d.]+)\)", group.get("transform", "translate(0 0)"))
        assert moved, group.get("transform")
        for item in group:
            if "item" in item.get("class", "").split():
                hit = next(el for el in item if el.get("class") == "hit")
                found.append((item.get("id"), float(moved.group(1)) + float(hit.get("y"))))
    return found


def test_lanes_put_every_item_where_the_chart_drawn_in_place_has_it():
    chart = plan_timeline(today=date(2024, 7, 20))
    in_place, as_lanes = render_timeline(chart), render_timeline(chart, keep=keep_nothing)
    assert in_place != as_lanes
    assert as_lanes.count('<g class="group" transform="translate(0 ') == 2
    assert placed(parse(in_place)) == placed(parse(as_lanes))
    # what lies outside the groups (size, arrows between items, legend) is the same
    assert parse(in_place).get("viewBox") == parse(as_lanes).get("viewBox")
    assert in_place[in_place.rindex("</g>") :] == as_lanes[as_lanes.rindex("</g>") :]
    assert re.findall(r'<path class="dep[^>]*>', in_place) == re.findall(
        r'<path class="dep[^>]*>', as_lanes
    )


def test_a_kept_lane_is_taken_as_it_was_and_keyed_by_scale_and_prefix():
    kept: dict[int, tuple[str, Lane]] = {}

    def keep(index, key, make):
        if index not in kept or kept[index][0] != key:
            kept[index] = (key, make())
        return kept[index][1]

    chart = plan_timeline()
    first = render_timeline(chart, id_prefix="c", keep=keep)
    made = {index: lane for index, (_, lane) in kept.items()}
    assert render_timeline(chart, id_prefix="c", keep=keep) == first
    assert all(kept[index][1] is lane for index, lane in made.items())
    keys = {key for key, _ in kept.values()}
    assert keys == {"2024-07-01 2024-09-08 week 308 982 c arrows"}  # the scale, ids, arrows
    render_timeline(dataclasses.replace(chart, links=()), id_prefix="c", keep=keep)
    assert {key for key, _ in kept.values()} == {"2024-07-01 2024-09-08 week 308 982 c"}


def test_lanes_whose_ids_collide_are_drawn_in_place_with_unique_ids():
    # "a-b" in one group and "a#b" in the other both become the element id "x-a-b"
    chart = Timeline("Two", (Group("One", (bar("a-b", 0),)), Group("Two", (bar("a#b", 2),))))
    drawn = render_timeline(chart, id_prefix="x", keep=keep_nothing)
    assert drawn == render_timeline(chart, id_prefix="x")
    assert 'id="x-a-b"' in drawn and 'id="x-a-b-2"' in drawn


def test_groups_sharing_rows_are_not_kept():
    """A milestone on another group's bar: that group's drawing shows the other's too."""
    on_bar = Marker("m", "Due", date(2024, 7, 9), "upcoming", row="t2")
    chart = Timeline(
        "Shared",
        (
            Group("One", (bar("t1", 0),), (on_bar,)),
            Group("Two", (bar("t2", 4),)),
            Group("Three", (bar("t3", 8),)),
        ),
    )
    asked: list[int] = []

    def keep(index, key, make):
        asked.append(index)
        return make()

    drawn = render_timeline(chart, keep=keep)
    assert asked == [2]
    assert placed(parse(drawn)) == placed(parse(render_timeline(chart)))
