"""Unquoted queries are answered from the text, whatever the shards (issue 11), in Chromium.

Pagefind searches each shard apart and, in a shard whose index lacks one of the query's words,
drops that word: the shard then answers with reports that hold only the others, so the AND of
the terms depends on how the index is cut. The worker's rule: a report is a result of an
unquoted query iff, for every term, its text holds each piece the term is cut into (as the
phrase index tests a quoted term). Every report below is its own shard (search_memory 1: two reports a
shard), so Pagefind's answer for a report holding only some words is exactly the dropped-word case.
A query of quoted terms only is answered from the phrase index alone: no Pagefind chunk.
"""
from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from archive.phrases import read_manifest
from corpus import worker_search
from sites import FIXTURES, ROOT, Site, make_site, write_report

pytestmark = pytest.mark.cost(65)  # seconds, about: started before the quick modules (conftest.py)

# path: (date, text). Two reports a shard, newest first: {whole, apart}, {partial, sars}, {refund, missed}
REPORTS = {
    "2025/whole": ("2026-01-10", "因地制宜发展新质生产力。落实留抵退税政策，总结非典防控经验。"),
    "2024/apart": ("2025-01-08", "新年新气象，质量为先，生产有序，力争上游。"),
    "2023/partial": ("2024-01-05", "提高生产力水平，推动力发展。"),
    "2022/sars": ("2023-01-20", "非典期间全区停课。"),
    "2021/refund": ("2022-01-15", "落实留抵退税政策。"),
    "2020/missed": ("2021-01-20", "坚持创新质量并重。"),
}


def write_reports(folder: Path) -> None:
    for path, (date, text) in REPORTS.items():
        year = int(path[:4])
        unit = "区财政局"
        front = {"title": f"{unit}{year}年度工作汇报", "date": date, "year": year, "unit": unit,
                 "topics": ["revenue"], "template": "finance-annual", "metrics": {"growth_rate": 1.5}}
        write_report(folder / f"{path}.md", front, text)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    root = tmp_path_factory.mktemp("terms-browser")
    write_reports(root / "reports")
    built = make_site(root / "site", reports=root / "reports", vocabulary=FIXTURES / "vocabulary.yml", search_memory=1)
    result = built.build()
    assert result.returncode == 0, result.output
    return built


@pytest.fixture(scope="module")
def base(site, serve) -> str:
    return serve(site.out, "/")


@pytest.fixture(scope="module")
def without_index(site, serve, tmp_path_factory) -> str:
    """The same site without its phrase index: Pagefind's answers alone."""
    copy = tmp_path_factory.mktemp("terms-browser-without") / "site"
    shutil.copytree(site.out, copy)
    shutil.rmtree(copy / "search" / "phrases")
    return serve(copy, "/")


def urls(answer: dict) -> list[str]:
    return [url.removeprefix("/reports/").rstrip("/") for url in answer["urls"]]


def ask(page, base: str, searches: list[dict]) -> list[dict]:
    page.goto(base + "search/")
    return worker_search(page, searches)


def test_a_report_whose_shard_dropped_a_word_is_not_a_result(page, base, without_index):
    queries = ["新质生产力", "留抵退税 非典", "非典 留抵退税"]
    pagefind = ask(page, without_index, [{"query": q} for q in queries])
    # Pagefind alone: 2023/partial (生产, 力; no 新, 质), 2020/missed (质量 only), 2021/refund (no
    # 非典) and 2022/sars (no 留抵退税) come from shards that dropped the words their index lacks
    assert sorted(urls(pagefind[0])) == ["2020/missed", "2023/partial", "2024/apart", "2025/whole"]
    assert sorted(urls(pagefind[1])) == sorted(urls(pagefind[2])) == ["2021/refund", "2022/sars", "2025/whole"]
    found = ask(page, base, [{"query": q} for q in queries])
    assert urls(found[0]) == ["2025/whole", "2024/apart"]  # the term whole first, then its pieces apart
    assert urls(found[1]) == urls(found[2]) == ["2025/whole"]
    assert [answer["total"] for answer in found] == [2, 1, 1]


def test_reports_pagefinds_words_miss_are_added_phrase_first(page, base):
    # 新质 is cut 新 质; 创新质量 (words 创新 质量) holds both, and 新质 whole; 新年…质量 holds only the pieces
    found = ask(page, base, [{"query": "新质"}])[0]
    assert sorted(urls(found)[:2]) == ["2020/missed", "2025/whole"] and urls(found)[2:] == ["2024/apart"]
    assert found["total"] == 3


def test_totals_filter_counts_and_date_order_come_from_the_set(page, base):
    found = ask(page, base, [{"query": "新质生产力", "sort": "asc"}, {"query": "新质生产力", "sort": "desc"},
                             {"query": "新质生产力", "filters": {"year": {"any": ["2023"]}}}])
    # 2023/partial, which Pagefind finds in its shard, is not counted in the year 2023
    assert urls(found[0]) == ["2024/apart", "2025/whole"]
    assert urls(found[1]) == ["2025/whole", "2024/apart"]
    assert urls(found[2]) == [] and found[2]["total"] == 0
    assert sum(found[0]["shards"].values()) == 2


def test_shard_by_shard_the_answers_add_up_to_the_whole(page, base, site):
    shards = [shard["name"] for shard in read_manifest(site.out / "search" / "phrases" / "zh")["shards"]]
    assert len(shards) == 3
    for query in ("新质生产力", "留抵退税 非典", "新质", "力"):
        whole, *each = ask(page, base, [{"query": query}] + [
            {"query": query, "filters": {"shard": {"any": [name]}}, "sort": "desc"} for name in shards])
        assert sorted(url for answer in each for url in answer["urls"]) == sorted(whole["urls"]), query
        assert [answer["total"] for answer in each] == [whole["shards"][name] for name in shards], query


def test_a_query_the_phrase_index_answers_asks_nothing_of_pagefind(page, base):
    page.goto(base + "search/")
    config = {**json.loads(page.inner_text("#wr-search-config")), "root": base, "rootPath": "/"}
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    found = worker_search(page, [{"query": "“留抵退税” “非典”"}, {"query": '"留抵退税"', "count": 1},
                                 {"query": "留抵退税", "count": 1}], config)
    # once each, in the shorter report first (BM25); one shown
    assert [urls(answer) for answer in found] == [["2025/whole"], ["2021/refund"], ["2021/refund"]]
    assert found[1]["total"] == found[2]["total"] == 2
    assert not [url for url in fetched if "/index/" in url or url.endswith(".pf_index")], fetched
    # one fragment per result shown, not one per result
    assert len([url for url in fetched if url.endswith(".pf_fragment")]) == 2


# ---- Latin script: Pagefind stems English, the rule tests the text --------------------------

@pytest.fixture(scope="module")
def sample(tmp_path_factory, serve) -> tuple[str, str, list[str]]:
    """The sample archive, each report its own shard, with and without the phrase index, and
    every English word of its English reports."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    docs = ROOT / config["docs_dir"]
    root = tmp_path_factory.mktemp("terms-sample")
    built = make_site(root / "site", reports=docs / "reports", vocabulary=docs / "vocabulary.yml", search_memory=1)
    result = built.build(strict=False)
    assert result.returncode == 0, result.output[-3000:]
    copy = root / "without"
    shutil.copytree(built.out, copy)
    shutil.rmtree(copy / "search" / "phrases")
    words: set[str] = set()
    for path in (docs / "reports").rglob("*.en.md"):
        body = path.read_text(encoding="utf-8").split("---", 2)[2]
        words |= {word.lower() for word in re.findall(r"[A-Za-z]{3,}", body)}
    texts = {}  # a report's URL → its lower-case text as Pagefind's fragment (and its blocks) hold it
    for fragment in (built.out / "search").glob("*/fragment/*.pf_fragment"):
        data = json.loads(gzip.decompress(fragment.read_bytes())[12:])
        blocks = [gzip.decompress((fragment.parent / f"{name}.block").read_bytes()).decode("utf-8")
                  for _, name in (data.get("archive_blocks") or {}).get("blocks", [])]
        texts[data["url"]] = " ".join([data["content"], *blocks]).lower()
    return serve(built.out, "/"), serve(copy, "/"), sorted(words), texts


def test_the_workers_stemmer_is_snowballs(page, sample):
    """The worker's Porter2 (archive-stem.js) against the snowballstemmer package (the Snowball
    English of Pagefind 1.5's stemmer) on every English word of the sample and a few hard ones."""
    import snowballstemmer

    with_index, _, words, _ = sample
    words = words + ["caresses", "ponies", "ties", "cries", "gaps", "gas", "kiwis", "hoping", "hopping", "generously",
                     "communism", "arsenal", "skies", "dying", "inning", "proceed", "agreed", "luxuriating", "ugly",
                     "happiness", "relational", "operational", "formalization", "university", "added", "y", "by"]
    page.goto(with_index)
    stems = page.evaluate("async ([url, words]) => { const { stem } = await import(url); return words.map(stem); }",
                          [with_index + "assets/javascripts/archive-stem.js", words])
    english = snowballstemmer.stemmer("english")
    assert [(w, s) for w, s in zip(words, stems) if s != english.stemWord(w)] == []


def test_english_words_lose_no_stemmed_match_pagefind_made(browser, sample):
    """Every distinct word of the sample's English reports, asked of Pagefind alone and of the
    worker. A report Pagefind found and the worker did not is either a stemmed match (its text
    holds a word whose Snowball stem begins with the query word's: Pagefind's own rule), which
    the worker must keep, or Pagefind's fallback in a shard without any such word (the longest
    indexed prefix of the stem: "ab" for "about"), which the rule drops on purpose."""
    import snowballstemmer

    english = snowballstemmer.stemmer("english")
    with_index, without, words, texts = sample
    answers = []
    for site in (with_index, without):
        page = browser.new_page()
        page.goto(site + "en/search/")
        answers.append(worker_search(page, [{"query": word} for word in words]))
        page.close()
    stems = {url: {english.stemWord(w) for w in re.findall(r"[a-z]+", text)} for url, text in texts.items()}
    stemmed, fallback = [], []
    for word, kept, pagefind in zip(words, *answers):
        for url in sorted(set(pagefind["urls"]) - set(kept["urls"])):
            related = any(each.startswith(english.stemWord(word)) for each in stems.get(url, ()))
            (stemmed if related else fallback).append((word, url))
    gained = sum(len(set(a["urls"]) - set(b["urls"])) for a, b in zip(*answers))
    print(f"{len(words)} English words: {len(stemmed)} stemmed (word, report) matches of Pagefind lost, "
          f"{len(fallback)} fallback matches dropped, {gained} pairs found that Pagefind did not")
    assert len(words) > 300
    assert len(fallback) > 100  # the rule drops them: their text lacks the word
    assert stemmed == [], "\n".join(f"{word} {url}" for word, url in stemmed)
