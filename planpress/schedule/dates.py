"""Date expressions from plan front matter, resolved against a plan's start date.

Authors write dates as text: absolute days, months, quarters and ISO weeks, or days, weeks,
months and quarters counted from the plan's start ("week 3", "weeks 2-4"). Everything here is
pure (no clock, locale or timezone) so a build gives the same answer anywhere, any day.
"""

from __future__ import annotations

import difflib
import re
import reprlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

DATE_HINT = (
    "write a date such as 2024-07-15, 2024-07, 2024-Q3, 2024-W29, week 3, weeks 2-4, "
    "day 10, month 2 or ongoing"
)
DAY_HINT = "write a day as YYYY-MM-DD, such as 2024-07-15"
DURATION_HINT = "write a duration such as 3d, 2w or 1m"
START_HINT = "add 'start: YYYY-MM-DD' to the plan's front matter or write an absolute date"

# English names rather than calendar.month_name, which follows the process locale.
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August")
_MONTHS += ("September", "October", "November", "December")
_ONES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen")
_TEENS += ("seventeen", "eighteen", "nineteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def _number_words() -> dict[str, int]:
    """'zero'..'ninety-nine'; 'zero' is known only so that 'week zero' gets a precise error."""
    words = {"zero": 0} | {word: n for n, word in enumerate(_ONES + _TEENS, start=1)}
    for tens_n, tens in enumerate(_TENS, start=2):
        words[tens] = tens_n * 10
        for ones_n, ones in enumerate(_ONES, start=1):
            words[f"{tens}-{ones}"] = words[f"{tens} {ones}"] = tens_n * 10 + ones_n
    return words


_NUMBER_WORDS = _number_words()
# Longest words first so that "twenty-one" wins over "twenty" followed by a range dash.
_WORDS_RE = "|".join(re.escape(w) for w in sorted(_NUMBER_WORDS, key=len, reverse=True))
_NUM = rf"(-?\d+|{_WORDS_RE})"
_MAX_DIGITS = 6  # int() of a huge digit string is slow or refused; no real date needs more
_MAX_SUGGEST = 100  # longer text gets no "did you mean"

# re.ASCII keeps \d from accepting other scripts' digits, which int() would happily convert.
_DAY_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_MONTH_RE = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
_QUARTER_RE = re.compile(r"(\d{4}) ?-? ?q(\d)|q(\d) ?-? ?(\d{4})", re.ASCII)
_WEEK_RE = re.compile(r"(\d{4}) ?-? ?w(\d{1,2})", re.ASCII)
_RELATIVE_RE = re.compile(
    rf"(?:(?:by )?(?:the )?end of |by )?(day|week|month|quarter)s? ?{_NUM}(?: ?(?:-|to) ?{_NUM})?",
    re.ASCII,
)
_ONGOING = frozenset({"ongoing", "continuous", "continuously"})
_DATE_WORDS = frozenset(
    {"day", "days", "week", "weeks", "month", "months", "quarter", "quarters"}
    | {"end", "of", "by", "the", "to"}
    | _ONGOING
    | {w for w in _NUMBER_WORDS if " " not in w}
)

_TERM_RE = re.compile(r"(-?\d+) ?([a-z]+)", re.ASCII)
_DURATION_RE = re.compile(r"-?\d+ ?[a-z]+(?: ?-?\d+ ?[a-z]+)*", re.ASCII)
_DURATION_UNITS = {  # unit word -> (days, months) it stands for
    **dict.fromkeys(("d", "day", "days"), (1, 0)),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), (7, 0)),
    **dict.fromkeys(("m", "mo", "mos", "month", "months"), (0, 1)),
    **dict.fromkeys(("q", "quarter", "quarters"), (0, 3)),
}


class DateError(ValueError):
    """A date or duration an author wrote that cannot be read; hint says how to fix it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True, slots=True)
class DateSpan:
    """Consecutive days, both ends included."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"span ends ({self.last}) before it starts ({self.first})")

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True, slots=True)
class DateExpr:
    """A parsed date: absolute kinds carry their span, relative ones are resolved later."""

    text: str
    kind: str  # "day" | "month" | "quarter" | "iso-week" | "relative" | "ongoing"
    span: DateSpan | None
    unit: str = ""  # relative only: "day" | "week" | "month" | "quarter"
    first: int = 0
    last: int = 0

    @property
    def is_relative(self) -> bool:
        return self.kind == "relative"

    @property
    def is_ongoing(self) -> bool:
        return self.kind == "ongoing"

    @property
    def is_period(self) -> bool:
        """True when the expression names more than one day."""
        if self.kind == "day":
            return False
        if self.kind == "relative":
            return self.unit != "day" or self.first != self.last
        return True

    def resolve(self, start: date | None) -> DateSpan | None:
        """The days this expression names; None for 'ongoing'."""
        if not self.is_relative:
            return self.span
        if start is None:
            raise DateError(f"relative date '{self.text}' needs the plan's start date", START_HINT)
        try:
            return _relative_span(self.unit, self.first, self.last, start)
        except (OverflowError, ValueError) as exc:
            message = f"'{self.text}' counted from {start.isoformat()} is beyond the calendar"
            raise DateError(message, "check the number and the plan's start date") from exc


@dataclass(frozen=True, slots=True)
class Duration:
    days: int = 0
    months: int = 0

    def end_from(self, start: date) -> date:
        """Last day (inclusive) of the duration beginning on start.

        That is start + months (day clamped) + days - 1 day, so "1m" from 2024-01-31 ends on
        2024-02-28, the same day "month 1" ends. A zero duration ends on start itself.
        """
        if self.days == 0 and self.months == 0:
            return start
        try:
            return add_months(start, self.months) + timedelta(days=self.days - 1)
        except (OverflowError, ValueError) as exc:
            message = f"a duration from {start.isoformat()} runs beyond the calendar"
            raise DateError(message, DURATION_HINT) from exc


def add_months(d: date, months: int) -> date:
    """d moved by calendar months, the day clamped to the target month's length."""
    year, month0 = divmod(d.year * 12 + d.month - 1 + months, 12)
    return date(year, month0 + 1, min(d.day, _days_in_month(year, month0 + 1)))


def parse_date(text: str) -> DateExpr:
    raw = _require_text(text, "date", DATE_HINT)
    norm = _normalize(raw)
    if not norm:
        raise DateError("the date is empty", DATE_HINT)
    expr = _read_date(raw, norm)
    if expr is None:
        hint = _suggest(norm, _DATE_WORDS, _read_date) + DATE_HINT
        raise DateError(f"'{raw}' is not a date", hint)
    return expr


def parse_day(text: str) -> date:
    """One calendar day written as YYYY-MM-DD (done dates, review dates)."""
    raw = _require_text(text, "day", DAY_HINT)
    match = _DAY_RE.fullmatch(raw)
    if match is None:
        raise DateError(f"'{raw}' is not a day", DAY_HINT)
    return _real_day(raw, *map(int, match.groups()))


def parse_duration(text: str) -> Duration:
    raw = _require_text(text, "duration", DURATION_HINT)
    norm = _normalize(raw)
    duration = _read_duration(raw, norm)
    if duration is None:
        hint = _suggest(norm, _DURATION_UNITS, _read_duration) + DURATION_HINT
        raise DateError(f"'{raw}' is not a duration", hint)
    return duration


def _require_text(value: object, what: str, hint: str) -> str:
    # YAML turns unquoted 2024-07-15 into a date and 3 into an int; say what arrived instead.
    if not isinstance(value, str):
        shown = f"{type(value).__name__} {reprlib.repr(value)}"
        raise DateError(f"expected a {what} written as text, got {shown}", hint)
    return value.strip()


def _normalize(text: str) -> str:
    """Lower case, en/em dashes and minus signs as '-', whitespace runs as one space."""
    text = text.lower().replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")
    return " ".join(text.split())


def _read_date(raw: str, norm: str) -> DateExpr | None:
    """The expression, or None when norm has no known shape (DateError for bad values)."""
    if norm in _ONGOING:
        return DateExpr(raw, "ongoing", None)
    for pattern, build in _ABSOLUTE:
        match = pattern.fullmatch(norm)
        if match:
            return build(raw, match)
    match = _RELATIVE_RE.fullmatch(norm)
    return _relative(raw, match) if match else None


def _day_expr(raw: str, match: re.Match[str]) -> DateExpr:
    day = _real_day(raw, *map(int, match.groups()))
    return DateExpr(raw, "day", DateSpan(day, day))


def _month_expr(raw: str, match: re.Match[str]) -> DateExpr:
    year, month = _year(raw, match[1]), int(match[2])
    if not 1 <= month <= 12:
        message = f"{raw} is not a real month: months run from 01 to 12"
        raise DateError(message, "write the month as two digits, such as 2024-07")
    return DateExpr(raw, "month", _months_span(year, month, month))


def _quarter_expr(raw: str, match: re.Match[str]) -> DateExpr:
    year, quarter = _year(raw, match[1] or match[4]), int(match[2] or match[3])
    if not 1 <= quarter <= 4:
        message = f"{raw} is not a real quarter: quarters run from Q1 to Q4"
        raise DateError(message, "Q1 is January to March and Q4 is October to December")
    return DateExpr(raw, "quarter", _months_span(year, 3 * quarter - 2, 3 * quarter))


def _week_expr(raw: str, match: re.Match[str]) -> DateExpr:
    year, week = _year(raw, match[1]), int(match[2])
    weeks = date(year, 12, 28).isocalendar().week  # Dec 28 always falls in the last ISO week
    if not 1 <= week <= weeks:
        message = f"{raw} is not a real week: {year} has {weeks} ISO weeks"
        raise DateError(message, f"ISO weeks of {year} run from {year}-W01 to {year}-W{weeks}")
    try:
        monday = date.fromisocalendar(year, week, 1)
        return DateExpr(raw, "iso-week", DateSpan(monday, monday + timedelta(days=6)))
    except OverflowError as exc:  # 9999-W52 ends in year 10000
        raise DateError(f"{raw} is beyond the calendar", DATE_HINT) from exc


_ABSOLUTE: tuple[tuple[re.Pattern[str], Callable[[str, re.Match[str]], DateExpr]], ...] = (
    (_DAY_RE, _day_expr),
    (_MONTH_RE, _month_expr),
    (_QUARTER_RE, _quarter_expr),
    (_WEEK_RE, _week_expr),
)


def _relative(raw: str, match: re.Match[str]) -> DateExpr:
    unit = match[1]
    first = _number(raw, match[2])
    last = _number(raw, match[3]) if match[3] else first
    if first < 1 or last < 1:
        hint = f"{unit} 1 begins on the plan's start date"
        raise DateError(f"{unit} numbers start at 1, got '{raw}'", hint)
    if last < first:
        hint = f"write the smaller number first: {unit}s {last}-{first}"
        raise DateError(f"range '{raw}' ends before it starts", hint)
    return DateExpr(raw, "relative", None, unit=unit, first=first, last=last)


def _relative_span(unit: str, first: int, last: int, start: date) -> DateSpan:
    # Blocks are counted from the start date itself, not from a Monday or a month's 1st.
    if unit in ("day", "week"):
        size = 1 if unit == "day" else 7
        return DateSpan(start + timedelta(size * (first - 1)), start + timedelta(size * last - 1))
    size = 3 if unit == "quarter" else 1
    end = add_months(start, size * last) - timedelta(days=1)
    return DateSpan(add_months(start, size * (first - 1)), end)


def _read_duration(raw: str, norm: str) -> Duration | None:
    """The duration, or None when the shape or a unit is unknown (DateError for bad values)."""
    if not _DURATION_RE.fullmatch(norm):
        return None
    days = months = 0
    for match in _TERM_RE.finditer(norm):
        count, unit = _number(raw, match[1]), _DURATION_UNITS.get(match[2])
        if unit is None:
            return None
        if count < 0:
            raise DateError(f"durations cannot be negative, got '{raw}'", DURATION_HINT)
        days, months = days + count * unit[0], months + count * unit[1]
    return Duration(days=days, months=months)


def _suggest(norm: str, words: Iterable[str], read: Callable[[str, str], object]) -> str:
    """'did you mean ...? ' when fixing one misspelt word makes the text readable, else ''."""
    if len(norm) > _MAX_SUGGEST:  # no date is this long; difflib on every word would be slow
        return ""
    vocabulary = sorted(words)
    for match in re.finditer(r"[a-z]+", norm):
        word = match[0]
        if len(word) < 3 or word in vocabulary:  # short words match almost anything
            continue
        for close in difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.6):
            fixed = norm[: match.start()] + close + norm[match.end() :]
            if _readable(read, fixed):
                return f"did you mean '{fixed}'? "
    return ""


def _readable(read: Callable[[str, str], object], norm: str) -> bool:
    try:
        return read(norm, norm) is not None
    except DateError:
        return False


def _number(raw: str, token: str) -> int:
    if token in _NUMBER_WORDS:
        return _NUMBER_WORDS[token]
    if len(token.lstrip("-")) > _MAX_DIGITS:
        message = f"'{raw}' has a number longer than {_MAX_DIGITS} digits"
        raise DateError(message, "no plan reaches that far; check the number")
    return int(token)


def _year(raw: str, year: int | str) -> int:
    if int(year) < 1:  # date() starts at year 1
        raise DateError(f"{raw} is not a real date: years start at 0001", DATE_HINT)
    return int(year)


def _real_day(raw: str, year: int, month: int, day: int) -> date:
    year = _year(raw, year)
    if not 1 <= month <= 12:
        message = f"{raw} is not a real date: months run from 01 to 12"
        raise DateError(message, DAY_HINT)
    length = _days_in_month(year, month)
    if not 1 <= day <= length:
        message = f"{raw} is not a real date: {_MONTHS[month - 1]} {year} has {length} days"
        raise DateError(message, f"the last day of that month is {year:04}-{month:02}-{length}")
    return date(year, month, day)


def _months_span(year: int, first_month: int, last_month: int) -> DateSpan:
    last_day = date(year, last_month, _days_in_month(year, last_month))
    return DateSpan(date(year, first_month, 1), last_day)


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31
