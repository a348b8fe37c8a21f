"""Diagnostics for machines: a JSON document, or GitHub Actions workflow commands.

`planpress check --format json|github` prints these on standard output; the text format
(the default) prints `Diagnostic.format()` lines on standard error.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from planpress.diagnostics import Diagnostic, Level

FORMATS = ("text", "json", "github")
JSON_VERSION = 1


def counts(diagnostics: Sequence[Diagnostic]) -> tuple[int, int]:
    errors = sum(1 for d in diagnostics if d.level is Level.ERROR)
    return errors, len(diagnostics) - errors


def to_json(diagnostics: Sequence[Diagnostic]) -> str:
    """{"version": 1, "errors": n, "warnings": n, "diagnostics": [...]}.

    An unknown path, line or column is null (a failure that is not about one file).
    """
    errors, warnings = counts(diagnostics)
    entries = [
        {
            "level": str(d.level),
            "path": d.loc.path or None,
            "line": d.loc.line or None,
            "col": d.loc.col or None,
            "message": d.message,
            "hint": d.hint or None,
        }
        for d in diagnostics
    ]
    document = {"version": JSON_VERSION, "errors": errors, "warnings": warnings}
    return json.dumps(document | {"diagnostics": entries}, ensure_ascii=False, indent=2)


def escape_data(text: str) -> str:
    """A workflow command's message, as GitHub's toolkit escapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (file=, title=): also ':' and ','."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(diagnostics: Sequence[Diagnostic], site_dir: Path | None = None) -> str:
    """One `::error file=…,line=…,col=…,title=planpress::message` line per diagnostic.

    Paths are made relative to the current folder (GitHub resolves them from the
    repository's top, where workflows usually run), so a site in a subfolder annotates the
    right files. The hint follows the message on a second line.
    """
    lines = []
    for d in diagnostics:
        properties = []
        if d.loc.path:
            properties.append(f"file={escape_property(_shown(d.loc.path, site_dir))}")
            if d.loc.line:
                properties.append(f"line={d.loc.line}")
                if d.loc.col:
                    properties.append(f"col={d.loc.col}")
        properties.append("title=planpress")
        message = f"{d.message}\nhint: {d.hint}" if d.hint else d.message
        command = "error" if d.level is Level.ERROR else "warning"
        lines.append(f"::{command} {','.join(properties)}::{escape_data(message)}")
    return "\n".join(lines)


def _shown(path: str, site_dir: Path | None) -> str:
    if site_dir is None or Path(path).is_absolute():
        return path
    relative = os.path.relpath(site_dir / path)
    return Path(relative).as_posix()
