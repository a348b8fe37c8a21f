"""Drawing the files a build decided to draw, over several processes.

Whole-site files start first; on a large site, or when `watch` keeps their parts, the
build's own process draws them, one at a time, while forked workers (see pool) draw the
other pages into the staging folder and hand back the parts they made to keep (see
render.pieces.Handoff).
"""

from __future__ import annotations

import contextlib
import gc
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import jinja2

from planpress.incremental import pool
from planpress.incremental.stage import Made, Stage
from planpress.progress import ProgressHook
from planpress.render.artifacts import ARTIFACTS
from planpress.render.context import Depends, OutputFile, Page, RenderContext
from planpress.render.pieces import Handoff
from planpress.render.site import stream_page

PARALLEL_PAGES = 200  # fewer pages to draw than this are drawn in the build's own process
# From this many plans on, a whole-site page or file takes hundreds of megabytes: they are
# then made one at a time by the build's own process (see pool); below, by any process.
PIN_HEAVY_PLANS = 2000


@dataclass(frozen=True, slots=True)
class Unit:
    """One file to draw on its own: a page, or one file of a per-file artifact."""

    name: str
    depends: Depends
    label: str  # the template, or the artifact
    page: Page | None = None
    file: OutputFile | None = None

    @property
    def heavy(self) -> bool:
        """Whole-site files need the most time and memory (see pool)."""
        return self.depends.kind in _WHOLE


_WHOLE = frozenset({"site", "data", "everything"})


class DrawJob:
    """What the tasks of one build share; forked workers inherit it."""

    def __init__(
        self,
        ctx: RenderContext,
        env: jinja2.Environment,
        units: list[Unit],
        stage: Stage,
        full: bool = True,
    ) -> None:
        self.ctx = ctx
        self.env = env
        self.units = units
        self.stage = stage
        self.full = full  # a full build: whole-site files are followed by a collection

    def run(self, task: tuple[str, tuple[int, ...]]) -> tuple[list[Made], Handoff | None]:
        """The files of a task, and in a forked worker what it made to keep (see
        render.pieces.Handoff)."""
        made = self._files(task)
        pieces = self.ctx.pieces
        return made, pieces.handoff() if pieces is not None and pool.in_worker() else None

    def _files(self, task: tuple[str, tuple[int, ...]]) -> list[Made]:
        kind, numbers = task
        if kind == "units":
            made = []
            for number in numbers:
                unit = self.units[number]
                with self._whole_site_file() if unit.heavy else contextlib.nullcontext():
                    if unit.page is not None:
                        pieces = stream_page(self.env, unit.page, self.ctx)
                        made.append(self.stage.put_text(unit.name, pieces))
                    else:
                        assert unit.file is not None
                        made.append(self.stage.put(unit.name, unit.file.make()))
            return made
        artifact = ARTIFACTS[numbers[0]]
        with self._whole_site_file():
            return [self.stage.put(name, data) for name, data in artifact(self.ctx).items()]

    def _whole_site_file(self) -> contextlib.AbstractContextManager[None]:
        return _whole_site_file(collect=self.full)


@contextlib.contextmanager
def _whole_site_file(collect: bool = True) -> Iterator[None]:
    """Around drawing a whole-site file (render_and_write holds the model frozen): no full
    pass of the garbage collector while it is drawn, one after, then what the file keeps
    (its parts, see render.pieces.PlanPieces) is frozen too. An incremental build does not
    `collect`: the pass walks every part `watch` keeps (0.4 s a rebuild at 10,000 plans),
    for the little a rebuild leaves; `watch` collects when the edits pause.

    Otherwise the collector's full passes walk every object the file has made so far, again
    and again as they grow, and those the files before it kept: at 10,000 plans, 15 s of a
    full build. Young collections still run; only what survives them waits for the pass.
    (gc.get_freeze_count() is not asked: it walks the frozen heap.)
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(thresholds[0], thresholds[1], 1 << 30)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if collect:
            gc.collect()
            gc.freeze()


def draw_files(
    job: DrawJob, draw: list[int], compute: list[int], jobs: int, progress: ProgressHook
) -> list[list[Made]]:
    """The drawn units (one list of one per unit, in `draw` order), then each computed
    artifact's files.

    Whole-site files and artifacts are heavy: they start first; on a large site the build's
    own process makes them, one at a time, while forked workers draw the others (see pool).
    """
    whole = [n for n in draw if job.units[n].heavy]
    light = [n for n in draw if not job.units[n].heavy]
    # whole-site files first; on a large site all in this process, one at a time (see pool);
    # and when their parts are kept: those of the whole site's rows do not leave a worker.
    # Workers are then worth forking only for many other pages.
    pinned = job.ctx.keeps_parts or len(job.ctx.site.plans) >= PIN_HEAVY_PLANS
    cost = len(light) + (0 if pinned else 20 * (len(whole) + len(compute)))
    total = len(draw) + len(compute)
    if jobs < 2 or not pool.can_fork() or cost < PARALLEL_PAGES:
        results = []
        for task in [("units", (n,)) for n in draw] + [("artifact", (n,)) for n in compute]:
            progress("rendering", len(results), total)
            results.append(job.run(task)[0])
        return results
    size = max(4, min(100, len(light) // (jobs * 8) or 1))
    tasks: list[tuple[str, tuple[int, ...]]] = [("artifact", (n,)) for n in compute]
    tasks += [("units", (n,)) for n in whole]
    tasks += [("units", tuple(light[i : i + size])) for i in range(0, len(light), size)]
    job.stage.prepare()
    heavy = range(len(compute) + len(whole)) if pinned else ()
    sizes = [len(numbers) if kind == "units" else 1 for kind, numbers in tasks]
    done = list(itertools.accumulate(sizes, initial=0))  # files drawn once n tasks are

    highest = 0  # reports come from two threads: never show fewer than already shown

    def started(count: int) -> None:
        nonlocal highest
        highest = max(highest, done[min(count, len(tasks))])
        progress("rendering", highest, total)

    results = []
    for made, handoff in pool.run(job.run, tasks, jobs, heavy=heavy, progress=started):
        results.append(made)
        if handoff is not None and job.ctx.pieces is not None:
            job.ctx.pieces.take(handoff)
    drawn: dict[int, Made] = {}
    for (kind, numbers), made in zip(tasks, results, strict=True):
        if kind == "units":
            drawn.update(zip(numbers, made, strict=True))
    return [[drawn[number]] for number in draw] + results[: len(compute)]
