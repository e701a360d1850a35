"""The built site behind a real nginx with deploy/nginx/archive.conf, at its sub-path, in Chromium.

The fixture site gets one long report (its text in several of the archive's search blocks, the
searched phrase in the last), site_url at the sub-path (the 404 page names its files from it),
and beside and inside its folder what nginx must never serve: a file next to the folder, a
symbolic link to it, a dot file.
"""
from __future__ import annotations

import gzip
import http.client
import re
import shutil
from pathlib import Path

import pytest
import yaml

from nginx_server import SUB_PATH
from sites import FIXTURES, Site, make_site, write_report
from test_csp_site import Watch
from test_search_phrases_browser import count_text, header_search, hits, marks, search_page

pytestmark = pytest.mark.cost(50)  # seconds, about: started before the quick modules (conftest.py)

IMMUTABLE = "public, max-age=31536000, immutable"
SECURITY = {
    "Content-Security-Policy": "frame-ancestors 'self'",
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
SECRET = "secret beside the site folder"
# sentences without figures (a figure in prose must be a {{ metric }} quote); 15 words or so each
FILLER = ["全区坚持依法治税，持续优化营商环境，深化征管体制改革。",
          "各级干部认真履职尽责，服务纳税人缴费人的能力不断增强。",
          "加强风险防控和内部监督，推进办税流程再造和数据共享。"]


def write_long_report(path: Path) -> None:
    front = {"title": "区税务局2020年度工作汇报", "date": "2021-01-08", "year": 2020, "unit": "tax-bureau",
             "recipient": "区委组织部", "topics": ["revenue"], "template": "tax-annual",
             "metrics": {"tax_revenue": 1000000000, "refund_households": 200, "refund_amount": 1.7}}
    body = ["## 一、组织收入", "全年组织税收收入{{ tax_revenue }}，办理留抵退税{{ refund_households }}、{{ refund_amount }}。"]
    body += [FILLER[i % 3] * 4 for i in range(30)] + ["年末启动数字档案馆建设。"]  # past the first block
    write_report(path, front, "\n\n".join(body))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Site:
    root = tmp_path_factory.mktemp("nginx-site")
    shutil.copytree(FIXTURES / "site" / "reports", root / "reports")
    write_long_report(root / "reports" / "2020" / "tax-2020.md")
    site = make_site(root / "site", reports=root / "reports", search_memory=1)
    config = yaml.safe_load((site.root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_url"] = "https://intranet.example" + SUB_PATH
    (site.root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = site.build()
    assert result.returncode == 0, result.output
    assert list(site.out.glob("search/zh-*/fragment/*.block")), "the long report's text is in blocks"
    # what must not be served: beside the folder, a link to it, a dot file; and two types the site lacks
    (site.root / "secret.txt").write_text(SECRET, encoding="utf-8")
    (site.out / "downloads" / "linked.txt").symlink_to(site.root / "secret.txt")
    (site.out / ".env").write_text(SECRET, encoding="utf-8")
    (site.out / "probe.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    (site.out / "probe.wasm").write_bytes(b"\0asm\1\0\0\0")
    return site


@pytest.fixture(scope="module")
def server(built, nginx):
    return nginx(built.out)


@pytest.fixture(scope="module")
def base(server) -> str:
    return server.base


def fetch(server, path: str, method: str = "GET", **headers: str) -> tuple[http.client.HTTPResponse, bytes]:
    """One request exactly as written (no normalisation of the path by a client library)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def word_list(url: str) -> bool:
    """The search worker asks search/words/<character>.json for each character of a query; a
    character no indexed word begins with has no list, and its 404 is the worker's answer."""
    return re.search(r"/search/words/[0-9a-f]+\.json$", url) is not None


class Reader(Watch):
    """Watch (test_csp_site) plus every console error and every response of 400 or more,
    but the worker's word lists (:func:`word_list`)."""

    def __init__(self, browser, base: str) -> None:
        super().__init__(browser, base)
        self.console_errors: list[str] = []
        self.bad: list[tuple[int, str]] = []
        self.missing_words: list[str] = []
        self.page.on("console", self._error)
        self.context.on("response", self._response)

    def _error(self, message) -> None:
        url = message.location.get("url", "")
        if message.type == "error" and not word_list(url):
            self.console_errors.append(f"{message.text} ({message.location.get('url')})")

    def _response(self, response) -> None:
        if response.status >= 400:
            if response.status == 404 and word_list(response.url):
                self.missing_words.append(response.url)
            else:
                self.bad.append((response.status, response.url))

    def assert_clean(self) -> None:
        super().assert_clean()
        # the search worker fetches the index once a page is idle: going to the next page aborts
        # what is still on its way (net::ERR_ABORTED), which says nothing of the server
        failed = {url: failure for url, failure in self.failed.items() if failure != "net::ERR_ABORTED"}
        assert failed == {} and self.bad == [] and self.console_errors == [], \
            "\n".join(map(str, [failed, *self.bad, *self.console_errors]))


@pytest.fixture
def reader(browser, base):
    reading = Reader(browser, base)
    yield reading
    reading.close()


def test_every_kind_of_page_loads_under_the_sub_path(reader, server):
    logged_before = len(server.log("access.log"))
    urls = ("", "archive/", "archive/2022/", "topics/", "topics/revenue/", "units/", "units/tax-bureau/",
            "reports/2022/tax-2022/", "reports/2020/tax-2020/", "metrics/", "search/",
            "en/", "en/archive/", "en/reports/2022/tax-2022/", "en/search/")
    for url in urls:
        reader.goto(url)
        assert reader.page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky", url
    reader.assert_clean()
    assert len(reader.requests) > 2 * len(urls)
    # nginx answered them all, from the sub-path
    logged = re.findall(r'"GET (\S+) HTTP/1\.1" (\d+)', server.log("access.log")[logged_before:])
    assert {SUB_PATH + url for url in urls} <= {path for path, _ in logged}
    assert all(path.startswith(SUB_PATH) and status in ("200", "304") for path, status in logged)


def test_no_page_requests_a_sitemap_that_is_not_there(reader):
    """Material fetched sitemap.xml beside each page's language alternates (issue 12): every
    request of each page visit and of its language switch, recorded, names no sitemap."""
    for url, lang, switched in (("reports/2022/tax-2022/", "en", "en/reports/2022/tax-2022/"),
                                ("en/archive/2022/", "zh", "archive/2022/"), ("search/", "en", "en/search/"),
                                ("en/reports/2021/tax-2021/", "zh", "reports/2021/tax-2021/")):
        reader.goto(url)
        reader.page.hover(".md-select")
        with reader.page.expect_navigation():
            reader.page.click(f'.md-select__link[hreflang="{lang}"]')
        reader.page.wait_for_load_state("networkidle")
        assert reader.page.url.split("?")[0] == reader.base + switched  # the search page keeps its query
    assert [r for r in reader.requests if "sitemap" in r] == []
    assert len(reader.requests) > 30
    reader.assert_clean()


def test_a_page_with_a_feed_asks_only_for_the_empty_sitemap_beside_it(reader):
    """Material fetches sitemap.xml beside every <link rel="alternate">, a feed's too: the feeds
    sit beside an empty one (archive.feeds), so that a topic page costs no 404 and no whole sitemap."""
    for url in ("", "archive/", "topics/revenue/", "en/units/tax-bureau/"):
        reader.goto(url)
        reader.page.wait_for_load_state("networkidle")
    assert sorted({r.removeprefix(reader.base) for r in reader.requests if "sitemap" in r}) == \
        ["en/feeds/sitemap.xml", "feeds/sitemap.xml"]
    reader.assert_clean()


def test_the_header_box_finds_a_term_and_its_links_stay_under_the_sub_path(page, base):
    header_search(page, base + "archive/", "税情专报")
    found = hits(page)
    assert found[0] == base + "reports/2022/tax-2022/" and all(url.startswith(base + "reports/") for url in found)
    page.click(".wr-search__panel .wr-hit__title")
    page.wait_for_selector("[data-pagefind-body] mark")
    assert page.url.startswith(base + "reports/2022/tax-2022/?highlight=")
    header_search(page, base + "en/", "refunds")
    assert hits(page) == [base + "en/reports/2022/tax-2022/"]


def test_the_search_page_finds_a_term_and_its_links_stay_under_the_sub_path(page, base):
    search_page(page, base + "search/?q=收入&sort=oldest", 5)
    assert hits(page, ".wr-hits--page") == [base + f"reports/{p}/" for p in (
        "2020/tax-2020", "2021/tax-2021", "2022/finance-2022", "2022/tax-2022", "2023/finance-2023")]  # by date
    with page.expect_navigation():
        page.click(".wr-hits--page .wr-hit__title >> nth=0")
    assert page.url.startswith(base + "reports/2020/tax-2020/")


def test_a_quoted_phrase_is_found_in_the_last_block_of_a_long_report(browser, base):
    reading = Reader(browser, base)
    try:
        with reading.page.expect_response(lambda response: response.url.endswith(".block")) as block:
            header_search(reading.page, base, '"数字档案馆"')
        assert block.value.status == 200 and block.value.headers["cache-control"] == IMMUTABLE
        assert hits(reading.page) == [base + "reports/2020/tax-2020/"]
        assert count_text(reading.page) == "找到 1 篇报告"
        assert marks(reading.page) == [["数字档案馆"]]
        header_search(reading.page, base, '"留抵退税"')
        assert sorted(hits(reading.page)) == [base + f"reports/{p}/"
                                              for p in ("2020/tax-2020", "2021/tax-2021", "2022/tax-2022")]
        reading.assert_clean()
    finally:
        reading.close()


def first(folder: Path, pattern: str) -> str:
    return next(iter(sorted(folder.glob(pattern)))).relative_to(folder).as_posix()


def test_types_compression_and_caching(server, built):
    out = built.out
    expected = {  # path: (type, cache, compressed on request)
        "": ("text/html; charset=utf-8", "no-cache", True),
        "reports/2022/tax-2022/": ("text/html; charset=utf-8", "no-cache", True),
        "404.html": ("text/html; charset=utf-8", "no-cache", True),
        first(out, "search/zh-0/pagefind-entry.json"): ("application/json; charset=utf-8", "no-cache", False),
        first(out, "search/zh-0/pagefind.js"): ("application/javascript; charset=utf-8", "no-cache", True),
        first(out, "search/zh-0/wasm.*.pagefind"): ("application/octet-stream", "no-cache", False),
        first(out, "search/zh-0/pagefind.*.pf_meta"): ("application/octet-stream", IMMUTABLE, False),
        first(out, "search/zh-0/index/*.pf_index"): ("application/octet-stream", IMMUTABLE, False),
        first(out, "search/zh-0/filter/*.pf_filter"): ("application/octet-stream", IMMUTABLE, False),
        first(out, "search/zh-*/fragment/*.pf_fragment"): ("application/octet-stream", IMMUTABLE, False),
        first(out, "search/zh-*/fragment/*.block"): ("application/octet-stream", IMMUTABLE, False),
        "search/phrases/zh/index.bin": ("application/octet-stream", "no-cache", False),
        first(out, "search/words/*.json"): ("application/json; charset=utf-8", "no-cache", False),
        first(out, "assets/stylesheets/main.*.min.css"): ("text/css; charset=utf-8", IMMUTABLE, True),
        first(out, "assets/javascripts/bundle.*.min.js"): ("application/javascript; charset=utf-8", IMMUTABLE, True),
        "assets/javascripts/archive-search-worker.js": ("application/javascript; charset=utf-8", "no-cache", True),
        "stylesheets/archive.css": ("text/css; charset=utf-8", "no-cache", True),
        "downloads/metrics.csv": ("text/csv; charset=utf-8", "no-cache", True),
        "sitemap.xml": ("application/xml; charset=utf-8", "no-cache", True),
        "sitemap.xml.gz": ("application/gzip", "no-cache", False),
        "feeds/topic-revenue.atom": ("application/atom+xml; charset=utf-8", "no-cache", True),
        "en/feeds/all.atom": ("application/atom+xml; charset=utf-8", "no-cache", True),
        "assets/images/favicon.png": ("image/png", "no-cache", False),
        "probe.svg": ("image/svg+xml; charset=utf-8", "no-cache", False),   # under gzip_min_length
        "probe.wasm": ("application/wasm", "no-cache", False),
    }
    found = {}
    for path, (kind, cache, compressed) in expected.items():
        response, body = fetch(server, SUB_PATH + path, **{"Accept-Encoding": "gzip"})
        stored = (out / path / "index.html") if path.endswith("/") or path == "" else out / path
        stored = stored.read_bytes()
        encoding = response.getheader("Content-Encoding")
        # what the browser gets is the file as stored: gzip only on the wire, never twice
        assert (gzip.decompress(body) if encoding == "gzip" else body) == stored, path
        found[path] = (response.status, response.getheader("Content-Type"), response.getheader("Cache-Control"),
                       encoding == "gzip")
        assert {name: response.getheader(name) for name in SECURITY} == SECURITY, path
    assert found == {path: (200, kind, cache, compressed) for path, (kind, cache, compressed) in expected.items()}
    # Pagefind's own files keep their gzip bytes: nginx never marks them Content-Encoding
    assert all(out.joinpath(p).read_bytes()[:2] == b"\x1f\x8b" for p in expected if "search/zh" in p and "pf_" in p)
    # revalidation: an unchanged page is a 304 on its ETag
    response, _ = fetch(server, SUB_PATH)
    again, body = fetch(server, SUB_PATH, **{"If-None-Match": response.getheader("ETag")})
    assert (again.status, body, again.getheader("Cache-Control")) == (304, b"", "no-cache")
    # the sub-path without its slash, and a folder without it, redirect relative to the host
    for path, target in ((SUB_PATH.rstrip("/"), SUB_PATH), (SUB_PATH + "archive", SUB_PATH + "archive/")):
        response, _ = fetch(server, path)
        assert (response.status, response.getheader("Location")) == (301, target)


NOT_FOUND = {"zh": ("找不到页面", ["首页", "按年度", "按主题", "按单位"], "搜索报告（按 / 键）"),
             "en": ("Page not found", ["Home", "By year", "By topic", "By unit"], "Search reports (press /)")}


def test_a_missing_page_is_the_sites_404_page_of_its_language_with_status_404(browser, server, base):
    for path, lang in (("reports/2099/none/", "zh"), ("en/nothing/", "en"), ("en/reports/2099/a/b/c/d", "en"),
                       ("search/zh-0/fragment/zh_0000000.pf_fragment", "zh"), ("enx/", "zh")):
        response, body = fetch(server, SUB_PATH + path)
        assert (response.status, response.getheader("Content-Type"), response.getheader("Cache-Control")) == \
            (404, "text/html; charset=utf-8", "no-cache"), path
        assert {name: response.getheader(name) for name in SECURITY} == SECURITY, path
        assert f"<h1>{NOT_FOUND[lang][0]}</h1>".encode() in body, path
    reading = Reader(browser, base)
    try:
        for path, lang in (("reports/2099/none/", "zh"), ("en/reports/2099/a/b/c/d", "en")):
            response = reading.page.goto(base + path)
            reading.page.wait_for_load_state("networkidle")
            assert response.status == 404
            assert reading.page.evaluate("document.documentElement.lang") == lang
            assert reading.page.inner_text("h1") == NOT_FOUND[lang][0]
            # the page's own stylesheets and scripts came from the sub-path: styled, scripts ran
            assert reading.page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
            assert reading.page.evaluate("typeof __md_get") == "function"
            # the header's search box, in the page's language, moved into the header by its script
            assert reading.page.get_attribute(".md-header .wr-search__input", "placeholder") == NOT_FOUND[lang][2]
            links = reading.page.eval_on_selector_all(".wr-not-found a", "as => as.map(a => [a.textContent, a.href])")
            prefix = base + ("en/" if lang == "en" else "")
            assert links == [list(pair) for pair in
                             zip(NOT_FOUND[lang][1], [prefix, prefix + "archive/", prefix + "topics/", prefix + "units/"])]
            for _, href in links:  # each of them is there
                assert fetch(server, href[len(server.origin):])[0].status == 200, href
        assert reading.bad == [(404, base + "reports/2099/none/"), (404, base + "en/reports/2099/a/b/c/d")]
        reading.bad.clear()
        reading.console_errors = [e for e in reading.console_errors if "status of 404" not in e]
        reading.assert_clean()
    finally:
        reading.close()


def test_nothing_outside_the_site_folder_is_served(server, built):
    requests = {
        SUB_PATH.rstrip("/") + "../secret.txt": 404,    # the alias traversal of a location without its slash
        SUB_PATH + "../secret.txt": 404,
        SUB_PATH + "..%2fsecret.txt": 404,
        SUB_PATH + "%2e%2e/secret.txt": 404,
        SUB_PATH + "downloads/linked.txt": 403,         # a symbolic link inside the folder
        SUB_PATH + ".env": 404,
        SUB_PATH + "assets/": 403,                      # no listing of a folder without index.html
        SUB_PATH + "search/zh-0/": 403,
    }
    found = {}
    for path, _ in requests.items():
        response, body = fetch(server, path)
        found[path] = response.status
        assert SECRET.encode() not in body and b"Index of" not in body, path
    assert found == requests
    hashed = first(built.out, "search/zh-0/*.pf_meta")  # a nested location of its own
    for method, path in (("POST", ""), ("PUT", "new.html"), ("DELETE", "index.html"), ("POST", hashed)):
        response, _ = fetch(server, SUB_PATH + path, method=method)
        assert response.status == 403, (method, path)   # GET and HEAD only, in every location
    assert 'downloads/linked.txt" failed (40: Too many levels of symbolic links)' in server.log()  # disable_symlinks
