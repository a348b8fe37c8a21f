"""One rebuild at a time: run the pipeline, report it, and keep what the server shows.

A rebuild holds the state's lock for writing while the pipeline runs, and the
preview server holds it for reading while it reads a file, so a request either
waits for the rebuild in progress or is answered from the previous complete
build. A failed build writes nothing (the pipeline's rule), so the output
folder keeps the last good build, and the failure is kept as `error` for the
overlay. Any exception is caught and reported: bad input never stops the loop.
"""

from __future__ import annotations

import contextlib
import gc
import inspect
import threading
import time
import traceback
import typing
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from planpress.diagnostics import BuildFailed, Diagnostic, PlanpressError
from planpress.pipeline import BuildOptions, BuildResult, build
from planpress.progress import ProgressLine
from planpress.render.format import plural

READ_TIMEOUT = 60.0  # a request waits at most this long for a rebuild, then reads anyway
COLLECT_EVERY = 10  # builds without a pause after which idle() runs anyway


class RWLock:
    """Many readers or one writer; a waiting writer stops new readers from starting."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextlib.contextmanager
    def read(self, timeout: float = READ_TIMEOUT) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing and not self._writers_waiting, timeout)
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            try:
                self._cond.wait_for(lambda: not self._writing and not self._readers)
            finally:
                self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()

    @property
    def writing(self) -> bool:
        return self._writing


@dataclass(frozen=True, slots=True)
class BuildError:
    """Why the last build failed: a summary and the diagnostics (file:line: …) behind it."""

    summary: str
    details: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        return [*self.details, self.summary]


@dataclass(slots=True)
class BuildReport:
    number: int  # 1 for the first build
    ok: bool
    seconds: float
    changed: tuple[str, ...]
    result: BuildResult | None = None
    error: BuildError | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    reason: str = ""  # why it was built when no file changed ("a new day: 2026-11-24")


class SiteState:
    """What the server shows: the generation (bumped when pages change) and the last error."""

    def __init__(self) -> None:
        self.lock = RWLock()
        self.changed = threading.Condition()
        self.generation = 0
        self.error: BuildError | None = None
        self.stopping = False

    def publish(self, error: BuildError | None, pages_changed: bool) -> None:
        with self.changed:
            if pages_changed or error != self.error:
                self.generation += 1
            self.error = error
            self.changed.notify_all()

    def wait_for_generation(self, seen: int | None, timeout: float) -> int:
        """The generation once it differs from `seen` (or after `timeout`)."""
        with self.changed:
            self.changed.wait_for(lambda: self.generation != seen or self.stopping, timeout)
            return self.generation

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()


BuildFunction = Callable[..., BuildResult]


class Builder:
    """Runs rebuilds of one site into one output folder and prints what happened."""

    def __init__(
        self,
        path: Path,
        output: Path | None,
        options: BuildOptions,
        state: SiteState,
        stream: TextIO,
        quiet: bool = False,
        kept: str = "the output folder keeps the last good build",
        build_fn: BuildFunction | None = None,
        on_build: Callable[[BuildReport], None] | None = None,
        persist_cache: bool = True,
    ) -> None:
        self.path = path
        self.output = output
        self.options = options
        self.state = state
        self.stream = stream
        self.quiet = quiet
        self.kept = kept
        self.build_fn = build_fn or build
        self.on_build = on_build
        self.count = 0
        self.persist_cache = persist_cache
        self.progress = ProgressLine.for_stream(stream, quiet)
        self.extra = self._extras()
        self._idle_work = False  # a build ran since the last idle()
        self._finished = 0.0  # when the last build ended (time.monotonic)
        self._since_collect = 0

    def _extras(self) -> dict[str, Any]:
        extra = _build_extras(self.build_fn, self.persist_cache)
        if _takes(self.build_fn, "progress"):
            extra["progress"] = self.progress
        return extra

    def run(self, changed: Sequence[str] = (), reason: str = "") -> BuildReport:
        """One rebuild; never raises except KeyboardInterrupt and SystemExit."""
        self.count += 1
        started = time.perf_counter()
        result: BuildResult | None = None
        error: BuildError | None = None
        diagnostics: list[Diagnostic] = []
        self.progress.start("building" if self.count == 1 else "rebuilding")
        try:
            with self.state.lock.write():
                try:
                    result = self.build_fn(self.path, self.output, self.options, **self.extra)
                    diagnostics = list(result.diagnostics)
                except BuildFailed as failure:
                    diagnostics = list(failure.diagnostics)
                    error = BuildError(
                        f"planpress: {failure} ({self.kept})", _formatted(diagnostics)
                    )
                except PlanpressError as failure:
                    diagnostics = list(failure.diagnostics)
                    error = BuildError(
                        f"planpress: error: {failure} ({self.kept})", _formatted(diagnostics)
                    )
                except Exception as exc:  # a bug, or the file system: report it, keep going
                    trace = traceback.format_exception(exc)
                    self.extra = self._extras()  # a fresh cache
                    error = BuildError(
                        f"planpress: internal error: {type(exc).__name__}: {exc} ({self.kept})",
                        tuple("".join(trace).rstrip().splitlines()[-12:]),
                    )
                files = result.files if result is not None else None
                self.state.publish(error, files is not None and files.written + files.removed > 0)
        finally:
            self.progress.stop()
        seconds = time.perf_counter() - started
        report = BuildReport(
            self.count, error is None, seconds, tuple(changed), result, error, diagnostics, reason
        )
        self._print(report)
        if self.on_build is not None:
            try:
                self.on_build(report)
            except Exception:
                traceback.print_exc(file=self.stream)
        self._idle_work, self._finished = True, time.monotonic()
        self._since_collect += 1
        if self._since_collect >= COLLECT_EVERY:  # edits keep coming: do not wait for a pause
            self.idle()
        return report

    def idle(self, after: float = 0.0) -> None:
        """What waits for a pause in the edits (`after` seconds since the last build): one
        full pass of the garbage collector, and saving the cache (a live one; see
        incremental.cache).

        No full pass runs while whole-site files are drawn (see incremental.render), so in
        a process that rebuilds for hours the garbage cycles of earlier builds would pile up
        (about 12 MB a title change at 2,000 plans); at 10,000 plans a pass takes seconds,
        which a save waits for no longer."""
        if not self._idle_work or time.monotonic() - self._finished < after:
            return
        self._idle_work = False
        self._since_collect = 0
        gc.collect()
        cache = self.extra.get("cache")
        if cache is not None and getattr(cache, "live", False) and cache.unsaved:
            try:
                cache.save()
            except Exception:  # a cache is only ever a speed-up
                traceback.print_exc(file=self.stream)

    def _print(self, report: BuildReport) -> None:
        lines: list[str] = []
        if report.error is not None:
            lines += report.error.lines()
        else:
            lines += _formatted(report.diagnostics)
            if not self.quiet and report.result is not None:
                lines.append(self._summary(report))
        if lines:
            print("\n".join(lines), file=self.stream, flush=True)

    def _summary(self, report: BuildReport) -> str:
        result = report.result
        assert result is not None
        files = result.files
        what = f"built {plural(result.plans, 'plan')}"
        if report.changed:
            shown = _shown(report.changed[0], self.path)
            more = f" and {len(report.changed) - 1} more" if len(report.changed) > 1 else ""
            what = f"{shown}{more} changed: re{what}"
        elif report.reason:
            what = f"{report.reason}: re{what}"
        return (
            f"planpress: {what} ({files.written} written, {files.unchanged} unchanged, "
            f"{files.removed} removed, {plural(len(result.diagnostics), 'warning')}) "
            f"in {report.seconds:.2f} s"
        )


def _takes(build_fn: BuildFunction, name: str) -> bool:
    try:
        return name in inspect.signature(build_fn).parameters
    except (TypeError, ValueError):
        return False


def _build_extras(build_fn: BuildFunction, persist: bool = True) -> dict[str, Any]:
    """A cache kept across rebuilds, when the pipeline's build() takes one (`cache=`).

    `persist=False` keeps it in memory only (a preview into a temporary folder leaves no
    state behind in the site's cache folder).
    """
    if not _takes(build_fn, "cache"):
        return {}
    kept = {} if persist else {"persist": False}
    for candidate in _cache_classes(build_fn):
        for arguments in ({"live": True, **kept}, kept, {}):
            try:
                return {"cache": candidate(**arguments)}
            except Exception:
                continue
    return {}


def _cache_classes(build_fn: BuildFunction) -> list[type]:
    """The class named by build()'s `cache` annotation (`BuildCache | None`), else BuildCache."""
    found: list[type] = []
    try:
        hint = typing.get_type_hints(build_fn).get("cache")
    except Exception:
        hint = None
    for option in typing.get_args(hint) or (hint,):
        if isinstance(option, type) and option is not type(None):
            found.append(option)
    from planpress import pipeline

    fallback = getattr(pipeline, "BuildCache", None)
    if isinstance(fallback, type) and fallback not in found:
        found.append(fallback)
    return found


def _formatted(diagnostics: Sequence[Diagnostic]) -> tuple[str, ...]:
    return tuple(d.format() for d in diagnostics)


def _shown(path: str, site: Path) -> str:
    try:
        shown = Path(path).resolve().relative_to(site.resolve()).as_posix()
    except ValueError:
        return path
    return "the site folder" if shown == "." else shown
