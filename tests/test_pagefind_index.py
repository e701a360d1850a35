"""Compacting Pagefind's word index (hooks/archive/pagefind_index.py)."""
from __future__ import annotations

import gzip
import json
import os
import subprocess
import tempfile
from pathlib import Path

import cbor2
import pytest

from archive.pagefind_index import (SIGNATURE, IndexFormatError, chunk_ranges, compact_bundle, compact_locations,
                                    decode_locations, encode_locations, fragment_names, is_han, ordered_sort, pack,
                                    write_vocabulary)
from archive.search import pagefind_executable


def test_locations_decode_weight_runs_of_deltas():
    # weight 24 (marker −25) at 3, 10, 12; weight 144 (a heading, marker −145) at 0
    assert decode_locations([-25, 3, 7, 2, -145, 0]) == [(3, 24), (10, 24), (12, 24), (0, 144)]
    # runs are written in the order of their first position
    assert encode_locations([(3, 24), (10, 24), (12, 24), (0, 144)]) == [-145, 0, -25, 3, 7, 2]


def test_a_word_keeps_as_many_first_positions_as_its_weight_needs():
    twenty = [-25, 100] + [10] * 19  # 20 plain occurrences at 100, 110 … 290: weight 480
    compacted = decode_locations(compact_locations(twenty))
    assert [position for position, _ in compacted] == [100, 110, 120]  # the excerpt's 3 and ⌈480 / 255⌉ = 2
    assert [weight for _, weight in compacted] == [160, 160, 160]


def test_a_frequent_word_carries_its_weight_up_to_where_ranking_saturates():
    fifty = [-25, 100] + [25] * 49  # 50 plain occurrences at 100, 125 … 1325: weight 1200
    compacted = decode_locations(compact_locations(fifty))
    assert compacted == [(100, 255), (125, 255), (150, 255)]  # capped at 3 × 255, about 32 occurrences
    assert compact_locations(compact_locations(fifty)) == compact_locations(fifty)


def test_the_positions_an_excerpt_shows_around_the_first_are_kept():
    six = [-25, 5, 5, 10, 9, 71, 100]  # at 5, 10, 20, 29, 100, 200: the excerpt from 5 shows 5 … 28
    compacted = decode_locations(compact_locations(six))
    assert compacted == [(5, 48), (10, 48), (20, 48)]


def test_a_few_occurrences_are_kept_as_they_are():
    assert compact_locations([-25, 5, 5, 5]) == [-25, 5, 5, 5]
    assert compact_locations([]) == []


def test_weights_of_headings_count_where_they_were():
    heading_and_body = [-145, 2, -25, 40, 5, 5, 5, 5]  # a heading word at 2, then the body 40 … 60
    compacted = decode_locations(compact_locations(heading_and_body))
    assert [position for position, _ in compacted] == [2, 40]  # ⌈264 / 255⌉ = 2
    assert sum(weight for _, weight in compacted) == 144 + 5 * 24


def test_a_large_word_gets_a_chunk_of_its_own_and_small_words_are_packed():
    words = [("a", b"x" * 10), ("b", b"x" * 10), ("big", b"x" * 100), ("c", b"x" * 30), ("d", b"x" * 5)]
    assert [[word for word, _ in chunk] for chunk in pack(words, own=50, size=25)] == [["a", "b"], ["big"], ["c"], ["d"]]


def test_a_chunk_range_starts_where_a_half_typed_term_would_look_and_ends_at_its_last_word():
    assert chunk_ranges([("apple", "apple"), ("apricot", "banana"), ("peach", "peach")]) == [
        ["apple", "apple"], ["apr", "banana"], ["p", "peach"]]
    assert chunk_ranges([("营商", "营商"), ("营商环境", "营造")]) == [["营商", "营商"], ["营商环", "营造"]]
    assert chunk_ranges([("word145", "word151"), ("word152", "word159"), ("word16", "word17")]) == [
        ["word145", "word151"], ["word152", "word159"], ["word16", "word17"]]


def _bundle(tmp_path, pages: dict[str, str]):
    site = tmp_path / "site"
    for name, text in pages.items():
        (site / name).mkdir(parents=True)
        (site / name / "index.html").write_text(
            f'<html lang="zh"><body><main data-pagefind-body><h1>{name}</h1><p>{text}</p></main></body></html>',
            encoding="utf-8")
    out = tmp_path / "bundle"
    subprocess.run([pagefind_executable(), "--site", str(site), "--output-path", str(out)],
                   check=True, capture_output=True)
    return out


def _read(path) -> object:
    raw = gzip.decompress(path.read_bytes())
    assert raw.startswith(SIGNATURE)
    return cbor2.loads(raw[len(SIGNATURE):])


def _chunks(bundle) -> list[tuple[str, str, list]]:
    """[from, to, words] of every chunk, as the bundle's entry file and metadata list them."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = _read(bundle / f"pagefind.{next(iter(entry['languages'].values()))['hash']}.pf_meta")
    return [(start, end, _read(bundle / "index" / f"{name}.pf_index")[0]) for start, end, name in meta[2]]


def _words(bundle) -> dict[str, list]:
    return {word[0]: word[1] for _, _, words in _chunks(bundle) for word in words}


def _meta(bundle) -> list:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return _read(bundle / f"pagefind.{next(iter(entry['languages'].values()))['hash']}.pf_meta")


def _urls(bundle) -> list[str]:
    """The URL of each page, by page number."""
    return [json.loads(gzip.decompress((bundle / "fragment" / f"{name}.pf_fragment").read_bytes())[len(SIGNATURE):])["url"]
            for name, _ in _meta(bundle)[1]]


def _postings(bundle) -> dict[str, dict[str, list]]:
    """word → page URL → locations (page numbers are deltas in Pagefind's word index)."""
    urls, found = _urls(bundle), {}
    for word, pages in _words(bundle).items():
        number, found[word] = 0, {}
        for page in pages:
            number += page[0]
            found[word][urls[number]] = page[1]
    return found


def test_a_bundle_is_compacted_and_rechunked_and_every_word_is_found_where_pagefind_looks(tmp_path):
    text = " ".join(f"word{n}" for n in range(300))
    bundle = _bundle(tmp_path, {"often": "tax " * 60 + "refund " + text, "once": "tax refund", "other": text})
    files_before = sorted(p.name for p in bundle.rglob("*") if p.is_file())
    before = _postings(bundle)
    assert sum(len(decode_locations(locations)) for locations in before["tax"].values()) == 61

    result = compact_bundle(str(bundle), workers=1, own=40, size=200)

    after = _postings(bundle)
    assert sorted(after) == sorted(before)
    assert _urls(bundle) == ["/often/", "/once/", "/other/"]  # pages numbered by URL
    assert sorted(after["tax"]) == sorted(before["tax"]) == ["/often/", "/once/"]  # the same pages
    for url, locations in after["tax"].items():
        weights_before = sum(w for _, w in decode_locations(before["tax"][url]))
        assert sum(w for _, w in decode_locations(locations)) == min(weights_before, 3 * 255)
    # the 24 positions an excerpt from the first shows (more than the ⌈60 × 24 / 255⌉ = 6 the weight needs)
    assert sorted(len(decode_locations(page)) for page in after["tax"].values()) == [1, 24]
    assert after["refund"] == before["refund"]
    # a query term is looked up in the first chunk whose range holds it (Pagefind's rule)
    chunks = _chunks(bundle)
    assert result.chunks_after == len(chunks) > result.chunks_before
    for word in after:
        holding = next(words for start, end, words in chunks if start <= word <= end)
        assert word in [w[0] for w in holding], word
    assert [w[0] for _, _, words in chunks if len(words) == 1 for w in words].count("tax") == 1  # a chunk of its own
    # the old chunks and metadata are gone, the fragments and filters untouched
    files_after = sorted(p.name for p in bundle.rglob("*") if p.is_file())
    assert [f for f in files_after if not f.endswith((".pf_index", ".pf_meta"))] == \
        [f for f in files_before if not f.endswith((".pf_index", ".pf_meta"))]
    assert len([f for f in files_after if f.endswith(".pf_meta")]) == 1
    assert not {f for f in files_before if f.endswith(".pf_index")} & set(files_after)


def test_an_index_written_by_another_pagefind_is_refused(tmp_path):
    (tmp_path / "pagefind-entry.json").write_text(json.dumps({"version": "9.0.0"}), encoding="utf-8")
    with pytest.raises(IndexFormatError, match=r"^the index is of Pagefind 9\.0\.0, the rewrite knows the format of Pagefind 1\.5\.2 only$"):
        compact_bundle(str(tmp_path))


def test_the_vocabulary_is_one_sorted_list_per_first_character(tmp_path):
    assert write_vocabulary(str(tmp_path / "words"), ["退税", "留抵", "留", "退税", "留抵退税"]) == 2
    # written last: the search worker uses the lists only when it is there, and asks only for the
    # characters it names (sorted, as the lists are)
    assert json.loads((tmp_path / "words" / "index.json").read_text(encoding="utf-8")) == {"lists": 2, "characters": "留退"}
    assert json.loads((tmp_path / "words" / f"{ord('留'):x}.json").read_text(encoding="utf-8")) == ["留", "留抵", "留抵退税"]
    assert json.loads((tmp_path / "words" / f"{ord('退'):x}.json").read_text(encoding="utf-8")) == ["退税"]
    assert is_han("税") and is_han("㐀") and not is_han("t") and not is_han("2")


def test_a_bundles_chinese_words_come_back_from_its_compaction(tmp_path):
    bundle = _bundle(tmp_path, {"tax": "留抵退税 政策 tax"})
    words = compact_bundle(str(bundle), workers=1).words
    assert "政策" in words and "tax" not in words


# Reproducible: the same bundle whatever order Pagefind met the pages in, and whatever its hash seed

def test_pages_that_tie_in_a_sort_go_in_page_order():
    numbers = [2, 0, 3, 1]  # old page → new page
    values = ["2023", "2021", "2023", "2022"]  # what each old page sorts by
    # Pagefind's order: 1 (2021), 3 (2022), then the tie 2, 0 as it met them
    assert ordered_sort([1, 3, 2, 0], numbers, values) == [0, 1, 2, 3]
    assert ordered_sort([1, 3, 0, 2], numbers, values) == [0, 1, 2, 3]
    # a value unknown, or equal values apart (not what the pages sort by): Pagefind's order stays
    assert ordered_sort([1, 3, 2, 0], numbers, ["2023", "2021", None, "2022"]) == [0, 1, 3, 2]
    assert ordered_sort([0, 1, 2], [0, 1, 2], ["a", "b", "a"]) == [0, 1, 2]


def test_fragments_are_named_by_the_shortest_prefix_of_their_hash_no_other_shares():
    hashes = ["abcdef0123", "abcdef0199", "1234567890", "abcdef1777"]
    assert fragment_names("zh", hashes) == ["zh_abcdef012", "zh_abcdef019", "zh_1234567", "zh_abcdef1"]
    # the same names in any order: Pagefind's depend on which of two it met first
    assert fragment_names("zh", hashes[::-1]) == fragment_names("zh", hashes)[::-1]


REPORTS = {  # page → (year, topics, date, text)
    "a-tax": ("2021", ["tax", "revenue"], "2021-03-01", "留抵退税 café policy"),
    "b-finance": ("2022", ["revenue"], "2022-05-01", "budget cafe 预算"),
    "c-market": ("2021", ["food"], "2021-03-01", "food safety café"),
    "d-hrss": ("2023", ["jobs"], "2023-01-09", "employment 就业 policy"),
    "e-tax": ("2023", ["tax"], "2021-03-01", "refund 退税 policy cafè"),
    "f-audit": ("2022", ["revenue", "food"], "2022-05-01", "audit cafe"),
}


def _report_html(name: str) -> str:
    year, topics, date, text = REPORTS[name]
    marks = "".join(f'<span hidden data-pagefind-filter="topic:{t}"></span>' for t in topics)
    return (f'<html lang="zh"><body><main data-pagefind-body><h1>{name}</h1><p>{text}</p>'
            f'<span hidden data-pagefind-filter="year:{year}"></span>{marks}'
            f'<span hidden data-pagefind-sort="date:{date}"></span><span hidden data-pagefind-meta="date:{date}"></span>'
            '</main></body></html>')


def _pagefind(site: Path, out: Path) -> Path:
    subprocess.run([pagefind_executable(), "--site", str(site), "--output-path", str(out)], check=True, capture_output=True)
    return out


def _reports_bundle(folder: Path, order: list[str]) -> Path:
    for name in order:  # created in this order: a tmpfs lists them so, and Pagefind numbers them so
        (folder / "site" / name).mkdir(parents=True)
        (folder / "site" / name / "index.html").write_text(_report_html(name), encoding="utf-8")
    return _pagefind(folder / "site", folder / "bundle")


def _files(bundle: Path) -> dict[str, bytes]:
    return {str(p.relative_to(bundle)): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}


def test_the_rewritten_bundle_is_the_same_whatever_order_pagefind_met_the_pages(tmp_path):
    if not os.access("/dev/shm", os.W_OK):
        pytest.skip("no tmpfs at /dev/shm, whose listing order is the order files were made in")
    names = sorted(REPORTS)
    with tempfile.TemporaryDirectory(dir="/dev/shm") as one, tempfile.TemporaryDirectory(dir="/dev/shm") as two:
        first, second = _reports_bundle(Path(one), names), _reports_bundle(Path(two), names[::-1])
        # Pagefind numbered the pages in two orders (else this test would prove nothing)
        assert _urls(first) != _urls(second)
        compact_bundle(str(first), workers=1)
        compact_bundle(str(second), workers=2)
        one_files, two_files = _files(first), _files(second)
        assert [name for name in sorted(one_files.keys() | two_files.keys())
                if one_files.get(name) != two_files.get(name)] == []  # the files that differ
        bundle = first
        urls = _urls(bundle)
        assert urls == [f"/{name}/" for name in names]  # numbered by URL
        meta = _meta(bundle)
        # filters by name, values in order, pages by number; files named by content
        assert [name for name, _ in meta[3]] == ["topic", "year"]
        year = _read(bundle / "filter" / f"{dict(meta[3])['year']}.pf_filter")
        assert year == ["year", [["2021", [0, 2]], ["2022", [1, 5]], ["2023", [3, 4]]]]
        topic = _read(bundle / "filter" / f"{dict(meta[3])['topic']}.pf_filter")
        assert [[value, [urls[n] for n in pages]] for value, pages in topic[1]] == [
            ["food", ["/c-market/", "/f-audit/"]], ["jobs", ["/d-hrss/"]],
            ["revenue", ["/a-tax/", "/b-finance/", "/f-audit/"]], ["tax", ["/a-tax/", "/e-tax/"]]]
        # by date; the three of 2021-03-01 and the two of 2022-05-01 in page order
        assert meta[4] == [["date", [0, 2, 4, 1, 5, 3]]]
        # a word's variants (café of cafe) in order, their pages numbered anew
        cafe = next(word for _, _, words in _chunks(bundle) for word in words if word[0] == "cafe")
        def on(pages: list) -> list[str]:
            numbers = [sum(page[0] for page in pages[:i + 1]) for i in range(len(pages))]  # deltas
            return [urls[number] for number in numbers]
        assert on(cafe[1]) == ["/b-finance/", "/f-audit/"]
        assert [(form, on(pages)) for form, pages in cafe[2]] == [("cafè", ["/e-tax/"]), ("café", ["/a-tax/", "/c-market/"])]


# Another Pagefind: its files stay as it wrote them

def _snapshot_bundle(tmp_path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    return _reports_bundle(folder, sorted(REPORTS))


def _refused(bundle: Path, match: str) -> None:
    before = _files(bundle)
    with pytest.raises(IndexFormatError, match=match):
        compact_bundle(str(bundle), workers=1)
    assert _files(bundle) == before  # untouched, and no file of the rewrite left behind


def test_a_bundle_of_another_pagefind_version_is_left_as_it_is(tmp_path):
    bundle = _snapshot_bundle(tmp_path)
    entry = bundle / "pagefind-entry.json"
    entry.write_text(entry.read_text(encoding="utf-8").replace('"version":"1.5.2"', '"version":"1.6.0"'), encoding="utf-8")
    _refused(bundle, r"^the index is of Pagefind 1\.6\.0, the rewrite knows the format of Pagefind 1\.5\.2 only$")


def test_a_word_chunk_of_an_unknown_layout_leaves_the_bundle_as_pagefind_wrote_it(tmp_path):
    bundle = _snapshot_bundle(tmp_path)
    chunk = next((bundle / "index").iterdir())
    chunk.write_bytes(gzip.compress(SIGNATURE + cbor2.dumps({"words": [["tax", [[0, [1], []]]]]}), mtime=0))
    _refused(bundle, rf"^{chunk.name} is not \[words\], not the index layout of Pagefind 1\.5\.2$")


def test_a_filter_of_an_unknown_layout_leaves_the_bundle_as_pagefind_wrote_it(tmp_path):
    # read after the word chunks were written beside the old ones: those are taken away again
    bundle = _snapshot_bundle(tmp_path)
    for path in (bundle / "filter").iterdir():
        path.write_bytes(gzip.compress(SIGNATURE + cbor2.dumps(["year", {"2021": [0]}]), mtime=0))
    _refused(bundle, r"^filter topic is not \[filter, \[value, pages\]\], not the index layout of Pagefind 1\.5\.2$")


def test_metadata_of_an_unknown_layout_leaves_the_bundle_as_pagefind_wrote_it(tmp_path):
    bundle = _snapshot_bundle(tmp_path)
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    path = bundle / f"pagefind.{entry['languages']['zh']['hash']}.pf_meta"
    meta = _read(path)
    path.write_bytes(gzip.compress(SIGNATURE + cbor2.dumps(meta + [["a new field"]]), mtime=0))
    _refused(bundle, r"^the metadata is not \[1\.5\.2, pages, chunks, filters, sorts, fields\], not the index layout of "
                     r"Pagefind 1\.5\.2$")


def test_a_missing_fragment_leaves_the_bundle_as_pagefind_wrote_it(tmp_path):
    bundle = _snapshot_bundle(tmp_path)
    gone = next((bundle / "fragment").iterdir())
    gone.unlink()
    _refused(bundle, rf"^{gone.name} is missing, not the index layout of Pagefind 1\.5\.2$")
