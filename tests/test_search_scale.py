"""Search results do not depend on scale or on how the index is sharded (issue 11).

The provincial corpus, each report copied under distinct slugs, built with a small search
memory so that the index has many shards and thousands of chunks. For every term, the truth
is every copy of every report whose text contains it. A quoted term must find exactly the
truth, overall and shard by shard; an unquoted one must find all of it, ahead of every
report that holds only the term's pieces.
"""
from __future__ import annotations

import json

import pytest

from archive.phrases import read_manifest
from corpus import CORPUS, SKIP, corpus, corpus_site, url_of, worker_search

COPIES = 24          # 31 reports → 744: a build of about two minutes
SEARCH_MEMORY = 120  # MB: about 48 reports of 20,000 characters a shard, 16 shards
TERMS = ["新质生产力", "留抵退税", "社会主义市场经济", "国有企业改革", "碳汇", "信创", "改革开放", "房地产", "稳就业",
         "低空经济", "县域经济", "一带一路", "托育服务", "人形机器人", "稳外资"]


@pytest.fixture(scope="module")
def scaled(tmp_path_factory, serve):
    if not CORPUS.is_dir():
        pytest.skip(SKIP)
    rows = corpus()
    root = tmp_path_factory.mktemp("scale")
    site = corpus_site(root, rows, copies=COPIES, search_memory=SEARCH_MEMORY)
    result = site.build(strict=False)
    assert result.returncode == 0, result.output[-3000:]
    truth = {term: {url_of(n, k) for n, row in enumerate(rows) if term in row["full_text"] for k in range(COPIES)}
             for term in TERMS}
    return site, serve(site.out, "/"), truth


def test_the_index_is_sharded_finely(scaled):
    site, _, _ = scaled
    shards = read_manifest(site.out / "search" / "phrases" / "zh")["shards"]
    assert len(shards) >= 15, shards
    assert sum(shard["pages"] for shard in shards) == 31 * COPIES


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
    assert len(bundles) >= 15
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
    found = worker_search(page, [{"query": term} for term in TERMS])
    page.close()
    rates = []
    for term, hits in zip(TERMS, found):
        urls = hits["urls"]
        assert truth[term] <= set(urls), f"{term}: recall {len(truth[term] & set(urls)) / len(truth[term]):.3f}"
        first = urls[:len(truth[term])]
        assert set(first) == truth[term], (f"{term}: {len(set(first) - truth[term])} reports without the term "
                                           f"rank among the first {len(truth[term])}")
        rates.append(len(truth[term]) / len(urls))
    print("share of the results that contain their term: " + ", ".join(f"{t} {r:.2f}" for t, r in zip(TERMS, rates)))
