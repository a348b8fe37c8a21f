"""Tests for planpress.schedule.dates: parsing and resolving front-matter date expressions."""

from __future__ import annotations

import contextlib
import itertools
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planpress.schedule.dates import (
    DateError,
    DateExpr,
    DateSpan,
    Duration,
    add_months,
    parse_date,
    parse_day,
    parse_duration,
)

MONDAY = date(2024, 7, 1)
WEDNESDAY = date(2024, 7, 3)
JAN_31 = date(2024, 1, 31)


def span(first: str, last: str | None = None) -> DateSpan:
    return DateSpan(date.fromisoformat(first), date.fromisoformat(last or first))


# --- absolute dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("2024-07-15", "day", span("2024-07-15")),
        ("2024-02-29", "day", span("2024-02-29")),
        ("2000-02-29", "day", span("2000-02-29")),
        ("2024-07", "month", span("2024-07-01", "2024-07-31")),
        ("2024-02", "month", span("2024-02-01", "2024-02-29")),
        ("2023-02", "month", span("2023-02-01", "2023-02-28")),
        ("2024-04", "month", span("2024-04-01", "2024-04-30")),
        ("2024-12", "month", span("2024-12-01", "2024-12-31")),
        ("2024-Q1", "quarter", span("2024-01-01", "2024-03-31")),
        ("2024-Q3", "quarter", span("2024-07-01", "2024-09-30")),
        ("2024 Q3", "quarter", span("2024-07-01", "2024-09-30")),
        ("Q3 2024", "quarter", span("2024-07-01", "2024-09-30")),
        ("2024Q4", "quarter", span("2024-10-01", "2024-12-31")),
        ("2024-W29", "iso-week", span("2024-07-15", "2024-07-21")),
        ("2024W29", "iso-week", span("2024-07-15", "2024-07-21")),
        ("2024 W29", "iso-week", span("2024-07-15", "2024-07-21")),
        ("2024-W05", "iso-week", span("2024-01-29", "2024-02-04")),
        ("2024-W01", "iso-week", span("2024-01-01", "2024-01-07")),
        # ISO week 1 of 2025 starts in December 2024.
        ("2025-W01", "iso-week", span("2024-12-30", "2025-01-05")),
        ("2020-W53", "iso-week", span("2020-12-28", "2021-01-03")),
        ("2026-W53", "iso-week", span("2026-12-28", "2027-01-03")),
    ],
)
def test_absolute_forms(text: str, kind: str, expected: DateSpan) -> None:
    expr = parse_date(text)
    assert expr.kind == kind
    assert expr.text == text
    assert expr.span == expected
    assert not expr.is_relative
    assert not expr.is_ongoing
    # Absolute dates ignore the start date, and do not need one.
    assert expr.resolve(None) == expected
    assert expr.resolve(MONDAY) == expected


@pytest.mark.parametrize(
    "text",
    ["2024-q3", "  2024-Q3  ", "q3 2024", "2024  q3", "Q3\t2024", "2024-w29", "2024w29"],
)
def test_absolute_forms_ignore_case_and_spacing(text: str) -> None:
    assert parse_date(text).text == text.strip()
    assert parse_date(text).span is not None


# --- relative dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit", "first", "last"),
    [
        ("week 1", "week", 1, 1),
        ("week one", "week", 1, 1),
        ("week twenty", "week", 20, 20),
        ("week twenty-one", "week", 21, 21),
        ("week forty two", "week", 42, 42),
        ("end of week 2", "week", 2, 2),
        ("by the end of week 2", "week", 2, 2),
        ("by week 3", "week", 3, 3),
        ("weeks 2-4", "week", 2, 4),
        ("weeks 2 - 4", "week", 2, 4),
        ("weeks 2 to 4", "week", 2, 4),
        ("week 2-4", "week", 2, 4),
        ("weeks 2–4", "week", 2, 4),
        ("weeks two to four", "week", 2, 4),
        ("weeks twenty-one-twenty-three", "week", 21, 23),
        ("weeks 3-3", "week", 3, 3),
        ("day 10", "day", 10, 10),
        ("days 3-5", "day", 3, 5),
        ("month 2", "month", 2, 2),
        ("months 2-3", "month", 2, 3),
        ("quarter 1", "quarter", 1, 1),
        ("quarters 1-2", "quarter", 1, 2),
    ],
)
def test_relative_forms(text: str, unit: str, first: int, last: int) -> None:
    expr = parse_date(text)
    assert (expr.kind, expr.unit, expr.first, expr.last) == ("relative", unit, first, last)
    assert expr.span is None
    assert expr.is_relative


@pytest.mark.parametrize(
    "text", ["WEEKS 2-4", "Weeks 2 To 4", "  weeks   2  -  4 ", "weeks\t2\n-\n4", "Weeks Two-Four"]
)
def test_relative_forms_ignore_case_and_spacing(text: str) -> None:
    expr = parse_date(text)
    assert (expr.unit, expr.first, expr.last) == ("week", 2, 4)
    assert expr.text == text.strip()


@pytest.mark.parametrize(
    ("text", "start", "expected"),
    [
        # From a Monday start, weeks line up with calendar weeks.
        ("week 1", MONDAY, span("2024-07-01", "2024-07-07")),
        ("week 2", MONDAY, span("2024-07-08", "2024-07-14")),
        ("weeks 2-4", MONDAY, span("2024-07-08", "2024-07-28")),
        ("day 1", MONDAY, span("2024-07-01")),
        ("day 10", MONDAY, span("2024-07-10")),
        ("days 3-5", MONDAY, span("2024-07-03", "2024-07-05")),
        ("month 1", MONDAY, span("2024-07-01", "2024-07-31")),
        ("month 2", MONDAY, span("2024-08-01", "2024-08-31")),
        ("months 2-3", MONDAY, span("2024-08-01", "2024-09-30")),
        ("quarter 1", MONDAY, span("2024-07-01", "2024-09-30")),
        ("quarter 2", MONDAY, span("2024-10-01", "2024-12-31")),
        ("quarters 1-2", MONDAY, span("2024-07-01", "2024-12-31")),
        # From a Wednesday start, weeks are counted from the start, not from Monday.
        ("week 1", WEDNESDAY, span("2024-07-03", "2024-07-09")),
        ("week 2", WEDNESDAY, span("2024-07-10", "2024-07-16")),
        ("weeks 2-4", WEDNESDAY, span("2024-07-10", "2024-07-30")),
        ("day 10", WEDNESDAY, span("2024-07-12")),
        ("month 1", WEDNESDAY, span("2024-07-03", "2024-08-02")),
        # Month-end clamping: each month is counted from the start, never chained.
        ("month 1", JAN_31, span("2024-01-31", "2024-02-28")),
        ("month 2", JAN_31, span("2024-02-29", "2024-03-30")),
        ("months 2-3", JAN_31, span("2024-02-29", "2024-04-29")),
        ("month 3", JAN_31, span("2024-03-31", "2024-04-29")),
        ("quarter 1", JAN_31, span("2024-01-31", "2024-04-29")),
        ("month 1", date(2023, 1, 31), span("2023-01-31", "2023-02-27")),
        # Weeks across a leap day and a year end.
        ("week 1", date(2024, 2, 26), span("2024-02-26", "2024-03-03")),
        ("week 2", date(2024, 12, 25), span("2025-01-01", "2025-01-07")),
    ],
)
def test_resolve_relative(text: str, start: date, expected: DateSpan) -> None:
    assert parse_date(text).resolve(start) == expected


def test_consecutive_relative_months_do_not_overlap_or_leave_gaps() -> None:
    spans = [parse_date(f"month {n}").resolve(JAN_31) for n in range(1, 25)]
    for before, after in itertools.pairwise(spans):
        assert before is not None and after is not None
        assert (after.first - before.last).days == 1


def test_relative_date_without_start_date_is_an_error() -> None:
    with pytest.raises(DateError) as info:
        parse_date("week 2").resolve(None)
    assert info.value.message == "relative date 'week 2' needs the plan's start date"
    assert "start: YYYY-MM-DD" in info.value.hint


def test_relative_date_beyond_the_calendar_is_a_date_error() -> None:
    with pytest.raises(DateError, match="beyond the calendar"):
        parse_date("week 999999").resolve(date(9999, 1, 1))


# --- ongoing --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["ongoing", "Ongoing", " ONGOING ", "continuous", "continuously"])
def test_ongoing(text: str) -> None:
    expr = parse_date(text)
    assert expr.kind == "ongoing"
    assert expr.is_ongoing
    assert expr.is_period
    assert not expr.is_relative
    assert expr.span is None
    assert expr.resolve(None) is None
    assert expr.resolve(MONDAY) is None


# --- is_period ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "is_period"),
    [
        ("2024-07-15", False),
        ("day 10", False),
        ("days 3-5", True),
        ("days 4-4", False),
        ("2024-07", True),
        ("2024-Q3", True),
        ("2024-W29", True),
        ("week 2", True),
        ("weeks 2-4", True),
        ("month 2", True),
        ("quarter 1", True),
        ("ongoing", True),
    ],
)
def test_is_period(text: str, is_period: bool) -> None:
    assert parse_date(text).is_period is is_period


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024-02-30", "2024-02-30 is not a real date: February 2024 has 29 days"),
        ("2023-02-29", "2023-02-29 is not a real date: February 2023 has 28 days"),
        ("1900-02-29", "1900-02-29 is not a real date: February 1900 has 28 days"),
        ("2024-04-31", "2024-04-31 is not a real date: April 2024 has 30 days"),
        ("2024-07-00", "2024-07-00 is not a real date: July 2024 has 31 days"),
        ("2024-13-01", "2024-13-01 is not a real date: months run from 01 to 12"),
        ("0000-01-01", "0000-01-01 is not a real date: years start at 0001"),
        ("2024-13", "2024-13 is not a real month: months run from 01 to 12"),
        ("2024-00", "2024-00 is not a real month: months run from 01 to 12"),
        ("2024-Q0", "2024-Q0 is not a real quarter: quarters run from Q1 to Q4"),
        ("2024-Q5", "2024-Q5 is not a real quarter: quarters run from Q1 to Q4"),
        ("Q5 2024", "Q5 2024 is not a real quarter: quarters run from Q1 to Q4"),
        ("2021-W53", "2021-W53 is not a real week: 2021 has 52 ISO weeks"),
        ("2024-W00", "2024-W00 is not a real week: 2024 has 52 ISO weeks"),
        ("2020-W54", "2020-W54 is not a real week: 2020 has 53 ISO weeks"),
        ("week 0", "week numbers start at 1, got 'week 0'"),
        ("week zero", "week numbers start at 1, got 'week zero'"),
        ("week -1", "week numbers start at 1, got 'week -1'"),
        ("days 0-3", "day numbers start at 1, got 'days 0-3'"),
        ("month 0", "month numbers start at 1, got 'month 0'"),
        ("weeks 4-2", "range 'weeks 4-2' ends before it starts"),
        ("quarters 3 to 1", "range 'quarters 3 to 1' ends before it starts"),
        ("week 1234567", "'week 1234567' has a number longer than 6 digits"),
        ("", "the date is empty"),
        ("   ", "the date is empty"),
        ("tomorrow", "'tomorrow' is not a date"),
        ("2024/07/15", "'2024/07/15' is not a date"),
        ("15.07.2024", "'15.07.2024' is not a date"),
        ("2024-7-15", "'2024-7-15' is not a date"),
        ("week", "'week' is not a date"),
        ("weeks 2-", "'weeks 2-' is not a date"),
        ("week 2.5", "'week 2.5' is not a date"),
    ],
)
def test_date_errors(text: str, message: str) -> None:
    with pytest.raises(DateError) as info:
        parse_date(text)
    assert info.value.message == message
    assert str(info.value) == message
    assert info.value.hint


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("weeks 4-2", "write the smaller number first: weeks 2-4"),
        ("days 9-3", "write the smaller number first: days 3-9"),
        ("2024-02-30", "the last day of that month is 2024-02-29"),
        ("2021-W53", "ISO weeks of 2021 run from 2021-W01 to 2021-W52"),
    ],
)
def test_date_error_hints(text: str, hint: str) -> None:
    with pytest.raises(DateError) as info:
        parse_date(text)
    assert info.value.hint == hint


def test_unknown_text_hint_lists_the_accepted_forms() -> None:
    with pytest.raises(DateError) as info:
        parse_date("next tuesday")
    assert info.value.hint.startswith("write a date such as 2024-07-15")
    assert "did you mean" not in info.value.hint


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("wek 3", "week 3"),
        ("mnth 2", "month 2"),
        ("Weks 2-4", "weeks 2-4"),
        ("quater 1", "quarter 1"),
        ("ongoign", "ongoing"),
        ("week thre", "week three"),
    ],
)
def test_typos_get_a_did_you_mean_hint(text: str, suggestion: str) -> None:
    with pytest.raises(DateError) as info:
        parse_date(text)
    assert info.value.message == f"'{text}' is not a date"
    assert info.value.hint.startswith(f"did you mean '{suggestion}'? write a date such as")


@pytest.mark.parametrize("value", [None, 3, 2024.5, date(2024, 7, 15), ["week 2"]])
def test_non_text_input_is_a_date_error(value: object) -> None:
    with pytest.raises(DateError, match="expected a date written as text") as info:
        parse_date(value)  # type: ignore[arg-type]
    assert type(value).__name__ in info.value.message
    assert info.value.hint


def test_date_error_is_a_value_error_with_default_hint() -> None:
    error = DateError("bad")
    assert isinstance(error, ValueError)
    assert (error.message, error.hint) == ("bad", "")


# --- parse_day ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2024-07-15", date(2024, 7, 15)), (" 2024-02-29 ", date(2024, 2, 29))],
)
def test_parse_day(text: str, expected: date) -> None:
    assert parse_day(text) == expected


@pytest.mark.parametrize("text", ["2024-07", "2024-Q3", "2024-W29", "week 2", "day 3", "ongoing"])
def test_parse_day_accepts_only_single_calendar_days(text: str) -> None:
    with pytest.raises(DateError) as info:
        parse_day(text)
    assert info.value.message == f"'{text}' is not a day"
    assert "YYYY-MM-DD" in info.value.hint


def test_parse_day_validates_the_calendar() -> None:
    with pytest.raises(DateError, match="February 2023 has 28 days"):
        parse_day("2023-02-29")


@pytest.mark.parametrize("value", [None, 20240715, date(2024, 7, 15)])
def test_parse_day_rejects_non_text(value: object) -> None:
    with pytest.raises(DateError, match="expected a day written as text"):
        parse_day(value)  # type: ignore[arg-type]


# --- durations ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3d", Duration(days=3)),
        ("1 day", Duration(days=1)),
        ("3 days", Duration(days=3)),
        ("10 d", Duration(days=10)),
        ("0d", Duration()),
        ("2w", Duration(days=14)),
        ("2 weeks", Duration(days=14)),
        ("1m", Duration(months=1)),
        ("1 month", Duration(months=1)),
        ("2 months", Duration(months=2)),
        ("1q", Duration(months=3)),
        ("1 quarter", Duration(months=3)),
        ("2 Quarters", Duration(months=6)),
        ("  2W  ", Duration(days=14)),
        ("1m 2w", Duration(days=14, months=1)),
    ],
)
def test_parse_duration(text: str, expected: Duration) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-3d", "durations cannot be negative, got '-3d'"),
        ("3", "'3' is not a duration"),
        ("d", "'d' is not a duration"),
        ("", "'' is not a duration"),
        ("three days", "'three days' is not a duration"),
        ("3 fortnights", "'3 fortnights' is not a duration"),
        ("1.5w", "'1.5w' is not a duration"),
        ("99999999d", "'99999999d' has a number longer than 6 digits"),
    ],
)
def test_duration_errors(text: str, message: str) -> None:
    with pytest.raises(DateError) as info:
        parse_duration(text)
    assert info.value.message == message
    assert info.value.hint


def test_duration_typo_gets_a_did_you_mean_hint() -> None:
    with pytest.raises(DateError) as info:
        parse_duration("3 dys")
    assert info.value.hint == "did you mean '3 days'? write a duration such as 3d, 2w or 1m"


@pytest.mark.parametrize("value", [None, 3])
def test_duration_rejects_non_text(value: object) -> None:
    with pytest.raises(DateError, match="expected a duration written as text"):
        parse_duration(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "start", "expected"),
    [
        ("2w", MONDAY, date(2024, 7, 14)),
        ("1d", MONDAY, MONDAY),
        ("0d", MONDAY, MONDAY),
        ("3d", date(2024, 2, 28), date(2024, 3, 1)),
        ("1m", MONDAY, date(2024, 7, 31)),
        ("1m", date(2024, 1, 15), date(2024, 2, 14)),
        # Clamped to Feb 29, minus one day: the same day "month 1" ends.
        ("1m", JAN_31, date(2024, 2, 28)),
        ("1m", date(2023, 1, 31), date(2023, 2, 27)),
        ("1q", MONDAY, date(2024, 9, 30)),
        ("1m 2w", MONDAY, date(2024, 8, 14)),
    ],
)
def test_duration_end_from(text: str, start: date, expected: date) -> None:
    assert parse_duration(text).end_from(start) == expected


def test_duration_matches_relative_months() -> None:
    month_1 = parse_date("month 1").resolve(JAN_31)
    assert month_1 is not None
    assert parse_duration("1m").end_from(JAN_31) == month_1.last


def test_duration_beyond_the_calendar_is_a_date_error() -> None:
    with pytest.raises(DateError, match="beyond the calendar"):
        Duration(days=10).end_from(date(9999, 12, 30))


# --- helpers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 4, 30)),
        (date(2024, 11, 15), 2, date(2025, 1, 15)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 1, 15), -1, date(2023, 12, 15)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 7, 1), 0, date(2024, 7, 1)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_span_days_counts_both_ends() -> None:
    assert span("2024-07-01").days == 1
    assert span("2024-07-01", "2024-07-07").days == 7
    assert span("2024-02-01", "2024-02-29").days == 29


def test_span_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        span("2024-07-02", "2024-07-01")


# --- properties -----------------------------------------------------------------------------


@given(st.text())
def test_parse_date_raises_only_date_errors(text: str) -> None:
    with contextlib.suppress(DateError):
        assert isinstance(parse_date(text), DateExpr)


@given(st.text())
def test_parse_duration_raises_only_date_errors(text: str) -> None:
    with contextlib.suppress(DateError):
        assert isinstance(parse_duration(text), Duration)


@given(st.dates())
def test_any_iso_day_round_trips(day: date) -> None:
    assert parse_date(day.isoformat()).span == DateSpan(day, day)
    assert parse_day(day.isoformat()) == day


relative_texts = st.builds(
    lambda unit, first, extra: f"{unit}s {first}-{first + extra}",
    st.sampled_from(["day", "week", "month", "quarter"]),
    st.integers(1, 200),
    st.integers(0, 50),
)


@given(relative_texts, st.dates())
def test_resolved_relative_spans_are_well_formed(text: str, start: date) -> None:
    expr = parse_date(text)
    try:
        resolved = expr.resolve(start)
    except DateError:
        return  # only near the ends of the calendar
    assert resolved is not None
    assert resolved.first >= start
    assert resolved.first <= resolved.last
