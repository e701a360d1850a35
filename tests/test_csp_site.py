"""The sample archive built for real: every page declares its policy, and Chromium runs it cleanly.

Violations are collected through a ``securitypolicyviolation`` listener installed before any
page script (an init script), CSP console errors through the console, and every request the
browser makes is logged; anything not to the loopback server is aborted before it leaves.
"""
from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from sites import MKDOCS, ROOT, make_site

pytestmark = pytest.mark.cost(95)  # seconds, about: started before the quick modules (conftest.py)

PREFIX = "/intranet/archive/"
META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S)


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """The sample archive (the project's mkdocs.yml and docs/), built strictly."""
    folder = tmp_path_factory.mktemp("csp") / "site"
    result = subprocess.run(MKDOCS + ["build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(folder)],
                            capture_output=True, text=True, cwd=ROOT,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Content-Security-Policy" not in result.stderr and "内容安全策略" not in result.stderr
    return folder


def digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_every_built_page_declares_one_policy_before_its_first_script(out):
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 80 and out / "404.html" in pages and out / "en" / "guide" / "index.html" in pages
    for path in pages:
        page = path.read_text(encoding="utf-8")
        name = path.relative_to(out).as_posix()
        assert len(META.findall(page)) == 1, name
        meta = META.search(page)
        head = page.index("<head>"), page.index("</head>")
        assert head[0] < meta.start() < head[1], name
        assert meta.start() < min(page.index(tag) for tag in ("<script", "<link", "<title") if tag in page), name
        policy = meta[1]
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, name
        for directive in ("default-src 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'none'",
                          "frame-src 'none'", "img-src 'self' data:", "style-src 'self';", "worker-src 'self'"):
            assert directive in policy, (name, directive)
        # the hashes are those of this page's executable inline scripts, exactly
        inline = [body for attrs, body in SCRIPT.findall(page) if "src=" not in attrs and "application/json" not in attrs]
        assert len(inline) >= 2, name
        assert re.findall(r"'sha256-[^']+'", policy) == list(dict.fromkeys(digest(body) for body in inline)), name
        assert not re.search(r"<[a-z][^>]*\sstyle=", page), name


# ---- in Chromium -------------------------------------------------------------------------------

class Watch:
    """A browser context that records policy violations, CSP console errors and requests."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.violations: list[dict] = []
        self.console: list[str] = []
        self.requests: list[str] = []
        self.aborted: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.context.expose_function("__cspViolation", lambda violation: self.violations.append(violation))
        self.context.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => window.__cspViolation({"
            "directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample, page: document.URL}), true)")
        self.context.route("**/*", self._route)
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.failed: dict[str, str | None] = {}
        self.context.on("requestfailed", lambda request: self.failed.update({request.url: request.failure}))
        self.responses: list[str] = []
        self.context.on("response", lambda response: self.responses.append(response.url))
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _route(self, route) -> None:
        if route.request.url.startswith(self.base):
            route.continue_()
        else:  # never let anything reach another host
            self.aborted.append(route.request.url)
            route.abort()

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def goto(self, url: str, idle: bool = True) -> None:
        response = self.page.goto(self.base + url)
        assert response.status == 200, url
        self.page.wait_for_load_state("networkidle" if idle else "load")
        # the hashed inline scripts ran, and Material's bundle after them
        assert self.page.evaluate("typeof __md_get === 'function' && typeof __md_scope === 'object'"), url
        assert self.page.evaluate("document.documentElement.classList.contains('js')"), url

    def assert_clean(self) -> None:
        self.page.wait_for_timeout(200)
        assert self.violations == [] and self.console == [], (self.violations, self.console)
        assert self.errors == []
        assert self.aborted == [] and all(r.startswith(self.base) for r in self.requests), self.aborted

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def base(out, serve) -> str:
    return serve(out, PREFIX)


@pytest.fixture
def watch(browser, base):
    watching = Watch(browser, base)
    yield watching
    watching.close()


@pytest.mark.parametrize("lang", ["", "en/"])
def test_every_kind_of_page_runs_without_a_violation(watch, lang):
    for url in ("", "archive/", "archive/2022/", "topics/", "topics/tax-relief/", "units/", "units/tax-bureau/",
                "reports/2022/tax-bureau-2022/", "metrics/", "search/", "guide/", "about/"):
        watch.goto(lang + url)
        if url == "metrics/":  # the charts are drawn
            assert watch.page.locator("svg.wr-chart").count() > 5
        if url == "about/":  # table cells keep their alignment without style attributes
            align = watch.page.eval_on_selector('td[align="right"]', "td => getComputedStyle(td).textAlign")
            assert align in ("right", "-webkit-right")  # how Chromium maps the align attribute
        if url.startswith("reports/"):
            assert watch.page.locator("#figures").count() == 1
    watch.assert_clean()


@pytest.mark.parametrize("lang, query, expected", [("", "留抵退税", "reports/"), ("en/", "refunds", "en/reports/")])
def test_search_results_and_highlighting_run_without_a_violation(watch, lang, query, expected):
    watch.goto(lang)
    watch.page.keyboard.press("/")
    watch.page.keyboard.type(query)
    watch.page.wait_for_function(
        "q => document.querySelector('.wr-search__panel:not([hidden])')?.dataset.query === q", arg=query)
    first = watch.page.locator(".wr-search__panel .wr-hit__title").first
    assert first.evaluate("a => a.href").startswith(watch.base + expected)
    with watch.page.expect_navigation():
        first.click()
    watch.page.wait_for_selector("[data-pagefind-body] mark")
    assert "highlight=" in watch.page.url
    # the marks are styled by archive.css, not by a style element Pagefind would add
    assert watch.page.evaluate("document.querySelectorAll('head style').length") == 0
    watch.page.goto(watch.base + lang + "search/?q=" + query)
    watch.page.wait_for_selector(".wr-hits--page .wr-hit")
    watch.assert_clean()


def test_the_language_selector_runs_without_a_violation(watch):
    watch.goto("reports/2022/tax-bureau-2022/")
    for lang, expected in (("en", "en/reports/2022/tax-bureau-2022/"), ("zh", "reports/2022/tax-bureau-2022/")):
        watch.page.hover(".md-select")
        with watch.page.expect_navigation():
            watch.page.click(f'.md-select__link[hreflang="{lang}"]')
        watch.page.wait_for_load_state("networkidle")
        assert watch.page.url == watch.base + expected
    watch.assert_clean()


def test_the_404_page_runs_without_a_violation(browser, serve, out):
    # 404.html names its assets from site_url's path (the sample's /reports-archive/): served there
    path = urlsplit(yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]).path
    watching = Watch(browser, serve(out, path))
    try:
        for url in ("404.html", "en/404.html"):
            watching.goto(url)
        watching.assert_clean()
    finally:
        watching.close()


def test_the_policy_blocks_an_injected_script_and_a_remote_image(browser, serve, out, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(out, copy)
    report = copy / "reports" / "2022" / "tax-bureau-2022" / "index.html"
    page = report.read_text(encoding="utf-8")
    injected = ('<script>window.__injected = true</script><img id="remote" src="http://192.0.2.1/x.png">'
                '<script type="application/json" id="probe">{"data": true}</script>'
                '<p id="styled" style="color: rgb(255, 0, 0)">styled</p>')
    report.write_text(page.replace("</article>", injected + "</article>", 1), encoding="utf-8")
    watching = Watch(browser, serve(copy, PREFIX))
    try:
        watching.page.goto(watching.base + "reports/2022/tax-bureau-2022/")
        watching.page.wait_for_load_state("networkidle")
        watching.page.wait_for_timeout(300)
        found = sorted((v["directive"], v["blocked"]) for v in watching.violations)
        assert found == [("img-src", "http://192.0.2.1/x.png"), ("script-src-elem", "inline"),
                         ("style-src-attr", "inline")], watching.violations
        assert watching.page.evaluate("window.__injected") is None
        assert watching.page.evaluate("getComputedStyle(document.getElementById('styled')).color") != "rgb(255, 0, 0)"
        # the JSON block is data: no violation, still readable
        assert watching.page.evaluate("JSON.parse(document.getElementById('probe').textContent).data") is True
        # Chromium announces the image's request and fails it before the network: the route,
        # which sees every request headed for the network, never did; no response came
        assert watching.failed.get("http://192.0.2.1/x.png") == "csp", watching.failed  # blocked by the policy
        assert watching.aborted == [] and not any("192.0.2.1" in url for url in watching.responses)
        assert [url for url in watching.requests if not url.startswith(watching.base)] == ["http://192.0.2.1/x.png"]
        assert watching.page.evaluate("typeof __md_get") == "function"  # the theme's scripts still ran
    finally:
        watching.close()


def test_the_search_worker_is_not_under_the_pages_meta_policy(browser, serve, out, tmp_path):
    """Chromium gives a dedicated worker the policy of its own response (none here), not the page's.

    Without 'wasm-unsafe-eval' in the page's policy Pagefind still compiles its WebAssembly
    in the worker; the page's ``worker-src 'self'`` is what governs starting the worker.
    The keyword stays in the policy for older browsers that applied the page's policy to
    the worker (archive.csp).
    """
    copy = tmp_path / "site"
    shutil.copytree(out, copy)
    search = copy / "search" / "index.html"
    page = search.read_text(encoding="utf-8")
    assert page.count(" 'wasm-unsafe-eval'") == 1
    search.write_text(page.replace(" 'wasm-unsafe-eval'", ""), encoding="utf-8")
    watching = Watch(browser, serve(copy, PREFIX))
    try:
        watching.goto("search/?q=留抵退税")
        watching.page.wait_for_selector(".wr-hits--page .wr-hit")
        assert "wasm-unsafe-eval" not in watching.page.get_attribute('meta[http-equiv="Content-Security-Policy"]',
                                                                     "content")
        watching.assert_clean()
    finally:
        watching.close()


def test_serve_keeps_live_reload_working_under_its_policy(browser, tmp_path):
    """``mkdocs serve`` adds a live-reload script that changes with every request: inline scripts
    are allowed there by 'unsafe-inline' (archive.csp), and the page reloads on an edit."""
    site = make_site(tmp_path, search=False)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _, env = site.command()
    server = subprocess.Popen(MKDOCS + ["serve", "-f", str(site.root / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"],
                              env=env, cwd=site.root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    watching = Watch(browser, f"http://127.0.0.1:{port}/")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            try:
                urllib.request.urlopen(watching.base, timeout=5).close()
                break
            except OSError:
                time.sleep(0.3)
        with watching.page.expect_request(lambda request: "/livereload/" in request.url):
            watching.goto("reports/2022/tax-2022/", idle=False)  # live reload polls the server
        policy = watching.page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
        assert re.search(r"script-src ([^;]*)", policy)[1] == "'self' 'wasm-unsafe-eval' 'unsafe-inline'"
        assert "base-uri 'none'" in policy and "img-src 'self' data:" in policy
        with watching.page.expect_event("load", timeout=30_000):
            site.edit("reports/2022/tax-2022.md", "title: ", "title: 新")
        watching.assert_clean()
    finally:
        watching.close()
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Traceback" not in output
