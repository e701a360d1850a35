"""Shared test set-up: the plain modules under hooks/ and the fixture vocabulary."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(ROOT / "hooks"))

from archive.vocabulary import Vocabulary, load_vocabulary  # noqa: E402


@pytest.fixture(scope="session")
def vocab() -> Vocabulary:
    """The small vocabulary of the fixture sites: two units, three topics, two templates."""
    text = (FIXTURES / "vocabulary.yml").read_text(encoding="utf-8")
    vocabulary, problems = load_vocabulary(text, "docs/vocabulary.yml")
    assert problems == []
    return vocabulary


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; skips without it, unless CI requires it."""
    import os
    reason = None
    if not Path(CHROMIUM).exists():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    else:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            reason = "Playwright for Python is not installed (pip install -r requirements.txt)"
    if reason:
        if os.environ.get("ARCHIVE_REQUIRE_BROWSER"):
            pytest.fail(f"browser tests are required here (ARCHIVE_REQUIRE_BROWSER is set): {reason}")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def serve():
    """Serve a folder on loopback under a URL prefix; returns the base URL."""
    import functools
    import http.server
    import threading

    servers = []

    def start(folder: Path, prefix: str = "/") -> str:
        class Handler(http.server.SimpleHTTPRequestHandler):
            def translate_path(self, path):
                if not path.startswith(prefix):
                    return str(folder / "__outside_prefix__")
                return super().translate_path("/" + path[len(prefix):])

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}{prefix}"

    yield start
    for server in servers:
        server.shutdown()


@pytest.fixture
def page(browser):
    """A desktop-sized page that fails the test on any script error in it."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.close()
    assert errors == []


@pytest.fixture(scope="session")
def nginx(tmp_path_factory):
    """Serve a built folder with a real nginx and deploy/nginx/archive.conf (tests/nginx_server.py);
    returns the running server (``.base`` is its sub-path's URL). Skips without nginx, unless
    CI requires it, as the browser tests do."""
    import os
    from nginx_server import nginx_binary, start
    if nginx_binary() is None:
        reason = "nginx is not installed (apt-get install nginx)"
        if os.environ.get("ARCHIVE_REQUIRE_BROWSER"):
            pytest.fail(f"nginx tests are required here (ARCHIVE_REQUIRE_BROWSER is set): {reason}")
        pytest.skip(reason)
    servers = []

    def begin(folder: Path):
        server = start(folder, tmp_path_factory.mktemp("nginx"))
        servers.append(server)
        return server

    yield begin
    for server in servers:
        server.stop()
