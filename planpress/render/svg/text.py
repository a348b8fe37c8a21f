"""Text for SVG: cleaning, escaping, width estimates, truncation, numbers and dates.

Every string that reaches the SVG passes through `esc`, which also drops characters XML
forbids (a stray control character in a plan title would otherwise make the whole inline SVG
malformed). Numbers and dates are formatted here, independent of the machine's locale, so the
same input always gives the same bytes.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from datetime import date

from markupsafe import Markup, escape

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_BLANKS = re.compile(r"[\s\x00-\x20]")
ELLIPSIS = "…"

# Approximate advance widths in em, close to Arial/Segoe UI/Helvetica. No font is loaded and
# there is no layout engine at build time, so the total is scaled by SAFETY to also cover
# wider fonts (DejaVu Sans, common on Linux, runs about 10% wider, 16% when bold): a label
# cut slightly early looks better than one running into the chart.
_NARROW = frozenset("iljI.,:;'|!()[]{}ft r/\\`\"-")
_WIDE = frozenset("mwMW@%<>=+~")
SAFETY, BOLD = 1.1, 1.12
_EM_NARROW, _EM_DIGIT, _EM_LOWER, _EM_UPPER, _EM_WIDE, _EM_FULL = 0.3, 0.56, 0.54, 0.66, 0.86, 1.0


def clean(value: object) -> str:
    """The text of `value` with characters XML cannot carry removed."""
    return _XML_INVALID.sub("", str(value))


_NEEDS_WORK = re.compile("[&<>\"'\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def esc(value: object) -> Markup:
    """Escaped text for element content or a double-quoted attribute."""
    return Markup(escaped(value))


def escaped(value: object) -> str:
    """esc(value) as a plain str, for SVG source built with f-strings."""
    text = value if isinstance(value, str) else str(value)
    if _NEEDS_WORK.search(text) is None:  # most labels and every number: nothing to do
        return text
    return str(escape(clean(text)))


@functools.lru_cache(maxsize=8192)  # charts repeat the same coordinates over and over
def num(value: float, digits: int = 1) -> str:
    """Fixed precision for coordinates, trailing zeros stripped: 12.0 -> '12', -0.0 -> '0'."""
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def amount(value: float) -> str:
    """A value for readers: thousands separated, at most two decimals ('126,400', '2.5')."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def finite(value: float | None) -> float | None:
    """None for None, NaN and infinities, so charts never see them."""
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def day(value: date) -> str:
    """2024-07-07 -> '7 Jul 2024' (English month names, whatever the locale says)."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def month(value: date) -> str:
    return _MONTHS[value.month - 1]


def safe_href(href: str | None) -> str | None:
    """The link target, or None for one that could run code (javascript:, data:, ...)."""
    if not href:
        return None
    target = clean(href).strip()
    if ":" not in target:  # no scheme at all: a relative link, the usual case
        return target or None
    scheme = _SCHEME.match(_BLANKS.sub("", target))
    if scheme and scheme.group(1).lower() not in _SAFE_SCHEMES:
        return None
    return target or None


def _char_em(ch: str) -> float:
    if ch in _NARROW:
        return _EM_NARROW
    if ch in _WIDE:
        return _EM_WIDE
    if ch.isdigit():
        return _EM_DIGIT
    if ch.isascii():
        return _EM_UPPER if ch.isupper() else _EM_LOWER
    if unicodedata.combining(ch) or ch in "\u200d\ufe0f\u200e\u200f":
        return 0.0
    if unicodedata.east_asian_width(ch) in "WF" or ord(ch) >= 0x1F000:
        return _EM_FULL + 0.1
    return _EM_UPPER if ch.isupper() else _EM_LOWER + 0.04


class _Widths(dict[str, float]):
    """_char_em by character, each worked out once: every label is measured, char by char."""

    def __missing__(self, ch: str) -> float:
        width = self[ch] = _char_em(ch)
        return width


_em = _Widths().__getitem__


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated rendered width of `text` at font size `size` (user units)."""
    return sum(map(_em, text)) * size * _factor(bold)


def _factor(bold: bool) -> float:
    return SAFETY * (BOLD if bold else 1.0)


def _attaches(ch: str) -> bool:
    """True for characters that belong to the one before (accents, joiners, selectors)."""
    skin_tone = "\U0001f3fb" <= ch <= "\U0001f3ff"
    return bool(unicodedata.combining(ch)) or ch in "\u200d\ufe0f\ufe0e" or skin_tone


def _is_rtl(text: str) -> bool:
    """True when the last strongly directional character of `text` is right-to-left."""
    for ch in reversed(text):
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def truncate(text: str, size: float, max_width: float, bold: bool = False) -> str:
    """`text` cut to fit `max_width`, ending in an ellipsis when cut.

    Cuts never split a character from its accents or an emoji sequence, and after
    right-to-left text a right-to-left mark keeps the ellipsis on the reading end.
    """
    text = clean(text)
    if text_width(text, size, bold) <= max_width:
        return text
    budget = max_width - text_width(ELLIPSIS, size, bold)
    used, cut, factor = 0.0, 0, _factor(bold)
    for index, ch in enumerate(text):
        used += _em(ch) * size * factor
        if used > budget:
            break
        cut = index + 1
    while 0 < cut < len(text) and _attaches(text[cut]):
        cut -= 1
    kept = text[:cut].rstrip()
    while kept and kept[-1] == "\u200d":
        kept = kept[:-1]
    mark = "\u200f" if _is_rtl(kept) else ""
    return kept + ELLIPSIS + mark
