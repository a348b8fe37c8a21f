"""Stable digests: of texts, of a plan's model, of planpress's code and of template folders.

Kept apart from facts (which needs the renderer) so that loading plans imports little.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from pathlib import Path

from planpress import __version__
from planpress.resolve.model import Plan

_PACKAGE = Path(__file__).resolve().parent.parent


def digest(*parts: str) -> str:
    """A short, stable digest of some texts (the same in every process and run)."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def model_digests(plan: Plan) -> tuple[str, str, str]:
    """(facts, summary, data) digests of a plan's model: everything; without prose or source
    positions; without prose.

    Source positions of the plan's own file are left out of the summary so that editing the
    prose (which moves the lines of prose tasks) does not touch the pages that only list the
    plan. Computed once per document version, when the plan is built.
    """
    full = repr(plan)
    bare = repr(_without_prose(plan))
    own_loc = re.compile(re.escape(f"SourceLoc(path={plan.source!r}, line=") + r"\d+, col=\d+\)")
    return digest(full), digest(own_loc.sub("@", bare)), digest(bare)


def _without_prose(plan: Plan) -> Plan:
    return replace(plan, body="", body_line=0)


@cache
def code_digest() -> str:
    """planpress's version and its own source code: a new planpress redraws everything."""
    parts = [__version__]
    for path in sorted(_PACKAGE.rglob("*.py")):
        parts += [path.relative_to(_PACKAGE).as_posix(), path.read_bytes().hex()]
    return digest(*parts)


def tree_digest(folders: Iterable[Path]) -> str:
    """Every file under the folders (names and bytes), e.g. the template folders of a theme."""
    parts: list[str] = []
    for folder in folders:
        parts.append(str(folder))
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                parts += [path.relative_to(folder).as_posix(), path.read_bytes().hex()]
    return digest(*parts)
