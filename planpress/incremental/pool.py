"""Work spread over worker processes forked from the build, which inherit its whole model.

Forking (Linux, macOS) hands every worker the loaded, resolved and scheduled site for
free: nothing is sent to a worker, and only small results come back. The build's own process
works too, so `jobs` processes run in all (`jobs - 1` are forked): each takes the next task
from a shared counter until none is left, so long and short tasks even out. Tasks marked
heavy (a whole-site page or file, which needs hundreds of megabytes on a large site) are
done by the build's own process first, one at a time, while the workers start on the rest:
the memory of all processes together then holds at most one heavy task.

A task's failure comes back as a value and is raised in the build as a PlanpressError with
its diagnostics (a bug's traceback shortened to a diagnostic), never as a worker's
traceback. Where fork is not available the work runs in the build's own process.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
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
    """An exception in a task, as data that pickles."""

    message: str
    diagnostics: tuple[Diagnostic, ...]
    build_failed: bool

    def raise_it(self) -> None:
        cls = BuildFailed if self.build_failed else PlanpressError
        raise cls(self.message, self.diagnostics)


_IN_WORKER = False
_FREEZING = 0  # how many frozen_heap() blocks are open


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """The objects alive now frozen (the garbage collector leaves them alone, and forked
    workers do not copy them by touching their counts), unfrozen at the end unless someone
    else had frozen objects before. Nested blocks do not ask gc.get_freeze_count() again: it
    walks the frozen heap, half a second at 10,000 plans."""
    global _FREEZING
    others = _FREEZING == 0 and gc.get_freeze_count() > 0
    _FREEZING += 1
    gc.freeze()
    try:
        yield
    finally:
        _FREEZING -= 1
        if _FREEZING == 0 and not others:
            gc.unfreeze()


def default_jobs() -> int:
    """How many processes a build uses unless told: one per core it may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    import multiprocessing  # here: `planpress check` never forks

    return "fork" in multiprocessing.get_all_start_methods() and not _IN_WORKER


def in_worker() -> bool:
    """True in a forked worker process of a build."""
    return _IN_WORKER


def run(
    function: Callable[[Any], Any],
    payloads: Sequence[Any],
    jobs: int,
    heavy: Sequence[int] = (),
    progress: Callable[[int], None] | None = None,
) -> list[Any]:
    """[function(p) for p in payloads], over up to `jobs` processes (this one included).

    `heavy` lists payload indexes this process does itself, first, in that order. The
    results come back in payload order. Raises PlanpressError for a failed task.
    `progress` hears now and then how many tasks have been started.
    """
    progress = progress or (lambda started: None)
    mine = list(heavy)
    taken = set(mine)
    shared = [index for index in range(len(payloads)) if index not in taken]
    workers = min(jobs - 1, len(shared))
    if workers < 1 or not can_fork():
        results = {}
        for index in mine + shared:
            progress(len(results))
            results[index] = _task(function, payloads[index], False)
    else:
        results = _run_forked(function, payloads, workers, mine, shared, progress)
    for index in range(len(payloads)):
        if isinstance(results[index], _Failure):
            results[index].raise_it()
    return [results[index] for index in range(len(payloads))]


def _run_forked(
    function: Callable[[Any], Any],
    payloads: Sequence[Any],
    workers: int,
    mine: list[int],
    shared: list[int],
    progress: Callable[[int], None],
) -> dict[int, Any]:
    import multiprocessing

    context = multiprocessing.get_context("fork")
    counter = context.Value("q", 0)  # the next position in `shared`, for all processes

    def take() -> int | None:
        with counter.get_lock():
            position = counter.value
            counter.value = position + 1
        return shared[position] if position < len(shared) else None

    def work(first: list[int]) -> dict[int, Any]:
        done: dict[int, Any] = {}
        for index in first:
            progress(len(done) + counter.value)
            done[index] = _task(function, payloads[index], True)
        while (index := take()) is not None:
            if not _IN_WORKER:
                progress(len(first) + counter.value - 1)
            done[index] = _task(function, payloads[index], True)
        return done

    def child(sender: Any) -> None:
        global _IN_WORKER
        _IN_WORKER = True
        try:
            sender.send_bytes(pickle.dumps(work([]), protocol=pickle.HIGHEST_PROTOCOL))
        except BaseException as exc:  # even a result that does not pickle is reported
            failure = _Failure(f"internal error in a worker process: {exc!r}", (), False)
            sender.send_bytes(pickle.dumps({-1: failure}))
        finally:
            sender.close()

    processes, pipes = [], []
    results: dict[int, Any] = {}
    with frozen_heap(), contextlib.ExitStack() as cleanup:
        cleanup.callback(_reap, processes, pipes)
        for _ in range(workers):
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=child, args=(sender,), daemon=True)
            process.start()
            sender.close()
            processes.append(process)
            pipes.append(receiver)
        watch = _Watch(lambda: progress(len(mine) + counter.value))
        try:
            results.update(work(mine))  # this process works too: the heavy tasks first
        finally:
            watch.stop()
        for process, receiver in zip(processes, pipes, strict=True):
            try:
                results.update(pickle.loads(receiver.recv_bytes()))
            except (EOFError, OSError, pickle.UnpicklingError):
                process.join()
                message = (
                    f"a worker process of the build stopped unexpectedly (exit code "
                    f"{process.exitcode}); try again with --jobs 1 to build in one process"
                )
                raise PlanpressError(message, [_diagnostic(message)]) from None
    if -1 in results:
        results.pop(-1).raise_it()
    return results


def _reap(processes: list[Any], pipes: list[Any]) -> None:
    """The workers ended (killed if they hang on) and their pipes closed."""
    for process in processes:
        if process.is_alive():
            process.join(timeout=30)
        if process.is_alive():
            process.kill()
            process.join()
    for receiver in pipes:
        receiver.close()


class _Watch:
    """Calls `report` every 0.2 s in a thread (the workers' progress, seen through the
    shared counter, while this process is busy with its own tasks)."""

    def __init__(self, report: Callable[[], None]) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(report,), daemon=True)
        self._thread.start()

    def _run(self, report: Callable[[], None]) -> None:
        while not self._stop.wait(0.2):
            report()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _task(function: Callable[[Any], Any], payload: Any, parallel: bool) -> Any:
    try:
        return function(payload)
    except BuildFailed as exc:
        return _Failure(str(exc), tuple(exc.diagnostics), True)
    except PlanpressError as exc:
        return _Failure(str(exc), tuple(exc.diagnostics), False)
    except Exception as exc:  # a bug: its place, as a diagnostic the CLI prints
        if not parallel:
            raise  # a build in one process keeps the traceback
        frames = traceback.extract_tb(exc.__traceback__)
        where = frames[-1] if frames else None
        loc = f" at {os.path.basename(where.filename)}:{where.lineno}" if where else ""
        message = f"internal error in the build's processes: {type(exc).__name__}: {exc}{loc}"
        return _Failure(message, (_diagnostic(message),), False)


def _diagnostic(message: str) -> Diagnostic:
    return Diagnostic(
        Level.ERROR,
        SourceLoc("planpress"),
        message,
        "please report this; --jobs 1 builds in a single process",
    )
