"""The roadmap of a portfolio larger than page_size: numbered pages on one time axis."""

from __future__ import annotations

import posixpath
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from incremental.inc_kit import assert_same_tree, full_build

from planpress.pipeline import BuildCache, build

CONFIG = "title: Portfolio\ntoday: 2024-08-01\npage_size: 3\n"
PEOPLE = "people:\n  ann: {name: Ann Lee}\n"


def plan(title: str, department: str, start: str, end: str, milestone: str = "") -> str:
    lines = ["---", f"title: {title}", "owner: ann", f"department: {department}"]
    lines += [f"start: {start}", f"end: {end}"]
    if milestone:
        lines += ["milestones:", f"  - {{id: m, name: {title} ready, due: {milestone}}}"]
    return "\n".join([*lines, "---", ""])


# by section: eng (e1-e4), ops (o1, o2), sales (s1, s2); with page_size 3 the pages are
# [e1 e2 e3] [e4 o1 o2] [s1 s2]. s2 ends last, e1 starts first: the portfolio's span.
PLANS = {
    "content/eng/e1.md": plan("Engine one", "Finance", "2024-01-08", "2024-03-29", "2024-02-15"),
    "content/eng/e2.md": plan("Engine two", "Product", "2024-02-01", "2024-04-30"),
    "content/eng/e3.md": plan("Engine three", "Product", "2024-03-01", "2024-05-31"),
    "content/eng/e4.md": plan("Engine four", "Product", "2024-04-01", "2024-06-28"),
    "content/ops/o1.md": plan("Ops one", "Finance", "2024-05-01", "2024-07-31", "2024-06-14"),
    "content/ops/o2.md": plan("Ops two", "Product", "2024-06-03", "2024-08-30"),
    "content/sales/s1.md": plan("Sales one", "Finance", "2024-07-01", "2024-09-30"),
    "content/sales/s2.md": plan("Sales two", "Legal", "2024-09-02", "2025-06-30"),
}
PAGES = ["roadmap.html", "roadmap.2.html", "roadmap.3.html"]
ON_PAGE = [
    ["Engine one", "Engine two", "Engine three"],
    ["Engine four", "Ops one", "Ops two"],
    ["Sales one", "Sales two"],
]


@pytest.fixture
def paged(site) -> Path:
    return site({"planpress.yaml": CONFIG, "content/people.yaml": PEOPLE, **PLANS})


@pytest.fixture
def built(paged: Path) -> Path:
    build(paged, paged / "out", jobs=1)
    return paged / "out"


def soup(out: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((out / path).read_text(encoding="utf-8"), "html.parser")


def view(page: BeautifulSoup, anchor: str):
    return page.find("h2", id=anchor).parent


def lanes(page: BeautifulSoup, anchor: str) -> list[str]:
    """The plans in a view's table, in order (milestone rows start with a diamond)."""
    rows = view(page, anchor).select("table tbody th")
    return [th.get_text() for th in rows if not th.get_text().startswith("◆")]


def group_titles(page: BeautifulSoup, anchor: str) -> tuple[list[str], list[str]]:
    """A view's group titles as the chart draws them, and as its table lists them."""
    section = view(page, anchor)
    drawn = [t.get_text() for t in section.select("svg text.group-title")]
    listed = list(dict.fromkeys(tr.td.get_text() for tr in section.select("table tbody tr")))
    return drawn, listed


def test_plans_are_cut_into_pages_in_the_order_of_the_view_by_section(built):
    assert sorted(p.name for p in built.glob("roadmap*.html")) == sorted(PAGES)
    for number, (path, plans) in enumerate(zip(PAGES, ON_PAGE, strict=True), start=1):
        page = soup(built, path)
        assert lanes(page, "by-section") == plans
        assert sorted(lanes(page, "by-department")) == sorted(plans)  # the same plans
        assert page.title.get_text().startswith(f"Roadmap, page {number} of 3 · ")
        first, last = 3 * number - 2, 3 * number - 2 + len(plans) - 1
        assert f"This page shows plans {first}–{last} of 8" in page.main.get_text()
        titles = [svg.title.get_text() for svg in page.select("figure svg")]
        assert titles == [
            f"Roadmap of plans {first}–{last} of 8, by section",
            f"Roadmap of plans {first}–{last} of 8, by department",
        ]


def test_the_department_view_groups_the_plans_of_its_page(built):
    page = soup(built, "roadmap.3.html")
    rows = view(page, "by-department").select("table tbody tr")
    assert [(tr.td.get_text(), tr.th.get_text()) for tr in rows] == [
        ("Finance (continued)", "Sales one"),
        ("Legal", "Sales two"),
    ]


def test_a_pager_above_and_below_the_charts_links_every_page(built):
    for path in PAGES:
        page = soup(built, path)
        pagers = page.select("nav.pager")
        assert len(pagers) == 2
        sections = page.select("main section")
        assert pagers[0].find_next("section") is sections[0]  # above the charts
        assert pagers[1].find_previous("section") is sections[-1]  # and after them
        for link in pagers[0].select("a"):
            assert (built / posixpath.normpath(link["href"])).is_file()
        current = pagers[0].select_one('a[aria-current="page"]')
        assert current["href"] == path
    assert soup(built, "roadmap.2.html").select_one('link[rel="prev"]')["href"] == "roadmap.html"


def test_every_page_draws_the_whole_portfolio_on_one_axis(built, paged):
    def axis(page: BeautifulSoup) -> list[tuple[str, str]]:
        """Each chart's description (its range) and tick labels, with their positions."""
        found = []
        for svg in page.select("figure svg"):
            ticks = [(t.get("x"), t.get_text()) for t in svg.select("g.axis text")]
            found.append((svg.desc.get_text().split(", from ")[1], ticks))
        return found

    shown = [axis(soup(built, path)) for path in PAGES]
    assert shown[0] == shown[1] == shown[2]
    assert shown[0][0][0].startswith("1 Jan 2024 to 30 Jun 2025.")
    assert shown[0][0][1], "the axis has tick labels"
    # the axis the roadmap has when it fits on one page
    (paged / "planpress.yaml").write_text(CONFIG.replace("page_size: 3", "page_size: 8"))
    build(paged, paged / "one", jobs=1)
    assert axis(soup(paged / "one", "roadmap.html"))[0] == shown[0][0]


def test_a_group_cut_by_a_page_break_is_titled_again_as_continued(built):
    first, second = soup(built, "roadmap.html"), soup(built, "roadmap.2.html")
    assert group_titles(first, "by-section") == (["eng"], ["eng"])
    assert group_titles(second, "by-section") == (["eng (continued)", "ops"],) * 2
    departments = ["Finance (continued)", "Product (continued)"]
    assert group_titles(second, "by-department") == (departments, departments)
    assert group_titles(first, "by-department") == (["Finance", "Product"],) * 2


def test_the_charts_stay_accessible_on_every_page(built):
    for path in PAGES:
        page = soup(built, path)
        ids = [el["id"] for el in page.find_all(id=True)]
        assert len(ids) == len(set(ids)), "ids are unique on the page"
        for svg in page.select("figure svg"):
            assert svg["role"] == "group"
            assert page.find(id=svg["aria-labelledby"]).name == "title"
            assert page.find(id=svg["aria-describedby"]).name == "desc"
            items = svg.select(".item")
            assert items and all(item.find("title") for item in items)
        headings = [h.name for h in page.find_all(["h1", "h2", "h3"])]
        assert headings[0] == "h1" and set(headings[1:]) == {"h2"}


def test_a_page_of_undated_plans_still_draws_the_shared_axis(site):
    dated = {name: text for name, text in PLANS.items() if "/sales/" not in name}
    undated = "---\ntitle: Someday\nowner: ann\n---\n"
    files = {"planpress.yaml": CONFIG, "content/people.yaml": PEOPLE, **dated}
    root = site({**files, "content/zoo/z1.md": undated})
    build(root, root / "out", jobs=1)
    first, last = soup(root / "out", "roadmap.html"), soup(root / "out", "roadmap.3.html")
    assert lanes(last, "by-section") == ["Someday"]
    chart = last.select_one("figure svg")
    assert chart is not None and "No plan has dates yet." not in last.get_text()
    assert "no date" in [t.get_text() for t in chart.select("text.note")]
    span = chart.desc.get_text().split(", from ")[1]
    assert span == first.select_one("figure svg desc").get_text().split(", from ")[1]


def test_a_roadmap_that_fits_on_one_page_has_no_pager(site):
    root = site({"planpress.yaml": CONFIG.replace("3", "8"), "content/people.yaml": PEOPLE})
    for name, text in PLANS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    build(root, root / "out", jobs=1)
    assert [p.name for p in (root / "out").glob("roadmap*.html")] == ["roadmap.html"]
    page = soup(root / "out", "roadmap.html")
    assert not page.select("nav.pager") and not page.select('link[rel="next"]')
    assert "This page shows" not in page.get_text() and "(continued)" not in page.get_text()
    assert [svg.title.get_text() for svg in page.select("figure svg")] == [
        "Roadmap of all plans"
    ] * 2
    assert page.title.get_text() == "Roadmap · Portfolio"
    assert lanes(page, "by-section") == [p for plans in ON_PAGE for p in plans]


def test_links_resolve_from_every_page_with_pretty_urls(site):
    config = CONFIG + "pretty_urls: true\n"
    root = site({"planpress.yaml": config, "content/people.yaml": PEOPLE, **PLANS})
    out = root / "out"
    build(root, out, jobs=1)
    for path in ("roadmap/index.html", "roadmap.2/index.html", "roadmap.3/index.html"):
        page = soup(out, path)
        links = [a["href"] for a in page.select("nav.pager a, figure svg a")]
        assert any("plans/" in href for href in links)
        for href in links:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), href))
            target = target.split("#")[0]
            assert (out / target).is_file() or (out / target / "index.html").is_file(), href


def _redrawn(result) -> list[str]:
    return sorted(p for p in result.rendered_pages if p.startswith("roadmap"))


def test_a_title_edit_redraws_only_the_roadmap_page_showing_the_plan(paged, tmp_path):
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(paged, out, cache=cache, jobs=1)
    path = paged / "content/ops/o1.md"
    path.write_text(path.read_text().replace("Ops one", "Ops first"))
    assert _redrawn(build(paged, out, cache=cache, jobs=1)) == ["roadmap.2.html"]
    assert lanes(soup(out, "roadmap.2.html"), "by-section") == [
        "Engine four",
        "Ops first",
        "Ops two",
    ]
    assert_same_tree(out, _reference(paged, tmp_path))


def test_a_plan_that_moves_the_span_redraws_every_page(paged, tmp_path):
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(paged, out, cache=cache, jobs=1)
    path = paged / "content/sales/s2.md"
    path.write_text(path.read_text().replace("2025-06-30", "2026-03-31"))
    assert _redrawn(build(paged, out, cache=cache, jobs=1)) == sorted(PAGES)
    assert_same_tree(out, _reference(paged, tmp_path))


def test_a_group_that_stops_continuing_redraws_the_page_it_starts_on(paged, tmp_path):
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(paged, out, cache=cache, jobs=1)
    path = paged / "content/eng/e1.md"  # page 1's only Finance plan: Finance begins on page 2
    path.write_text(path.read_text().replace("Finance", "Research"))
    assert _redrawn(build(paged, out, cache=cache, jobs=1)) == ["roadmap.2.html", "roadmap.html"]
    assert group_titles(soup(out, "roadmap.2.html"), "by-department")[0] == [
        "Finance",
        "Product (continued)",
    ]
    assert_same_tree(out, _reference(paged, tmp_path))


def test_a_deleted_plan_shifts_the_later_pages(paged, tmp_path):
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(paged, out, cache=cache, jobs=1)
    (paged / "content/eng/e2.md").unlink()
    result = build(paged, out, cache=cache, jobs=1)
    assert _redrawn(result) == sorted(PAGES)
    assert lanes(soup(out, "roadmap.2.html"), "by-section") == ["Ops one", "Ops two", "Sales one"]
    assert lanes(soup(out, "roadmap.3.html"), "by-section") == ["Sales two"]
    assert_same_tree(out, _reference(paged, tmp_path))
    (paged / "content/eng/e3.md").unlink()
    build(paged, out, cache=cache, jobs=1)
    assert sorted(p.name for p in out.glob("roadmap*.html")) == ["roadmap.2.html", "roadmap.html"]
    assert_same_tree(out, _reference(paged, tmp_path))


def _reference(site: Path, tmp_path: Path) -> Path:
    reference = tmp_path / "reference"
    full_build(site, reference)
    return reference


def test_a_group_moved_to_another_page_keeps_its_lane(paged, tmp_path, monkeypatch):
    """A deleted plan shifts the later pages; a group drawn the same on its new page is not
    drawn again (its lane is kept by watch, whichever page it was on)."""
    from planpress.render.pages import roadmap

    made: list[tuple[str, ...]] = []
    real = roadmap.kept_part

    def counted(ctx, bucket, depends, extra, make):
        def counted_make():
            made.append((extra.rsplit("\n", 1)[1], *depends.ids))
            return make()

        return real(ctx, bucket, depends, extra, counted_make)

    monkeypatch.setattr(roadmap, "kept_part", counted)
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(paged, out, cache=cache, jobs=1)
    ops = ("ops", "ops/o1", "ops/o2")
    assert ops in made  # page 2 by section: [eng (continued): e4] [ops: o1 o2]
    made.clear()
    (paged / "content/eng/e2.md").unlink()
    build(paged, out, cache=cache, jobs=1)  # page 2 is now [ops: o1 o2] [sales: s1]
    assert ops not in made
    assert ("sales", "sales/s1") in made and ("eng", "eng/e1", "eng/e3", "eng/e4") in made
    assert lanes(soup(out, "roadmap.2.html"), "by-section") == ["Ops one", "Ops two", "Sales one"]
    assert_same_tree(out, _reference(paged, tmp_path))
