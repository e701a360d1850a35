"""Search in real Chromium: the fixture site, served under a sub-path, its index in several shards."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.cost(65)  # seconds, about: started before the quick modules (conftest.py)


PREFIX = "/intranet/archive/"


@pytest.fixture(scope="module")
def base(shared_site, serve) -> str:
    built = shared_site(strict=True, search_memory=1)  # shared with test_search and test_phrases
    assert built.returncode == 0, built.output
    return serve(built.site.out, PREFIX)


def hits(page) -> list[str]:
    return [href.split("?")[0] for href in page.eval_on_selector_all(".wr-hit__title", "els => els.map(e => e.href)")]


def type_in_header(page, text: str) -> None:
    page.keyboard.press("/")  # the shortcut focuses the header box
    page.keyboard.type(text)
    wait_for_results(page, text)


def wait_for_results(page, query: str) -> None:
    """Until the header box shows every result of this query (not of a shorter one typed before).

    Predicates are written as functions: Playwright evaluates a bare expression with eval,
    which the pages' Content-Security-Policy forbids."""
    page.wait_for_function("q => document.querySelector('.wr-search__panel:not([hidden])')?.dataset.query === q", arg=query)


def test_typing_a_chinese_term_shows_the_report_that_has_it_first(page, base):
    page.goto(base + "archive/")
    type_in_header(page, "税情专报")
    page.wait_for_selector(".wr-search__panel .wr-hit")
    assert hits(page)[0] == base + "reports/2022/tax-2022/"
    assert page.inner_text(".wr-search__panel .wr-hit__title") == "区税务局2022年度工作汇报"
    assert len(hits(page)) == len(set(hits(page)))  # each report found once
    marks = page.eval_on_selector_all(".wr-search__panel .wr-hit:first-child mark", "els => els.map(e => e.textContent)")
    assert set(marks) & {"税", "情", "专报", "税情"}  # the excerpt marks the terms


def test_a_term_the_browser_splits_into_characters_is_searched_and_highlighted_as_typed(page, base):
    # the browser's dictionary splits 留抵退税 into 留 抵 退 税: searched and highlighted as
    # four words, every 税 of a tax report would be marked
    page.goto(base + "archive/")
    type_in_header(page, "留抵退税")
    assert sorted(hits(page)) == [base + "reports/2021/tax-2021/", base + "reports/2022/tax-2022/"]
    page.click(".wr-search__panel .wr-hit__title")
    page.wait_for_selector("[data-pagefind-body] mark")
    assert "highlight=%E7%95%99%E6%8A%B5%E9%80%80%E7%A8%8E" in page.url and page.url.count("highlight=") == 1
    marks = page.eval_on_selector_all("[data-pagefind-body] mark", "els => els.map(e => e.textContent)")
    assert marks and set(marks) == {"留抵退税"}, marks


def test_a_query_is_cut_into_the_indexers_words(page, base):
    # 办理留抵退税: as one term it begins no indexed word, and the browser's dictionary would
    # make it one- and two-character words; cut 办理 留抵退税, both reports hold both pieces
    page.goto(base + "archive/")
    type_in_header(page, "办理留抵退税")
    assert sorted(hits(page)) == [base + "reports/2021/tax-2021/", base + "reports/2022/tax-2022/"]
    # 查留抵退税 ("look up 留抵退税"): no report holds 查, and every piece must be held (a shard's
    # index lacking 查 no longer drops it)
    page.goto(base + "archive/")
    type_in_header(page, "查留抵退税")
    assert hits(page) == []


def test_a_term_in_no_report_says_so(page, base):
    page.goto(base)
    type_in_header(page, "航天发射")
    assert page.inner_text(".wr-search__panel .wr-search__count") == "没有找到相关报告"


def test_opening_a_result_highlights_the_terms_on_the_report(page, base):
    page.goto(base)
    type_in_header(page, "税情专报")
    page.click(".wr-search__panel .wr-hit__title")
    page.wait_for_selector("[data-pagefind-body] mark")
    assert page.url.startswith(base + "reports/2022/tax-2022/?highlight=")
    assert "".join(page.eval_on_selector_all("[data-pagefind-body] mark", "els => els.map(e => e.textContent)"))


def test_enter_opens_the_search_page_and_a_year_filter_narrows_the_results(page, base):
    page.goto(base)
    page.keyboard.press("/")
    page.keyboard.type("收入")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    page.wait_for_selector(".wr-hits--page .wr-hit")
    assert sorted(hits(page)) == sorted(base + f"reports/{p}/" for p in
                                        ("2023/finance-2023", "2022/tax-2022", "2022/finance-2022", "2021/tax-2021"))
    page.check('.wr-facet[data-filter="year"] input[value="2022"]')
    page.wait_for_function("() => document.querySelector('.wr-search__count').textContent === '找到 2 篇报告'"
                           " && document.querySelectorAll('.wr-hits--page .wr-hit').length === 2")
    assert sorted(hits(page)) == [base + "reports/2022/finance-2022/", base + "reports/2022/tax-2022/"]
    assert "year=2022" in page.url
    # the filters name vocabulary terms by their labels
    assert "区财政局" in page.inner_text('.wr-facet[data-filter="unit"]')


def test_filters_and_sorting_come_from_the_address(page, base):
    page.goto(base + "search/?q=收入&unit=finance-bureau&sort=oldest")
    page.wait_for_function("() => document.querySelectorAll('.wr-hits--page .wr-hit').length === 2")
    assert hits(page) == [base + "reports/2022/finance-2022/", base + "reports/2023/finance-2023/"]
    page.select_option(".wr-search-page__sort", "newest")
    page.wait_for_function("() => document.querySelectorAll('.wr-hits--page .wr-hit').length === 2"
                           " && document.querySelector('.wr-hits--page .wr-hit__title')?.href.includes('2023')")
    assert hits(page) == [base + "reports/2023/finance-2023/", base + "reports/2022/finance-2022/"]


def test_the_english_site_searches_translations_and_chinese_text(page, base):
    page.goto(base + "en/")
    assert page.get_attribute(".wr-search__input", "placeholder") == "Search reports (press /)"
    type_in_header(page, "refunds")
    page.wait_for_selector(".wr-search__panel .wr-hit")
    assert hits(page) == [base + "en/reports/2022/tax-2022/"]
    assert page.inner_text(".wr-search__panel .wr-search__count") == "1 reports found"
    page.fill(".wr-search__input", "全年一般公共预算收入")
    wait_for_results(page, "全年一般公共预算收入")
    assert set(hits(page)) == {base + "reports/2022/finance-2022/", base + "reports/2023/finance-2023/"}


def test_the_english_search_page_speaks_english(page, base):
    page.goto(base + "en/search/?q=tax")
    page.wait_for_selector(".wr-hits--page .wr-hit")
    assert page.inner_text('.wr-facet[data-filter="unit"] legend') == "Reporting unit"
    assert "District Tax Bureau" in page.inner_text('.wr-facet[data-filter="unit"]')
