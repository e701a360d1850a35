"""Search index planning and Pagefind indexing (hooks/archive/search.py)."""
from __future__ import annotations

import json
import re
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest

from archive.index import build_index
from archive.report import Report, Translation
from archive.search import (SearchError, Shard, bundles, fallback_message, index_site, page_memory,
                            pagefind_executable, plan_shards)
from sites import Built, Site, make_site


def report(number: int, translated: bool = False) -> Report:
    path = f"reports/2022/r-{number}.md"
    found = Report(path, f"报告{number}", date(2023, 1, 1 + number), 2022, "tax-bureau", topics=("revenue",))
    if translated:
        found.translations["en"] = Translation("en", path.replace(".md", ".en.md"), f"Report {number}")
    return found


def test_shards_fit_the_memory_budget_newest_first():
    index = build_index([report(n, translated=n % 2 == 0) for n in range(5)])
    assert page_memory(0) == 0.39  # an empty page; each costs more with its text
    shards = plan_shards(index, "zh", ("en",), memory_mb=0.8)
    assert [(s.name, s.lang, s.pages) for s in shards] == [
        ("zh-0", "zh", ("reports/2022/r-4/index.html", "reports/2022/r-3/index.html")),
        ("zh-1", "zh", ("reports/2022/r-2/index.html", "reports/2022/r-1/index.html")),
        ("zh-2", "zh", ("reports/2022/r-0/index.html",)),
        # English pages of untranslated reports show Chinese text: it is searched in the zh shards
        ("en-0", "en", ("en/reports/2022/r-4/index.html", "en/reports/2022/r-2/index.html")),
        ("en-1", "en", ("en/reports/2022/r-0/index.html",)),
    ]


def test_long_reports_make_smaller_shards():
    reports = [report(n) for n in range(4)]
    reports[1].size = 20_000  # 0.39 + 2.12 MB
    shards = plan_shards(build_index(reports), "zh", (), memory_mb=3)
    assert [len(s.pages) for s in shards] == [2, 2]  # the long r-1 does not fit beside r-3 and r-2
    assert shards[0].pages == ("reports/2022/r-3/index.html", "reports/2022/r-2/index.html")
    assert shards[1].pages == ("reports/2022/r-1/index.html", "reports/2022/r-0/index.html")


def test_a_shard_holds_at_most_so_many_pages():
    shards = plan_shards(build_index([report(n) for n in range(5)]), "zh", (), memory_mb=100, max_pages=2)
    assert [len(s.pages) for s in shards] == [2, 2, 1]


def test_each_language_searches_its_own_shards_then_the_default_language():
    shards = [Shard("zh-0", "zh", ("a",)), Shard("zh-1", "zh", ("b",)), Shard("en-0", "en", ("c",))]
    assert [b["name"] for b in bundles(shards, "zh", "zh")] == ["zh-0", "zh-1"]
    assert bundles(shards, "en", "zh") == [
        {"name": "en-0", "path": "search/en-0/", "lang": "en"},
        {"name": "zh-0", "path": "search/zh-0/", "lang": "zh"},
        {"name": "zh-1", "path": "search/zh-1/", "lang": "zh"}]


@pytest.fixture(scope="module")
def built(shared_site) -> Built:
    built = shared_site(strict=True, search_memory=1)  # shared with test_phrases and test_search_browser
    assert built.returncode == 0, built.output
    return built


@pytest.fixture(scope="module")
def site(built) -> Site:
    return built.site


def test_the_build_indexes_every_report_page_in_shards(site):
    # 4 Chinese reports in shards of 2, 1 English translation
    assert sorted(p.name for p in (site.out / "search").iterdir()) == ["en-0", "index.html", "phrases", "words",
                                                                       "zh-0", "zh-1"]
    for shard in ("zh-0", "zh-1", "en-0"):
        assert (site.out / "search" / shard / "pagefind-entry.json").is_file()
    assert not (site.out / "search" / "search_index.json").exists()  # Material's own search is off


def test_the_indexers_chinese_words_are_listed_by_their_first_character(site):
    # the search worker cuts a query with them: 税 → words/7a0e.json
    words = json.loads((site.out / "search" / "words" / f"{ord('税'):x}.json").read_text(encoding="utf-8"))
    assert words == sorted(words) and all(word.startswith("税") for word in words)
    assert "税收" in words or "税务" in words
    assert not any(p.name == f"{ord('t'):x}.json" for p in (site.out / "search" / "words").iterdir())


def test_only_a_reports_own_text_is_marked_for_the_index(site):
    assert "data-pagefind-body" in site.page("reports/2022/tax-2022")
    assert "data-pagefind-body" in site.page("en/reports/2022/tax-2022")
    for url in ("", "archive/2022", "topics/revenue", "units/tax-bureau", "search", "en/reports/2022/finance-2022"):
        assert "data-pagefind-body" not in site.page(url), url
    html = site.page("reports/2022/tax-2022")
    for mark in ('data-pagefind-filter="year:2022"', 'data-pagefind-filter="unit:tax-bureau"',
                 'data-pagefind-filter="topic:revenue"', 'data-pagefind-filter="topic:tax-relief"',
                 'data-pagefind-filter="template:tax-annual"', 'data-pagefind-sort="date:2023-01-12"',
                 'data-pagefind-meta="unit:区税务局"', 'data-pagefind-filter="shard:zh-0"'):
        assert f"<span hidden {mark}></span>" in html
    assert '<div class="wr-figures" data-pagefind-ignore>' in html


def test_pages_carry_the_search_configuration(site):
    html = site.page("en/archive/2022")
    assert '<script id="wr-search-config" type="application/json">' in html
    assert ('"bundles": [{"lang": "en", "name": "en-0", "path": "search/en-0/"}, '
            '{"lang": "zh", "name": "zh-0", "path": "search/zh-0/"}') in html
    assert '"searchPage": "en/search/"' in html
    assert 'placeholder="Search reports (press /)"' in html


def test_the_build_reports_how_it_indexed(built):
    assert "search: 5 report pages indexed in 3 shards" in built.output
    assert re.search(r"word index compacted from [\d.]+ [KM]B to [\d.]+ [KM]B in \d+ chunks", built.output), built.output


def test_a_page_that_pagefind_does_not_index_fails_the_build(site, tmp_path):
    lost = Shard("zh-9", "zh", ("reports/2022/tax-2022/index.html", "reports/2022/gone/index.html"))
    with pytest.raises(SearchError, match=r"search shard zh-9: Pagefind indexed 1 of 2 report pages"):
        index_site(str(site.out), [lost])


def test_search_can_be_turned_off(tmp_path):
    site = make_site(tmp_path, search=False)
    assert site.build().returncode == 0
    assert not (site.out / "search" / "zh-0").exists()
    assert "wr-search-config" not in site.page("")


# Another Pagefind: its own index is kept, and the build warns without failing

def another_pagefind(folder: Path) -> tuple[Path, Path]:
    """A Pagefind that says it is 9.9.9 (the real one, then its entry file edited, as a newer
    Pagefind would write it), and the folder where it leaves a copy of each bundle it wrote."""
    pristine = folder / "as-written"
    pristine.mkdir(parents=True)
    script = folder / "pagefind-9.9.9"
    script.write_text(f"""#!{sys.executable}
import shutil, subprocess, sys
from pathlib import Path
status = subprocess.call([{pagefind_executable()!r}, *sys.argv[1:]])
out = Path(sys.argv[sys.argv.index("--output-path") + 1])
entry = out / "pagefind-entry.json"
entry.write_text(entry.read_text(encoding="utf-8").replace('"version":"1.5.2"', '"version":"9.9.9"'), encoding="utf-8")
shutil.copytree(out, Path({str(pristine)!r}) / out.name)
sys.exit(status)
""", encoding="utf-8")
    script.chmod(0o755)
    return script, pristine


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


KEPT = ("search: the index Pagefind wrote is kept as it is (search works, but queries fetch more and two builds of "
        "a commit may differ), in {shards}: the index is of Pagefind 9.9.9, the rewrite knows the format of "
        "Pagefind 1.5.2 only — install the Pagefind pinned in requirements.txt (pip install -r requirements.txt), "
        "or update hooks/archive/pagefind_index.py to the new format")


def test_the_index_of_another_pagefind_is_kept_as_it_wrote_it(site, tmp_path, monkeypatch):
    script, pristine = another_pagefind(tmp_path / "pagefind")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(script))
    out = tmp_path / "site"
    pages = ("reports/2022/tax-2022/index.html", "reports/2021/tax-2021/index.html")
    for page in pages:
        (out / page).parent.mkdir(parents=True)
        shutil.copy(site.out / page, out / page)
    [result] = index_site(str(out), [Shard("zh-0", "zh", pages)])
    assert result.indexed == 2 and result.compaction is None
    assert result.kept == "the index is of Pagefind 9.9.9, the rewrite knows the format of Pagefind 1.5.2 only"
    assert files(out / "search" / "zh-0") == files(pristine / "zh-0")  # byte for byte as Pagefind wrote it
    assert not (out / "search" / "words").exists()  # the worker lets Pagefind cut queries
    assert fallback_message([result]) == KEPT.format(shards="zh-0")


def test_a_build_with_another_pagefind_warns_and_passes_strict(tmp_path, monkeypatch):
    # not a content problem: no report causes or fixes it, and the site's search works
    script, pristine = another_pagefind(tmp_path / "pagefind")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(script))
    built = make_site(tmp_path / "site", search_memory=1)
    result = built.build(strict=True)
    assert result.returncode == 0, result.output
    assert f"WARNING -  {KEPT.format(shards='zh-0, zh-1, en-0')}" in result.output.splitlines()
    assert "word index as Pagefind wrote it" in result.output
    for shard in ("zh-0", "zh-1", "en-0"):
        assert files(built.out / "search" / shard) == files(pristine / shard)
    assert not (built.out / "search" / "words").exists()
