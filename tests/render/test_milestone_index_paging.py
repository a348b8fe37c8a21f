"""The milestone index continues on numbered pages of `page_size` milestones.

Ten milestones in five plans, three to a page, in month order (due day, then plan id):

    page 1: g1 (Jun 20, gamma)  e1 (Jun 25, epsilon)  e2 (Jul 2, epsilon)
    page 2: a1 (Jul 5, alpha)   a2 (Jul 20, alpha)    b2 (Aug 1, beta)
    page 3: g2 (Aug 3, gamma)   b3 (Sep 15, beta)     d1 (Sep 20, delta)
    page 4: a3 (no date, alpha)

July runs from page 1 onto page 2 and August from page 2 onto page 3; every category but
legal (a3 alone) has milestones on several pages.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from incremental.inc_kit import assert_same_tree, full_build
from sitekit import write_site

from planpress.pipeline import BuildCache, BuildOptions, build

CONFIG = "title: Test plans\ntoday: 2024-08-20\ncurrency: USD\npage_size: 3\n"
PAGES = [f"milestones/{name}" for name in ("index.html", "index.2.html", "index.3.html")]
PAGES.append("milestones/index.4.html")


def plan(title: str, *milestones: str) -> str:
    lines = ["---", f"title: {title}", "start: 2024-06-01", "milestones:"]
    lines += [f"  - {milestone}" for milestone in milestones]
    return "\n".join([*lines, "---", ""])


PLANS = {
    "content/alpha.md": plan(
        "Alpha plan",
        "{id: a1, name: A one, due: 2024-07-05, category: product, budget: 100, cost: 120}",
        "{id: a2, name: A two, due: 2024-07-20, category: marketing-sales, budget: 200}",
        "{id: a3, name: A three, category: legal, budget: 50, cost: 50}",
    ),
    "content/beta.md": plan(
        "Beta plan",
        "{id: b2, name: B two, due: 2024-08-01, category: other}",
        "{id: b3, name: B three, due: 2024-09-15, category: product, budget: 300, cost: 250}",
    ),
    "content/delta.md": plan(
        "Delta plan", "{id: d1, name: D one, due: 2024-09-20, category: product}"
    ),
    "content/epsilon.md": plan(
        "Epsilon plan",
        "{id: e1, name: E one, due: 2024-06-25, category: product}",
        "{id: e2, name: E two, due: 2024-07-02, category: marketing-sales, budget: 100}",
    ),
    "content/gamma.md": plan(
        "Gamma plan",
        "{id: g1, name: G one, due: 2024-06-20, category: marketing-sales, budget: 400, cost: 400}",
        "{id: g2, name: G two, due: 2024-08-03, category: other, budget: 10, cost: 20}",
    ),
}


def text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def soup_of(out: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((out / path).read_text(encoding="utf-8"), "html.parser")


def write(root: Path, config: str = CONFIG) -> Path:
    return write_site(root, {"planpress.yaml": config, **PLANS})


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write(tmp_path / "site")


@pytest.fixture
def out(site: Path, tmp_path: Path) -> Path:
    build(site, tmp_path / "out")
    return tmp_path / "out"


def names(soup: BeautifulSoup, section: str) -> list[str]:
    found = soup.select_one(f'section[aria-labelledby="{section}"]')
    return [text(th) for th in found.select("tbody th")]


def months(soup: BeautifulSoup) -> list[str]:
    return [text(h) for h in soup.select('section[aria-labelledby="by-month"] h3')]


def footers(soup: BeautifulSoup) -> dict[str, str]:
    """Category -> its table's footer label."""
    section = soup.select_one('section[aria-labelledby="by-category"]')
    return {
        text(table.find_previous("h3")): text(table.select_one("tfoot th"))
        for table in section.select("table")
    }


def test_the_milestones_are_cut_into_pages_in_month_order(out):
    built = sorted(p.relative_to(out).as_posix() for p in (out / "milestones").glob("index*"))
    assert built == sorted(PAGES)
    rows = [names(soup_of(out, path), "by-month") for path in PAGES]
    assert rows == [
        ["G one", "E one", "E two"],
        ["A one", "A two", "B two"],
        ["G two", "B three", "D one"],
        ["A three"],
    ]
    by_category = [sorted(names(soup_of(out, path), "by-category")) for path in PAGES]
    assert by_category == [sorted(page) for page in rows], "each page, by category too"


def test_a_month_split_across_pages_is_marked_continued(out):
    first, second, third, last = (soup_of(out, path) for path in PAGES)
    assert months(first) == ["June 2024", "July 2024"]
    assert months(second) == ["July 2024 (continued)", "August 2024"]
    assert months(third) == ["August 2024 (continued)", "September 2024"]
    assert months(last) == ["No due date"]
    july = second.select_one('section[aria-labelledby="month-2024-07"]')
    assert text(july.caption) == "Milestones due in July 2024, continued from page 1"
    assert july.select_one("h3 time")["datetime"] == "2024-07"
    more = first.select_one('section[aria-labelledby="month-2024-07"] p.continues')
    assert text(more) == "More milestones due in July 2024 on page 2 ."
    assert more.a["href"] == "../milestones/index.2.html"
    assert not first.select_one('section[aria-labelledby="month-2024-06"] p.continues')
    assert not third.select("p.continues"), "September does not go on to page 4"


def test_category_totals_are_of_this_page_unless_the_category_is_whole(out):
    second, last = soup_of(out, PAGES[1]), soup_of(out, PAGES[3])
    assert footers(second) == {
        "Marketing and sales": "Total on this page (1 milestone)",
        "Product": "Total on this page (1 milestone)",
        "Other": "Total on this page (1 milestone)",
    }
    product = second.select_one('section[aria-labelledby="category-product"] tfoot')
    assert [text(td) for td in product.select("td")][:3] == ["100 USD", "120 USD", "+20"]
    assert footers(last) == {"legal": "Total (1 milestone)"}
    note = second.select_one('section[aria-labelledby="by-category"] > p')
    assert "“Total on this page” counts only this page's milestones" in text(note)
    assert note.a["href"] == "../milestones/index.html#totals"


def test_page_one_keeps_the_totals_of_every_milestone(out):
    first = soup_of(out, PAGES[0])
    intro = first.select_one("main p")
    assert text(intro).startswith("10 milestones in 5 plans.")
    summary = first.select_one("table.totals")
    assert "for the milestones of all 4 pages" in text(summary.caption)
    rows = [[text(c) for c in tr.select("th, td")] for tr in summary.select("tr")[1:]]
    assert rows == [
        ["Marketing and sales", "3", "700 USD", "400 USD", "0"],
        ["Product", "4", "400 USD", "370 USD", "-30"],
        ["legal", "1", "50 USD", "50 USD", "0"],
        ["Other", "2", "10 USD", "20 USD", "+10"],
        ["All milestones", "10", "1,160 USD", "840 USD", "-20"],
    ]
    assert not summary.select("tbody a"), "page 1 shows only part of each category"
    assert [a["href"] for a in first.select('nav[aria-label="On this page"] a')][-1] == "#totals"
    for path in PAGES[1:]:
        soup = soup_of(out, path)
        assert not soup.select("table.totals") and not soup.find(id="totals")
        assert "#totals" not in [a["href"] for a in soup.select('nav[aria-label="On this page"] a')]
        assert "milestones in" not in text(soup.select_one("main p"))


def test_titles_pagers_and_navigation(out):
    for number, path in enumerate(PAGES, start=1):
        soup = soup_of(out, path)
        assert soup.title.string == f"Milestones, page {number} of 4 · Test plans"
        pagers = soup.select('nav.pager[aria-label="Pages of milestones"]')
        assert len(pagers) == 2, "above and below the list"
        current = pagers[0].select_one('a[aria-current="page"]')
        assert text(current) == str(number)
        site_nav = soup.select_one('nav[aria-label="Site"] a[aria-current="page"]')
        assert text(site_nav) == "Milestones"
    second = soup_of(out, PAGES[1])
    assert text(second.select_one("nav.pager p")) == "Milestones 4–6 of 10, page 2 of 4"
    assert second.select_one('link[rel="prev"]')["href"] == "../milestones/index.html"
    assert second.select_one('link[rel="next"]')["href"] == "../milestones/index.3.html"
    row = second.select_one('section[aria-labelledby="month-2024-07"] tbody tr')
    assert [a["href"] for a in row.select("a")] == [
        "../milestones/alpha/a1.html",
        "../plans/alpha.html",
    ]


def test_a_milestone_page_links_to_the_first_page(out):
    soup = soup_of(out, "milestones/beta/b3.html")
    crumbs = soup.select('nav[aria-label="Breadcrumb"] a')
    assert [a["href"] for a in crumbs][:2] == ["../../index.html", "../../milestones/index.html"]


def test_an_index_that_fits_on_one_page_is_unchanged(site, tmp_path):
    exact = write(tmp_path / "exact", CONFIG.replace("page_size: 3", "page_size: 10"))
    default = write(tmp_path / "default", CONFIG.replace("page_size: 3\n", ""))
    build(exact, tmp_path / "exact-out")
    build(default, tmp_path / "default-out")
    page = (tmp_path / "exact-out" / PAGES[0]).read_bytes()
    assert page == (tmp_path / "default-out" / PAGES[0]).read_bytes()
    assert not (tmp_path / "exact-out" / PAGES[1]).exists()
    soup = BeautifulSoup(page, "html.parser")
    assert not soup.select("nav.pager") and not soup.select("p.continues")
    assert soup.title.string == "Milestones · Test plans"
    assert list(footers(soup).values()) == [
        "Total (3 milestones)",
        "Total (4 milestones)",
        "Total (1 milestone)",
        "Total (2 milestones)",
    ]
    links = [a["href"] for a in soup.select("table.totals tbody a")]
    assert links == [
        "#category-marketing-sales",
        "#category-product",
        "#category-legal",
        "#category-other",
    ]


# --- pretty URLs: page 2 is milestones/index.2/index.html, one folder deeper ---------------


def resolve(root: Path, page: str, href: str) -> tuple[Path, str]:
    """The file a relative link from `page` (a file under root) names, and its fragment."""
    parts = urlsplit(href)
    target = page
    if parts.path:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
    file = root / target
    return (file / "index.html" if file.is_dir() else file), parts.fragment


def test_with_pretty_urls_every_link_on_a_paged_page_resolves(tmp_path):
    root = write(tmp_path / "site", CONFIG + "pretty_urls: true\n")
    out = tmp_path / "out"
    build(root, out)
    files = ["milestones/index.html"] + [f"milestones/index.{n}/index.html" for n in (2, 3, 4)]
    assert all((out / file).is_file() for file in files)
    assert not (out / "milestones/index.2.html").exists()
    for page in files:
        soup = soup_of(out, page)
        links = [a["href"] for a in soup.select("a[href], link[href]")]
        links += [s["src"] for s in soup.select("script[src]")]
        assert len(links) > 20
        for href in links:
            if urlsplit(href).scheme:
                continue
            file, fragment = resolve(out, page, href)
            assert file.is_file(), f"{page}: {href} names no file"
            if fragment and file.suffix == ".html":
                assert soup_of(out, file.relative_to(out).as_posix()).find(id=fragment), href
    second = soup_of(out, files[1])
    row = second.select_one('section[aria-labelledby="month-2024-07"] tbody tr')
    assert row.select_one("a")["href"] == "../../milestones/alpha/a1/"
    assert second.select_one('link[rel="prev"]')["href"] == "../../milestones/"
    assert second.select_one('link[rel="next"]')["href"] == "../../milestones/index.3/"


# --- incremental builds --------------------------------------------------------------------


def index_pages_drawn(result) -> set[str]:
    return {path for path in result.rendered_pages if path.startswith("milestones/index")}


def edit(site: Path, name: str, old: str, new: str) -> None:
    path = site / "content" / name
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new))


def reference(site: Path, tmp_path: Path) -> Path:
    full_build(site, tmp_path / "reference")
    return tmp_path / "reference"


def test_a_title_edit_redraws_page_one_and_the_pages_showing_the_plan(site, tmp_path):
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(site, out, cache=cache, jobs=1)
    edit(site, "delta.md", "Delta plan", "Delta renamed")
    result = build(site, out, cache=cache, jobs=1)
    assert index_pages_drawn(result) == {PAGES[0], PAGES[2]}
    assert "Delta renamed" in (out / PAGES[2]).read_text()
    edit(site, "gamma.md", "Gamma plan", "Gamma renamed")
    result = build(site, out, cache=cache, jobs=1)
    assert index_pages_drawn(result) == {PAGES[0], PAGES[2]}, "gamma is on pages 1 and 3"
    assert_same_tree(out, reference(site, tmp_path))


def test_a_page_is_redrawn_when_what_it_shows_of_its_neighbours_changes(site, tmp_path):
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(site, out, cache=cache, jobs=1)
    # e2 (epsilon, page 1 only) moves to June: July no longer continues onto page 2
    edit(site, "epsilon.md", "due: 2024-07-02", "due: 2024-06-30")
    result = build(site, out, cache=cache, jobs=1)
    assert PAGES[1] in index_pages_drawn(result)
    assert months(soup_of(out, PAGES[1]))[0] == "July 2024"
    assert_same_tree(out, reference(site, tmp_path))
    # e1 (epsilon, page 1) becomes legal: a3's category is no longer all on page 4
    edit(site, "epsilon.md", "category: product", "category: legal")
    result = build(site, out, cache=cache, jobs=1)
    assert PAGES[3] in index_pages_drawn(result)
    assert footers(soup_of(out, PAGES[3])) == {"legal": "Total on this page (1 milestone)"}
    assert_same_tree(out, reference(site, tmp_path))


def test_a_deleted_plan_shifts_the_later_pages(site, tmp_path):
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(site, out, cache=cache, jobs=1)
    (site / "content/beta.md").unlink()
    build(site, out, cache=cache, jobs=1)
    rows = [names(soup_of(out, path), "by-month") for path in PAGES[:3]]
    assert rows == [["G one", "E one", "E two"], ["A one", "A two", "G two"], ["D one", "A three"]]
    assert not (out / PAGES[3]).exists()
    assert_same_tree(out, reference(site, tmp_path))
    (site / "content/gamma.md").unlink()
    build(site, out, cache=cache, jobs=1)
    assert_same_tree(out, reference(site, tmp_path))


def test_an_audience_build_pages_only_what_it_shows(site, tmp_path):
    # one plan fewer than the site has: the pages are cut from the visible milestones
    edit(site, "alpha.md", "title: Alpha plan", "title: Alpha plan\nstatus: draft")
    build(site, tmp_path / "out", BuildOptions())
    rows = [names(soup_of(tmp_path / "out", path), "by-month") for path in PAGES[:3]]
    assert rows == [["G one", "E one", "E two"], ["B two", "G two", "B three"], ["D one"]]
