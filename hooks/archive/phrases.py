"""The phrase index: which pages contain a term, exactly, at any scale (issue 11).

Pagefind matches the words its indexer cut a text into, each as a prefix: 新质生产力 becomes
新 质 生产 力 and finds every report with those four anywhere, 非典 finds 非典型. This index
answers "which pages contain this string" instead, from short character pieces of the
text, so that a quoted query gets exactly the reports that contain it, and an unquoted
one can rank those first.

**Normalised text** (``normalise``; the search worker has a JS copy that must stay the
same): format characters deleted (Unicode Cf: Pagefind puts a U+200B between the words it
segmented, 空气\\u200b质量), NFKC, lower case, every run of characters that are not
letters or numbers one space, stripped. “双碳”目标 → ``双碳 目标``, ＡＢＣ → ``abc``.

**Grams.** A page holds every substring of length 1, 2 and 3 of its normalised text
(spaces included, for English phrases). A term of L ≤ 3 characters is looked up as
itself; a longer one as its L − 2 trigrams, and a page matches when it holds them all.

**Why trigrams.** On ../shared/corpus/provincial-2026 (31 reports, 610,000 characters) and
37 terms (those of tests/test_search_recall.py and of issue 11), the pages holding every
trigram of a term are exactly the pages containing it, for every term; with bigrams 8 of
the 37 over-match (低空经济: 23 pages for 22, 两个确保: 28 for 0). tests/test_phrases.py
asserts both on that corpus.

**What is exact.** For L ≤ 3 the page set is the substring truth of the normalised text,
by construction. For L > 3 it can only over-match: a page would need every 3-character
piece of the term without the term itself; the worker checks the text of every result it
shows, so what is shown is exact (precision 1.0, recall 1.0 against the normalised text).

**What it costs** (tests/benchmarks/phrase_bench.py, on 2 busy cores): a page of C
characters has at most 3C grams (25,000 distinct in a 20,000-character report), so 10,000
such reports make 250 million postings; written in 140 s, 134 MB in 65,537 files, with
227 MB for the process that reads the pages and 189 MB for each worker (1,000 reports of
3,000 characters: 8 s, 6.6 MB). A gram's pages are delta varints, or a bitmap of N bits
when that is smaller (a gram in most pages costs 1 bit a page). A query fetches the manifest
once (51 KB at 10,000 reports: 302 KB of JSON, stored gzip), then one bucket per gram of each term: 5 KB
(at most 21 KB) a term.

**Memory.** The postings are not kept in memory (as Python lists, 2 GB at that scale, and
growing with the archive): each page's grams are computed with numpy (a gram is one int64, its three code points
in 21 bits each) and spilled to a temporary file in parts by hash; then each group of
buckets is read back, sorted and encoded on its own, in a worker process. Peak memory is
one spill buffer (``SPILL_POSTINGS``) in the reading process and one group in each worker,
whatever the number of pages. numpy does the per-gram arithmetic: a Python loop only
collecting the grams of 250 million postings takes 10 minutes (measured on 100 reports).

**Files** (``search/phrases/<lang>/``): ``grams/<bucket hex, ≥ 4 digits>.bin``, gzip (mtime
0) of the entries of the grams whose FNV-1a 32 hash mod B is the bucket, sorted by UTF-8
bytes; an entry is ``varint(len(gram)) gram varint(count*2 + kind) payload`` with kind 0 the
page ids as LEB128 varints (first absolute, then deltas) and kind 1 a bitmap of ceil(N/8)
bytes, LSB first. ``index.bin``, gzip of JSON (written last: the worker uses the index only
if it is there) holds N, B, the shards' page counts, each page's fragment id and date, and a bitmap
per filter value; a translation's index also ``originals`` (each page's id in the default language's
index, −1 for none), so that its site shows the translation of a report found in the original's text.
Every list is sorted: two builds are byte-identical.
"""
from __future__ import annotations

import base64
import gzip
import json
import os
import shutil
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

FOLDER = "phrases"          # under the site's search folder: search/phrases/<lang>/
MANIFEST = "index.bin"       # gzip of the JSON manifest (a server need not compress it; 51 KB, not 302, at 10,000 reports)
GRAMS = "grams"
FORMAT = 1
GRAM = 3                    # the longest gram: a longer term is looked up by its trigrams
BUCKET_POSTINGS = 4_096     # a bucket holds about this many postings
NOT_FACETS = ("shard",)     # filters that are not facets: the manifest's "shards" says which pages a shard holds
FNV_BASIS, FNV_PRIME = 2_166_136_261, 16_777_619
SPILL_PARTS = 256           # parts of the spilled postings, by hash: a worker encodes one at a time
SPILL_POSTINGS = 4_000_000  # postings kept in memory before they are spilled (~100 MB with the sort)
_BITS, _MASK = 21, (1 << 21) - 1   # a code point fits in 21 bits: a trigram in one int64


@dataclass(frozen=True)
class Page:
    """One page of the index, in page-id order."""

    fragment: str                                   # Pagefind's result id
    text: str                                       # the text searched: the fragment's content
    date: str = ""                                  # what the search page sorts by
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    original: int = -1                              # the page id of the same report in the ``originals_of`` index


@dataclass(frozen=True)
class PhraseStats:
    pages: int
    postings: int
    grams: int
    buckets: int
    bytes: int              # the gram files, as stored (gzip)
    manifest_bytes: int     # index.bin, as stored
    files: int


# --- normalised text -------------------------------------------------------------

@dataclass(frozen=True)
class _Tables:
    """Per code point, from the Unicode database of this Python (built once: about a second, 3 MB)."""

    formats: np.ndarray   # category Cf: deleted
    words: np.ndarray     # categories L* and N*: kept; the others are separators
    stable: np.ndarray    # a starter NFKC leaves as it is and never joins to the character before


@cache
def _tables() -> _Tables:
    chars = [chr(code) for code in range(sys.maxunicode + 1)]
    categories = list(map(unicodedata.category, chars))
    seconds = {0x1161 + n for n in range(21)} | {0x11A8 + n for n in range(27)}   # Hangul V and T jamo
    for decomposition in map(unicodedata.decomposition, chars):
        parts = decomposition.split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(int(parts[1], 16))      # the second of a canonical pair: composes with what precedes it
    stable = np.array([not unicodedata.combining(char) and unicodedata.is_normalized("NFKC", char) for char in chars])
    stable[list(seconds)] = False
    return _Tables(formats=np.array([category == "Cf" for category in categories]),
                   words=np.array([category[0] in "LN" for category in categories]), stable=stable)


def _text(codes: np.ndarray) -> str:
    return codes.astype("<u4").tobytes().decode("utf-32-le", "surrogatepass")


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.int64)


def _nfkc(codes: np.ndarray, stable: np.ndarray) -> str:
    """NFKC of the text, computed on the runs of characters it may change only, each with
    the stable character before it (a mark composes with it): about a tenth of a Chinese
    text (its ，：；（）), 5 times faster than the whole. Exact: a stable character is a
    starter NFKC leaves alone that composes with nothing before it, so NFKC works on the
    pieces between such characters independently (tests/test_phrases.py checks it against
    the whole text's NFKC)."""
    text = _text(codes)
    unstable = ~stable[codes]
    if not unstable.any():
        return text
    edges = np.flatnonzero(np.diff(np.concatenate(([0], unstable.astype(np.int8), [0]))))
    starts, ends = np.maximum(edges[0::2] - 1, 0).tolist(), edges[1::2].tolist()
    runs = [text[start:end] for start, end in zip(starts, ends)]
    # one call for all the runs, apart by a control character NFKC leaves alone and never makes
    sentinel = next((char for char in map(chr, range(1, 32)) if char not in text), None)
    done = unicodedata.normalize("NFKC", sentinel.join(runs)).split(sentinel) if sentinel else []
    if len(done) != len(runs):
        done = [unicodedata.normalize("NFKC", run) for run in runs]
    pieces, last = [], 0
    for start, end, piece in zip(starts, ends, done):
        pieces += [text[last:start], piece]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _normalised_codes(text: str) -> np.ndarray:
    tables = _tables()
    codes = _codes(text)
    codes = _codes(_nfkc(codes[~tables.formats[codes]], tables.stable).lower())
    separator = ~tables.words[codes]
    kept = ~(separator & np.concatenate(([True], separator[:-1])))   # the first of a run, none at the start
    codes = np.where(separator, 0x20, codes)[kept]
    return codes[:-1] if len(codes) and codes[-1] == 0x20 else codes


def normalise(text: str) -> str:
    """The text as the phrase index sees it (the search worker's ``normalise`` is its copy):
    format characters (Unicode Cf) deleted, NFKC, lower case, every run of characters that
    are neither letters nor numbers (L*, N*) one space, stripped. Computed with numpy and
    tables of the Unicode database (this is run on every character of every report)."""
    return _text(_normalised_codes(text))


def page_grams(text: str) -> set[str]:
    """Every gram of a page: the substrings of 1 to 3 characters of its normalised text."""
    text = normalise(text)
    return {text[i:i + n] for n in range(1, GRAM + 1) for i in range(len(text) - n + 1)}


def term_grams(term: str) -> list[str]:
    """The grams a page must hold to contain ``term``: the normalised term itself if it has
    at most 3 characters, else its trigrams (each once, in order); [] for a term with no
    letter or number."""
    term = normalise(term)
    if len(term) <= GRAM:
        return [term] if term else []
    return list(dict.fromkeys(term[i:i + GRAM] for i in range(len(term) - GRAM + 1)))


# --- buckets and encoding --------------------------------------------------------

def fnv1a(data: bytes) -> int:
    """FNV-1a, 32 bits."""
    value = FNV_BASIS
    for byte in data:
        value = ((value ^ byte) * FNV_PRIME) & 0xFFFFFFFF
    return value


def bucket_count(postings: int) -> int:
    """B: the smallest power of two with at most ``BUCKET_POSTINGS`` postings a bucket on average."""
    count = 1
    while count * BUCKET_POSTINGS < postings:
        count *= 2
    return count


def bucket_of(gram: str, buckets: int) -> int:
    return fnv1a(gram.encode("utf-8")) % buckets


def bucket_file(bucket: int) -> str:
    """The bucket's file under the index folder: at least 4 hex digits."""
    return f"{GRAMS}/{bucket:04x}.bin"


def encode_varint(value: int) -> bytes:
    """Unsigned LEB128."""
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def decode_varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


def bitmap(pages: Iterable[int], count: int) -> bytes:
    """Bit i set for page i, least significant bit first, ceil(count/8) bytes."""
    out = bytearray((count + 7) // 8)
    for page in pages:
        out[page >> 3] |= 1 << (page & 7)
    return bytes(out)


def bitmap_pages(data: bytes) -> list[int]:
    return [i * 8 + bit for i, byte in enumerate(data) if byte for bit in range(8) if byte >> bit & 1]


def encode_entry(gram: str, pages: Sequence[int], count: int) -> bytes:
    """One gram's entry (the reference the vectorised writer is tested against): the page
    ids as delta varints, or a bitmap when that is smaller."""
    ids = b"".join(encode_varint(page - previous) for previous, page in zip([0, *pages], pages))
    bits = (count + 7) // 8
    kind, payload = (1, bitmap(pages, count)) if bits < len(ids) else (0, ids)
    name = gram.encode("utf-8")
    return encode_varint(len(name)) + name + encode_varint(len(pages) * 2 + kind) + payload


def decode_entries(data: bytes, count: int) -> Iterator[tuple[str, list[int]]]:
    """The (gram, page ids) of a bucket's decompressed bytes, in order."""
    pos, bits = 0, (count + 7) // 8
    while pos < len(data):
        length, pos = decode_varint(data, pos)
        gram, pos = data[pos:pos + length].decode("utf-8"), pos + length
        header, pos = decode_varint(data, pos)
        if header & 1:
            pages, pos = bitmap_pages(data[pos:pos + bits]), pos + bits
        else:
            pages, page = [], 0
            for _ in range(header >> 1):
                delta, pos = decode_varint(data, pos)
                page += delta
                pages.append(page)
        yield gram, pages


# --- the vectorised side: grams as int64 keys ------------------------------------

def _varint_lengths(values: np.ndarray) -> np.ndarray:
    lengths = np.ones(len(values), dtype=np.int64)
    for shift in (7, 14, 21, 28, 35):
        lengths += values >= (1 << shift)
    return lengths


def _put_varints(out: np.ndarray, positions: np.ndarray, values: np.ndarray, lengths: np.ndarray) -> None:
    for k in range(int(lengths.max(initial=0))):
        on = lengths > k
        byte = (values[on] >> (7 * k)) & 0x7F
        out[positions[on] + k] = byte | np.where(lengths[on] > k + 1, 0x80, 0)


def _utf8_lengths(codes: np.ndarray) -> np.ndarray:
    return 1 + (codes >= 0x80).astype(np.int64) + (codes >= 0x800) + (codes >= 0x10000)


def _utf8_byte(codes: np.ndarray, lengths: np.ndarray, k: int) -> np.ndarray:
    """Byte k of each code point's UTF-8 (where k < its length)."""
    shift = np.maximum(6 * (lengths - 1 - k), 0)
    if k == 0:
        return np.array([0, 0, 0xC0, 0xE0, 0xF0])[lengths] | (codes >> shift)
    return 0x80 | ((codes >> shift) & 0x3F)


def _utf8_bytes(codes: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """Each code point's UTF-8 length and bytes 0..3 (as uint32, 0 past its length)."""
    lengths = _utf8_lengths(codes)
    return lengths, [np.where(lengths > k, _utf8_byte(codes, lengths, k), 0).astype(np.uint32) for k in range(4)]


def _fold(hashes: np.ndarray, lengths: np.ndarray, utf8: list[np.ndarray]) -> np.ndarray:
    """FNV-1a continued over one code point's UTF-8 bytes each (uint32 arithmetic wraps).
    A step every code point takes (all Chinese text: 3 bytes) needs no mask."""
    shortest, longest = int(lengths.min(initial=4)), int(lengths.max(initial=0))
    for k in range(longest):
        stepped = (hashes ^ utf8[k]) * np.uint32(FNV_PRIME)
        hashes = stepped if k < shortest else np.where(lengths > k, stepped, hashes)
    return hashes


def _split(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A key's code points; 0 where the gram is shorter (U+0000 is never in normalised text)."""
    return keys >> (2 * _BITS), (keys >> _BITS) & _MASK, keys & _MASK


def _key_hashes(keys: np.ndarray) -> np.ndarray:
    """FNV-1a 32 of each gram's UTF-8 bytes."""
    hashes = np.full(len(keys), FNV_BASIS, dtype=np.uint32)
    for codes in _split(keys):
        hashes = np.where(codes > 0, _fold(hashes, *_utf8_bytes(codes)), hashes)
    return hashes


def gram_keys(normalised: str) -> tuple[np.ndarray, np.ndarray]:
    """The distinct grams of a normalised text as sorted int64 keys (code points c0 c1 c2
    in 21 bits each, 0 where shorter: key order is UTF-8 byte order), and their FNV-1a hashes."""
    return _gram_keys(_codes(normalised))


def _gram_keys(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = len(codes)
    if not n:
        return np.empty(0, np.int64), np.empty(0, np.uint32)
    lengths, utf8 = _utf8_bytes(codes)
    previous = _fold(np.full(n, FNV_BASIS, dtype=np.uint32), lengths, utf8)
    keys, hashes = [codes << (2 * _BITS)], [previous]
    for length in range(2, min(GRAM, n) + 1):
        keys.append(keys[-1][:-1] | (codes[length - 1:] << (_BITS * (GRAM - length))))
        previous = _fold(previous[:-1], lengths[length - 1:], [part[length - 1:] for part in utf8])
        hashes.append(previous)
    keys_, hashes_ = np.concatenate(keys), np.concatenate(hashes)
    order = np.argsort(keys_)               # np.unique is several times slower
    keys_, hashes_ = keys_[order], hashes_[order]
    first = np.concatenate(([True], keys_[1:] != keys_[:-1]))
    return keys_[first], hashes_[first]


def _encode(keys: np.ndarray, pages: np.ndarray, count: int, buckets: int
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The entries of these postings (every posting of each of their grams), in bucket then
    gram order: the bytes, each gram's bucket and each gram's end offset."""
    # a gram's pages, in order, by sorting one int64 per posting: its gram's rank in (bucket, key) order, then page
    order = np.argsort(keys)
    ranked = keys[order]
    first = np.concatenate(([True], ranked[1:] != ranked[:-1]))
    grams = ranked[first]
    inverse = np.empty(len(keys), np.int64)
    inverse[order] = np.cumsum(first) - 1
    gram_buckets = (_key_hashes(grams) & np.uint32(buckets - 1)).astype(np.int64)
    by_bucket = np.argsort(gram_buckets, kind="stable")          # grams by bucket, then by key
    grams, gram_buckets = grams[by_bucket], gram_buckets[by_bucket]
    rank = np.empty(len(grams), np.int64)
    rank[by_bucket] = np.arange(len(grams))
    postings = np.sort(rank[inverse] * count + pages)
    pages = postings % count
    counts = np.bincount(postings // count, minlength=len(grams))
    starts = np.cumsum(counts) - counts
    deltas = pages.copy()
    deltas[1:] -= pages[:-1]
    deltas[starts] = pages[starts]
    lengths = _varint_lengths(deltas)
    listed = np.add.reduceat(lengths, starts)
    bits = (count + 7) // 8
    kind = (bits < listed).astype(np.int64)
    header = counts * 2 + kind
    header_lengths = _varint_lengths(header)
    codes = _split(grams)
    code_lengths = [np.where(c > 0, _utf8_lengths(c), 0) for c in codes]
    name_lengths = sum(code_lengths)
    sizes = 1 + name_lengths + header_lengths + np.where(kind == 1, bits, listed)
    ends = np.cumsum(sizes)
    out = np.zeros(int(ends[-1]), dtype=np.uint8)
    position = ends - sizes
    out[position] = name_lengths
    position = position + 1
    for c, length in zip(codes, code_lengths):
        for k in range(4):
            on = length > k
            out[position[on] + k] = _utf8_byte(c[on], length[on], k)
        position = position + length
    _put_varints(out, position, header, header_lengths)
    position = position + header_lengths          # where each gram's payload begins
    gram = np.repeat(np.arange(len(grams)), counts)
    within = np.cumsum(lengths) - lengths
    within -= within[starts][gram]
    on = kind[gram] == 0
    _put_varints(out, (position[gram] + within)[on], deltas[on], lengths[on])
    on = ~on
    if on.any():
        at = position[gram[on]] + (pages[on] >> 3)            # ascending: pages ascend within a gram
        first = np.flatnonzero(np.concatenate(([True], at[1:] != at[:-1])))
        out[at[first]] = np.add.reduceat(np.left_shift(1, pages[on] & 7), first)
    return out, gram_buckets, ends


class _Spill:
    """Postings (gram key, page id) spilled to disk in parts by hash, so that each bucket's
    postings are in one part: bucket = hash mod B and part = hash mod SPILL_PARTS, both powers
    of two. One file of blocks (keys as int64, then pages as uint32), appended at each flush
    (opening a file costs more than writing it); ``blocks`` says where each part's are."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.blocks: dict[int, list[tuple[int, int]]] = {}   # part: [(offset, postings)]
        self.buffer: list[tuple[np.ndarray, np.ndarray, int]] = []
        self.buffered = 0

    def add(self, keys: np.ndarray, hashes: np.ndarray, page: int) -> None:
        self.buffer.append((keys, (hashes & np.uint32(SPILL_PARTS - 1)).astype(np.uint16), page))
        self.buffered += len(keys)
        if self.buffered >= SPILL_POSTINGS:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        keys = np.concatenate([keys for keys, _, _ in self.buffer])
        pages = np.repeat(np.array([page for _, _, page in self.buffer], dtype=np.uint32),
                          [len(keys) for keys, _, _ in self.buffer])
        parts = np.concatenate([part for _, part, _ in self.buffer])
        self.buffer, self.buffered = [], 0
        order = np.argsort(parts, kind="stable")   # a radix sort of 16-bit numbers
        keys, pages, parts = keys[order], pages[order], parts[order]
        bounds = np.searchsorted(parts, np.arange(SPILL_PARTS + 1)).tolist()
        with open(self.path, "ab") as handle:
            for part in range(SPILL_PARTS):
                lo, hi = bounds[part], bounds[part + 1]
                if lo < hi:
                    self.blocks.setdefault(part, []).append((handle.tell(), hi - lo))
                    handle.write(keys[lo:hi].tobytes() + pages[lo:hi].tobytes())

    def group(self, parts: Iterable[int]) -> list[tuple[int, int]]:
        return [block for part in parts for block in self.blocks.get(part, ())]


def _load(path: str, blocks: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    keys, pages = [np.empty(0, np.int64)], [np.empty(0, np.uint32)]
    if blocks:
        with open(path, "rb") as handle:
            for at, count in blocks:
                handle.seek(at)
                data = handle.read(12 * count)
                keys.append(np.frombuffer(data, np.int64, count))
                pages.append(np.frombuffer(data, np.uint32, count, 8 * count))
    return np.concatenate(keys), np.concatenate(pages).astype(np.int64)


def _write_group(wanted: list[int], spilled: str, blocks: list[tuple[int, int]], count: int, buckets: int,
                 target: str) -> tuple[int, int]:
    """Encode one group of buckets from its spilled postings and write their files, in a
    worker process: the number of grams and of bytes written."""
    keys, pages = _load(spilled, blocks)
    data, gram_buckets, ends = (_encode(keys, pages, count, buckets) if len(keys)
                                else (np.empty(0, np.uint8), np.empty(0, np.int64), np.empty(0, np.int64)))
    del keys, pages
    lo = np.searchsorted(gram_buckets, wanted, side="left").tolist()
    hi = np.searchsorted(gram_buckets, wanted, side="right").tolist()
    starts = np.concatenate(([0], ends)).tolist()
    written = 0
    for bucket, first, last in zip(wanted, lo, hi):
        compressed = gzip.compress(data[starts[first]:starts[last]].tobytes(), compresslevel=9, mtime=0)
        with open(os.path.join(target, bucket_file(bucket)), "wb") as handle:
            handle.write(compressed)
        written += len(compressed)
    return len(gram_buckets), written


def _facets(filters: dict[str, dict[str, list[int]]], count: int) -> dict[str, dict[str, str]]:
    return {name: {value: base64.b64encode(bitmap(pages, count)).decode("ascii")
                   for value, pages in sorted(values.items())}
            for name, values in sorted(filters.items()) if name not in NOT_FACETS}


def write_phrase_index(folder: str, pages: Iterable[Page], shards: Sequence[tuple[str, int]],
                       workers: int | None = None, originals_of: str | None = None) -> PhraseStats:
    """Write the phrase index of one language's pages (page id = position in ``pages``;
    ``shards`` the (name, page count) of the bundles they come from, in order), replacing
    any index in ``folder``; the manifest last.

    ``pages`` is read once, a page at a time: its grams are spilled to disk (beside
    ``folder``, on the site's disk); then ``workers`` processes (default: one per core) encode
    and write the buckets, a group of them each, from the spilled postings. (Cutting the pages
    into grams stays in this process: sending each page's grams back from a worker cost more
    than it saved on two cores.)

    ``originals_of``: the language whose index the pages' ``original`` ids are of (the default
    language, for a translation's index): the manifest's ``originals`` then lets the worker show
    a report found in its original's text as the translation a reader of this language wants."""
    target = Path(folder)
    (target / MANIFEST).unlink(missing_ok=True)   # no manifest until the new index is whole
    if target.exists():
        shutil.rmtree(target)
    (target / GRAMS).mkdir(parents=True)
    fragments, dates, filters, postings, originals = [], [], {}, 0, []
    with tempfile.TemporaryDirectory(prefix=".phrases-", dir=str(target.parent)) as spilled:
        spill = _Spill(os.path.join(spilled, "postings"))
        for page_id, page in enumerate(pages):
            fragments.append(page.fragment)
            dates.append(page.date or "")
            originals.append(page.original)
            for name, values in page.filters.items():
                for value in values:
                    filters.setdefault(name, {}).setdefault(value, []).append(page_id)
            keys, hashes = _gram_keys(_normalised_codes(page.text))
            postings += len(keys)
            spill.add(keys, hashes, page_id)
        spill.flush()
        count = len(fragments)
        if sum(size for _, size in shards) != count:
            raise ValueError(f"the shards hold {sum(size for _, size in shards)} pages, the index {count}")
        buckets = bucket_count(postings)
        groups = min(SPILL_PARTS, buckets)
        tasks = [[list(range(group, buckets, groups)) for group in range(groups)], [spill.path] * groups,
                 [spill.group(range(group, SPILL_PARTS, groups)) for group in range(groups)],
                 [count] * groups, [buckets] * groups, [str(target)] * groups]
        workers = min(workers or os.cpu_count() or 1, groups)
        if workers == 1:
            done = list(map(_write_group, *tasks))
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                done = list(pool.map(_write_group, *tasks))
    manifest = {"format": FORMAT, "pages": count, "buckets": buckets,
                "shards": [{"name": name, "pages": size} for name, size in shards],
                "fragments": fragments, "dates": dates, "facets": _facets(filters, count)}
    if originals_of is not None:
        manifest["originals"] = {"lang": originals_of, "pages": originals}
    stored = gzip.compress(json.dumps(manifest, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
                           compresslevel=9, mtime=0)
    (target / MANIFEST).write_bytes(stored)
    return PhraseStats(pages=count, postings=postings, grams=sum(grams for grams, _ in done), buckets=buckets,
                       bytes=sum(size for _, size in done), manifest_bytes=len(stored), files=buckets + 1)


def read_manifest(folder: str | Path) -> dict:
    """The manifest of the phrase index in ``folder`` (``MANIFEST``, gzip of JSON)."""
    return json.loads(gzip.decompress((Path(folder) / MANIFEST).read_bytes()))


# --- reading (tests, benchmarks; the worker is its JS twin) -----------------------

class PhraseIndex:
    """A written phrase index, read the way the search worker reads it."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)
        self.manifest = read_manifest(self.folder)
        self.count: int = self.manifest["pages"]
        self.buckets: int = self.manifest["buckets"]
        self._entries: dict[int, dict[str, list[int]]] = {}

    def bucket(self, bucket: int) -> dict[str, list[int]]:
        if bucket not in self._entries:
            data = gzip.decompress((self.folder / bucket_file(bucket)).read_bytes())
            self._entries[bucket] = dict(decode_entries(data, self.count))
        return self._entries[bucket]

    def gram_pages(self, gram: str) -> set[int]:
        return set(self.bucket(bucket_of(gram, self.buckets)).get(gram, ()))

    def pages(self, term: str) -> set[int]:
        """The ids of the pages that hold every gram of ``term``: exactly the pages whose
        normalised text contains it when it has at most 3 characters, a superset otherwise.
        A term without a letter or number constrains nothing: every page."""
        found = set(range(self.count))
        for gram in term_grams(term):
            found &= self.gram_pages(gram)
            if not found:
                break
        return found

    def facet(self, name: str, value: str) -> set[int]:
        return set(bitmap_pages(base64.b64decode(self.manifest["facets"][name][value])))
