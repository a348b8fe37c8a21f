"""Work spread over worker processes forked from the build, which inherit its whole model.

Forking (Linux, macOS) hands every worker the loaded, resolved and scheduled site for
free: only task numbers go to the workers, and only small results come back. A task's
failure comes back as a value and is raised in the build as a PlanpressError with its
diagnostics (a bug's traceback shortened to a diagnostic), never as a worker's traceback.
Where fork is not available the work runs in the build's own process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from planpress.diagnostics import (
    BuildFailed,
    Diagnostic,
    Level,
    PlanpressError,
    SourceLoc,
)


@dataclass(frozen=True, slots=True)
class _Failure:
    """An exception in a worker, as data that pickles."""

    message: str
    diagnostics: tuple[Diagnostic, ...]
    build_failed: bool

    def raise_it(self) -> None:
        cls = BuildFailed if self.build_failed else PlanpressError
        raise cls(self.message, self.diagnostics)


_WORK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None  # set before forking
_IN_WORKER = False


def default_jobs() -> int:
    """How many processes a build uses unless told: one per core it may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and not _IN_WORKER


def run(
    function: Callable[[Any], Any],
    payloads: Sequence[Any],
    jobs: int,
    order: Sequence[int] | None = None,
) -> list[Any]:
    """[function(p) for p in payloads], over up to `jobs` forked processes.

    `order` lists payload indexes in the order to start them (the longest first). The
    results come back in payload order. Raises PlanpressError for a failed task.
    """
    if jobs <= 1 or len(payloads) <= 1 or not can_fork():
        results = [_call_here(function, payload) for payload in payloads]
    else:
        results = _run_forked(function, payloads, jobs, order)
    for result in results:
        if isinstance(result, _Failure):
            result.raise_it()
    return results


def _call_here(function: Callable[[Any], Any], payload: Any) -> Any:
    return function(payload)


def _run_forked(
    function: Callable[[Any], Any], payloads: Sequence[Any], jobs: int, order: Sequence[int] | None
) -> list[Any]:
    global _WORK
    _WORK = (function, payloads)
    frozen = gc.get_freeze_count()
    gc.freeze()  # the collector then leaves the inherited objects (and their pages) alone
    context = multiprocessing.get_context("fork")
    results: list[Any] = [None] * len(payloads)
    try:
        workers = min(jobs, len(payloads))
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_start) as pool:
            futures: dict[Future, int] = {}
            for index in order if order is not None else range(len(payloads)):
                futures[pool.submit(_task, index)] = index
            for future, index in futures.items():
                results[index] = future.result()
    except BrokenProcessPool as exc:
        raise PlanpressError(
            f"a worker process of the build stopped unexpectedly ({exc}); "
            "try again with --jobs 1 to build in one process",
            [_diagnostic(f"internal error: worker process lost: {exc}")],
        ) from None
    except (OSError, pickle.PickleError, TypeError, AttributeError) as exc:
        message = f"internal error: the build's worker processes failed: {exc}"
        raise PlanpressError(message, [_diagnostic(message)]) from None
    finally:
        _WORK = None
        if not frozen:
            gc.unfreeze()
    return results


def _start() -> None:
    global _IN_WORKER
    _IN_WORKER = True


def _task(index: int) -> Any:
    assert _WORK is not None
    function, payloads = _WORK
    try:
        return function(payloads[index])
    except BuildFailed as exc:
        return _Failure(str(exc), tuple(exc.diagnostics), True)
    except PlanpressError as exc:
        return _Failure(str(exc), tuple(exc.diagnostics), False)
    except Exception as exc:  # a bug: its place, as a diagnostic the CLI prints
        frames = traceback.extract_tb(exc.__traceback__)
        where = frames[-1] if frames else None
        loc = f" at {os.path.basename(where.filename)}:{where.lineno}" if where else ""
        message = f"internal error in a worker process: {type(exc).__name__}: {exc}{loc}"
        return _Failure(message, (_diagnostic(message),), False)


def _diagnostic(message: str) -> Diagnostic:
    return Diagnostic(
        Level.ERROR,
        SourceLoc("planpress"),
        message,
        "please report this; --jobs 1 builds in a single process",
    )


def in_worker() -> bool:
    """True in a worker process of a build."""
    return _IN_WORKER
