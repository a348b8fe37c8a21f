"""An open page in a real browser reloads after a save, shows the error overlay, and recovers.

Debian's Chromium, driven by Playwright (scripts/setup-tests.sh installs it); skipped without
it, failed when CI is set.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from serve_kit import plan, write

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_available() -> None:
    if not CHROMIUM.exists():
        message = f"no {CHROMIUM}: run `bash scripts/setup-tests.sh`"
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def in_own_thread(scenario) -> None:
    """Run `scenario(browser)` with a Playwright of its own, in a thread of its own.

    Playwright's sync API allows one instance per thread, and tests/browser keeps one open
    in the main thread for the whole session.
    """
    failures: list[BaseException] = []

    def run() -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
                try:
                    scenario(browser)
                finally:
                    browser.close()
        except BaseException as failure:
            failures.append(failure)

    thread = threading.Thread(target=run, name="browser", daemon=True)
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "the browser scenario did not finish"
    if failures:
        raise failures[0]


def test_an_open_page_reloads_shows_the_overlay_and_recovers(served, small_site):
    chromium_available()
    _, client = served()
    base = f"http://{client.host}:{client.port}"
    in_own_thread(lambda browser: reload_scenario(browser, base, small_site))


def reload_scenario(browser, base: str, small_site: Path) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/plans/launch.html")
    assert "Launch v1" in page.title()
    page.evaluate("window.planpressMarker = 'still the same document'")

    write(small_site / "content" / "launch.md", plan("Launch v2"))
    page.wait_for_function("document.title.includes('Launch v2')", timeout=10_000)
    assert page.evaluate("window.planpressMarker") is None  # the page was reloaded

    write(small_site / "content" / "launch.md", "---\ntitle: Launch\nstart: 2024-13-01\n---\n")
    overlay = page.locator("#planpress-overlay")
    overlay.wait_for(state="visible", timeout=10_000)
    assert "content/launch.md:3:8: error:" in overlay.inner_text()
    assert "Launch v2" in page.title()  # the last good build, under the overlay
    page.click("#planpress-overlay-close")
    assert overlay.is_hidden()

    write(small_site / "content" / "launch.md", plan("Launch v3"))
    page.wait_for_function("document.title.includes('Launch v3')", timeout=10_000)
    assert page.locator("#planpress-overlay").count() == 0
    assert not errors
    page.close()
