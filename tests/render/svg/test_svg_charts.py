"""Sparkline, budget bars, risk heat map and progress bar."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

from markupsafe import Markup

from planpress.render.svg import budget_bars, progress_bar, risk_heatmap, sparkline

NS = "{http://www.w3.org/2000/svg}"


def parse(markup: Markup) -> ET.Element:
    assert isinstance(markup, Markup)
    root = ET.fromstring(str(markup))
    assert root.tag == f"{NS}svg" and root[0].tag == f"{NS}title"
    assert root.get("aria-labelledby") == root[0].get("id")
    return root


def with_class(root: ET.Element, cls: str) -> list[ET.Element]:
    return [el for el in root.iter() if cls in el.get("class", "").split()]


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{NS}text")]


SALES = [("2024-07", 126400.0), ("2024-08", 134900.0)]


def test_sparkline_title_lists_values_and_target():
    root = parse(sparkline(SALES, None, 150000, "Monthly online sales"))
    assert root[0].text == "Monthly online sales: 2024-07 126,400; 2024-08 134,900; target 150,000"
    assert root.get("role") == "img" and root.get("width") == "120" and root.get("height") == "32"
    assert len(with_class(root, "spark-line")) == 1
    assert len(with_class(root, "spark-target")) == 1
    last = with_class(root, "spark-last")[0]
    assert float(last.get("cx")) > 110  # the latest value is the emphasised one


def test_sparkline_baseline_and_degenerate_series():
    with_base = parse(sparkline(SALES, 100000, None, "Sales"))
    assert with_base[0].text == "Sales: baseline 100,000; 2024-07 126,400; 2024-08 134,900"
    one = parse(sparkline([("2024-07", 5.5)], None, None, "One"))
    assert len(with_class(one, "spark-last")) == 1 and not with_class(one, "spark-line")
    none = parse(sparkline([], None, 10, "None yet"))
    assert none[0].text == "None yet: no values yet; target 10"
    assert not with_class(none, "spark-last")
    flat = parse(sparkline([("a", 3), ("b", 3)], None, None, "Flat"))
    assert "nan" not in ET.tostring(flat, encoding="unicode").lower()
    odd = parse(sparkline([("a", math.nan), ("b", math.inf), ("c", 1)], None, None, "Odd"))
    assert odd[0].text == "Odd: c 1"


def test_budget_bars_mark_over_budget_rows():
    rows = [("Website", 12000, 13200), ("Email", 3000, 3000), ("Events", 8000, None)]
    root = parse(budget_bars(rows, "Budget by objective", "USD"))
    assert root.get("role") == "group"
    groups = with_class(root, "row")
    assert [("over" in g.get("class", "")) for g in groups] == [True, False, False]
    assert len(with_class(root, "actual")) == 2 and len(with_class(root, "planned")) == 3
    over = [el for el in with_class(root, "over") if el.tag == f"{NS}rect"]
    assert len(over) == 1 and "actual" in over[0].get("class")
    assert groups[0][0].text == (
        "Website: planned 12,000 USD, actual 13,200 USD, over budget by 1,200 USD."
    )
    assert "13,200 USD, 1,200 USD over" in texts(root)
    assert "not set" in texts(root)
    assert texts(with_class(root, "legend")[0]) == ["Planned", "Actual", "Over budget"]


def test_budget_bars_all_zero_and_missing():
    root = parse(budget_bars([("A", 0, 0), ("B", None, None)], "Empty"))
    widths = [float(r.get("width")) for r in root.iter(f"{NS}rect") if r.get("y") != "8"]
    assert widths == [0, 0]
    assert texts(root).count("not set") == 2
    assert "Over budget" not in texts(root)
    assert parse(budget_bars([], "Nothing")) is not None


def test_budget_bars_scale_to_the_largest_value():
    root = parse(budget_bars([("A", 100, 50), ("B", 200, 400)], "Scale"))
    bars = [r for r in root.iter(f"{NS}rect") if r.get("y") != "8"]
    widths = [float(r.get("width")) for r in bars]
    assert widths[3] == max(widths) and widths[0] * 4 == widths[3]


CELLS = {
    ("high", "high"): ["Key developer leaves"],
    ("medium", "high"): ["Supplier delay", "Payment outage"],
    ("High", "Low "): ["Scope creep"],
    ("extreme", "low"): ["ignored"],
}


def test_heatmap_counts_and_severity_classes():
    root = parse(risk_heatmap(CELLS, "Risks"))
    cells = with_class(root, "cell")
    assert len(cells) == 9
    by_title = {c[0].text.split(" (")[0]: c for c in cells}
    top_right = by_title["Likelihood high, impact high"]
    assert "sev-5" in top_right.get("class") and texts(top_right) == ["1"]
    mid = by_title["Likelihood medium, impact high"]
    assert "sev-4" in mid.get("class") and texts(mid) == ["2"]
    assert mid[0].text.endswith("2 risks: Supplier delay; Payment outage.")
    assert texts(by_title["Likelihood high, impact low"]) == ["1"]
    empty = by_title["Likelihood low, impact low"]
    assert empty.get("class") == "cell sev-1 empty" and texts(empty) == ["0"]
    assert sum(int(texts(c)[0]) for c in cells) == 4
    assert "Likelihood" in texts(root) and "Impact" in texts(root)


def test_heatmap_layout_high_likelihood_on_top_low_impact_left():
    root = parse(risk_heatmap(CELLS, "Risks"))
    rects = {c[0].text.split(" (")[0]: c.find(f"{NS}rect") for c in with_class(root, "cell")}
    top_left = rects["Likelihood high, impact low"]
    bottom_right = rects["Likelihood low, impact high"]
    assert float(top_left.get("y")) < float(bottom_right.get("y"))
    assert float(top_left.get("x")) < float(bottom_right.get("x"))


def test_heatmap_escapes_risk_names():
    markup = risk_heatmap({("low", "low"): ['<script>x</script>" onclick="y']}, "<b>R</b>")
    root = parse(markup)
    assert "<script" not in markup and "<b>" not in markup
    assert not [el for el in root.iter() if "onclick" in el.attrib]
    assert root[0].text == "<b>R</b>"


def test_progress_bar_clamps_the_drawing_not_the_text():
    over = parse(progress_bar(1.2, "Signups"))
    assert over[0].text == "Signups: 120%" and texts(over) == ["120%"]
    track, fill = with_class(over, "track")[0], with_class(over, "fill")[0]
    assert fill.get("width") == track.get("width")
    assert with_class(over, "complete")
    part = parse(progress_bar(0.4, "Sales"))
    assert float(with_class(part, "fill")[0].get("width")) == 40
    assert not with_class(part, "complete")
    below = parse(progress_bar(-0.5, "Down"))
    assert texts(below) == ["-50%"] and not with_class(below, "fill")
    missing = parse(progress_bar(None, "NPS"))
    assert missing[0].text == "NPS: no data" and not with_class(missing, "fill")
    assert parse(progress_bar(math.nan, "NaN"))[0].text == "NaN: no data"


def test_charts_are_deterministic_and_self_contained():
    calls = [
        lambda: sparkline(SALES, 1, 2, "S"),
        lambda: budget_bars([("A", 1, 2)], "B", "EUR"),
        lambda: risk_heatmap(CELLS, "R"),
        lambda: progress_bar(0.5, "P"),
    ]
    for call in calls:
        first = call()
        assert first == call()
        assert "<script" not in first and "http://www.w3.org/2000/svg" in first
        assert "href=" not in first and "@import" not in first and "url(http" not in first
