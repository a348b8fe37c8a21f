"""Load every page of a built site in Chromium and report which payloads ran.

Run as a script (`python trust_canary.py SITE...`), in a process of its own so that it never
shares Playwright with the browser tests. Prints JSON, one object per site: {"fired": {page:
canary value}, "outside": [urls the pages tried to load from outside the site], "pages": n}.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
CANARY = (
    "window.__pwned = undefined;"
    "window.alert = window.confirm = window.prompt = function () { window.__pwned = 'dialog'; };"
)


def visit_all(sites: list[Path]) -> list[dict]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            return [visit(browser, site) for site in sites]
        finally:
            browser.close()


def visit(browser, site: Path) -> dict:
    """Every page of one site, in a fresh browser context."""
    fired: dict[str, object] = {}
    outside: list[str] = []
    pages = sorted(site.rglob("*.html"))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(5_000)
    context.add_init_script(CANARY)

    def refuse(route) -> None:
        outside.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith("file:"), refuse)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.dismiss())
    kinds: set[str] = set()
    for path in pages:
        page.goto(path.as_uri(), wait_until="load")
        kind = path.relative_to(site).parts[0]
        if kind not in kinds:  # the first page of each kind: search and hover too
            kinds.add(kind)
            search = page.locator("#site-search-input")
            if search.count():
                search.fill("script")  # loads the search index and lists matching titles
                page.wait_for_timeout(30)
            for target in page.locator("svg a, details summary, .prose a").all()[:5]:
                if target.is_visible():
                    target.hover()
        value = page.evaluate("window.__pwned")
        if value is not None:
            fired[path.relative_to(site).as_posix()] = value
    context.close()
    return {"fired": fired, "outside": outside, "pages": len(pages)}


if __name__ == "__main__":
    print(json.dumps(visit_all([Path(arg) for arg in sys.argv[1:]])))
