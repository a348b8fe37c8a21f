"""Which file-system events mean "rebuild", and when: a filter and a debouncer.

Both are pure: they get events as plain values and the time from a clock passed
in, so tests feed them event sequences (an editor's save, a branch switch) and
a fake clock.

Editors and git do not simply write a file. A save may be a write in place, a
write to a temporary file renamed over the original (the watcher then reports
only a move), or vim's dance of probing the folder with a file called `4913`,
renaming the original to `file~` and writing a new one. JetBrains IDEs write
`file___jb_tmp___` and keep `file___jb_old___`; emacs leaves `.#file` lock
links and `#file#` autosaves. The filter ignores the side files, keeps the
events that touch real inputs (a move counts when either end is an input), and
the debouncer turns every burst, such as a branch switch rewriting hundreds of
files, into one rebuild once the folder has been quiet for `quiet` seconds.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from planpress.load.files import PEOPLE_FILE

CONFIG_NAME = "planpress.yaml"  # config.CONFIG_FILE; not imported, to keep this module light
SITE_FOLDERS = ("templates", "static", "themes")  # the site's own theme overrides and themes
BIG_BURST = 50  # paths: every 50 in one burst lengthen its quiet period by `quiet` …
BIG_BURST_FACTOR = 5  # … up to 5 times `quiet` (0.5 s for a branch switch)
IGNORED_KINDS = frozenset({"opened", "closed_no_write"})  # reading a file changes nothing
NOISE_SUFFIXES = (
    "~",  # vim, emacs and nano backups
    ".swp",  # vim swap files (.swp, .swo, .swx, .swpx)
    ".swo",
    ".swx",
    ".swpx",
    ".tmp",
    ".temp",
    "___jb_tmp___",  # JetBrains "safe write"
    "___jb_old___",
    ".kate-swp",
    ".crdownload",
    ".part",
)


@dataclass(frozen=True, slots=True)
class Change:
    """One file-system event, as watchdog reports it (kind: created, modified, deleted, moved,
    closed, opened, closed_no_write; dest is the new path of a move)."""

    kind: str
    path: str
    dest: str = ""
    is_dir: bool = False


def is_editor_noise(name: str) -> bool:
    """A file name that editors use for probes, backups, locks, swap and temporary files."""
    return (
        name.startswith(".")  # hidden files, emacs' .#file locks, vim's .file.swp
        or name.isdigit()  # vim's write probe 4913 (5036, 5159 … when that exists)
        or (name.startswith("#") and name.endswith("#"))  # emacs autosave
        or name.endswith(NOISE_SUFFIXES)
    )


class ChangeFilter:
    """Decides which paths are inputs of the build.

    Inputs: `planpress.yaml`; under the content folder the plans (`*.md`, skipping
    hidden and `_` folders like the loader does), the people file and folders; and
    anything under the site's `templates/`, `static/` and `themes/` folders. Never
    inputs: the output folder, planpress's own caches, hidden files and folders
    (`.git/` among them) and editor side files.
    """

    def __init__(
        self,
        site_dir: Path,
        content_dir: Path,
        ignored: Iterable[Path] = (),
    ) -> None:
        self.site_dir = _norm(site_dir)
        self.content_dir = _norm(content_dir)
        self.config = os.path.join(self.site_dir, CONFIG_NAME)
        self.folders = tuple(os.path.join(self.site_dir, name) for name in SITE_FOLDERS)
        self.ignored = tuple(_norm(path) for path in ignored)

    def relevant(self, change: Change) -> bool:
        if change.kind in IGNORED_KINDS or (change.is_dir and change.kind == "modified"):
            return False
        return any(
            self.is_input(path, change.is_dir) for path in (change.path, change.dest) if path
        )

    def is_input(self, path: str, is_dir: bool = False) -> bool:
        path = _norm(path)
        if any(_inside(path, ignored) for ignored in self.ignored):
            return False
        if path == self.config:
            return not is_dir
        if _inside(path, self.content_dir):
            return self._content_input(path, is_dir)
        for folder in self.folders:
            if _inside(path, folder):
                parts = _parts(path, folder)
                return not any(part.startswith(".") for part in parts) and not (
                    parts and is_editor_noise(parts[-1])
                )
        return False

    def _content_input(self, path: str, is_dir: bool) -> bool:
        parts = _parts(path, self.content_dir)
        if not parts:
            return is_dir  # the content folder itself, created, deleted or moved
        if any(part.startswith((".", "_")) for part in parts[:-1]):
            return False  # the loader skips hidden and '_' folders
        name = parts[-1]
        if is_dir:
            return not name.startswith((".", "_"))
        if is_editor_noise(name):
            return False
        return (len(parts) == 1 and name == PEOPLE_FILE) or name.endswith(".md")


class ChangeTracker:
    """Collects relevant changes and says when a burst is over.

    `feed` records a change at the clock's time. `ready()` is true once nothing
    relevant happened for `quiet` seconds (up to 5 times longer once a burst
    has touched hundreds of files), or once changes have kept coming for
    `max_delay` seconds (so a process that never stops writing still gets
    rebuilds). `take()` returns the changed paths and starts a new burst. Changes
    fed while a build runs form the next burst: one follow-up build.
    """

    def __init__(
        self,
        accept: Callable[[Change], bool],
        quiet: float = 0.1,
        max_delay: float = 5.0,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.accept = accept
        self.quiet = quiet
        self.max_delay = max_delay
        self.clock = clock or time.monotonic
        self._paths: dict[str, None] = {}
        self._first = 0.0
        self._last = 0.0

    def feed(self, change: Change) -> bool:
        """Record `change` when it matters; True if it did."""
        try:
            relevant = self.accept(change)
        except Exception:  # a filter bug must not hide a change: rebuild rather than not
            relevant = True
        if not relevant:
            return False
        now = self.clock()
        if not self._paths:
            self._first = now
        self._last = now
        for path in (change.dest, change.path):
            if path:
                self._paths.setdefault(path, None)
        return True

    def force(self, path: str) -> None:
        """Ask for a rebuild without an event (changes may have been missed)."""
        now = self.clock()
        if not self._paths:
            self._first = now
        self._last = now
        self._paths.setdefault(path, None)

    @property
    def pending(self) -> bool:
        return bool(self._paths)

    def quiet_period(self) -> float:
        """`quiet`, longer for big bursts: a tool rewriting hundreds of files (a branch switch,
        an unpacked archive) may pause between its steps; one rebuild should follow it all."""
        return self.quiet * min(BIG_BURST_FACTOR, 1 + len(self._paths) // BIG_BURST)

    def delay(self) -> float | None:
        """Seconds until the current burst is ready; None without pending changes."""
        if not self._paths:
            return None
        due = min(self._last + self.quiet_period(), self._first + self.max_delay)
        return max(0.0, due - self.clock())

    def ready(self) -> bool:
        return self.delay() == 0.0

    def take(self) -> list[str] | None:
        """The burst's changed paths once it is ready (and forget them), else None."""
        if not self.ready():
            return None
        paths = list(self._paths)
        self._paths.clear()
        return paths


def _norm(path: str | Path) -> str:
    return os.path.normpath(os.path.abspath(os.fspath(path)))


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _parts(path: str, folder: str) -> list[str]:
    relative = os.path.relpath(path, folder)
    return [] if relative == "." else relative.split(os.sep)
