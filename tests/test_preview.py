"""``./dev serve`` (mkdocs serve --dirty, archive.preview): an edit reaches every page that shows
it and only those are written again; the search index is built once, at startup, and the search
page says which reports changed since. The real command on the fixture site, over HTTP."""
from __future__ import annotations

import json
import os
import posixpath
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from itertools import product
from pathlib import Path

import pytest

import archive.catalog
from archive.catalog import load_reports
from archive.preview import CheckCache, Pages, SearchSnapshot, remove_pages
from archive.render import _relative
from sites import ROOT, Site, make_site

REPORTS = Path(__file__).resolve().parent / "fixtures" / "reports"

TIMEOUT = 180  # seconds for a reload on a busy machine; a reload of the fixture site takes about two
GENERATED = ("", "archive/2022/", "topics/revenue/", "units/tax-bureau/", "metrics/", "en/units/finance-bureau/figures/")


# ---- the parts, without a server ------------------------------------------------------------

def sources(**changed: str) -> list[tuple[str, str]]:
    found = [(f"reports/2022/{name}", (REPORTS / name).read_text(encoding="utf-8"))
             for name in ("complete.md", "complete.en.md", "masked-figure.md", "missing-metric.md", "orphan.en.md")]
    return [(path, changed.get(path.rsplit("/", 1)[1], text)) for path, text in found]


def test_a_load_with_the_check_cache_checks_only_changed_files_and_finds_the_same(vocab, monkeypatch):
    checked = []
    real = archive.catalog.check_report
    monkeypatch.setattr(archive.catalog, "check_report", lambda source, *args: checked.append(source.path) or real(source, *args))
    cache = CheckCache()
    first = load_reports(sources(), vocab, cache=cache)
    assert sorted(checked) == ["reports/2022/complete.md", "reports/2022/masked-figure.md", "reports/2022/missing-metric.md"]
    edited = sources(**{"missing-metric.md": (REPORTS / "missing-metric.md").read_text(encoding="utf-8") + "\n又一句。\n"})
    checked.clear()
    again = load_reports(edited, vocab, cache=cache)
    assert checked == ["reports/2022/missing-metric.md"]
    assert again == load_reports(edited, vocab) and first == load_reports(sources(), vocab)
    # what a load adds to a report (a translation, more problems) never reaches the cache
    again[0][0].problems.clear()
    again[0][0].translations.clear()
    assert load_reports(edited, vocab, cache=cache) == load_reports(edited, vocab)


def test_the_check_cache_starts_again_for_another_vocabulary(vocab):
    cache = CheckCache()
    load_reports(sources(), vocab, cache=cache)
    other = type(vocab)(units=vocab.units, topics={}, metrics=vocab.metrics, templates=vocab.templates)
    reports, problems = load_reports(sources(), other, cache=cache)
    assert (reports, problems) == load_reports(sources(), other)
    assert any(p.code == "unknown_term" for p in problems)  # its topics are no longer known


def test_pages_are_written_again_when_their_key_changes_or_everything_when_the_build_failed():
    pages = Pages()
    pages.start("zh", context="c")
    assert pages.unchanged("zh", {"r1": 1, "r2": 2}) == set()  # the first build leaves nothing out
    assert pages.changed("zh", {"a/": 1, "b/": 2, "c/": 3}) == {"a/", "b/", "c/"}
    pages.pending["zh"].files = {"r1": "file of r1", "r2": "file of r2"}
    assert pages.commit() == []
    pages.start("zh", context="c")
    assert pages.unchanged("zh", {"r1": 1, "r2": 5}) == {"r1"}
    assert pages.changed("zh", {"a/": 1, "b/": 9}) == {"b/"}
    assert pages.commit() == ["c/"]  # no longer in the site: removed
    pages.start("zh", context="another configuration")
    assert pages.unchanged("zh", {"r1": 1, "r2": 5}) == set()
    pages.forget()  # a failed build
    pages.start("zh", context="c")
    assert pages.unchanged("zh", {"r1": 1}) == set() and pages.changed("zh", {"a/": 1}) == {"a/"}


def test_removing_pages_never_leaves_the_served_folder(tmp_path):
    site = tmp_path / "site"
    (site / "reports" / "x").mkdir(parents=True)
    (site / "reports" / "x" / "index.html").write_text("x")
    (tmp_path / "outside.html").write_text("keep")
    (site / "link.html").symlink_to(tmp_path / "outside.html")
    removed = remove_pages(str(site), ["reports/x/index.html", "../outside.html", "link.html", "gone/index.html", ""])
    assert removed == ["reports/x/index.html"]
    assert (tmp_path / "outside.html").read_text() == "keep" and not (site / "reports" / "x" / "index.html").exists()


def test_the_search_snapshot_names_reports_changed_added_or_removed():
    snapshot = SearchSnapshot(built=datetime(2025, 3, 1, 9, 30), reports={"a": 1, "b": 2, "c": 3})
    assert snapshot.changed({"a": 1, "b": 2, "c": 3}) == []
    assert snapshot.changed({"a": 1, "b": 7, "d": 4}) == ["b", "c", "d"]


def test_relative_links_are_those_of_posixpath():
    paths = ["", ".", "a", "a/", "a/b", "a/b/", "a/./b", "a//b", "reports/2022/x/", "archive/2022/", "en/reports/2022/x/",
             "../a", "a/../b", "/a/b/", "/a"]
    for target, start in product(paths, repeat=2):
        if target.startswith("/") == start.startswith("/"):
            assert _relative(target or ".", start or ".") == posixpath.relpath(target or ".", start or "."), (target, start)


# ---- the real command ----------------------------------------------------------------------

@dataclass
class Served:
    site: Site
    base: str
    log: Path
    process: subprocess.Popen
    at_start: str = ""  # the search page before any edit
    generated: dict[str, str] | None = None  # generated pages before any edit

    def alive(self) -> None:
        assert self.process.poll() is None, f"./dev serve stopped:\n{self.log.read_text()[-3000:]}"

    def get(self, url: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base + url, timeout=TIMEOUT) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, ""
        except OSError:  # not serving yet
            return 0, ""

    def page(self, url: str) -> str:
        status, html = self.get(url)
        assert status == 200, url
        return html

    def wait(self, url: str, found, what: str) -> str:
        """The page at ``url`` once ``found(html)`` holds (the reload after an edit)."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            self.alive()
            status, html = self.get(url)
            if found(status, html):
                return html
            time.sleep(0.1)
        raise AssertionError(f"{url}: {what} not seen within {TIMEOUT} s\n{self.log.read_text()[-3000:]}")

    def reload_after(self, edit) -> list[str]:
        """Make ``edit()`` and return the log lines of the reload it caused."""
        start = len(self.log.read_text(encoding="utf-8"))
        edit()
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            self.alive()
            lines = self.log.read_text(encoding="utf-8")[start:].splitlines()
            if any("Reloading browsers" in line for line in lines):
                return lines
            time.sleep(0.1)
        raise AssertionError(f"no reload within {TIMEOUT} s\n{self.log.read_text()[-3000:]}")


def written(lines: list[str]) -> list[str]:
    return [line.split("-  ", 1)[1] for line in lines if "preview (" in line]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("preview"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = site.root / "serve.log"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    with open(log, "w") as out:
        process = subprocess.Popen([str(ROOT / "dev"), "serve", "-f", str(site.root / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"],
                                   stdout=out, stderr=subprocess.STDOUT, env=env, cwd=site.root)
    served = Served(site, f"http://127.0.0.1:{port}/", log, process)
    try:
        served.wait("", lambda status, html: status == 200, "the first build")
        # the watcher starts after the first build: let it take its first look at the files
        served.wait("", lambda status, html: "Watching paths" in log.read_text(), "the watcher")
        time.sleep(1)
        served.at_start = served.page("search/")
        served.generated = {url: served.page(url) for url in GENERATED}
        yield served
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_first_build_is_whole_and_indexed_for_search(served):
    lines = served.log.read_text(encoding="utf-8").splitlines()
    # 6 generated pages in the navigation, 3 years, 3 topics, 2 units, 2 units' figures, 4 reports
    assert written(lines)[:2] == ["preview (zh): 20 pages written", "preview (en): 20 pages written"]
    assert any("search: 5 report pages indexed in 2 shards" in line for line in lines)
    for shard, pages in (("zh-0", 4), ("en-0", 1)):
        entry = json.loads(served.page(f"search/{shard}/pagefind-entry.json"))
        assert sum(language["page_count"] for language in entry["languages"].values()) == pages
    assert "wr-stale" not in served.at_start  # the search page before any edit


def test_a_sentence_added_to_a_report_shows_in_both_languages_and_only_its_pages_are_written(served):
    path = served.site.docs / "reports/2022/finance-2022.md"
    lines = served.reload_after(lambda: path.write_text(path.read_text(encoding="utf-8") + "\n预览新增的一句。\n",
                                                         encoding="utf-8"))
    assert "预览新增的一句" in served.page("reports/2022/finance-2022/")
    assert "预览新增的一句" in served.page("en/reports/2022/finance-2022/")  # no translation: the text in Chinese
    # the report's page and the 6 pages of the navigation, in each language; nothing else
    assert written(lines) == ["preview (zh): 7 pages written", "preview (en): 7 pages written"]
    for url, lang in (("search/", "zh"), ("en/search/", "en")):
        notice = re.search(r'<div class="admonition warning wr-stale"[^>]*><p class="admonition-title">([^<]*)</p>'
                           r"<ul>(.*?)</ul></div>", served.page(url))
        assert notice, url
        assert re.fullmatch(r"搜索索引建于 \d\d:\d\d，之后改动的 \d+ 篇报告在搜索结果中仍是改动前的样子 — 重新启动 ./dev serve 即可重建索引"
                            if lang == "zh" else r"The search index was built at \d\d:\d\d; reports changed since then "
                            r"\(\d+\) are found as they were — restart ./dev serve to index them again", notice.group(1))
        assert "<li><code>docs/reports/2022/finance-2022.md</code></li>" in notice.group(2)


def test_an_edit_is_heard_from_the_system_and_causes_one_reload(served):
    assert "serve: saved files are heard from the system (InotifyObserver), not by polling" in served.log.read_text()
    path = served.site.docs / "reports/2022/tax-2022.md"
    start = len(served.log.read_text(encoding="utf-8"))
    served.reload_after(lambda: path.write_text(path.read_text(encoding="utf-8") + "\n一句。\n", encoding="utf-8"))
    time.sleep(2)  # the build read files: reading is no change, nothing is built again
    lines = served.log.read_text(encoding="utf-8")[start:].splitlines()
    assert sum("Building documentation" in line for line in lines) == 1, lines


def test_a_new_title_reaches_the_listings_and_the_neighbours(served):
    path = served.site.docs / "reports/2023/finance-2023.md"
    served.reload_after(lambda: path.write_text(path.read_text(encoding="utf-8").replace(
        "title: ", "title: 改题", 1), encoding="utf-8"))
    assert ">改题" in served.page("reports/2023/finance-2023/")
    for url in ("archive/2023/", "units/finance-bureau/", "topics/revenue/", "en/archive/2023/"):
        assert re.search(r'<a class="wr-item__title" href="[^"]*finance-2023/"( lang="zh")?>改题', served.page(url)), url
    # the same unit's report a year before links to it as the next report
    footer = served.page("reports/2022/finance-2022/").split('<nav class="wr-neighbours"', 1)[1]
    assert re.search(r'<div class="wr-next"><span>下一篇（同单位）</span><a href="../../2023/finance-2023/">改题', footer)


def test_a_new_report_with_a_problem_is_published_with_its_problem(served):
    path = served.site.docs / "reports/2024/tax-2024.md"
    path.parent.mkdir(exist_ok=True)
    served.reload_after(lambda: path.write_text(
        "---\ntitle: 区税务局2024年度工作汇报\ndate: 2025-01-10\nyear: 2024\nunit: tax-bureau\ntopics: [no-such-topic]\n"
        "template: tax-annual\nmetrics:\n  tax_revenue: 1300000000\n  refund_amount: 3.0\n---\n\n新的报告。\n", encoding="utf-8"))
    html = served.page("reports/2024/tax-2024/")
    assert '<div class="admonition danger"' in html and "<code>docs/reports/2024/tax-2024.md:6</code>" in html
    assert "tax-2024/" in served.page("archive/2024/")
    assert '<a href="2024/">2024</a>' in served.page("archive/")


def test_a_deleted_report_is_gone_from_its_address_and_its_neighbour(served):
    path = served.site.docs / "reports/2021/tax-2021.md"
    served.reload_after(path.unlink)
    assert served.get("reports/2021/tax-2021/")[0] == 404
    assert served.get("en/reports/2021/tax-2021/")[0] == 404
    assert "tax-2021" not in served.page("reports/2022/tax-2022/").split('<nav class="wr-neighbours"', 1)[-1]


def test_a_vocabulary_change_reaches_the_pages_of_reports_not_edited(served):
    path = served.site.docs / "vocabulary.yml"
    lines = served.reload_after(lambda: path.write_text(path.read_text(encoding="utf-8").replace(
        "en: District Finance Bureau", "en: District Finance Office", 1), encoding="utf-8"))
    # the page of a report that did not change in this reload shows the new name
    assert ">District Finance Office</a>" in served.page("en/reports/2022/finance-2022/")
    # every page: 6 of the navigation, 2 units and their figures, and at least 3 reports, 2 years and 2 topics
    (zh, zh_count), (en, en_count) = (re.fullmatch(r"preview \((\w+)\): (\d+) pages written", line).groups()
                                      for line in written(lines))
    assert (zh, en) == ("zh", "en") and zh_count == en_count and int(zh_count) >= 17


def test_search_still_works_after_reloads(served, browser):
    page = browser.new_page()
    page.goto(served.base + "archive/")
    page.keyboard.press("/")
    page.keyboard.type("税情专报")
    page.wait_for_selector(".wr-search__panel .wr-hit")
    first = page.eval_on_selector(".wr-hit__title", "e => e.href").split("?")[0]
    page.close()
    assert first == served.base + "reports/2022/tax-2022/"


def test_generated_pages_are_served_as_built_but_for_line_breaks_between_blocks(served, tmp_path):
    # serve gives a generated page's HTML to the page as it is; Markdown adds line breaks
    built = make_site(tmp_path / "built")
    assert built.build(strict=False).returncode == 0
    article = lambda html: re.sub(r">\s+<", "><", re.search(  # noqa: E731
        r'<article class="md-content__inner md-typeset">(.*?)</article>', html, re.S).group(1)).strip()
    for url in GENERATED:
        assert article(served.generated[url]) == article(built.page(url)), url


def test_an_open_page_reloads_itself_with_the_edit(served, browser):
    # the browser keeps MkDocs' live-reload request open: answered when the rebuild is done
    path = served.site.docs / "reports/2022/tax-2022.md"
    page = browser.new_page()
    page.goto(served.base + "reports/2022/tax-2022/")
    page.wait_for_load_state("load")
    with page.expect_navigation(timeout=TIMEOUT * 1000):  # the live-reload script's location.reload()
        path.write_text(path.read_text(encoding="utf-8") + "\n浏览器里自动出现的一句。\n", encoding="utf-8")
    assert "浏览器里自动出现的一句" in page.inner_text("article")
    page.close()


def test_a_link_to_a_report_left_out_of_the_reload_still_resolves(served):
    # the reload leaves the unchanged reports out of the build: a link to one is still made a URL
    path = served.site.docs / "reports/2023/finance-2023.md"
    lines = served.reload_after(lambda: path.write_text(path.read_text(encoding="utf-8")
                                                        + "\n见[税务局的报告](../2022/tax-2022.md#一组织收入)。\n", encoding="utf-8"))
    for url in ("reports/2023/finance-2023/", "en/reports/2023/finance-2023/"):
        assert re.search(r'<a href="../../2022/tax-2022/#一组织收入"[^>]*>税务局的报告</a>', served.page(url)), url
    assert not [line for line in lines if "tax-2022" in line]  # no warning about the link


def test_the_figures_page_has_its_table_of_contents_when_served_as_raw_html(served):
    # serve hands a generated page over without Markdown: its TOC comes from the package's headings
    html = served.generated["metrics/"]
    toc = re.search(r'<nav class="md-nav md-nav--secondary"[^>]*>(.*?)</nav>', html, re.S)
    assert toc and 'href="#downloads"' in toc.group(1) and 'href="#metric-tax_revenue"' in toc.group(1)
    assert 'aria-current="page"' in served.generated["archive/2022/"]  # the breadcrumb, too


def test_the_heap_is_collected_and_frozen_after_a_build_unless_the_next_one_starts():
    import gc
    from archive.preview import Heap
    heap = Heap(delay=0.05)
    gc.unfreeze()
    heap.settle_later()
    heap.cancel()  # a build started: no collection in its middle
    time.sleep(0.2)
    assert gc.get_freeze_count() == 0
    heap.settle_later()
    time.sleep(0.5)
    try:
        assert gc.get_freeze_count() > 0  # what survived is left out of the next reload's collections
    finally:
        gc.unfreeze()
