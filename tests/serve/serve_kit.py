"""Helpers for the live-rebuild tests: a LiveSite running in a thread, an HTTP client.

Everything is real: watchdog's observer on real files, real builds, real HTTP on 127.0.0.1.
Waiting is done by polling with generous timeouts (a loaded 2-core machine is slow), never by
fixed sleeps used as assertions.
"""

from __future__ import annotations

import http.client
import io
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

from planpress.pipeline import BuildOptions
from planpress.serve.builder import BuildReport
from planpress.serve.loop import LiveSite
from planpress.serve.server import DevServer

TIMEOUT = 10.0  # seconds any single expected thing may take
SETTLE = 0.6  # quiet time that proves no further build follows (> watchdog's 0.5 s move pairing)

PLAN = """\
---
title: {title}
supports: [growth]
---
{body}
"""
GROWTH = """\
---
title: Growth strategy
kind: strategy
---
Grow.
"""


def plan(title: str, body: str = "Text.") -> str:
    return PLAN.format(title=title, body=body)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def wait_until(condition: Callable[[], object], timeout: float = TIMEOUT, what: str = "") -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or condition}")
        time.sleep(0.02)


class Live:
    """A LiveSite running in a thread, with every build report kept."""

    def __init__(self, site: Path, output: Path, **options) -> None:
        self.reports: list[BuildReport] = []
        self.stream = io.StringIO()
        self._lock = threading.Lock()
        self.site = LiveSite(
            site,
            output,
            BuildOptions(),
            self.stream,
            on_build=self._record,
            kept="still serving the last good build",
            **options,
        )
        self.output = output
        self.thread = threading.Thread(target=self._run, name="live-site", daemon=True)
        self.failure: BaseException | None = None

    def _run(self) -> None:
        try:
            self.site.run()
        except BaseException as exc:  # reported by stop()
            self.failure = exc

    def _record(self, report: BuildReport) -> None:
        with self._lock:
            self.reports.append(report)

    @property
    def count(self) -> int:
        with self._lock:
            return len(self.reports)

    def start(self) -> Live:
        self.thread.start()
        self.wait_builds(1)
        self.settle(0.2)  # nothing changed since the sources were written: a short check
        return self

    def wait_builds(self, count: int, timeout: float = TIMEOUT) -> BuildReport:
        wait_until(lambda: self.count >= count, timeout, f"build #{count}")
        return self.reports[count - 1]

    def wait_for(self, condition: Callable[[BuildReport], bool], after: int = 0) -> BuildReport:
        """The first build after the `after`-th one that meets `condition`."""

        def found():
            with self._lock:
                return next((r for r in self.reports[after:] if condition(r)), None)

        return wait_until(found, what="a matching build")

    def settle(self, quiet: float = SETTLE) -> int:
        """Wait until nothing is pending or building for `quiet` seconds; the build count."""
        deadline = time.monotonic() + TIMEOUT + quiet
        calm_since = time.monotonic()
        while time.monotonic() < deadline:
            busy = self.site.tracker.pending or self.site.state.lock.writing
            now = time.monotonic()
            if busy:
                calm_since = now
            elif now - calm_since >= quiet:
                return self.count
            time.sleep(0.02)
        raise AssertionError("the site never settled")

    def page(self, name: str) -> str:
        return (self.output / name).read_text(encoding="utf-8")

    def wait_page(self, name: str, text: str) -> str:
        """The page `name` in the output folder, once it contains `text`."""

        def current() -> str:
            try:
                page = self.page(name)
            except FileNotFoundError:
                return ""
            return page if text in page else ""

        return wait_until(current, what=f"{text!r} in {name}")

    def stop(self) -> None:
        self.site.stop()
        self.thread.join(TIMEOUT)
        assert not self.thread.is_alive(), "the rebuild loop did not stop"
        if self.failure is not None:
            raise self.failure


class Client:
    """Raw HTTP against the preview server (http.client sends paths exactly as given)."""

    def __init__(self, server: DevServer) -> None:
        self.host, self.port = server.server_address[:2]

    def get(self, path: str, method: str = "GET") -> tuple[int, str, dict[str, str]]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT * 3)
        try:
            connection.putrequest(method, path, skip_accept_encoding=True)
            connection.endheaders()
            response = connection.getresponse()
            body = response.read().decode("utf-8", "replace")
            return response.status, body, dict(response.getheaders())
        finally:
            connection.close()
