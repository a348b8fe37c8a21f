"""Writing a whole-site file from its pieces, copying the unchanged ones from the last one.

At 10,000 plans plans.json is 137 MB: a title change alters one plan's piece of it. `watch`
keeps each plan's piece (render.pieces.PlanPieces) and, for each file it published, where
each piece lies in it (a Layout). A new file is then written as the old file's byte ranges
for the pieces that are the same, copied by the kernel (os.copy_file_range, else read and
written), and the kept bytes of the others. The file is still written whole beside the old
one and published by the writer as any other: a reader sees the old file or the new one.

The published file is used only while it is as this process left it (inode, size and
modification time); else every piece comes from the kept pieces.
"""

from __future__ import annotations

import errno
import hashlib
import os
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from planpress.render.pieces import PieceRef, Spliced

# the errors of a file system that cannot copy ranges: the bytes are read and written instead
_NO_COPY = {errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP}


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each plan's piece lies in a published file, and which file that is."""

    stamp: tuple[int, int, int]  # the file's inode, size and modification time (ns)
    # plan id -> its key, offset, length, and the short bytes just before it (a separator)
    pieces: dict[str, tuple[str, int, int, bytes | None]]


def file_stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_ino, found.st_size, found.st_mtime_ns


_GAP = 16  # separators up to this long are remembered, so runs of pieces copy as one range


class Splicer:
    """Writes Spliced files for one build into `output`'s staging, from `store` (the kept
    pieces) and the files published last (`layouts`, by output name)."""

    def __init__(
        self,
        output: Path,
        layouts: Mapping[str, Layout],
        store: Mapping[tuple[str, str], tuple[str, bytes]],
    ) -> None:
        self.output = output
        self.layouts = layouts
        self.store = store

    def write(self, name: str, spliced: Spliced, fd: int) -> tuple[str, dict]:
        """Writes the file to `fd`; returns a digest that changes whenever its bytes do, and
        where its pieces went (for the Layout of the file once published)."""
        hasher = hashlib.blake2b(digest_size=16)
        placed: dict[str, tuple[str, int, int, bytes | None]] = {}
        offset, gap = 0, b""  # where the next part goes, and the bytes since the last piece
        with _Writer(self.output / name, self.layouts.get(name), fd) as out:
            for part in spliced.parts:
                if isinstance(part, bytes):
                    hasher.update(b"B%d:" % len(part))
                    hasher.update(part)
                    gap += part
                    continue
                hasher.update(f"P{part.file}\0{part.plan_id}\0{part.key}\0".encode())
                length = out.take(part, gap)
                if length is None:  # changed, or not in the published file as it is
                    data = self._kept(part)
                    out.write(gap + data)
                    length = len(data)
                offset += len(gap)
                placed[part.plan_id] = (part.key, offset, length, gap if len(gap) <= _GAP else None)
                offset += length
                gap = b""
            out.write(gap)
        return hasher.hexdigest(), placed

    def _kept(self, part: PieceRef) -> bytes:
        key, data = self.store[(part.file, part.plan_id)]
        assert key == part.key, f"the kept piece of {part.plan_id} in {part.file} is current"
        return zlib.decompress(data)


class _Writer:
    """Writes to `fd`, copying ranges of the file as published last while it is the one its
    Layout describes; ranges that follow one another are copied as one."""

    def __init__(self, path: Path, layout: Layout | None, fd: int) -> None:
        self.path, self.layout, self.fd = path, layout, fd
        self.source: int | None = None
        # whether os.copy_file_range works here (Linux only; not on every file system)
        self.ranges = hasattr(os, "copy_file_range")
        self.pending: tuple[int, int] | None = None  # a range of the source still to copy
        self.buffer: list[bytes] = []  # bytes still to write, after `pending`
        self.buffered = 0

    def __enter__(self) -> _Writer:
        if self.layout is None:
            return self
        try:
            self.source = os.open(self.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        except OSError:
            return self
        found = os.fstat(self.source)
        if (found.st_ino, found.st_size, found.st_mtime_ns) != self.layout.stamp:
            os.close(self.source)
            self.source = None
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None:
                self._flush()
                self._drain()
        finally:
            if self.source is not None:
                os.close(self.source)

    def take(self, part: PieceRef, gap: bytes) -> int | None:
        """Writes `gap` and the piece as copies from the source, and gives the piece's length;
        None (nothing written) when the source does not hold the piece as it is."""
        if self.source is None or self.layout is None:
            return None
        found = self.layout.pieces.get(part.plan_id)
        if found is None or found[0] != part.key:
            return None
        _, start, length, before = found
        end = start + length
        if gap and before == gap:
            start -= len(gap)  # the same separator lies before it: copied with it
        elif gap:
            self.write(gap)  # the source has other bytes before the piece
        if self.pending is not None and self.pending[1] == start:
            self.pending = (self.pending[0], end)
        else:
            self._flush()
            self._drain()
            self.pending = (start, end)
        return length

    def write(self, data: bytes) -> None:
        """Bytes after what was taken so far: written in batches (a piece is a few KB)."""
        self._flush()
        self.buffer.append(data)
        self.buffered += len(data)
        if self.buffered > 1 << 20:
            self._drain()

    def _drain(self) -> None:
        if self.buffer:
            _write_all(self.fd, b"".join(self.buffer))
            self.buffer, self.buffered = [], 0

    def _flush(self) -> None:
        """Copies the pending range (the buffer holds nothing yet: it comes after)."""
        if self.pending is None:
            return
        (start, end), self.pending = self.pending, None
        assert self.source is not None and not self.buffer
        while start < end and self.ranges:
            try:
                copied = os.copy_file_range(self.source, self.fd, end - start, start)
            except OSError as exc:
                if exc.errno not in _NO_COPY:
                    raise
                self.ranges = False
                break
            if copied == 0:
                raise OSError(errno.EIO, f"{self.path} changed while being read")
            start += copied
        while start < end:
            data = _read_at(self.source, min(end - start, 1 << 20), start)
            if not data:
                raise OSError(errno.EIO, f"{self.path} changed while being read")
            _write_all(self.fd, data)
            start += len(data)


def _read_at(fd: int, count: int, offset: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(fd, count, offset)
    os.lseek(fd, offset, os.SEEK_SET)  # Windows
    return os.read(fd, count)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
