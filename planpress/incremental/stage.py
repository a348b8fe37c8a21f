"""Drawn files waiting to be published: in memory up to a limit, then in a staging folder.

Forked workers always stage to the folder (their memory does not outlive them); the writer
then publishes every file from memory or from the folder, in its usual order.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from planpress.incremental import pool
from planpress.incremental.splice import Splicer
from planpress.render.pieces import Spliced

MEMORY_LIMIT = 64 * 1024 * 1024  # bytes of drawn files held in memory before staging to disk


@dataclass(frozen=True, slots=True)
class Made:
    """A file drawn by a task: its name, the digest of its bytes, and where the bytes are."""

    name: str
    content: str
    staged: str | None  # a file in the staging folder; None: held by the Stage in memory
    pieces: dict | None = None  # a spliced file's: where each plan's piece went (see splice)


class Stage:
    """Drawn files waiting to be published: in memory up to a limit, then in a folder."""

    def __init__(self, parent: Path | None, splicer: Splicer | None = None) -> None:
        self.parent = parent
        self.splicer = splicer  # writes the Spliced files (see splice)
        self.folder: Path | None = None
        self.memory: dict[str, bytes] = {}
        self.held = 0
        self.count = 0

    def put(self, name: str, data: bytes | Spliced) -> Made:
        if isinstance(data, Spliced):
            return self._put_spliced(name, data)
        return self.put_pieces(name, iter((data,)))

    def _put_spliced(self, name: str, data: Spliced) -> Made:
        """A whole-site file from its pieces, always staged in the folder (see splice)."""
        assert self.splicer is not None, "a build that keeps pieces has a Splicer"
        self.count += 1
        staged = self._folder() / f"{os.getpid()}-{self.count}"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)  # Windows
        fd = os.open(staged, flags, 0o644)
        try:
            content, pieces = self.splicer.write(name, data, fd)
        finally:
            os.close(fd)
        return Made(name, content, str(staged), pieces)

    def put_text(self, name: str, pieces: Iterator[str]) -> Made:
        """A file given as pieces of text (a template's output), encoded as UTF-8."""
        batches = iter(lambda: list(islice(pieces, 4096)), [])
        return self.put_pieces(name, ("".join(batch).encode("utf-8") for batch in batches))

    def put_pieces(self, name: str, pieces: Iterator[bytes]) -> Made:
        """A file given in pieces: held in memory while small, else written to the folder."""
        hasher = hashlib.blake2b(digest_size=16)
        held: list[bytes] = []
        size = 0
        stream = None
        staged: Path | None = None
        keep = not pool.in_worker()  # a worker's memory does not outlive it: always stage
        try:
            for data in pieces:
                hasher.update(data)
                size += len(data)
                if stream is None and (not keep or self.held + size > MEMORY_LIMIT):
                    self.count += 1
                    staged = self._folder() / f"{os.getpid()}-{self.count}"
                    stream = staged.open("wb")
                    stream.writelines(held)
                    held.clear()
                if stream is not None:
                    stream.write(data)
                else:
                    held.append(data)
        finally:
            if stream is not None:
                stream.close()
        content = hasher.hexdigest()
        if staged is not None:
            return Made(name, content, str(staged))
        self.memory[name] = b"".join(held)
        self.held += size
        return Made(name, content, None)

    def _folder(self) -> Path:
        if self.folder is None:
            if self.parent is not None:
                self.parent.mkdir(parents=True, exist_ok=True)
            self.folder = Path(tempfile.mkdtemp(prefix="stage-", dir=self.parent))
        return self.folder

    def prepare(self) -> None:
        """Make the folder before forking, so every worker writes into the same one."""
        self._folder()

    def cleanup(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
        self.memory.clear()


class StagedFiles(Mapping[str, bytes]):
    """{name: bytes} for the writer, reading staged files when asked (never holding them)."""

    def __init__(self, made: dict[str, Made], stage: Stage) -> None:
        self.made = made
        self.stage = stage

    def __getitem__(self, name: str) -> bytes:
        made = self.made[name]
        if made.staged is None:
            return self.stage.memory[name]
        return Path(made.staged).read_bytes()

    def staged_path(self, name: str) -> str | None:
        """The staged file of `name` (the writer may move it into place), or None."""
        return self.made[name].staged

    def __iter__(self) -> Iterator[str]:
        return iter(self.made)

    def __len__(self) -> int:
        return len(self.made)
