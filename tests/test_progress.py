"""Feedback while a build runs: the stages build() reports and the line a terminal shows."""

from __future__ import annotations

import io
import time

import pytest
from sitekit import Terminal, copy_example_site

from planpress.incremental import documents, pool
from planpress.incremental import draw as incremental_draw
from planpress.pipeline import build
from planpress.progress import ProgressLine


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int]] = []

    def __call__(self, stage: str, done: int = 0, total: int = 0) -> None:
        self.calls.append((stage, done, total))

    def stages(self) -> list[str]:
        return list(dict.fromkeys(stage for stage, _, _ in self.calls))

    def rendering(self) -> list[tuple[int, int]]:
        return [(done, total) for stage, done, total in self.calls if stage == "rendering"]


def test_a_build_reports_each_stage_in_order_and_counts_the_files_it_draws(tmp_path):
    recorder = Recorder()
    result = build(
        copy_example_site(tmp_path / "example"), tmp_path / "out", jobs=1, progress=recorder
    )
    assert recorder.stages() == [
        "reading plans",
        "resolving references",
        "scheduling",
        "computing status",
        "reading git history",
        "rendering",
        "writing",
    ]
    counts = recorder.rendering()
    totals = {total for _, total in counts}
    assert len(totals) == 1 and totals.pop() >= result.rendered > 20
    assert [done for done, _ in counts] == sorted(done for done, _ in counts)
    assert counts[0][0] == 0 and counts[-1][0] == counts[-1][1] - 1


@pytest.mark.skipif(not pool.can_fork(), reason="workers are forked")
def test_a_parallel_build_reports_rising_counts(tmp_path, monkeypatch):
    monkeypatch.setattr(incremental_draw, "PARALLEL_PAGES", 1)
    monkeypatch.setattr(documents, "PARALLEL_DOCUMENTS", 1)
    recorder = Recorder()
    build(copy_example_site(tmp_path / "example"), tmp_path / "out", jobs=2, progress=recorder)
    counts = recorder.rendering()
    assert counts, "no progress while rendering in parallel"
    done = [d for d, _ in counts]
    assert done == sorted(done) and all(d <= t for d, t in counts)


def test_the_line_shows_on_a_terminal_only_after_a_moment_and_is_erased(monkeypatch):
    monkeypatch.setattr(ProgressLine, "DELAY", 0.05)
    terminal = Terminal()
    line = ProgressLine.for_stream(terminal, quiet=False)
    line.start()
    line("rendering", 1234, 40112)
    time.sleep(0.4)
    line.stop()
    text = terminal.getvalue()
    assert "\r\x1b[Kplanpress: rendering 1,234 of 40,112 files… " in text
    assert text.endswith("\r\x1b[K")  # the summary that follows starts on a clean line


def test_quick_builds_quiet_runs_and_logs_show_no_line(monkeypatch):
    for stream, quiet in ((Terminal(), True), (io.StringIO(), False), (Terminal(), False)):
        line = ProgressLine.for_stream(stream, quiet)
        line.start()
        line("scheduling")
        line.stop()  # before the half second a quick build never shows anything
        assert stream.getvalue() == ""
