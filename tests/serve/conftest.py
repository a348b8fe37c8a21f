"""Live-rebuild fixtures: a small site, a LiveSite running in a thread, a preview server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from serve_kit import GROWTH, Client, Live, plan, write

from planpress.serve.server import DevServer


@pytest.fixture
def small_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    write(site / "planpress.yaml", "title: Live\ntoday: 2024-08-01\n")
    write(site / "content" / "growth.md", GROWTH)
    write(site / "content" / "launch.md", plan("Launch v1"))
    return site


@pytest.fixture
def live_site(small_site: Path, tmp_path: Path) -> Iterator[Callable[..., Live]]:
    """live_site(**LiveSite options) -> a started Live on the small site, stopped afterwards."""
    started: list[Live] = []

    def start(**options) -> Live:
        live = Live(small_site, tmp_path / "out", **options)
        started.append(live)
        return live.start()

    yield start
    for live in started:
        live.stop()


@pytest.fixture
def served(live_site) -> Iterator[Callable[..., tuple[Live, Client]]]:
    """served(**LiveSite options) -> (live, client): the small site behind a preview server."""
    servers: list[DevServer] = []

    def start(**options) -> tuple[Live, Client]:
        live = live_site(**options)
        server = DevServer("127.0.0.1", 0, live.output, live.site.state)
        server.start()
        servers.append(server)
        return live, Client(server)

    yield start
    for server in servers:
        server.stop()
