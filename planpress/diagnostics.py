"""Problems found in a site, reported with a place and a remedy.

Every stage collects Diagnostics instead of raising on the first problem, so a
build reports all of its errors at once. Only the CLI turns them into exit codes.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, slots=True, order=True)
class SourceLoc:
    """A place in a source file: path relative to the site folder, 1-based line and column."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line and self.col:
            return f"{self.path}:{self.line}:{self.col}"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    level: Level
    loc: SourceLoc
    message: str
    hint: str = ""

    def format(self) -> str:
        """`path:line:col: level: message`, then `  hint: ...`; for a terminal, so control
        characters and bidi overrides from the plans are shown as escapes, never obeyed."""
        text = _printable(f"{self.loc}: {self.level}: {self.message}")
        return f"{text}\n  hint: {_printable(self.hint)}" if self.hint else text

    def sort_key(self) -> tuple:
        return (self.loc.path, self.loc.line, self.loc.col, self.message)


@dataclass(slots=True)
class Diagnostics:
    """A collector shared by the stages of one build."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, loc: SourceLoc, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(Level.ERROR, loc, message, hint))

    def warning(self, loc: SourceLoc, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(Level.WARNING, loc, message, hint))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level is Level.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level is Level.WARNING]

    def has_errors(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Diagnostic]:
        """Unique diagnostics in file and line order, so output is deterministic. (Keyed by
        tuples: a frozen dataclass hashes in Python, and a large site has tens of thousands.)"""
        unique = {(*d.sort_key(), d.level, d.hint): d for d in self.items}
        return [unique[key] for key in sorted(unique)]


class PlanpressError(Exception):
    """A user-facing failure: carries the diagnostics that explain it."""

    def __init__(self, message: str, diagnostics: Iterable[Diagnostic] = ()) -> None:
        super().__init__(message)
        self.diagnostics = list(diagnostics)


class BuildFailed(PlanpressError):
    """The site has errors; nothing was written."""


# C0 and C1 controls (line breaks, ESC) and the bidi embeddings, overrides and isolates
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _printable(text: str) -> str:
    return _UNPRINTABLE.sub(lambda m: repr(m.group(0))[1:-1], text)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest choice, or the empty string when none is close."""
    names = frozenset(choices)
    if len(_SHARED) > 16:
        _SHARED.clear()
    return _closest(str(word), _SHARED.setdefault(names, names))


_SHARED: dict[frozenset[str], frozenset[str]] = {}  # one copy of each set of choices


@functools.lru_cache(maxsize=512)
def _closest(word: str, choices: frozenset[str]) -> str:
    # remembered: on a large site many plans name the same missing plan, and each look
    # through ten thousand ids takes a third of a second
    matches = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else ""


def format_path(path: tuple) -> str:
    """A key path as authors read it: ('milestones', 1, 'due') -> 'milestones[1].due'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
