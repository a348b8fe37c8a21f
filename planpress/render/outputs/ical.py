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
_TEXT_SPECIALS = str.maketrans({"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n"})


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
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value).translate(_TEXT_SPECIALS)


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
    return day.strftime("%Y%m%d")


def calendar(name: str, events: list[Event], stamp: date) -> bytes:
    """A whole VCALENDAR; events are sorted by day, then UID, so output is reproducible.

    DTSTAMP is `stamp` (the build's "today") at midnight UTC, not the wall clock, so two builds
    of the same sources on the same "today" give the same bytes.
    """
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
    dtstamp = ical_date(stamp) + "T000000Z"
    for event in sorted(events, key=lambda e: (e.day, e.uid)):
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape_text(event.uid)}",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{ical_date(event.day)}",
            f"DTEND;VALUE=DATE:{ical_date(event.day + timedelta(days=1))}",
            f"SUMMARY:{escape_text(event.summary)}",
            f"DESCRIPTION:{escape_text(event.description)}",
        ]
        if event.url:
            lines.append(f"URL:{event.url}")
        if event.categories:
            lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in event.categories))
        lines.append("TRANSP:TRANSPARENT")  # a deadline does not make anyone busy
        if event.cancelled:
            lines.append("STATUS:CANCELLED")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines).encode("utf-8")
