"""A small iCalendar (RFC 5545) writer: escaped text, folded lines, CRLF.

Only what planpress publishes: a VCALENDAR of all-day VEVENTs. Text values are escaped
(backslash, semicolon, comma, line breaks), control characters are dropped, and every content
line is folded at 75 octets without splitting a UTF-8 sequence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from planpress import __version__

PRODID = f"-//planpress//planpress {__version__}//EN"
MAX_OCTETS = 75  # per line, CRLF not counted (RFC 5545, 3.1)
REFRESH = "PT12H"  # how often subscribers are asked to look again
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # TEXT allows HTAB, and \n is escaped


@dataclass(frozen=True, slots=True)
class Event:
    """An all-day event: `day` only, DTEND is the next day (exclusive)."""

    uid: str
    day: date
    summary: str
    description: str
    url: str | None = None
    cancelled: bool = False
    categories: tuple[str, ...] = ()


def escape_text(value: str) -> str:
    """A TEXT value: line breaks as \\n, special characters escaped, controls dropped."""
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(value) is not None:
        value = _CONTROL.sub("", value)
    # backslashes first, so those the other escapes add stay single; str.replace is many
    # times quicker than str.translate with a table
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line as CRLF-terminated physical lines of at most 75 octets each.

    Continuation lines start with a space, which counts toward their 75 octets; a line is
    only ever broken between characters, never inside a multi-byte UTF-8 sequence.
    """
    if line.isascii():  # one octet per character (nearly every line): cut by length
        if len(line) <= MAX_OCTETS:
            return line + "\r\n"
        step = MAX_OCTETS - 1
        parts = [line[:MAX_OCTETS]]
        parts += [line[start : start + step] for start in range(MAX_OCTETS, len(line), step)]
        return "\r\n ".join(parts) + "\r\n"
    parts = []
    current: list[str] = []
    size, limit = 0, MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts) + "\r\n"


def ical_date(day: date) -> str:
    # what day.strftime("%Y%m%d") gives (the year unpadded, as glibc writes it), 5x quicker
    return f"{day.year}{day.month:02d}{day.day:02d}"


def stamp_text(stamp: date) -> str:
    """DTSTAMP's value for a build's "today": midnight UTC, not the wall clock."""
    return ical_date(stamp) + "T000000Z"


def calendar(name: str, events: list[Event], stamp: date) -> bytes:
    """A whole VCALENDAR; events are sorted by day, then UID, so output is reproducible.

    DTSTAMP is `stamp` (the build's "today") at midnight UTC, not the wall clock, so two builds
    of the same sources on the same "today" give the same bytes.
    """
    dtstamp = stamp_text(stamp)
    return calendar_of(name, [(e.day, e.uid, event_text(e, dtstamp)) for e in events])


def calendar_of(name: str, entries: list[tuple[date, str, str]]) -> bytes:
    """calendar() of events already drawn by event_text: (day, uid, text) each. An event is
    in several calendars (the site's, its plan's, its people's) and is drawn only once."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"NAME:{escape_text(name)}",  # RFC 7986
        f"X-WR-CALNAME:{escape_text(name)}",  # the same, for clients that predate RFC 7986
        f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}",
        f"X-PUBLISHED-TTL:{REFRESH}",
    ]
    head = "".join(map(fold, lines))
    body = "".join(entry[2] for entry in sorted(entries, key=_day_and_uid))
    return (head + body + "END:VCALENDAR\r\n").encode("utf-8")


def _day_and_uid(entry: tuple[date, str, str]) -> tuple[date, str]:
    return entry[0], entry[1]


def event_text(event: Event, dtstamp: str) -> str:
    """One VEVENT as folded CRLF lines; `dtstamp` from stamp_text. The lines of fixed text
    and dates are far below 75 octets and need no folding."""
    parts = [
        "BEGIN:VEVENT\r\n",
        fold(f"UID:{escape_text(event.uid)}"),
        f"DTSTAMP:{dtstamp}\r\n",
        f"DTSTART;VALUE=DATE:{ical_date(event.day)}\r\n",
        f"DTEND;VALUE=DATE:{ical_date(event.day + timedelta(days=1))}\r\n",
        fold(f"SUMMARY:{escape_text(event.summary)}"),
        fold(f"DESCRIPTION:{escape_text(event.description)}"),
    ]
    if event.url:
        parts.append(fold(f"URL:{event.url}"))
    if event.categories:
        parts.append(fold("CATEGORIES:" + ",".join(map(escape_text, event.categories))))
    parts.append("TRANSP:TRANSPARENT\r\n")  # a deadline does not make anyone busy
    if event.cancelled:
        parts.append("STATUS:CANCELLED\r\n")
    parts.append("END:VEVENT\r\n")
    return "".join(parts)
