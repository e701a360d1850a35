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

Pagefind's own output is not reproducible, and the rewrite makes it so (a site built twice
from one commit, on any machine, is the same byte for byte):

- Pagefind 1.5.2 keeps the filters in a hash map seeded at random on every run (its own
  source says "TODO: Change filter indexes to BTree to give them a stable hash"): the order
  of the values in a filter file, so its bytes and its hash name, and the order of the
  filters in the metadata change from one run to the next.
- Pages are numbered in the order in which Pagefind's directory walk meets their files,
  which is the file system's: hash order on ext4 (seeded per file system), creation order on
  tmpfs. Another machine numbers the pages otherwise, and then every page list differs: the
  metadata, the word index, the filters, the sorts, and the order of a word's variants.
- Fragments are named by 7 characters of their hash; of two that share them, the one met
  second gets a longer name.

So the pages are numbered by URL, every list is sorted, a fragment is named by the shortest
prefix of its hash that no other fragment shares, and filter files are named by their
content. Pages that tie in a sort are put in page order; the value each page sorts by is
read from the fragment's metadata field of the same name (``render.search_attributes``
writes both), else Pagefind's order of the tie is kept.

A result's fragment holds the report's whole text, 20 to 30 KB of gzip for a report of
20,000 characters, and the search page loads 20 of them per query, only to show an excerpt of
about 30 words. So a fragment whose text has more than ``BLOCK_WORDS`` words keeps its first
block of words as ``content`` and names the rest (``split_text``): the other blocks are gzip
files of their own beside the fragments (``fragment/<hash of the text>.block``, named by
content: cache-safe, and the same in every build), and the search worker fetches only the
block(s) its excerpt needs. Words are counted as Pagefind's excerpt code counts them (at its
zero-width spaces when the text has any, else at runs of JavaScript's white space), so
Pagefind's word positions keep indexing the whole text.

All contact with Pagefind's index format is in this module, guarded: the bundle's
``pagefind-entry.json`` must name a version in ``FORMAT_VERSIONS``, and every file read must
have that version's layout. Otherwise ``IndexFormatError`` is raised and the bundle stays
byte for byte as Pagefind wrote it (the new files are written beside the old ones and
swapped in only once everything has been read): Pagefind's own index is correct, only
larger, and the caller keeps it.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import math
import os
import re
import shutil
import zlib
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import cbor2

FORMAT_VERSIONS = ("1.5.2",)     # Pagefind versions whose index layout this module knows
SIGNATURE = b"pagefind_dcd"      # the first bytes of every decompressed Pagefind file
HASH_CHARS = 7                   # Pagefind names a file "<language>_" and 7 characters of its hash
PLAIN_WEIGHT = 24                # the weight of one occurrence in body text
MAX_WEIGHT = 255
SATURATED = 3 * MAX_WEIGHT       # the most weight a word carries on a page: ~32 occurrences
EXCERPT_WORDS = 24               # words in a result's excerpt: the search worker's excerptLength
OWN_CHUNK_BYTES = 8_000          # a word this large (CBOR, before gzip) gets a chunk of its own
PACK_BYTES = 40_000              # smaller words are packed into chunks of about this size
VOCABULARY_MANIFEST = "index.json"  # written last beside the word lists: the worker uses them only if present
# Words of text per block of a long fragment. Measured on the provincial corpus (31 reports,
# median 31,000 characters, whole fragment 29 KB of gzip), median gzip sizes: 200 words, a
# fragment of 1.5 KB and blocks of 0.7 KB, 60 files a report; 400 words, 2.1 KB and 1.3 KB, 30
# files; 800 words, 3.3 KB and 2.4 KB, 15 files. A result fetches its fragment and usually one
# block (two when its excerpt crosses an edge): 400 keeps 20 results near 70-95 KB without
# half a million files at 10,000 reports.
BLOCK_WORDS = 400
BLOCKS = "archive_blocks"        # the fragment's field naming its other blocks (the search worker reads it)
BLOCK_SUFFIX = ".block"
BLOCK_HASH_CHARS = 20            # 80 bits of SHA-256: no two blocks of an archive share a name
ZWS = "\u200b"                  # Pagefind's separator of the words it segmented
# Pagefind's excerpt code splits a text without ZWS at /[\r\n\s]+/g: JavaScript's white space,
# which is not Python's (\s there lacks U+FEFF and has U+001C-U+001F and U+0085)
JS_SPACE = re.compile("[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+")


class IndexFormatError(RuntimeError):
    """The bundle was written by a Pagefind this module does not know, or not in the layout
    of the one it knows; the bundle is left as Pagefind wrote it."""


# What reading an unexpected file can raise besides IndexFormatError: a format, not a fault.
_UNEXPECTED = (ValueError, TypeError, KeyError, IndexError, AttributeError, EOFError, zlib.error,
               gzip.BadGzipFile, FileNotFoundError, cbor2.CBORDecodeError)


@dataclass(frozen=True)
class Compaction:
    chunks_before: int
    chunks_after: int
    bytes_before: int
    bytes_after: int
    words: frozenset[str]        # the indexed words that begin with a Chinese character


def is_han(character: str) -> bool:
    return "\u3400" <= character <= "\u4dbf" or "\u4e00" <= character <= "\u9fff"


def _layout(holds: bool, what: str) -> None:
    if not holds:
        raise IndexFormatError(what)


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


def _is_ints(values: object) -> bool:
    return isinstance(values, list) and all(isinstance(value, int) for value in values)


def renumber_pages(pages: list, numbers: Sequence[int] | None) -> list:
    """A word's pages ([page number delta, locations, meta locations], in page order),
    compacted, and numbered ``numbers[old]`` in the order of the new numbers."""
    absolute, page_number = [], 0
    for page in pages:
        _layout(isinstance(page, list) and len(page) == 3 and isinstance(page[0], int) and page[0] >= 0
                and _is_ints(page[1]) and _is_ints(page[2]), "a word's page is not [page, locations, meta locations]")
        page_number += page[0]
        absolute.append([numbers[page_number] if numbers is not None else page_number,
                         compact_locations(page[1]), page[2]])
    absolute.sort(key=lambda page: page[0])
    previous = 0
    for page in absolute:
        page[0], previous = page[0] - previous, page[0]
    return absolute


def _payload(path: Path) -> bytes:
    raw = gzip.decompress(path.read_bytes())
    _layout(raw.startswith(SIGNATURE), f"{path.name} is not a Pagefind file")
    return raw[len(SIGNATURE):]


def _read(path: Path) -> object:
    return cbor2.loads(_payload(path))


def _write(path: Path, cbor: bytes) -> int:
    compressed = gzip.compress(SIGNATURE + cbor, compresslevel=6, mtime=0)
    path.write_bytes(compressed)
    return len(compressed)


def pagefind_hash(content: bytes) -> str:
    """Pagefind's hash of a file's content: SHA-1, each byte in hex without a leading zero."""
    return "".join(f"{byte:x}" for byte in hashlib.sha1(content).digest())


def compacted_words(path: str, numbers: Sequence[int] | None = None) -> list[tuple[str, bytes]]:
    """The words of one ``.pf_index`` chunk in order, compacted, their pages renumbered
    (``numbers[old] = new``) and their variants in order, each word encoded on its own."""
    chunk = _read(Path(path))
    _layout(isinstance(chunk, list) and len(chunk) == 1 and isinstance(chunk[0], list),
            f"{Path(path).name} is not [words]")
    for word in chunk[0]:  # [word, pages, additional variants: [form, pages]]
        _layout(isinstance(word, list) and len(word) == 3 and isinstance(word[0], str)
                and isinstance(word[1], list) and isinstance(word[2], list),
                f"{Path(path).name}: a word is not [word, pages, variants]")
        word[1] = renumber_pages(word[1], numbers)
        for variant in word[2]:
            _layout(isinstance(variant, list) and len(variant) == 2 and isinstance(variant[0], str)
                    and isinstance(variant[1], list), f"{Path(path).name}: a variant is not [form, pages]")
            variant[1] = renumber_pages(variant[1], numbers)
        word[2].sort(key=lambda variant: variant[0])
    return [(word[0], cbor2.dumps(word)) for word in chunk[0]]


def _fragment(path: str) -> tuple[bytes, dict]:
    """A fragment's bytes and its JSON, which must have a url and a meta object."""
    content = _payload(Path(path))
    data = json.loads(content)
    _layout(isinstance(data, dict) and isinstance(data.get("url"), str) and isinstance(data.get("meta"), dict),
            f"{Path(path).name}: a fragment without url or meta")
    return content, data


@dataclass(frozen=True)
class SplitText:
    """A fragment's text cut into blocks of words: ``"".join(parts)`` is the text, and
    ``starts[k]`` the position of the first word of ``parts[k]`` among the text's words."""

    parts: list[str]
    starts: list[int]
    words: int
    zws: bool                          # words apart by U+200B (else by white space)


def text_words(text: str, zws: bool) -> list[str]:
    """The words of a text as Pagefind's ``build_excerpt`` cuts it."""
    return text.split(ZWS) if zws else JS_SPACE.split(text)


def split_text(text: str, block_words: int = BLOCK_WORDS) -> SplitText:
    """A text cut every ``block_words`` words, each block keeping the separator after its
    last word (so the blocks joined are the text, and a block's words are its text cut as
    the whole was, without the empty piece after that separator)."""
    zws = ZWS in text
    if zws:
        words = text.split(ZWS)
        begins, at = [], 0
        for word in words:
            begins.append(at)
            at += len(word) + 1
    else:
        begins = [0] + [match.end() for match in JS_SPACE.finditer(text)]
    count = len(begins)
    starts = list(range(0, count, max(1, block_words)))
    cuts = [begins[start] for start in starts] + [len(text)]
    return SplitText(parts=[text[a:b] for a, b in zip(cuts, cuts[1:])], starts=starts, words=count, zws=zws)


def block_name(part: str) -> str:
    return hashlib.sha256(part.encode("utf-8")).hexdigest()[:BLOCK_HASH_CHARS]


def split_fragment(path: str, staging: str, block_words: int = BLOCK_WORDS) -> bool:
    """Write a fragment whose text has more than one block into ``staging`` (same name),
    its first block as ``content`` and the others named in ``archive_blocks``: {"words": the
    text's word count, "zws": whether U+200B separates them, "blocks": [[first word, file
    name], …]}; each other block beside it as ``<name>.block``, gzip of its UTF-8 text.
    False (nothing written) for a fragment of one block."""
    _, data = _fragment(path)
    text = data.get("content")
    _layout(isinstance(text, str) and BLOCKS not in data, f"{Path(path).name}: a fragment without text content")
    split = split_text(text, block_words)
    if len(split.parts) < 2:
        return False
    folder = Path(staging)
    names = []
    for part in split.parts[1:]:
        names.append(name := block_name(part))
        target = folder / f"{name}{BLOCK_SUFFIX}"
        if not target.exists():  # another fragment may share the block (the same text)
            temporary = folder / f"{name}.{os.getpid()}.part"
            temporary.write_bytes(gzip.compress(part.encode("utf-8"), compresslevel=9, mtime=0))
            os.replace(temporary, target)
    data["content"] = split.parts[0]
    data[BLOCKS] = {"words": split.words, "zws": split.zws,
                    "blocks": [[start, name] for start, name in zip(split.starts[1:], names)]}
    _write(folder / Path(path).name, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return True


def whole_text(folder: Path, data: dict) -> str:
    """A fragment's whole text: its ``content``, and its other blocks when it was split."""
    text, blocks = data.get("content"), data.get(BLOCKS)
    if blocks is None:
        return text
    _layout(isinstance(text, str) and isinstance(blocks, dict) and isinstance(blocks.get("blocks"), list)
            and all(isinstance(block, list) and len(block) == 2 and isinstance(block[1], str)
                    and re.fullmatch(f"[0-9a-f]{{{BLOCK_HASH_CHARS}}}", block[1]) for block in blocks["blocks"]),
            "a fragment's blocks are not [[first word, name]]")
    parts = [text] + [gzip.decompress((folder / f"{name}{BLOCK_SUFFIX}").read_bytes()).decode("utf-8")
                      for _, name in blocks["blocks"]]
    whole = "".join(parts)
    _layout(len(text_words(whole, bool(blocks.get("zws")))) == blocks.get("words"),
            "a fragment's blocks do not hold its words")
    return whole


def fragment_facts(path: str, keys: tuple[str, ...] = ()) -> tuple[str, str, tuple[str | None, ...]]:
    """A fragment's URL, Pagefind's full hash of it, and its metadata values for ``keys``."""
    content, data = _fragment(path)
    values = tuple(value if isinstance(value := data["meta"].get(key), str) else None for key in keys)
    return data["url"], pagefind_hash(content), values


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


def _ascending(words: Iterable[tuple[str, bytes]]) -> Iterator[tuple[str, bytes]]:
    """The words as they come, checked to be in Pagefind's order (by UTF-8 bytes, which is by
    code point), which the chunk ranges rely on."""
    last = None
    for word in words:
        _layout(last is None or word[0] > last, f"the word index is not in order at {word[0]!r}")
        last = word[0]
        yield word


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


def _name(lang: str, content: bytes, taken: set[str], length: int = HASH_CHARS) -> str:
    digest = hashlib.sha256(content).hexdigest()
    while f"{lang}_{digest[:length]}" in taken:
        length += 1
    name = f"{lang}_{digest[:length]}"
    taken.add(name)
    return name


def fragment_names(lang: str, hashes: Sequence[str]) -> list[str]:
    """Each fragment named by the shortest prefix (at least ``HASH_CHARS``) of its hash that
    no other fragment's hash begins with: the same names whatever order Pagefind met them in."""
    ordered = sorted(set(hashes))
    length = {}
    for i, digest in enumerate(ordered):
        shared = max([len(os.path.commonprefix([digest, other])) for other in ordered[max(i - 1, 0):i + 2]
                      if other != digest], default=0)
        length[digest] = max(HASH_CHARS, shared + 1)
    return [f"{lang}_{digest[:length[digest]]}" for digest in hashes]


def ordered_sort(pages: list[int], numbers: Sequence[int], values: Sequence[str | None]) -> list[int]:
    """A sort's pages (old numbers, in Pagefind's order) in new numbers, pages that tie in
    page order. ``values[old]`` is the value a page sorts by; where one is unknown, or equal
    values are not together (the metadata is not what the page sorts by), Pagefind's order stays."""
    renumbered = [numbers[page] for page in pages]
    runs: list[list[int]] = []
    started: set[str] = set()
    last = None
    for page, new in zip(pages, renumbered):
        value = values[page]
        if value is None:
            return renumbered
        if runs and value == last:
            runs[-1].append(new)
            continue
        if value in started:
            return renumbered
        started.add(value)
        runs.append([new])
        last = value
    return [page for run in runs for page in sorted(run)]


@dataclass
class _Swap:
    """Files written beside Pagefind's (``.tmp``), swapped in only once the whole bundle has
    been read: until then the bundle is as Pagefind wrote it."""

    written: list[tuple[Path, Path]] = field(default_factory=list)   # (temporary, final)
    obsolete: list[Path] = field(default_factory=list)
    renamed: list[tuple[Path, Path]] = field(default_factory=list)   # fragments: (old, new)
    staging: Path | None = None      # split fragments and their blocks, moved into fragment/ on commit

    def write(self, final: Path, cbor: bytes) -> int:
        temporary = final.with_name(final.name + ".tmp")
        self.written.append((temporary, final))
        return _write(temporary, cbor)

    def discard(self) -> None:
        for temporary, _ in self.written:
            temporary.unlink(missing_ok=True)
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)

    def commit(self) -> None:
        finals = {final for _, final in self.written} | {new for _, new in self.renamed}
        for path in self.obsolete:
            if path not in finals:
                path.unlink()
        for temporary, final in self.written:
            os.replace(temporary, final)
        for old, new in self.renamed:
            os.replace(old, new)
        if self.staging is not None:  # split fragments replace theirs (renamed above), blocks join them
            for staged in sorted(self.staging.iterdir()):
                os.replace(staged, self.staging.parent / "fragment" / staged.name)
            self.staging.rmdir()


def check_version(bundle: str) -> dict:
    """The bundle's ``pagefind-entry.json``, if a Pagefind whose format this module knows wrote it."""
    try:
        entry = json.loads((Path(bundle) / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise IndexFormatError(f"no readable pagefind-entry.json ({type(error).__name__})") from None
    version = entry.get("version") if isinstance(entry, dict) else None
    if version not in FORMAT_VERSIONS:
        raise IndexFormatError(f"the index is of Pagefind {version}, the rewrite knows the format of "
                               f"Pagefind {', '.join(FORMAT_VERSIONS)} only")
    _layout(isinstance(entry.get("languages"), dict) and all(
        isinstance(language, dict) and isinstance(language.get("hash"), str)
        for language in entry["languages"].values()), "pagefind-entry.json lists no languages")
    return entry


def _check_meta(meta: object, version: str) -> None:
    """[version, pages: [fragment, words], index chunks: [from, to, name], filters: [name, file],
    sorts: [name, pages], meta fields]: the metadata of Pagefind 1.5.2."""
    def pairs(items: object, second: type) -> bool:
        return isinstance(items, list) and all(
            isinstance(item, list) and len(item) == 2 and isinstance(item[0], str) and isinstance(item[1], second)
            for item in items)
    _layout(isinstance(meta, list) and len(meta) == 6 and meta[0] == version,
            f"the metadata is not [{version}, pages, chunks, filters, sorts, fields]")
    _layout(pairs(meta[1], int) and pairs(meta[3], str) and pairs(meta[4], list)
            and all(_is_ints(pages) for _, pages in meta[4])
            and isinstance(meta[5], list) and all(isinstance(name, str) for name in meta[5])
            and isinstance(meta[2], list) and all(
                isinstance(chunk, list) and len(chunk) == 3 and all(isinstance(part, str) for part in chunk)
                for chunk in meta[2]), "a list of the metadata is not of the expected items")


def _rewrite_language(folder: Path, lang: str, language: dict, version: str, pool: ProcessPoolExecutor,
                      swap: _Swap, own: int, size: int, block_words: int | None) -> tuple[int, int, int, int, set[str]]:
    """Read one language's index and write its rewrite beside it (see the module's docstring)."""
    meta_path = folder / f"pagefind.{language['hash']}.pf_meta"
    meta = _read(meta_path)
    _check_meta(meta, version)
    count = len(meta[1])
    # pages by URL, fragments by the shortest unique prefix of their hash
    sort_keys = tuple(key for key, _ in meta[4])
    facts = list(pool.map(partial(fragment_facts, keys=sort_keys),
                          [str(folder / "fragment" / f"{name}.pf_fragment") for name, _ in meta[1]], chunksize=64))
    for (name, _), (_, digest, _) in zip(meta[1], facts):
        _layout(name.startswith(f"{lang}_") and len(name) >= len(lang) + 1 + HASH_CHARS
                and digest.startswith(name[len(lang) + 1:]), f"fragment {name} is not named by Pagefind's hash")
    order = sorted(range(count), key=lambda page: (facts[page][0], facts[page][1]))
    numbers = [0] * count
    for new, old in enumerate(order):
        numbers[old] = new
    names = fragment_names(lang, [digest for _, digest, _ in facts])
    if len(set(names)) != len(set(name for name, _ in meta[1])):
        names = [name for name, _ in meta[1]]  # hashes that no prefix tells apart: Pagefind's names stay
    split = [False] * count
    if block_words is not None:  # long texts in blocks; the names above are of the whole text
        paths = [str(folder / "fragment" / f"{name}.pf_fragment") for name, _ in meta[1]]
        split = list(pool.map(partial(split_fragment, staging=str(swap.staging), block_words=block_words),
                              paths, chunksize=64))
    for (old, _), new, staged in zip(meta[1], names, split):
        if staged:  # the staged fragment, renamed, replaces Pagefind's
            swap.renamed.append((swap.staging / f"{old}.pf_fragment", swap.staging / f"{new}.pf_fragment"))
            swap.obsolete.append(folder / "fragment" / f"{old}.pf_fragment")
        elif old != new:
            swap.renamed.append((folder / "fragment" / f"{old}.pf_fragment",
                                 folder / "fragment" / f"{new}.pf_fragment"))
    pages = [[names[old], meta[1][old][1]] for old in order]
    # words
    old_chunks = [folder / "index" / f"{name}.pf_index" for _, _, name in meta[2]]
    before = sum(path.stat().st_size for path in old_chunks)
    after, taken, bounds, chunk_names, vocabulary = 0, set(), [], [], set()
    numbered = partial(compacted_words, numbers=numbers)
    words = (word for chunk in pool.map(numbered, map(str, old_chunks), chunksize=16) for word in chunk)
    for chunk in pack(_ascending(words), own, size):
        cbor = b"\x81" + _cbor_array([encoded for _, encoded in chunk])  # [words]
        name = _name(lang, cbor, taken)
        after += swap.write(folder / "index" / f"{name}.pf_index", cbor)
        bounds.append((chunk[0][0], chunk[-1][0]))
        chunk_names.append(name)
        vocabulary.update(word for word, _ in chunk if is_han(word[0]))
    swap.obsolete += old_chunks
    # filters: values in order, pages in order, files named by content
    filters, taken = [], set()
    for filter_name, file_name in sorted(meta[3]):
        path = folder / "filter" / f"{file_name}.pf_filter"
        index = _read(path)  # [filter, [[value, [pages]]]]
        _layout(isinstance(index, list) and len(index) == 2 and index[0] == filter_name
                and isinstance(index[1], list) and all(isinstance(value, list) and len(value) == 2
                                                       and isinstance(value[0], str) and _is_ints(value[1])
                                                       for value in index[1]),
                f"filter {filter_name} is not [filter, [value, pages]]")
        values = sorted([value, sorted(numbers[page] for page in on)] for value, on in index[1])
        cbor = cbor2.dumps([filter_name, values])
        name = _name(lang, cbor, taken)
        swap.write(folder / "filter" / f"{name}.pf_filter", cbor)
        swap.obsolete.append(path)
        filters.append([filter_name, name])
    sorts = sorted([key, ordered_sort(on, numbers, [tied[i] for _, _, tied in facts])]
                   for i, (key, on) in enumerate(meta[4]))
    meta[1:5] = [pages, [[start, end, name] for (start, end), name in zip(chunk_ranges(bounds), chunk_names)],
                 filters, sorts]
    cbor = cbor2.dumps(meta)
    language["hash"] = _name(lang, cbor, set(), 10)
    swap.write(folder / f"pagefind.{language['hash']}.pf_meta", cbor)
    swap.obsolete.append(meta_path)
    return len(old_chunks), len(chunk_names), before, after, vocabulary


def compact_bundle(bundle: str, workers: int | None = None, own: int = OWN_CHUNK_BYTES,
                   size: int = PACK_BYTES, block_words: int | None = BLOCK_WORDS,
                   pool: ProcessPoolExecutor | None = None) -> Compaction:
    """Compact, re-chunk and renumber the index of one Pagefind bundle (on all cores), cut
    long fragments into blocks (``block_words``; None: whole fragments), then point its
    metadata and entry file at the new files; all or nothing.

    ``pool``: the processes to work in, shared by the bundles of one build (``search.index_site``);
    without it the bundle gets a pool of its own (``workers`` processes, one a core)."""
    folder = Path(bundle)
    entry = check_version(bundle)
    swap = _Swap(staging=folder / ".blocks.tmp")
    shutil.rmtree(swap.staging, ignore_errors=True)  # left by a build that was killed
    swap.staging.mkdir()
    totals = [0, 0, 0, 0]
    vocabulary: set[str] = set()
    try:
        with ExitStack() as stack:
            if pool is None:
                pool = stack.enter_context(ProcessPoolExecutor(max_workers=workers or os.cpu_count()))
            for lang, language in sorted(entry["languages"].items()):
                *counts, words = _rewrite_language(folder, lang, language, entry["version"], pool, swap, own, size,
                                                   block_words)
                totals = [total + count for total, count in zip(totals, counts)]
                vocabulary |= words
    except IndexFormatError as error:
        swap.discard()
        raise IndexFormatError(f"{error}, not the index layout of Pagefind {entry['version']}") from None
    except FileNotFoundError as error:
        swap.discard()
        raise IndexFormatError(f"{Path(error.filename or '?').name} is missing, not the index layout of "
                               f"Pagefind {entry['version']}") from None
    except _UNEXPECTED as error:
        swap.discard()
        raise IndexFormatError(f"{type(error).__name__}: {error}, not the index layout of "
                               f"Pagefind {entry['version']}") from None
    except BaseException:
        swap.discard()
        raise
    swap.commit()
    entry["languages"] = dict(sorted(entry["languages"].items()))
    (folder / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                                                encoding="utf-8")
    before_chunks, after_chunks, before, after = totals
    return Compaction(before_chunks, after_chunks, before, after, frozenset(vocabulary))


def write_vocabulary(folder: str, words: Iterable[str]) -> int:
    """One JSON list per first character (``<code point in hex>.json``) of the words that
    begin with it, then the manifest that tells the search worker the lists exist; the number
    of lists. The worker fetches the lists of the characters of a query, a few hundred bytes
    each; without the manifest (Pagefind's own index was kept, its words unknown) it lets
    Pagefind cut the query."""
    by_first: dict[str, list[str]] = {}
    for word in sorted(set(words)):
        by_first.setdefault(word[0], []).append(word)
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    for first, group in by_first.items():
        (target / f"{ord(first):x}.json").write_text(json.dumps(group, ensure_ascii=False, separators=(",", ":")),
                                                    encoding="utf-8")
    # the characters that have a list, so that the worker never asks for one that does not exist
    # (a 404 in the server's log for every other character of a query)
    (target / VOCABULARY_MANIFEST).write_text(json.dumps({"lists": len(by_first), "characters": "".join(by_first)},
                                                         ensure_ascii=False), encoding="utf-8")
    return len(by_first)


@dataclass(frozen=True)
class BundlePage:
    """A page of a bundle as its fragment holds it."""

    fragment: str                      # the fragment's name: Pagefind's result id
    url: str
    text: str                          # the text Pagefind indexed (its Chinese words apart by U+200B), whole
    meta: dict[str, str]
    filters: dict[str, list[str]]


def bundle_pages(bundle: str) -> Iterator[BundlePage]:
    """The pages of a bundle that ``compact_bundle`` rewrote, in page-number order (by URL),
    one fragment read at a time. A bundle not in the known layout raises ``IndexFormatError``
    (possibly after some pages: the caller discards what it made of them)."""
    folder = Path(bundle)
    entry = check_version(bundle)
    try:
        for _, language in sorted(entry["languages"].items()):
            meta = _read(folder / f"pagefind.{language['hash']}.pf_meta")
            _check_meta(meta, entry["version"])
            for name, _ in meta[1]:
                _, data = _fragment(str(folder / "fragment" / f"{name}.pf_fragment"))
                text, filters = whole_text(folder / "fragment", data), data.get("filters", {})
                _layout(isinstance(text, str) and isinstance(filters, dict) and all(
                    isinstance(key, str) and isinstance(values, list) and all(isinstance(v, str) for v in values)
                    for key, values in filters.items()), f"fragment {name}: no text content or filters")
                yield BundlePage(fragment=name, url=data["url"], text=text,
                                 meta={key: value for key, value in data["meta"].items() if isinstance(value, str)},
                                 filters={key: list(values) for key, values in sorted(filters.items())})
    except IndexFormatError as error:
        raise IndexFormatError(f"{error}, not the index layout of Pagefind {entry['version']}") from None
    except _UNEXPECTED as error:
        raise IndexFormatError(f"{type(error).__name__}: {error}, not the index layout of "
                               f"Pagefind {entry['version']}") from None
