"""`planpress serve` and `planpress watch` as commands: real processes, signals, terminal output."""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

from serve_kit import TIMEOUT, plan, wait_until, write
from sitekit import Terminal

from planpress.pipeline import BuildOptions
from planpress.progress import ProgressLine
from planpress.serve.builder import Builder, SiteState
from planpress.write import WriteResult

REPO = Path(__file__).parents[2]


class Process:
    """planpress running as a command, its standard error collected line by line."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.lines: list[str] = []
        self.raw = ""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "planpress", *args],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **(env or {})},
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.raw += line
            self.lines.append(line.rstrip("\n"))

    def wait_line(self, text: str) -> str:
        try:
            return wait_until(lambda: next((line for line in self.lines if text in line), None))
        except AssertionError:
            raise AssertionError(f"no line with {text!r} in {self.lines}") from None

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(TIMEOUT)
        self.reader.join(TIMEOUT)
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(TIMEOUT)


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_serve_builds_serves_reloads_and_stops_cleanly(small_site, tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    serve = Process("serve", str(small_site), "--port", "0", env={"TMPDIR": str(scratch)})
    try:
        url = serve.wait_line("at http://127.0.0.1:").split(" at ")[1].split()[0]
        serve.wait_line("built 2 plans")
        status, page = fetch(url + "plans/launch.html")
        assert status == 200 and "Launch v1" in page and "/__planpress/live.js" in page
        assert next(scratch.iterdir()).name.startswith("planpress-serve-")
        write(small_site / "content" / "launch.md", plan("Launch v2"))
        wait_until(lambda: "Launch v2" in fetch(url + "plans/launch.html")[1], what="a rebuild")
        serve.wait_line("content/launch.md changed: rebuilt 2 plans")
        assert serve.stop() == 0
    finally:
        serve.kill()
    assert serve.lines[-1] == "planpress serve: stopped"
    assert not list(scratch.iterdir()), "the temporary output folder is removed"
    assert not (small_site / "site").exists(), "serve leaves the site's own output alone"
    assert not (small_site / ".planpress-cache").exists(), "nor a cache of a temporary folder"
    assert "\r" not in serve.raw


def test_watch_survives_bad_input_and_rebuilds_until_sigterm(small_site, tmp_path):
    out = tmp_path / "published"
    write(small_site / "content" / "broken.md", "---\ntitle: [unclosed\n---\n")
    watch = Process("watch", str(small_site), "-o", str(out))
    try:
        watch.wait_line("content/broken.md:3:1: error: invalid YAML")
        watch.wait_line("the output folder keeps the last good build")
        assert not out.exists()
        (small_site / "content" / "broken.md").unlink()
        wait_until(lambda: (out / "plans" / "launch.html").exists(), what="the first good build")
        write(small_site / "content" / "launch.md", plan("Launch watched"))
        wait_until(
            lambda: "Launch watched" in (out / "plans" / "launch.html").read_text(),
            what="a rebuild",
        )
        assert watch.stop() == 0
    finally:
        watch.kill()
    assert watch.lines[-1] == "planpress watch: stopped"
    assert "\r" not in watch.raw
    assert b"__planpress" not in (out / "plans" / "launch.html").read_bytes()
    # watch saved its cache before it stopped: the next build has nothing to do
    from planpress.pipeline import BuildCache, build

    again = build(small_site, out, cache=BuildCache())
    assert "resolve" not in again.timings and again.files.written == 0


def test_a_port_in_use_is_a_plain_error(small_site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "planpress", "serve", str(small_site), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr


def test_the_version_and_the_parser_do_not_load_watchdog():
    code = (
        "import sys; from planpress.cli import make_parser; make_parser(); "
        "print(any(name.startswith(('watchdog', 'planpress.serve.watcher')) "
        "for name in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.stdout.strip() == "False", result.stderr


def quick_build(path, output, options):
    return SimpleNamespace(plans=1, diagnostics=[], files=WriteResult(3, 1, 0), output=output)


def slow_build(path, output, options):
    time.sleep(0.4)
    return quick_build(path, output, options)


def test_progress_shows_on_a_terminal_only_and_ends_with_one_summary_line(tmp_path, monkeypatch):
    monkeypatch.setattr(ProgressLine, "DELAY", 0.1)  # instead of half a second
    for stream, quiet, shown in ((Terminal(), False, True), (Terminal(), True, False),
                                 (io.StringIO(), False, False)):  # fmt: skip
        builder = Builder(
            tmp_path, tmp_path / "out", BuildOptions(), SiteState(), stream, quiet,
            build_fn=slow_build,
        )  # fmt: skip
        report = builder.run([str(tmp_path / "content" / "a.md")])
        text = stream.getvalue()
        assert report.ok
        assert ("\r\x1b[Kplanpress: building… " in text) is shown
        summary = [line for line in text.split("\n") if line.strip()]
        if quiet:
            assert "written" not in text
        else:
            assert (
                summary[-1]
                .split("\r\x1b[K")[-1]
                .startswith(
                    "planpress: content/a.md changed: rebuilt 1 plan (3 written, 1 unchanged, "
                    "0 removed, 0 warnings) in "
                )
            )


class Cache:
    """What the pipeline's BuildCache is to build(cache=...)."""


def test_a_build_cache_is_kept_across_rebuilds_when_build_takes_one(tmp_path):
    seen = []

    def build_with_cache(path, output, options, cache: Cache | None = None):
        seen.append(cache)
        return quick_build(path, output, options)

    builder = Builder(tmp_path, tmp_path / "out", BuildOptions(), SiteState(), io.StringIO(),
                      build_fn=build_with_cache)  # fmt: skip
    builder.run()
    builder.run(["x"])
    assert isinstance(seen[0], Cache) and seen[0] is seen[1]


def test_a_pause_after_a_rebuild_frees_the_garbage_cycles_of_earlier_builds(tmp_path):
    """No full collector pass runs while whole-site files are drawn, so the rebuild loop
    runs one when the edits pause after a build (Builder.idle): a cycle that reached the
    oldest generation is freed then, and not before, so the pass never delays a rebuild."""
    import gc
    import weakref

    class Node:
        pass

    def build_leaving_a_cycle(path, output, options):
        node = Node()
        node.self = node  # a cycle: only the collector frees it
        seen.append(weakref.ref(node))
        gc.freeze()  # as render_and_write does: into the oldest generation, unwalked
        gc.unfreeze()
        return quick_build(path, output, options)

    seen: list[weakref.ref] = []
    thresholds = gc.get_threshold()
    gc.set_threshold(thresholds[0], thresholds[1], 1 << 30)  # no full pass on its own
    try:
        builder = Builder(tmp_path, tmp_path / "out", BuildOptions(), SiteState(),
                          io.StringIO(), build_fn=build_leaving_a_cycle)  # fmt: skip
        builder.run()
        builder.idle(after=60)  # not a pause yet: a minute has not passed
        kept = seen[0]() is not None
        builder.idle()
    finally:
        gc.set_threshold(*thresholds)
    assert kept and seen[0]() is None


def test_rebuilds_without_a_pause_still_free_garbage_cycles(tmp_path):
    import gc
    import weakref

    from planpress.serve.builder import COLLECT_EVERY

    class Node:
        pass

    def build_leaving_a_cycle(path, output, options):
        node = Node()
        node.self = node
        seen.append(weakref.ref(node))
        gc.freeze()
        gc.unfreeze()
        return quick_build(path, output, options)

    seen: list[weakref.ref] = []
    thresholds = gc.get_threshold()
    gc.set_threshold(thresholds[0], thresholds[1], 1 << 30)
    try:
        builder = Builder(tmp_path, tmp_path / "out", BuildOptions(), SiteState(),
                          io.StringIO(), build_fn=build_leaving_a_cycle)  # fmt: skip
        for _ in range(COLLECT_EVERY):
            builder.run(["x"])
    finally:
        gc.set_threshold(*thresholds)
    assert len(seen) == COLLECT_EVERY and all(ref() is None for ref in seen)
