"""Compacting Pagefind's word index (hooks/archive/pagefind_index.py)."""
from __future__ import annotations

import gzip
import json
import subprocess

import cbor2
import pytest

from archive.pagefind_index import (IndexFormatError, compact_bundle, compact_locations, decode_locations,
                                    encode_locations)
from archive.search import pagefind_executable


def test_locations_decode_weight_runs_of_deltas():
    # weight 24 (marker −25) at 3, 10, 12; weight 144 (a heading, marker −145) at 0
    assert decode_locations([-25, 3, 7, 2, -145, 0]) == [(3, 24), (10, 24), (12, 24), (0, 144)]
    # runs are written in the order of their first position
    assert encode_locations([(3, 24), (10, 24), (12, 24), (0, 144)]) == [-145, 0, -25, 3, 7, 2]


def test_a_frequent_word_keeps_its_first_positions_and_its_whole_weight():
    fifty = [-25, 100] + [10] * 49  # 50 plain occurrences at 100, 110 … 590: weight 1200
    compacted = decode_locations(compact_locations(fifty))
    assert [position for position, _ in compacted] == [100, 110, 120, 130, 140]  # ⌈1200 / 255⌉ = 5
    assert sum(weight for _, weight in compacted) == 50 * 24
    assert all(weight <= 255 for _, weight in compacted)


def test_a_few_occurrences_are_kept_as_they_are():
    assert compact_locations([-25, 5, 5, 5]) == [-25, 5, 5, 5]
    assert compact_locations([]) == []


def test_weights_of_headings_count_where_they_were():
    heading_and_body = [-145, 2, -25, 40, 5, 5, 5, 5]  # a heading word at 2, then the body 40 … 60
    compacted = decode_locations(compact_locations(heading_and_body))
    assert [position for position, _ in compacted] == [2, 40, 45]
    assert sum(weight for _, weight in compacted) == 144 + 5 * 24


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


def _words(bundle) -> dict[str, list]:
    words = {}
    for chunk in (bundle / "index").glob("*.pf_index"):
        raw = gzip.decompress(chunk.read_bytes())
        for word in cbor2.loads(raw[len(b"pagefind_dcd"):])[0]:
            words[word[0]] = word[1]
    return words


def test_a_bundle_is_compacted_in_place_and_keeps_its_file_names(tmp_path):
    bundle = _bundle(tmp_path, {"often": "tax " * 60 + "refund", "once": "tax refund"})
    names = sorted(p.name for p in (bundle / "index").iterdir())
    before = _words(bundle)
    assert len(decode_locations(before["tax"][0][1])) + len(decode_locations(before["tax"][1][1])) == 61

    result = compact_bundle(str(bundle), workers=1)

    assert sorted(p.name for p in (bundle / "index").iterdir()) == names
    assert result.chunks == len(names) and result.bytes_after < result.bytes_before
    after = _words(bundle)
    for page_before, page_after in zip(before["tax"], after["tax"]):
        assert page_after[0] == page_before[0]  # the same pages
        weights_before = sum(w for _, w in decode_locations(page_before[1]))
        assert sum(w for _, w in decode_locations(page_after[1])) == weights_before
    assert sorted(len(decode_locations(page[1])) for page in after["tax"]) == [1, 6]  # ⌈60 × 24 / 255⌉
    assert after["refund"] == before["refund"]


def test_an_index_written_by_another_pagefind_is_refused(tmp_path):
    (tmp_path / "pagefind-entry.json").write_text(json.dumps({"version": "9.0.0"}), encoding="utf-8")
    with pytest.raises(IndexFormatError, match=r"Pagefind 9\.0\.0 wrote .* knows the format of Pagefind 1\.5\.2 only"):
        compact_bundle(str(tmp_path))
