"""watchdog glue: native file events (inotify on Linux), or polling.

The watcher turns watchdog's events into `Change` values and hands them to a
callback; it decides nothing itself. Watches are set per folder (the site
folder alone, the content folder and the site's template, static and theme
folders with their subfolders), never on the output folder or `.git/`.

When the system's inotify limits are reached (OSError ENOSPC: too many
watches; EMFILE: too many inotify instances), the watcher says so once, with
the setting to raise, and polls instead.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from planpress.serve.changes import Change

log = logging.getLogger(__name__)

POLL_INTERVAL = 0.5  # seconds between two scans when polling
LIMIT_ERRNOS = (errno.ENOSPC, errno.EMFILE)
EVENTS = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    FileClosedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
]  # not opened/closed-without-writing: the build reads every file, and must not wake itself

Root = tuple[Path, bool]  # a folder and whether its subfolders are watched too


class _Handler(FileSystemEventHandler):
    def __init__(self, on_change: Callable[[Change], None]) -> None:
        self.on_change = on_change

    def dispatch(self, event: FileSystemEvent) -> None:
        try:
            self.on_change(
                Change(
                    kind=event.event_type,
                    path=os.fsdecode(event.src_path),
                    dest=os.fsdecode(getattr(event, "dest_path", "") or ""),
                    is_dir=event.is_directory,
                )
            )
        except Exception:  # never let one bad event stop the observer thread
            log.exception("planpress: error while handling %r", event)


class Watcher:
    """Watches a changing set of folders; `sync(roots)` adds and removes watches."""

    def __init__(
        self,
        on_change: Callable[[Change], None],
        poll: bool = False,
        stream: TextIO | None = None,
        observer_factory: Callable[[], BaseObserver] | None = None,
    ) -> None:
        self.handler = _Handler(on_change)
        self.polling = poll
        self.stream = stream
        self._factory = observer_factory or Observer
        self._observer = self._new_observer()
        self._watches: dict[Root, ObservedWatch] = {}
        self._roots: list[Root] = []

    def _new_observer(self) -> BaseObserver:
        observer = PollingObserver(timeout=POLL_INTERVAL) if self.polling else self._factory()
        observer.daemon = True
        observer.start()
        return observer

    def sync(self, roots: Iterable[Root]) -> bool:
        """Watch exactly these folders, those that exist; True when a watch was renewed.

        A watch whose thread ended (its folder was deleted, perhaps made again, or inotify
        failed on a new subfolder) is set up again; a failure for lack of inotify watches
        switches to polling.
        """
        self._roots = list(roots)
        wanted = {(path, recursive) for path, recursive in self._roots if path.is_dir()}
        renewed = False
        for root, watch in list(self._watches.items()):
            if root not in wanted or not self._alive(watch):
                renewed = renewed or root in wanted
                self._drop(root)
        for root in sorted(wanted - set(self._watches), key=str):
            try:
                self._watches[root] = self._observer.schedule(
                    self.handler, str(root[0]), recursive=root[1], event_filter=EVENTS
                )
            except OSError as exc:
                if exc.errno in LIMIT_ERRNOS and not self.polling:
                    self._fall_back(exc)
                    return True
                if root[0].is_dir():  # a folder removed meanwhile is no problem
                    raise
        return renewed

    def check(self) -> bool:
        """Renew watches that ended; True when one was renewed (changes may have been missed)."""
        if not self._observer.is_alive():
            self._fall_back(None)
            return True
        return self.sync(self._roots)

    def _alive(self, watch: ObservedWatch) -> bool:
        return any(e.watch == watch and e.is_alive() for e in self._observer.emitters)

    def _drop(self, root: Root) -> None:
        watch = self._watches.pop(root)
        with contextlib.suppress(KeyError, OSError):
            self._observer.unschedule(watch)

    def _fall_back(self, exc: OSError | None) -> None:
        if exc is not None and exc.errno == errno.EMFILE:
            what = "too many inotify instances (fs.inotify.max_user_instances)"
        else:
            what = "the inotify watch limit (fs.inotify.max_user_watches)"
        message = (
            f"planpress: cannot watch the files with inotify: {what} is reached; "
            "polling for changes instead (slower). To raise the limit: "
            "sudo sysctl fs.inotify.max_user_watches=524288"
        )
        if self.stream is not None:
            print(message, file=self.stream, flush=True)
        self.stop()
        self.polling = True
        self._observer = self._new_observer()
        self._watches = {}
        self.sync(self._roots)

    def stop(self) -> None:
        try:
            self._observer.stop()
            self._observer.join(timeout=5)
        except RuntimeError:
            pass
