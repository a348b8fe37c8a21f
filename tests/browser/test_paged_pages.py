"""Pages that continue on numbered pages, in a real browser: the example site built with a
page_size of 1, so every list of it runs over several pages.

Each paged page has no serious accessibility problem, fits a phone, is reached from the page
before it with the keyboard, and prints without its page links.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SUB_PATH, Watch, serve_under_sub_path
from sitekit import REPO
from test_accessibility import AXE, BLOCKING_IMPACTS, PHONE, WIDE_ELEMENTS, describe_violations

from planpress.pipeline import build

SECOND_PAGES = [
    "review.2.html",
    "roadmap.2.html",
    "milestones/index.2.html",
    "responsibilities.2.html",
    "sections/sales.2.html",
]


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("paged")
    shutil.copytree(REPO / "content", site / "content")
    config = (REPO / "planpress.yaml").read_text(encoding="utf-8")
    (site / "planpress.yaml").write_text(config + "page_size: 1\n", encoding="utf-8")
    return build(site, site / "site", jobs=1).output


@pytest.fixture(scope="module")
def paged_http(paged_site) -> Iterator[str]:
    with serve_under_sub_path(paged_site, paged_site.parent / "http-root") as url:
        yield url


@pytest.fixture
def browse(chromium, paged_http):
    opened = []

    def open_page(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = chromium.new_context(**options)
        context.set_default_timeout(5_000)
        opened.append(context)
        watch = Watch(allowed_origins=(paged_http.split(SUB_PATH)[0],))
        watch.attach(context)
        return context.new_page(), watch

    yield open_page
    for context in opened:
        context.close()


def test_every_list_of_the_example_site_runs_over_pages(paged_site):
    for name in SECOND_PAGES:
        assert (paged_site / name).is_file(), name


@pytest.mark.parametrize("name", SECOND_PAGES)
def test_a_continued_page_has_no_serious_accessibility_violations(name, browse, paged_http):
    page, watch = browse()
    page.goto(paged_http + name)
    results = AXE.run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe-core on {name}:\n{describe_violations(blocking)}"
    assert not watch.problems(), "\n".join(watch.problems())


@pytest.mark.parametrize("name", SECOND_PAGES)
def test_a_continued_page_fits_a_phone(name, browse, paged_http):
    page, _ = browse(viewport=PHONE)
    page.goto(paged_http + name)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, "\n".join(page.evaluate(WIDE_ELEMENTS))


@pytest.mark.parametrize("name", SECOND_PAGES)
def test_next_is_reached_with_the_keyboard_and_prints_without_the_links(name, browse, paged_http):
    first = name.replace(".2.html", ".html")
    page, watch = browse()
    page.goto(paged_http + first)
    pager = page.locator("nav.pager").first
    assert pager.get_attribute("aria-label")
    for _ in range(200):  # Tab through the page to the first pager's "Next"
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.getAttribute('rel')")
        if focused == "next":
            break
    else:
        pytest.fail(f"no keyboard path to Next on {first}")
    # Tab passed the search box, whose focus loads the index: leaving before it arrives
    # aborts the request, which watch counts as failed
    page.wait_for_load_state("networkidle")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == paged_http + name
    assert page.locator('nav.pager [aria-current="page"]').first.inner_text() == "2"
    page.emulate_media(media="print")
    assert not page.locator("nav.pager ul").first.is_visible()
    assert page.locator("nav.pager p").first.is_visible()  # which entries this page shows
    assert not watch.problems(), "\n".join(watch.problems())
