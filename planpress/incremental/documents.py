"""Loading plan documents into Plans: each changed file once, unchanged ones from the cache.

A Plan is a function of its file, people.yaml, the plan kinds and audiences, planpress, and
one more thing: the names of people and teams that people.yaml does not declare, which the
first plan to write one introduces (with a warning). So a document's entry records every
such name it resolved, and is reused only when those names resolve the same way in this
build (PartyIndex.replay); otherwise the document is built again, in document order, exactly
as a build without cache would. On a cold build the documents are read and built by forked
worker processes, which send back their entries pickled; the pickles go straight into the
cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from planpress.config import SiteConfig
from planpress.diagnostics import Diagnostic, Diagnostics
from planpress.incremental import pool
from planpress.incremental.cache import BuildCache, DocEntry, fast_pickling
from planpress.incremental.digests import code_digest, digest, model_digests
from planpress.load.files import (
    PEOPLE_FILE,
    discover_with_stats,
    read_people,
    read_plan,
    shown_path,
)
from planpress.load.yamltree import YamlTree
from planpress.resolve.model import Plan
from planpress.resolve.people import PartyIndex, read_parties
from planpress.resolve.plans import build_plan

PARALLEL_DOCUMENTS = 200  # fewer changed documents than this are built in the build's process
# Workers send their entries back pickled: 0.15 ms a plan to pickle there and 0.1 ms to
# unpickle here, against 1.3 ms to read and build one. On two idle cores a cold load of
# 1,000 plans takes 0.9 s instead of 1.3 s (5,000: 5.4 s instead of 6.9 s), for a fifth to
# a third more memory: unpickled plans share fewer strings and small objects.
PARALLEL_LOAD_JOBS = 2
_CHUNK = 50  # documents per task for a worker


@dataclass(slots=True)
class _File:
    path: str  # the file's path (a string: a Path each costs, at 10,000 plans a rebuild)
    shown: str
    data: bytes | None
    digest: str | None
    entry: DocEntry | None = None
    fresh: bool = False  # entry built in this build (by a worker), not taken from the cache
    blob: bytes | None = None  # the entry pickled by a worker, for the cache


@dataclass(frozen=True, slots=True)
class LoadedPlans:
    """Plans in document order (None for a broken document), the party index, model digests."""

    plans: list[Plan | None]
    index: PartyIndex
    models: dict[int, tuple[Plan, tuple[str, str, str]]]  # id(plan) -> (plan, model digests)
    built: int  # documents read and built in this build (the rest came from the cache)


class _Builder:
    """What building one document needs; inherited by forked workers."""

    def __init__(
        self,
        config: SiteConfig,
        index: PartyIndex,
        env: str,
        kinds: tuple[str, ...],
        audiences: tuple[str, ...],
        digests: bool,
    ) -> None:
        self.config = config
        self.index = index
        self.env = env
        self.kinds = kinds
        self.audiences = audiences
        self.digests = digests  # compute model digests (only incremental builds need them)

    def entry(self, path: Path, data: bytes | None, index: PartyIndex | None = None) -> DocEntry:
        """Read and build one document, recording what it took from the party index."""
        config, index = self.config, index or self.index
        diagnostics = Diagnostics()
        doc = read_plan(path, config.site_dir, config.content_dir, diagnostics, data)
        shared, index.diagnostics, index.calls = index.diagnostics, diagnostics, []
        try:
            plan = build_plan(doc, index, diagnostics, self.kinds, self.audiences)
            calls = tuple(index.calls)
        finally:
            index.diagnostics, index.calls = shared, None
        models = model_digests(plan) if plan is not None and self.digests else None
        return DocEntry(
            doc.path, doc.digest, self.env, plan, tuple(diagnostics.items), calls, models
        )

    def chunk(self, files: Sequence[tuple[str, bytes | None]]) -> list[bytes]:
        """Ahead of the build's pass in document order: pickled entries of some documents.

        Built with a copy of the index as people.yaml alone gives it; the pass in order
        keeps each entry only if the names it resolved resolve the same way there.
        """
        index = self.index.copy()
        return [
            pickle.dumps(self.entry(Path(path), data, index), protocol=pickle.HIGHEST_PROTOCOL)
            for path, data in files
        ]


@dataclass(slots=True)
class PlanFiles:
    """The plan files of a site as read from disk, before any is parsed."""

    files: list[_File]  # in path order
    people: bytes | None  # people.yaml's bytes (b"" when there is none)
    found: tuple[Diagnostic, ...]  # what looking for the files reported (links, odd files)

    def digest(self) -> str:
        """Of every file's path and bytes, people.yaml's and what looking for them found."""
        people = hashlib.sha256(self.people).hexdigest() if self.people is not None else "?"
        return digest(
            people,
            repr(self.found),
            *(f"{file.shown}\0{file.digest}" for file in self.files),
        )


# path -> (what lstat gave: inode, size, modified and changed times; the file's sha256)
FileDigests = dict[str, tuple[tuple[int, int, int, int], str]]
RACY_NS = 2_000_000_000  # a file changed this close to when it was read is read again


def read_plan_files(config: SiteConfig, known: FileDigests | None = None) -> PlanFiles:
    """Every plan file under the content folder, in path order, read but not parsed.

    `known` (kept by a live cache from one build to the next) holds each file's sha256
    with its inode, size and times: a file whose are the same is not read again (its bytes
    are read when a plan must be built from it). A file whose change time is within two
    seconds of when it was read is read again next time, since a change in the same tick
    of the clock would not show in its times (git's "racily clean" files)."""
    site_dir, content_dir = config.site_dir, config.content_dir
    people_file = content_dir / PEOPLE_FILE
    people = _read(people_file) if people_file.is_file() else b""
    found = Diagnostics()
    files = []
    now = time.time_ns()
    seen: FileDigests = {}
    # as shown_path() shows them, without a Path per file: 10,000 of them a rebuild
    inside = content_dir.is_relative_to(site_dir)
    prefix = f"{content_dir.relative_to(site_dir).as_posix()}/" if inside else ""
    prefix = "" if prefix == "./" else prefix
    folder = os.fspath(content_dir)
    for name, stat in discover_with_stats(content_dir, found, site_dir):
        path = os.path.join(folder, name)
        shown = prefix + name if inside else shown_path(Path(path), site_dir)
        key = (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns) if stat else None
        kept = known.get(shown) if known is not None and key is not None else None
        if kept is not None and kept[0] == key:
            files.append(_File(path, shown, None, kept[1]))
            seen[shown] = kept
            continue
        data = _read(path)
        digest_ = _sha256(data)
        files.append(_File(path, shown, data, digest_))
        if key is not None and digest_ is not None and now - key[3] > RACY_NS:
            seen[shown] = (key, digest_)
    if known is not None:
        known.clear()
        known.update(seen)
    return PlanFiles(files, people, tuple(found.items))


def load_plans(
    config: SiteConfig,
    kinds: tuple[str, ...],
    diagnostics: Diagnostics,
    cache: BuildCache | None,
    jobs: int,
    read: PlanFiles | None = None,
) -> LoadedPlans:
    """Every plan document under the content folder, in path order, built or reused.

    `read` is what read_plan_files gave, when the build read the files already.
    """
    site_dir, content_dir = config.site_dir, config.content_dir
    read = read if read is not None else read_plan_files(config)
    people_tree = _people_tree(config, read, diagnostics, cache)
    diagnostics.extend(read.found)
    people_path = shown_path(content_dir / PEOPLE_FILE, site_dir)
    index = PartyIndex(read_parties(people_tree, people_path, diagnostics), diagnostics)
    env = digest(
        code_digest(),
        hashlib.sha256(read.people).hexdigest() if read.people is not None else "?",
        repr(kinds),
        repr(config.audiences),
        str(site_dir),
        str(content_dir),
    )
    builder = _Builder(config, index, env, kinds, config.audiences, digests=cache is not None)
    files = read.files
    for file in files:
        if cache is not None and file.digest is not None:
            file.entry = cache.document(file.shown, file.digest, env)
    missing = [file for file in files if file.entry is None]
    if jobs >= PARALLEL_LOAD_JOBS and len(missing) >= PARALLEL_DOCUMENTS and pool.can_fork():
        _build_in_workers(builder, missing, jobs, keep_pickles=cache is not None)
    plans: list[Plan | None] = []
    models: dict[int, tuple[Plan, tuple[str, str, str]]] = {}
    built = 0
    for file in files:
        entry, fresh = file.entry, file.fresh
        if entry is not None and not index.replay(entry.party_calls):
            entry = None  # an unknown name now resolves differently: build it here, in order
        if entry is None:
            entry, file.blob, fresh = builder.entry(Path(file.path), file.data), None, True
        if fresh:
            built += 1
            if cache is not None:
                cache.put_document(entry, file.blob)
        file.data = file.blob = None
        diagnostics.extend(entry.diagnostics)
        plans.append(entry.plan)
        if entry.plan is not None and entry.models is not None:
            models[id(entry.plan)] = (entry.plan, entry.models)
    if cache is not None:
        cache.keep_documents(file.shown for file in files)
    return LoadedPlans(plans, index, models, built)


def _people_tree(
    config: SiteConfig, read: PlanFiles, diagnostics: Diagnostics, cache: BuildCache | None
) -> YamlTree:
    """people.yaml, parsed; by a cache, only when its bytes changed (a thousand people take
    a tenth of a second to parse)."""
    if cache is None or read.people is None:
        return read_people(config.content_dir, config.site_dir, diagnostics)
    key = hashlib.sha256(read.people).hexdigest()
    kept = cache.people_tree
    if kept is None or kept[0] != key:
        said = Diagnostics()
        tree = read_people(config.content_dir, config.site_dir, said)
        kept = cache.people_tree = (key, tree, tuple(said.items))
    diagnostics.extend(kept[2])
    return kept[1]  # read, never changed, by read_parties


def _build_in_workers(builder: _Builder, files: list[_File], jobs: int, keep_pickles: bool) -> None:
    """Build the documents in forked workers (this process too), ahead of the pass in order.

    With `keep_pickles` each entry keeps the pickle it came in, which the cache then saves.
    """
    fast_pickling()  # the entries come back pickled
    chunks = [
        [(f.path, f.data) for f in files[start : start + _CHUNK]]
        for start in range(0, len(files), _CHUNK)
    ]
    results = pool.run(builder.chunk, chunks, jobs)
    del chunks
    for blobs, start in zip(results, range(0, len(files), _CHUNK), strict=True):
        for file, blob in zip(files[start : start + _CHUNK], blobs, strict=True):
            file.entry, file.fresh = pickle.loads(blob), True
            file.blob = blob if keep_pickles else None
        blobs.clear()  # each chunk's pickles go as soon as they are read


def _read(path: str | Path) -> bytes | None:
    try:
        with open(path, "rb") as stream:
            return stream.read()
    except OSError:
        return None  # read_plan reads again and reports why it cannot


def _sha256(data: bytes | None) -> str | None:
    return hashlib.sha256(data).hexdigest() if data is not None else None
