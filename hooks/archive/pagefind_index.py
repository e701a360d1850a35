"""Pagefind's word index, compacted after Pagefind has written it.

Pagefind stores every position of every word on every page. A query for a common word
then fetches, decodes and scores every occurrence of it in the archive: at 10,000 reports
of 20,000 characters, about a megabyte of index per query. Ranking needs only the weighted
count of a word on a page (its BM25 term frequency) and an excerpt only a few positions,
so each page keeps its first positions of a word and carries the whole count in their
weights: Pagefind weights go up to 255, and 24 is one plain occurrence. Results, ranking
and filters are unchanged; excerpts mark the first occurrences.

A chunk keeps its file name: the rewrite is a function of the content Pagefind hashed into
that name, so browser caches stay right. Only the index format of the pinned Pagefind is
rewritten; another version is refused with a message rather than guessed at.
"""
from __future__ import annotations

import gzip
import json
import math
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import cbor2

FORMAT_VERSIONS = ("1.5.2",)     # Pagefind versions whose index layout this module knows
SIGNATURE = b"pagefind_dcd"      # the first bytes of every decompressed Pagefind file
PLAIN_WEIGHT = 24                # the weight of one occurrence in body text
MAX_WEIGHT = 255
KEEP = 3                         # positions kept per word and page, at least, for excerpts


class IndexFormatError(RuntimeError):
    """The bundle was written by a Pagefind this module does not know."""


@dataclass(frozen=True)
class Compaction:
    chunks: int
    bytes_before: int
    bytes_after: int


def decode_locations(locations: list[int]) -> list[tuple[int, int]]:
    """(position, weight) pairs from Pagefind's encoding: a negative number −(w+1) sets the
    weight w of the positions after it, the first of which is absolute and the rest deltas."""
    pairs, weight, last = [], PLAIN_WEIGHT, 0
    for value in locations:
        if value < 0:
            weight, last = min(-value - 1, MAX_WEIGHT), 0
        else:
            last += value
            pairs.append((last, weight))
    return pairs


def encode_locations(pairs: list[tuple[int, int]]) -> list[int]:
    runs: dict[int, list[int]] = {}
    for position, weight in sorted(pairs):
        runs.setdefault(weight, []).append(position)
    encoded = []
    for weight, positions in runs.items():
        encoded.append(-(weight + 1))
        previous = 0
        for position in positions:
            encoded.append(position - previous)
            previous = position
    return encoded


def compact_locations(locations: list[int], keep: int = KEEP) -> list[int]:
    """The first positions of a word on a page, weighted so that their sum is the page's
    whole weighted count of the word."""
    pairs = decode_locations(locations)
    total = sum(weight for _, weight in pairs)
    needed = max(keep, math.ceil(total / MAX_WEIGHT))
    if len(pairs) <= needed:
        return locations
    first = sorted(pairs)[:needed]
    share, rest = divmod(total, needed)
    return encode_locations([(position, share + (i < rest)) for i, (position, _) in enumerate(first)])


def _compact_pages(pages: list[list]) -> None:
    for page in pages:  # [page number delta, locations, meta locations]
        page[1] = compact_locations(page[1])


def compact_chunk(path: str) -> tuple[int, int]:
    """Rewrite one ``.pf_index`` file in place; its compressed size before and after."""
    compressed = Path(path).read_bytes()
    raw = gzip.decompress(compressed)
    if not raw.startswith(SIGNATURE):
        raise IndexFormatError(f"{path} is not a Pagefind index chunk")
    words = cbor2.loads(raw[len(SIGNATURE):])[0]
    for word in words:  # [word, pages, additional variants: [form, pages]]
        _compact_pages(word[1])
        for variant in word[2] if len(word) > 2 else ():
            _compact_pages(variant[1])
    rewritten = gzip.compress(SIGNATURE + cbor2.dumps([words]), compresslevel=6, mtime=0)
    temporary = f"{path}.tmp"
    Path(temporary).write_bytes(rewritten)
    os.replace(temporary, path)
    return len(compressed), len(rewritten)


def compact_bundle(bundle: str, workers: int | None = None) -> Compaction:
    """Compact every index chunk of one Pagefind bundle, on all cores."""
    entry = json.loads((Path(bundle) / "pagefind-entry.json").read_text(encoding="utf-8"))
    if entry.get("version") not in FORMAT_VERSIONS:
        raise IndexFormatError(
            f"Pagefind {entry.get('version')} wrote {bundle}, but the index compaction knows the format of "
            f"Pagefind {', '.join(FORMAT_VERSIONS)} only — install the version pinned in requirements.txt, "
            "or check hooks/archive/pagefind_index.py against the new format")
    chunks = sorted(str(path) for path in (Path(bundle) / "index").glob("*.pf_index"))
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
        sizes = list(pool.map(compact_chunk, chunks, chunksize=16))
    return Compaction(len(chunks), sum(b for b, _ in sizes), sum(a for _, a in sizes))
