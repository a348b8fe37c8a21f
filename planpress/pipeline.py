"""The pipeline: load -> resolve -> schedule -> render -> write, one line per stage."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from planpress.config import SiteConfig, load_config
from planpress.diagnostics import BuildFailed, Diagnostic, Diagnostics, PlanpressError
from planpress.history import gather as gather_history
from planpress.load import load_sources
from planpress.render.site import RenderInput, render_site
from planpress.render.theme import Theme
from planpress.resolve import Visibility, resolve_site
from planpress.resolve.model import PLAN_KINDS, Site
from planpress.schedule.scheduler import Schedule, schedule_site
from planpress.schedule.status import Status, compute_status
from planpress.write import WriteResult, check_output_dir, write_output

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
    project: Project
    output: Path
    files: WriteResult
    timings: dict[str, float]


def _timed(timings: dict[str, float], stage: str, step: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = step()
    timings[stage] = time.perf_counter() - started
    log.debug("%s: %.3f s", stage, timings[stage])
    return result


def load_site(
    path: str | Path = ".",
    options: BuildOptions = BuildOptions(),
    visibility: Visibility | None = None,
) -> Project:
    """Load, resolve and schedule a site; raises BuildFailed listing every error.

    `visibility` defaults to what `options` asks for (drafts, audience).
    """
    diagnostics = Diagnostics()
    timings: dict[str, float] = {}
    config = load_config(Path(path), diagnostics)
    _check_options(config, options, diagnostics)
    _fail_on_errors(diagnostics, options)
    theme = Theme.find(config.theme, config.site_dir)
    if visibility is None:
        visibility = Visibility(drafts=options.drafts, audience=options.audience)
    kinds = (*PLAN_KINDS, *theme.kinds())
    sources = _timed(
        timings, "load", lambda: load_sources(config.site_dir, config.content_dir, diagnostics)
    )
    site = _timed(
        timings,
        "resolve",
        lambda: resolve_site(sources, diagnostics, visibility, kinds, config.audiences),
    )
    schedule = _timed(timings, "schedule", lambda: schedule_site(site, diagnostics))
    today = config.resolve_today(options.today)
    status = _timed(
        timings, "status", lambda: compute_status(site, schedule, today, config.due_soon_days)
    )
    _fail_on_errors(diagnostics, options)
    return Project(config, site, schedule, status, theme, diagnostics.sorted(), timings)


def build(
    path: str | Path = ".", output: str | Path | None = None, options: BuildOptions = BuildOptions()
) -> BuildResult:
    """The whole pipeline; nothing is written when the site has errors."""
    project = load_site(path, options)
    out = Path(output).resolve() if output is not None else project.config.output_dir
    check_output_dir(out, project.config.site_dir, project.config.content_dir)
    timings = project.timings
    git = _timed(timings, "history", lambda: gather_history(project, options))
    if git.diagnostics:
        project.diagnostics = sorted(
            {*project.diagnostics, *git.diagnostics}, key=Diagnostic.sort_key
        )
        if options.strict:
            raise BuildFailed(
                f"{len(git.diagnostics)} problem(s) stop the build", project.diagnostics
            )
    data = RenderInput(
        project.config, project.site, project.schedule, project.status, git.baseline, git.history
    )
    files = _timed(timings, "render", lambda: render_site(data, project.theme))
    written = _timed(timings, "write", lambda: write_output(out, files))
    return BuildResult(project, out, written, timings)


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
