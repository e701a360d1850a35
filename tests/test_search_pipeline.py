"""The search index built shard after shard with Pagefind and compaction overlapped, in one pool
of processes (hooks/archive/search.py ``index_site``), and the chunk size as a setting: the same
bytes as one shard at a time, each in a pool of its own."""
from __future__ import annotations

import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from archive.pagefind_index import PACK_BYTES, compact_bundle
from archive.search import SearchError, Shard, compact_shard, index_shard, index_site, run_pagefind
from archive.settings import SettingsError, load_settings
from sites import Built

PAGES = {  # the shared fixture site's report pages, four shards of one or two
    "zh-0": ("reports/2023/finance-2023/index.html",),
    "zh-1": ("reports/2022/tax-2022/index.html", "reports/2021/tax-2021/index.html"),
    "en-0": ("en/reports/2022/tax-2022/index.html",),
    "en-1": ("en/reports/2022/finance-2022/index.html",),
}


@pytest.fixture(scope="module")
def built(shared_site) -> Built:
    built = shared_site(strict=True, search_memory=1)  # the site test_search and test_phrases read
    assert built.returncode == 0, built.output
    return built


def pages_copied(built: Built, folder: Path, shards: list[Shard]) -> Path:
    """The shards' pages alone in ``folder`` (with the site's layout), for an index of their own."""
    for shard in shards:
        for page in shard.pages:
            (folder / page).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(built.site.out / page, folder / page)
    return folder


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def shards_of(built: Built) -> list[Shard]:
    present = [Shard(name, name.split("-")[0], pages) for name, pages in PAGES.items()
               if all((built.site.out / page).is_file() for page in pages)]
    assert len(present) == 4, "the fixture site's reports moved: update PAGES"
    return present


def test_overlapped_shards_are_the_bytes_of_one_shard_at_a_time(built, tmp_path):
    shards = shards_of(built)
    overlapped = pages_copied(built, tmp_path / "overlapped", shards)
    results = index_site(str(overlapped), shards)
    assert [(r.shard.name, r.indexed) for r in results] == [("zh-0", 1), ("zh-1", 2), ("en-0", 1), ("en-1", 1)]
    one_by_one = pages_copied(built, tmp_path / "one-by-one", shards)
    for shard in shards:
        alone = index_shard(str(one_by_one), shard)
        assert alone.compaction == next(r.compaction for r in results if r.shard == shard)
    for shard in shards:
        assert files(overlapped / shard.path) == files(one_by_one / shard.path), shard.name


def test_a_shared_pool_compacts_as_a_bundles_own(built, tmp_path):
    [shard] = shards_of(built)[1:2]
    site = pages_copied(built, tmp_path / "site", [shard])
    index_site(str(site), [shard])  # Pagefind, then compaction in index_site's pool …
    shared = files(site / shard.path)
    again = pages_copied(built, tmp_path / "again", [shard])
    with ProcessPoolExecutor(max_workers=2) as pool:
        result = compact_shard(str(again), shard, run_pagefind(str(again), shard), pool=pool)
    assert result.compaction is not None and result.indexed == 2
    assert files(again / shard.path) == shared
    own = pages_copied(built, tmp_path / "own", [shard])
    run_pagefind(str(own), shard)
    compact_bundle(str(own / shard.path), workers=1)  # … and in a pool of its own
    assert files(own / shard.path) == shared


def test_a_lost_page_stops_the_build_after_the_compaction_in_flight(built, tmp_path):
    shards = shards_of(built)
    lost = Shard("zh-9", "zh", ("reports/2022/tax-2022/index.html", "reports/2022/gone/index.html"))
    site = pages_copied(built, tmp_path, shards)
    with pytest.raises(SearchError, match=r"^search shard zh-9: Pagefind indexed 1 of 2 report pages — "):
        index_site(str(site), [shards[0], lost, shards[2]])
    assert (site / "search" / "zh-0" / "pagefind-entry.json").is_file()  # compacted, not left half-written
    assert not (site / "search" / "zh-0" / ".blocks.tmp").exists()
    assert not (site / "search" / "en-0").exists()  # nothing after the lost shard was indexed


def test_smaller_chunks_make_more_of_them(built, tmp_path):
    shards = shards_of(built)[:2]
    default = index_site(str(pages_copied(built, tmp_path / "default", shards)), shards)
    small = index_site(str(pages_copied(built, tmp_path / "small", shards)), shards, pack_bytes=100)
    assert [r.compaction.chunks_after for r in default] == [1, 1]  # a fixture report's words fit one chunk
    assert [s.compaction.chunks_after for s in small] == [4, 11]  # the same words in more files
    assert [s.compaction.words for s in small] == [d.compaction.words for d in default]


def test_the_chunk_size_is_a_setting():
    assert load_settings({}).search_chunk_kb == PACK_BYTES // 1000 == 40
    assert load_settings({"search_chunk_kb": 12}).search_chunk_kb == 12
    for wrong in (0, -3, 1.5, "12", True, None):
        with pytest.raises(SettingsError) as raised:
            load_settings({"search_chunk_kb": wrong})
        assert str(raised.value) == ("extra.archive.search_chunk_kb must be a whole number of kilobytes, at least 1 — "
                                     "for example search_chunk_kb: 40")
