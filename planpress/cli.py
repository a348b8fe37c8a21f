"""The command line: parse arguments, call the library, print diagnostics, map to exit codes.

Exit codes: 0 success; 1 the site has errors (or warnings under --strict);
2 the command line itself is wrong.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from planpress import __version__
from planpress.diagnostics import BuildFailed, Diagnostic, PlanpressError
from planpress.render.format import plural

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got '{text}'") from None


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

    check = commands.add_parser("check", help="validate the site without writing anything")
    _common(check)
    check.add_argument("--today", type=_date, help="the day statuses are computed for")
    check.add_argument("--drafts", action="store_true", help="check plans with status draft too")

    for name in ("serve", "watch"):
        reserved = commands.add_parser(name, help="live rebuild (not available yet)")
        reserved.add_argument("path", nargs="?", default=".")
    return parser


def _common(command: argparse.ArgumentParser) -> None:
    command.add_argument("path", nargs="?", default=".", type=Path, help="site folder (default: .)")
    command.add_argument("--strict", action="store_true", help="treat warnings as errors")


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    if args.command in ("serve", "watch"):
        print(f"planpress {args.command}: not available in this version yet", file=sys.stderr)
        return EXIT_USAGE
    try:
        return _run(args)
    except BuildFailed as failure:
        _print_diagnostics(failure.diagnostics)
        print(f"planpress: {failure} (nothing was written)", file=sys.stderr)
        return EXIT_ERRORS
    except PlanpressError as failure:
        _print_diagnostics(failure.diagnostics)
        print(f"planpress: error: {failure}", file=sys.stderr)
        return EXIT_ERRORS
    except KeyboardInterrupt:
        print("planpress: interrupted", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    from planpress.pipeline import BuildOptions, build, check  # keeps --version and --help fast

    options = BuildOptions(
        today=args.today,
        drafts=args.drafts,
        strict=args.strict,
        audience=getattr(args, "audience", None),
    )
    if not args.path.is_dir():
        raise PlanpressError(f"no site folder at {args.path}")
    if args.command == "check":
        diagnostics = check(args.path, options)
        _print_diagnostics(diagnostics)
        verdict = "site is valid" if not diagnostics else plural(len(diagnostics), "warning")
        print(f"planpress check: {verdict}", file=sys.stderr)
        return EXIT_OK
    result = build(args.path, args.output, options)
    _print_diagnostics(result.project.diagnostics)
    if not args.quiet:
        files = result.files
        seconds = sum(result.timings.values())
        print(
            f"planpress: built {plural(len(result.project.site.plans), 'plan')} into "
            f"{result.output} ({files.written} written, {files.unchanged} unchanged, "
            f"{files.removed} removed, {plural(len(result.project.diagnostics), 'warning')}) "
            f"in {seconds:.2f} s",
            file=sys.stderr,
        )
    return EXIT_OK


def _print_diagnostics(diagnostics: Sequence[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)
