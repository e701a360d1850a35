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

**What it costs** (tests/benchmarks/phrase_bench.py, 2 cores): a page of C characters has
at most 3C grams (25,000 distinct in a 20,000-character report), so 10,000 such reports make
250 million postings; written in 221 s, 449 MB in 65,537 files, with 268 MB for the process
that reads the pages and 244 MB for each worker (1,000 reports of 3,000 characters: 6 s,
14 MB). A gram's pages are delta varints, or a bitmap of N bits when that is smaller; the two
bytes a posting carries for ranking and placing (below) are most of it (without them: 134 MB,
140 s). A search fetches the manifest once (52 KB at 10,000 reports: 316 KB of JSON, stored
gzip), then one bucket per gram of each term: 37 KB (at most 125 KB) a term.

**Ranking and placing.** A posting also says how often its gram occurs in the page (capped
at 255) and where it first does (in 256ths of the normalised text), a byte each; the manifest
has each page's length as a byte (``length_code``). A term occurs in a page at most as often
as its rarest gram, and first no earlier than its grams' latest first place: the worker ranks
by Okapi BM25 over those counts (the same however the shards are cut; Pagefind's scoring is per
shard and took most of a query's time at 10,000 reports), and looks for the term's excerpt
from that place instead of asking Pagefind where it is.

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
bytes, LSB first; then a byte per page of the times the gram occurs there and a byte per page
of its first place. ``index.bin``, gzip of JSON (written last: the worker uses the index only
if it is there) holds N, B, the shards' page counts, each page's fragment id, date and length code (base64),
and a bitmap per filter value; a translation's index also ``originals`` (each page's id in the default language's
index, −1 for none), so that its site shows the translation of a report found in the original's text.
Every list is sorted: two builds are byte-identical.
"""
from __future__ import annotations

import base64
import gzip
import json
import math
import os
import shutil
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

FOLDER = "phrases"          # under the site's search folder: search/phrases/<lang>/
MANIFEST = "index.bin"       # gzip of the JSON manifest (a server need not compress it; 51 KB, not 302, at 10,000 reports)
GRAMS = "grams"
FORMAT = 2
GRAM = 3                    # the longest gram: a longer term is looked up by its trigrams
BUCKET_POSTINGS = 4_096     # a bucket holds about this many postings
NOT_FACETS = ("shard",)     # filters that are not facets: the manifest's "shards" says which pages a shard holds
FNV_BASIS, FNV_PRIME = 2_166_136_261, 16_777_619
SPILL_PARTS = 256           # parts of the spilled postings, by hash: a worker encodes one at a time
SPILL_POSTINGS = 4_000_000  # postings kept in memory before they are spilled (~100 MB with the sort)
_BITS, _MASK = 21, (1 << 21) - 1   # a code point fits in 21 bits: a trigram in one int64
TIMES_CAP = 255             # a posting's count of occurrences, capped: one byte
PLACES = 256                # a posting's first occurrence, in 256ths of the page's normalised text: one byte
LENGTH_STEPS = 8            # a page's length as one byte, 8 steps an octave (Lucene's norms are one byte too)
BM25_K1, BM25_B = 1.2, 0.75  # Okapi BM25's usual parameters (Lucene's defaults): the worker ranks with them


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


def page_postings(text: str) -> dict[str, tuple[int, int]]:
    """Per gram of a page, what its posting says besides the page (the reference the
    vectorised writer is tested against): how often the gram occurs (overlapping, capped at
    ``TIMES_CAP``) and where it first does, in ``PLACES``ths of the normalised text."""
    text = normalise(text)
    out: dict[str, tuple[int, int]] = {}
    for n in range(1, GRAM + 1):
        for i in range(len(text) - n + 1):
            times, first = out.get(text[i:i + n], (0, i))
            out[text[i:i + n]] = (times + 1, first)
    return {gram: (min(times, TIMES_CAP), first * PLACES // len(text)) for gram, (times, first) in out.items()}


def length_code(length: int) -> int:
    """A page's length (normalised characters) as one byte: ``LENGTH_STEPS`` steps an octave
    (within 4.4 %, plenty for ranking; 10,000 exact lengths would add 20 KB to every
    search's first download)."""
    return min(255, round(LENGTH_STEPS * math.log2(1 + length)))


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


@dataclass(frozen=True)
class Postings:
    """One gram's postings: the pages that hold it, in order, and per page how often
    (capped) and where first (``page_postings``)."""

    pages: list[int]
    times: list[int]
    firsts: list[int]


def encode_entry(gram: str, postings: Postings, count: int) -> bytes:
    """One gram's entry (the reference the vectorised writer is tested against): the page
    ids as delta varints, or a bitmap when that is smaller; then a byte per page of the
    times, and one of the first places."""
    pages = postings.pages
    ids = b"".join(encode_varint(page - previous) for previous, page in zip([0, *pages], pages))
    bits = (count + 7) // 8
    kind, payload = (1, bitmap(pages, count)) if bits < len(ids) else (0, ids)
    name = gram.encode("utf-8")
    return (encode_varint(len(name)) + name + encode_varint(len(pages) * 2 + kind) + payload
            + bytes(postings.times) + bytes(postings.firsts))


def decode_entries(data: bytes, count: int) -> Iterator[tuple[str, Postings]]:
    """The (gram, postings) of a bucket's decompressed bytes, in order."""
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
        held = len(pages)
        yield gram, Postings(pages=pages, times=list(data[pos:pos + held]), firsts=list(data[pos + held:pos + 2 * held]))
        pos += 2 * held


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


@dataclass(frozen=True)
class PageGrams:
    """The distinct grams of a normalised text as sorted int64 keys (code points c0 c1 c2 in
    21 bits each, 0 where shorter: key order is UTF-8 byte order), their FNV-1a hashes, and
    per gram its posting's bytes: times (capped) and first place (``page_postings``)."""

    keys: np.ndarray
    hashes: np.ndarray
    times: np.ndarray     # uint8
    firsts: np.ndarray    # uint8


def gram_keys(normalised: str) -> PageGrams:
    return _gram_keys(_codes(normalised))


def _gram_keys(codes: np.ndarray) -> PageGrams:
    n = len(codes)
    if not n:
        return PageGrams(keys=np.empty(0, np.int64), hashes=np.empty(0, np.uint32),
                         times=np.empty(0, np.uint8), firsts=np.empty(0, np.uint8))
    lengths, utf8 = _utf8_bytes(codes)
    previous = _fold(np.full(n, FNV_BASIS, dtype=np.uint32), lengths, utf8)
    keys, hashes = [codes << (2 * _BITS)], [previous]
    for length in range(2, min(GRAM, n) + 1):
        keys.append(keys[-1][:-1] | (codes[length - 1:] << (_BITS * (GRAM - length))))
        previous = _fold(previous[:-1], lengths[length - 1:], [part[length - 1:] for part in utf8])
        hashes.append(previous)
    keys_, hashes_ = np.concatenate(keys), np.concatenate(hashes)
    places = np.concatenate([np.arange(len(part)) for part in keys])
    # stable: the first of a gram's run is its first occurrence (np.unique is several times slower)
    order = np.argsort(keys_, kind="stable")
    keys_, hashes_ = keys_[order], hashes_[order]
    first = np.concatenate(([True], keys_[1:] != keys_[:-1]))
    starts = np.flatnonzero(first)
    times = np.diff(np.append(starts, len(keys_)))
    return PageGrams(keys=keys_[first], hashes=hashes_[first], times=np.minimum(times, TIMES_CAP).astype(np.uint8),
                     firsts=(places[order][first] * PLACES // n).astype(np.uint8))


def _encode(keys: np.ndarray, pages: np.ndarray, times: np.ndarray, firsts: np.ndarray, count: int, buckets: int
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
    postings = rank[inverse] * count + pages
    by_posting = np.argsort(postings)
    postings, times, firsts = postings[by_posting], times[by_posting], firsts[by_posting]
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
    payloads = np.where(kind == 1, bits, listed)
    sizes = 1 + name_lengths + header_lengths + payloads + 2 * counts
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
    nth = np.arange(len(pages)) - starts[gram]      # a posting's place among its gram's
    extra = (position + payloads)[gram] + nth
    out[extra] = times
    out[extra + counts[gram]] = firsts
    return out, gram_buckets, ends


class _Spill:
    """Postings (gram key, page id, times, first place) spilled to disk in parts by hash, so
    that each bucket's postings are in one part: bucket = hash mod B and part = hash mod
    SPILL_PARTS, both powers of two. One file of blocks (keys as int64, pages as uint32, times
    and first places as uint8), appended at each flush
    (opening a file costs more than writing it); ``blocks`` says where each part's are."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.blocks: dict[int, list[tuple[int, int]]] = {}   # part: [(offset, postings)]
        self.buffer: list[tuple[PageGrams, np.ndarray, int]] = []
        self.buffered = 0

    def add(self, grams: PageGrams, page: int) -> None:
        self.buffer.append((grams, (grams.hashes & np.uint32(SPILL_PARTS - 1)).astype(np.uint16), page))
        self.buffered += len(grams.keys)
        if self.buffered >= SPILL_POSTINGS:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        keys = np.concatenate([grams.keys for grams, _, _ in self.buffer])
        times = np.concatenate([grams.times for grams, _, _ in self.buffer])
        firsts = np.concatenate([grams.firsts for grams, _, _ in self.buffer])
        pages = np.repeat(np.array([page for _, _, page in self.buffer], dtype=np.uint32),
                          [len(grams.keys) for grams, _, _ in self.buffer])
        parts = np.concatenate([part for _, part, _ in self.buffer])
        self.buffer, self.buffered = [], 0
        order = np.argsort(parts, kind="stable")   # a radix sort of 16-bit numbers
        keys, pages, times, firsts, parts = keys[order], pages[order], times[order], firsts[order], parts[order]
        bounds = np.searchsorted(parts, np.arange(SPILL_PARTS + 1)).tolist()
        with open(self.path, "ab") as handle:
            for part in range(SPILL_PARTS):
                lo, hi = bounds[part], bounds[part + 1]
                if lo < hi:
                    self.blocks.setdefault(part, []).append((handle.tell(), hi - lo))
                    handle.write(keys[lo:hi].tobytes() + pages[lo:hi].tobytes() + times[lo:hi].tobytes()
                                 + firsts[lo:hi].tobytes())

    def group(self, parts: Iterable[int]) -> list[tuple[int, int]]:
        return [block for part in parts for block in self.blocks.get(part, ())]


def _load(path: str, blocks: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The spilled postings of these blocks: keys, pages, times, first places."""
    keys, pages, times, firsts = [np.empty(0, np.int64)], [np.empty(0, np.uint32)], [np.empty(0, np.uint8)], \
        [np.empty(0, np.uint8)]
    if blocks:
        with open(path, "rb") as handle:
            for at, count in blocks:
                handle.seek(at)
                data = handle.read(14 * count)
                keys.append(np.frombuffer(data, np.int64, count))
                pages.append(np.frombuffer(data, np.uint32, count, 8 * count))
                times.append(np.frombuffer(data, np.uint8, count, 12 * count))
                firsts.append(np.frombuffer(data, np.uint8, count, 13 * count))
    return np.concatenate(keys), np.concatenate(pages).astype(np.int64), np.concatenate(times), np.concatenate(firsts)


def _write_group(wanted: list[int], spilled: str, blocks: list[tuple[int, int]], count: int, buckets: int,
                 target: str) -> tuple[int, int]:
    """Encode one group of buckets from its spilled postings and write their files, in a
    worker process: the number of grams and of bytes written."""
    keys, pages, times, firsts = _load(spilled, blocks)
    data, gram_buckets, ends = (_encode(keys, pages, times, firsts, count, buckets) if len(keys)
                                else (np.empty(0, np.uint8), np.empty(0, np.int64), np.empty(0, np.int64)))
    del keys, pages, times, firsts
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
    fragments, dates, filters, postings, originals, lengths = [], [], {}, 0, [], bytearray()
    with tempfile.TemporaryDirectory(prefix=".phrases-", dir=str(target.parent)) as spilled:
        spill = _Spill(os.path.join(spilled, "postings"))
        for page_id, page in enumerate(pages):
            fragments.append(page.fragment)
            dates.append(page.date or "")
            originals.append(page.original)
            for name, values in page.filters.items():
                for value in values:
                    filters.setdefault(name, {}).setdefault(value, []).append(page_id)
            codes = _normalised_codes(page.text)
            lengths.append(length_code(len(codes)))
            grams = _gram_keys(codes)
            postings += len(grams.keys)
            spill.add(grams, page_id)
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
                "fragments": fragments, "dates": dates, "lengths": base64.b64encode(bytes(lengths)).decode("ascii"),
                "facets": _facets(filters, count)}
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
        self.lengths: bytes = base64.b64decode(self.manifest["lengths"])   # each page's length code
        self._entries: dict[int, dict[str, Postings]] = {}

    def bucket(self, bucket: int) -> dict[str, Postings]:
        if bucket not in self._entries:
            data = gzip.decompress((self.folder / bucket_file(bucket)).read_bytes())
            self._entries[bucket] = dict(decode_entries(data, self.count))
        return self._entries[bucket]

    def gram_postings(self, gram: str) -> Postings:
        return self.bucket(bucket_of(gram, self.buckets)).get(gram, Postings(pages=[], times=[], firsts=[]))

    def gram_pages(self, gram: str) -> set[int]:
        return set(self.gram_postings(gram).pages)

    def postings(self, term: str) -> dict[int, tuple[int, int]]:
        """Per page that holds every gram of ``term``: how often it can occur there at most
        (the fewest times of its grams) and where it can first (the latest first place of its
        grams): what the worker ranks by, and where it looks for the term."""
        found: dict[int, tuple[int, int]] | None = None
        for gram in term_grams(term):
            held = self.gram_postings(gram)
            these = dict(zip(held.pages, zip(held.times, held.firsts)))
            found = these if found is None else {page: (min(times, these[page][0]), max(first, these[page][1]))
                                                  for page, (times, first) in found.items() if page in these}
        return found if found is not None else {}

    def scorer(self, postings: Mapping[int, tuple[int, int]]) -> Callable[[int], float]:
        """Okapi BM25 of a term's ``postings`` as a function of a page: the twin of the
        worker's (archive-phrases.js ``scorer``), for tests and benchmarks."""
        lengths = [2 ** (code / LENGTH_STEPS) - 1 for code in self.lengths]
        average = sum(lengths) / max(1, len(lengths)) or 1
        idf = math.log(1 + (self.count - len(postings) + 0.5) / (len(postings) + 0.5))

        def score(page: int) -> float:
            times = postings.get(page, (0, 0))[0]
            norm = 1 - BM25_B + BM25_B * lengths[page] / average
            return idf * times * (BM25_K1 + 1) / (times + BM25_K1 * norm) if times else 0.0
        return score

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
