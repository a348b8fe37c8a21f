"""The Gantt chart: structure, accessibility, axis units, arrows, safety and determinism."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import jinja2
from markupsafe import Markup

from planpress.render.svg import (
    Bar,
    Group,
    Link,
    Marker,
    Timeline,
    axis_for,
    has_dates,
    render_timeline,
    sparkline,
)
from planpress.render.svg.items import PLOT_X0
from planpress.render.svg.text import text_width
from planpress.render.svg.timeline import PAD, PLOT_X1

NS = "{http://www.w3.org/2000/svg}"
D = date(2024, 7, 1)


def parse(markup: str) -> ET.Element:
    root = ET.fromstring(str(markup))
    assert root.tag == f"{NS}svg"
    return root


def classes(el: ET.Element) -> set[str]:
    return set(el.get("class", "").split())


def with_class(root: ET.Element, cls: str) -> list[ET.Element]:
    return [el for el in root.iter() if cls in classes(el)]


def own_title(el: ET.Element) -> str:
    first = el[0]
    assert first.tag == f"{NS}title"
    return first.text or ""


def bar_rect(item: ET.Element) -> ET.Element | None:
    return next((el for el in with_class(item, "bar") if el.tag == f"{NS}rect"), None)


def height(root: ET.Element) -> float:
    return float(root.get("viewBox", "").split()[3])


def axis_labels(root: ET.Element) -> list[str]:
    axis = with_class(root, "axis")[0]
    return [t.text or "" for t in axis.iter(f"{NS}text") if t.get("class") != "range"]


def bar(id_: str, start: int | None, days: int | None = 6, state: str = "upcoming", **kw) -> Bar:
    first = D + timedelta(days=start) if start is not None else None
    last = first + timedelta(days=days) if first is not None and days is not None else None
    return Bar(id_, kw.pop("label", f"Task {id_}"), first, last, state, **kw)


def plan_timeline(**kw) -> Timeline:
    g1 = Group(
        "Objective 1",
        (
            Bar(
                "audit",
                "Conduct a website audit",
                date(2024, 7, 1),
                date(2024, 7, 7),
                "done",
                href="plan.html#audit",
                critical=True,
                detail="Responsible: Marketing Team",
            ),
            bar("ux", 8, 20, "overdue", critical=True),
            bar("seo", 14, 40, "due-soon"),
        ),
        (Marker("launch", "Site live", date(2024, 9, 2), "upcoming"),),
    )
    g2 = Group(
        "Objective 2",
        (bar("news", 0, None, "ongoing", ongoing=True), bar("tbd", None, None, "undated")),
    )
    links = (Link("audit", "ux"), Link("ux", "launch"), Link("seo", "tbd"), Link("x", "ux"))
    values = {"title": "Timeline of Increase online sales", "groups": (g1, g2), "links": links}
    values.update(kw)
    return Timeline(**values)


def test_well_formed_with_accessible_name_first():
    root = parse(render_timeline(plan_timeline()))
    assert root.get("role") == "group"
    assert root.get("width") == "100%"
    first = root[0]
    assert first.tag == f"{NS}title"
    assert first.text == "Timeline of Increase online sales"
    assert root.get("aria-labelledby") == first.get("id")
    desc = root.find(f"{NS}desc")
    assert desc is not None and root.get("aria-describedby") == desc.get("id")
    assert root.find(f"{NS}style") is not None
    assert "prefers-color-scheme:dark" in (root.find(f"{NS}style").text or "")


def test_one_item_per_bar_with_tooltip():
    root = parse(render_timeline(plan_timeline()))
    items = with_class(root, "item-bar")
    assert len(items) == 5
    assert own_title(items[0]) == (
        "Conduct a website audit: 1 Jul 2024 – 7 Jul 2024, done, critical. "
        "Responsible: Marketing Team"
    )
    assert own_title(items[3]).startswith("Task news: from 1 Jul 2024, ongoing.")
    assert own_title(items[4]) == "Task tbd: no date."


def test_state_classes_and_critical_marks():
    root = parse(render_timeline(plan_timeline()))
    items = with_class(root, "item-bar")
    states = [next(c for c in classes(i) if c.startswith("state-")) for i in items]
    expected = ["done", "overdue", "due-soon", "ongoing", "undated"]
    assert states == [f"state-{state}" for state in expected]
    assert [("critical" in classes(i)) for i in items] == [True, True, False, False, False]
    assert with_class(items[1], "flag"), "overdue items carry a '!' badge"
    assert with_class(items[0], "check"), "done items carry a check mark"


def test_whole_row_takes_the_pointer():
    root = parse(render_timeline(plan_timeline()))
    for item in with_class(root, "item-bar"):
        hit = with_class(item, "hit")[0]
        assert hit.get("width") == "1000" and hit.get("fill-opacity") == "0"


def test_links_become_svg_anchors_and_unsafe_links_are_dropped():
    bars = (bar("a", 0, href="x.html#a"), bar("b", 3, href="javascript:x"))
    t = Timeline("T", (Group("G", bars),))
    root = parse(render_timeline(t))
    anchors = list(root.iter(f"{NS}a"))
    assert [a.get("href") for a in anchors] == ["x.html#a"]
    assert own_title(anchors[0]).startswith("Task a:")
    assert len(with_class(root, "item-bar")) == 2


def test_dependency_arrows_only_between_drawn_items():
    root = parse(render_timeline(plan_timeline()))
    deps = with_class(root, "dep")
    # audit->ux and ux->launch; seo->tbd has an undated end, x->ux an unknown source
    assert len(deps) == 2
    assert "critical" in classes(deps[0]) and "critical" not in classes(deps[1])
    marker_ids = {m.get("id") for m in root.iter(f"{NS}marker")}
    assert all(d.get("marker-end")[5:-1] in marker_ids for d in deps)


def test_arrow_runs_from_source_end_to_target_start():
    t = Timeline("T", (Group("G", (bar("a", 0, 3), bar("b", 20, 3))),), (Link("a", "b"),))
    root = parse(render_timeline(t))
    rects = {i.get("id").rsplit("-", 1)[1]: bar_rect(i) for i in with_class(root, "item")}
    d = with_class(root, "dep")[0].get("d")
    a, b = rects["a"], rects["b"]
    start = float(a.get("x")) + float(a.get("width"))
    assert d.startswith(f"M{start:g} ")
    assert d.endswith(f"H{float(b.get('x')):g}")


def test_today_line_iff_today_in_range():
    inside = parse(render_timeline(plan_timeline(today=date(2024, 7, 20))))
    assert with_class(inside, "today") and with_class(inside, "today-text")[0].text == "Today"
    outside = parse(render_timeline(plan_timeline(today=date(2030, 1, 1))))
    assert not with_class(outside, "today")
    assert not with_class(parse(render_timeline(plan_timeline())), "today")


def span_chart(days: int) -> ET.Element:
    t = Timeline("Span", (Group("G", (bar("a", 0, days - 1),)),))
    return parse(render_timeline(t))


def test_axis_in_days_for_ten_days():
    labels = axis_labels(span_chart(10))
    assert "1 Jul" in labels and "2" in labels and "10" in labels


def test_axis_in_weeks_for_sixty_days():
    labels = axis_labels(span_chart(60))
    assert labels[0] == "1 Jul" and "8 Jul" in labels and "26 Aug" in labels
    assert not any(label in ("Jul", "Aug") for label in labels)


def test_axis_in_months_for_four_hundred_days():
    labels = axis_labels(span_chart(400))
    assert labels[0] == "Jul 2024" and "Jan 2025" in labels and "Mar" in labels
    assert not any(label.startswith("Q") for label in labels)


def test_axis_in_quarters_for_twelve_hundred_days():
    labels = axis_labels(span_chart(1200))
    assert "Q3 2024" in labels and "Q1 2025" in labels
    assert all(label.startswith("Q") for label in labels)


def test_three_hundred_rows_grow_the_chart_quickly():
    bars = tuple(bar(f"t{i}", i % 90, 5) for i in range(300))
    small = Timeline("S", (Group("G", bars[:10]),))
    big = Timeline("B", (Group("G", bars),), tuple(Link(f"t{i}", f"t{i + 1}") for i in range(299)))
    started = time.perf_counter()
    root = parse(render_timeline(big))
    assert time.perf_counter() - started < 1.0
    assert len(with_class(root, "item-bar")) == 300
    assert height(root) - height(parse(render_timeline(small))) >= 290 * 22
    assert len(axis_labels(root)) > 0 and len(with_class(root, "axis")) == 2  # repeated below


def test_ongoing_bar_runs_to_the_chart_end_and_fades():
    root = parse(render_timeline(plan_timeline()))
    news = with_class(root, "state-ongoing")[0]
    rect = bar_rect(news)
    assert float(rect.get("x")) + float(rect.get("width")) == PLOT_X1 - PAD
    assert rect.get("mask", "").startswith("url(#")
    assert [t.text for t in news.iter(f"{NS}text")][-1] == "ongoing"


HOSTILE = ("<script>alert(1)</script>", '" onload="x', "{{ 7*7 }}", "a & b 'q' 🎉 שלום")


def test_hostile_text_is_escaped():
    bars = tuple(
        Bar(f"h{i}", text, D, D + timedelta(days=3), "upcoming", href=text, detail=text)
        for i, text in enumerate(HOSTILE)
    )
    marker = Marker('"><script>', HOSTILE[0], D, '" onload="x')
    t = Timeline(HOSTILE[0], (Group(HOSTILE[1], bars, (marker,)),), (Link(HOSTILE[0], "h1"),))
    markup = render_timeline(t)
    root = parse(markup)
    assert not [el for el in root.iter() if el.tag.endswith("script")]
    assert not [el for el in root.iter() if any(a.lower().startswith("on") for a in el.attrib)]
    assert "<script" not in markup
    titles = [t.text for t in root.iter(f"{NS}title")]
    assert titles[0] == HOSTILE[0]
    assert any(text.startswith("{{ 7*7 }}: ") for text in titles)
    page = jinja2.Environment(autoescape=True).from_string("<div>{{ chart }}</div>")
    assert page.render(chart=markup) == f"<div>{markup}</div>"


def test_hostile_milestone_names_on_a_lane_are_escaped():
    lanes = tuple(bar(f"lane{i}", 0, 300) for i in range(len(HOSTILE)))
    riders = tuple(
        Marker(f"r{i}", f" {text}\x07 ", D, "upcoming", row=f"lane{i}")
        for i, text in enumerate(HOSTILE)
    )
    markup = render_timeline(Timeline("T", (Group("G", lanes, riders),)))
    root = parse(markup)
    assert "<script" not in markup
    assert not [el for el in root.iter() if any(a.lower().startswith("on") for a in el.attrib)]
    names = [el.text for el in with_class(root, "pill-text")]
    assert names == list(HOSTILE)


def test_control_characters_do_not_break_the_xml():
    t = Timeline("a\x00b\x1bc", (Group("g\x0c", (bar("a\x01", 0, label="x\x07y\ud800"),)),))
    root = parse(render_timeline(t))
    assert root[0].text == "abc"


def test_long_labels_are_cut_with_full_text_in_title():
    label = "Redesign the checkout flow and every product page for small mobile screens"
    root = parse(render_timeline(Timeline("T", (Group("G", (bar("a", 0, label=label),)),))))
    item = with_class(root, "item-bar")[0]
    shown = with_class(item, "lbl")[0].text or ""
    assert shown.endswith("…") and label.startswith(shown[:-1])
    assert own_title(item).startswith(label + ":")


def test_same_input_same_bytes_even_across_processes():
    assert render_timeline(plan_timeline()) == render_timeline(plan_timeline())
    code = (
        "from test_svg_timeline import plan_timeline;"
        "from planpress.render.svg import render_timeline;"
        "import sys; sys.stdout.write(render_timeline(plan_timeline()))"
    )
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": os.pathsep.join(sys.path)}
        cwd = Path(__file__).parent
        run = subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True)
        assert run.returncode == 0, run.stderr
        outputs.add(run.stdout)
    assert outputs == {str(render_timeline(plan_timeline())).encode()}


def test_two_timelines_on_a_page_do_not_share_ids():
    first = parse(render_timeline(plan_timeline()))
    second = parse(render_timeline(plan_timeline(title="Timeline of Another plan")))
    markers = [{m.get("id") for m in r.iter(f"{NS}marker")} for r in (first, second)]
    assert len(markers[0]) == 2 and not markers[0] & markers[1]
    ids = [{el.get("id") for el in r.iter() if el.get("id")} for r in (first, second)]
    assert not ids[0] & ids[1]


def test_element_ids_are_unique_and_valid():
    t = Timeline("T", (Group("G", (bar("a b", 0), bar("a-b", 2), bar("<>", 4))),))
    ids = [el.get("id") for el in parse(render_timeline(t)).iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    assert all(i.replace("-", "").replace("_", "").isalnum() for i in ids)


def test_markers_sit_on_their_row_or_get_their_own():
    lane = bar("plan", 0, 60)
    on_lane = Marker("m1", "Launch", D + timedelta(days=30), "upcoming", row="plan")
    own = Marker("m2", "Review", D + timedelta(days=40), "done")
    with_rider = parse(render_timeline(Timeline("T", (Group("G", (lane,), (on_lane,)),))))
    alone = parse(render_timeline(Timeline("T", (Group("G", (lane,)),))))
    own_row = parse(render_timeline(Timeline("T", (Group("G", (lane,), (own,)),))))
    assert height(with_rider) == height(alone)
    assert height(own_row) == height(alone) + 22
    rect = bar_rect(with_class(with_rider, "item-bar")[0])
    diamond = with_class(with_rider, "item-marker")[0]
    assert own_title(diamond) == "Launch: milestone, 31 Jul 2024, upcoming."
    top = float(with_class(diamond, "diamond")[0].get("d").split()[1].split("l")[0])
    assert top + 7 == float(rect.get("y")) + 7  # diamond centred on the bar's row


def test_no_dated_items_gives_empty_markup():
    empty = Timeline("Empty", ())
    undated = Timeline("Undated", (Group("G", (bar("a", None, None, "undated"),)),))
    for t in (empty, undated):
        assert not has_dates(t)
        assert render_timeline(t) == Markup("")
    assert has_dates(Timeline("M", (Group("G", (), (Marker("m", "M", D, "upcoming"),)),)))


def test_a_given_axis_is_drawn_as_given_even_without_dates():
    # 120 days: weeks; snapped to whole weeks, 126 days, a span that alone would get months
    axis = axis_for([D, D + timedelta(days=119)])
    assert axis is not None and axis[2] == "week" and (axis[1] - axis[0]).days + 1 == 126
    start, end, unit = axis
    lane = Group("G", (bar("a", 40, 6),))
    shared = parse(render_timeline(Timeline("T", (lane,), start=start, end=end, unit=unit)))
    alone = parse(render_timeline(Timeline("T", (Group("G", (bar("a", 0, 119),)),))))
    assert axis_labels(shared) == axis_labels(alone)
    assert with_class(shared, "range")[0].text == with_class(alone, "range")[0].text
    undated = Group("G", (bar("u", None, None, "undated"),))
    drawn = parse(render_timeline(Timeline("T", (undated,), start=start, end=end, unit=unit)))
    assert axis_labels(drawn) == axis_labels(alone)
    assert [t.text for t in with_class(drawn, "note")] == ["no date"]
    assert axis_for([]) is None
    assert render_timeline(Timeline("T", (), start=start, end=end, unit=unit)) == Markup("")


def test_explicit_range_clips_and_points_outside():
    t = Timeline(
        "T",
        (Group("G", (bar("in", 5, 10), bar("before", -90, 5), bar("across", 25, 30))),),
        today=D + timedelta(days=60),
        start=D,
        end=D + timedelta(days=30),
    )
    root = parse(render_timeline(t))
    assert axis_labels(root)[0] == "1 Jul"
    assert with_class(root, "range")[0].text == "1 Jul 2024 – 31 Jul 2024"
    items = with_class(root, "item-bar")
    assert bar_rect(items[1]) is None and with_class(items[1], "bar")[0].tag == f"{NS}path"
    rect = bar_rect(items[2])
    assert float(rect.get("x")) + float(rect.get("width")) == PLOT_X1 - PAD
    assert not with_class(root, "today")


def test_legend_lists_what_is_shown():
    root = parse(render_timeline(plan_timeline(today=date(2024, 7, 20))))
    legend = [t.text for t in with_class(root, "legend")[0].iter(f"{NS}text")]
    assert legend == [
        "Overdue",
        "Due soon",
        "Upcoming",
        "Ongoing",
        "Done",
        "Critical path",
        "Milestone",
        "Depends on",
        "Today",
    ]


def legend_texts(t: Timeline) -> list[str]:
    return [
        e.text or "" for e in with_class(parse(render_timeline(t)), "legend")[0].iter(f"{NS}text")
    ]


HEALTH = (
    ("overdue", "Off track"),
    ("due-soon", "At risk"),
    ("upcoming", "On track"),
    ("undated", "Not started"),
    ("done", "Closed"),
)


def test_legend_names_can_be_overridden():
    lanes = (
        bar("a", 0, 30, "overdue"),
        bar("b", 10, 30, "upcoming"),
        bar("c", 20, 30, "undated"),  # dated but not started: drawn, so listed
        bar("d", None, None, "due-soon"),  # no date: no bar, so not listed
    )
    on_lane = tuple(
        Marker(f"m{i}", "Launch", D + timedelta(days=5 + i), state, row="a")
        for i, state in enumerate(("done-late", "done", "upcoming"))
    )
    groups = (Group("G", lanes, on_lane),)
    # only states the chart shows; "done" is "Closed" for lanes, but here only milestones
    # are done, so that colour keeps its own name
    expected = ["Off track", "On track", "Not started", "Done late", "Done", "Milestone"]
    assert legend_texts(Timeline("Roadmap", groups, legend=HEALTH)) == expected
    closed = (Group("H", (bar("e", 0, 30, "done"),)),)
    assert "Closed" in legend_texts(Timeline("Roadmap", groups + closed, legend=HEALTH))
    expected = ["Overdue", "Upcoming", "No date", "Done late", "Done", "Milestone"]
    assert legend_texts(Timeline("Roadmap", groups)) == expected


Box = tuple[float, float, float]  # row centre, left, right


def rider_boxes(root: ET.Element) -> tuple[list[Box], list[Box]]:
    """(diamonds, label pills) of the milestones drawn on bars' rows, as emitted."""
    diamonds, pills = [], []
    for item in with_class(root, "item-marker"):
        d = with_class(item, "diamond")[0].get("d")
        cx, top = (float(v) for v in d[1:].split("l")[0].split())
        diamonds.append((top + 7, cx - 7, cx + 7))
        for pill in with_class(item, "pill"):
            left, width = float(pill.get("x")), float(pill.get("width"))
            label = with_class(item, "pill-text")[0]
            middle, shown = float(label.get("x")), label.text or ""
            assert label.get("text-anchor") == "middle"
            assert text_width(shown, 11) <= width and abs(middle - (left + width / 2)) < 0.2
            assert not shown.endswith("…"), "a name is drawn whole or not at all"
            pills.append((float(pill.get("y")) + 7.5, left, left + width))
    return diamonds, pills


def test_milestone_names_on_a_lane_never_collide_or_leave_the_chart():
    names = ["Spring catalogue", "Trail shoes", "Portland store open", "Corporate sales kick-off"]
    names += ["Fit session completed at Acme", "Pilot order", "3,000 product reviews collected"]
    days = [40, 55, 62, 77, 91, 98, 120, 200, 300, 340, 350, 358]
    lanes = (bar("plan", 0, 364, "overdue"), bar("other", 150, None, "ongoing", ongoing=True))
    markers = tuple(
        Marker(f"m{i}", names[i % len(names)], D + timedelta(days=n), "done", row="plan")
        for i, n in enumerate(days)
    )
    markers += tuple(
        Marker(f"o{i}", names[i], D + timedelta(days=n), "upcoming", row="other")
        for i, n in enumerate((160, 330, 362))
    )
    root = parse(render_timeline(Timeline("Roadmap", (Group("G", lanes, markers),))))
    diamonds, pills = rider_boxes(root)
    assert len(diamonds) == len(markers) and len(pills) >= 3
    assert len({y for y, _, _ in pills}) == 2, "both lanes carry names"
    for i, (y, left, right) in enumerate(pills):
        assert left >= PLOT_X0 and right <= PLOT_X1 <= 1000
        others = [box for box in diamonds + pills[:i] + pills[i + 1 :] if box[0] == y]
        assert not any(left < b and a < right for _, a, b in others)
    ongoing = next(t for t in root.iter(f"{NS}text") if t.text == "ongoing")
    word = (float(ongoing.get("x")) - text_width("ongoing", 11), float(ongoing.get("x")))
    other_lane = max(y for y, _, _ in pills)
    assert all(r <= word[0] or a >= word[1] for y, a, r in pills if y == other_lane)


def test_a_name_goes_left_of_its_diamond_near_the_chart_end():
    lane = bar("plan", 0, 90)
    late = Marker(
        "m", "Final review with the board", D + timedelta(days=88), "upcoming", row="plan"
    )
    root = parse(render_timeline(Timeline("T", (Group("G", (lane,), (late,)),))))
    (diamond,), (pill,) = rider_boxes(root)
    assert pill[2] <= diamond[1] and pill[1] >= PLOT_X0


def test_a_name_with_no_room_is_left_out_but_kept_in_the_title():
    lane = bar("plan", 0, 20)
    crowd = tuple(
        Marker(f"m{i}", f"Milestone number {i}", D + timedelta(days=i), "upcoming", row="plan")
        for i in range(0, 21, 1)
    )
    root = parse(render_timeline(Timeline("T", (Group("G", (lane,), crowd),))))
    _, pills = rider_boxes(root)
    assert len(pills) < len(crowd)
    items = with_class(root, "item-marker")
    assert [own_title(i).split(":")[0] for i in items] == [m.label for m in crowd]


def test_no_italic_text_and_on_lane_names_sit_on_a_solid_pill():
    lane = bar("plan", 0, 60, "overdue", ongoing=True)
    on_lane = Marker("m", "Launch", D + timedelta(days=10), "overdue", row="plan")
    markup = str(render_timeline(Timeline("T", (Group("G", (lane,), (on_lane,)),))))
    assert "italic" not in markup
    style = parse(markup).find(f"{NS}style").text or ""
    assert ".pp-svg .pill{fill:var(--pp-bg)" in style
    item = with_class(parse(markup), "item-marker")[0]
    assert with_class(item, "diamond-halo"), "a diamond on a bar of its colour gets a ring"


def test_timelines_keep_a_minimum_width_small_charts_a_fixed_size():
    root = parse(render_timeline(plan_timeline()))
    assert root.get("style", "").startswith("min-width:720px;")
    spark = parse(sparkline([("Jan", 1.0), ("Feb", 2.0)], None, None, "KPI"))
    assert "min-width" not in spark.get("style", "") and spark.get("width") == "120"


def test_an_explicit_end_before_the_start_draws_one_day():
    t = Timeline("T", (Group("G", (bar("a", 0, 3),)),), start=D, end=D - timedelta(days=1))
    assert with_class(parse(render_timeline(t)), "range")[0].text == "1 Jul 2024 – 1 Jul 2024"
