"""Search in Chromium when the build kept Pagefind's own index (another Pagefind version).

The index rewrite refuses a format it does not know (pagefind_index); the site then carries
Pagefind's own index and no word lists, and the archive's worker lets Pagefind cut the
queries. The header box and the search page must still find the reports.
"""
from __future__ import annotations

import re

import pytest

from test_search_browser import hits, type_in_header  # the same header box, read the same way
from sites import Site, make_site
from test_search import another_pagefind

PREFIX = "/intranet/archive/"


@pytest.fixture(scope="module")
def base(tmp_path_factory, serve) -> str:
    root = tmp_path_factory.mktemp("search-fallback")
    script, _ = another_pagefind(root / "pagefind")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAGEFIND_BINARY_PATH", str(script))
        site: Site = make_site(root / "site", search_memory=1)
        result = site.build()
    assert result.returncode == 0, result.output
    assert "WARNING -  search: the index Pagefind wrote is kept as it is" in result.output
    assert not (site.out / "search" / "words").exists()
    return serve(site.out, PREFIX)


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.requests = requests
    yield page
    page.close()
    assert errors == []


def test_the_header_box_finds_reports_in_pagefinds_own_index(page, base):
    page.goto(base + "archive/")
    type_in_header(page, "留抵退税")
    assert sorted(hits(page)) == [base + "reports/2021/tax-2021/", base + "reports/2022/tax-2022/"]
    # the worker asked once whether the build wrote its word lists, and fetched none
    fetched = [url for url in page.requests if url.endswith(".json") and not url.endswith("pagefind-entry.json")]
    assert fetched == [base + "search/words/index.json"]


def test_the_search_page_filters_pagefinds_own_index(page, base):
    page.goto(base + "search/?q=收入&unit=finance-bureau&sort=oldest")
    page.wait_for_function("() => document.querySelectorAll('.wr-hits--page .wr-hit').length === 2")
    assert hits(page) == [base + "reports/2022/finance-2022/", base + "reports/2023/finance-2023/"]


def test_the_english_site_searches_pagefinds_own_index(page, base):
    page.goto(base + "en/")
    type_in_header(page, "refunds")
    page.wait_for_selector(".wr-search__panel .wr-hit")
    assert hits(page) == [base + "en/reports/2022/tax-2022/"]
    assert re.search(r"^1 reports? found$", page.inner_text(".wr-search__panel .wr-search__count"))
