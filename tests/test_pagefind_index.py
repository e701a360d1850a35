"""Compacting Pagefind's word index (hooks/archive/pagefind_index.py)."""
from __future__ import annotations

import gzip
import json
import subprocess

import cbor2
import pytest

from archive.pagefind_index import (SIGNATURE, IndexFormatError, chunk_ranges, compact_bundle, compact_locations,
                                    decode_locations, encode_locations, is_han, pack,
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


def test_a_bundle_is_compacted_and_rechunked_and_every_word_is_found_where_pagefind_looks(tmp_path):
    text = " ".join(f"word{n}" for n in range(300))
    bundle = _bundle(tmp_path, {"often": "tax " * 60 + "refund " + text, "once": "tax refund", "other": text})
    files_before = sorted(p.name for p in bundle.rglob("*") if p.is_file())
    before = _words(bundle)
    assert len(decode_locations(before["tax"][0][1])) + len(decode_locations(before["tax"][1][1])) == 61

    result = compact_bundle(str(bundle), workers=1, own=40, size=200)

    after = _words(bundle)
    assert sorted(after) == sorted(before)
    for page_before, page_after in zip(before["tax"], after["tax"]):
        assert page_after[0] == page_before[0]  # the same pages
        weights_before = sum(w for _, w in decode_locations(page_before[1]))
        assert sum(w for _, w in decode_locations(page_after[1])) == min(weights_before, 3 * 255)
    # the 24 positions an excerpt from the first shows (more than the ⌈60 × 24 / 255⌉ = 6 the weight needs)
    assert sorted(len(decode_locations(page[1])) for page in after["tax"]) == [1, 24]
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
    with pytest.raises(IndexFormatError, match=r"Pagefind 9\.0\.0 wrote .* knows the format of Pagefind 1\.5\.2 only"):
        compact_bundle(str(tmp_path))


def test_the_vocabulary_is_one_sorted_list_per_first_character(tmp_path):
    assert write_vocabulary(str(tmp_path / "words"), ["退税", "留抵", "留", "退税", "留抵退税"]) == 2
    assert json.loads((tmp_path / "words" / f"{ord('留'):x}.json").read_text(encoding="utf-8")) == ["留", "留抵", "留抵退税"]
    assert json.loads((tmp_path / "words" / f"{ord('退'):x}.json").read_text(encoding="utf-8")) == ["退税"]
    assert is_han("税") and is_han("㐀") and not is_han("t") and not is_han("2")


def test_a_bundles_chinese_words_come_back_from_its_compaction(tmp_path):
    bundle = _bundle(tmp_path, {"tax": "留抵退税 政策 tax"})
    words = compact_bundle(str(bundle), workers=1).words
    assert "政策" in words and "tax" not in words
