"""Screenshots of the figures page and a report page, light and dark, desktop and phone, for the About page.

    .venv/bin/python tests/screenshots.py [--site BUILT_SITE] [--out docs/about/screens]

Without ``--site`` it builds the sample archive (``mkdocs build`` into a temporary folder). Each
screenshot is one screen (not the whole page: the figures page is tens of thousands of pixels tall),
the figures page scrolled to its first chart. The scheme is the reader's system setting, emulated
(``prefers-color-scheme``), in a fresh browser context, so that no toggle choice is remembered.
Debian's Chromium and Playwright, as for the browser tests.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"

#: (name, URL under the site, selector of what to scroll to or None)
PAGES = (("figures", "metrics/", "figure.wr-chart-figure"), ("report", "reports/2022/tax-bureau-2022/", None))
SCREENS = (("desktop", 1366, 900), ("phone", 390, 844))
SCHEMES = ("light", "dark")


def build_sample(folder: Path) -> Path:
    """The sample archive built with the project's mkdocs.yml (search included: the header shows its box)."""
    out = folder / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)], cwd=ROOT, env=env, check=True)
    return out


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def handle(self):
            try:
                super().handle()
            except (BrokenPipeError, ConnectionResetError):  # the browser moved on
                pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def shoot(base: str, out: Path) -> list[Path]:
    """Every page × screen × scheme; returns the files written."""
    from playwright.sync_api import sync_playwright
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for scheme in SCHEMES:
            for screen, width, height in SCREENS:
                context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme,
                                              device_scale_factor=1)
                page = context.new_page()
                for name, url, target in PAGES:
                    page.goto(base + url, wait_until="networkidle")
                    if target:
                        page.locator(target).first.evaluate(
                            "e => window.scrollTo(0, e.getBoundingClientRect().top + scrollY - 140)")
                    page.wait_for_timeout(300)   # Material's header transitions
                    path = out / f"{name}-{scheme}-{screen}.png"
                    page.screenshot(path=str(path))
                    written.append(path)
                context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the sample)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "about" / "screens")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temporary:
        site = args.site or build_sample(Path(temporary))
        server, base = serve(site)
        try:
            for path in shoot(base, args.out):
                print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
