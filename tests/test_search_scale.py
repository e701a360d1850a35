"""Search results do not depend on scale or on how the index is sharded (issue 11).

The provincial corpus cut into sections of whole paragraphs (about 1,600 characters: 377
distinct real texts), each copied under distinct slugs (8 copies, 3,016 reports), built with a
small search memory so that the index has 51 shards and small word chunks (12 KB: 1,339
chunks), in the default language
only (the corpus has no translations: the other language adds pages, not shards). Why
sections: Pagefind's indexing time grows with the characters indexed, and 3,000 whole reports
of 20,000 characters take far longer than the few minutes a CI test may; a section is still
real text, the copies of one section land in different shards (one copy a year, shards
newest first), and every shard holds a different sixth or so of a year's sections, so its words
— and so the words a query's pieces find or miss there — differ from the next shard's: the
case where Pagefind, asking each shard apart, drops a word that shard lacks. Identical whole
reports in every shard would hide it. For every query, the truth is every copy of every section
whose text contains it (quoted) or holds each of its pieces (unquoted): found exactly, overall
and shard by shard; an unquoted term also ranks the reports that contain it whole first.
"""
from __future__ import annotations

import gzip
import json
import time

import pytest

from archive.phrases import PhraseIndex, normalise, read_manifest
from corpus import CORPUS, SKIP, corpus, corpus_site, default_language_only, query_pieces, sections, url_of, worker_search

COPIES = 8           # 377 sections → 3,016 reports
SECTION = 1500       # characters, at least, of whole paragraphs
SEARCH_MEMORY = 34   # MB: about 60 sections a shard, about 50 shards
CHUNK_KB = 12        # small words packed into chunks of 12 KB (40 by default): thousands of chunks
pytestmark = pytest.mark.cost(375)  # the 3,016-report build: started first (conftest.py)

TERMS = ["新质生产力", "留抵退税", "社会主义市场经济", "国有企业改革", "碳汇", "信创", "改革开放", "房地产", "稳就业",
         "低空经济", "县域经济", "一带一路", "托育服务", "人形机器人", "稳外资"]


def texts() -> list[dict[str, str]]:
    return sections(corpus(), SECTION)


@pytest.fixture(scope="module")
def scaled(tmp_path_factory, serve):
    if not CORPUS.is_dir():
        pytest.skip(SKIP)
    rows = texts()
    root = tmp_path_factory.mktemp("scale")
    site = default_language_only(corpus_site(root, rows, copies=COPIES, search_memory=SEARCH_MEMORY,
                                             search_chunk_kb=CHUNK_KB))
    start = time.perf_counter()
    result = site.build(strict=False)
    print(f"{len(rows) * COPIES:,} reports built in {time.perf_counter() - start:.0f} s")
    assert result.returncode == 0, result.output[-3000:]
    truth = {term: {url_of(n, k) for n, row in enumerate(rows) if term in row["full_text"] for k in range(COPIES)}
             for term in TERMS}
    return site, serve(site.out, "/"), truth


def test_the_index_is_sharded_finely(scaled):
    site, _, _ = scaled
    shards = read_manifest(site.out / "search" / "phrases" / "zh")["shards"]
    assert len(shards) >= 40, shards
    assert sum(shard["pages"] for shard in shards) == len(texts()) * COPIES == 3016
    chunks = sum(1 for _ in (site.out / "search").glob("zh-*/index/*.pf_index"))
    print(f"{len(shards)} shards, {chunks} index chunks")
    assert chunks >= 1000  # measured: 1,339 (410 at the default 40 KB: a shard of sections has a small word index)


def test_a_quoted_term_finds_exactly_the_reports_that_contain_it(scaled, browser):
    _, base, truth = scaled
    page = browser.new_page()
    page.goto(base + "search/")
    found = worker_search(page, [{"query": f'"{term}"'} for term in TERMS] +
                          [{"query": f"“{term}”"} for term in TERMS])
    page.close()
    for term, ascii_quoted, fullwidth_quoted in zip(TERMS, found, found[len(TERMS):]):
        for hits in (ascii_quoted, fullwidth_quoted):
            got = set(hits["urls"])
            assert len(got) == len(hits["urls"]), f"{term}: a report listed twice"
            assert got == truth[term], (f"{term}: {len(got & truth[term])} of {len(truth[term])} found, "
                                        f"{len(got - truth[term])} without the term")
            assert hits["total"] == len(truth[term]), term


def test_shard_by_shard_a_quoted_term_finds_exactly_its_reports(scaled, browser):
    _, base, truth = scaled
    page = browser.new_page()
    page.goto(base + "search/")
    bundles = [bundle["name"] for bundle in json.loads(page.inner_text("#wr-search-config"))["bundles"]]
    assert len(bundles) >= 40
    terms = ["碳汇", "信创", "社会主义市场经济"]
    searches = [{"query": f'"{term}"', "filters": {"shard": {"any": [name]}}} for term in terms for name in bundles]
    found = iter(worker_search(page, searches))
    page.close()
    for term in terms:
        seen: set[str] = set()
        for name in bundles:
            got = set(next(found)["urls"])
            assert got <= truth[term], f"{term} in shard {name}: {sorted(got - truth[term])[:5]} lack it"
            assert not got & seen, f"{term}: shard {name} lists reports of another shard"
            seen |= got
        assert seen == truth[term], f"{term}: {len(truth[term] - seen)} reports found in no shard"


def test_an_unquoted_term_ranks_the_reports_that_contain_it_first(scaled, browser):
    _, base, truth = scaled
    page = browser.new_page()
    page.goto(base + "search/")
    # the first as many results as reports contain the term: exactly those (recall 1.0, phrase-first)
    found = worker_search(page, [{"query": term, "count": len(truth[term])} for term in TERMS])
    page.close()
    rates = []
    for term, hits in zip(TERMS, found):
        first = hits["urls"]
        assert set(first) == truth[term], (f"{term}: {len(set(first) - truth[term])} reports without the term "
                                           f"rank among the first {len(truth[term])}")
        assert hits["total"] >= len(truth[term])
        rates.append(len(truth[term]) / hits["total"] if hits["total"] else 1.0)
    print("share of the results that contain their term: " + ", ".join(f"{t} {r:.2f}" for t, r in zip(TERMS, rates)))


# unquoted queries of one and several terms whose pieces are of 2 characters or more (a piece
# of one character may be in a page's own words, outside the report's text)
UNQUOTED = ["社会主义市场经济", "国有企业改革", "科技创新 营商环境", "一带一路 低空经济", "改革开放 乡村振兴 科技创新"]
BY_SHARD = ["国有企业改革", "一带一路 低空经济"]  # also asked shard by shard


def unquoted_truth(site, rows: list[dict[str, str]]) -> dict[str, set[str]]:
    """Per query, the reports whose text holds every piece of every term (the worker's rule)."""
    texts = [normalise(row["title"] + " " + row["full_text"]) for row in rows]
    words = site.out / "search" / "words"
    truth = {}
    for query in UNQUOTED:
        pieces = [piece for term in query.split() for piece in query_pieces(term, words)]
        assert all(len(piece[0]) >= 2 for piece in pieces), (query, pieces)
        truth[query] = {url_of(n, k) for n, text in enumerate(texts)
                        if all(any(p in text for p in piece) for piece in pieces) for k in range(COPIES)}
    return truth


def ranking_keys(site, query: str) -> dict[str, tuple[int, float, str]]:
    """Per report URL, what the worker ranks an unquoted query's results by: the terms it holds
    whole, its BM25 score (the terms whole, or their pieces' best alternatives) and its date,
    computed in Python from the phrase index (``PhraseIndex.postings`` and ``scorer``)."""
    index = PhraseIndex(str(site.out / "search" / "phrases" / "zh"))
    urls = {path.stem: json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])["url"]
            for path in (site.out / "search").glob("zh-*/fragment/*.pf_fragment")}
    words = site.out / "search" / "words"
    scored = []
    for term in query.split():
        whole = index.postings(term)
        pieces = [[index.scorer(index.postings(alternative)) for alternative in piece]
                  for piece in query_pieces(term, words)]
        scored.append((whole, index.scorer(whole), pieces))
    keys = {}
    for page, fragment in enumerate(index.manifest["fragments"]):
        tier = sum(page in whole for whole, _, _ in scored)
        score = sum(scorer(page) if page in whole else sum(max(each(page) for each in piece) for piece in pieces)
                    for whole, scorer, pieces in scored)
        keys[urls[fragment]] = (tier, score, index.manifest["dates"][page])
    return keys


def in_rank_order(first: tuple[int, float, str], second: tuple[int, float, str]) -> bool:
    """Whether ``first`` may come before ``second``: more terms whole, else a higher score (to
    within rounding: Python's and the browser's logarithms may differ in the last bit), else newer."""
    if first[0] != second[0]:
        return first[0] > second[0]
    if abs(first[1] - second[1]) > 1e-9:
        return first[1] > second[1]
    return first[2] >= second[2]


def test_unquoted_queries_find_exactly_the_reports_holding_every_piece(scaled, browser):
    site, base, _ = scaled
    rows = texts()
    truth = unquoted_truth(site, rows)
    print("unquoted truth: " + ", ".join(f"{q} {len(t)}" for q, t in truth.items()))
    page = browser.new_page()
    page.goto(base + "search/")
    bundles = [bundle["name"] for bundle in json.loads(page.inner_text("#wr-search-config"))["bundles"]]
    # every result counted, the first 200 shown: the rest are the same rule
    found = iter(worker_search(page, [{"query": q, "count": 200} for q in UNQUOTED] + [
        {"query": q, "filters": {"shard": {"any": [name]}}, "sort": "desc"} for q in BY_SHARD for name in bundles]))
    answers = [next(found) for _ in UNQUOTED]
    for query, answer in zip(UNQUOTED, answers):
        got = answer["urls"]
        assert len(set(got)) == len(got), f"{query}: a report listed twice"
        assert answer["total"] == len(truth[query]), f"{query}: {answer['total']} found, {len(truth[query])} hold every piece"
        assert set(got) <= truth[query], f"{query}: {sorted(set(got) - truth[query])[:5]} lack a piece"
        assert len(got) == min(200, len(truth[query]))
        whole = {url_of(n, k) for n, row in enumerate(rows)
                 if all(normalise(t) in normalise(row["title"] + " " + row["full_text"]) for t in query.split())
                 for k in range(COPIES)}
        first = got[:len(whole)]
        assert set(first) <= whole and (len(first) == len(whole) or len(first) == len(got)), f"{query}: not phrase-first"
        # ranked by BM25 over the whole index, whatever shard a report is in: the copies of a
        # section, in as many shards, score the same
        keys = ranking_keys(site, query)
        ranked = [keys[url] for url in got]
        assert all(in_rank_order(a, b) for a, b in zip(ranked, ranked[1:])), f"{query}: not in BM25 order"
        assert len({round(key[1], 6) for key in ranked}) >= 5, f"{query}: too few distinct scores to test the order"
    for query in BY_SHARD:  # shard by shard: each shard's answer is the truth within it, the sum the whole
        seen: set[str] = set()
        for name in bundles:
            got = set(next(found)["urls"])
            assert got <= truth[query], f"{query} in shard {name}: {sorted(got - truth[query])[:5]} lack a piece"
            assert not got & seen
            seen |= got
        assert seen == truth[query], f"{query}: {len(truth[query] - seen)} reports found in no shard"
    page.close()
