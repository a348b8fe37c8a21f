"""Git as the plans' memory on a real repository: history, --baseline, and no git at all."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from gitkit import commit, git, plans_repo

from planpress.history.git import find_repo
from planpress.history.log import plan_histories
from planpress.pipeline import BuildOptions, build

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "planpress", *args], capture_output=True, text=True, cwd=cwd
    )


def page(out: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((out / path).read_text(encoding="utf-8"), "html.parser")


def section_text(soup: BeautifulSoup, heading_id: str) -> str:
    heading = soup.find(id=heading_id)
    return heading.find_parent("section").get_text(" ", strip=True) if heading else ""


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def facts(soup: BeautifulSoup) -> dict[str, str]:
    dl = soup.select_one("header dl.facts")
    return {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in dl.find_all("dt")
    }


def due_cell(soup: BeautifulSoup, anchor: str) -> str:
    row = soup.find("tr", id=anchor)
    header = [th.get_text(strip=True) for th in row.find_parent("table").select("thead th")]
    return row.find_all(["th", "td"])[header.index("Due")].get_text(" ", strip=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return plans_repo(tmp_path / "plans")


def test_plan_page_shows_last_change_and_history_following_the_rename(repo, tmp_path):
    out = tmp_path / "out"
    build(repo, out)
    soup = page(out, "plans/launch.html")
    assert facts(soup)["Last changed"] == "8 Jul 2024 by Maria Lopez"
    items = [li.get_text(" ", strip=True) for li in soup.select("ol.history li")]
    assert len(items) == 4
    assert items[0].startswith("8 Jul 2024 · Maria Lopez ·")
    assert items[0].endswith("Add the press release; the shop is live")
    assert items[1].startswith("5 Jul 2024 · Tom Becker ·") and "Rename the plan file" in items[1]
    assert items[3].endswith("Plans for July")  # from before the rename
    assert ("history", "History") in [
        (a["href"][1:], a.get_text()) for a in soup.select("nav.on-this-page a")
    ]
    sale = page(out, "plans/sale.html")
    assert [li.get_text(" ", strip=True)[:10] for li in sale.select("ol.history li")] == [
        "8 Jul 2024"
    ]


def test_uncommitted_changes_are_marked(repo, tmp_path):
    plan = repo / "content/shop.md"
    plan.write_text(plan.read_text().replace("Build the shop", "Build the web shop"))
    (repo / "content/draft.md").write_text("---\ntitle: Not yet committed\n---\n")
    build(repo, tmp_path / "out")
    soup = page(tmp_path / "out", "plans/launch.html")
    assert facts(soup)["Last changed"] == "8 Jul 2024 by Maria Lopez; modified, not committed"
    assert "content/shop.md has changes that are not committed yet." in section_text(
        soup, "history"
    )
    fresh = page(tmp_path / "out", "plans/draft.html")
    assert facts(fresh)["Last changed"] == "not committed yet"


def test_history_follows_a_rename_that_is_not_committed_yet(repo):
    git(repo, "mv", "content/shop.md", "content/web-shop.md")
    found = plan_histories(find_repo(repo), "content", ["content/web-shop.md"])
    history = found["content/web-shop.md"]
    assert history.uncommitted
    assert [c.subject for c in history.changes] == [
        "Add the press release; the shop is live",
        "Rename the plan file",
        "Move the build by a week",
        "Plans for July",
    ]
    assert [c.path for c in history.changes][-1] == "content/launch.md"


def test_history_of_a_site_in_a_subfolder(tmp_path):
    top = tmp_path / "repo"
    plans_repo(top / "docs" / "plans", top)
    found = plan_histories(find_repo(top / "docs" / "plans"), "content", ["content/shop.md"])
    assert len(found["content/shop.md"].changes) == 4
    assert found["content/shop.md"].changes[0].path == "docs/plans/content/shop.md"


def test_history_is_capped_at_twenty_commits(repo, tmp_path):
    plan = repo / "content/sale.md"
    for number in range(22):
        plan.write_text(plan.read_text() + f"\nNote {number}.\n")
        commit(repo, f"Note {number}", f"2024-07-09T10:{number:02d}:00+02:00")
    build(repo, tmp_path / "out")
    soup = page(tmp_path / "out", "plans/sale.html")
    assert len(soup.select("ol.history li")) == 20
    assert soup.select_one("ol.history li").get_text(" ", strip=True).endswith("Note 21")
    assert "And 3 older changes" in section_text(soup, "history")


def test_baseline_shows_slips_on_the_right_rows(repo, tmp_path):
    out = tmp_path / "out"
    result = run("build", str(repo), "-o", str(out), "--baseline", "v1")
    assert result.returncode == 0, result.stderr
    soup = page(out, "plans/launch.html")
    assert due_cell(soup, "item-build") == "21 Jul 2024 baseline 14 Jul 2024 : +7 days"
    assert due_cell(soup, "item-test") == "20 Jul 2024"
    assert due_cell(soup, "item-live") == "31 Jul 2024"
    assert due_cell(soup, "item-press") == "5 Aug 2024"
    changes = section_text(soup, "changes")
    assert changes.startswith("Changes since baseline v1 Due dates moved")
    assert "Build the shop (task) : due 21 Jul 2024 , baseline 14 Jul 2024 : +7 days" in changes
    assert "Added Press release (milestone)" in changes
    assert "Removed" not in changes
    milestone = page(out, "milestones/launch/live.html")
    assert "baseline" not in facts(milestone)["Due"]  # the live milestone did not move

    index = page(out, "index.html")
    tiles = {t.dt.get_text(strip=True): t.dd.get_text(strip=True) for t in index.select(".tile")}
    assert tiles["Slipped since v1"] == "1"
    summary = section_text(index, "baseline-heading")
    assert "1 task or milestone is due later than in v1" in summary
    assert "new plans: Summer sale ; removed plans: Old plan." in summary
    assert [li.get_text(" ", strip=True) for li in index.select("#baseline ul.slips li")] == [
        "Build the shop (task, Launch the shop ) : due 21 Jul 2024 , baseline 14 Jul 2024 : +7 days"
    ]
    review = page(out, "review.html")
    assert section_text(review, "baseline-heading").startswith("Slipped since baseline v1")
    assert len(review.select("#baseline ul.slips li")) == 1
    new_plan = page(out, "plans/sale.html")
    assert "This plan is new since baseline v1." in section_text(new_plan, "changes")


def test_baseline_milestone_page_shows_the_slip(repo, tmp_path):
    plan = repo / "content/shop.md"
    plan.write_text(
        plan.read_text().replace("due: 2024-07-31, owner: ann", "due: 2024-08-02, owner: ann")
    )
    build(repo, tmp_path / "out", BuildOptions(baseline="v1"))
    milestone = page(tmp_path / "out", "milestones/launch/live.html")
    assert (
        facts(milestone)["Due"].replace("\xa0", " ") == "2 Aug 2024 baseline 31 Jul 2024 : +2 days"
    )
    soup = page(tmp_path / "out", "plans/launch.html")
    assert due_cell(soup, "item-live") == "2 Aug 2024 baseline 31 Jul 2024 : +2 days"


def test_baseline_from_planpress_yaml_and_removed_items(repo, tmp_path):
    config = repo / "planpress.yaml"
    config.write_text(config.read_text() + "baseline: HEAD\n")
    plan = repo / "content/shop.md"
    text = plan.read_text()
    plan.write_text(
        text.replace("  - {id: test, title: Test the shop", "  - {id: check, title: Check the shop")
    )
    build(repo, tmp_path / "out")
    soup = page(tmp_path / "out", "plans/launch.html")
    changes = section_text(soup, "changes")
    assert "Added Check the shop (task) Removed Test the shop (task)" in changes
    assert soup.select("#changes ~ ul a")[0]["href"] == "#item-check"


def test_a_baseline_that_cannot_be_loaded_is_a_warning(repo, tmp_path):
    result = run("build", str(repo), "-o", str(tmp_path / "out"), "--baseline", "nope")
    assert result.returncode == 0
    assert "--baseline: warning: baseline 'nope' could not be loaded: unknown revision 'nope'" in (
        result.stderr
    )
    assert "fetch-depth: 0" in result.stderr
    strict = run("build", str(repo), "-o", str(tmp_path / "out2"), "--baseline", "nope", "--strict")
    assert strict.returncode == 1 and not (tmp_path / "out2").exists()


def test_a_baseline_with_errors_is_a_warning(repo, tmp_path):
    (repo / "content/sale.md").write_text("---\ntitle: Sale\nbudget: lots\n---\n")
    commit(repo, "Break the sale plan", "2024-07-09T10:00:00+02:00")
    (repo / "content/sale.md").write_text("---\ntitle: Sale\n---\n")
    result = run("build", str(repo), "-o", str(tmp_path / "out"), "--baseline", "HEAD")
    assert result.returncode == 0, result.stderr
    assert "warning: baseline 'HEAD' could not be loaded: 1 problem(s) stop the build" in (
        result.stderr
    )
    assert "hint: at that revision: content/sale.md:3:9: error: budget" in result.stderr


def test_not_a_repository_means_no_history_and_no_change(repo, tmp_path):
    plain = tmp_path / "plain"
    shutil.copytree(repo, plain, ignore=shutil.ignore_patterns(".git"))
    build(plain, tmp_path / "a")
    soup = page(tmp_path / "a", "plans/launch.html")
    assert "Last changed" not in facts(soup)
    assert soup.find(id="history") is None and soup.find(id="changes") is None
    result = run("build", str(plain), "-o", str(tmp_path / "b"), "--baseline", "v1")
    assert result.returncode == 0
    assert "is not inside a git work tree" in result.stderr
    assert files_under(tmp_path / "a") == files_under(tmp_path / "b")


def test_history_false_in_planpress_yaml_turns_it_off(repo, tmp_path):
    config = repo / "planpress.yaml"
    config.write_text(config.read_text() + "history: false\n")
    build(repo, tmp_path / "out")
    soup = page(tmp_path / "out", "plans/launch.html")
    assert "Last changed" not in facts(soup) and soup.find(id="history") is None


def test_without_git_installed_features_are_off(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    build(repo, tmp_path / "out")
    assert "Last changed" not in facts(page(tmp_path / "out", "plans/launch.html"))


def test_every_link_of_the_history_and_baseline_parts_resolves(repo, tmp_path):
    from test_links import is_relative, relative_problem, scan_site

    plan = repo / "content/shop.md"
    plan.write_text(plan.read_text().replace("{id: test, title: Test", "{id: check, title: Check"))
    build(repo, tmp_path / "out", BuildOptions(baseline="v1"))
    scanned = scan_site(tmp_path / "out")
    broken = [
        f"{reference}: {problem}"
        for reference in scanned.references
        if is_relative(reference.url) and (problem := relative_problem(scanned, reference))
    ]
    assert broken == []
    assert any(r.url == "#item-check" for r in scanned.references if r.page == "plans/launch.html")
