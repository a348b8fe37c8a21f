"""Size of the offline search index and speed of a query, on the synthetic corpus.

    python benchmarks/bench_search.py [--plans 1000 10000] [--queries 20] [--corpus-script PATH]

For each corpus size: generate the corpus (../shared/bench/gen_corpus.py), load it with
planpress.pipeline.load_site (no pages are rendered), build search-index.js, and report its
size raw and gzipped, per plan and per entry. Then headless Chromium (Debian's, through
Playwright) loads the index with a <script> element, as search.js does, from a scratch page
next to it, and runs the query logic of themes/default/static/search.js: the time to load and
prepare the index once, and the median and slowest of the queries. Figures vary between
machines; compare the ratios.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from planpress.pipeline import BuildOptions, load_site
from planpress.render.context import RenderContext
from planpress.render.outputs import paths
from planpress.render.outputs.search import search_index_file

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "bench" / "gen_corpus.py"
SEARCH_JS = ROOT / "themes" / "default" / "static" / "search.js"
CHROMIUM = "/usr/bin/chromium"
QUERIES = [
    "website audit", "launch", "plan 00042", "plan 0", "person 00012", "team 003", "hire",
    "review the pricing", "customer survey", "checkout process", "p", "tr", "migrate data",
    "quarterly forecast", "support rota", "train", "sales playbook", "evaluate the partner",
    "zzzz", "onboarding flow",
]  # fmt: skip
PAGE = """<!doctype html><meta charset="utf-8"><title>search bench</title>
<script src="search.js"></script>"""
MEASURE = """async (queries) => {
  const started = performance.now();
  await new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = "search-index.js";
    script.onload = resolve;
    script.onerror = reject;
    document.head.appendChild(script);
  });
  const loaded = performance.now();
  const index = PlanpressSearch.prepare(window.PLANPRESS_SEARCH);
  const prepared = performance.now();
  const times = [], totals = [];
  for (const round of [0, 1]) {  // the first round warms up the JIT; the second is measured
    for (const q of queries) {
      const t = performance.now();
      const found = PlanpressSearch.query(index, q, 20);
      if (round) { times.push(performance.now() - t); totals.push(found.total); }
    }
  }
  return {load: loaded - started, prepare: prepared - loaded, times, totals,
          entries: index.titles.length};
}"""


def generate(script: Path, plans: int, folder: Path) -> Path:
    site = folder / f"corpus-{plans}"
    subprocess.run([sys.executable, str(script), str(site), "--plans", str(plans)], check=True)
    return site


def build_index(site: Path) -> tuple[bytes, float, float, float]:
    """The index, and seconds: loading, building the index, building it with the GC frozen.

    Python's full garbage collections walk every object of the loaded model (about a second
    each at 10,000 plans) whenever enough new objects pile up, whatever allocates them; the
    figure with the model frozen (gc.freeze) is the index's own cost.
    """
    started = time.perf_counter()
    project = load_site(site, BuildOptions())
    loaded = time.perf_counter()
    ctx = RenderContext(project.config, project.site, project.schedule, project.status)
    mark = time.perf_counter()
    data = search_index_file(ctx)[paths.SEARCH_INDEX]
    built = time.perf_counter() - mark
    gc.freeze()
    mark = time.perf_counter()
    search_index_file(ctx)
    frozen = time.perf_counter() - mark
    gc.unfreeze()
    return data, loaded - started, built, frozen


def browse(folder: Path, queries: list[str]) -> dict:
    from playwright.sync_api import sync_playwright

    (folder / "index.html").write_text(PAGE, encoding="utf-8")
    shutil.copy(SEARCH_JS, folder / "search.js")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto((folder / "index.html").as_uri())
        result = page.evaluate(MEASURE, queries)
        browser.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--queries", type=int, default=len(QUERIES))
    parser.add_argument("--corpus-script", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    queries = (QUERIES * (args.queries // len(QUERIES) + 1))[: args.queries]
    with tempfile.TemporaryDirectory(prefix="planpress-bench-search-") as tmp:
        for plans in args.plans:
            folder = Path(tmp) / f"n{plans}"
            folder.mkdir()
            site = generate(args.corpus_script, plans, folder)
            data, load_seconds, index_seconds, frozen_seconds = build_index(site)
            (folder / paths.SEARCH_INDEX).write_bytes(data)
            packed = len(gzip.compress(data, compresslevel=6))
            entries = len(json.loads(data.decode().split("=", 1)[1].rstrip(";\n"))["plans"])
            result = browse(folder, queries)
            times = result["times"]
            print(f"\n== {plans} plans ({result['entries']} entries in the index) ==")
            print(f"load_site (not part of the index): {load_seconds:.1f} s")
            print(f"index build:   {index_seconds * 1000:.0f} ms"
                  f" ({index_seconds * 1e6 / plans:.0f} us per plan); with the loaded model"
                  f" frozen for the GC: {frozen_seconds * 1000:.0f} ms"
                  f" ({frozen_seconds * 1e6 / plans:.0f} us per plan)")  # fmt: skip
            print(f"index size:    {len(data):,} bytes, {len(data) / plans:.0f} bytes per plan, "
                  f"{len(data) / result['entries']:.1f} bytes per entry")  # fmt: skip
            print(f"gzipped:       {packed:,} bytes, {packed / plans:.0f} bytes per plan "
                  f"({packed / len(data):.0%} of raw)")  # fmt: skip
            print(f"browser load:  {result['load']:.0f} ms script, "
                  f"{result['prepare']:.0f} ms prepare (once, on first use)")  # fmt: skip
            print(f"query:         median {statistics.median(times):.2f} ms, "
                  f"slowest {max(times):.2f} ms over {len(times)} queries "
                  f"({statistics.median(times) * 1e6 / result['entries']:.0f} us per "
                  f"1,000 entries)")  # fmt: skip
            print(f"results:       {dict(zip(queries, result['totals'], strict=True))}")
            assert entries == plans


if __name__ == "__main__":
    main()
