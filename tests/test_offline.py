"""Nothing leaves the intranet: the built site loads no resource from another host."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from sites import Site

# attributes and CSS constructs that make a browser fetch something
RESOURCE = re.compile(
    r"""<(?:script|img|iframe|source|audio|video|embed|track|input)\b[^>]*\bsrc\s*=\s*["']?([^"'\s>]+)"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']?([^"'\s>]+)"""
    r"""|<object\b[^>]*\bdata\s*=\s*["']?([^"'\s>]+)"""
    r"""|url\(\s*["']?([^"')\s]+)"""
    r"""|@import\s+["']([^"']+)""", re.I)


def external(url: str) -> bool:
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, re.I)) and not url.startswith("data:")


@pytest.fixture(scope="module")
def site(shared_site) -> Site:
    built = shared_site(strict=True)
    assert built.returncode == 0
    return built.site


def external_resources(root: Path) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.suffix not in (".html", ".css", ".xml") or not path.is_file():
            continue
        for match in RESOURCE.finditer(path.read_text(encoding="utf-8", errors="replace")):
            url = next(group for group in match.groups() if group)
            if external(url) and not _sitemap_link(path, match.group(0)):
                found.append(f"{path.relative_to(root)}: {url}")
    return found


def _sitemap_link(path: Path, text: str) -> bool:
    """xhtml:link alternates in the sitemap, and a page's canonical address (site_url's), name
    pages; they load nothing."""
    return path.suffix == ".xml" or re.match(r'<link rel="canonical" href=', text) is not None


def test_scanner_finds_external_resources(tmp_path):
    page = tmp_path / "index.html"
    page.write_text('<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
                    '<script src="//cdn.example.org/x.js"></script><img src="../ok.png">'
                    '<style>body{background:url("http://example.org/a.png")}</style>', encoding="utf-8")
    assert external_resources(tmp_path) == [
        "index.html: https://fonts.googleapis.com/css?family=Roboto",
        "index.html: //cdn.example.org/x.js",
        "index.html: http://example.org/a.png",
    ]


def test_built_site_loads_nothing_from_another_host(site):
    pages = list(site.out.rglob("*.html"))
    assert len(pages) > 20
    assert external_resources(site.out) == []


def test_browser_requests_only_the_local_server(site, browser, serve):
    base = serve(site.out, "/intranet/archive/")
    requests: list[str] = []
    page = browser.new_page()
    page.on("request", lambda request: requests.append(request.url))
    for url in ("", "reports/2022/tax-2022/", "en/archive/2022/", "en/reports/2022/finance-2022/"):
        response = page.goto(base + url)
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
    page.close()
    assert requests and all(r.startswith(base) for r in requests), [r for r in requests if not r.startswith(base)]


def test_language_selector_works_under_a_sub_path(site, browser, serve):
    base = serve(site.out, "/intranet/archive/")
    page = browser.new_page()
    for start, lang, expected in (("archive/2022/", "en", "en/archive/2022/"),
                                  ("reports/2022/tax-2022/", "en", "en/reports/2022/tax-2022/"),
                                  ("en/", "zh", ""),
                                  ("en/reports/2022/finance-2022/", "zh", "reports/2022/finance-2022/")):
        page.goto(base + start)
        page.hover(".md-select")  # the selector opens on hover
        with page.expect_navigation():
            page.click(f'.md-select__link[hreflang="{lang}"]')
        assert page.url == base + expected, start
    page.close()
