"""Result pages that fetch text blocks, not whole texts (issue 11's budgets), in real Chromium.

Each report has 20,000 characters of text drawn at random (seeded) from 2,000 Chinese
characters, which compresses about as badly as real text: a whole fragment is some 30 KB of
gzip, so the search page's 20 results would fetch 600 KB; cut into blocks
(pagefind_index.split_fragment) they fetch what their excerpts show. 鹦鹉螺舰 (characters
outside the drawn ones) is in the middle of one report and at the very end of another.
"""
from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest

from archive.pagefind_index import BLOCKS, SIGNATURE, whole_text
from sites import FIXTURES, Site, make_site, write_report
from test_search_phrases_browser import header_search, hits, marks

PREFIX = "/archive/"
TERM = "鹦鹉螺舰"
COMMON = "航运枢纽"
CHARACTERS = 20_000
BUDGET_KB = 300


pytestmark = pytest.mark.cost(15)  # seconds, about: started before the quick modules (conftest.py)


def report_text(seed: int, term_at: float | None) -> str:
    """Random words of 1 to 3 characters with punctuation, COMMON every 2,000 characters,
    TERM at ``term_at`` (a share of the text; 1.0: the last words)."""
    rng = random.Random(seed)
    out, length, placed = [], 0, term_at is None
    while length < CHARACTERS:
        if not placed and length >= term_at * CHARACTERS - 20:
            out.append(TERM)
            placed = True
        word = "".join(chr(0x4E00 + rng.randrange(2000)) for _ in range(rng.randint(1, 3)))
        out.append(word + rng.choice("，，。、的了"))
        length += len(word) + 1
        if length // 2000 != (length - len(word) - 1) // 2000:
            out.append(COMMON + "。")
    if not placed:
        out.append(TERM)
    return "".join(out) + ("" if term_at != 1.0 else TERM + "。")


def write_reports(folder: Path) -> None:
    for n in range(24):
        year = 2001 + n
        path = folder / str(year) / f"report-{n:02d}.md"
        front = {"title": f"区税务局{year}年度工作汇报", "date": f"{year + 1}-01-10", "year": year, "unit": "区税务局",
                 "topics": ["revenue"], "template": "finance-annual", "metrics": {"growth_rate": 1.5}}
        write_report(path, front, report_text(n, {0: 0.5, 1: 1.0}.get(n)))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Site:
    root = tmp_path_factory.mktemp("blocks-browser")
    write_reports(root / "reports")
    site = make_site(root / "site", reports=root / "reports", vocabulary=FIXTURES / "vocabulary.yml")
    result = site.build()
    assert result.returncode == 0, result.output
    return site


@pytest.fixture(scope="module")
def base(built, serve) -> str:
    return serve(built.out, PREFIX)


def fragments(site: Site) -> list[tuple[Path, dict]]:
    return [(path, json.loads(gzip.decompress(path.read_bytes())[len(SIGNATURE):]))
            for path in sorted((site.out / "search").glob("zh*/fragment/*.pf_fragment"))]


def whole_kb(path: Path, fragment: dict) -> float:
    """The gzip size of a fragment as Pagefind wrote it, with its whole text."""
    whole = {**fragment, "content": whole_text(path.parent, fragment)}
    del whole[BLOCKS]
    return len(gzip.compress(SIGNATURE + json.dumps(whole, ensure_ascii=False).encode(), mtime=0)) / 1024


def test_the_long_reports_are_cut_into_blocks(built):
    found = fragments(built)
    assert len(found) == 24 and all(BLOCKS in fragment for _, fragment in found)
    assert all(len(fragment[BLOCKS]["blocks"]) >= 10 for _, fragment in found)


@pytest.mark.parametrize("query", [TERM, f'"{TERM}"'])
def test_an_excerpt_from_the_middle_and_from_the_end_marks_the_term(page, base, query):
    header_search(page, base, query)
    assert sorted(hits(page)) == [base + "reports/2001/report-00/", base + "reports/2002/report-01/"]
    assert [("".join(words)) for words in marks(page)] == [TERM, TERM]
    excerpts = page.eval_on_selector_all(".wr-search__panel .wr-hit__excerpt", "els => els.map(e => e.textContent)")
    assert all(len(excerpt) > 20 for excerpt in excerpts)


def test_the_term_is_read_where_the_phrase_index_places_it(page, base, built):
    # each report has 10 blocks or more; the term is at its middle, or at its end: the worker
    # reads the blocks around where the index says it first occurs, not the text from its start
    blocks: list[str] = []
    page.on("request", lambda request: blocks.append(request.url) if request.url.endswith(".block") else None)
    page.goto(base)
    page.fill(".wr-search__input", f'"{TERM}"')  # at once: no search of the query's beginnings
    page.wait_for_function("q => document.querySelector('.wr-search__panel:not([hidden])')?.dataset.query === q",
                           arg=f'"{TERM}"')
    assert [("".join(words)) for words in marks(page)] == [TERM, TERM]
    assert 2 <= len(blocks) <= 4, blocks


def test_the_search_pages_twenty_results_fetch_under_the_budget(page, base, built):
    whole = sum(whole_kb(path, fragment) for path, fragment in fragments(built)[:20])  # fetched without blocks
    fetched: list[int] = []
    page.on("requestfinished", lambda request: fetched.append(
        request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]) if "/search/" in request.url else None)
    page.goto(base + "search/", wait_until="networkidle")
    loaded = sum(fetched)
    page.fill(".wr-search-page__input", COMMON)
    page.wait_for_function("() => document.querySelectorAll('.wr-hits--page .wr-hit').length === 20")
    page.wait_for_load_state("networkidle")
    kb = (sum(fetched) - loaded) / 1024
    assert all(COMMON in "".join(words) for words in marks(page, ".wr-hits--page"))
    assert whole > BUDGET_KB * 1.5  # the blocks are what keeps it under
    assert kb < BUDGET_KB, f"{kb:.0f} KB fetched for 20 results"
