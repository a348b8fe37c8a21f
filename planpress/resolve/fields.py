"""Typed reading of YAML values, with a message at the value's line when one is wrong.

Values arrive as text (see load.yamltree); each reader converts text to the type
a field wants, or reports what was found, what was expected and how to fix it.
A reader never raises for a user mistake: it reports and returns a fallback.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from planpress.diagnostics import Diagnostics, SourceLoc, did_you_mean, format_path
from planpress.load.yamltree import KeyPath, YamlTree
from planpress.resolve.model import Number
from planpress.schedule.dates import DateError, DateExpr, Duration, parse_date, parse_duration

_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?")


class FieldReader:
    """Reads one YAML tree of one file; every problem names the key path and its line."""

    def __init__(self, tree: YamlTree, path: str, diagnostics: Diagnostics) -> None:
        self.tree = tree
        self.path = path
        self.diagnostics = diagnostics
        # relative dates read, so a plan without `start` can name each of their lines
        self.relative_dates: list[tuple[SourceLoc, str]] = []

    def loc(self, keypath: KeyPath) -> SourceLoc:
        position = self.tree.value_pos.get(keypath) or self.tree.key_pos.get(keypath)
        while position is None and keypath:
            keypath = keypath[:-1]
            position = self.tree.value_pos.get(keypath)
        return SourceLoc(self.path, *position) if position else SourceLoc(self.path)

    def key_loc(self, keypath: KeyPath) -> SourceLoc:
        position = self.tree.key_pos.get(keypath)
        return SourceLoc(self.path, *position) if position else self.loc(keypath)

    def error(self, keypath: KeyPath, message: str, hint: str = "") -> None:
        self.diagnostics.error(self.loc(keypath), _where(keypath) + message, hint)

    def warning(self, keypath: KeyPath, message: str, hint: str = "") -> None:
        self.diagnostics.warning(self.loc(keypath), _where(keypath) + message, hint)

    def mapping(
        self, keypath: KeyPath, value: Any, allowed: Collection[str], what: str
    ) -> dict[str, Any]:
        """A mapping with only allowed keys (plus free-form 'extra'); {} after an error."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(keypath, f"expected {what} (a mapping of 'key: value'), got {_kind(value)}")
            return {}
        for key in value:
            if key not in allowed and key != "extra":
                hint = did_you_mean(key, allowed) or "allowed keys: " + ", ".join(sorted(allowed))
                self.diagnostics.error(
                    self.key_loc((*keypath, key)),
                    f"{format_path((*keypath, key))}: unknown key '{key}' in {what}",
                    hint + " (free-form data goes under 'extra:')",
                )
        return value

    def text(self, keypath: KeyPath, value: Any, required: bool = False) -> str:
        if value is None:
            if required:
                self.error(keypath, "is required")
            return ""
        if isinstance(value, str):
            return value.strip()
        self.error(keypath, f"expected text, got {_kind(value)}")
        return ""

    def optional_text(self, keypath: KeyPath, value: Any) -> str | None:
        return self.text(keypath, value) or None

    def number(self, keypath: KeyPath, value: Any) -> Number | None:
        if value is None:
            return None
        if isinstance(value, str):
            text = value.strip().replace("_", "")
            if _INT.fullmatch(text):
                return int(text)
            if _FLOAT.fullmatch(text):
                return float(text)
        hint = "write a plain number such as 40000 or 3.5, without currency or separators"
        self.error(keypath, f"expected a number, got {_kind(value)}", hint)
        return None

    def number_or_text(self, keypath: KeyPath, value: Any) -> Number | str | None:
        """A figure that may also be written as words, e.g. a benefit target '2 FTE'."""
        if isinstance(value, str):
            text = value.strip().replace("_", "")
            if _FLOAT.fullmatch(text):
                return self.number(keypath, text)
            return value.strip()
        return self.number(keypath, value)

    def choice(self, keypath: KeyPath, value: Any, choices: Collection[str], default: str) -> str:
        if value is None:
            return default
        text = value.strip().lower() if isinstance(value, str) else None
        if text in choices:
            return text
        hint = did_you_mean(str(value), choices)
        self.error(keypath, f"expected one of {', '.join(choices)}, got {_kind(value)}", hint)
        return default

    def boolean(self, keypath: KeyPath, value: Any, default: bool) -> bool:
        if value is None:
            return default
        text = value.strip().lower() if isinstance(value, str) else ""
        if text in ("true", "false"):
            return text == "true"
        self.error(keypath, f"expected true or false, got {_kind(value)}")
        return default

    def strings(self, keypath: KeyPath, value: Any, split_commas: bool = False) -> tuple[str, ...]:
        """A list of texts; a single text is a list of one (or split on commas)."""
        if value is None:
            return ()
        if isinstance(value, str):
            parts = value.split(",") if split_commas else [value]
            return tuple(p.strip() for p in parts if p.strip())
        if not isinstance(value, list):
            self.error(keypath, f"expected a list of texts, got {_kind(value)}")
            return ()
        result = []
        for index, item in enumerate(value):
            if isinstance(item, str) and item.strip():
                result.append(item.strip())
            else:
                self.error((*keypath, index), f"expected text, got {_kind(item)}")
        return tuple(result)

    def date(self, keypath: KeyPath, value: Any) -> DateExpr | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.error(keypath, f"expected a date, got {_kind(value)}")
            return None
        try:
            expr = parse_date(value)
        except DateError as exc:
            self.error(keypath, exc.message, exc.hint)
            return None
        if expr.is_relative:
            self.relative_dates.append((self.loc(keypath), format_path(keypath)))
        return expr

    def day(self, keypath: KeyPath, value: Any) -> DateExpr | None:
        """A date naming one calendar day, e.g. an actual completion date."""
        expr = self.date(keypath, value)
        if expr is not None and expr.kind != "day":
            self.error(keypath, f"expected one calendar day such as 2024-07-15, got '{expr.text}'")
            return None
        return expr

    def duration(self, keypath: KeyPath, value: Any) -> Duration | None:
        if value is None:
            return None
        try:
            return parse_duration(value)
        except DateError as exc:
            self.error(keypath, exc.message, exc.hint)
            return None

    def items(self, keypath: KeyPath, value: Any) -> list[tuple[KeyPath, Any]]:
        """The (keypath, item) pairs of a list; a missing list is empty."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(keypath, f"expected a list (lines starting with '- '), got {_kind(value)}")
            return []
        return [((*keypath, index), item) for index, item in enumerate(value)]


def _where(keypath: KeyPath) -> str:
    """'tasks[0].due: ' before a message; nothing for the whole file."""
    return f"{format_path(keypath)}: " if keypath else ""


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return _show(value)


def _show(value: Any) -> str:
    text = str(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"
