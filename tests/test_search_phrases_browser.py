"""Phrase search in real Chromium (issue 11): the archive's worker over a real build.

The reports below are written so that Pagefind's word matching over-matches: one report has
新质生产力, others only 新, 质, 生产 and 力 apart (one of them so often that Pagefind ranks
it first); 非典 is in one report, 非典型 in another, 非 and 典 apart in a third; 创新质量
holds 新质 where the indexer's words (创新 质量) do not, so Pagefind misses it; one report holds
every 3-character piece of 生产力发展 but not the term (the worker's check drops it). Every
report is its own search shard (search_memory 1), so page ids cross shards. The same site
without search/phrases/ is today's search, which the last tests pin.
"""
from __future__ import annotations

import gzip
import json
import shutil
import unicodedata
from pathlib import Path

import pytest

from archive.phrases import MANIFEST, PhraseIndex, normalise, read_manifest
from corpus import worker_search
from sites import FIXTURES, Site, make_site, write_report

PREFIX = "/intranet/archive/"

# path: (title, date, year, unit, topics, text)
REPORTS = {
    "2024/xinzhi": ("区税务局2024年度工作汇报", "2025-01-10", 2024, "区税务局", ["revenue"],
                    "因地制宜发展新质生产力，推动生产力发展。"),
    "2023/pieces-b": ("区财政局2023年度工作汇报", "2024-01-08", 2023, "区财政局", ["revenue"],
                      "推进新型工业化，提高发展质量，扩大生产规模，增强发展动力。新型产业质量提升，生产能力增强，力量壮大。"),
    "2022/pieces-c": ("区税务局2022年度工作汇报", "2023-01-05", 2022, "区税务局", ["personnel"],
                      "新年新气象，质量为先，生产有序，力争上游。新、质、生产、力，新、质、生产、力。"),
    "2022/quality": ("区财政局2022年度工作汇报", "2022-12-20", 2022, "区财政局", ["revenue"], "坚持创新质量并重。"),
    "2021/sars": ("区税务局2021年度工作汇报", "2022-01-15", 2021, "区税务局", ["personnel"],
                  "回顾非典疫情防控经验。非典期间全区停课，非典病例清零。"),
    "2023/atypical": ("区税务局2023年度工作汇报", "2024-02-01", 2023, "区税务局", ["personnel"], "梳理非典型案例。"),
    "2024/apart": ("区财政局2024年度工作汇报", "2025-02-01", 2024, "区财政局", ["personnel"], "非常重视典型经验。"),
    "2021/verify": ("区财政局2021年度工作汇报", "2021-12-30", 2021, "区财政局", ["revenue"],
                    "提高生产力水平，资产力发挥作用，推动力发展。"),
}
ENGLISH = {
    "2024/xinzhi": ("District Tax Bureau report for 2024", "We processed tax refunds quickly."),
    "2023/pieces-b": ("District Finance Bureau report for 2023", "Refunds rose; the tax base grew."),
}


pytestmark = pytest.mark.cost(60)  # seconds, about: started before the quick modules (conftest.py)


def write_reports(folder: Path) -> None:
    for path, (title, date, year, unit, topics, text) in REPORTS.items():
        front = {"title": title, "date": date, "year": year, "unit": unit, "topics": topics,
                 "template": "finance-annual", "metrics": {"growth_rate": 1.5}}
        write_report(folder / f"{path}.md", front, text)
    for path, (title, text) in ENGLISH.items():
        (folder / f"{path}.en.md").write_text(f"---\ntitle: {title}\n---\n\n{text}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Site:
    root = tmp_path_factory.mktemp("phrases-browser")
    write_reports(root / "reports")
    site = make_site(root / "site", reports=root / "reports", vocabulary=FIXTURES / "vocabulary.yml", search_memory=1)
    result = site.build()
    assert result.returncode == 0, result.output
    assert (site.out / "search" / "phrases" / "zh" / MANIFEST).is_file()
    return site


@pytest.fixture(scope="module")
def base(built, serve) -> str:
    return serve(built.out, PREFIX)


@pytest.fixture(scope="module")
def without_index(built, serve, tmp_path_factory) -> str:
    """The same site without its phrase index: search as it was before it."""
    copy = tmp_path_factory.mktemp("phrases-browser-without") / "site"
    shutil.copytree(built.out, copy)
    shutil.rmtree(copy / "search" / "phrases")
    return serve(copy, PREFIX)


@pytest.fixture(scope="module")
def other_pagefind(built, serve, tmp_path_factory) -> str:
    """The same site as if its bundles were another Pagefind's: the worker does not read
    their files itself, and does not use the phrase index."""
    copy = tmp_path_factory.mktemp("phrases-browser-other") / "site"
    shutil.copytree(built.out, copy)
    for entry in (copy / "search").glob("*/pagefind-entry.json"):
        data = json.loads(entry.read_text(encoding="utf-8"))
        entry.write_text(json.dumps({**data, "version": "9.0.0"}), encoding="utf-8")
    return serve(copy, PREFIX)


def hits(page, where: str = ".wr-search__panel") -> list[str]:
    return [href.split("?")[0] for href in page.eval_on_selector_all(f"{where} .wr-hit__title", "els => els.map(e => e.href)")]


def marks(page, where: str = ".wr-search__panel") -> list[list[str]]:
    """The marked words of each result's excerpt."""
    return page.eval_on_selector_all(f"{where} .wr-hit__excerpt",
                                     "els => els.map(e => [...e.querySelectorAll('mark')].map(m => m.textContent))")


def header_search(page, url: str, query: str) -> None:
    """Type a query in the header box and wait until it shows every result of that query.

    Predicates are functions: Playwright evaluates a bare expression with eval, which the
    pages' Content-Security-Policy forbids."""
    page.goto(url)
    page.keyboard.press("/")
    page.keyboard.type(query)
    page.wait_for_function("q => document.querySelector('.wr-search__panel:not([hidden])')?.dataset.query === q", arg=query)


def count_text(page, where: str = ".wr-search__panel") -> str:
    return page.inner_text(f"{where} .wr-search__count")


def search_page(page, url: str, shown: int) -> None:
    """Open the search page and wait until it shows ``shown`` results."""
    page.goto(url)
    page.wait_for_function("n => document.querySelectorAll('.wr-hits--page .wr-hit').length === n"
                           " && /\\d/.test(document.querySelector('.wr-search__count').textContent)", arg=shown)


def facet_counts(page, group: str) -> dict[str, int]:
    pairs = page.eval_on_selector_all(f'.wr-facet[data-filter="{group}"] label',
                                      "els => els.map(l => [l.querySelector('input').value,"
                                      " l.querySelector('.wr-facet__count').textContent])")
    return {value: int(count) for value, count in pairs}


def report(base: str, path: str) -> str:
    return f"{base}reports/{path}/"


# ---- quoted terms: exactly the reports that contain them ------------------------------------

@pytest.mark.parametrize("query", ['"新质生产力"', "“新质生产力”", "＂新质生产力＂"])
def test_a_quoted_term_finds_only_the_report_that_contains_it(page, base, query):
    header_search(page, base, query)
    assert hits(page) == [report(base, "2024/xinzhi")]
    assert count_text(page) == "找到 1 篇报告"
    assert marks(page) == [["新质生产力"]]  # the phrase, not its pieces


def test_without_quotes_the_report_with_the_term_ranks_first(page, base, without_index):
    # Pagefind ranks first the report that repeats 新, 质, 生产 and 力 apart
    header_search(page, without_index, "新质生产力")
    pagefind_order = [report(without_index, p) for p in ("2022/pieces-c", "2024/xinzhi", "2023/pieces-b", "2021/verify")]
    assert hits(page) == pagefind_order
    header_search(page, base, "新质生产力")
    # 2021/verify, its own shard, has no 新 or 质: Pagefind dropped those words there; not a result
    assert hits(page) == [report(base, p) for p in ("2024/xinzhi", "2022/pieces-c", "2023/pieces-b")]
    assert count_text(page) == "找到 3 篇报告"  # every report that holds each piece of the term


def test_a_quoted_term_finds_the_reports_pagefinds_words_miss(page, base):
    # 创新质量 holds 新质, but its words are 创新 and 质量: Pagefind does not find it
    header_search(page, base, "新质")  # unquoted (cut 新 质): 2022/quality holds both, and 新质 whole
    # the two with 新质 whole first, each once: the shorter report first (BM25); then those with the pieces
    assert hits(page) == [report(base, p) for p in ("2022/quality", "2024/xinzhi", "2022/pieces-c", "2023/pieces-b")]
    header_search(page, base, '"新质"')
    assert hits(page) == [report(base, "2022/quality"), report(base, "2024/xinzhi")]
    assert count_text(page) == "找到 2 篇报告"
    assert marks(page) == [["新质"], ["新质"]]
    assert page.inner_html(".wr-search__panel .wr-hit:nth-child(1) .wr-hit__excerpt") == \
        "区财政局2022年度工作汇报. 坚持创<mark>新质</mark>量并重。 报告数据."


def test_terms_of_two_and_three_characters_are_exact(page, base):
    header_search(page, base, '"非典"')   # 非典型 contains 非典; 非常…典型 does not
    assert hits(page) == [report(base, "2021/sars"), report(base, "2023/atypical")]  # 3 times, then once
    header_search(page, base, '"非典型"')
    assert hits(page) == [report(base, "2023/atypical")]
    assert marks(page) == [["非典型"]]
    # unquoted: Pagefind also matches 2021/sars (in its shard, the longest indexed prefix 非典), whose
    # text lacks 非典型, the one piece the term is cut into: not a result
    header_search(page, base, "非典型")
    assert hits(page) == [report(base, "2023/atypical")]


def test_a_result_whose_text_lacks_the_term_is_dropped(page, base, built):
    folder = built.out / "search" / "phrases" / "zh"
    index, fragments = PhraseIndex(str(folder)), read_manifest(folder)["fragments"]
    urls = {}
    for shard in sorted((built.out / "search").glob("zh-*")):
        for fragment in (shard / "fragment").glob("*.pf_fragment"):
            urls[fragment.stem] = json.loads(gzip.decompress(fragment.read_bytes())[12:])["url"]
    # every 3-character piece of 生产力发展 is in 2021/verify, the term is not
    assert sorted(urls[fragments[page_id]] for page_id in index.pages("生产力发展")) == [
        "/reports/2021/verify/", "/reports/2024/xinzhi/"]
    header_search(page, base, '"生产力发展"')
    assert hits(page) == [report(base, "2024/xinzhi")]
    assert count_text(page) == "找到 1 篇报告"


def test_several_quoted_terms_must_all_be_there(page, base):
    header_search(page, base, '"非典" "防控"')
    assert hits(page) == [report(base, "2021/sars")]
    header_search(page, base, '"非典" "案例"')
    assert hits(page) == [report(base, "2023/atypical")]


# ---- the search page: totals, filter counts, sorting -----------------------------------------

def test_totals_and_filter_counts_of_a_quoted_query(page, base):
    search_page(page, base + 'search/?q="新质"', 2)
    assert hits(page, ".wr-hits--page") == [report(base, "2022/quality"), report(base, "2024/xinzhi")]
    assert page.inner_text(".wr-search-page__results .wr-search__count") == "找到 2 篇报告"
    assert facet_counts(page, "year") == {"2024": 1, "2023": 0, "2022": 1, "2021": 0}
    assert facet_counts(page, "unit") == {"tax-bureau": 1, "finance-bureau": 1}
    assert facet_counts(page, "topic") == {"revenue": 2, "personnel": 0}
    page.check('.wr-facet[data-filter="year"] input[value="2022"]')
    page.wait_for_function("() => document.querySelector('.wr-search__count').textContent === '找到 1 篇报告'"
                           " && document.querySelectorAll('.wr-hits--page .wr-hit').length === 1")
    assert hits(page, ".wr-hits--page") == [report(base, "2022/quality")]
    assert facet_counts(page, "year") == {"2024": 0, "2023": 0, "2022": 1, "2021": 0}
    assert facet_counts(page, "unit") == {"tax-bureau": 0, "finance-bureau": 1}


def test_the_search_page_loads_nothing_of_pagefind(page, base):
    # results, ranking, totals, filter counts and every filter's values come from the phrase index:
    # neither Pagefind's code, its WebAssembly, its metadata nor its index is fetched
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    search_page(page, base + "search/?q=新质", 4)
    assert hits(page, ".wr-hits--page") == [report(base, p) for p in ("2022/quality", "2024/xinzhi", "2022/pieces-c",
                                                                       "2023/pieces-b")]
    page.wait_for_selector('.wr-facet[data-filter="year"] label')
    assert facet_counts(page, "year") == {"2024": 1, "2023": 1, "2022": 2, "2021": 0}
    assert [url for url in fetched if "/phrases/zh/grams/" in url]
    assert not [url for url in fetched if url.endswith((".pf_index", ".pf_filter", ".pf_meta", ".pagefind", "pagefind.js"))], \
        fetched
    assert [url for url in fetched if url.endswith(".pf_fragment")]  # its fragment files, read by the worker


def test_a_quoted_query_sorted_by_date(page, base):
    search_page(page, base + 'search/?q="非典"&sort=newest', 2)
    assert hits(page, ".wr-hits--page") == [report(base, "2023/atypical"), report(base, "2021/sars")]
    search_page(page, base + 'search/?q="非典"&sort=oldest', 2)
    assert hits(page, ".wr-hits--page") == [report(base, "2021/sars"), report(base, "2023/atypical")]
    # the report Pagefind missed takes its place by date
    search_page(page, base + 'search/?q="新质"&sort=oldest', 2)
    assert hits(page, ".wr-hits--page") == [report(base, "2022/quality"), report(base, "2024/xinzhi")]
    search_page(page, base + 'search/?q="生产"&sort=newest&unit=finance-bureau', 2)
    assert hits(page, ".wr-hits--page") == [report(base, "2023/pieces-b"), report(base, "2021/verify")]


def test_opening_a_result_highlights_the_phrase(page, base):
    header_search(page, base, '"新质生产力"')
    page.click(".wr-search__panel .wr-hit__title")
    page.wait_for_selector("[data-pagefind-body] mark")
    assert page.url == report(base, "2024/xinzhi") + "?highlight=%E6%96%B0%E8%B4%A8%E7%94%9F%E4%BA%A7%E5%8A%9B"
    assert page.eval_on_selector_all("[data-pagefind-body] mark", "els => els.map(e => e.textContent)") == ["新质生产力"]


def test_an_english_phrase(page, base):
    header_search(page, base + "en/", '"tax refunds"')
    assert hits(page) == [base + "en/reports/2024/xinzhi/"]
    assert count_text(page) == "1 reports found"
    assert marks(page) == [["tax refunds"]]
    page.click(".wr-search__panel .wr-hit__title")
    page.wait_for_selector("[data-pagefind-body] mark")
    assert page.eval_on_selector_all("[data-pagefind-body] mark", "els => els.map(e => e.textContent)") == ["tax refunds"]
    header_search(page, base + "en/", "tax refunds")  # both words, apart in the other report
    assert hits(page) == [base + "en/reports/2024/xinzhi/", base + "en/reports/2023/pieces-b/"]


# ---- without the phrase index: today's search ------------------------------------------------

def test_without_the_phrase_index_quotes_change_nothing(page, without_index):
    header_search(page, without_index, '"新质生产力"')
    assert hits(page) == [report(without_index, p) for p in ("2022/pieces-c", "2024/xinzhi", "2023/pieces-b", "2021/verify")]
    assert count_text(page) == "找到 4 篇报告"
    search_page(page, without_index + 'search/?q="新质"&sort=oldest', 3)
    assert hits(page, ".wr-hits--page") == [report(without_index, p) for p in ("2022/pieces-c", "2023/pieces-b", "2024/xinzhi")]


def test_bundles_of_another_pagefind_are_searched_as_today(browser, without_index, other_pagefind):
    for query in ('"新质生产力"', '"新质"', "新质生产力"):
        found = []
        for site in (without_index, other_pagefind):
            page = browser.new_page()
            header_search(page, site, query)
            found.append(([url[len(site):] for url in hits(page)], count_text(page)))
            page.close()
        assert found[0] == found[1]
        assert len(found[0][0]) >= 3


# ---- the normalised text: the worker's copy is Python's ----------------------------------------

HOSTILE = [
    "“双碳”目标", "ＡＢＣ", "经济。社会", "", "   ", "\t\n\r\u3000\u00a0", "新\u200b质\u200b生产\u200b力",
    "a\u00adb\u200dc\ufeffd\u200e\u202ee\u2066f", "e\u0301", "e\u0301\u0301\u0327", "\u0301abc", "ΟΔΟΣ ΟΔΟΣ.", "İstanbul",
    "ß ẞ ǅ ﬁ Ⅻ ½ ① ㈱ ㍿ ｶﾞ x² 𝐀𝐁𝐂", "\u1100\u1161\u11a8 \u1100 \u1161", "مرحبا بالعالم ﻻ", "עברית\u05b8",
    "👍🏽 👨‍👩‍👧 🇨🇳", "\U0002a6d6\U00030000\U0002ebe0", "\x00\x01\x7f\x9f", "_under_score_", "中文（全角）【括号】",
    "Ꭰ ꭰ ᏸ", "Ａ\u0301", "٣٤٥ ৩ 〇 〸", "Σ", "ΑΣ ΑΣΑ", "K Å Ω", "\ufdfa", "\u2028\u2029",
    "新" * 100_000, "ab " * 30_000,
]
PLANES = [(0, 0xD800), (0xE000, 0x40000), (0xE0000, 0xE1000)]   # assigned planes, surrogates left out


def test_the_workers_normalise_is_pythons(page, base):
    page.goto(base)
    module = base + "assets/javascripts/archive-phrases.js"
    script = """async ([url, strings, planes]) => {
        const { normalise } = await import(url);
        const each = [];
        for (const [low, high] of planes) for (let c = low; c < high; c++) each.push(normalise(String.fromCodePoint(c)));
        return [strings.map(normalise), each.join('|')];
    }"""
    strings, each = page.evaluate(script, [module, HOSTILE, PLANES])
    assert strings == [normalise(text) for text in HOSTILE]
    python = [normalise(chr(c)) for low, high in PLANES for c in range(low, high)]
    differ = [(c, js, py) for c, js, py in zip((c for low, high in PLANES for c in range(low, high)), each.split("|"), python)
              if js != py]
    # Chromium knows a newer Unicode than Python's unicodedata: the characters assigned since
    # differ (a letter to one, unassigned to the other), and only those
    assert [(c, js, py) for c, js, py in differ if unicodedata.category(chr(c)) != "Cn"] == []
    print(f"{len(differ)} single characters differ, all unassigned in Python's Unicode {unicodedata.unidata_version}")


def test_an_excerpt_cut_inside_a_sentence_begins_with_a_word(page, base):
    page.goto(base)
    script = """async ([url, content, phrases, length]) => (await import(url)).excerptAround(content, phrases, length).excerpt"""
    module = base + "assets/javascripts/archive-phrases.js"
    words = "\u200b".join(["前文", "，", "面对", "留抵退税", "带来"])
    # 4 words: from "，" (the window ends with the text), which is skipped
    assert page.evaluate(script, [module, words, ["留抵退税"], 4]) == "面对<mark>留抵退税</mark>带来"
    assert page.evaluate(script, [module, words, ["留抵退税"], 5]) == "前文，面对<mark>留抵退税</mark>带来"
    assert page.evaluate(script, [module, "“ Tax refunds ” rose", ["tax"], 3]) == "<mark>Tax</mark> refunds"


# ---- the worker asked directly: the shard filter ---------------------------------------------


def test_a_quoted_query_shard_by_shard(page, base, built):
    """The search page's date sort asks shard by shard; the answers add up to the whole."""
    page.goto(base + "search/")
    config = json.loads(page.inner_text("#wr-search-config"))
    config.update(root=base, rootPath=PREFIX)
    shards = [shard["name"] for shard in read_manifest(built.out / "search" / "phrases" / "zh")["shards"]]
    assert len(shards) >= 3
    for query in ('"新质"', '"非典"', '"生产"'):
        whole, *each = worker_search(page, [{"query": query, "count": 100}] + [
            {"query": query, "filters": {"shard": {"any": [shard]}}, "sort": "desc", "count": 100} for shard in shards],
            config)
        assert sorted(url for answer in each for url in answer["urls"]) == sorted(whole["urls"])
        assert [answer["total"] for answer in each] == [whole["shards"][shard] for shard in shards]
        assert sum(answer["total"] for answer in each) == whole["total"] == len(whole["urls"])
