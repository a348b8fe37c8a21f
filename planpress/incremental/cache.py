"""The build cache: what one build keeps for the next, in memory and in `.planpress-cache/`.

Two things are kept:

- Documents: for each plan file, the Plan built from it (with its diagnostics, the names of
  people it resolved that people.yaml does not know, and its model digests), keyed by the
  file's path and sha256 and by everything else a Plan depends on (people.yaml, plan kinds,
  audiences, planpress itself). An unchanged file is neither read as YAML nor rebuilt.
- Pages: for the output folder, each file's fingerprint (see facts) and the digest of its
  bytes. A page whose fingerprint did not change is neither drawn nor read nor written.
  With them, the digest of everything the last build read (see inputs) and what it
  reported: a build whose inputs have that digest does nothing at all.

The folder holds a CACHEDIR.TAG, one pickle per document under documents/, and one state
file per output folder. Deleting it is always safe: the next build is a full one. A state
file is removed before a build writes anything and saved after it, so an interrupted build
leaves no state to trust. A build without a cache into the same output folder removes the
state too (`forget_output`).

Every file carries an HMAC of its pickle, keyed by a secret that stays outside the site folder
(`$XDG_CACHE_HOME/planpress/cache-key`, made on first use, readable by its owner only). The
site folder is often a shared git work tree: a pickle planted there must never be unpickled,
since unpickling runs code. A file without a valid MAC is a cache miss.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import json
import os
import pickle
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from planpress.diagnostics import Diagnostic
from planpress.incremental.splice import Layout
from planpress.render.pieces import KeptParts
from planpress.resolve.linking import LinkMemo
from planpress.resolve.model import Plan
from planpress.schedule.groups import GroupMemo
from planpress.write.output import MANIFEST

if TYPE_CHECKING:
    import jinja2

    from planpress.incremental.facts import FactsMemo

CACHE_DIR = ".planpress-cache"
FORMAT = 3  # bump when what is stored changes shape
_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This folder is planpress's build cache: it is safe to delete at any time.\n"
    "# See https://bford.info/cachedir/\n"
)
PartyCall = tuple[str, str, bool]  # (name as written, key it resolved to, created here)


@dataclass(slots=True)
class DocEntry:
    """One plan file, built: what a later build reuses while the file and its inputs stay."""

    path: str  # as shown in messages: relative to the site folder
    digest: str  # sha256 of the file's bytes
    env: str  # digest of what else the Plan depends on (people.yaml, kinds, audiences, code)
    plan: Plan | None  # None when the file is too broken to be a plan
    diagnostics: tuple[Diagnostic, ...]  # everything reading and building it reported
    party_calls: tuple[PartyCall, ...]  # names resolved that people.yaml does not declare
    models: tuple[str, str, str] | None  # facts.model_digests(plan)


@dataclass(slots=True)
class FileState:
    fingerprint: str  # what the file was made from ('' for artifacts and assets)
    content: str  # digest of its bytes


@dataclass(frozen=True, slots=True)
class BuildRecord:
    """What a build reported, kept so that a build of the same inputs can report it again."""

    inputs: str  # inputs.inputs_digest of the build
    plans: int  # plans on the site
    diagnostics: tuple[Diagnostic, ...]  # its warnings, sorted


@dataclass(slots=True)
class OutputState:
    """What the last build with this cache wrote into one output folder."""

    output: str
    folder: str  # output_digest of the folder after that build
    files: dict[str, FileState] = field(default_factory=dict)
    artifacts: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    # artifact name -> (its fingerprint, the files it made)
    record: BuildRecord | None = None  # of the build that left the folder so


class BuildCache:
    """Pass one to `build(..., cache=...)`; keep it across builds (`planpress watch` does).

    `folder` defaults to `.planpress-cache` in the site folder. With `persist=False` the
    cache lives in memory only. With `reuse_parts=False` (a process that builds once) no
    part of a site-wide page is kept for a next build (see render.pieces.PlanPieces).

    A `live` cache belongs to a process that builds again and again (`watch`, `serve`):
    build() does not save it (its owner calls save() when idle, and before it exits), and
    an output folder this process wrote last is trusted while its manifest is the one this
    process wrote, without looking at each of its files (see folder_digest).
    """

    def __init__(
        self,
        folder: str | Path | None = None,
        *,
        persist: bool = True,
        reuse_parts: bool = True,
        live: bool = False,
    ) -> None:
        fast_pickling()
        self.folder = Path(folder).resolve() if folder is not None else None
        self.persist = persist
        self.reuse_parts = reuse_parts
        self.live = live
        self._written: dict[str, tuple[int, int, int]] = {}  # output -> its manifest's stamp
        self.documents: dict[str, DocEntry] = {}
        self._dirty: set[str] = set()  # documents to save
        self._present: set[str] | None = None  # the files of the last build
        self._removed: set[str] = set()  # documents to delete
        self._swept = False  # whether files of documents gone before this process were removed
        self._blobs: dict[str, bytes] = {}  # pickled entries made by worker processes
        self._outputs: dict[str, OutputState | None] = {}  # None: known to have no state
        self._dirty_outputs: set[str] = set()
        # in memory only: pieces of whole-site files (see render.pieces.PlanPieces), and the
        # schedule and status of each group of plans (see schedule.groups)
        self.pieces: dict[tuple[str, str], tuple[str, bytes]] = {}
        self.groups = GroupMemo()
        self.environment: tuple[str, jinja2.Environment] | None = None  # see incremental.render
        self.links = LinkMemo()  # see resolve.linking
        self.file_digests: dict = {}  # see documents.read_plan_files
        self.people_tree: tuple | None = None  # (sha256, parsed people.yaml, its diagnostics)
        self.parts: KeptParts = {}  # rows of site-wide pages (see render.pieces.PlanPieces)
        self.facts: FactsMemo | None = None  # the last build's digests and prints (see facts)
        # file -> (fingerprint of its Depends, its label, its fingerprint): see incremental.render
        self.unit_prints: dict[str, tuple[str, str, str]] = {}
        self.layouts: dict[str, Layout] = {}  # where kept pieces lie in published files (splice)

    # --- where ------------------------------------------------------------------------------

    def bind(self, site_dir: Path) -> None:
        """Settle the folder on first use: the site folder's .planpress-cache by default."""
        if self.folder is None:
            self.folder = (site_dir / CACHE_DIR).resolve()

    @property
    def _documents_dir(self) -> Path:
        assert self.folder is not None
        return self.folder / "documents"

    def _document_file(self, path: str) -> Path:
        name = hashlib.sha256(path.encode("utf-8", "surrogatepass")).hexdigest()
        return self._documents_dir / name[:2] / f"{name[2:]}.pickle"

    def _state_file(self, output: Path) -> Path:
        assert self.folder is not None
        name = hashlib.sha256(str(output).encode("utf-8", "surrogatepass")).hexdigest()[:24]
        return self.folder / f"output-{name}.pickle"

    # --- documents --------------------------------------------------------------------------

    def document(self, path: str, digest: str, env: str) -> DocEntry | None:
        """The entry for this version of a file, or None."""
        entry = self.documents.get(path)
        if entry is None and self.persist and self.folder is not None:
            entry = self._read_document(path)
            if entry is not None:
                self.documents[path] = entry
        if entry is not None and entry.digest == digest and entry.env == env:
            return entry
        return None

    def _read_document(self, path: str) -> DocEntry | None:
        try:
            data = self._document_file(path).read_bytes()
        except OSError:
            return None
        entry = _unpickle(data)
        if not isinstance(entry, DocEntry) or entry.path != path:
            return None
        return entry

    def put_document(self, entry: DocEntry, blob: bytes | None = None) -> None:
        """Keep an entry; `blob` is its pickle when a worker process already made one."""
        self.documents[entry.path] = entry
        self._dirty.add(entry.path)
        if blob is not None:
            self._blobs[entry.path] = blob

    def keep_documents(self, paths: Iterable[str]) -> None:
        """Forget the entries of files that are gone (on disk too, at the next save)."""
        self._present = set(paths)
        for path in [p for p in self.documents if p not in self._present]:
            del self.documents[path]
            self._removed.add(path)

    # --- output state -----------------------------------------------------------------------

    def output_state(self, output: Path, folder: str) -> OutputState | None:
        """The state of the last build into `output`, if the folder still is as it left it."""
        key = str(output)
        if key not in self._outputs and self.persist and self.folder is not None:
            with contextlib.suppress(OSError):
                state = _unpickle(self._state_file(output).read_bytes())
                self._outputs[key] = state if isinstance(state, OutputState) else None
        state = self._outputs.get(key)
        if state is None or state.output != key or state.folder != folder:
            return None
        return state

    def unchanged_build(self, output: Path, folder: str, inputs: str) -> OutputState | None:
        """The state of the last build into `output` if it had these inputs, else None."""
        state = self.output_state(output, folder)
        if state is None or state.record is None or state.record.inputs != inputs:
            return None
        return state

    def record_build(self, output: Path, record: BuildRecord) -> None:
        """After a build into `output`: what it read and reported (see unchanged_build)."""
        state = self._outputs.get(str(output))
        if state is not None:
            state.record = record
            self._dirty_outputs.add(state.output)

    def forget_output(self, output: Path) -> None:
        """Before writing into `output`: no state may outlive a build that did not finish."""
        self._outputs[str(output)] = None
        if self.persist and self.folder is not None:
            with contextlib.suppress(OSError):
                self._state_file(output).unlink()

    @staticmethod
    def forget_output_of(site_dir: Path, output: Path) -> None:
        """For a build without cache: the site's own cache no longer knows `output`."""
        folder = site_dir / CACHE_DIR
        if folder.is_dir():
            BuildCache(folder).forget_output(output)

    def set_output_state(self, state: OutputState) -> None:
        self._outputs[state.output] = state
        self._dirty_outputs.add(state.output)

    def folder_digest(self, output: Path) -> str:
        """output_digest(output); for a live cache and a folder it wrote last whose manifest
        is still the one it wrote, LIVE: the folder is as this process left it.

        Any other build into the folder rewrites the manifest. What a live cache does not see
        is a person editing or deleting a page of the folder while `watch` runs."""
        stamp = self._written.get(str(output))
        if stamp is not None and stamp == _manifest_stamp(output):
            return LIVE
        return output_digest(output)

    def folder_written(self, output: Path) -> str:
        """After a build wrote `output`: the digest its state records (LIVE for a live cache,
        which works the real one out when it saves)."""
        if not self.live:
            return output_digest(output)
        stamp = _manifest_stamp(output)
        if stamp is None:
            self._written.pop(str(output), None)
            return output_digest(output)
        self._written[str(output)] = stamp
        return LIVE

    # --- saving -----------------------------------------------------------------------------

    def save(self) -> None:
        """Write what changed since the last save (documents, output states); never raises."""
        try:
            if self.persist and self.folder is not None:
                self._save()
        except OSError:
            pass  # a read-only or full disk: the next build is just slower
        finally:
            self._dirty.clear()
            self._blobs.clear()
            self._dirty_outputs.clear()

    def _save(self) -> None:
        assert self.folder is not None
        self.folder.mkdir(parents=True, exist_ok=True)
        tag = self.folder / "CACHEDIR.TAG"
        if not tag.is_file():
            _write_atomic(tag, _TAG.encode())
            tag.chmod(0o644)
        for path in sorted(self._dirty):
            entry = self.documents.get(path)
            if entry is None:
                continue
            blob = self._blobs.get(path) or pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
            _write_atomic(self._document_file(path), _seal(blob))
        if self._present is None:
            return self._save_outputs()
        for path in self._removed - self._present:
            self._document_file(path).unlink(missing_ok=True)
        self._removed.clear()
        if not self._swept and self._documents_dir.is_dir():  # once per process: older files
            wanted = {self._document_file(p) for p in self._present}
            for file in self._documents_dir.glob("*/*.pickle"):
                if file not in wanted:
                    file.unlink(missing_ok=True)
            self._swept = True
        self._save_outputs()

    def _save_outputs(self) -> None:
        for key in sorted(self._dirty_outputs):
            state = self._outputs.get(key)
            if state is None:
                continue
            if state.folder == LIVE:  # on disk, a state names the folder's real digest
                if self.folder_digest(Path(key)) != LIVE:
                    continue  # someone else wrote the folder since: nothing to trust
                state = replace(state, folder=output_digest(Path(key)))
            data = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
            _write_atomic(self._state_file(Path(key)), _seal(data))
        self._dirty_outputs.clear()

    @property
    def unsaved(self) -> bool:
        """Whether save() has anything to write."""
        return bool(self._dirty or self._dirty_outputs or self._removed)


@functools.cache
def fast_pickling() -> None:
    """Pickle the model's dataclasses as their class and field values.

    Frozen dataclasses with slots otherwise unpickle through a generic __setstate__ that looks
    up their fields for every object: a cache of ten thousand plans loads twice as fast this
    way. The bytes are the same kind of pickle (class and arguments), only smaller.
    """
    import copyreg
    import dataclasses

    from planpress import diagnostics
    from planpress.resolve import model
    from planpress.schedule import dates

    def reducer(cls: type) -> Callable[[object], tuple]:
        names = tuple(f.name for f in dataclasses.fields(cls))
        return lambda obj: (cls, tuple(getattr(obj, name) for name in names))

    for module in (model, diagnostics, dates, sys.modules[__name__]):
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and dataclasses.is_dataclass(value)
                and value.__module__ == module.__name__
                and all(f.init for f in dataclasses.fields(value))
            ):
                copyreg.pickle(value, reducer(value))


LIVE = "live"  # the digest of a folder a live cache wrote last and trusts (folder_digest)


def _manifest_stamp(output: Path) -> tuple[int, int, int] | None:
    try:
        stat = os.stat(os.path.join(output, MANIFEST))
    except OSError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def output_digest(output: Path) -> str:
    """Of the output folder as a build leaves it: its manifest, and the size, time and inode
    of each file the manifest names. Any other writer (a build without this cache, a person
    deleting a page) changes it, and the next build then trusts nothing it kept."""
    try:
        data = (output / MANIFEST).read_bytes()
        names = json.loads(data)
    except (OSError, ValueError):
        return ""
    hasher = hashlib.blake2b(data, digest_size=16)
    root = os.fspath(output)
    lstat, join = os.lstat, os.path.join  # no pathlib: 60,000 files at 10,000 plans
    for name in names if isinstance(names, list) else ():
        try:
            stat = lstat(join(root, name))
        except (OSError, TypeError, ValueError):
            hasher.update(b"-\n")
            continue
        hasher.update(b"%d %d %d\n" % (stat.st_ino, stat.st_size, stat.st_mtime_ns))
    return hasher.hexdigest()


def _header() -> bytes:
    from planpress import __version__

    return f"planpress-cache {FORMAT} {__version__}\n".encode()


@functools.cache
def _secret() -> bytes:
    """This user's key for the cache's MACs: kept outside every site folder, made once.

    Without a writable cache home the key lives only as long as the process: the cache then
    helps within one process (`planpress serve`) and is a miss for the next one.
    """
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "planpress"
    path = home / "cache-key"
    with contextlib.suppress(OSError):
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    key = os.urandom(32)
    with contextlib.suppress(OSError):
        home.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "wb") as stream:
            stream.write(key)
    with contextlib.suppress(OSError):  # another process may have made it first
        written = path.read_bytes()
        if len(written) >= 32:
            return written
    return key


def _mac(body: bytes) -> bytes:
    return hmac.new(_secret(), _header() + body, hashlib.sha256).hexdigest().encode()


def _seal(body: bytes) -> bytes:
    """A cache file: the header, the MAC of header and pickle, then the pickle."""
    return _header() + _mac(body) + b"\n" + body


def _unpickle(data: bytes) -> object:
    """The object of a file this user's planpress sealed; None for anything else (other
    versions, damage, files planted by someone else)."""
    fast_pickling()
    header, _, rest = data.partition(b"\n")
    if header + b"\n" != _header():
        return None
    mac, _, body = rest.partition(b"\n")
    if not hmac.compare_digest(mac, _mac(body)):
        return None
    try:
        return pickle.loads(body)
    except Exception:  # a damaged or foreign file is a cache miss, never an error
        return None


def _write_atomic(target: Path, data: bytes) -> None:
    import tempfile  # here: `planpress check` never writes

    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
