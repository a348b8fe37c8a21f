"""Seconds per pipeline stage on the synthetic corpus, with a baseline from the same run.

    python benchmarks/bench_pipeline.py --plans 1000 [--repeat 3] [--corpus-script PATH]

The baseline ("floor") is what any Python tool pays: read each file and parse its
front matter with PyYAML's C loader. Figures are medians of --repeat runs;
compare ratios, not absolute seconds (machines are noisy).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from planpress.config import load_config
from planpress.diagnostics import Diagnostics
from planpress.load import load_sources
from planpress.render.site import RenderInput, render_site
from planpress.render.theme import Theme
from planpress.resolve import resolve_site
from planpress.schedule.scheduler import schedule_site
from planpress.schedule.status import compute_status

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "bench" / "gen_corpus.py"


def floor(site: Path) -> None:
    for path in sorted((site / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        yaml.load(text.split("---", 2)[1], Loader=yaml.CSafeLoader)


def stages(site: Path) -> dict[str, float]:
    times: dict[str, float] = {}
    diagnostics = Diagnostics()
    config = load_config(site, diagnostics)
    started = time.perf_counter()
    sources = load_sources(site, site / "content", diagnostics)
    times["load"] = time.perf_counter() - started
    mark = time.perf_counter()
    model = resolve_site(sources, diagnostics)
    times["resolve"] = time.perf_counter() - mark
    mark = time.perf_counter()
    schedule = schedule_site(model, diagnostics)
    times["schedule"] = time.perf_counter() - mark
    mark = time.perf_counter()
    status = compute_status(model, schedule, config.resolve_today(), config.due_soon_days)
    times["status"] = time.perf_counter() - mark
    mark = time.perf_counter()
    render_site(RenderInput(config, model, schedule, status), Theme.find(config.theme, site))
    times["render"] = time.perf_counter() - mark
    return times


def timed(action, *args) -> float:
    started = time.perf_counter()
    action(*args)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus-script", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "corpus"
        subprocess.run(
            [sys.executable, str(args.corpus_script), str(site), "--plans", str(args.plans)],
            check=True,
            capture_output=True,
        )
        floors = [timed(floor, site) for _ in range(args.repeat)]
        runs = [stages(site) for _ in range(args.repeat)]
    base = statistics.median(floors)
    print(f"corpus: {args.plans} plans, median of {args.repeat} runs")
    print(f"{'stage':<10} {'seconds':>9} {'ms/plan':>9} {'x floor':>8}")
    print(f"{'floor':<10} {base:9.3f} {base / args.plans * 1000:9.3f} {1:8.2f}")
    total = 0.0
    for stage in runs[0]:
        seconds = statistics.median(run[stage] for run in runs)
        total += seconds
        print(
            f"{stage:<10} {seconds:9.3f} {seconds / args.plans * 1000:9.3f} {seconds / base:8.2f}"
        )
    print(f"{'total':<10} {total:9.3f} {total / args.plans * 1000:9.3f} {total / base:8.2f}")


if __name__ == "__main__":
    main()
