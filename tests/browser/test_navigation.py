"""A reader's path through the site in a real browser: from file:// and under an HTTP sub-path,
with and without JavaScript: dashboard -> plan -> milestone -> person, then back twice."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

PLAN = "online-sales-q3"  # the example's action plan, written as prose
# Links to one milestone's page (not milestones/index.html), one person's or team's page;
# a link in a table first (as a reader scanning the milestone table would), then any other.
MILESTONE_LINK = 'a[href*="milestones/"]:not([href$="milestones/index.html"])'
PARTY_LINK = 'a[href*="people/"]:not([href$="people/index.html"])'


def expect_content(page: Page) -> None:
    """The page shows its heading and every table of its main content (not folded away)."""
    expect(page.locator("main h1")).to_be_visible()
    tables = page.locator("main table:not(details:not([open]) table)")
    for index in range(tables.count()):
        expect(tables.nth(index)).to_be_visible()


def follow(page: Page, link: str, what: str) -> tuple[str, str]:
    """Click the first such link of a table in main, else of main; return (url, title) after."""
    links = page.locator(f"main table {link}")
    if not links.count():
        links = page.locator(f"main {link}")
    assert links.count(), f"{page.url} has no link to {what} (main {link})"
    links.first.click()
    page.wait_for_load_state()
    expect_content(page)
    return page.url, page.title()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
@pytest.mark.parametrize("origin", ["file", "http"])
def test_dashboard_plan_milestone_person_and_back(
    origin, javascript, site_bases, new_context, plans_json
):
    base = site_bases[origin]
    context, watch = new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(base + "index.html")
    expect_content(page)
    expect(page.locator("main table").first).to_be_visible()

    plan_title = next(plan["title"] for plan in plans_json["plans"] if plan["id"] == PLAN)
    page.locator("main").get_by_role("link", name=plan_title, exact=True).first.click()
    expect(page).to_have_url(base + f"plans/{PLAN}.html")
    expect_content(page)
    expect(page.locator("main table").first).to_be_visible()
    plan_page = page.url, page.title()

    milestone_page = follow(page, MILESTONE_LINK, "a milestone page")
    assert re.search(r"/milestones/[^/]+/[^/]+\.html$", milestone_page[0]), milestone_page
    assert milestone_page[0].startswith(base), f"left the site: {milestone_page[0]}"
    party_page = follow(page, PARTY_LINK, "a person's or team's page")
    assert re.search(r"/people/[^/]+\.html$", party_page[0]), party_page
    assert party_page[0].startswith(base), f"left the site: {party_page[0]}"

    for expected in (milestone_page, plan_page):
        page.go_back()
        expect(page).to_have_url(expected[0])
        expect(page).to_have_title(expected[1])
        expect_content(page)
    assert not watch.problems(), "\n".join(watch.problems())
