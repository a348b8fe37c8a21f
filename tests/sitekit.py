"""Helpers for tests: sites written inline, checked through the real pipeline."""

from __future__ import annotations

import io
import os
import posixpath
import shutil
import textwrap
from pathlib import Path

from planpress.diagnostics import BuildFailed
from planpress.pipeline import BuildOptions, check

GOLDEN = Path(__file__).parent / "golden"
REPO = Path(__file__).parent.parent


def write_site(root: Path, files: dict[str, str]) -> Path:
    """Write {relative path: text} under root (text is dedented) and return root."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def copy_example_site(folder: Path) -> Path:
    """A copy of the example site (its content and planpress.yaml) in `folder`."""
    shutil.copytree(REPO / "content", folder / "content")
    shutil.copy(REPO / "planpress.yaml", folder / "planpress.yaml")
    return folder


class Terminal(io.StringIO):
    """A stream that says it is a terminal, for what planpress shows only on one."""

    def isatty(self) -> bool:
        return True


def messages(root: Path, strict: bool = False) -> list[str]:
    """Every diagnostic of checking the site, formatted as the CLI prints them."""
    try:
        found = check(root, BuildOptions(strict=strict))
    except BuildFailed as failure:
        found = failure.diagnostics
    return [d.format() for d in found]


def assert_golden(name: str, text: str) -> None:
    """Compare with tests/golden/NAME; PLANPRESS_REGEN=1 rewrites the file instead."""
    path = GOLDEN / name
    if os.environ.get("PLANPRESS_REGEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run PLANPRESS_REGEN=1 pytest, then review it"
    assert text == path.read_text(encoding="utf-8")


def page_soup(out: Path, path: str):
    """The parsed page at `path` in the output folder `out`."""
    from bs4 import BeautifulSoup

    return BeautifulSoup((out / path).read_text(encoding="utf-8"), "html.parser")


def main_parts(page) -> list[str]:
    """The top-level elements of a parsed page's main part, in order: "h1", "nav.pager"."""
    found = [child for child in page.select_one("main").children if child.name]
    return [".".join([child.name, *child.get("class", [])[:1]]) for child in found]


def link_target(out: Path, page: str, href: str) -> Path:
    """The file a relative link from `page` (a file of the output folder `out`) opens."""
    link = href.partition("#")[0]
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page), link))
    return out / (f"{path}/index.html" if link.endswith("/") else path)
