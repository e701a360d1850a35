"""Atom feeds (archive.feeds): which reports go into which feed, and the feeds of a real build.

The fixture site is a git repository (every report committed on one day, the English translation
edited on a later one) with a report whose title is hostile, built with site_url at a sub-path,
three entries a feed and a fixed SOURCE_DATE_EPOCH, so that every entry, date and link is known.
Feeds are read back with xml.etree and the Atom namespace.
"""
from __future__ import annotations

import os
import posixpath
import re
import subprocess
import xml.etree.ElementTree as ET
from datetime import date, datetime, timezone

import pytest

from archive.feeds import (WHOLE, Feed, FeedSite, archive_feeds, atom, entry_dates, feed_files, feed_link, feed_path,
                           summary)
from archive.gitdates import History
from archive.index import build_index
from archive.render import Context
from archive.report import Report, Translation
from archive.settings import SettingsError, load_settings
from sites import Site, make_site
from test_sitemap import commit, set_site_url

SITE_URL = "https://reports.example.internal/reports-archive/"
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FIRST, EDITED = "2001-02-03T04:05:06+00:00", "2005-06-07T04:05:06+00:00"
HOSTILE = "<script>alert(1)</script> ]]> 区税务局2020年度工作汇报 & \"汇报\""
HOSTILE_REPORT = f"""---
title: '{HOSTILE}'
date: 2021-01-05
year: 2020
unit: tax-bureau
recipient: 区委组织部
topics: [tax-relief]
template: tax-annual
metrics:
  tax_revenue: 1000000000
  refund_households: 200
  refund_amount: 1.7
---

## 一、组织收入

全年组织税收收入{{{{ tax_revenue }}}}，办理留抵退税{{{{ refund_households }}}}、{{{{ refund_amount }}}}。
"""
FINANCE_23, TAX_22, FINANCE_22, TAX_21, HOSTILE_20 = ("reports/2023/finance-2023/", "reports/2022/tax-2022/",
                                                      "reports/2022/finance-2022/", "reports/2021/tax-2021/",
                                                      "reports/2020/hostile-2020/")
# feed → its page and its entries, newest first, at most three (feed_entries: 3)
FEEDS = {
    "feeds/all.atom": ("", [FINANCE_23, TAX_22, FINANCE_22]),
    "feeds/topic-revenue.atom": ("topics/revenue/", [FINANCE_23, TAX_22, FINANCE_22]),
    "feeds/topic-tax-relief.atom": ("topics/tax-relief/", [TAX_22, HOSTILE_20]),
    "feeds/topic-personnel.atom": ("topics/personnel/", [FINANCE_22]),
    "feeds/unit-tax-bureau.atom": ("units/tax-bureau/", [TAX_22, TAX_21, HOSTILE_20]),
    "feeds/unit-finance-bureau.atom": ("units/finance-bureau/", [FINANCE_23, FINANCE_22]),
}
TITLES = {
    "zh": {"feeds/all.atom": "工作汇报档案", "feeds/topic-revenue.atom": "主题：组织收入 — 工作汇报档案",
           "feeds/topic-tax-relief.atom": "主题：减税降费 — 工作汇报档案",
           "feeds/topic-personnel.atom": "主题：人事工作 — 工作汇报档案",
           "feeds/unit-tax-bureau.atom": "区税务局的报告 — 工作汇报档案",
           "feeds/unit-finance-bureau.atom": "区财政局的报告 — 工作汇报档案"},
    "en": {"feeds/all.atom": "Work Report Archive", "feeds/topic-revenue.atom": "Topic: Revenue collection — Work Report Archive",
           "feeds/topic-tax-relief.atom": "Topic: Tax relief — Work Report Archive",
           "feeds/topic-personnel.atom": "Topic: Personnel work — Work Report Archive",
           "feeds/unit-tax-bureau.atom": "Reports of the District Tax Bureau — Work Report Archive",
           "feeds/unit-finance-bureau.atom": "Reports of the District Finance Bureau — Work Report Archive"},
}
PREFIX = {"zh": "", "en": "en/"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    built = make_site(tmp_path_factory.mktemp("feeds") / "site", search=False, feed_entries=3)
    set_site_url(built, SITE_URL)
    built.write("reports/2020/hostile-2020.md", HOSTILE_REPORT)
    (built.root / ".gitignore").write_text("site/\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(built.root)], check=True)
    commit(built, FIRST[:10], "reports")
    built.edit("reports/2022/tax-2022.en.md", "\n\n", "\n\nThe year went well.\n\n")
    commit(built, EDITED[:10], "edit the translation")
    args, env = built.command()
    result = subprocess.run(args, capture_output=True, text=True, env=dict(env, SOURCE_DATE_EPOCH="1262304000"),
                            cwd=built.root)
    assert result.returncode == 0, result.stdout + result.stderr
    return built


def read(site: Site, path: str) -> ET.Element:
    root = ET.fromstring((site.out / path).read_bytes())
    assert root.tag == ATOM + "feed"
    return root


def text(element: ET.Element, name: str) -> str | None:
    found = element.find(ATOM + name)
    return None if found is None else found.text


def links(element: ET.Element) -> list[tuple[str | None, str | None, str]]:
    return [(link.get("rel"), link.get("type"), link.get("href")) for link in element.findall(ATOM + "link")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_feed_parses_with_its_entries_in_order_and_absolute_links(site, lang):
    prefix = PREFIX[lang]
    written = sorted(p.relative_to(site.out / prefix).as_posix() for p in (site.out / prefix / "feeds").glob("*.atom"))
    assert written == sorted(FEEDS)
    for path, (page, reports) in FEEDS.items():
        feed = read(site, prefix + path)
        assert feed.get(XML_LANG) == lang
        assert text(feed, "id") == SITE_URL + prefix + path
        assert text(feed, "title") == TITLES[lang][path]
        assert links(feed) == [("self", "application/atom+xml", SITE_URL + prefix + path),
                               ("alternate", "text/html", SITE_URL + prefix + page)]
        entries = feed.findall(ATOM + "entry")
        assert [text(entry, "id") for entry in entries] == [SITE_URL + prefix + url for url in reports]
        assert [[link.get("href") for link in entry.findall(ATOM + "link")] for entry in entries] == \
               [[SITE_URL + prefix + url] for url in reports]


def test_dates_are_the_date_of_issue_and_the_last_change_in_git_of_each_languages_files(site):
    for lang in ("zh", "en"):
        feed = read(site, PREFIX[lang] + "feeds/unit-tax-bureau.atom")
        entries = feed.findall(ATOM + "entry")
        assert [(text(e, "published"), text(e, "updated")) for e in entries] == [
            ("2023-01-12T00:00:00+00:00", EDITED if lang == "en" else FIRST),  # the translation was edited later
            ("2022-01-10T00:00:00+00:00", FIRST), ("2021-01-05T00:00:00+00:00", FIRST)]
        assert text(feed, "updated") == (EDITED if lang == "en" else FIRST)  # its newest entry's


def test_entries_say_their_language_and_carry_metadata_but_no_figure(site):
    en = read(site, "en/feeds/unit-tax-bureau.atom").findall(ATOM + "entry")
    # translated: the feed's language; not translated: the original's title, marked as Chinese
    assert [(text(e, "title"), e.find(ATOM + "title").get(XML_LANG)) for e in en] == [
        ("District Tax Bureau work report for 2022", None), ("区税务局2021年度工作汇报", "zh"), (HOSTILE, "zh")]
    assert text(en[0], "summary") == ("Reporting unit: District Tax Bureau; Year: 2022; Issued: 2023-01-12; "
                                      "Report type: Annual tax work report; Topic: Revenue collection, Tax relief")
    assert [(c.get("term"), c.get("label"), c.get("scheme")) for c in en[0].findall(ATOM + "category")] == [
        ("revenue", "Revenue collection", SITE_URL + "en/topics/"), ("tax-relief", "Tax relief", SITE_URL + "en/topics/")]
    zh = read(site, "feeds/unit-tax-bureau.atom").findall(ATOM + "entry")
    assert text(zh[0], "summary") == "报送单位：区税务局；年度：2022；印发日期：2023-01-12；报告类型：税务工作年度汇报；主题：组织收入、减税降费"
    assert [e.find(ATOM + "author").find(ATOM + "name").text for e in zh] == ["区税务局"] * 3
    for path in site.out.rglob("*.atom"):  # no figure of any report, in any form
        data = path.read_text(encoding="utf-8")
        assert not re.search(r"1268000000|12\.68|1,268|356|3\.2|1100000000|6\.25", data), path


def test_a_hostile_title_stays_text(site):
    for lang in ("zh", "en"):
        data = (site.out / PREFIX[lang] / "feeds/topic-tax-relief.atom").read_text(encoding="utf-8")
        assert "<script" not in data and "]]>" not in data
        assert "&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; 区税务局2020年度工作汇报 &amp; \"汇报\"" in data
        entry = read(site, PREFIX[lang] + "feeds/topic-tax-relief.atom").findall(ATOM + "entry")[1]
        assert text(entry, "title") == HOSTILE


def test_beside_the_feeds_an_empty_sitemap_for_material_to_find(site):
    for prefix in ("", "en/"):
        root = ET.fromstring((site.out / prefix / "feeds" / "sitemap.xml").read_bytes())
        assert (root.tag, len(root)) == ("{http://www.sitemaps.org/schemas/sitemap/0.9}urlset", 0)


HEAD_LINK = re.compile(r'<link rel="alternate" type="application/atom\+xml" title="([^"]*)" href="([^"]*)">')
VISIBLE = re.compile(r'<p class="wr-feed"><a href="([^"]*)" type="application/atom\+xml">([^<]*)</a></p>')
LINKED = {"": "feeds/all.atom", "archive/": "feeds/all.atom", "topics/revenue/": "feeds/topic-revenue.atom",
          "topics/tax-relief/": "feeds/topic-tax-relief.atom", "topics/personnel/": "feeds/topic-personnel.atom",
          "units/tax-bureau/": "feeds/unit-tax-bureau.atom", "units/finance-bureau/": "feeds/unit-finance-bureau.atom"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_listed_page_links_its_feed_in_the_head_and_visibly(site, lang):
    prefix = PREFIX[lang]
    words = {"zh": "订阅最新报告（Atom）", "en": "Follow the latest reports (Atom feed)"}[lang]
    for url, path in LINKED.items():
        html = site.page(prefix + url)
        head = html[:html.index("</head>")]
        assert [(title, posixpath.normpath(posixpath.join(url, target))) for title, target in HEAD_LINK.findall(head)] \
            == [(TITLES[lang][path], path)], url
        assert [(posixpath.normpath(posixpath.join(url, target)), shown) for target, shown in VISIBLE.findall(html)] \
            == [(path, words)], url
        assert (site.out / prefix / path).is_file()
    for url in ("archive/2022/", "metrics/", "search/", "topics/", "units/", TAX_22):  # no feed of their own
        html = site.page(prefix + url)
        assert "application/atom+xml" not in html, url


def test_without_site_url_no_feeds_and_no_links(tmp_path):
    built = make_site(tmp_path / "site", search=False)
    set_site_url(built, None)
    result = built.build()
    assert result.returncode == 0, result.output
    assert "no Atom feeds are written" in result.output or "不生成 sitemap.xml 和 Atom 订阅源" in result.output
    assert not list(built.out.rglob("*.atom")) and not (built.out / "feeds").exists()
    assert not [p for p in built.out.rglob("*.html") if "application/atom+xml" in p.read_text(encoding="utf-8")]


# ---- the plain module ------------------------------------------------------------------------

def _report(path: str, title: str, day: date, unit: str = "tax-bureau", topics: tuple[str, ...] = ("revenue",),
            **more) -> Report:
    return Report(path=path, title=title, date=day, year=day.year - 1, unit=unit, topics=topics, **more)


def test_which_reports_go_into_which_feed(vocab):
    reports = [_report(f"reports/{y}/t-{y}.md", f"T{y}", date(y, 1, 5), topics=("revenue", "personnel") if y % 2 else ("revenue",))
               for y in range(2015, 2025)]
    reports.append(_report("reports/2020/f.md", "F", date(2020, 6, 1), unit="finance-bureau", topics=()))
    index = build_index(reports)
    feeds = archive_feeds(index, {"topics/revenue/": "主题：组织收入"}, 2)
    assert [(f.path, f.page, f.title, [r.path for r in f.reports]) for f in feeds] == [
        (WHOLE, "", None, ["reports/2024/t-2024.md", "reports/2023/t-2023.md"]),
        ("feeds/topic-revenue.atom", "topics/revenue/", "主题：组织收入", ["reports/2024/t-2024.md", "reports/2023/t-2023.md"]),
        ("feeds/topic-personnel.atom", "topics/personnel/", "personnel", ["reports/2023/t-2023.md", "reports/2021/t-2021.md"]),
        ("feeds/unit-tax-bureau.atom", "units/tax-bureau/", "tax-bureau", ["reports/2024/t-2024.md", "reports/2023/t-2023.md"]),
        ("feeds/unit-finance-bureau.atom", "units/finance-bureau/", "finance-bureau", ["reports/2020/f.md"]),
    ]
    assert archive_feeds(index, {}, 0) == []


def test_which_page_links_which_feed(vocab):
    assert [feed_path(kind, url) for kind, url in (("home", ""), ("archive", "archive/"), ("topic", "topics/revenue/"),
                                                   ("unit", "units/tax-bureau/"), ("year", "archive/2022/"),
                                                   ("metrics", "metrics/"), ("unit_figures", "units/tax-bureau/figures/"))] \
        == [WHOLE, WHOLE, "feeds/topic-revenue.atom", "feeds/unit-tax-bureau.atom", None, None, None]
    ctx = Context(lang="en", vocab=vocab, default_lang="zh")
    found = feed_link("topic", "topics/revenue/", "Topic: Revenue collection", "Archive", ctx)
    assert (found.href, found.title) == ("../../feeds/topic-revenue.atom", "Topic: Revenue collection — Archive")
    found = feed_link("archive", "archive/", "By year", "Archive", ctx)
    assert (found.href, found.title) == ("../feeds/all.atom", "Archive")
    assert feed_link("year", "archive/2022/", "Reports on 2022", "Archive", ctx) is None


def test_updated_is_the_newest_commit_of_the_languages_files_else_the_date_of_issue():
    report = _report("reports/2022/a.md", "A", date(2023, 1, 12),
                     translations={"en": Translation(lang="en", path="reports/2022/a.en.md", title="A en")})
    older, newer = datetime(2023, 2, 1, 9, tzinfo=timezone.utc), datetime(2024, 3, 1, 9, tzinfo=timezone.utc)
    history = History(available=True, committed={"reports/2022/a.md": older, "reports/2022/a.en.md": newer})
    issued = datetime(2023, 1, 12, tzinfo=timezone.utc)
    assert entry_dates(report, "zh", history) == (issued, older)
    assert entry_dates(report, "en", history) == (issued, newer)
    uncommitted = History(available=True, committed={"reports/2022/a.md": older},
                          uncommitted=frozenset({"reports/2022/a.en.md"}))
    assert entry_dates(report, "en", uncommitted) == (issued, issued)
    assert entry_dates(report, "zh", None) == (issued, issued)  # no git


def test_text_xml_cannot_hold_is_replaced_and_markup_stays_text(vocab):
    report = _report("reports/2022/a.md", "A\x01B\x1b<b>]]>", date(2023, 1, 12))
    ctx = Context(lang="zh", vocab=vocab, default_lang="zh")
    built = datetime(2010, 1, 1, tzinfo=timezone.utc)
    data = atom(Feed(path=WHOLE, page="", title=None, reports=(report,)), ctx, FeedSite(url="https://x.example/a", name="档案"),
                None, built)
    entry = ET.fromstring(data).find(ATOM + "entry")
    assert text(entry, "title") == "A\ufffdB\ufffd<b>]]>"
    assert text(entry, "id") == "https://x.example/a/reports/2022/a/"  # site_url without its final slash
    empty = ET.fromstring(atom(Feed(path=WHOLE, page="", title=None, reports=()), ctx,
                               FeedSite(url="https://x.example/", name="档案"), None, built))
    assert (text(empty, "updated"), empty.findall(ATOM + "entry")) == ("2010-01-01T00:00:00+00:00", [])
    assert feed_files([], ctx, FeedSite(url="https://x.example/", name="档案"), None, built) == {}


def test_the_summary_names_metadata_only(vocab):
    report = _report("reports/2022/a.md", "A", date(2023, 1, 12), topics=("revenue", "tax-relief"), template="tax-annual",
                     metrics={"tax_revenue": 1268000000})
    assert summary(report, Context(lang="en", vocab=vocab, default_lang="zh")) == (
        "Reporting unit: District Tax Bureau; Year: 2022; Issued: 2023-01-12; Report type: Annual tax work report; "
        "Topic: Revenue collection, Tax relief")


@pytest.mark.parametrize("value", [-1, True, "20", 2.5])
def test_feed_entries_is_a_whole_number(value):
    with pytest.raises(SettingsError, match=r"^extra\.archive\.feed_entries must be a whole number, 0 for no feeds"):
        load_settings({"feed_entries": value})
    assert load_settings({"feed_entries": 0}).feed_entries == 0
    assert load_settings({}).feed_entries == 20


def test_mkdocs_serve_types_a_feed_as_atom():
    """``mkdocs serve`` (its livereload server) types a file by Python's mimetypes, nginx by
    deploy/nginx/archive.conf's ``types`` (tests/test_nginx_browser.py)."""
    import mimetypes
    from mkdocs.livereload import LiveReloadServer
    assert mimetypes.guess_type("feeds/all.atom")[0] == "application/atom+xml"
    assert LiveReloadServer._guess_type("feeds/all.atom") == "application/atom+xml"
