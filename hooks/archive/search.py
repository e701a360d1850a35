"""Full-text search with Pagefind, indexed in shards so that memory stays bounded.

Pagefind's indexer holds the whole index in memory, so reports are indexed in shards whose
estimated memory stays within a budget; the browser merges the shards at query time
(Pagefind's ``mergeIndex``), loading Pagefind's code once and the index chunks of each
shard.

A shard also holds at most ``SHARD_PAGES`` pages: Pagefind's scoring in the browser looks up
the positions of each matching page by scanning those of every matching page, so its time
grows with the square of the pages of one shard that match; several smaller shards answer
a common word sooner than one large one, at the cost of one more small metadata file each.

After Pagefind, ``pagefind_index`` rewrites each shard's index (smaller, and the same bytes
from every build of one commit). If it does not know the index format (another Pagefind
than the one pinned in requirements.txt), the shard keeps Pagefind's own index, which is
correct and only larger: the result says so, and the build warns without failing, since
the machine's Pagefind is no fault of the content (see ``fallback_message``). No word lists
are written then, and the search worker lets Pagefind cut the queries itself.

Then each language whose shards were all rewritten gets its phrase index (``phrases``:
which pages contain a string, exactly, whatever the sharding), its page ids in shard order,
within a shard by Pagefind's page number; a language with a shard Pagefind's own index was
kept for gets none (its pages are not numbered by URL), and the worker searches as before.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, replace

from .index import ArchiveIndex
from .pagefind_index import PACK_BYTES, Compaction, IndexFormatError, bundle_pages, compact_bundle, write_vocabulary
from .phrases import FOLDER as PHRASES_FOLDER, Page, PhraseStats, write_phrase_index

SEARCH_DIR = "search"
VOCABULARY_DIR = f"{SEARCH_DIR}/words"   # the indexer's Chinese words, for cutting queries alike
PHRASES_DIR = f"{SEARCH_DIR}/{PHRASES_FOLDER}"   # one phrase index per language: search/phrases/<lang>/
# Pagefind 1.5's peak memory per page, measured with tests/benchmarks/search_bench.py:
# 706 MB for 1,000 pages of 3,000 characters, 2,515 MB for 1,000 of 20,000.
PAGE_MB, PER_1000_CHARS_MB = 0.39, 0.106
SHARD_PAGES = 2_500


def page_memory(characters: int) -> float:
    """Estimated peak memory (MB) that one page adds to Pagefind's indexer."""
    return PAGE_MB + PER_1000_CHARS_MB * characters / 1000


@dataclass(frozen=True)
class Shard:
    """One Pagefind bundle: the report pages of one language, at most ``size`` of them."""

    name: str                 # zh-0, en-0 …: the bundle's folder under search/
    lang: str
    pages: tuple[str, ...]    # built HTML files, relative to the site folder

    @property
    def path(self) -> str:
        return f"{SEARCH_DIR}/{self.name}/"


@dataclass(frozen=True)
class ShardResult:
    shard: Shard
    indexed: int
    seconds: float
    peak_mb: float
    compaction: Compaction | None  # the word index before and after pagefind_index rewrote it
    kept: str = ""                 # why Pagefind's own index was kept (compaction is None)
    phrases: PhraseStats | None = None  # the phrase index of the shard's language, if written


class SearchError(RuntimeError):
    """Indexing failed or lost a page; the message says which shard and what to do."""


def page_file(url: str, prefix: str = "") -> str:
    return f"{prefix}{url}index.html"


def plan_shards(index: ArchiveIndex, default_lang: str, other_langs: tuple[str, ...],
                memory_mb: float, max_pages: int = SHARD_PAGES) -> list[Shard]:
    """Every report page of every language, newest first, in shards within ``memory_mb``
    and ``max_pages``.

    The default language has every report; another language only the reports translated
    into it (its site searches the default language's shards for the rest). Shards hold
    consecutive reports, so that each covers a range of dates.
    """
    shards = []
    for lang in (default_lang, *other_langs):
        prefix = "" if lang == default_lang else f"{lang}/"
        pages, used = [], 0.0
        for report in index.reports:
            if lang != default_lang and lang not in report.translations:
                continue
            cost = page_memory(report.size)
            if pages and (used + cost > memory_mb or len(pages) == max_pages):
                shards.append(Shard(f"{lang}-{len([s for s in shards if s.lang == lang])}", lang, tuple(pages)))
                pages, used = [], 0.0
            pages.append(page_file(report.url, prefix))
            used += cost
        if pages:
            shards.append(Shard(f"{lang}-{len([s for s in shards if s.lang == lang])}", lang, tuple(pages)))
    return shards


def bundles(shards: list[Shard], lang: str, default_lang: str) -> list[dict[str, str]]:
    """The bundles a page of ``lang`` searches: its own language's first, then the default's."""
    own = [s for s in shards if s.lang == lang]
    rest = [s for s in shards if s.lang == default_lang and lang != default_lang]
    return [{"name": s.name, "path": s.path, "lang": s.lang} for s in own + rest]


def phrase_indexes(shards: list[Shard], lang: str, default_lang: str) -> list[dict[str, str]]:
    """The phrase indexes a page of ``lang`` searches: one per language of its bundles, in
    their order (the worker uses one only if its manifest, index.bin, is there)."""
    langs = dict.fromkeys(bundle["lang"] for bundle in bundles(shards, lang, default_lang))
    return [{"lang": each, "path": f"{PHRASES_DIR}/{each}/"} for each in langs]


def shard_of_pages(shards: list[Shard]) -> dict[str, str]:
    """Which shard holds each page file."""
    return {page: shard.name for shard in shards for page in shard.pages}


def pagefind_executable() -> str:
    """The Pagefind binary shipped inside the ``pagefind[extended]`` wheel, or the one
    ``PAGEFIND_BINARY_PATH`` names (as for Pagefind's own Python API)."""
    if os.environ.get("PAGEFIND_BINARY_PATH"):
        return os.environ["PAGEFIND_BINARY_PATH"]
    try:
        from pagefind_bin_extended import get_executable
    except ImportError as error:
        raise SearchError("Pagefind is not installed — run: pip install -r requirements.txt") from error
    return str(get_executable())


_INDEXED = re.compile(r"Indexed (\d+) pages?")


@dataclass(frozen=True)
class PagefindRun:
    """Pagefind's run over one shard, before its index is compacted."""

    indexed: int
    seconds: float
    peak_mb: float


def run_pagefind(site_dir: str, shard: Shard, executable: str | None = None) -> PagefindRun:
    """Run Pagefind over one shard's pages into its bundle folder; its peak memory is that of
    one shard.

    The shard's pages are linked into a folder of their own with the site's layout (so
    their URLs stay the same), since thousands of paths do not fit on a command line.
    """
    output = os.path.join(site_dir, shard.path)
    with tempfile.TemporaryDirectory(prefix=f".{shard.name}-", dir=site_dir) as folder:
        for page in shard.pages:
            source, target = os.path.join(site_dir, page), os.path.join(folder, page)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            try:
                os.link(source, target)
            except FileNotFoundError:
                continue  # counted below: the page was not written
            except OSError:
                shutil.copyfile(source, target)
        args = [executable or pagefind_executable(), "--site", folder, "--output-path", output,
                "--force-language", shard.lang, "--exclude-selectors", ".headerlink"]  # the ¶ of each heading
        start = time.perf_counter()
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        stdout = process.stdout.read() if process.stdout else ""
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SearchError(f"Pagefind failed on search shard {shard.name}:\n{stdout[-2000:]}")
    found = _INDEXED.search(stdout)
    return PagefindRun(indexed=int(found.group(1)) if found else 0, seconds=seconds, peak_mb=usage.ru_maxrss / 1024)


def compact_shard(site_dir: str, shard: Shard, run: PagefindRun, pool: ProcessPoolExecutor | None = None,
                  pack_bytes: int = PACK_BYTES) -> ShardResult:
    """Compact the word index Pagefind wrote for one shard (``pagefind_index.compact_bundle``,
    in ``pool`` if given); a bundle of a format it does not know stays as Pagefind wrote it."""
    start = time.perf_counter()
    compaction, kept = None, ""
    try:
        compaction = compact_bundle(os.path.join(site_dir, shard.path), size=pack_bytes, pool=pool)
    except IndexFormatError as error:  # the bundle is as Pagefind wrote it
        kept = str(error)
    return ShardResult(shard, run.indexed, run.seconds + time.perf_counter() - start, run.peak_mb, compaction, kept)


def index_shard(site_dir: str, shard: Shard, executable: str | None = None,
                pack_bytes: int = PACK_BYTES) -> ShardResult:
    """Run Pagefind over one shard's pages, then compact its word index."""
    return compact_shard(site_dir, shard, run_pagefind(site_dir, shard, executable), pack_bytes=pack_bytes)


def _lost(shard: Shard, run: PagefindRun) -> SearchError | None:
    if run.indexed == len(shard.pages):
        return None
    return SearchError(
        f"search shard {shard.name}: Pagefind indexed {run.indexed} of {len(shard.pages)} report pages — "
        "a report page was not written or not indexed; this is a fault of the archive's code, "
        "please report it to the maintainer")


def index_site(site_dir: str, shards: list[Shard], pack_bytes: int = PACK_BYTES) -> list[ShardResult]:
    """Index every shard, check that no page was lost, and write the vocabulary of all shards
    if every shard's index was rewritten (a query is cut with the words of every shard or
    with none), then each language's phrase index.

    Pagefind runs on one core (measured: 0.8 s of CPU in 0.8 s for a shard of 60 pages) and
    the compaction is Python, so shard N+1's Pagefind runs while shard N is compacted: at
    most one of each at a time, so that the peak memory stays that of one shard's Pagefind
    and one shard's compaction. Every compaction uses one pool of processes, made before the
    thread that compacts starts (forking a process that has threads is not safe)."""
    executable = pagefind_executable()
    results: list[ShardResult] = []
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool, ThreadPoolExecutor(max_workers=1) as compacting:
        pool.submit(int).result()  # with fork, the pool starts all its processes at its first task: here
        pending = None
        for shard in shards:
            run = run_pagefind(site_dir, shard, executable)
            if pending is not None:
                results.append(pending.result())
            lost = _lost(shard, run)
            if lost:
                raise lost
            pending = compacting.submit(compact_shard, site_dir, shard, run, pool, pack_bytes)
        if pending is not None:
            results.append(pending.result())
    if all(result.compaction for result in results):
        write_vocabulary(os.path.join(site_dir, VOCABULARY_DIR), (w for r in results for w in r.compaction.words))
    # the default language is indexed first (plan_shards): its page ids by URL are the originals of the others'
    languages = list(dict.fromkeys(result.shard.lang for result in results))
    ids: dict[str, int] = {}
    phrases = {lang: index_phrases(site_dir, lang, [result for result in results if result.shard.lang == lang],
                                   ids, None if lang == languages[0] else languages[0])
               for lang in languages}
    return [replace(result, phrases=phrases[result.shard.lang]) for result in results]


def index_phrases(site_dir: str, lang: str, results: list[ShardResult], ids: dict[str, int] | None = None,
                  default_lang: str | None = None) -> PhraseStats | None:
    """The phrase index of one language's shards (in order), or None when a shard kept
    Pagefind's own index.

    ``ids``: the default language's page ids by URL, filled in when ``default_lang`` is None
    (this is the default language), read otherwise: a translation's page at ``/<lang>/<url>``
    records the id of the original at ``/<url>`` (plan_shards' prefixes), so that a search on
    the translation's site shows it, not the original, when the original's text matched."""
    folder = os.path.join(site_dir, PHRASES_DIR, lang)
    if not all(result.compaction for result in results):
        shutil.rmtree(folder, ignore_errors=True)
        return None
    ids = {} if ids is None else ids
    prefix = f"/{lang}/"

    def pages():
        every = (page for result in results for page in bundle_pages(os.path.join(site_dir, result.shard.path)))
        for number, page in enumerate(every):   # a page's id is its place in the index
            original = -1
            if default_lang is None:
                ids[page.url] = number
            elif page.url.startswith(prefix):
                original = ids.get("/" + page.url[len(prefix):], -1)
            yield Page(fragment=page.fragment, text=page.text, date=page.meta.get("date", ""),
                       filters=page.filters, original=original)
    try:
        return write_phrase_index(folder, pages(), [(result.shard.name, result.indexed) for result in results],
                                  originals_of=default_lang)
    except (IndexFormatError, ValueError) as error:  # a rewritten bundle that cannot be read: a fault of the code
        shutil.rmtree(folder, ignore_errors=True)
        raise SearchError(f"search: the phrase index of {lang} could not be written ({error}); this is a fault "
                          "of the archive's code, please report it to the maintainer") from None


def fallback_message(results: list[ShardResult]) -> str | None:
    """The warning for shards that kept Pagefind's own index, or None.

    Not a content problem: no report can cause it or fix it, the site's search is correct,
    so it must not fail a strict build (a contributor's pull request); it is a fault of the
    machine's Pagefind, which the maintainer fixes and the tests catch (they check that the
    index is rewritten and that two builds are the same)."""
    shards_of: dict[str, list[str]] = {}
    for result in results:
        if result.compaction is None:
            shards_of.setdefault(result.kept, []).append(result.shard.name)
    if not shards_of:
        return None
    reasons = "; ".join(f"in {', '.join(shards)}: {reason}" for reason, shards in shards_of.items())
    return (f"search: the index Pagefind wrote is kept as it is (search works, but queries fetch more and two "
            f"builds of a commit may differ), {reasons} — install the Pagefind pinned in requirements.txt "
            f"(pip install -r requirements.txt), or update hooks/archive/pagefind_index.py to the new format")
