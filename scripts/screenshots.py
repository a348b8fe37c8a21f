"""Screenshots of the example site for the docs: python3 scripts/screenshots.py [--out DIR].

Builds the example site into a temporary folder and photographs a few pages with Playwright
driving Debian's Chromium (/usr/bin/chromium; `bash scripts/setup-tests.sh` installs it):
the dashboard and a plan at desktop and phone widths, and the review and roadmap pages at
desktop width when the site has them. Writes PNG files into docs/screenshots/.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from planpress.pipeline import build  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
MAX_HEIGHT = 2400  # pixels: long pages are cut here

# (file name, page in the site, viewport, required): optional pages are skipped when absent.
SHOTS = [
    ("dashboard-desktop.png", "index.html", DESKTOP, True),
    ("dashboard-phone.png", "index.html", PHONE, True),
    ("plan-online-sales-q3-desktop.png", "plans/online-sales-q3.html", DESKTOP, True),
    ("plan-online-sales-q3-phone.png", "plans/online-sales-q3.html", PHONE, True),
    ("review-desktop.png", "review.html", DESKTOP, False),
    ("roadmap-desktop.png", "roadmap.html", DESKTOP, False),
]


def take_screenshots(site: Path, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, page_path, viewport, required in SHOTS:
            if not (site / page_path).is_file():
                if required:
                    raise SystemExit(f"screenshots: the example site has no {page_path}")
                print(f"skipped {name}: no {page_path} in the site yet")
                continue
            context = browser.new_context(viewport=viewport, color_scheme="light")
            page = context.new_page()
            page.goto((site / page_path).as_uri())
            height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
            clip = {"x": 0, "y": 0, "width": viewport["width"], "height": height}
            page.screenshot(path=out / name, full_page=True, clip=clip)
            context.close()
            written.append(out / name)
        browser.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"screenshots: no {CHROMIUM}: run `bash scripts/setup-tests.sh`", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="planpress-shots-") as folder:
        site = build(REPO, Path(folder) / "site").output
        for path in take_screenshots(site, args.out):
            print(f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
