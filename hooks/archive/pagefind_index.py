"""Pagefind's word index, compacted and re-chunked after Pagefind has written it.

Pagefind stores every position of every word on every page, in chunks of about 20,000
positions. A query for a common word then fetches, decodes and scores every occurrence of
it in the archive, with the other words of its chunk: at 10,000 reports of 20,000
characters, about a megabyte of index per query.

Ranking needs only the weighted count of a word on a page (its BM25 term frequency) and an
excerpt only the positions it shows. So a page keeps the positions of a word that fall in
the excerpt around its first occurrence, and carries the count in their weights (Pagefind
weights go up to 255, and 24 is one plain occurrence; a word that needs more weight keeps
more positions). The count is capped at three full weights, about 32 plain occurrences:
BM25's term frequency has saturated there (with Pagefind's k1 = 1.4, 32 and 100 occurrences
score within 3 to 5% of each other), and a word used a hundred times in every report would
otherwise keep a dozen positions per report. Results and filters are unchanged, ranking only
among pages that use a word more than 32 times; an excerpt shows the first occurrence with
every term marked.

Then the words are chunked again: a word with many postings gets a chunk of its own, so that
a query for it fetches nothing else, and small words are packed together so that the chunk
list every page loads stays short. New chunks are named by a hash of their content, as
Pagefind names them, so browser caches stay right.

The indexer's Chinese words are also written out, grouped by their first character
(``write_vocabulary``), so that the browser can cut a query into the same words: the
browser's own dictionary cuts 留抵退税 as 留 抵 退 税 and 生产力 as one word, where the
indexer may have 留抵 退税 and 生产 力.

Only the index format of the pinned Pagefind is rewritten; another version is refused with
a message rather than guessed at.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import math
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import cbor2

FORMAT_VERSIONS = ("1.5.2",)     # Pagefind versions whose index layout this module knows
SIGNATURE = b"pagefind_dcd"      # the first bytes of every decompressed Pagefind file
PLAIN_WEIGHT = 24                # the weight of one occurrence in body text
MAX_WEIGHT = 255
SATURATED = 3 * MAX_WEIGHT       # the most weight a word carries on a page: ~32 occurrences
EXCERPT_WORDS = 24               # words in a result's excerpt: the search worker's excerptLength
OWN_CHUNK_BYTES = 8_000          # a word this large (CBOR, before gzip) gets a chunk of its own
PACK_BYTES = 40_000              # smaller words are packed into chunks of about this size


class IndexFormatError(RuntimeError):
    """The bundle was written by a Pagefind this module does not know."""


@dataclass(frozen=True)
class Compaction:
    chunks_before: int
    chunks_after: int
    bytes_before: int
    bytes_after: int
    words: frozenset[str]        # the indexed words that begin with a Chinese character


def is_han(character: str) -> bool:
    return "\u3400" <= character <= "\u4dbf" or "\u4e00" <= character <= "\u9fff"


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


def compact_locations(locations: list[int], window: int = EXCERPT_WORDS) -> list[int]:
    """The positions of a word on a page within ``window`` words of its first, and as many
    more as its weight needs, weighted so that their sum is the page's weighted count of the
    word, up to ``SATURATED``."""
    pairs = sorted(decode_locations(locations))
    if not pairs:
        return locations
    whole = sum(weight for _, weight in pairs)
    total = min(whole, SATURATED)
    needed = math.ceil(total / MAX_WEIGHT)
    first = pairs[0][0]
    kept = sorted({position for position, _ in pairs[:needed]}
                  | {position for position, _ in pairs if position < first + window})
    if len(kept) == len(pairs) and total == whole:
        return locations
    share, rest = divmod(total, len(kept))
    return encode_locations([(position, share + (i < rest)) for i, position in enumerate(kept)])


def _compact_pages(pages: list[list]) -> None:
    for page in pages:  # [page number, locations, meta locations]
        page[1] = compact_locations(page[1])


def _read(path: Path) -> object:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise IndexFormatError(f"{path} is not a Pagefind file")
    return cbor2.loads(raw[len(SIGNATURE):])


def _write(path: Path, cbor: bytes) -> int:
    compressed = gzip.compress(SIGNATURE + cbor, compresslevel=6, mtime=0)
    path.write_bytes(compressed)
    return len(compressed)


def compacted_words(path: str) -> list[tuple[str, bytes]]:
    """The words of one ``.pf_index`` chunk in order, compacted, each encoded on its own."""
    words = _read(Path(path))[0]
    for word in words:  # [word, pages, additional variants: [form, pages]]
        _compact_pages(word[1])
        for variant in word[2] if len(word) > 2 else ():
            _compact_pages(variant[1])
    return [(word[0], cbor2.dumps(word)) for word in words]


def pack(words: Iterable[tuple[str, bytes]], own: int = OWN_CHUNK_BYTES,
         size: int = PACK_BYTES) -> Iterator[list[tuple[str, bytes]]]:
    """Chunks of words in index order: a large word alone, small neighbours together."""
    chunk, filled = [], 0
    for word in words:
        if len(word[1]) >= own:
            if chunk:
                yield chunk
            chunk, filled = [], 0
            yield [word]
            continue
        chunk.append(word)
        filled += len(word[1])
        if filled >= size:
            yield chunk
            chunk, filled = [], 0
    if chunk:
        yield chunk


def chunk_ranges(bounds: list[tuple[str, str]]) -> list[list[str]]:
    """Pagefind's [from, to] of each chunk, given its first and last word. A query term is
    looked up in the first chunk with from <= term <= to. ``from`` is cut to one character
    past the prefix it shares with the chunk before, so that a term typed halfway (营商环)
    finds the chunk of its words (营商环境). Pagefind's indexer cuts ``to`` the same way,
    which puts the last words of a chunk (banana in apricot … banana, "to" b) outside its
    range, and a query for one of them with other terms drops it; ``to`` stays whole here."""
    ranges = [[first, last] for first, last in bounds]
    for before, after in zip(ranges, ranges[1:]):
        after[0] = after[0][:len(os.path.commonprefix([before[1], after[0]])) + 1]
    return ranges


def _cbor_array(items: list[bytes]) -> bytes:
    """A CBOR array of items already encoded (major type 4)."""
    n = len(items)
    if n < 24:
        head = bytes([0x80 | n])
    elif n < 1 << 8:
        head = bytes([0x98, n])
    elif n < 1 << 16:
        head = b"\x99" + n.to_bytes(2, "big")
    else:
        head = b"\x9a" + n.to_bytes(4, "big")
    return head + b"".join(items)


def _name(lang: str, content: bytes, taken: set[str], length: int = 7) -> str:
    digest = hashlib.sha256(content).hexdigest()
    while f"{lang}_{digest[:length]}" in taken:
        length += 1
    name = f"{lang}_{digest[:length]}"
    taken.add(name)
    return name


def compact_bundle(bundle: str, workers: int | None = None, own: int = OWN_CHUNK_BYTES,
                   size: int = PACK_BYTES) -> Compaction:
    """Compact and re-chunk the word index of one Pagefind bundle (on all cores), then point
    its metadata and entry file at the new chunks."""
    folder = Path(bundle)
    entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    if entry.get("version") not in FORMAT_VERSIONS:
        raise IndexFormatError(
            f"Pagefind {entry.get('version')} wrote {bundle}, but the index compaction knows the format of "
            f"Pagefind {', '.join(FORMAT_VERSIONS)} only — install the version pinned in requirements.txt, "
            "or check hooks/archive/pagefind_index.py against the new format")
    before = after = chunks_before = chunks_after = 0
    vocabulary: set[str] = set()
    for lang, language in entry["languages"].items():
        meta_path = folder / f"pagefind.{language['hash']}.pf_meta"
        meta = _read(meta_path)  # [version, pages, index chunks: [from, to, name], filters, sorts, …]
        old = [folder / "index" / f"{name}.pf_index" for _, _, name in meta[2]]
        before += sum(path.stat().st_size for path in old)
        taken: set[str] = set()
        bounds, names = [], []
        with ProcessPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
            words = (word for chunk in pool.map(compacted_words, map(str, old), chunksize=16) for word in chunk)
            for chunk in pack(words, own, size):
                cbor = b"\x81" + _cbor_array([encoded for _, encoded in chunk])  # [words]
                name = _name(lang, cbor, taken)
                after += _write(folder / "index" / f"{name}.pf_index.tmp", cbor)
                bounds.append((chunk[0][0], chunk[-1][0]))
                names.append(name)
                vocabulary.update(word for word, _ in chunk if is_han(word[0]))
        for path in old:
            path.unlink()
        for name in names:
            os.replace(folder / "index" / f"{name}.pf_index.tmp", folder / "index" / f"{name}.pf_index")
        meta[2] = [[start, end, name] for (start, end), name in zip(chunk_ranges(bounds), names)]
        cbor = cbor2.dumps(meta)
        language["hash"] = _name(lang, cbor, set(), 10)
        _write(folder / f"pagefind.{language['hash']}.pf_meta", cbor)
        if meta_path.name != f"pagefind.{language['hash']}.pf_meta":
            meta_path.unlink()
        chunks_before, chunks_after = chunks_before + len(old), chunks_after + len(names)
    (folder / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                                                encoding="utf-8")
    return Compaction(chunks_before, chunks_after, before, after, frozenset(vocabulary))


def write_vocabulary(folder: str, words: Iterable[str]) -> int:
    """One JSON list per first character (``<code point in hex>.json``) of the words that
    begin with it; the number of files. The search worker fetches the lists of the
    characters of a query, a few hundred bytes each."""
    by_first: dict[str, list[str]] = {}
    for word in sorted(set(words)):
        by_first.setdefault(word[0], []).append(word)
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    for first, group in by_first.items():
        (target / f"{ord(first):x}.json").write_text(json.dumps(group, ensure_ascii=False, separators=(",", ":")),
                                                    encoding="utf-8")
    return len(by_first)
