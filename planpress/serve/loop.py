"""The rebuild loop: watch -> debounce -> rebuild, until stopped.

Watching starts before the first build, so a change made while any build runs
is collected and leads to exactly one follow-up build once the folder is quiet.
The watched folders are worked out again before every build (planpress.yaml
may move the content folder; a site may gain a templates/ folder). A site
whose `today` is the clock's is built again when the day changes.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from planpress.config import SiteConfig, load_config
from planpress.diagnostics import Diagnostics
from planpress.pipeline import BuildOptions
from planpress.serve.builder import Builder, BuildFunction, BuildReport, SiteState
from planpress.serve.changes import SITE_FOLDERS, Change, ChangeFilter, ChangeTracker

CACHE_NAMES = (".planpress-cache", ".planpress")  # planpress's own caches in the site folder
IDLE_AFTER = 1.0  # seconds without a change after a build before the builder's idle work


class LiveSite:
    """A site rebuilt on every change; `run()` blocks until `stop()` (or Ctrl-C)."""

    def __init__(
        self,
        path: Path,
        output: Path | None,
        options: BuildOptions,
        stream: TextIO,
        *,
        quiet: bool = False,
        poll: bool = False,
        quiet_period: float = 0.1,
        kept: str = "the output folder keeps the last good build",
        build_fn: BuildFunction | None = None,
        on_build: Callable[[BuildReport], None] | None = None,
        observer_factory: Callable[[], object] | None = None,
        persist_cache: bool = True,
    ) -> None:
        self.path = Path(path).resolve()
        self.output = Path(output).resolve() if output is not None else None
        self.stream = stream
        self.poll = poll
        self.state = SiteState()
        self.builder = Builder(
            self.path,
            self.output,
            options,
            self.state,
            stream,
            quiet,
            kept,
            build_fn,
            on_build,
            persist_cache,
        )
        self.output_dir = self.output
        self.options = options
        self._config: SiteConfig | None = None  # as the last build found it
        self._day: dt.date | None = None  # the day the last build was for
        self.filter = self._make_filter(None)
        self.tracker = ChangeTracker(lambda change: self.filter.relevant(change), quiet_period)
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._observer_factory = observer_factory
        self._checked = 0.0
        self.watcher = None

    # The watcher thread calls this for every event.
    def on_change(self, change: Change) -> None:
        with self._cond:
            if self.tracker.feed(change):
                self._cond.notify_all()

    def run(self) -> None:
        from planpress.serve.watcher import Watcher  # watchdog only for serve and watch

        self.watcher = Watcher(
            self.on_change,
            self.poll,
            self.stream,
            self._observer_factory,  # type: ignore[arg-type]
        )
        try:
            self._refresh()
            self.builder.run()
            while not self._stop.is_set():
                changed = self._next_burst()
                if changed is None:
                    if self.tracker.delay() is None:  # no change pending: a pause
                        self.builder.idle(after=IDLE_AFTER)
                    self._check_watches()
                    if self._day_changed():  # statuses move with the date: overdue, due soon
                        self._refresh()
                        self.builder.run(reason=f"a new day, {self._day}")
                    continue
                self._refresh()
                self.builder.run(changed)
        finally:
            self.watcher.stop()
            self.builder.idle()  # the cache is saved before the process ends

    def _day_changed(self) -> bool:
        """Whether the day the site is built for is no longer the last build's (a site whose
        `today` comes from the clock, not from planpress.yaml or --today)."""
        return self._config is not None and self._today(self._config) != self._day

    def _today(self, config: SiteConfig) -> dt.date | None:
        try:
            return config.resolve_today(self.options.today)
        except (OverflowError, OSError, ValueError):  # a SOURCE_DATE_EPOCH out of range
            return None

    def _check_watches(self) -> None:
        """At most once a second: renew watches that ended (a folder deleted and made again)."""
        now = time.monotonic()
        if now - self._checked < 1.0:
            return
        self._checked = now
        assert self.watcher is not None
        try:
            renewed = self.watcher.check()
        except OSError as exc:
            print(f"planpress: cannot watch a folder: {exc}", file=self.stream, flush=True)
            return
        if renewed:  # changes made while the watch was gone were missed: rebuild
            with self._cond:
                self.tracker.force(str(self.path))

    def _next_burst(self) -> list[str] | None:
        with self._cond:
            changed = self.tracker.take()
            if changed is None and not self._stop.is_set():
                delay = self.tracker.delay()
                self._cond.wait(1.0 if delay is None else min(max(delay, 0.005), 1.0))
                changed = self.tracker.take()
            return changed

    def stop(self) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()

    def _refresh(self) -> None:
        """Follow planpress.yaml (the content and output folders) and the folders that exist."""
        self.filter = self._make_filter(self.filter)
        assert self.watcher is not None
        try:
            self.watcher.sync(self.roots())
        except OSError as exc:
            print(f"planpress: cannot watch a folder: {exc}", file=self.stream, flush=True)

    def roots(self) -> list[tuple[Path, bool]]:
        site, content = Path(self.filter.site_dir), Path(self.filter.content_dir)
        roots = [(content, True), *((site / name, True) for name in SITE_FOLDERS)]
        if site not in (content, *(site / name for name in SITE_FOLDERS)):
            roots.append((site, False))
        return roots

    def _make_filter(self, previous: ChangeFilter | None) -> ChangeFilter:
        try:
            config = load_config(self.path, Diagnostics())  # its problems: the build reports them
        except Exception:
            if previous is not None:
                return previous
            return ChangeFilter(self.path, self.path / "content", [self.path / "site"])
        self._config, self._day = config, self._today(config)
        output = self.output or config.output_dir
        self.output_dir = output
        caches = [config.site_dir / name for name in CACHE_NAMES]
        return ChangeFilter(config.site_dir, config.content_dir, [output, *caches])
