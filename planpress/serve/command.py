"""`planpress serve` and `planpress watch`: their options and their run functions.

This module is imported when the command line is parsed, so it imports nothing
heavy at the top: the pipeline and watchdog load only when a command runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path
from typing import TextIO

EXIT_OK, EXIT_ERRORS = 0, 1


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got '{text}'") from None


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, got '{text}'")
    return int(text)


def _site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default=".", type=Path, help="site folder (default: .)")
    parser.add_argument("--poll", action="store_true", help="poll for changes instead of inotify")
    parser.add_argument("--today", type=_date, help="the day statuses are computed for")
    parser.add_argument("--drafts", action="store_true", help="include plans with status draft")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--audience", help="build for one audience named in planpress.yaml")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add `serve` and `watch` to the command line's subcommands."""
    serve = commands.add_parser(
        "serve",
        help="preview: build, serve, rebuild on every change and reload open pages",
        description="Build the site into a temporary folder (or -o DIR), serve it on "
        "http://HOST:PORT/, watch the sources, rebuild on every change and reload open pages.",
    )
    _site_options(serve)
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    serve.add_argument(
        "--port", type=_port, default=8000, help="port (default: 8000; 0 picks a free one)"
    )
    serve.add_argument(
        "-o", "--output", type=Path, help="output folder (default: a temporary folder)"
    )
    watch = commands.add_parser(
        "watch",
        help="rebuild the output folder on every change (no server)",
        description="Build the site, then rebuild it whenever a plan, planpress.yaml, the "
        "people file or a template changes. Runs until Ctrl-C or SIGTERM.",
    )
    _site_options(watch)
    watch.add_argument("-o", "--output", type=Path, help="output folder (default: site/)")


def run(args: argparse.Namespace, stream: TextIO | None = None) -> int:
    """Run `serve` or `watch` until Ctrl-C or SIGTERM; exit code 0 when stopped that way."""
    stream = stream or sys.stderr
    from planpress.pipeline import BuildOptions  # keeps --version and --help fast
    from planpress.serve.loop import LiveSite

    if not args.path.is_dir():
        print(f"planpress: error: no site folder at {args.path}", file=stream)
        return EXIT_ERRORS
    options = BuildOptions(
        today=args.today, drafts=args.drafts, strict=args.strict, audience=args.audience
    )
    serving = args.command == "serve"
    temporary = None
    output = args.output.resolve() if args.output is not None else None
    if serving and output is None:
        temporary = Path(tempfile.mkdtemp(prefix="planpress-serve-"))
        output = temporary
    live = LiveSite(
        args.path,
        output,
        options,
        stream,
        quiet=args.quiet,
        poll=args.poll,
        persist_cache=temporary is None,  # a preview's temporary folder leaves no cache state
        kept="still serving the last good build"
        if serving
        else "the output folder keeps the last good build",
    )
    server = None
    previous = signal.getsignal(signal.SIGTERM)
    try:
        if serving:
            from planpress.serve.server import DevServer

            assert output is not None
            try:
                server = DevServer(args.host, args.port, output, live.state)
            except OSError as exc:
                print(
                    f"planpress: error: cannot listen on {args.host}:{args.port}: {exc.strerror}",
                    file=stream,
                )
                return EXIT_ERRORS
            server.start()
            print(
                f"planpress: serving {args.path.resolve()} at {server.url} (Ctrl-C to stop)",
                file=stream,
                flush=True,
            )
        else:
            where = live.output_dir
            if not args.quiet:
                print(
                    f"planpress: watching {args.path.resolve()}, building into {where} "
                    "(Ctrl-C to stop)",
                    file=stream,
                    flush=True,
                )
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, _interrupt)  # systemd's stop: end like Ctrl-C
        live.run()
    except KeyboardInterrupt:
        pass
    finally:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, previous)
        live.stop()
        if server is not None:
            server.stop()
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    print(f"planpress {args.command}: stopped", file=stream, flush=True)
    return EXIT_OK


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
