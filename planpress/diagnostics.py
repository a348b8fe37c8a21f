"""Problems found in a site, reported with a place and a remedy.

Every stage collects Diagnostics instead of raising on the first problem, so a
build reports all of its errors at once. Only the CLI turns them into exit codes.
"""

from __future__ import annotations

import difflib
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
    match = _closest(str(word), _SHARED.setdefault(names, names))
    return f"did you mean '{match}'?" if match else ""


_SHARED: dict[frozenset[str], frozenset[str]] = {}  # one copy of each set of choices
# word -> the choices it was last matched against, and its match among them; a process
# that builds again and again (`watch`) asks again for each plan a missing plan's
# supporters name, against the plan ids less the one deleted or plus the one added
_MATCHED: dict[str, tuple[frozenset[str], str | None]] = {}


def _closest(word: str, choices: frozenset[str]) -> str | None:
    before, match = _MATCHED.get(word, (frozenset(), None))
    if before is not choices:
        if (match is not None and match not in choices) or not before:
            match = closest_match(word, choices)
        else:  # any choice of before scores below the match: only the new ones may beat it
            added = choices - before
            if added:
                match = closest_match(word, [*added, *([match] if match else [])])
        if len(_MATCHED) > 4096:
            _MATCHED.clear()
        _MATCHED[word] = (choices, match)
    return match


def closest_match(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """difflib.get_close_matches(word, choices, n=1, cutoff)'s match, found sooner: the
    choices are tried best bound first (quick_ratio, which no ratio exceeds), and the search
    stops at a bound below the best ratio found. Ten thousand plan ids took a third of a
    second, once per plan that a deleted plan's supporters name."""
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    bounds = []
    for choice in choices:
        matcher.set_seq1(choice)
        if matcher.real_quick_ratio() >= cutoff and (bound := matcher.quick_ratio()) >= cutoff:
            bounds.append((bound, choice))
    bounds.sort(reverse=True)
    best: tuple[float, str] | None = None
    for bound, choice in bounds:
        if best is not None and bound < best[0]:
            break
        matcher.set_seq1(choice)
        score = matcher.ratio()
        if score >= cutoff and (best is None or (score, choice) > best):
            best = (score, choice)  # ties go to the greater choice, as nlargest gives them
    return best[1] if best is not None else None


def format_path(path: tuple) -> str:
    """A key path as authors read it: ('milestones', 1, 'due') -> 'milestones[1].due'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
