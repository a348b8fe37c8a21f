"""`planpress diff`: what changed between two revisions, as text and as a PR comment."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from gitkit import plans_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "planpress", *args], capture_output=True, text=True, cwd=cwd
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return plans_repo(tmp_path_factory.mktemp("diff") / "plans")


def test_diff_between_two_revisions(repo):
    result = run("diff", "v1", "HEAD", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "planpress diff v1..HEAD",
        "Plans added: Summer sale (sale)",
        "Plans removed: Old plan (old)",
        "",
        "Launch the shop (launch)",
        "  Build the shop (task): due 14 Jul 2024 -> 21 Jul 2024 (+7 days)",
        "  Test the shop (task): responsible Bob Marsh -> Ann Lee",
        "  Test the shop (task): status todo -> done",
        "  Shop live (milestone): done 8 Jul 2024",
        "  added milestone: Press release (due 5 Aug 2024)",
    ]


def test_one_commit_apart_and_nothing_changed(repo):
    assert run("diff", "v1", "HEAD~2", str(repo)).stdout.splitlines() == [
        "planpress diff v1..HEAD~2",
        "",
        "Launch the shop (launch)",
        "  Build the shop (task): due 14 Jul 2024 -> 21 Jul 2024 (+7 days)",
    ]
    assert run("diff", "HEAD~2", "HEAD~1", str(repo)).stdout.splitlines() == [
        "planpress diff HEAD~2..HEAD~1",
        "No changes to the plans.",
    ]


def test_the_working_tree_is_the_default_and_path_may_follow_rev1(repo, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(repo, copy)
    plan = copy / "content/shop.md"
    plan.write_text(
        plan.read_text()
        .replace("owner: ann\n", "owner: bob\n", 1)
        .replace("due: 2024-07-21}", "due: 2024-07-19}")
    )
    result = run("diff", "HEAD", str(copy))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "planpress diff HEAD..working tree",
        "",
        "Launch the shop (launch)",
        "  owner Ann Lee -> Bob Marsh",
        "  Build the shop (task): due 21 Jul 2024 -> 19 Jul 2024 (-2 days)",
    ]
    markdown = run("diff", "HEAD", "--format", "markdown", str(copy))
    assert markdown.stdout == (
        "### Plan changes from `HEAD` to the working tree\n"
        "\n"
        "#### Launch the shop (`launch`)\n"
        "\n"
        "- owner Ann Lee → Bob Marsh\n"
        "- Build the shop (task): due 21 Jul 2024 → 19 Jul 2024 (**-2 days**)\n"
    )


def test_markdown_for_a_pull_request_comment(repo):
    result = run("diff", "v1", "HEAD", "--format", "markdown", cwd=repo)
    assert result.stdout.splitlines() == [
        "### Plan changes from `v1` to `HEAD`",
        "",
        "**Plans added:** Summer sale (`sale`)",
        "",
        "**Plans removed:** Old plan (`old`)",
        "",
        "#### Launch the shop (`launch`)",
        "",
        "- Build the shop (task): due 14 Jul 2024 → 21 Jul 2024 (**+7 days**)",
        "- Test the shop (task): responsible Bob Marsh → Ann Lee",
        "- Test the shop (task): status todo → done",
        "- Shop live (milestone): done 8 Jul 2024",
        "- added milestone: Press release (due 5 Aug 2024)",
    ]


def test_markdown_escapes_what_authors_wrote():
    from planpress.history.diff import _escape

    assert _escape("Fix *all* the <b>bugs</b> | now_") == (
        r"Fix \*all\* the \<b\>bugs\</b\> \| now\_"
    )


def test_diff_exit_codes(repo, tmp_path):
    unknown = run("diff", "nope", cwd=repo)
    assert unknown.returncode == 2 and "unknown revision 'nope'" in unknown.stderr
    assert run("diff", "v1", "HEAD", str(tmp_path / "missing")).returncode == 2
    assert run("diff", "v1", "HEAD", ".", "extra", cwd=repo).returncode == 2
    plain = tmp_path / "plain"
    shutil.copytree(repo, plain, ignore=shutil.ignore_patterns(".git"))
    outside = run("diff", "v1", str(plain))
    assert outside.returncode == 1 and "is not inside a git work tree" in outside.stderr
