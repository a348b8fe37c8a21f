"""Section and tag pages on pages of page_size plans."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from incremental.inc_kit import assert_same_tree, files_of, full_build
from sitekit import link_target, main_parts, page_soup, write_site

from planpress.pipeline import BuildCache, build


def plan(title: str, tags: str = "") -> str:
    lines = ["---", f"title: {title}", "owner: ann", "start: 2024-06-03"]
    lines += [f"tags: [{tags}]"] if tags else []
    lines += ["tasks:", "  - {title: Do it, responsible: ann, due: week 2}", "---", ""]
    return "\n".join(lines)


PLANS = {  # ids sort as listed; sales also lists the plans of sales/emea
    "content/ops/fig.md": plan("Fig", "Q3"),
    "content/sales/apple.md": plan("Apple", "q3"),
    "content/sales/banana.md": plan("Banana"),
    "content/sales/cherry.md": plan("Cherry", "q3"),
    "content/sales/emea/date.md": plan("Date", "q3"),
    "content/sales/emea/elder.md": plan("Elder"),
}
SALES = {
    "sections/sales.html": ["Apple", "Banana"],
    "sections/sales.2.html": ["Cherry", "Date"],
    "sections/sales.3.html": ["Elder"],
}
Q3 = {"tags/q3.html": ["Fig", "Apple"], "tags/q3.2.html": ["Cherry", "Date"]}


def make_site(root: Path, page_size: int | None = 2, pretty: bool = False) -> Path:
    config = "title: Paged\ntoday: 2024-06-20\n"
    config += f"page_size: {page_size}\n" if page_size else ""
    config += "pretty_urls: true\n" if pretty else ""
    people = "people:\n  ann: {name: Ann Lee}\n"
    return write_site(root, {"planpress.yaml": config, "content/people.yaml": people, **PLANS})


@pytest.fixture
def built(tmp_path: Path) -> Path:
    build(make_site(tmp_path / "site"), tmp_path / "out", jobs=1)
    return tmp_path / "out"


soup = page_soup


def plans(page: BeautifulSoup) -> list[str]:
    return [a.get_text() for a in page.select("table.plans tbody th a")]


parts = main_parts


target = link_target


def assert_links_resolve(out: Path, path: str) -> None:
    for link in soup(out, path).select("main a[href]"):
        assert target(out, path, link["href"]).is_file(), (path, link["href"])


def test_a_section_continues_on_numbered_pages(built):
    assert sorted(p.name for p in (built / "sections").glob("sales*.html")) == sorted(
        Path(path).name for path in SALES
    )
    for path, titles in SALES.items():
        page = soup(built, path)
        assert plans(page) == titles
        assert page.h1.get_text() == "Sales"
        assert [a.get_text() for a in page.select(".breadcrumbs a")] == ["Home"]
        assert parts(page) == [
            "nav.breadcrumbs",
            "p.kind",
            "h1",
            "nav.pager",
            "div.table-scroll",
            "nav.pager",
        ]
        assert_links_resolve(built, path)
    second = soup(built, "sections/sales.2.html")
    assert second.title.get_text() == "Sales, page 2 of 3 · Paged"
    assert second.select_one('link[rel="prev"]')["href"] == "../sections/sales.html"
    assert second.select_one('link[rel="next"]')["href"] == "../sections/sales.3.html"
    pager = second.select_one("nav.pager")
    assert pager["aria-label"] == "Pages of plans"
    assert pager.p.get_text() == "Plans 3–4 of 5, page 2 of 3"
    assert pager.select_one('a[aria-current="page"]').get_text() == "2"


def test_a_nested_section_pages_in_its_own_folder(tmp_path):
    out = tmp_path / "out"
    build(make_site(tmp_path / "site", page_size=1), out, jobs=1)
    assert plans(soup(out, "sections/sales/emea.html")) == ["Date"]
    assert plans(soup(out, "sections/sales/emea.2.html")) == ["Elder"]
    assert not (out / "sections/sales/emea.3.html").exists()
    page = soup(out, "sections/sales/emea.2.html")
    assert [a.get_text() for a in page.select(".breadcrumbs a")] == ["Home", "Sales"]
    assert_links_resolve(out, "sections/sales/emea.2.html")
    assert len(list((out / "sections").glob("sales.*.html"))) == 4  # five plans, one a page


def test_a_tag_continues_on_numbered_pages(built):
    assert sorted(p.name for p in (built / "tags").glob("*.html")) == ["q3.2.html", "q3.html"]
    for path, titles in Q3.items():
        page = soup(built, path)
        assert plans(page) == titles
        assert page.h1.get_text() == "Q3"  # as first written
        assert len(page.select("main nav.pager")) == 2
        assert_links_resolve(built, path)
    assert soup(built, "tags/q3.2.html").title.get_text() == "Q3, page 2 of 2 · Paged"


def test_lists_that_fit_on_one_page_get_the_same_bytes(tmp_path):
    exact, default = tmp_path / "exact", tmp_path / "default"
    build(make_site(tmp_path / "a", page_size=6), exact, jobs=1)  # the longest list has five plans
    build(make_site(tmp_path / "b", page_size=None), default, jobs=1)
    assert files_of(exact) == files_of(default)
    fits = soup(exact, "sections/sales.html")
    assert plans(fits) == [name for names in SALES.values() for name in names]
    assert fits.select("nav.pager") == [] and "page 1" not in fits.title.get_text()


def test_pretty_urls_put_each_page_in_its_own_folder(tmp_path):
    out = tmp_path / "out"
    build(make_site(tmp_path / "site", pretty=True), out, jobs=1)
    for path in ("sections/sales.2/index.html", "tags/q3.2/index.html"):
        assert plans(soup(out, path))
        assert_links_resolve(out, path)
    assert plans(soup(out, "sections/sales/emea/index.html")) == ["Date", "Elder"]


def _drawn(result) -> list[str]:
    return sorted(p for p in result.rendered_pages if p.startswith(("sections/", "tags/")))


def _reference(site: Path, tmp_path: Path) -> Path:
    full_build(site, tmp_path / "reference")
    return tmp_path / "reference"


def test_a_title_redraws_only_the_pages_showing_the_plan(tmp_path):
    site, out, cache = make_site(tmp_path / "site"), tmp_path / "out", BuildCache(persist=False)
    build(site, out, cache=cache, jobs=1)
    path = site / "content/sales/cherry.md"
    path.write_text(path.read_text().replace("title: Cherry", "title: Cherries"))
    assert _drawn(build(site, out, cache=cache, jobs=1)) == [
        "sections/sales.2.html",
        "tags/q3.2.html",
    ]
    assert "Cherries" in (out / "sections/sales.2.html").read_text()
    assert_same_tree(out, _reference(site, tmp_path))


def test_a_deleted_plan_shifts_the_later_pages(tmp_path):
    site, out, cache = make_site(tmp_path / "site"), tmp_path / "out", BuildCache(persist=False)
    build(site, out, cache=cache, jobs=1)
    (site / "content/sales/banana.md").unlink()
    assert _drawn(build(site, out, cache=cache, jobs=1)) == [
        "sections/sales.2.html",
        "sections/sales.html",
    ]
    assert not (out / "sections/sales.3.html").exists()
    assert plans(soup(out, "sections/sales.html")) == ["Apple", "Cherry"]
    assert plans(soup(out, "sections/sales.2.html")) == ["Date", "Elder"]
    assert_same_tree(out, _reference(site, tmp_path))


def test_a_tag_written_anew_redraws_every_page_of_it(tmp_path):
    """The first plan names the tag's page ("Q3"): its other pages show that too."""
    site, out, cache = make_site(tmp_path / "site"), tmp_path / "out", BuildCache(persist=False)
    build(site, out, cache=cache, jobs=1)
    path = site / "content/ops/fig.md"
    path.write_text(path.read_text().replace("tags: [Q3]", "tags: [q3]"))
    drawn = _drawn(build(site, out, cache=cache, jobs=1))
    assert [p for p in drawn if p.startswith("tags/")] == ["tags/q3.2.html", "tags/q3.html"]
    assert soup(out, "tags/q3.2.html").h1.get_text() == "q3"
    assert_same_tree(out, _reference(site, tmp_path))
