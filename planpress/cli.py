"""The command line: parse arguments, call the library, print diagnostics, map to exit codes.

Exit codes: 0 success; 1 the site has errors (or warnings under --strict), or a file
would be overwritten; 2 the command line itself is wrong (options, a site folder that does
not exist, an unknown git revision).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from planpress import __version__
from planpress.diagnostics import BuildFailed, Diagnostic, Level, PlanpressError, SourceLoc
from planpress.render.format import plural
from planpress.report import FORMATS, to_github, to_json

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
KINDS = ("action-plan", "sales-plan", "milestone-plan", "strategy")  # resolve.model.PLAN_KINDS


class UsageError(Exception):
    """The command line names something that does not exist: exit code 2."""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got '{text}'") from None


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        message = f"expected a number of processes (1 or more), got '{text}'"
        raise argparse.ArgumentTypeError(message)
    return jobs


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="planpress", description="Build a cross-linked HTML site from plan documents."
    )
    parser.add_argument("--version", action="version", version=f"planpress {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = commands.add_parser("build", help="build the site into the output folder")
    _common(build)
    build.add_argument("-o", "--output", type=Path, help="output folder (default: site/)")
    build.add_argument("--today", type=_date, help="the day statuses are computed for")
    build.add_argument("--drafts", action="store_true", help="include plans with status draft")
    build.add_argument("--audience", help="build for one audience named in planpress.yaml")
    build.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    build.add_argument(
        "--baseline", metavar="REV", help="show how due dates moved since this git revision"
    )
    build.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        metavar="N",
        help="processes to build with (default: one per core; small sites use one)",
    )
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="rebuild everything, without reading or updating .planpress-cache/",
    )

    check = commands.add_parser("check", help="validate the site without writing anything")
    _common(check)
    check.add_argument("--today", type=_date, help="the day statuses are computed for")
    check.add_argument("--drafts", action="store_true", help="check plans with status draft too")
    check.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default, on standard error), json or github (on standard output)",
    )

    init = commands.add_parser("init", help="create a starter site (never overwrites a file)")
    init.add_argument("path", nargs="?", default=".", type=Path, help="folder (default: .)")

    new = commands.add_parser("new", help="create a plan from a commented template")
    things = new.add_subparsers(dest="thing", metavar="plan", required=True)
    plan = things.add_parser("plan", help="write content/NAME.md (never overwrites a file)")
    plan.add_argument("name", metavar="NAME", help="the file name without .md, e.g. sales/q4-push")
    plan.add_argument("--kind", choices=KINDS, default="action-plan", help="the kind of plan")
    plan.add_argument("path", nargs="?", default=".", type=Path, help="site folder (default: .)")

    diff = commands.add_parser("diff", help="what changed in the plans between two git revisions")
    diff.add_argument("rev1", metavar="REV1", help="the older revision, e.g. main or v1.0")
    diff.add_argument(
        "operands",
        nargs="*",
        metavar="[REV2] [PATH]",
        help="the newer revision (default: the working tree) and the site folder (default: .)",
    )
    diff.add_argument("--format", choices=("text", "markdown"), default="text")
    diff.add_argument("--drafts", action="store_true", help="include plans with status draft")
    diff.add_argument("--audience", help="compare the plans of one audience")

    from planpress.serve.command import add_commands  # light: watchdog loads only when run

    add_commands(commands)  # serve, watch
    return parser


def _common(command: argparse.ArgumentParser) -> None:
    command.add_argument("path", nargs="?", default=".", type=Path, help="site folder (default: .)")
    command.add_argument("--strict", action="store_true", help="treat warnings as errors")


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args, extra = parser.parse_known_args(argv)
    _take_operands(parser, args, extra)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    if args.command in ("serve", "watch"):
        from planpress.serve.command import run as run_live

        return run_live(args)
    try:
        return _run(args)
    except UsageError as failure:
        print(f"planpress {args.command}: error: {failure}", file=sys.stderr)
        return EXIT_USAGE
    except BuildFailed as failure:
        _report(args, failure.diagnostics)
        print(f"planpress: {failure} (nothing was written)", file=sys.stderr)
        return EXIT_ERRORS
    except PlanpressError as failure:
        _report(args, failure.diagnostics, unplaced=str(failure))
        print(f"planpress: error: {failure}", file=sys.stderr)
        return EXIT_ERRORS
    except KeyboardInterrupt:
        print("planpress: interrupted", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    from planpress.pipeline import (  # keeps --version and --help fast
        BuildCache,
        BuildOptions,
        build,
        check,
    )
    from planpress.progress import ProgressLine

    if args.command == "init":
        return _init(args)
    if args.command == "diff":
        return _diff(args)
    if not args.path.is_dir():
        raise UsageError(f"no site folder at {args.path}")
    if args.command == "new":
        return _new_plan(args)
    options = BuildOptions(
        today=args.today,
        drafts=args.drafts,
        strict=args.strict,
        audience=getattr(args, "audience", None),
        baseline=getattr(args, "baseline", None),
    )
    if args.command == "check":
        diagnostics = check(args.path, options)
        _report(args, diagnostics)
        verdict = "site is valid" if not diagnostics else plural(len(diagnostics), "warning")
        print(f"planpress check: {verdict}", file=sys.stderr)
        return EXIT_OK
    # in the site's .planpress-cache/; one build: no page parts kept for a next one
    cache = None if args.no_cache else BuildCache(reuse_parts=False)
    progress = ProgressLine.for_stream(sys.stderr, args.quiet)
    progress.start()
    try:
        result = build(
            args.path, args.output, options, cache=cache, jobs=args.jobs, progress=progress
        )
    finally:
        progress.stop()
    _print_diagnostics(result.diagnostics)
    if not args.quiet:
        files = result.files
        seconds = sum(result.timings.values())
        print(
            f"planpress: built {plural(result.plans, 'plan')} into "
            f"{result.output} ({files.written} written, {files.unchanged} unchanged, "
            f"{files.removed} removed, {plural(len(result.diagnostics), 'warning')}) "
            f"in {seconds:.2f} s",
            file=sys.stderr,
        )
    return EXIT_OK


def _print_diagnostics(diagnostics: Sequence[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)


def _take_operands(parser: argparse.ArgumentParser, args: argparse.Namespace, extra: list) -> None:
    """Operands after an option (`new plan NAME --kind K PATH`), which argparse leaves over."""
    if extra and not any(arg.startswith("-") for arg in extra):
        if args.command == "new" and args.path == Path(".") and len(extra) == 1:
            args.path = Path(extra[0])
            return
        if args.command == "diff":
            args.operands += extra
            return
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")


def _report(
    args: argparse.Namespace, diagnostics: Sequence[Diagnostic], unplaced: str = ""
) -> None:
    """Diagnostics in the format `check --format` asks for; text on standard error.

    `unplaced` is a failure without diagnostics, reported as one in json and github.
    """
    form = getattr(args, "format", "text") if args.command == "check" else "text"
    if form != "text" and not diagnostics and unplaced:
        diagnostics = [Diagnostic(Level.ERROR, SourceLoc(""), unplaced)]
    if form == "json":
        print(to_json(diagnostics))
    elif form == "github":
        if diagnostics:
            print(to_github(diagnostics, args.path))
    else:
        _print_diagnostics(diagnostics)


def _init(args: argparse.Namespace) -> int:
    from planpress.scaffold import init_site

    written = init_site(args.path)
    names = ", ".join(_shown(path, args.path) for path in written)
    print(f"planpress: created {names} in {args.path}", file=sys.stderr)
    print(f"next: planpress check {args.path} && planpress build {args.path}", file=sys.stderr)
    return EXIT_OK


def _new_plan(args: argparse.Namespace) -> int:
    from planpress.scaffold import BadName, new_plan

    try:
        path, people = new_plan(args.path, args.name, args.kind)
    except BadName as exc:
        raise UsageError(str(exc)) from None
    print(
        f"planpress: created {path} ({args.kind}); edit it, then run planpress check",
        file=sys.stderr,
    )
    if not people:
        print(
            "note: there are no people in people.yaml: the plan names 'Plan Owner'; "
            "list your people there, or change the names",
            file=sys.stderr,
        )
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from planpress.history.diff import WORKING_TREE, diff, format_markdown, format_text, load_sides
    from planpress.history.git import GitError, UnknownRevision
    from planpress.pipeline import BuildOptions

    rev2, path = _diff_operands(args.operands)
    if not path.is_dir():
        raise UsageError(f"no site folder at {path}")
    options = BuildOptions(drafts=args.drafts, audience=args.audience)
    try:
        old, new = load_sides(path, args.rev1, rev2, options)
    except UnknownRevision as exc:
        raise UsageError(str(exc)) from None
    except GitError as exc:
        raise PlanpressError(str(exc)) from None
    result = diff(old, new, args.rev1, rev2 or WORKING_TREE)
    print(format_markdown(result) if args.format == "markdown" else format_text(result), end="")
    return EXIT_OK


def _diff_operands(operands: list[str]) -> tuple[str | None, Path]:
    """[REV2] [PATH]: one operand is PATH when it is a folder and no revision, else REV2."""
    from planpress.history.git import GitError, find_repo, verify_revision

    if len(operands) > 2:
        raise UsageError(f"too many operands: {' '.join(operands)} (REV1 [REV2] [PATH])")
    if len(operands) == 2:
        return operands[0], Path(operands[1])
    if len(operands) == 1:
        candidate = Path(operands[0])
        if candidate.is_dir():
            repo = find_repo(candidate)
            try:
                if repo is not None:
                    verify_revision(repo, operands[0])
                    return operands[0], Path(".")
            except GitError:
                pass
            return None, candidate
        return operands[0], Path(".")
    return None, Path(".")


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
