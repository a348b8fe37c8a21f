"""Identifiers: derived from titles and paths, checked when written by hand.

Ids become file names and URL parts, so they are restricted to a safe alphabet;
derived ids are stable (a pure function of the title or path).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_.-]*(/[a-z0-9][a-z0-9_.-]*)*")
ITEM_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_.-]*")
MAX_ID_LENGTH = 120
_SLUG_WORDS = 6
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10))} | {
    f"lpt{i}" for i in range(10)
}


def slugify(text: str, max_length: int = 60) -> str:
    """ASCII, lower-case, hyphenated; a hash stands in when nothing Latin is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = ""
    for word in re.findall(r"[a-z0-9]+", ascii_text.lower())[:_SLUG_WORDS]:
        if slug and len(slug) + 1 + len(word) > max_length:
            break  # whole words only, so ids stay readable
        slug = f"{slug}-{word}" if slug else word[:max_length]
    if not slug:
        slug = "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return slug


def id_from_path(relative_path: str) -> str:
    """'sales/Online Sales Q3.md' -> 'sales/online-sales-q3'."""
    stem = relative_path.removesuffix(".md")
    return "/".join(slugify(part) for part in stem.split("/") if part)


def id_problem(value: str, allow_slash: bool) -> str:
    """Why an id written by hand is unusable, or '' when it is fine."""
    pattern = ID_PATTERN if allow_slash else ITEM_ID_PATTERN
    if not value:
        return "an id cannot be empty"
    if len(value) > MAX_ID_LENGTH:
        return f"an id has at most {MAX_ID_LENGTH} characters, this one has {len(value)}"
    if not pattern.fullmatch(value):
        allowed = "lower-case letters, digits, '-', '_', '.'" + (" and '/'" if allow_slash else "")
        return f"'{value}' is not a valid id: use {allowed}, starting with a letter or digit"
    parts = value.split("/")
    if any(part in (".", "..") or part.endswith(".") for part in parts):
        return f"'{value}' is not a valid id: no part may be '.' or '..' or end with '.'"
    if any(part.split(".")[0] in _WINDOWS_RESERVED for part in parts):
        return f"'{value}' is not a valid id: it is a reserved file name on Windows"
    return ""


def unique_id(base: str, taken: set[str]) -> str:
    """base, or base-2, base-3 … whichever is free; records the choice in taken."""
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    taken.add(candidate)
    return candidate
