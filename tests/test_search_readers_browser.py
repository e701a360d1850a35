"""The search page for readers on phones and in both languages (issue 12), and no request for a
word list that does not exist (issue 11), in real Chromium: the fixture site under a sub-path,
its index in several shards, tax-2022 translated into English, the other reports not."""
from __future__ import annotations

import json
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.cost(40)  # seconds, about: started before the quick modules (conftest.py)

PREFIX = "/intranet/archive/"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
HITS = ".wr-hits--page .wr-hit"


@pytest.fixture(scope="module")
def built(shared_site):
    built = shared_site(strict=True, search_memory=1)  # the site test_search_browser reads
    assert built.returncode == 0, built.output
    return built


@pytest.fixture(scope="module")
def base(built, serve) -> str:
    return serve(built.site.out, PREFIX)


def test_a_translations_phrase_index_names_each_pages_original(built):
    from archive.pagefind_index import bundle_pages
    from archive.phrases import read_manifest
    search = built.site.out / "search"
    zh, en = read_manifest(search / "phrases" / "zh"), read_manifest(search / "phrases" / "en")
    assert "originals" not in zh
    assert en["originals"] == {"lang": "zh", "pages": [0]}
    urls = {page.fragment: page.url for shard in ("zh-0", "zh-1") for page in bundle_pages(str(search / shard))}
    assert urls[zh["fragments"][0]] == "/reports/2022/tax-2022/"
    # the word lists' manifest names the characters that have a list, and only those
    words = json.loads((search / "words" / "index.json").read_text(encoding="utf-8"))
    assert sorted(f"{ord(c):x}.json" for c in words["characters"]) == sorted(
        path.name for path in (search / "words").glob("*.json") if path.name != "index.json")
    assert words["lists"] == len(words["characters"])


@pytest.fixture
def open_page(browser):
    """A page of a given size that fails the test on any script error in it."""
    pages, errors = [], []

    def make(viewport: dict):
        page = browser.new_page(viewport=viewport)
        page.on("pageerror", lambda error: errors.append(str(error)))
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.close()
    assert errors == []


def wait_for_hits(page, count: int) -> None:
    page.wait_for_function("n => document.querySelectorAll('.wr-hits--page .wr-hit').length === n", arg=count)


def box(page, selector: str) -> dict | None:
    return page.locator(selector).first.bounding_box()


def focused(page) -> dict:
    """What has the keyboard focus: its tag, class, whether it is drawn (a box, not hidden)."""
    return page.evaluate("""() => {
        const e = document.activeElement, r = e.getBoundingClientRect();
        return {tag: e.tagName, cls: e.className, visible: e.checkVisibility({visibilityProperty: true})
                && r.width > 0 && r.height > 0, expanded: e.getAttribute('aria-expanded'),
                inFilters: e.closest('#wr-search-facets') !== null};
    }""")


def test_on_a_phone_the_results_come_first_and_the_filters_open_from_a_button(open_page, base):
    page = open_page(PHONE)
    page.goto(base + "search/?q=收入")
    wait_for_hits(page, 4)
    toggle = page.locator(".wr-facets-toggle")
    assert toggle.is_visible() and toggle.inner_text().strip() == "筛选"
    assert toggle.get_attribute("aria-expanded") == "false"
    assert toggle.get_attribute("aria-controls") == "wr-search-facets"
    assert page.locator("#wr-search-facets").is_hidden()
    assert page.locator(".wr-facet input").count() == 10  # in the page, not shown
    first = box(page, HITS)
    assert first["y"] + first["height"] < PHONE["height"]  # the first result on the first screen
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#wr-search-facets").is_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    # the panel opens under its button, before the results
    assert box(page, ".wr-facets-toggle")["y"] < box(page, "#wr-search-facets")["y"] < box(page, HITS)["y"]
    page.check('.wr-facet[data-filter="year"] input[value="2022"]')
    wait_for_hits(page, 2)
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "false" and page.locator("#wr-search-facets").is_hidden()
    assert toggle.inner_text().replace("\n", "").strip() == "筛选1"  # one filter ticked, while they are closed
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_filters_button_is_reached_and_worked_by_the_keyboard_and_nothing_hidden_takes_focus(open_page, base):
    page = open_page(PHONE)
    page.goto(base + "en/search/?q=tax")
    wait_for_hits(page, 1)
    assert page.inner_text(".wr-facets-toggle").strip() == "Filters"
    page.focus(".wr-search-page__input")
    stops = []
    for _ in range(80):  # the whole page, closed: every tab stop is drawn
        page.keyboard.press("Tab")
        stops.append(focused(page))
        if "wr-facets-toggle" in stops[-1]["cls"]:
            break
    assert "wr-facets-toggle" in stops[-1]["cls"], stops
    assert [stop for stop in stops if not stop["visible"]] == []
    page.keyboard.press("Enter")
    assert focused(page)["expanded"] == "true"
    page.keyboard.press("Tab")
    now = focused(page)
    assert (now["tag"], now["visible"]) == ("INPUT", True)
    assert now["inFilters"]
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    assert focused(page)["expanded"] == "false"
    later = []
    for _ in range(40):
        page.keyboard.press("Tab")
        later.append(focused(page))
    assert [stop for stop in later if not stop["visible"]] == []
    assert not any(stop["inFilters"] for stop in later)
    assert any("wr-facets-toggle" in stop["cls"] for stop in later)  # the page's tab cycle came round again


def test_on_a_desktop_the_filters_stay_beside_the_results_without_a_button(open_page, base):
    page = open_page(DESKTOP)
    page.goto(base + "search/?q=收入")
    wait_for_hits(page, 4)
    assert page.locator(".wr-facets-toggle").is_hidden()
    assert page.locator("#wr-search-facets").is_visible()
    facets, first = box(page, "#wr-search-facets"), box(page, HITS)
    assert facets["x"] + facets["width"] <= first["x"] and abs(facets["y"] - first["y"]) < 60
    assert page.evaluate("() => document.documentElement.scrollWidth") <= DESKTOP["width"]


HIGHLIGHT = "?highlight=" + quote("留抵退税")


def test_english_results_lead_to_the_english_page_where_there_is_one(open_page, base):
    page = open_page(DESKTOP)
    page.goto(base + "en/search/?q=留抵退税")
    wait_for_hits(page, 2)
    links = page.eval_on_selector_all(".wr-hits--page .wr-hit__title",
                                      "els => els.map(e => [e.href, e.getAttribute('lang'), e.textContent])")
    assert sorted(links) == [
        [base + "en/reports/2022/tax-2022/" + HIGHLIGHT, None, "District Tax Bureau work report for 2022"],
        [base + "reports/2021/tax-2021/" + HIGHLIGHT, "zh", "区税务局2021年度工作汇报"],
    ]
    assert page.inner_text(".wr-search-page .wr-search__count") == "2 reports found"
    # the translation was found by its original's text: that excerpt, marked as Chinese
    translated = page.locator(".wr-hit", has=page.locator(f'a[href$="en/reports/2022/tax-2022/{HIGHLIGHT}"]'))
    assert translated.locator(".wr-hit__excerpt").get_attribute("lang") == "zh"
    assert translated.locator(".wr-hit__meta").get_attribute("lang") is None
    assert "District Tax Bureau" in translated.locator(".wr-hit__meta").inner_text()
    # the header box too
    page.goto(base + "en/")
    page.keyboard.press("/")
    page.keyboard.type("留抵退税")
    page.wait_for_function("q => document.querySelector('.wr-search__panel:not([hidden])')?.dataset.query === q",
                           arg="留抵退税")
    assert sorted(page.eval_on_selector_all(".wr-search__panel .wr-hit__title", "els => els.map(e => e.href)")) == [
        base + "en/reports/2022/tax-2022/" + HIGHLIGHT, base + "reports/2021/tax-2021/" + HIGHLIGHT]


def test_a_report_found_in_both_languages_is_one_english_result(open_page, base):
    page = open_page(DESKTOP)
    page.goto(base + "en/search/?q=2022")
    page.wait_for_selector(HITS)
    page.wait_for_function("() => document.querySelector('.wr-search-page .wr-search__count').textContent !== ''")
    hrefs = [href.split("?")[0] for href in
             page.eval_on_selector_all(".wr-hits--page .wr-hit__title", "els => els.map(e => e.href)")]
    assert base + "en/reports/2022/tax-2022/" in hrefs
    assert base + "reports/2022/tax-2022/" not in hrefs
    assert len(hrefs) == len(set(hrefs))
    assert page.inner_text(".wr-search-page .wr-search__count") == f"{len(hrefs)} reports found"
    # the Chinese site links the Chinese page, with no lang of its own
    page.goto(base + "search/?q=留抵退税")
    wait_for_hits(page, 2)
    assert sorted(page.eval_on_selector_all(".wr-hits--page .wr-hit__title",
                                            "els => els.map(e => [e.href, e.getAttribute('lang')])")) == [
        [base + "reports/2021/tax-2021/" + HIGHLIGHT, None], [base + "reports/2022/tax-2022/" + HIGHLIGHT, None]]


def switch_language(page, lang: str) -> None:
    page.hover(".md-header__option .md-select")
    with page.expect_navigation():
        page.click(f'.md-select__link[hreflang="{lang}"]')


def test_switching_language_keeps_the_query_and_the_filters(open_page, base):
    page = open_page(DESKTOP)
    page.goto(base + "search/")
    page.fill(".wr-search-page__input", "收入")
    wait_for_hits(page, 4)
    page.check('.wr-facet[data-filter="unit"] input[value="finance-bureau"]')
    wait_for_hits(page, 2)
    switch_language(page, "en")
    assert page.url == base + "en/search/?q=%E6%94%B6%E5%85%A5&unit=finance-bureau"
    wait_for_hits(page, 2)
    assert page.input_value(".wr-search-page__input") == "收入"
    assert page.is_checked('.wr-facet[data-filter="unit"] input[value="finance-bureau"]')
    assert page.inner_text('.wr-facet[data-filter="unit"] legend') == "Reporting unit"
    # and back, with what was changed on the English page
    page.select_option(".wr-search-page__sort", "oldest")
    page.wait_for_function("() => location.search.includes('sort=oldest')")
    switch_language(page, "zh")
    assert page.url == base + "search/?q=%E6%94%B6%E5%85%A5&sort=oldest&unit=finance-bureau"
    wait_for_hits(page, 2)
    assert page.input_value(".wr-search-page__input") == "收入"
    assert page.is_checked('.wr-facet[data-filter="unit"] input[value="finance-bureau"]')
    assert page.input_value(".wr-search-page__sort") == "oldest"


@pytest.mark.parametrize("query", ["航天发射", "鑫", "留抵退税航天"])
def test_a_query_asks_for_no_word_list_that_does_not_exist(open_page, base, query):
    page = open_page(DESKTOP)
    failed, words = [], []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.on("request", lambda request: words.append(request.url) if "/search/words/" in request.url else None)
    page.goto(base + "search/?q=" + quote(query))
    page.wait_for_function("() => document.querySelector('.wr-search-page .wr-search__count').textContent === '没有找到相关报告'")
    assert failed == []
    lists = sorted(url.rsplit("/", 1)[1] for url in words)
    assert lists == sorted(["index.json"] + [f"{ord(c):x}.json" for c in set(query) if c in "留抵退税"])
