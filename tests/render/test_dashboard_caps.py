"""The dashboard's lists are capped to page_size rows, most urgent first, and say where the rest
are; the tiles count the whole portfolio; a dashboard whose lists fit is drawn as before."""

from __future__ import annotations

import posixpath
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sitekit import write_site

from planpress.pipeline import BuildCache, BuildOptions, build


def plan(title: str, supports: str = "", budget: str = "", tasks=(), due="", kpi="") -> str:
    """A plan from 1 Jul to 30 Sep 2024: today (1 Aug) a third of its time has gone by."""
    lines = ["---", f"title: {title}", f"id: {title.lower()}", "start: 2024-07-01"]
    lines += ["end: 2024-09-30"]
    lines += [f"supports: [{supports}]"] if supports else []
    lines += [f"budget: {budget}"] if budget else []
    lines += ["tasks:", *(f"  - {{{task}}}" for task in tasks)] if tasks else []
    lines += ["milestones:", f"  - {{id: m, name: {title} milestone, due: {due}}}"]
    actuals = f", actuals: {{2024-07: {kpi}}}" if kpi else ""
    lines += ["kpis:", f"  - {{id: k, name: {title} KPI, baseline: 0, target: 100{actuals}}}"]
    return "\n".join([*lines, "---", ""])


PLANS = {
    # over budget by 500; tasks 10 Jul and 1 Jun overdue; KPI 10% with 34% of the time gone
    "alpha": plan(
        "Alpha",
        budget="1000",
        tasks=[
            "id: a1, title: Alpha one, due: 2024-07-10, budget: 500, cost: 1000",
            "id: a2, title: Alpha two, due: 2024-06-01, budget: 500, cost: 500",
        ],
        due="2024-08-05",
        kpi="10",
    ),
    # 90% of its budget spent; task 1 May overdue (the oldest); KPI 30%
    "beta": plan(
        "Beta",
        "alpha",
        budget="1000",
        tasks=[
            "id: b1, title: Beta one, due: 2024-05-01, budget: 100, cost: 110",
            "id: b2, title: Beta two, due: 2024-09-01, cost: 790",
        ],
        due="2024-08-20",
        kpi="30",
    ),
    # spends without a budget; KPI 80%: ahead
    "delta": plan(
        "Delta",
        "beta",
        tasks=["id: d1, title: Delta one, due: 2024-08-15, cost: 50"],
        due="2024-08-25",
        kpi="80",
    ),
    # 4% spent; KPI reached
    "epsilon": plan(
        "Epsilon",
        "beta",
        budget="1000",
        tasks=["id: e1, title: Epsilon one, due: 2024-08-20, budget: 10, cost: 40"],
        due="2024-10-01",
        kpi="100",
    ),
    # over budget by 150; task 20 Jul overdue; KPI without figures
    "gamma": plan(
        "Gamma",
        "alpha",
        budget="100",
        tasks=["id: g1, title: Gamma one, due: 2024-07-20, budget: 50, cost: 250"],
        due="2024-08-03",
    ),
}


def make_site(root: Path, page_size: int | None, extra: str = "") -> Path:
    config = "title: Caps\ntoday: 2024-08-01\n"
    config += f"page_size: {page_size}\n" if page_size else ""
    files = {"planpress.yaml": config + extra}
    # in a folder: a section, which the note under the plans names
    files |= {f"content/growth/{name}.md": text for name, text in PLANS.items()}
    return write_site(root, files)


def built(root: Path, page_size: int | None, extra: str = "") -> BeautifulSoup:
    site = make_site(root, page_size, extra)
    build(site, site / "out", BuildOptions())
    return soup(site / "out" / "index.html")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def section(page: BeautifulSoup, heading: str):
    return page.find("h2", id=heading).find_parent("section")


def row_titles(page: BeautifulSoup, heading: str) -> list[str]:
    return [th.get_text(" ", strip=True) for th in section(page, heading).select("tbody th")]


def note(page: BeautifulSoup, heading: str) -> list[str]:
    return [p.get_text(" ", strip=True) for p in section(page, heading).select("p.capped")]


def tiles(page: BeautifulSoup) -> dict[str, str]:
    return {t.dt.get_text(): t.dd.get_text() for t in page.select(".tiles .tile")}


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, BeautifulSoup]:
    folder = tmp_path_factory.mktemp("caps")
    return {"cut": built(folder / "cut", 3), "whole": built(folder / "whole", None)}


def test_each_list_shows_page_size_rows_the_most_urgent_first(pages):
    page, whole = pages["cut"], pages["whole"]
    assert row_titles(page, "plans-heading") == row_titles(whole, "plans-heading")[:3]
    assert row_titles(page, "overdue-heading") == ["Beta one", "Alpha two", "Alpha one"]
    assert row_titles(page, "upcoming-heading") == [
        "Gamma milestone",
        "Alpha milestone",
        "Beta milestone",
    ]
    # over budget, the largest overrun first; then spending without a budget; then by share
    assert row_titles(page, "budget-heading") == ["Alpha", "Gamma", "Delta"]
    over = [li.get_text() for li in section(page, "budget-heading").select("h3 + ul li")]
    assert [text.split(" (")[0] for text in over] == ["Alpha one", "Gamma one", "Epsilon one"]
    # behind the time gone by, furthest first; then without figures (ahead and reached after)
    assert row_titles(page, "kpi-heading") == ["Alpha KPI", "Beta KPI", "Gamma KPI"]


def test_the_tiles_count_the_whole_portfolio(pages):
    assert tiles(pages["cut"]) == tiles(pages["whole"])
    assert tiles(pages["cut"])["Overdue items"] == "4"
    assert tiles(pages["cut"])["Milestones due in 30 days"] == "4"


def test_a_cut_list_says_how_many_it_has_right_under_it(pages):
    page = pages["cut"]
    assert note(page, "plans-heading") == [
        "Showing the 3 plans most in need of attention, of 5. Every plan is on the roadmap ,"
        " on its section's page (see Browse ) and in plans.json ."
    ]
    overdue = note(page, "overdue-heading")
    assert overdue[0].startswith("Showing the 3 most overdue of 4 overdue tasks and milestones.")
    assert note(page, "upcoming-heading")[0].startswith(
        "Showing the 3 soonest of 4 milestones due in the next 30 days."
    )
    budget = note(page, "budget-heading")
    assert budget[0].startswith("Showing the 3 plans most over budget or closest to it, of 5")
    assert budget[1].startswith("Showing the 3 furthest over budget of 4 tasks and milestones")
    assert note(page, "kpi-heading")[0].startswith("Showing the 3 KPIs furthest behind target of 5")
    table = section(page, "plans-heading").select_one(".table-scroll")
    assert table.find_next_sibling("p")["class"] == ["meta", "capped"]  # right under the table


def test_a_dashboard_whose_lists_fit_says_nothing_of_caps_and_keeps_its_orders(pages):
    page = pages["whole"]
    assert page.select("p.capped") == []
    assert row_titles(page, "budget-heading") == ["Alpha", "Beta", "Delta", "Epsilon", "Gamma"]
    assert row_titles(page, "kpi-heading")[:3] == ["Alpha KPI", "Beta KPI", "Delta KPI"]
    assert len(row_titles(page, "overdue-heading")) == 4
    caption = section(page, "budget-heading").caption.get_text()
    assert caption == "Planned and actual cost per plan"
    tree = page.select_one(".tree")
    assert [a.get_text() for a in tree.select("a")] == [
        "Alpha",
        "Beta",
        "Delta",
        "Epsilon",
        "Gamma",
    ]
    assert tree.select("small") == []


def test_the_strategy_tree_past_page_size_shows_its_top_with_counts(pages):
    tree = pages["cut"].select_one(".tree")
    root = tree.select_one("ul > li")
    assert root.a.get_text() == "Alpha"
    assert root.small.get_text() == "(supported by 2 more plans)"
    assert root.small.a["href"] == "plans/alpha.html#supporters"
    children = root.ul.find_all("li", recursive=False)
    texts = [entry(li) for li in children]
    assert texts == ["Beta (supported by 2 more plans)", "Gamma"]
    assert note(pages["cut"], "strategy-heading") == [
        "Showing 3 of the 5 plans in the strategy tree: its top-level plan and the plans"
        ' supporting it, level by level, as far as 3 go; "supported by" counts the plans below'
        " one that are not shown. Each plan's page lists the plans supporting it."
    ]


def entry(li) -> str:
    """A plan in the strategy tree and its count, without what is below it."""
    more = li.find("small", recursive=False)
    return li.a.get_text() + (f" {more.get_text()}" if more else "")


def links_of(page: BeautifulSoup) -> list[str]:
    return [a["href"] for p in page.select("p.capped") for a in p.select("a")]


@pytest.mark.parametrize("pretty", [False, True])
def test_the_links_of_the_notes_lead_to_existing_files(tmp_path, pretty):
    site = make_site(tmp_path / "site", 3, "pretty_urls: true\n" if pretty else "")
    out = site / "out"
    build(site, out, BuildOptions())
    page = soup(out / "index.html")
    hrefs = links_of(page)
    wanted = {"roadmap", "review", "milestones", "tasks.csv", "milestones.csv", "plans.json"}
    assert all(any(word in href for href in hrefs) for word in wanted), hrefs
    for href in hrefs:
        target, _, fragment = href.partition("#")
        if not target:
            assert page.find(id=fragment), href
            continue
        path = posixpath.normpath(target) + ("/index.html" if target.endswith("/") else "")
        assert (out / path).is_file(), href
        if fragment:
            assert soup(out / path).find(id=fragment), href


def test_a_site_template_still_reads_the_full_lists(tmp_path):
    site = make_site(tmp_path / "site", 2)
    (site / "templates").mkdir()
    (site / "templates" / "index.html").write_text(
        "{{ plans | length }} {{ overdue | length }} {{ overdue_cells | length }}"
        " {{ upcoming_milestones | length }} {{ upcoming_cells | length }}"
        " {{ over_budget | length }} {{ over_budget_cells | length }} {{ plan_budgets | length }}"
        " {{ kpis | length }} {{ strategy_tree | length }}"
        " {{ strategy_tree[0].children | length }} {{ overdue[0][1].title }}"
        " {{ overdue_cells[-1].title }} {{ top_overdue.rows | length }} {{ top_overdue.total }}"
        " {% for p in plans %}{{ p.link.text }},{% endfor %}\n",
        encoding="utf-8",
    )
    build(site, site / "out", BuildOptions())
    words = (site / "out" / "index.html").read_text().split()
    assert " ".join(words[:15]) == "5 4 4 4 4 4 4 5 5 1 2 Beta one Gamma one"
    assert words[15:17] == ["2", "4"]  # the capped list and its total beside them
    assert sorted(words[17].rstrip(",").split(",")) == [
        "Alpha",
        "Beta",
        "Delta",
        "Epsilon",
        "Gamma",
    ]


def tree_site(root: Path, page_size: int, plans: dict[str, str]) -> BeautifulSoup:
    files = {"planpress.yaml": f"title: Tree\ntoday: 2024-08-01\npage_size: {page_size}\n"}
    files |= {
        f"content/{name}.md": f"---\ntitle: {name.upper()}\n"
        + (f"supports: [{supports}]\n" if supports else "")
        + "---\n"
        for name, supports in plans.items()
    }
    site = write_site(root, files)
    build(site, site / "out", BuildOptions())
    return soup(site / "out" / "index.html")


def test_a_tree_with_more_roots_than_page_size_shows_the_first_roots(tmp_path):
    plans = {"a": "", "b": "", "c": "", "a1": "a", "b1": "b", "c1": "c"}
    page = tree_site(tmp_path / "site", 2, plans)
    roots = page.select(".tree > ul > li")
    assert [entry(li) for li in roots] == [
        "A (supported by 1 more plan)",
        "B (supported by 1 more plan)",
    ]
    assert "the first 2 of its 3 top-level plans" in note(page, "strategy-heading")[0]
    assert "Showing 2 of the 6 plans" in note(page, "strategy-heading")[0]


def test_a_plan_supporting_two_counts_once_below_a_root(tmp_path):
    plans = {"a": "", "b": "a", "c": "a", "d": "b, c"}  # d is an entry under b and under c
    whole = tree_site(tmp_path / "whole", 5, plans)  # five entries: the whole tree
    assert [a.get_text() for a in whole.select(".tree a")] == ["A", "B", "D", "C", "D"]
    assert whole.select("p.capped") == []
    cut = tree_site(tmp_path / "cut", 3, plans)
    texts = [entry(li) for li in cut.select(".tree li")]
    assert texts == [f"{name} (supported by 1 more plan)" for name in "ABC"]  # d, once below A
    deeper = tree_site(tmp_path / "deeper", 4, plans)
    texts = [entry(li) for li in deeper.select(".tree li")]
    assert texts == ["A", "B", "D", "C (supported by 1 more plan)"]


def test_an_edit_redraws_the_dashboard_with_its_new_top_rows(tmp_path, monkeypatch):
    from planpress.render.pages import home

    made: list[str] = []
    original = home._items_of_plan

    def counted(ctx, horizon, plan):
        made.append(plan.id)
        return original(ctx, horizon, plan)

    monkeypatch.setattr(home, "_items_of_plan", counted)
    site = make_site(tmp_path / "site", 3)
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(site, out, cache=cache, jobs=1)
    assert sorted(made) == sorted(PLANS)
    made.clear()
    path = site / "content/growth/epsilon.md"
    path.write_text(path.read_text().replace("due: 2024-08-20", "due: 2024-04-01"))
    result = build(site, out, cache=cache, jobs=1)
    assert "index.html" in result.rendered_pages
    assert made == ["epsilon"]  # the other plans' items are kept
    page = soup(out / "index.html")
    assert row_titles(page, "overdue-heading") == ["Epsilon one", "Beta one", "Alpha two"]
    assert note(page, "overdue-heading")[0].startswith("Showing the 3 most overdue of 5")
    assert_same_tree(out, full_reference(site, tmp_path))
    (site / "content/growth/beta.md").unlink()  # delta and epsilon now support a plan not shown
    build(site, out, cache=cache, jobs=1)
    page = soup(out / "index.html")
    assert row_titles(page, "overdue-heading") == ["Epsilon one", "Alpha two", "Alpha one"]
    assert "Beta" not in page.select_one(".tree").get_text()
    assert_same_tree(out, full_reference(site, tmp_path))


def full_reference(site: Path, tmp_path: Path) -> Path:
    """A clean build of the site without a cache (as inc_kit.full_build, in tests/incremental)."""
    reference = tmp_path / "reference"
    shutil.rmtree(reference, ignore_errors=True)
    build(site, reference, BuildOptions(), jobs=1)
    return reference


def assert_same_tree(got: Path, want: Path) -> None:
    def files(folder: Path) -> dict[str, bytes]:
        found = (p for p in folder.rglob("*") if p.is_file())
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in found}

    a, b = files(got), files(want)
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
