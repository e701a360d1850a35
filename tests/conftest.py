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


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "cost(seconds): a slow module's time, setup included, about (from a timed run "
                                       "of the suite); the costliest modules start first")


def pytest_collection_modifyitems(config, items) -> None:
    """The modules marked ``pytestmark = pytest.mark.cost(seconds)`` first, costliest first, the
    rest in their order. With ``--dist loadfile`` (pytest.ini) xdist hands whole modules to the
    next free worker in this order: a module of minutes handed out last (the scale test sorts
    late by name) kept one worker busy for minutes after the other had finished everything
    else. Longest first is the classic rule for two machines: the short modules fill in around
    the long ones."""
    def cost(item) -> float:
        marker = item.get_closest_marker("cost")
        return -float(marker.args[0]) if marker else 0.0
    items.sort(key=cost)  # stable: a module's tests, and the unmarked modules, keep their order


@pytest.fixture(scope="session")
def shared_site(tmp_path_factory):
    """Build a fixture site once per session, shared by every module and xdist worker that asks
    for the same one (``sites.shared_build``): ``shared_site(strict=True, **make_site arguments)``
    returns a ``sites.Built``; read its ``site``, or ``copy`` it to change it."""
    from sites import shared_build, shared_cache
    cache = shared_cache(tmp_path_factory)
    return lambda **arguments: shared_build(cache, **arguments)


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
