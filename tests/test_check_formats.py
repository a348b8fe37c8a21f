"""`planpress check` for CI: JSON and GitHub Actions output, and stable exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from planpress.diagnostics import Diagnostic, Level, SourceLoc
from planpress.report import escape_data, escape_property, to_github

GOOD = {
    "planpress.yaml": "title: CI\n",
    "content/people.yaml": "people:\n  ann: {name: Ann Lee}\n",
    "content/a.md": "---\ntitle: A\nowner: ann\n---\n",
}
WARNING = "---\ntitle: B\nowner: Stranger\n---\n"
ERROR = "---\ntitle: C\nbudget: lots\n---\n"

GITHUB_LINE = re.compile(
    r"^::(?P<level>error|warning) file=(?P<file>[^,:]+),line=(?P<line>\d+),col=(?P<col>\d+),"
    r"title=planpress::(?P<message>[^\r\n]*)$"
)


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "planpress", *args], capture_output=True, text=True, cwd=cwd
    )


def test_json_when_clean(site):
    root = site(GOOD)
    result = run("check", "--format", "json", str(root))
    assert result.returncode == 0
    assert json.loads(result.stdout) == {
        "version": 1,
        "errors": 0,
        "warnings": 0,
        "diagnostics": [],
    }


def test_json_with_a_warning_and_an_error(site):
    root = site({**GOOD, "content/b.md": WARNING, "content/c.md": ERROR})
    result = run("check", "--format", "json", str(root))
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert (document["version"], document["errors"], document["warnings"]) == (1, 1, 1)
    assert document["diagnostics"] == [
        {
            "level": "warning",
            "path": "content/b.md",
            "line": 3,
            "col": 8,
            "message": "owner: unknown person or team 'Stranger'",
            "hint": "add them to content/people.yaml",
        },
        {
            "level": "error",
            "path": "content/c.md",
            "line": 3,
            "col": 9,
            "message": "budget: expected a number, got 'lots'",
            "hint": "write a plain number such as 40000 or 3.5, without currency or separators",
        },
    ]
    assert "content/c.md:3:9" not in result.stdout.replace('"path"', "")  # no text lines


def test_json_warnings_pass_unless_strict(site):
    root = site({**GOOD, "content/b.md": WARNING})
    relaxed = run("check", "--format", "json", str(root))
    assert relaxed.returncode == 0 and json.loads(relaxed.stdout)["warnings"] == 1
    strict = run("check", "--strict", "--format", "json", str(root))
    assert strict.returncode == 1
    assert json.loads(strict.stdout)["warnings"] == 1


def test_json_for_a_failure_without_a_file(site):
    root = site({"planpress.yaml": "title: X\n"})  # no content folder
    result = run("check", "--format", "json", str(root))
    assert result.returncode == 1
    [entry] = json.loads(result.stdout)["diagnostics"]
    assert entry["path"] is None and entry["line"] is None and entry["hint"] is None
    assert entry["message"].startswith("no content folder at ")


def test_github_workflow_commands(site):
    root = site({**GOOD, "content/b.md": WARNING, "content/c.md": ERROR})
    result = run("check", "--format", "github", ".", cwd=root)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    matches = [GITHUB_LINE.match(line) for line in lines]
    assert all(matches), lines
    assert [(m["level"], m["file"], m["line"], m["col"]) for m in matches] == [
        ("warning", "content/b.md", "3", "8"),
        ("error", "content/c.md", "3", "9"),
    ]
    assert matches[1]["message"] == (
        "budget: expected a number, got 'lots'%0Ahint: write a plain number such as 40000 or "
        "3.5, without currency or separators"
    )


def test_github_paths_are_relative_to_the_current_folder(site):
    root = site({**GOOD, "content/c.md": ERROR})
    result = run("check", "--format", "github", root.name, cwd=root.parent)
    assert result.stdout.startswith(f"::error file={root.name}/content/c.md,line=3,col=9,")


def test_github_escaping():
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a,b:c%") == "a%2Cb%3Ac%25"
    odd = Diagnostic(Level.WARNING, SourceLoc("content/a,b.md", 2), "50% of\nit", "")
    assert (
        to_github([odd]) == "::warning file=content/a%2Cb.md,line=2,title=planpress::50%25 of%0Ait"
    )
    nowhere = Diagnostic(Level.ERROR, SourceLoc(""), "theme 'x' not found")
    assert to_github([nowhere]) == "::error title=planpress::theme 'x' not found"


def test_exit_codes(site, tmp_path):
    root = site(GOOD)
    assert run("check", str(root)).returncode == 0
    assert run("check", "--format", "xml", str(root)).returncode == 2  # unknown format
    assert run("check", "--bogus", str(root)).returncode == 2  # unknown option
    missing = run("check", "--format", "json", str(tmp_path / "nope"))
    assert missing.returncode == 2 and missing.stdout == ""
    assert "no site folder at" in missing.stderr
    assert run("build", str(tmp_path / "nope")).returncode == 2
    (root / "content/c.md").write_text(ERROR)
    assert run("check", str(root)).returncode == 1
    assert run("check", "--format", "github", str(root)).returncode == 1


def test_pre_commit_hook_definition():
    import yaml
    from sitekit import REPO

    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "planpress-check"
    assert hook["entry"] == "planpress check --strict"
    assert (hook["language"], hook["pass_filenames"]) == ("python", False)
    assert re.search(hook["files"], "content/a.md") and re.search(hook["files"], "x/people.yaml")
    assert not re.search(hook["files"], "site/index.html")
