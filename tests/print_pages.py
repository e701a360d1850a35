"""Images of printed pages for the About page: the first page of a report and of a year listing, as
Chromium prints them (docs/stylesheets/archive-print.css).

    .venv/bin/python tests/print_pages.py [--site BUILT_SITE] [--out docs/about]

Without ``--site`` it builds the sample archive (``mkdocs build`` into a temporary folder). Each page is
printed to PDF with Playwright's ``page.pdf`` (Debian's Chromium, the paper size and margins from the
stylesheet, no browser header or footer: what a reader's Ctrl-P gives with "Headers and footers" off),
then the PDF's first page is rendered to PNG by pdftoppm (Debian's poppler-utils; not needed by the
tests, only here): headless Chromium does not render a PDF itself.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from screenshots import build_sample, serve  # the sample built and served as for the screenshots

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
RESOLUTION = 60  # dots per inch: an A4 page is 496 × 702 pixels

#: (image name, URL under the site)
PAGES = (("print-report", "reports/2022/tax-bureau-2022/"), ("print-listing", "archive/2022/"))


def print_first_pages(site: Path, out: Path, work: Path) -> list[Path]:
    """Print each of PAGES to PDF and render its first page to ``out/<name>.png``."""
    from playwright.sync_api import sync_playwright
    server, base = serve(site)
    written = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            for name, url in PAGES:
                page.goto(base + url)
                page.emulate_media(media="print")
                pdf = work / f"{name}.pdf"
                page.pdf(path=str(pdf), prefer_css_page_size=True)
                subprocess.run(["pdftoppm", "-png", "-r", str(RESOLUTION), "-f", "1", "-l", "1", "-singlefile",
                                str(pdf), str(out / name)], check=True)
                written.append(out / f"{name}.png")
            browser.close()
    finally:
        server.shutdown()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the sample archive)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "about")
    args = parser.parse_args(argv)
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is missing: apt-get install poppler-utils", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        site = args.site or build_sample(work)
        for path in print_first_pages(site, args.out, work):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
