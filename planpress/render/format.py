"""Formatting of dates, numbers and money for readers, independent of the machine's locale."""

from __future__ import annotations

import datetime as dt

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August")
MONTH_NAMES += ("September", "October", "November", "December")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day(value: dt.date | None) -> str:
    """2024-07-05 -> '5 Jul 2024' (English month names whatever LANG says)."""
    if value is None:
        return ""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def number(value: float | int | None, decimals: int | None = None) -> str:
    """Thousands separated; whole floats shown without decimals."""
    if value is None:
        return ""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 2
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text and decimals and decimals > 2 else text


def money(value: float | int | None, currency: str = "") -> str:
    if value is None:
        return ""
    text = number(value)
    return f"{text} {currency}" if currency else text


def signed(value: float | int | None, currency: str = "") -> str:
    """A variance: '+400 USD', '-1,200', '0'."""
    if value is None:
        return ""
    sign = "+" if value > 0 else ("-" if value < 0 else "")
    return sign + money(abs(value), currency)


def percent(fraction: float | None) -> str:
    return "" if fraction is None else f"{round(fraction * 100)}%"


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 item', '2 items', '1,200 items' (`many`: the plural, when not word + 's')."""
    return f"{number(count)} {word if count == 1 else (many or word + 's')}"
