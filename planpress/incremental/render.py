"""Drawing and publishing the output files: only what changed, over several processes.

The files are those of render.site.render_site, made from the same pieces and with the same
precedence (pages in PAGE_KINDS order, then ARTIFACTS, then the theme's static files; a later
file wins over an earlier one of the same name), so the bytes are the same whichever way a
build goes: with or without cache, in one process or many.

With a cache, each page's fingerprint (facts.Facts.fingerprint of its `Depends`) is compared
with the one recorded when its file was last written; an artifact is recomputed when the
fingerprint of the whole build changed. A file drawn again with the same bytes as last time
is not written. Without a cache every file is drawn and the writer compares bytes.

Pages are drawn in forked worker processes when there are many (see incremental.draw); their
bytes go to a staging folder, so memory stays flat however large the site is, and the writer
publishes them from there in its usual order.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from planpress.incremental import pool
from planpress.incremental.cache import BuildCache, FileState, OutputState
from planpress.incremental.draw import DrawJob, Unit, draw_files
from planpress.incremental.facts import Facts, code_digest, digest, tree_digest
from planpress.incremental.splice import Layout, Splicer, file_stamp
from planpress.incremental.stage import Made, Stage, StagedFiles
from planpress.progress import ProgressHook
from planpress.render.artifacts import ARTIFACTS
from planpress.render.context import Depends, RenderContext
from planpress.render.pieces import PlanPieces
from planpress.render.site import (
    RenderInput,
    environment,
    render_context,
    site_pages,
)
from planpress.render.theme import Theme
from planpress.write import WriteResult, write_output


@dataclass(frozen=True, slots=True)
class RenderOutcome:
    files: WriteResult
    rendered: tuple[str, ...]  # the pages drawn (the others were known to be unchanged)
    artifacts: int  # artifacts computed


def global_digest(
    data: RenderInput, theme: Theme, ctx: RenderContext, options: object, templates: str
) -> str:
    """What every file depends on: planpress, configuration, options, templates (`templates`:
    templates_digest), today."""
    return digest(
        code_digest(),
        repr(data.config),
        repr(options),
        repr(theme),
        repr(sorted(ctx.kind_templates)),
        templates,
        repr(data.status.today),
        repr(data.baseline),
    )


def templates_digest(theme: Theme) -> str:
    return tree_digest([folder / "templates" for folder in theme.folders])


def _environment(
    theme: Theme, data: RenderInput, templates: str, cache: BuildCache | None
) -> jinja2.Environment:
    """The Jinja environment; with a cache, the last build's while its templates, theme and
    configuration are the same, so templates are not compiled again (a tenth of a second)."""
    if cache is None:
        return environment(theme, data.config)
    key = digest(repr(theme), repr(data.config), templates)
    if cache.environment is None or cache.environment[0] != key:
        cache.environment = (key, environment(theme, data.config))
    return cache.environment[1]


@dataclass(frozen=True, slots=True)
class Known:
    """What a build already knows that spares work here (each part optional)."""

    models: Mapping[int, tuple[object, tuple[str, str, str]]] = field(default_factory=dict)
    # the document cache's model digests: id(plan) -> (plan, digests)
    schedules: Mapping[str, str] = field(default_factory=dict)
    # plan id -> the key of its schedule and status (schedule.groups.Groups.plan_keys):
    # every plan needs one when there is a cache
    folder: str | None = None  # cache.output_digest(output), when just computed


def render_and_write(
    data: RenderInput,
    theme: Theme,
    output: Path,
    cache: BuildCache | None,
    jobs: int,
    options: object = None,
    known: Known = Known(),
    timings: dict[str, float] | None = None,
    progress: ProgressHook | None = None,
) -> RenderOutcome:
    """Draw what changed into `output` (all of it without a cache); see the module docstring.

    The seconds spent drawing and writing go to `timings` ("render", "write"); `progress`
    hears how many of the files to draw are drawn.
    """
    with pool.frozen_heap():  # the model lives until the end: the collector need not walk it again
        return _render_and_write(
            data, theme, output, cache, jobs, options, known, timings, progress or _silent
        )


def _render_and_write(
    data: RenderInput,
    theme: Theme,
    output: Path,
    cache: BuildCache | None,
    jobs: int,
    options: object,
    known: Known,
    timings: dict[str, float] | None,
    progress: ProgressHook,
) -> RenderOutcome:
    started = time.perf_counter()
    timings = timings if timings is not None else {}
    ctx = render_context(data, theme)
    templates = templates_digest(theme) if cache is not None else ""
    env = _environment(theme, data, templates, cache)
    state: OutputState | None = None
    facts: Facts | None = None
    if cache is not None:
        state = cache.output_state(output, known.folder or cache.folder_digest(output))
        plan_models = {
            pid: entry[1]
            for pid, plan in ctx.site.plans.items()
            if (entry := known.models.get(id(plan))) is not None and entry[0] is plan
        }
        fingerprint = global_digest(data, theme, ctx, options, templates)
        facts = Facts(ctx, plan_models, fingerprint, known.schedules, cache.facts)
        cache.facts = facts.memo
        keys = facts.piece_keys()
        for stale in [entry for entry in cache.pieces if entry[1] not in keys]:
            del cache.pieces[stale]  # a plan gone, or hidden from this build
        kept = facts.fingerprint if cache.reuse_parts else None
        # before the pages are listed: listing some asks for kept parts (review.pages)
        ctx.pieces = PlanPieces(cache.pieces, keys, cache.parts, kept)
    # every file in render_site's order: pages, then each artifact's, later ones winning
    units: list[Unit] = []
    slots: list[tuple[str, int]] = []  # ("unit", number) or ("whole", artifact number)
    for page in site_pages(ctx):
        slots.append(("unit", len(units)))
        units.append(Unit(ctx.url_style.file(page.path), page.depends, page.template, page))
    for number, artifact in enumerate(ARTIFACTS):
        files = getattr(artifact, "files", None)
        if files is None:
            slots.append(("whole", number))
            continue
        for file in files(ctx):
            slots.append(("unit", len(units)))
            units.append(Unit(file.name, file.depends, _artifact_key(artifact), file=file))
    old = state.files if state is not None else {}

    prints: dict[int, str] = {}
    draw: list[int] = []
    unit_prints = cache.unit_prints if cache is not None else {}
    fresh_prints: dict[str, tuple[str, str, str]] = {}
    for number, unit in enumerate(units):
        if facts is not None:
            shown = facts.fingerprint(unit.depends)
            made = unit_prints.get(unit.name)
            if made is None or made[0] != shown or made[1] != unit.label:
                made = (shown, unit.label, digest(shown, unit.label, unit.name))
            fresh_prints[unit.name] = made
            fingerprint = prints[number] = made[2]
            known = old.get(unit.name)
            if known is not None and known.fingerprint == fingerprint:
                continue
        draw.append(number)
    if cache is not None:
        cache.unit_prints = fresh_prints
    artifact_prints: dict[int, str] = {}
    compute: list[int] = []
    for kind, number in slots:
        if kind != "whole":
            continue
        artifact = ARTIFACTS[number]
        if facts is not None:
            key = _artifact_key(artifact)
            shown = getattr(artifact, "depends", Depends.EVERYTHING)
            fingerprint = digest(facts.fingerprint(shown), key)
            artifact_prints[number] = fingerprint
            if state is not None and state.artifacts.get(key, ("", ()))[0] == fingerprint:
                continue
        compute.append(number)

    splicer = None
    if cache is not None and ctx.keeps_parts:
        splicer = Splicer(output, cache.layouts, cache.pieces)
    stage = Stage(cache.folder if cache is not None and cache.persist else None, splicer)
    try:
        job = DrawJob(ctx, env, units, stage, full=state is None)
        made = draw_files(job, draw, compute, jobs, progress)
        if ctx.pieces is not None:
            ctx.pieces.keep(ctx.site.plans, ctx.site.parties)
        final: dict[str, tuple[str, str]] = {}  # name -> (fingerprint, content digest)
        new: dict[str, Made] = {}
        artifact_names: dict[str, tuple[str, tuple[str, ...]]] = {}
        drawn = dict(zip(draw, made[: len(draw)], strict=True))
        computed = dict(zip(compute, made[len(draw) :], strict=True))
        for kind, number in slots:
            if kind == "unit":
                name = units[number].name
                new.pop(name, None)
                if number in drawn:
                    item = drawn[number][0]
                    final[name] = (prints.get(number, ""), item.content)
                    new[name] = item
                else:
                    final[name] = (old[name].fingerprint, old[name].content)
                continue
            key = _artifact_key(ARTIFACTS[number])
            if number in computed:
                for item in computed[number]:
                    new[item.name] = item
                    final[item.name] = ("", item.content)
                names = tuple(item.name for item in computed[number])
            else:
                assert state is not None
                names = state.artifacts[key][1]
                for name in names:
                    new.pop(name, None)
                    final[name] = ("", old[name].content)
            artifact_names[key] = (artifact_prints.get(number, ""), names)
        for name, data in theme.static_files().items():
            item = stage.put(name, data)
            new[name] = item
            final[name] = ("", item.content)
        # a file drawn again with the bytes it already has is not written again
        write = {
            name: item
            for name, item in sorted(new.items())
            if name not in old or old[name].content != item.content
        }
        kept = [name for name in final if name not in write]
        if cache is not None:
            cache.forget_output(output)
        writing = time.perf_counter()
        timings["render"] = writing - started
        progress("writing", 0, 0)
        # a state of the folder is saved only after a build finished, and removed before one
        # writes: with one, no temporary file of a killed build can be left there
        # with a state of the folder, `write` holds only files whose bytes it does not have
        written = write_output(
            output,
            StagedFiles(write, stage),
            kept=kept if state else (),
            sweep=state is None,
            compare=state is None,
        )
        timings["write"] = time.perf_counter() - writing
        if cache is not None:
            _lay_out(cache.layouts, output, write, final)
    finally:
        stage.cleanup()
    if cache is not None:
        files = {name: FileState(*final[name]) for name in sorted(final)}
        cache.set_output_state(
            OutputState(str(output), cache.folder_written(output), files, artifact_names)
        )
    drawn_pages = tuple(units[n].name for n in draw if units[n].page is not None)
    return RenderOutcome(written, drawn_pages, len(compute))


def _silent(stage: str, done: int, total: int) -> None:
    pass


def _lay_out(
    layouts: dict[str, Layout], output: Path, written: dict[str, Made], final: Mapping
) -> None:
    """Where the pieces of each spliced file just published lie (see splice); the layouts
    of files written otherwise, or gone, are forgotten."""
    for name, item in written.items():
        stamp = file_stamp(output / name) if item.pieces is not None else None
        if stamp is None:
            layouts.pop(name, None)
        else:
            layouts[name] = Layout(stamp, item.pieces)  # type: ignore[arg-type]
    for name in [name for name in layouts if name not in final]:
        del layouts[name]


def _artifact_key(artifact: Callable) -> str:
    return f"{artifact.__module__}.{getattr(artifact, '__qualname__', repr(artifact))}"
