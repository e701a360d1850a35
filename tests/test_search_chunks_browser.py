"""The rewritten word index is read by Pagefind itself: its own pagefind.js in Chromium.

A few hundred generated pages, each with words of a generated vocabulary, are indexed by
the archive's own indexing step (``search.index_shard``: Pagefind, then ``pagefind_index``'s
rewrite), which cuts the index into many chunks. Pagefind's own JavaScript (not the archive's
worker) then searches the bundle for words at the start, in the middle and at the end of
chunks, a word alone in its chunk, and several terms from different chunks; every query must
find exactly the pages that hold all of its words. Pagefind looks a term up in the first
chunk whose range holds it, so a wrong range loses a word, and a page renumbered wrongly
gives another page.
"""
from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import cbor2
import pytest

from archive.pagefind_index import SIGNATURE
from archive.search import Shard, index_shard

PAGES, WORDS_PER_PAGE, VOCABULARY = 400, 250, 20_000
COMMON = "zozozok"  # on every page, many times: a chunk of its own


def vocabulary(rng: random.Random) -> list[str]:
    """Words of seven letters, none the beginning of another (Pagefind also finds the words a
    term begins), ending in k, which Pagefind's English stemmer leaves alone."""
    syllables = [c + v for c in "bdfghjmnprtvz" for v in "aiu"]
    words: set[str] = set()
    while len(words) < VOCABULARY:
        words.add("".join(rng.choice(syllables) for _ in range(3)) + "k")
    return sorted(words)


def read(path: Path) -> object:
    return cbor2.loads(gzip.decompress(path.read_bytes())[len(SIGNATURE):])


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    """The site, the words of each page, the rewritten bundle's chunks and page numbers."""
    site = tmp_path_factory.mktemp("chunks")
    rng = random.Random(9)
    words = vocabulary(rng)
    on_page: dict[str, set[str]] = {}
    files = []
    for n in range(PAGES):
        chosen = rng.sample(words, WORDS_PER_PAGE)
        text = " ".join([COMMON] * 12 + chosen + [COMMON] * 20)
        url = f"/reports/{n:03d}/"
        on_page[url] = set(chosen) | {COMMON}
        page = f"reports/{n:03d}/index.html"
        (site / page).parent.mkdir(parents=True)
        (site / page).write_text(f'<html lang="en"><body><main data-pagefind-body><p>{text}</p></main></body></html>',
                                 encoding="utf-8")
        files.append(page)
    (site / "blank.html").write_text("<!doctype html><title>blank</title>", encoding="utf-8")
    result = index_shard(str(site), Shard("en-0", "en", tuple(files)))
    assert result.indexed == PAGES and result.compaction is not None, result.kept
    out = site / "search" / "en-0"
    entry = json.loads((out / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = read(out / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")
    chunks = [(start, end, [word[0] for word in read(out / "index" / f"{name}.pf_index")[0]])
              for start, end, name in meta[2]]
    url_of = {name: json.loads(gzip.decompress((out / "fragment" / f"{name}.pf_fragment").read_bytes())
                               [len(SIGNATURE):])["url"] for name, _ in meta[1]}
    return site, on_page, chunks, url_of


def holding(on_page: dict[str, set[str]], *terms: str) -> list[str]:
    return sorted(url for url, words in on_page.items() if set(terms) <= words)


def test_pagefind_itself_finds_every_word_of_the_rewritten_chunks(bundle, browser, serve):
    site, on_page, chunks, url_of = bundle
    indexed = {word for _, _, words in chunks for word in words}
    assert set().union(*on_page.values()) <= indexed  # every word indexed as written (no stemming)
    assert len(chunks) >= 20, len(chunks)
    alone = [words[0] for _, _, words in chunks if words == [COMMON]]
    assert alone == [COMMON]
    # the first, a middle and the last word of every fourth chunk, and of the last one
    queries = [COMMON]
    for _, _, words in chunks[::4] + chunks[-1:]:
        queries += [words[0], words[len(words) // 2], words[-1]]
    # several terms from different chunks: the last word of a chunk with words of its page
    chunk_of = {word: i for i, (_, _, words) in enumerate(chunks) for word in words}
    rng = random.Random(3)
    for i, (_, _, words) in enumerate(chunks[::3]):
        last = words[-1]
        if last == COMMON:
            continue
        url = holding(on_page, last)[0]
        others = sorted(w for w in on_page[url] if chunk_of[w] != chunk_of[last] and w != COMMON)
        queries.append(f"{last} {rng.choice(others)}")
        queries.append(f"{rng.choice(others)} {last} {rng.choice(others)} {COMMON}")
    queries.append(f"{chunks[0][2][0]} {chunks[-1][2][-1]}")  # most likely no page has both
    expected = {query: holding(on_page, *query.split()) for query in queries}
    assert sum(1 for found in expected.values() if found) > len(queries) * 0.9

    base = serve(site, "/")
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base + "blank.html")
    found = page.evaluate("""async (queries) => {
        const pagefind = await import("/search/en-0/pagefind.js");
        await pagefind.options({ basePath: "/search/en-0/" });
        await pagefind.init();
        const found = {};
        for (const query of queries) found[query] = (await pagefind.search(query)).results.map((r) => r.id);
        return found;
    }""", queries)
    page.close()
    assert errors == []
    wrong = {query: (sorted(url_of[id] for id in found[query]), pages) for query, pages in expected.items()
             if sorted(url_of[id] for id in found[query]) != pages}
    assert wrong == {}  # query: (found, expected)
