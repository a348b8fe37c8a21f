"""The offline search box: from file:// and under an HTTP sub-path, by keyboard, without errors.

search.js adds the box when JavaScript runs and loads search-index.js on first use; without
JavaScript nothing of it shows.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from planpress.render.outputs.search import slug

SEARCH = "#site-search-input"
RESULTS = "#site-search-results a"


def search(page: Page, text: str) -> None:
    page.locator(SEARCH).fill(text)
    expect(page.locator("#site-search-status")).not_to_have_text("")


@pytest.mark.parametrize("origin", ["file", "http"])
def test_type_a_query_and_follow_a_result_with_the_keyboard(origin, site_bases, new_context):
    base = site_bases[origin]
    context, watch = new_context()
    page = context.new_page()
    page.goto(base + "index.html")
    box = page.get_by_role("searchbox", name=re.compile("Search plans"))
    expect(box).to_be_visible()
    box.click()
    page.keyboard.type("live chat")
    expect(page.locator("#site-search-status")).to_have_text(re.compile(r"^\d+ results?"))
    results = page.locator(RESULTS)
    expect(results.first).to_be_visible()
    assert 1 <= results.count() <= 20
    assert "live chat" in results.first.inner_text().lower()

    page.keyboard.press("ArrowDown")
    expect(results.first).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(box).to_be_focused()
    page.keyboard.press("ArrowDown")
    target = results.first.get_attribute("href")
    page.keyboard.press("Enter")
    expect(page).to_have_url(base + target)
    expect(page.locator("main h1")).to_be_visible()
    assert not watch.problems(), "\n".join(watch.problems())


@pytest.mark.parametrize("origin", ["file", "http"])
def test_links_from_a_nested_page_lead_into_the_site(origin, site_bases, new_context):
    base = site_bases[origin]
    context, watch = new_context()
    page = context.new_page()
    page.goto(base + "plans/online-sales-q3.html")
    page.locator(SEARCH).click()
    search(page, "maria lop")
    person = page.locator(RESULTS).first
    expect(person).to_contain_text("Maria Lopez")
    assert person.get_attribute("href") == "../people/maria.html"
    page.locator(SEARCH).press("Enter")  # the first result
    expect(page).to_have_url(base + "people/maria.html")
    page.keyboard.press("Escape")
    assert not watch.problems(), "\n".join(watch.problems())


def test_escape_closes_the_results_and_clears_the_box(site_bases, new_context):
    context, watch = new_context()
    page = context.new_page()
    page.goto(site_bases["http"] + "index.html")
    page.locator(SEARCH).click()
    search(page, "checkout")
    panel = page.locator(".site-search-panel")
    expect(panel).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(page.locator(SEARCH)).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator(SEARCH)).to_have_value("")
    search(page, "zzzz-nothing")
    expect(page.locator(".site-search-message")).to_have_text(re.compile("^No results"))
    assert not watch.problems(), "\n".join(watch.problems())


def test_without_javascript_there_is_no_search_box(site_bases, new_context):
    context, watch = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_bases["file"] + "index.html")
    expect(page.locator("main h1")).to_be_visible()
    assert page.locator("form[role=search], #site-search-input").count() == 0
    assert not watch.problems(), "\n".join(watch.problems())


TITLES = [
    "Conduct a website audit to identify areas for improvement",
    "Café, crème brûlée & Zürich: ÄÖÜ ß",
    "Ｆｕｌｌｗｉｄｔｈ ﬁ ligature ½",
    "日本語のテキスト only",
    "🚀🚀",
    "a" * 70 + " tail",
    "one two three four five six seven eight",
    "x" * 59 + " yy",
    "",
]


def test_the_index_rules_match_python(site_bases, new_context):
    context, watch = new_context()
    page = context.new_page()
    page.goto(site_bases["file"] + "index.html")
    assert page.evaluate("t => t.map(PlanpressSearch.slug)", TITLES) == [slug(t) for t in TITLES]
    data = {
        "v": 1,
        "u": {
            "plan": "p/{p}.html",
            "item": "p/{p}.html#{i}",
            "milestone": "m/{p}/{i}.html",
            "party": "people/{i}.html",
        },
        "plans": [
            [
                "cafe",
                "Café Zürich opening",
                ["Plan the opening"],
                ["Paint the café", ["Hire baristas", "staff"]],
                [],
            ],
            [
                "other",
                "Opening hours",
                [],
                [f"Task {n} opening" for n in range(30)],
                ["Open the doors"],
            ],
        ],
        "people": [["zoe", "Zoë Müller"]],
        "teams": [["crew", "Opening crew"]],
    }
    run = "([data, q]) => PlanpressSearch.query(PlanpressSearch.prepare(data), q, 20)"
    found = page.evaluate(run, [data, "CAFE"])
    titles = [r["title"] for r in found["results"]]
    assert titles[:2] == ["Café Zürich opening", "Paint the café"], "matches in the title first"
    assert sorted(titles[2:]) == ["Hire baristas", "Plan the opening"], "then in the plan's title"
    found = page.evaluate(run, [data, "zurich hire"])  # the plan's title counts for its items
    assert [(r["title"], r["url"]) for r in found["results"]] == [
        ("Hire baristas", "p/cafe.html#staff")
    ]
    found = page.evaluate(run, [data, "zoe mul"])
    assert found["results"] == [
        {"title": "Zoë Müller", "kind": "Person", "plan": "", "url": "people/zoe.html"}
    ]
    found = page.evaluate(run, [data, "open"])
    assert found["total"] == 37 and len(found["results"]) == 20
    titles = [r["title"] for r in found["results"]]
    assert titles[:3] == ["Opening hours", "Open the doors", "Opening crew"], "first words first"
    found = page.evaluate(run, [data, "pening"])
    assert found["total"] == 0, "words match from their start"
    assert not watch.problems(), "\n".join(watch.problems())
