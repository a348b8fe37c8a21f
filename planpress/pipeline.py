"""The pipeline: load -> resolve -> schedule -> render -> write, one line per stage."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from planpress.config import SiteConfig, load_config
from planpress.diagnostics import BuildFailed, Diagnostic, Diagnostics, PlanpressError
from planpress.incremental import BuildCache
from planpress.incremental.cache import BuildRecord
from planpress.incremental.digests import model_digests
from planpress.incremental.documents import (
    LoadedPlans,
    PlanFiles,
    load_plans,
    read_plan_files,
)
from planpress.incremental.pool import default_jobs
from planpress.progress import ProgressHook
from planpress.render.theme import Theme
from planpress.resolve import Visibility, assemble_site
from planpress.resolve.model import PLAN_KINDS, Plan, Site
from planpress.schedule.groups import Groups
from planpress.schedule.scheduler import Schedule, schedule_site
from planpress.schedule.status import Status, compute_status
from planpress.write.output import WriteResult

__all__ = ["BuildCache", "BuildOptions", "BuildResult", "Project", "build", "check", "load_site"]

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class BuildOptions:
    today: dt.date | None = None  # overrides planpress.yaml and SOURCE_DATE_EPOCH
    drafts: bool = False
    strict: bool = False  # warnings fail the build too
    audience: str | None = None
    baseline: str | None = None  # a git revision to compare dates with (overrides planpress.yaml)


@dataclass(slots=True)
class Project:
    """A loaded, resolved and scheduled site, ready to render."""

    config: SiteConfig
    site: Site
    schedule: Schedule
    status: Status
    theme: Theme
    diagnostics: list[Diagnostic]
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BuildResult:
    output: Path
    files: WriteResult
    timings: dict[str, float]
    plans: int  # plans on the site
    diagnostics: list[Diagnostic]  # the build's warnings, sorted
    load_project: Callable[[], Project] = field(repr=False)
    rendered: int = 0  # pages drawn; an incremental build skips the unchanged ones
    parsed: int = 0  # plan files read and built; the others came from the cache
    rendered_pages: tuple[str, ...] = ()  # the pages drawn, by output path

    @property
    def project(self) -> Project:
        """The site built. A build that found every input unchanged loaded none of it: it is
        loaded on first use then, from the files as they are at that moment."""
        return self.load_project()


STAGE_LABELS = {  # what a progress display says while a stage runs
    "load": "reading plans",
    "resolve": "resolving references",
    "schedule": "scheduling",
    "status": "computing status",
    "history": "reading git history",
}


def _timed(
    timings: dict[str, float],
    stage: str,
    step: Callable[[], T],
    progress: ProgressHook | None = None,
) -> T:
    if progress is not None:
        progress(STAGE_LABELS.get(stage, stage), 0, 0)
    started = time.perf_counter()
    result = step()
    timings[stage] = time.perf_counter() - started
    log.debug("%s: %.3f s", stage, timings[stage])
    return result


def load_site(
    path: str | Path = ".",
    options: BuildOptions = BuildOptions(),
    visibility: Visibility | None = None,
    jobs: int | None = None,
) -> Project:
    """Load, resolve and schedule a site; raises BuildFailed listing every error.

    `visibility` defaults to what `options` asks for (drafts, audience); `jobs` is how many
    processes may read plan files (default: one per core).
    """
    return _load(path, options, visibility, None, jobs, None)[0]


@dataclass(slots=True)
class _Setup:
    """What a build knows before it reads a plan file."""

    config: SiteConfig
    theme: Theme
    visibility: Visibility
    kinds: tuple[str, ...]
    diagnostics: Diagnostics


def _setup(path: str | Path, options: BuildOptions, visibility: Visibility | None) -> _Setup:
    diagnostics = Diagnostics()
    config = load_config(Path(path), diagnostics)
    _check_options(config, options, diagnostics)
    _fail_on_errors(diagnostics, options)
    theme = Theme.find(config.theme, config.site_dir)
    if visibility is None:
        visibility = Visibility(drafts=options.drafts, audience=options.audience)
    kinds = tuple(dict.fromkeys((*PLAN_KINDS, *theme.kinds())))  # a theme may restyle a kind
    return _Setup(config, theme, visibility, kinds, diagnostics)


def _load(
    path: str | Path,
    options: BuildOptions,
    visibility: Visibility | None,
    cache: BuildCache | None,
    jobs: int | None,
    progress: ProgressHook | None,
    setup: _Setup | None = None,
    read: PlanFiles | None = None,
) -> tuple[Project, LoadedPlans, dict[str, str]]:
    """`setup` and `read` are what the build already did of it (see _build). Also returns
    the plans' schedule keys (see schedule.groups; only with a cache)."""
    setup = setup if setup is not None else _setup(path, options, visibility)
    config, diagnostics = setup.config, setup.diagnostics
    timings: dict[str, float] = {}
    if cache is not None:
        cache.bind(config.site_dir)
    jobs = jobs if jobs is not None else default_jobs()
    with _collector_paused():  # millions of long-lived objects: nothing for it to free
        loaded = _timed(
            timings,
            "load",
            lambda: load_plans(config, setup.kinds, diagnostics, cache, jobs, read),
            progress,
        )
        site = _timed(
            timings,
            "resolve",
            lambda: assemble_site(
                loaded.plans,
                loaded.index,
                diagnostics,
                setup.visibility,
                cache.links if cache is not None else None,
            ),
            progress,
        )
        today = config.resolve_today(options.today)
        plan_keys: dict[str, str] = {}
        if cache is None:
            schedule = _timed(
                timings, "schedule", lambda: schedule_site(site, diagnostics), progress
            )
            status = _timed(
                timings,
                "status",
                lambda: compute_status(site, schedule, today, config.due_soon_days),
                progress,
            )
        else:  # group by group, each unchanged group as the last build left it
            refs = cache.links.refs  # each plan's dependencies, as linking found them
            groups = Groups(site, _plan_keys(loaded.models), cache.groups, refs)
            plan_keys = groups.plan_keys()
            schedule = _timed(timings, "schedule", lambda: groups.schedule(diagnostics), progress)
            status = _timed(
                timings,
                "status",
                lambda: groups.status(schedule, today, config.due_soon_days),
                progress,
            )
        _fail_on_errors(diagnostics, options)
        project = Project(
            config, site, schedule, status, setup.theme, diagnostics.sorted(), timings
        )
    return project, loaded, plan_keys


def _plan_keys(
    models: dict[int, tuple[Plan, tuple[str, str, str]]],
) -> Callable[[Plan], tuple[str, str]]:
    """A plan's model digests without prose, with and without source positions (see
    digests), from the document cache when the plan is the one it built (else, restricted:
    computed)."""

    def keys(plan: Plan) -> tuple[str, str]:
        found = models.get(id(plan))
        digests = found[1] if found is not None and found[0] is plan else model_digests(plan)
        return digests[2], digests[1]

    return keys


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused, for stages whose objects live as long as the site.

    Loading allocates millions of objects and no garbage cycles: the collector would walk them
    again and again as the heap grows (a third of the load time at 5,000 plans), and once
    more, all at once, on the first allocation after it is enabled again (a second at 5,000
    plans). So they move to the oldest generation unscanned (frozen, then unfrozen), which
    the collector walks only after it has grown by a quarter.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if not gc.get_freeze_count():  # objects someone else froze stay frozen
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


def build(
    path: str | Path = ".",
    output: str | Path | None = None,
    options: BuildOptions = BuildOptions(),
    cache: BuildCache | None = None,
    jobs: int | None = None,
    progress: ProgressHook | None = None,
) -> BuildResult:
    """The whole pipeline; nothing is written when the site has errors.

    With a `cache` (kept across builds, or persisted in the site's .planpress-cache folder),
    only changed plan files are read and only pages whose inputs changed are drawn; the
    output is byte for byte what a build without cache writes. `jobs` is how many processes
    the build uses (default: one per core; small sites always use one). `progress` is
    called with what the build is doing (see planpress.progress).
    """
    try:
        return _build(path, output, options, cache, jobs, progress)
    finally:
        if cache is not None and not cache.live:  # a live cache's owner saves it when idle
            with _collector_paused():  # pickling makes no garbage: nothing for it to walk
                cache.save()


def _build(
    path: str | Path,
    output: str | Path | None,
    options: BuildOptions,
    cache: BuildCache | None,
    jobs: int | None,
    progress: ProgressHook | None,
) -> BuildResult:
    jobs = jobs if jobs is not None else default_jobs()
    setup = _setup(path, options, None)
    config = setup.config
    out = Path(output).resolve() if output is not None else config.output_dir
    # the renderer, git and the writer are imported here, so `planpress check` starts fast
    from planpress.write import check_output_dir

    read, inputs, folder = None, "", None
    if cache is not None:
        started = time.perf_counter()
        cache.bind(config.site_dir)
        read, inputs = _inputs(setup, options, out, cache)
        folder = cache.folder_digest(out)
        unchanged = _unchanged(path, options, cache, jobs, out, folder, inputs)
        if unchanged is not None:
            check_output_dir(out, config.site_dir, config.content_dir)
            unchanged.timings["load"] = time.perf_counter() - started
            return unchanged
    project, loaded, plan_keys = _load(path, options, None, cache, jobs, progress, setup, read)
    timings = project.timings
    from planpress.history import gather as gather_history
    from planpress.incremental.render import Known, render_and_write
    from planpress.render.site import RenderInput

    check_output_dir(out, config.site_dir, config.content_dir)

    with _collector_paused():
        git = _timed(timings, "history", lambda: gather_history(project, options), progress)
    if git.diagnostics:
        project.diagnostics = sorted(
            {*project.diagnostics, *git.diagnostics}, key=Diagnostic.sort_key
        )
        if options.strict:
            raise BuildFailed(
                f"{len(git.diagnostics)} problem(s) stop the build", project.diagnostics
            )
    data = RenderInput(
        config, project.site, project.schedule, project.status, git.baseline, git.history
    )
    if cache is None:  # what a cache knew of this output folder is out of date from here
        BuildCache.forget_output_of(config.site_dir, out)
    known = Known(loaded.models, plan_keys, folder)
    outcome = render_and_write(
        data, project.theme, out, cache, jobs, options, known, timings, progress
    )
    plans, diagnostics = len(project.site.plans), project.diagnostics
    if cache is not None:
        cache.record_build(out, BuildRecord(inputs, plans, tuple(diagnostics)))
    return BuildResult(
        out,
        outcome.files,
        timings,
        plans,
        list(diagnostics),
        lambda: project,
        len(outcome.rendered),
        loaded.built,
        outcome.rendered,
    )


def _inputs(
    setup: _Setup, options: BuildOptions, out: Path, cache: BuildCache
) -> tuple[PlanFiles, str]:
    """The plan files, read, and the digest of everything the build reads (see inputs)."""
    from planpress.history import git_state
    from planpress.incremental.inputs import inputs_digest

    config = setup.config
    read = read_plan_files(config, cache.file_digests)
    today = config.resolve_today(options.today)
    git = git_state(config, options)
    return read, inputs_digest(config, setup.theme, options, today, read.digest(), git, out)


def _unchanged(
    path: str | Path,
    options: BuildOptions,
    cache: BuildCache,
    jobs: int,
    out: Path,
    folder: str,
    inputs: str,
) -> BuildResult | None:
    """The result of a build whose inputs are those of the last build into `out`: the
    files there are already this build's, so nothing is loaded or drawn."""
    state = cache.unchanged_build(out, folder, inputs)
    if state is None:
        return None
    record = state.record
    assert record is not None  # unchanged_build matched its inputs
    project = functools.cache(lambda: _load(path, options, None, cache, jobs, None)[0])
    files = WriteResult(0, len(state.files), 0)
    return BuildResult(out, files, {}, record.plans, list(record.diagnostics), project)


def check(path: str | Path = ".", options: BuildOptions = BuildOptions()) -> list[Diagnostic]:
    """Every problem of every plan (drafts and all audiences), without writing anything.

    Raises BuildFailed on errors.
    """
    return load_site(path, options, Visibility(everything=True)).diagnostics


def _check_options(config: SiteConfig, options: BuildOptions, diagnostics: Diagnostics) -> None:
    if not config.content_dir.is_dir():
        raise PlanpressError(
            f"no content folder at {config.content_dir}: put plan files (*.md) there, "
            "or set content_dir in planpress.yaml"
        )
    if options.audience is not None and options.audience not in config.audiences:
        known = ", ".join(config.audiences) or "none are declared"
        raise PlanpressError(
            f"unknown audience '{options.audience}' (planpress.yaml audiences: {known})"
        )


def _fail_on_errors(diagnostics: Diagnostics, options: BuildOptions) -> None:
    if diagnostics.has_errors(strict=options.strict):
        items = diagnostics.sorted()
        errors = len(diagnostics.errors) + (len(diagnostics.warnings) if options.strict else 0)
        raise BuildFailed(f"{errors} problem(s) stop the build", items)
