"""Screenshots of every page type of the sample archive, light and dark, desktop and phone, for the
About page's gallery, and the README's screenshot.

    .venv/bin/python tests/screenshots.py [--site BUILT_SITE] [--out docs/about/screens]
                                          [--readme docs/images/screenshot.png | --readme ""]

Without ``--site`` it builds the sample archive (``mkdocs build`` into a temporary folder). Each
screenshot is one screen (not the whole page: the figures page is tens of thousands of pixels tall),
named ``<page>-<scheme>-<screen>.png``: the figures page scrolled to its first chart, the search page
after a query was typed and its results shown, the 404 page as a missing address gets it. The scheme
is the reader's system setting, emulated (``prefers-color-scheme``), in a fresh browser context, so
that no toggle choice is remembered. Debian's Chromium and Playwright, as for the browser tests.
The README's screenshot is a copy of the light desktop report page, written by every run (unless
``--readme ""``) so that it stays current.
"""
from __future__ import annotations

import argparse
import dataclasses
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


@dataclasses.dataclass(frozen=True)
class Shot:
    """One page of the sample archive to photograph: where it is and what a reader does first."""
    name: str                   # the file name's first part
    url: str                    # under the site's root
    scroll_to: str | None = None  # a selector: scroll it to the top of the screen (under the header)
    query: str | None = None      # typed into the search page's header box, Enter, results awaited


#: Every page type of the sample archive, in the default language, then the English report and search
#: pages. The 404 address is a missing report: the server answers it with the site's 404 page.
PAGES = (
    Shot(name="home", url=""),
    Shot(name="year", url="archive/2022/"),
    Shot(name="topic", url="topics/tax-relief/"),
    Shot(name="unit", url="units/tax-bureau/"),
    Shot(name="report", url="reports/2022/tax-bureau-2022/"),
    Shot(name="figures", url="metrics/", scroll_to="figure.wr-chart-figure"),
    Shot(name="search", url="search/", query="留抵退税"),
    Shot(name="404", url="reports/2020/no-such-report/"),
    Shot(name="report-en", url="en/reports/2022/tax-bureau-2022/"),
    Shot(name="search-en", url="en/search/", query="tax"),
)
SCREENS = (("desktop", 1366, 900), ("phone", 390, 844))
SCHEMES = ("light", "dark")
#: The README's screenshot: (page, scheme, screen) of the shot copied to ``--readme``.
README_SHOT = ("report", "light", "desktop")


def file_name(page: str, scheme: str, screen: str) -> str:
    return f"{page}-{scheme}-{screen}.png"


def build_sample(folder: Path) -> Path:
    """The sample archive built with the project's mkdocs.yml (search included: the header shows its box)."""
    out = folder / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)], cwd=ROOT, env=env, check=True)
    return out


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """A built site's files; a missing address gets the site's 404 page with status 404, the language's
    own (``<lang>/404.html`` under ``<lang>/``) where there is one, as deploy/nginx/archive.conf does."""

    def log_message(self, *args):
        pass

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):  # the browser moved on
            pass

    def send_error(self, code, message=None, explain=None):
        page = self._not_found_page() if code == 404 else None
        if page is None:
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _not_found_page(self) -> Path | None:
        root = Path(self.directory)
        first = self.path.split("?", 1)[0].lstrip("/").split("/", 1)[0]
        for candidate in ((root / first / "404.html") if first and "." not in first else None, root / "404.html"):
            if candidate is not None and candidate.is_file():
                return candidate
        return None


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve a built site on a free loopback port; returns the server and its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SiteHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _prepare(page, shot: Shot) -> None:
    """Bring the page to the state shown: scrolled to its subject, or a query typed and its results shown."""
    if shot.scroll_to:
        page.locator(shot.scroll_to).first.evaluate(
            "e => window.scrollTo(0, e.getBoundingClientRect().top + scrollY - 140)")
    if shot.query:
        page.keyboard.press("/")  # the shortcut focuses the header box, as a reader would
        page.keyboard.type(shot.query)
        page.keyboard.press("Enter")
        page.wait_for_url("**/search/?q=*")
        page.wait_for_selector(".wr-hits--page .wr-hit")
        page.wait_for_load_state("networkidle")   # the results' excerpts
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        page.mouse.click(1, page.viewport_size["height"] - 1)  # close the header's panel, if it is open
    page.wait_for_timeout(300)   # Material's header transitions


def shoot(base: str, out: Path, pages: tuple[Shot, ...] = PAGES) -> list[Path]:
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
                for shot in pages:
                    page.goto(base + shot.url, wait_until="networkidle")
                    _prepare(page, shot)
                    path = out / file_name(shot.name, scheme, screen)
                    page.screenshot(path=str(path))
                    written.append(path)
                context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the sample)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "about" / "screens")
    parser.add_argument("--readme", default=str(ROOT / "docs" / "images" / "screenshot.png"),
                        help='where to copy the README\'s screenshot ("" : nowhere)')
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temporary:
        site = args.site or build_sample(Path(temporary))
        server, base = serve(site)
        try:
            written = shoot(base, args.out)
        finally:
            server.shutdown()
    if args.readme:
        shutil.copyfile(args.out / file_name(*README_SHOT), args.readme)
        written.append(Path(args.readme).resolve())
    for path in written:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
