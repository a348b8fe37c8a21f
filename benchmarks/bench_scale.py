"""planpress at scale: full, no-change and one-file builds against a floor, with peak memory.

    python3 benchmarks/bench_scale.py --plans 1000,10000 [--edits 20] [--jobs N]
        [--corpus-script PATH] [--work DIR]

For each corpus size (../shared/bench/gen_corpus.py) it measures, in this run:

- floor: what any Python tool pays: read each plan, parse its front matter with PyYAML's C
  loader, render its Markdown with markdown-it-py, write one trivial Jinja page per plan;
  over all cores (forked processes);
- full: `planpress build` from nothing (no output folder, no cache);
- no-change: `planpress build` again, in a new process (the cache on disk);
- edits: a process keeping its BuildCache (as `planpress watch` does) applies one-file edits
  in turn (a body edit, a title change that other pages show, a new task for a person, a
  deleted plan) and times each from writing the file to the build's end; no edit starts
  once --edit-budget seconds have passed (large sites are slow to edit);
- peak memory of each, all processes of the build summed (RSS, sampled from /proc every
  20 ms), and the output's pages and bytes.

Every figure is also given as a ratio to the floor of the same size, measured in the same run:
compare ratios, not seconds (machines differ, and so does their load). The table at the end
is Markdown.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "bench" / "gen_corpus.py"

FLOOR = r"""
import multiprocessing, os, sys, time
from pathlib import Path
import jinja2, yaml
from markupsafe import Markup
from markdown_it import MarkdownIt

site, out, jobs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
files = sorted((site / "content").rglob("*.md"))
md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
page = jinja2.Environment(autoescape=True).from_string(
    "<!doctype html><title>{{ title }}</title><h1>{{ title }}</h1>{{ body }}")

def one(chunk):
    for path in chunk:
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        data = yaml.load(front, Loader=yaml.CSafeLoader)
        html = page.render(title=str(data.get("title")), body=Markup(md.render(body)))
        target = out / path.relative_to(site / "content").with_suffix(".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    return len(chunk)

chunks = [files[i : i + 100] for i in range(0, len(files), 100)]
with multiprocessing.get_context("fork").Pool(jobs) as pool:
    assert sum(pool.map(one, chunks)) == len(files)
"""

EDITS = r"""
import gc, json, os, statistics, sys, time
from pathlib import Path
from planpress.pipeline import BuildCache, build

site, out, count = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
jobs = int(sys.argv[4]) if sys.argv[4] != "-" else None
budget = float(sys.argv[5])  # seconds: no edit starts after this (large sites are slow)
cache = BuildCache(live=True)  # as `planpress watch` keeps it
build(site, out, cache=cache, jobs=jobs)  # warm: the cache on disk, into memory
cache.save()
gc.collect()
plans = sorted((site / "content").rglob("plan-*.md"))
kinds = ["body", "title", "task", "delete"]
times = {kind: [] for kind in kinds}
cpu = {kind: [] for kind in kinds}  # CPU seconds (this process and its workers): less noisy
pages = {kind: [] for kind in kinds}


def cpu_seconds():
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system
begun = time.perf_counter()
for number in range(count):
    if number and time.perf_counter() - begun > budget:
        break
    kind = kinds[number % len(kinds)]
    path = plans[(number * 7919) % len(plans)]
    while not path.exists():
        path = plans[(plans.index(path) + 1) % len(plans)]
    text = path.read_text()
    if kind == "body":
        text = text.replace("## Notes\n\n", f"## Notes\n\nEdit {number}: a sentence more.\n\n", 1)
    elif kind == "title":
        text = text.replace("\ntitle: ", f"\ntitle: Renamed {number} ", 1)
    elif kind == "task":
        task = (f"      - {{id: new{number}, title: New task {number}, "
                f"responsible: p00001, due: week 3}}\n")
        text = text.replace("  - id: o1\n", "  - id: o1\n", 1).replace(
            "    tasks:\n", "    tasks:\n" + task, 1)
    result = None  # as `planpress watch` does: the last build's model goes before the next
    started, used = time.perf_counter(), cpu_seconds()
    if kind == "delete":
        path.unlink()
    else:
        path.write_text(text)
    result = build(site, out, cache=cache, jobs=jobs)
    times[kind].append(time.perf_counter() - started)
    cpu[kind].append(cpu_seconds() - used)
    pages[kind].append(result.rendered)
    # as `planpress watch` does when the edits pause (not timed): a full pass of the
    # garbage collector, and saving the cache
    gc.collect()
    cache.save()
print(json.dumps({"times": times, "cpu": cpu, "pages": pages}))
"""


class PeakMemory:
    """The largest sums of RSS (every 20 ms) and of PSS (every 200 ms) over a process and all
    its descendants. RSS counts the pages forked workers share with the build once per
    process; PSS shares them out, so it is what the processes take from the machine."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        rounds = 0
        while not self._stop.is_set():
            pids = _tree(self.pid)
            self.peak = max(self.peak, sum(_field(pid, "status", "VmRSS:") for pid in pids))
            if rounds % 10 == 0:
                pss = sum(_field(pid, "smaps_rollup", "Pss:") for pid in pids)
                self.peak_pss = max(self.peak_pss, pss)
            rounds += 1
            self._stop.wait(0.02)

    def stop(self) -> tuple[int, int]:
        self._stop.set()
        self._thread.join()
        return self.peak, self.peak_pss


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo += [int(child) for child in children.read().split()]
        except (OSError, ValueError):
            continue
    return found


def _field(pid: int, name: str, key: str) -> int:
    """A size in bytes from /proc/PID/NAME (a line 'KEY  1234 kB'); 0 when gone."""
    try:
        with open(f"/proc/{pid}/{name}") as lines:
            for line in lines:
                if line.startswith(key):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def run(command: list[str], **kwargs) -> tuple[float, tuple[int, int], str]:
    """(seconds, peak (RSS, PSS) of the process tree in bytes, standard output)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)
    memory = PeakMemory(process.pid)
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    peak = memory.stop()
    if process.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{err.decode()[-3000:]}")
    return seconds, peak, out.decode()


def output_size(folder: Path) -> tuple[int, int, int]:
    """(files, HTML pages, bytes)."""
    files = pages = size = 0
    for path in folder.rglob("*"):
        if path.is_file():
            files += 1
            pages += path.suffix == ".html"
            size += path.stat().st_size
    return files, pages, size


def measure(plans: int, work: Path, args: argparse.Namespace) -> dict:
    site, out = work / f"site-{plans}", work / f"out-{plans}"
    for folder in (site, out, work / f"floor-{plans}"):
        shutil.rmtree(folder, ignore_errors=True)
    subprocess.run(
        [sys.executable, str(args.corpus_script), str(site), "--plans", str(plans)],
        check=True,
        capture_output=True,
    )
    jobs = str(args.jobs or os.cpu_count() or 1)
    print(f"[{plans} plans] floor …", file=sys.stderr, flush=True)
    floor, floor_rss, _ = run(
        [sys.executable, "-c", FLOOR, str(site), str(work / f"floor-{plans}"), jobs]
    )
    build = [sys.executable, "-m", "planpress", "build", str(site), "-o", str(out), "-q"]
    if args.jobs:
        build += ["--jobs", str(args.jobs)]
    print(f"[{plans} plans] full build …", file=sys.stderr, flush=True)
    full, full_rss, _ = run(build)
    files, pages, size = output_size(out)
    print(f"[{plans} plans] no-change build …", file=sys.stderr, flush=True)
    again, again_rss, _ = run(build)
    print(f"[{plans} plans] {args.edits} one-file edits …", file=sys.stderr, flush=True)
    jobs_arg, budget = str(args.jobs or "-"), str(args.edit_budget)
    _, edit_rss, printed = run(
        [sys.executable, "-c", EDITS, str(site), str(out), str(args.edits), jobs_arg, budget]
    )
    edits = json.loads(printed.strip().splitlines()[-1])
    every = [t for times in edits["times"].values() for t in times]
    return {
        "plans": plans,
        "floor": floor,
        "floor_rss": floor_rss,
        "full": full,
        "full_rss": full_rss,
        "again": again,
        "again_rss": again_rss,
        "files": files,
        "pages": pages,
        "bytes": size,
        "edit_median": statistics.median(every) if every else 0.0,
        "edit_max": max(every, default=0.0),
        "edit_cpu": statistics.median(
            [t for times in edits["cpu"].values() for t in times] or [0.0]
        ),
        "edit_count": len(every),
        "edit_rss": edit_rss,
        "edits": edits,
    }


def _memory(peaks: tuple[int, int]) -> str:
    return f"{peaks[0] / 2**20:,.0f} MB ({peaks[1] / 2**20:,.0f} MB)"


def table(results: list[dict]) -> str:
    def ratio(value: float, floor: float) -> str:
        return f"{value / floor:.2f}x" if floor else "–"

    head = "| what | " + " | ".join(f"{r['plans']:,} plans" for r in results) + " |"
    rule = "| --- |" + " --- |" * len(results)
    rows = [
        (
            "floor: read + YAML (C) + Markdown + trivial page, all cores",
            lambda r: f"{r['floor']:.1f} s",
        ),
        (
            "full build (no output, no cache)",
            lambda r: f"{r['full']:.1f} s = {ratio(r['full'], r['floor'])}",
        ),
        (
            "no-change rebuild (new process)",
            lambda r: f"{r['again']:.2f} s = {r['again'] / r['full']:.3f} of full",
        ),
        (
            "one-file edit to build end, median",
            lambda r: f"{r['edit_median']:.2f} s = {ratio(r['edit_median'], r['floor'])}",
        ),
        ("one-file edit, median CPU seconds", lambda r: f"{r['edit_cpu']:.2f} s"),
        (
            "one-file edit to build end, max (edits)",
            lambda r: f"{r['edit_max']:.2f} s ({r['edit_count']})",
        ),
        ("peak memory, all processes, RSS (PSS): floor", lambda r: _memory(r["floor_rss"])),
        ("peak memory, all processes, RSS (PSS): full build", lambda r: _memory(r["full_rss"])),
        ("peak memory, all processes, RSS (PSS): no-change", lambda r: _memory(r["again_rss"])),
        ("peak memory, all processes, RSS (PSS): edits", lambda r: _memory(r["edit_rss"])),
        (
            "output: files (HTML pages), size",
            lambda r: f"{r['files']:,} ({r['pages']:,}), {r['bytes'] / 2**20:.0f} MB",
        ),
    ]
    lines = [head, rule]
    lines += [f"| {name} | " + " | ".join(cell(r) for r in results) + " |" for name, cell in rows]
    if len(results) >= 2:
        first, last = results[0], results[-1]
        growth = last["plans"] / first["plans"]
        lines.append(
            f"| full build, {last['plans']:,} vs {first['plans']:,} plans | "
            + f"{last['full'] / first['full']:.1f}x for {growth:.0f}x the plans |"
            + " |" * (len(results) - 1)
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", default="1000,10000", help="corpus sizes, comma-separated")
    parser.add_argument("--edits", type=int, default=20, help="one-file edits per size")
    parser.add_argument(
        "--edit-budget", type=float, default=300, help="seconds after which no edit starts"
    )
    parser.add_argument("--jobs", type=int, help="processes (default: planpress's default)")
    parser.add_argument("--corpus-script", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--work", type=Path, help="folder for corpora and outputs (kept)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.plans.split(",")]
    work = args.work or Path(tempfile.mkdtemp(prefix="planpress-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        results = [measure(size, work, args) for size in sizes]
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    for result in results:
        by_kind = {
            kind: f"median {statistics.median(times):.2f} s ({statistics.median(cpu):.2f} s CPU), "
            f"{statistics.median(pages):.0f} pages; each: {', '.join(f'{t:.2f}' for t in times)} s"
            for kind, times, cpu, pages in (
                (
                    k,
                    result["edits"]["times"][k],
                    result["edits"]["cpu"][k],
                    result["edits"]["pages"][k],
                )
                for k in result["edits"]["times"]
                if result["edits"]["times"][k]
            )
        }
        print(f"{result['plans']:,} plans, edits by kind: {by_kind}")
    print(f"\n{os.cpu_count()} cores; run took {time.perf_counter() - started:.0f} s\n")
    print(table(results))


if __name__ == "__main__":
    main()
