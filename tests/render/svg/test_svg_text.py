"""Text helpers behind the SVG charts: numbers, dates, escaping, links, truncation."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from planpress.render.svg import Bar, Group, Link, Marker, Timeline, render_timeline
from planpress.render.svg.text import ELLIPSIS, amount, day, esc, num, safe_href, truncate


def test_num_has_fixed_precision_without_trailing_zeros():
    values = (12.0, 12.25, -0.04, 3.14159, 1e6)
    assert [num(v) for v in values] == ["12", "12.2", "0", "3.1", "1000000"]
    assert num(2.5, 2) == "2.5"


def test_amount_and_day():
    assert [amount(v) for v in (126400, 2.5, 1234.567, 0)] == ["126,400", "2.5", "1,234.57", "0"]
    assert day(date(2024, 7, 7)) == "7 Jul 2024"


def test_esc_escapes_and_drops_xml_invalid_characters():
    assert esc('<a href="x">&\'\x00\x1f') == "&lt;a href=&#34;x&#34;&gt;&amp;&#39;"


def test_safe_href_drops_scripts():
    assert safe_href("plans/a.html#t1") == "plans/a.html#t1"
    assert safe_href("https://intra.example/x") == "https://intra.example/x"
    for bad in ("javascript:alert(1)", " JaVa\tScript:x", "data:text/html,x", "vbscript:x", ""):
        assert safe_href(bad) is None


def test_truncate_keeps_short_text_and_cuts_long_text():
    assert truncate("Short", 12, 200) == "Short"
    cut = truncate("A considerably longer label than fits", 12, 100)
    assert cut.endswith(ELLIPSIS) and len(cut) < 30


def test_truncate_never_splits_emoji_sequences_or_accents():
    family = "\U0001f469\u200d\U0001f4bb"  # woman technologist, a ZWJ sequence
    for width in range(10, 80, 3):
        cut = truncate("ab " + family * 6 + " e\u0301" * 10, 12, width)
        body = cut.rstrip("\u200f").removesuffix(ELLIPSIS)
        assert not body.endswith("\u200d") and not body.startswith("\u0301")


def test_truncate_right_to_left_keeps_ellipsis_at_the_reading_end():
    cut = truncate("שלום עולם " * 10, 12, 80)
    assert cut.endswith(ELLIPSIS + "\u200f")


texts = st.text(max_size=40)
days = st.integers(min_value=-400, max_value=1500).map(lambda n: date(2024, 1, 1) + timedelta(n))
states = st.sampled_from(["done", "overdue", "upcoming", "ongoing", "weird state", ""])


@st.composite
def timelines(draw) -> Timeline:
    bars = []
    for i in range(draw(st.integers(0, 8))):
        start = draw(st.none() | days)
        end = draw(st.none() | days)
        href = draw(st.none() | texts)
        bars.append(Bar(f"b{i}", draw(texts), start, end, draw(states), href, draw(st.booleans())))
    rows = st.none() | st.sampled_from([b.id for b in bars] or ["nope"])
    markers = [
        Marker(f"m{i}", draw(texts), draw(days), draw(states), row=draw(rows))
        for i in range(draw(st.integers(0, 3)))
    ]
    ids = [b.id for b in bars] + [m.id for m in markers] or ["x"]
    links = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=6))
    return Timeline(
        draw(texts),
        (Group(draw(texts), tuple(bars), tuple(markers)),),
        tuple(Link(a, b) for a, b in links),
        today=draw(st.none() | days),
        start=draw(st.none() | days),
        end=draw(st.none() | days),
    )


@settings(max_examples=80, deadline=None)
@given(timelines())
def test_any_timeline_is_well_formed_and_deterministic(t: Timeline):
    markup = render_timeline(t)
    assert markup == render_timeline(t)
    if markup:
        root = ET.fromstring(str(markup))
        assert not [el for el in root.iter() if el.tag.endswith("script")]
        ids = [el.get("id") for el in root.iter() if el.get("id")]
        assert len(ids) == len(set(ids))
