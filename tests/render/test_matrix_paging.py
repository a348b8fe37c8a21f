"""The site-wide responsibility matrix on pages of page_size people and teams."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from incremental.inc_kit import assert_same_tree, files_of, full_build
from sitekit import link_target, main_parts, page_soup, write_site

from planpress.pipeline import BuildCache, build
from planpress.render.pages import matrix

PEOPLE = """
people:
  ann: {name: Ann Lee}
  bob: {name: Bob Stone}
  cy: {name: Cy Park}
  dee: {name: Dee Ray}
  eve: {name: Eve Fox}
teams:
  core: {name: Core Team}
"""


def plan(title: str, *tasks: str) -> str:
    lines = ["---", f"title: {title}", "start: 2024-06-03", "tasks:"]
    lines += [f"  - {{title: Task {n}, {roles}, due: week 2}}" for n, roles in enumerate(tasks)]
    return "\n".join([*lines, "---", ""])


PLANS = {
    "content/alpha.md": plan("Alpha", "responsible: ann, accountable: bob"),
    "content/beta.md": plan("Beta", "responsible: core, consulted: [cy]"),
    "content/gamma.md": plan("Gamma", "responsible: dee"),
    "content/solo.md": plan("Solo", "responsible: eve"),
}
# by name: Ann Lee, Bob Stone, Core Team, Cy Park, Dee Ray, Eve Fox; two a page
PAGES = {
    "responsibilities.html": ["Ann Lee", "Bob Stone"],
    "responsibilities.2.html": ["Core Team", "Cy Park"],
    "responsibilities.3.html": ["Dee Ray", "Eve Fox"],
}


def make_site(root: Path, page_size: int | None = 2, pretty: bool = False) -> Path:
    config = "title: Paged\ntoday: 2024-06-20\n"
    config += f"page_size: {page_size}\n" if page_size else ""
    config += "pretty_urls: true\n" if pretty else ""
    return write_site(root, {"planpress.yaml": config, "content/people.yaml": PEOPLE, **PLANS})


@pytest.fixture
def built(tmp_path: Path) -> Path:
    build(make_site(tmp_path / "site"), tmp_path / "out", jobs=1)
    return tmp_path / "out"


soup = page_soup


def rows(page: BeautifulSoup) -> list[str]:
    """The parties a page lists, as a table or as a list."""
    return [cell.get_text(strip=True) for cell in page.select("tbody th, dl.matrix-list dt")]


parts = main_parts


target = link_target


def test_rows_continue_on_numbered_pages_of_page_size(built):
    assert sorted(p.name for p in built.glob("responsibilities*")) == sorted(PAGES)
    for path, names in PAGES.items():
        page = soup(built, path)
        assert rows(page) == names
        columns = [th.get_text(strip=True) for th in page.select("thead th")[1:]]
        assert columns == ["Alpha", "Beta", "Gamma", "Solo"], "every page is the same table"
    second = soup(built, "responsibilities.2.html")
    assert second.title.get_text() == "Responsibilities, page 2 of 3 · Paged"
    assert second.select_one('link[rel="prev"]')["href"] == "responsibilities.html"
    assert second.select_one('link[rel="next"]')["href"] == "responsibilities.3.html"
    current = second.select_one('.site-nav a[aria-current="page"]')
    assert current.get_text() == "Responsibilities"


def test_the_pager_is_above_and_below_the_table_and_its_links_resolve(built):
    for path in PAGES:
        page = soup(built, path)
        assert parts(page) == ["h1", "p.meta", "nav.pager", "div.table-scroll", "nav.pager"]
        for pager in page.select("main nav.pager"):
            assert pager["aria-label"] == "Pages of people and teams"
            assert pager.select_one('a[aria-current="page"]')["href"].endswith(path)
            assert all(target(built, path, a["href"]).is_file() for a in pager.select("a"))
    meta = soup(built, "responsibilities.3.html").select_one("nav.pager p").get_text()
    assert meta == "People and teams 5–6 of 6, page 3 of 3"


def test_every_link_of_a_later_page_resolves(built):
    page = soup(built, "responsibilities.3.html")
    links = page.select("main table a")
    assert links
    for link in links:
        href = link["href"]
        assert target(built, "responsibilities.3.html", href).is_file(), href
    cell = page.select_one('tbody a[href^="people/eve.html#"]')
    assert cell["href"] == "people/eve.html#plan-solo"
    assert soup(built, "people/eve.html").find(id="plan-solo") is not None


def test_the_list_form_is_decided_for_the_whole_site(tmp_path, monkeypatch):
    """6 parties x 4 plans is over the limit; one page's 2 x 4 would not be."""
    monkeypatch.setattr(matrix, "MATRIX_CELLS", 10)
    out = tmp_path / "out"
    build(make_site(tmp_path / "site"), out, jobs=1)
    for path, names in PAGES.items():
        page = soup(out, path)
        assert page.select_one("table.matrix") is None
        assert rows(page) == names
        assert parts(page) == ["h1", "p.meta", "nav.pager", "dl.matrix-list", "nav.pager"]
    eve = soup(out, "responsibilities.3.html").select("dl.matrix-list dd")[-1].select("li")
    assert [li.get_text(" ", strip=True) for li in eve] == ["Solo : 1R"]


def test_no_table_is_wider_than_matrix_plans_and_no_entry_longer(tmp_path, monkeypatch):
    """4 plans are more than 3: a list, in which Ann's entry names 3 plans and links on."""
    monkeypatch.setattr(matrix, "MATRIX_PLANS", 3)
    files = {"content/people.yaml": PEOPLE, "planpress.yaml": "title: Wide\ntoday: 2024-06-20\n"}
    files |= {f"content/p{n}.md": plan(f"Plan {n}", "responsible: ann") for n in range(4)}
    out = tmp_path / "out"
    build(write_site(tmp_path / "site", files), out, jobs=1)
    page = soup(out, "responsibilities.html")
    assert page.select_one("table.matrix") is None
    items = page.select("dl.matrix-list dd li")
    assert [li.get_text(" ", strip=True) for li in items[:3]] == [
        f"Plan {n} : 1R" for n in range(3)
    ]
    assert items[3].get_text(" ", strip=True) == "and 1 more plan: see all their work"
    assert target(out, "responsibilities.html", items[3].a["href"]) == out / "people/ann.html"


def test_a_site_that_fits_on_one_page_gets_the_same_bytes(tmp_path):
    exact, default = tmp_path / "exact", tmp_path / "default"
    build(make_site(tmp_path / "a", page_size=6), exact, jobs=1)  # six parties: one page
    build(make_site(tmp_path / "b", page_size=None), default, jobs=1)
    assert not (exact / "responsibilities.2.html").exists()
    assert soup(exact, "responsibilities.html").select("nav.pager") == []
    assert rows(soup(exact, "responsibilities.html")) == [
        name for names in PAGES.values() for name in names
    ]
    assert (exact / "responsibilities.html").read_bytes() == (
        default / "responsibilities.html"
    ).read_bytes()


def test_pretty_urls_put_each_page_in_its_own_folder(tmp_path):
    out = tmp_path / "out"
    build(make_site(tmp_path / "site", pretty=True), out, jobs=1)
    path = "responsibilities.2/index.html"
    page = soup(out, path)
    assert rows(page) == PAGES["responsibilities.2.html"]
    for link in page.select("main a"):
        assert target(out, path, link["href"]).is_file(), link["href"]


def test_nothing_links_into_a_page_of_the_matrix(built):
    """Rows move between pages: no page may point at one by its anchor."""
    for name, data in files_of(built).items():
        if name.endswith(".html"):
            hrefs = [a["href"] for a in BeautifulSoup(data, "html.parser").select("a[href]")]
            assert not [h for h in hrefs if "responsibilities" in h and "#" in h], name


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _drawn(result) -> list[str]:
    return sorted(p for p in result.rendered_pages if p.startswith("responsibilities"))


def _reference(site: Path, tmp_path: Path) -> Path:
    full_build(site, tmp_path / "reference")
    return tmp_path / "reference"


def test_new_work_for_one_person_redraws_only_their_page(tmp_path):
    site, out, cache = make_site(tmp_path / "site"), tmp_path / "out", BuildCache(persist=False)
    build(site, out, cache=cache, jobs=1)
    _edit(site / "content/solo.md", "tasks:\n", "tasks:\n  - {title: More, responsible: eve}\n")
    assert _drawn(build(site, out, cache=cache, jobs=1)) == ["responsibilities.3.html"]
    assert "2R" in (out / "responsibilities.3.html").read_text()
    assert_same_tree(out, _reference(site, tmp_path))


def test_a_title_redraws_every_page_of_the_table(tmp_path):
    site, out, cache = make_site(tmp_path / "site"), tmp_path / "out", BuildCache(persist=False)
    build(site, out, cache=cache, jobs=1)
    _edit(site / "content/solo.md", "title: Solo", "title: Alone")
    assert _drawn(build(site, out, cache=cache, jobs=1)) == sorted(PAGES)  # a column heading
    assert "Alone" in (out / "responsibilities.html").read_text()
    assert_same_tree(out, _reference(site, tmp_path))


def test_a_title_redraws_only_the_page_of_the_list_that_shows_it(tmp_path, monkeypatch):
    monkeypatch.setattr(matrix, "MATRIX_CELLS", 10)
    site, out, cache = make_site(tmp_path / "site"), tmp_path / "out", BuildCache(persist=False)
    build(site, out, cache=cache, jobs=1)
    _edit(site / "content/solo.md", "title: Solo", "title: Alone")
    assert _drawn(build(site, out, cache=cache, jobs=1)) == ["responsibilities.3.html"]
    assert "Alone" in (out / "responsibilities.3.html").read_text()
    assert_same_tree(out, _reference(site, tmp_path))


def test_a_deleted_plan_shifts_the_later_pages_and_rows_keep_their_parts(tmp_path, monkeypatch):
    monkeypatch.setattr(matrix, "MATRIX_CELLS", 10)
    made: list[str] = []
    original = matrix._list_row

    def counted(ctx, cells, key, *args, **kwargs):
        made.append(key)
        return original(ctx, cells, key, *args, **kwargs)

    monkeypatch.setattr(matrix, "_list_row", counted)
    site, out, cache = make_site(tmp_path / "site"), tmp_path / "out", BuildCache(persist=False)
    build(site, out, cache=cache, jobs=1)
    assert sorted(made) == ["ann", "bob", "core", "cy", "dee", "eve"]
    made.clear()
    (site / "content/alpha.md").unlink()  # Ann and Bob have no work left
    result = build(site, out, cache=cache, jobs=1)
    assert _drawn(result) == ["responsibilities.2.html", "responsibilities.html"]
    assert not (out / "responsibilities.3.html").exists()
    assert rows(soup(out, "responsibilities.html")) == ["Core Team", "Cy Park"]
    assert rows(soup(out, "responsibilities.2.html")) == ["Dee Ray", "Eve Fox"]
    assert made == [], "rows that moved to another page are kept, not drawn again"
    assert_same_tree(out, _reference(site, tmp_path))
