"""The iCalendar writer on its own: escaping and folding, for any text."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from planpress.render.outputs.ical import Event, calendar, escape_text, fold


def unfold(text: str) -> str:
    return text.replace("\r\n ", "").removesuffix("\r\n")


@given(st.text(min_size=0, max_size=400))
def test_folding_keeps_every_line_within_75_octets_and_unfolds_to_the_original(line):
    line = line.replace("\r", "").replace("\n", "")
    folded = fold(line)
    assert folded.endswith("\r\n")
    physical = folded.encode("utf-8").split(b"\r\n")[:-1]
    assert all(len(part) <= 75 for part in physical)
    for part in physical:
        part.decode("utf-8")  # no line ends inside a multi-byte character
    assert all(part.startswith(b" ") for part in physical[1:])
    assert unfold(folded) == line


def test_a_line_of_exactly_75_octets_is_not_folded():
    assert fold("X" * 75) == "X" * 75 + "\r\n"
    assert fold("X" * 76) == "X" * 75 + "\r\n X\r\n"


def test_multibyte_characters_move_whole_to_the_next_line():
    folded = fold("A" * 73 + "€€")  # € is 3 octets: 73 + 3 > 75
    assert folded == "A" * 73 + "\r\n €€\r\n"


def test_text_escaping():
    assert escape_text("a\\b;c,d\ne\r\nf\rg") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"
    assert escape_text("bell\x07 and tab\t") == "bell and tab\t"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=200))
def test_any_summary_survives_a_round_trip_through_icalendar(summary):
    event = Event("x.y.task@planpress", date(2024, 7, 1), summary, "line one\nline two")
    data = calendar("Test", [event], date(2024, 8, 20))
    [parsed] = Calendar.from_ical(data).walk("VEVENT")
    assert str(parsed["SUMMARY"]) == summary
    assert str(parsed["DESCRIPTION"]) == "line one\nline two"
