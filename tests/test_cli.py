"""The command line, run as a user runs it: a real process, real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

from planpress import __version__

GOOD = {
    "planpress.yaml": "title: Test plans\ntoday: 2024-08-01\n",
    "content/people.yaml": "people:\n  ann: {name: Ann Lee}\n",
    "content/sales/launch.md": """
    ---
    title: Launch the shop
    owner: ann
    start: 2024-07-01
    tasks:
      - id: build
        title: Build the shop
        responsible: ann
        due: week 2
    ---
    Talk to @ann about [[other]].
    """,
    "content/other.md": """
    ---
    title: Other plan
    id: other
    ---
    See [the launch](sales/launch.md).
    """,
}


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "planpress", *args], capture_output=True, text=True, cwd=cwd
    )


def test_version_and_help():
    assert run("--version").stdout.strip() == f"planpress {__version__}"
    for command in ("build", "check"):
        assert run(command, "--help").returncode == 0


def test_build_writes_pages_and_json(site):
    root = site(GOOD)
    result = run("build", str(root))
    assert result.returncode == 0, result.stderr
    out = root / "site"
    page = BeautifulSoup((out / "plans/sales/launch.html").read_text(), "html.parser")
    assert page.h1.get_text() == "Launch the shop"
    mention = page.select_one("a.mention")
    assert mention.get_text() == "Ann Lee" and mention["href"] == "../../people/ann.html"
    assert page.select_one("a.xref")["href"] == "../../plans/other.html"
    other = BeautifulSoup((out / "plans/other.html").read_text(), "html.parser")
    assert other.select_one(".prose a")["href"] == "../plans/sales/launch.html"
    data = json.loads((out / "plans.json").read_text())
    task = data["plans"][1]["tasks"][0]
    assert (task["id"], task["scheduled_due"], task["responsible"]) == (
        "build",
        "2024-07-14",
        ["ann"],
    )


def test_errors_exit_1_without_traceback_and_keep_the_old_site(site):
    root = site(GOOD)
    assert run("build", str(root)).returncode == 0
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    (root / "content/other.md").write_text("---\ntitle: Other\nid: other\nbudget: lots\n---\n")
    result = run("build", str(root))
    assert result.returncode == 1
    assert "content/other.md:4:9: error: budget: expected a number, got 'lots'" in result.stderr
    assert "Traceback" not in result.stderr
    after = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert after == before


def test_check_exit_codes(site):
    root = site(GOOD)
    assert run("check", str(root)).returncode == 0
    (root / "content/other.md").write_text("---\ntitle: Other\nid: other\nowner: Stranger\n---\n")
    result = run("check", str(root))
    assert (
        result.returncode == 0
        and "warning: owner: unknown person or team 'Stranger'" in result.stderr
    )
    assert run("check", "--strict", str(root)).returncode == 1
    assert not (root / "site").exists()


def test_output_folder_that_overlaps_content_is_refused(site):
    root = site(GOOD)
    result = run("build", str(root), "-o", str(root / "content"))
    assert result.returncode == 1 and "overlaps the content folder" in result.stderr
    foreign = root / "elsewhere"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine")
    result = run("build", str(root), "-o", str(foreign))
    assert result.returncode == 1 and "not made by planpress" in result.stderr
    assert (foreign / "keep.txt").read_text() == "mine"


def test_stale_pages_are_removed_but_foreign_files_kept(site):
    root = site(GOOD)
    assert run("build", str(root)).returncode == 0
    (root / "site/notes.txt").write_text("mine")
    (root / "content/other.md").unlink()
    (root / "content/sales/launch.md").write_text("---\ntitle: Launch\n---\n")
    assert run("build", str(root)).returncode == 0
    assert not (root / "site/plans/other.html").exists()
    assert (root / "site/notes.txt").read_text() == "mine"


def test_missing_site_folder(tmp_path):
    result = run("build", str(tmp_path / "nope"))
    assert result.returncode == 2 and "no site folder" in result.stderr
