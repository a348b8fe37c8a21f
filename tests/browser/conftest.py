"""Browser fixtures: the example site built once, served under a sub-path, and Debian's Chromium.

Chromium is the system one at /usr/bin/chromium (scripts/setup-tests.sh installs it); Playwright
never downloads a browser. Without it the browser tests fail when CI is set, and skip otherwise.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sitekit import REPO

from planpress.pipeline import build

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
SUB_PATH = "intranet/plans/"  # where the HTTP server puts the site: nothing may assume the root
BUILT = pytest.StashKey[Path | BaseException]()


# -- the example site, built once per run (collection needs it to list the page kinds) --


def built_example_site(config: pytest.Config) -> Path:
    """The example site built into a temporary folder, once per pytest run."""
    if BUILT not in config.stash:
        folder = Path(tempfile.mkdtemp(prefix="planpress-browser-"))
        config.add_cleanup(functools.partial(shutil.rmtree, folder, ignore_errors=True))
        try:
            config.stash[BUILT] = build(REPO, folder / "site").output
        except Exception as error:  # reported by every test that needs the site, not at collection
            config.stash[BUILT] = error
    return config.stash[BUILT]


@pytest.fixture(scope="session")
def example_site(pytestconfig) -> Path:
    site = built_example_site(pytestconfig)
    if isinstance(site, BaseException):
        raise site
    return site


@pytest.fixture(scope="session")
def plans_json(example_site) -> dict:
    return json.loads((example_site / "plans.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def sample_pages(example_site) -> dict[str, str]:
    """One page of each kind in the example site: {kind: path relative to the site}."""
    return page_kinds(example_site)


def page_kinds(site: Path) -> dict[str, str]:
    """One page of each kind in the output: {kind: path}, the first path of each kind in order.

    A kind is the page's path with its variable parts as placeholders: "index.html",
    "people/index.html", "milestones/<folder>/<page>.html"; plan pages are told apart by plan
    kind ("plans/<action-plan>.html") and people pages by person or team. A page kind added
    later is covered without a change here.
    """
    model = json.loads((site / "plans.json").read_text(encoding="utf-8"))
    plan_kinds = {plan["id"]: plan["kind"] for plan in model.get("plans", [])}
    party_kinds = {key: party["kind"] for key, party in model.get("people", {}).items()}
    samples: dict[str, str] = {}
    for path in sorted(site.rglob("*.html")):
        name = path.relative_to(site).as_posix()
        samples.setdefault(page_kind(name, plan_kinds, party_kinds), name)
    return samples


def page_kind(name: str, plan_kinds: dict[str, str], party_kinds: dict[str, str]) -> str:
    parts = name.split("/")
    if len(parts) == 1 or parts[-1] == "index.html":
        return name
    stem = parts[-1].removesuffix(".html")
    if parts[0] == "plans" and len(parts) == 2:
        return f"plans/<{plan_kinds.get(stem, 'plan')}>.html"
    if parts[0] == "people" and len(parts) == 2:
        return f"people/<{party_kinds.get(stem, 'party')}>.html"
    return "/".join([parts[0], *["<folder>"] * (len(parts) - 2), "<page>.html"])


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests taking `sample_page` run once per page kind found in the built example site."""
    if "sample_page" not in metafunc.fixturenames:
        return
    site = built_example_site(metafunc.config)
    if isinstance(site, BaseException):
        metafunc.parametrize("sample_page", [None], ids=["the-example-site-did-not-build"])
        return
    samples = page_kinds(site)
    metafunc.parametrize("sample_page", list(samples.values()), ids=list(samples))


# -- the site over HTTP, under a sub-path --


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # one line per request is noise
        pass


@pytest.fixture(scope="session")
def http_site(example_site, tmp_path_factory) -> Iterator[str]:
    """The base URL of the example site served at http://127.0.0.1:PORT/intranet/plans/."""
    with serve_under_sub_path(example_site, tmp_path_factory.mktemp("http-root")) as url:
        yield url


@contextlib.contextmanager
def serve_under_sub_path(site: Path, root: Path) -> Iterator[str]:
    """A copy of the built `site` under `root`, served at http://127.0.0.1:PORT/SUB_PATH."""
    shutil.copytree(site, root / SUB_PATH)
    handler = functools.partial(QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def site_bases(example_site, http_site) -> dict[str, str]:
    """Base URLs (ending in /) of the same site: from the file system and over HTTP."""
    return {"file": example_site.as_uri() + "/", "http": http_site}


# -- the browser --


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, driven by Playwright (one browser for the whole run)."""
    if not CHROMIUM.exists():
        message = f"no {CHROMIUM}: run `bash scripts/setup-tests.sh` (installs Debian's chromium)"
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass  # no slots: Playwright caches its wrappers of bound-method handlers on the instance
class Watch:
    """What went wrong in a browser context: console errors, failed or outside requests."""

    allowed_origins: tuple[str, ...]
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)

    def attach(self, context) -> None:
        context.on("console", self._console)
        context.on("weberror", lambda error: self.console_errors.append(f"uncaught {error.error}"))
        context.on("requestfailed", self._failed)
        context.on("response", self._response)
        # Nothing leaves this machine: record and refuse any request outside the site.
        context.route(lambda url: not self.is_local(url), self._outside)

    def is_local(self, url: str) -> bool:
        scheme = urlsplit(url).scheme
        return scheme in ("file", "data", "about") or url.startswith(self.allowed_origins)

    def _console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url', '?')})")

    def _failed(self, request) -> None:
        if self.is_local(request.url):
            self.failed_requests.append(f"{request.url}: {request.failure}")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.failed_requests.append(f"{response.url}: HTTP {response.status}")

    def _outside(self, route) -> None:
        self.outside_requests.append(route.request.url)
        route.abort()

    def problems(self) -> list[str]:
        return [
            *(f"console error: {text}" for text in self.console_errors),
            *(f"failed request: {text}" for text in self.failed_requests),
            *(f"request outside the site: {url}" for url in self.outside_requests),
        ]


@pytest.fixture
def new_context(chromium, http_site):
    """Open a fresh browser context (closed after the test): new_context(**options) -> (ctx, watch).

    Options are Playwright's (java_script_enabled, viewport...); the default viewport is a
    1280x900 desktop in the light color scheme.
    """
    opened = []
    origin = http_site.split(SUB_PATH)[0]

    def open_context(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        options.setdefault("color_scheme", "light")
        context = chromium.new_context(**options)
        context.set_default_timeout(5_000)
        opened.append(context)
        watch = Watch(allowed_origins=(origin,))
        watch.attach(context)
        return context, watch

    yield open_context
    for context in opened:
        context.close()
