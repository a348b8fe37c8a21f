"""Feedback while a build runs: one line on a terminal, rewritten in place.

build(progress=hook) calls `hook(stage, done, total)` as it goes: the stage is what it is
doing ("reading plans", "rendering"...), `done` and `total` count that stage's files (0 and 0
when it does not count). ProgressLine is the hook the command line uses: it shows nothing for
builds quicker than half a second, nothing when the stream is not a terminal or output is
quiet (logs stay plain), and erases itself before the summary line is printed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TextIO

ProgressHook = Callable[[str, int, int], None]


class ProgressLine:
    """`planpress: rendering 1,234 of 40,112 files… 12.3 s` on a terminal, rewritten in place."""

    DELAY = 0.5  # quick builds show no progress at all

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._text = "building"
        self._started = 0.0
        self._shown = False

    @classmethod
    def for_stream(cls, stream: TextIO, quiet: bool) -> ProgressLine:
        return cls(stream, enabled=not quiet and is_terminal(stream))

    def start(self, text: str = "building") -> None:
        if not self.enabled:
            return
        self._text = text
        self._stop.clear()
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._run, name="planpress-progress", daemon=True)
        self._thread.start()

    def __call__(self, stage: str, done: int = 0, total: int = 0) -> None:
        """The hook build() calls; cheap, since it may be called for every file."""
        self._text = f"{stage} {done:,} of {total:,} files" if total else stage

    def _run(self) -> None:
        if self._stop.wait(self.DELAY):
            return
        while not self._stop.is_set():
            with self._lock:
                seconds = time.monotonic() - self._started
                self.stream.write(f"\r\x1b[Kplanpress: {self._text}… {seconds:.1f} s")
                self.stream.flush()
                self._shown = True
            self._stop.wait(0.25)

    def stop(self) -> None:
        """Stop and erase the line, so that what is printed next starts a clean line."""
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join()
        self._thread = None
        with self._lock:
            if self._shown:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
                self._shown = False


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
