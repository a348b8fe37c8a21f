"""The monthly review on a site with more plans in the period than `page_size`: the plans
continue on review.2.html, review.3.html …; the first page keeps all plans' answers, with
its tables of all plans cut to `page_size` rows, the most pressing first."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from gitkit import commit, git
from incremental.inc_kit import RandomSite, assert_same_tree, full_build

from planpress.config import PAGE_SIZE, load_config
from planpress.diagnostics import BuildFailed, Diagnostics
from planpress.pipeline import BuildCache, BuildOptions, build, load_site
from planpress.render.pages import review
from planpress.render.site import RenderInput, render_context

CONFIG = "title: Test plans\ntoday: 2024-08-20\ncurrency: USD\n"

PEOPLE = """
people:
  ann: {name: Ann Lee}
  bob: {name: Bob Stone}
"""


def plan(plan_id: str, *lines: str) -> str:
    head = [f"title: Plan {plan_id}", f"id: {plan_id}", "owner: ann", "start: 2024-01-01"]
    return "---\n" + "\n".join([*head, "end: 2024-12-31", *lines]) + "\n---\n"


# today 2024-08-20: the period is 2024-07-01 .. 2024-09-30. Five plans have something in it
# (p1, p3, p4, p5, p6), two nothing (p2, p7).
PLANS = {
    "p1": plan(
        "p1",
        "tasks:",
        "  - {id: early, title: Early task, responsible: ann, due: 2024-07-05, done: 2024-07-05}",
        "  - {id: late, title: Overdue task, responsible: bob, due: 2024-08-01}",
        "  - {id: soon, title: Soon task, responsible: ann, due: 2024-08-25}",
    ),
    "p2": plan(
        "p2",
        "tasks:",
        "  - {id: old, title: Old, responsible: ann, due: 2023-03-01, done: 2023-03-01}",
    ),
    "p3": plan(
        "p3",
        "tasks:",
        "  - {id: first, title: First task, responsible: ann, due: 2024-07-02, done: 2024-07-02}",
        "  - {id: next, title: September task, responsible: ann, due: 2024-09-01}",
    ),
    "p4": plan(
        "p4",
        "kpis:",
        "  - {id: reached, name: Reached KPI, baseline: 0, target: 100, actuals: {2024-07: 100}}",
        "  - {id: track, name: On track KPI, baseline: 0, target: 100, actuals: {2024-07: 60}}",
        "  - {id: behind, name: Behind KPI, baseline: 0, target: 100, actuals: {2024-07: 10}}",
        "milestones:",
        "  - id: results",
        "    name: Results",
        "    due: 2024-08-05",
        "    done: 2024-08-05",
        "    benefits:",
        "      - {metric: visits, target: 5, actual: 6}",
        "      - {metric: calls, target: 5, actual: 7}",
        "      - {metric: sales, target: 5, actual: 3}",
    ),
    "p5": plan(
        "p5",
        "tasks:",
        "  - {id: done, title: July task, responsible: bob, due: 2024-07-10, done: 2024-07-09}",
        "  - {id: stuck, title: Stuck task, responsible: bob, due: 2024-09-15, status: blocked}",
    ),
    "p6": plan("p6", "reviews:", "  - {date: 2024-08-01, attendees: [ann], notes: Met.}"),
    "p7": plan("p7", "milestones:", "  - {id: later, name: Next year, due: 2025-03-01}"),
}
PAGES = {"review.html": ["p1", "p3"], "review.2.html": ["p4", "p5"], "review.3.html": ["p6"]}


def make_site(root: Path, page_size: int | None = 2, extra: str = "") -> Path:
    config = CONFIG + (f"page_size: {page_size}\n" if page_size else "") + extra
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "planpress.yaml").write_text(config)
    (root / "content/people.yaml").write_text(PEOPLE.lstrip())
    for plan_id, text in PLANS.items():
        (root / f"content/{plan_id}.md").write_text(text)
    return root


def built(tmp_path: Path, name: str = "paged", **options) -> Path:
    root = make_site(tmp_path / name, **options)
    build(root, root / "out", jobs=1)
    return root / "out"


@pytest.fixture(scope="module")
def paged(tmp_path_factory) -> Path:
    return built(tmp_path_factory.mktemp("review"))


@pytest.fixture(scope="module")
def whole(tmp_path_factory) -> Path:
    """The same site on one page."""
    return built(tmp_path_factory.mktemp("review"), page_size=100)


def page(out: Path, path: str = "review.html") -> BeautifulSoup:
    return BeautifulSoup((out / path).read_text(encoding="utf-8"), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def plan_sections(soup: BeautifulSoup) -> list[str]:
    return [s["id"].removeprefix("plan-") for s in soup.select("section.plan-review")]


def rows(soup: BeautifulSoup, part: str) -> list[str]:
    return [text(th) for th in soup.select(f'#all section[aria-labelledby$="-{part}"] tbody th')]


def table_rows(soup: BeautifulSoup, table: str) -> list[str]:
    return [text(th) for th in soup.select(f"#all table.{table} tbody th")]


def notes(soup: BeautifulSoup) -> list[str]:
    return [text(p) for p in soup.select("#all p.capped")]


def review_files(out: Path) -> list[str]:
    found = (p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    return sorted(name for name in found if name.startswith("review"))


def test_the_plans_continue_on_numbered_pages(paged):
    assert review_files(paged) == sorted(PAGES)
    for path, plans in PAGES.items():
        soup = page(paged, path)
        assert plan_sections(soup) == plans, path
        nav = soup.find("nav", attrs={"aria-label": "On this page"})
        hrefs = [a["href"] for a in nav.find_all("a")]
        own = [f"#plan-{plan_id}" for plan_id in plans]
        if path == "review.html":
            assert hrefs == ["#all", *own, "#quiet"]
        else:
            assert hrefs == ["review.html#all", *own]
            assert text(nav.li) == "All plans (page 1)"


def test_plans_with_nothing_in_the_period_are_on_the_first_page(paged):
    quiet = page(paged).select("#quiet p a")
    assert [a["href"] for a in quiet] == ["plans/p2.html", "plans/p7.html"]
    for path in ("review.2.html", "review.3.html"):
        soup = page(paged, path)
        assert soup.select_one("#quiet") is None and soup.select_one("#all") is None
        assert soup.select_one("#baseline") is None


def test_every_page_has_the_heading_period_title_and_pagers(paged):
    first = page(paged)
    for number, path in enumerate(PAGES, start=1):
        soup = page(paged, path)
        assert text(soup.h1) == "Monthly review: July – September 2024"
        assert soup.select_one("p.period") == first.select_one("p.period")
        assert (
            text(soup.title)
            == f"Monthly review: July – September 2024, page {number} of 3 · Test plans"
        )
        pagers = soup.select("nav.pager")
        assert len(pagers) == 2 and pagers[0] == pagers[1]
        current = pagers[0].select_one('a[aria-current="page"]')
        assert text(current) == str(number)
        for link in pagers[0].find_all("a"):
            assert (paged / link["href"]).is_file()
        plans = PAGES[path]
        start = sum(len(p) for p in list(PAGES.values())[: number - 1])
        assert (
            text(pagers[0].p) == f"Plans {start + 1}–{start + len(plans)} of 5, page {number} of 3"
        )
        # the review's link in the site navigation is the current page on each of its pages
        assert soup.select_one('.site-nav a[aria-current="page"]')["href"] == "review.html"
    assert [
        link["href"]
        for link in page(paged, "review.2.html").select("link[rel]")
        if link["rel"] in (["prev"], ["next"])
    ] == ["review.html", "review.3.html"]


def test_all_plans_answers_count_every_plan(paged, whole):
    def answers(soup):
        dl = soup.select_one("#all dl.answers")
        return {text(dt): text(dt.find_next_sibling("dd")) for dt in dl.find_all("dt")}

    assert answers(page(paged)) == answers(page(whole))
    assert (
        answers(page(paged))["Corrections needed?"]
        == "3 items. (1 overdue, 1 blocked, 1 KPI behind)"
    )
    summary = "5 of 7 plans with something in the period; 1 review meeting recorded."
    assert text(page(paged).select_one("#all > p")) == summary
    assert text(page(whole).select_one("#all > p")) == summary


def test_the_tables_of_all_plans_are_cut_the_most_pressing_first(paged, whole):
    soup, full = page(paged), page(whole)
    # due so far: those still open first (by due day otherwise, as on one page)
    assert rows(full, "due") == [
        "First task (task)",
        "Early task (task)",
        "July task (task)",
        "Overdue task (task)",
        "Results (milestone)",
    ]
    assert rows(soup, "due") == ["Overdue task (task)", "First task (task)"]
    assert rows(soup, "coming") == ["Soon task (task)", "September task (task)"]  # soonest first
    assert rows(full, "coming")[:2] == rows(soup, "coming")
    assert rows(soup, "corrections") == ["Overdue task (task)", "Stuck task (task)"]  # KPI last
    assert table_rows(full, "review-benefits") == ["Results"] * 3
    benefits = soup.select("#all table.review-benefits tbody tr")
    assert [text(tr.select("td")[1]) for tr in benefits] == ["sales", "visits"]  # not met first
    assert table_rows(soup, "review-kpis") == ["Behind KPI", "Reached KPI"]  # behind first
    where = "is listed under its plan below and on the next pages."
    assert notes(soup) == [
        f"Showing 2 of 5 items due so far, those still open first: every item {where}",
        f"Showing 2 of 3 items coming up, the soonest first: every item {where}",
        f"Showing 2 of 3 items needing correction, the longest overdue first: every item {where}",
        f"Showing 2 of 3 planned benefits, those not met first: every benefit {where}",
        f"Showing 2 of 3 KPIs, those behind first: every KPI {where}",
    ]
    assert notes(full) == [] and not full.select("nav.pager")
    # the plans' own tables are whole, wherever the plan is
    stuck = page(paged, "review.2.html").select_one("#plan-p4")
    assert len(stuck.select("table.review-kpis tbody tr")) == 3


def test_a_review_that_fits_on_one_page_is_unchanged(tmp_path, whole):
    """More plans than page_size, but only five with something in the period; and a site
    without page_size (100)."""
    fits = built(tmp_path, "fits", page_size=5)
    assert review_files(fits) == ["review.html"]
    assert (fits / "review.html").read_bytes() == (whole / "review.html").read_bytes()
    default = built(tmp_path, "default", page_size=None)
    assert (default / "review.html").read_bytes() == (whole / "review.html").read_bytes()


def test_page_size_defaults_to_one_hundred(tmp_path):
    make_site(tmp_path, page_size=None)
    assert load_config(tmp_path, Diagnostics()).page_size == PAGE_SIZE == 100


def test_pretty_urls(tmp_path):
    out = built(tmp_path, page_size=2, extra="pretty_urls: true\n")
    assert review_files(out) == ["review.2/index.html", "review.3/index.html", "review/index.html"]
    soup = page(out, "review.2/index.html")
    assert plan_sections(soup) == ["p4", "p5"]
    assert soup.find("nav", attrs={"aria-label": "On this page"}).a["href"] == "../review/#all"
    for link in soup.select("nav.pager a"):
        assert (out / "review.2" / link["href"] / "index.html").is_file(), link["href"]
    owner = soup.select_one("#plan-p4 .meta a")
    assert owner["href"] == "../people/ann/"


PERIODS = [(2023, 6, 15), (2024, 5, 15), (2024, 7, 1), (2024, 9, 15), (2025, 4, 1)]


def test_shows_agrees_with_the_plans_review(tmp_path):
    """pages() sorts the plans with Reviewer.shows, without making their rows; the first page
    with the rows themselves: both must find the same plans."""
    make_site(tmp_path / "fixture")
    sites = [tmp_path / "fixture", tmp_path / "example"]
    shutil.copytree(Path(__file__).parents[2] / "content", tmp_path / "example/content")
    shutil.copy(Path(__file__).parents[2] / "planpress.yaml", tmp_path / "example")
    for seed in range(4):
        random_site = RandomSite(tmp_path / f"random{seed}", seed, plans=12)
        for _ in range(10):
            random_site.step()
        sites.append(random_site.root)
    found = {True: 0, False: 0}
    for root in sites:
        try:
            project = load_site(root, BuildOptions())
        except BuildFailed:  # a random site may have errors: it is not built then
            continue
        data = RenderInput(project.config, project.site, project.schedule, project.status)
        ctx = render_context(data, project.theme)
        # the site's period, and others around it, so that more plans are quiet
        periods = [review.period_of(ctx)]
        periods += [review.review_period(date(*day), 0, 0) for day in PERIODS]
        for period in periods:
            reviewer = review.Reviewer(ctx, period)
            for one in ctx.site.plans.values():
                shows = reviewer.shows(one)
                quiet = review.quiet_review(reviewer.plan_review(one))
                assert shows == (not quiet), (root.name, one.id, period)
                found[shows] += 1
    assert found[True] > 50 and found[False] > 15


def test_the_slips_since_the_baseline_are_cut_the_biggest_first(tmp_path):
    root = make_site(tmp_path / "repo", page_size=2)
    git(root, "init", "-q")
    commit(root, "Plans", "2024-07-01T10:00:00+02:00")
    git(root, "tag", "v1")
    moves = {"p1": ("2024-08-25", "2024-09-05"), "p3": ("2024-09-01", "2024-09-20")}
    moves["p5"] = ("2024-09-15", "2024-09-17")
    for plan_id, (before, after) in moves.items():
        path = root / f"content/{plan_id}.md"
        path.write_text(path.read_text().replace(f"due: {before}", f"due: {after}"))
    commit(root, "Slips", "2024-07-02T10:00:00+02:00")
    build(root, root / "out", BuildOptions(baseline="v1"), jobs=1)
    soup = page(root / "out")
    slips = [text(li).split(" (")[0] for li in soup.select("#baseline ul.slips li")]
    assert slips == ["September task", "Soon task"]  # +19 days, +11 days; not +2
    assert text(soup.select_one("#baseline p.capped")) == (
        "Showing the 2 biggest of 3 slips: each plan's page lists its own."
    )


@pytest.mark.parametrize("pretty", [False, True])
def test_an_edit_draws_again_only_the_pages_and_parts_showing_the_plan(
    tmp_path, monkeypatch, pretty
):
    import planpress.render.site as render_site

    def name(path: str) -> str:  # review.2.html -> its file
        return f"{path.removesuffix('.html')}/index.html" if pretty else path

    reviewed: list[str] = []
    drawn: list[str] = []
    plan_review, kept_part = review.Reviewer.plan_review, render_site.kept_part

    def counted_review(self, one):
        reviewed.append(one.id)
        return plan_review(self, one)

    def counted_part(ctx, bucket, depends, extra, make):
        def make_counted():
            drawn.append(depends.ids[0])
            return make()

        return kept_part(ctx, bucket, depends, extra, make_counted)

    monkeypatch.setattr(review.Reviewer, "plan_review", counted_review)
    monkeypatch.setattr(render_site, "kept_part", counted_part)
    site = make_site(tmp_path / "site", extra="pretty_urls: true\n" if pretty else "")
    out, cache = tmp_path / "out", BuildCache(persist=False)

    def edit(plan_id: str, old: str, new: str | None) -> set[str]:
        reviewed.clear()
        drawn.clear()
        path = site / f"content/{plan_id}.md"
        if new is None:
            path.unlink()
        else:
            path.write_text(path.read_text().replace(old, new))
        result = build(site, out, cache=cache, jobs=1)
        shown = list(reviewed), list(drawn)
        full_build(site, tmp_path / "reference")
        assert_same_tree(out, tmp_path / "reference")
        reviewed[:], drawn[:] = shown  # what the full build made does not count
        return {p for p in result.rendered_pages if p.startswith("review")}

    build(site, out, cache=cache, jobs=1)
    # (a first build keeps nothing yet: page 2 and on review their plans again)
    assert set(reviewed) == set(PLANS) and sorted(drawn) == ["p1", "p3", "p4", "p5", "p6"]

    # a title on page 2: that page and the first (all plans), nothing else of the others
    assert edit("p4", "title: Plan p4", "title: Plan four") == {
        name("review.html"),
        name("review.2.html"),
    }
    # once, for the first page (all plans) and the second: a part made for one page of the
    # list serves the other pages of the same build
    assert reviewed == ["p4"] and drawn == ["p4"]
    assert "Plan four" in (out / name("review.2.html")).read_text()

    # a plan gone from page 1: the later plans move up a page, none is reviewed or drawn again
    changed = edit("p1", "", None)
    assert changed == {name("review.html"), name("review.2.html")}
    assert reviewed == [] and drawn == []
    assert plan_sections(page(out, name("review.html"))) == ["p3", "p4"]
    assert plan_sections(page(out, name("review.2.html"))) == ["p5", "p6"]
    assert not (out / name("review.3.html")).exists()

    # a quiet plan with something in the period: it takes its place, the others move down
    changed = edit("p2", "due: 2023-03-01, done: 2023-03-01", "due: 2024-07-03")
    assert changed == {name(p) for p in ("review.html", "review.2.html", "review.3.html")}
    assert reviewed == ["p2"] and drawn == ["p2"]
    assert plan_sections(page(out, name("review.3.html"))) == ["p6"]
