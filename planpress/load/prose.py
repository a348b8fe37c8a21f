"""Tasks written as prose in a plan's Markdown body.

Plans are often pasted from web pages or word processors, so objectives and tasks are
recognised in ordinary text, not only in front matter. The rules:

* Objectives: a heading ``Objective: <title>`` (levels 1-6, ATX or setext), or a plain
  paragraph line of that form. Separators ``:``, ``-``, ``–``, ``—`` (a dash needs a space
  after it, so "Objective-based" is prose); "objective" in any case. A heading objective
  lasts until the next heading of the same or a higher level; a paragraph objective until
  the next heading of any level; either until the next objective. Objectives do not nest.
  An empty title is reported and the line is otherwise an ordinary heading or paragraph.
* Tasks are list items (``-``, ``*``, ``+``, ``1.``, ``1)``, and pasted bullets ``•◦▪‣``,
  any indentation). An item is a task when it ends (ignoring a final period) in a balanced
  parenthesis whose ``;``-separated parts include a ``Key: value`` with a key of
  PROSE_KEYS, or when it is a checkbox item ``[ ]`` / ``[x]``. Other parentheses such as
  "(optional)", or "(Ownr: Ann)" with no known key at all, make no task and stay in a
  checkbox item's title.
* In a field group every non-empty part must be ``Key: value`` with a known key; each
  part is split at its first colon. Bad parts, empty values and repeated fields (also
  Deadline vs Due) are reported and dropped; the task keeps its valid fields.
* Titles lose a ``Task 1:`` / ``Step 2 -`` / ``Action 3)`` prefix, the checkbox, the field
  group and trailing punctuation; runs of whitespace become one space. An empty title is
  reported and the item dropped.
* A more-indented non-blank line after an item that does not yet end in ``)`` continues
  it (joined with a space). Field columns then refer to the physical line the key is on;
  problems carry that line too. Columns count characters, 1-based; tabs count as one.
* Fenced code (``` or ~~~, 3+ characters, any indentation, closed by a fence of the same
  character at least as long) and HTML comments are skipped. Indented code, block quotes
  and HTML blocks are not recognised. Line breaks are ``\\n`` or ``\\r\\n``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

PROSE_KEYS: dict[str, str] = {
    "responsible": "responsible",
    "owner": "responsible",
    "accountable": "accountable",
    "consulted": "consulted",
    "informed": "informed",
    "start": "start",
    "deadline": "due",
    "due": "due",
    "budget": "budget",
    "status": "status",
    "after": "after",
}

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})(.*)$")
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:\s+(.*))?$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_ITEM = re.compile(r"^(\s*)(?:(?:[-*+]|\d{1,9}[.)])\s+|[•◦▪‣]\s*)(?=\S)")
_CHECKBOX = re.compile(r"^\[([ xX])\](?:\s+|$)")
_OBJECTIVE = re.compile(r"^objective\s*(?::|[-–—](?=\s|$))\s*", re.IGNORECASE)
_PREFIX = re.compile(r"^(?:task|step|action)\s*\d+\s*[:.)\-–]\s*", re.IGNORECASE)
_TRAILING = " \t.,;:-–—"
_FIELD_HINT = "write task fields as '(Key: value; Key: value)'"


@dataclass(frozen=True, slots=True)
class ProseObjective:
    title: str
    line: int


@dataclass(frozen=True, slots=True)
class ProseTask:
    title: str
    line: int
    fields: tuple[tuple[str, str, int], ...]
    checked: bool | None
    objective: str | None


@dataclass(frozen=True, slots=True)
class ProseProblem:
    line: int
    col: int
    message: str
    hint: str = ""


@dataclass(frozen=True, slots=True)
class ProseTasks:
    objectives: tuple[ProseObjective, ...]
    tasks: tuple[ProseTask, ...]
    problems: tuple[ProseProblem, ...]


@dataclass(slots=True)
class _Item:
    """A list item's text, possibly joined from several lines, with a map back to the file."""

    text: str
    indent: int
    spans: list[tuple[int, int, int]]  # (offset in text, file line, file column)

    def where(self, offset: int) -> tuple[int, int]:
        # The first span starts at offset 0, so some span always matches.
        start, line, col = next(span for span in reversed(self.spans) if offset >= span[0])
        return line, col + offset - start


def _known_key(part: str) -> bool:
    key, colon, _ = part.partition(":")
    return bool(colon) and key.strip().lower() in PROSE_KEYS


def _unknown_hint(key: str) -> str:
    close = difflib.get_close_matches(key.lower(), list(PROSE_KEYS), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0].capitalize()}'?"
    return "known fields: " + ", ".join(k.capitalize() for k in PROSE_KEYS)


def _trailing_group(text: str) -> tuple[int, int] | None:
    """Offsets of the last balanced '(' ... ')' that ends the text, if any."""
    end = len(text.rstrip())
    if end and text[end - 1] == ".":
        end = len(text[: end - 1].rstrip())
    if not end or text[end - 1] != ")":
        return None
    depth = 0
    for index in range(end - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[index], 0)
        if depth == 0:
            return index, end - 1
    return None


def _heading_title(rest: str) -> str:
    """Heading text without an optional closing '#' sequence (done by hand: no backtracking)."""
    text = rest.rstrip()
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1].isspace()):
        text = bare
    return text.strip()


def _closes(fence: str, text: str) -> bool:
    stripped = text.strip()
    return len(stripped) >= len(fence) and stripped == fence[0] * len(stripped)


class _Scanner:
    def __init__(self) -> None:
        self.objectives: list[ProseObjective] = []
        self.tasks: list[ProseTask] = []
        self.problems: list[ProseProblem] = []
        self.objective: str | None = None
        self.level = 0  # heading level of the current objective; 0 for a paragraph line
        self.fence = ""
        self.in_comment = False
        self.item: _Item | None = None
        self.para_objective: bool | None = None  # previous line was a paragraph line

    def feed(self, line: int, raw: str) -> None:
        if self.fence:
            self.fence = "" if _closes(self.fence, raw) else self.fence
            return
        text = self._uncomment(raw)
        if self.item is not None and self._continues(text):
            indent = len(text) - len(text.lstrip())
            self.item.spans.append((len(self.item.text) + 1, line, indent + 1))
            self.item.text += " " + text.strip()
            return
        self.flush()
        previous, self.para_objective = self.para_objective, None
        fence = _FENCE.match(text)
        if fence and not (fence[1][0] == "`" and "`" in fence[2]):
            self.fence = fence[1]
        elif (heading := _HEADING.match(text)) is not None:
            col = (heading.start(2) if heading[2] else heading.end(1)) + 1
            self._heading(len(heading[1]), _heading_title(heading[2] or ""), line, col)
        elif previous is not None and (setext := _SETEXT.match(text)) is not None:
            self._setext(1 if setext[1][0] == "=" else 2, previous)
        elif (item := _ITEM.match(text)) is not None:
            start = item.end()
            self.item = _Item(text[start:], len(item[1]), [(0, line, start + 1)])
        elif text.strip():
            self._paragraph(line, text)

    def flush(self) -> None:
        item, self.item = self.item, None
        if item is not None:
            self._task(item)

    def _uncomment(self, raw: str) -> str:
        """The line with HTML comment text blanked out, so columns stay put."""
        kept, pos = [], 0  # pieces joined once: a line of many comments stays linear
        while pos < len(raw):
            if not self.in_comment:
                start = raw.find("<!--", pos)
                if start < 0:
                    break
                kept.append(raw[pos:start])
                pos, self.in_comment = start, True
            end = raw.find("-->", pos + (4 if raw.startswith("<!--", pos) else 0))
            stop = len(raw) if end < 0 else end + 3
            kept.append(" " * (stop - pos))
            self.in_comment, pos = end < 0, stop
        kept.append(raw[pos:])
        return "".join(kept)

    def _continues(self, text: str) -> bool:
        assert self.item is not None
        indent = len(text) - len(text.lstrip())
        if not text.strip() or indent <= self.item.indent:
            return False
        if self.item.text.rstrip().rstrip(".").rstrip().endswith(")"):
            return False
        starts_block = _FENCE.match(text) or _HEADING.match(text) or _ITEM.match(text)
        return not starts_block and not _OBJECTIVE.match(text.strip())

    def _start(self, title: str, level: int, line: int, col: int) -> bool:
        if not title:
            self.problems.append(ProseProblem(line, col, "objective has no title"))
            return False
        self.objective, self.level = title, level
        self.objectives.append(ProseObjective(title, line))
        return True

    def _end_scope(self, level: int) -> None:
        if self.objective is not None and (self.level == 0 or level <= self.level):
            self.objective = None

    def _heading(self, level: int, title: str, line: int, col: int) -> None:
        match = _OBJECTIVE.match(title)
        if match is None or not self._start(title[match.end() :].strip(), level, line, col):
            self._end_scope(level)

    def _setext(self, level: int, previous: bool) -> None:
        # The paragraph line above was really a heading: promote its objective or end scope.
        if previous and self.objective is not None:
            self.level = level
        else:
            self._end_scope(level)

    def _paragraph(self, line: int, text: str) -> None:
        stripped = text.strip()
        match = _OBJECTIVE.match(stripped)
        col = len(text) - len(text.lstrip()) + 1
        started = match is not None and self._start(stripped[match.end() :].strip(), 0, line, col)
        self.para_objective = started

    def _task(self, item: _Item) -> None:
        text, checked, start = item.text, None, 0
        if (box := _CHECKBOX.match(text)) is not None:
            checked, start = box[1] != " ", box.end()
        group = _trailing_group(text)
        fields: tuple[tuple[str, str, int], ...] = ()
        end = len(text)
        if group and any(_known_key(p) for p in text[group[0] + 1 : group[1]].split(";")):
            fields, end = self._fields(item, *group), group[0]
        elif checked is None:
            return  # an ordinary list item
        # Collapse whitespace: joined lines and blanked comments leave runs of spaces.
        title = _PREFIX.sub("", " ".join(text[start:end].split()), count=1).rstrip(_TRAILING)
        line, col = item.where(start)
        if not title:
            self.problems.append(ProseProblem(line, col, "task has no title"))
            return
        self.tasks.append(ProseTask(title, item.spans[0][1], fields, checked, self.objective))

    def _fields(self, item: _Item, opening: int, closing: int) -> tuple[tuple[str, str, int], ...]:
        found: dict[str, tuple[str, str, int]] = {}
        first_key: dict[str, str] = {}
        offset = opening + 1
        for part in item.text[opening + 1 : closing].split(";"):
            line, col = item.where(offset + len(part) - len(part.lstrip()))
            offset += len(part) + 1
            key, colon, value = (s.strip() for s in part.partition(":"))
            name = PROSE_KEYS.get(key.lower())
            problem = _field_problem(part.strip(), key, colon, value, name, first_key)
            if problem is not None:
                self.problems.append(ProseProblem(line, col, *problem))
            elif name is not None and part.strip():
                found[name], first_key[name] = (name, value, col), key
        return tuple(found.values())


def _field_problem(
    part: str, key: str, colon: str, value: str, name: str | None, seen: dict[str, str]
) -> tuple[str, str] | None:
    """(message, hint) for a bad field-group part, or None when it is fine or empty."""
    if not part:
        return None  # a stray ';' is harmless
    if not colon or not key:
        return f"expected 'Key: value' in task fields, found '{part}'", _FIELD_HINT
    if name is None:
        return f"unknown task field '{key}'", _unknown_hint(key)
    if not value:
        return f"task field '{key}' has no value", _FIELD_HINT
    if name in seen:
        return f"duplicate task field '{key}'", f"'{seen[name]}' already sets it; keep one"
    return None


def extract_prose_tasks(body: str, first_line: int = 1) -> ProseTasks:
    """Objectives and tasks written as prose in ``body``, whose first line is ``first_line``."""
    scanner = _Scanner()
    for index, raw in enumerate(body.replace("\r\n", "\n").split("\n")):
        scanner.feed(first_line + index, raw)
    scanner.flush()
    return ProseTasks(tuple(scanner.objectives), tuple(scanner.tasks), tuple(scanner.problems))
