"""Helpers for the trust tests: running the CLI as users do, snapshots, output scanning."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"
REPO = HERE.parent.parent


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 120):
    """`python -m planpress ARGS` in a fresh process, as a user runs it."""
    environment = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "planpress", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        timeout=timeout,
    )


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write {relative path: text or bytes} under root (text exactly as given)."""
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8", newline="")
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder: {relative path: bytes}."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def decoded_forms(text: str) -> list[str]:
    """text as written, HTML-entity-decoded, JSON-unescaped and URL-decoded (also combined)."""
    forms = [text]
    entity = html.unescape(text)
    forms.append(entity)
    for source in (text, entity):
        forms.append(_json_unescaped(source))
        forms.append(unquote(source))
        forms.append(unquote(_json_unescaped(source)))
    return forms


_JSON_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|[\"\\/bfnrt])")


def _json_unescaped(text: str) -> str:
    def one(match: re.Match) -> str:
        try:
            return json.loads(f'"{match.group(0)}"')
        except ValueError:
            return match.group(0)

    return _JSON_ESCAPE.sub(one, text)


def fm(front: str, body: str = "") -> str:
    """A plan file: front matter between '---' lines, then the body."""
    return f"---\n{front.strip(chr(10))}\n---\n{body}"
