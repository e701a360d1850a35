"""The sitemap (archive.sitemap), the 404 page of each language and the skip link, in the built site.

The fixture site is a git repository (reports committed on two days) built with site_url at a
sub-path and a fixed SOURCE_DATE_EPOCH, so that every lastmod is known. Structural checks stand
in for the sitemap 0.9 schema: no maintained package ships that schema to validate against offline.
"""
from __future__ import annotations

import gzip
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from datetime import date

import pytest
import yaml

from archive.sitemap import SitemapPage, sitemap_files, without_head_alternates
from sites import Site, make_site

SITE_URL = "https://reports.example.internal/reports-archive/"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
BUILT = "2010-01-01"            # SOURCE_DATE_EPOCH 1262304000: the build's date
FIRST, EDITED = "2001-02-03", "2005-06-07"  # the commit of every report, and of tax-2022's later edit
GENERATED = ["", "archive/", "archive/2021/", "archive/2022/", "archive/2023/", "metrics/", "search/",
             "topics/", "topics/personnel/", "topics/revenue/", "topics/tax-relief/", "units/",
             "units/finance-bureau/", "units/finance-bureau/figures/", "units/tax-bureau/", "units/tax-bureau/figures/"]
REPORTS = ["reports/2021/tax-2021/", "reports/2022/finance-2022/", "reports/2022/tax-2022/", "reports/2023/finance-2023/"]


def commit(site: Site, when: str, message: str) -> None:
    git = ["git", "-C", str(site.root), "-c", "user.name=Archive", "-c", "user.email=archive@example.invalid"]
    dated = dict(os.environ, GIT_COMMITTER_DATE=f"{when}T04:05:06Z", GIT_AUTHOR_DATE=f"{when}T04:05:06Z")
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", message], check=True, env=dated)


def set_site_url(site: Site, value: str | None) -> None:
    config = yaml.safe_load((site.root / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("site_url", None)
    if value is not None:
        config["site_url"] = value
    (site.root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    built = make_site(tmp_path_factory.mktemp("sitemap") / "site", search=False)
    set_site_url(built, SITE_URL)
    (built.root / ".gitignore").write_text("site/\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(built.root)], check=True)
    commit(built, FIRST, "reports")
    built.edit("reports/2022/tax-2022.md", "\n\n", "\n\n全年工作稳中有进。\n\n")
    commit(built, EDITED, "edit")
    args, env = built.command()
    result = subprocess.run(args, capture_output=True, text=True, env=dict(env, SOURCE_DATE_EPOCH="1262304000"),
                            cwd=built.root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "site_url" not in result.stderr  # set: nothing to say
    return built


def entries(site: Site) -> dict[str, tuple[str, dict[str, str]]]:
    """loc → (lastmod, hreflang → href), read back with a parser."""
    root = ET.fromstring((site.out / "sitemap.xml").read_bytes())
    assert root.tag == "{%s}urlset" % NS["s"]
    found = {}
    for url in root:
        assert url.tag == "{%s}url" % NS["s"]
        assert [child.tag for child in url][:2] == ["{%s}loc" % NS["s"], "{%s}lastmod" % NS["s"]]
        links = url.findall("x:link", NS)
        assert len(url) == 2 + len(links)  # nothing else inside
        assert all(link.get("rel") == "alternate" for link in links)
        loc = url.find("s:loc", NS).text
        assert loc not in found
        found[loc] = (url.find("s:lastmod", NS).text, {link.get("hreflang"): link.get("href") for link in links})
    return found


def test_every_page_of_both_languages_is_listed_with_absolute_addresses(site):
    found = entries(site)
    pages = GENERATED + REPORTS
    assert sorted(found) == sorted(SITE_URL + prefix + url for prefix in ("", "en/") for url in pages)
    # and that is every page the build wrote, but the 404 pages
    written = sorted(p.parent.relative_to(site.out).as_posix() for p in site.out.rglob("index.html"))
    assert sorted(SITE_URL + ("" if w == "." else w + "/") for w in written) == sorted(found)
    for url in pages:  # each page names both languages' versions, itself included
        for prefix in ("", "en/"):
            assert found[SITE_URL + prefix + url][1] == {"zh": SITE_URL + url, "en": SITE_URL + "en/" + url}


def test_lastmod_is_the_reports_last_change_else_the_build_date(site):
    found = entries(site)
    dates = {loc[len(SITE_URL):]: lastmod for loc, (lastmod, _) in found.items()}
    expected = {prefix + url: BUILT for prefix in ("", "en/") for url in GENERATED}
    expected.update({prefix + url: FIRST for prefix in ("", "en/") for url in REPORTS})
    expected["reports/2022/tax-2022/"] = expected["en/reports/2022/tax-2022/"] = EDITED
    assert dates == expected


def test_the_sitemap_is_valid_as_the_protocol_asks(site):
    text = (site.out / "sitemap.xml").read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                           'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n')
    for loc, (lastmod, links) in entries(site).items():
        assert loc.startswith(SITE_URL) and len(loc) < 2048 and re.fullmatch(r"[\x21-\x7e]+", loc), loc
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", lastmod)
        assert all(href.startswith(SITE_URL) for href in links.values())
    packed = (site.out / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(packed) == (site.out / "sitemap.xml").read_bytes()
    assert int.from_bytes(packed[4:8], "little") == 1262304000  # dated by the build, as MkDocs dates it
    assert not list(site.out.glob("en/sitemap*"))  # one sitemap for the site


def test_no_page_names_an_alternate_material_would_fetch_a_sitemap_beside(site):
    pages = sorted(site.out.rglob("*.html"))
    assert len(pages) == 42
    for path in pages:
        html = path.read_text(encoding="utf-8")
        # only feeds (archive.feeds), each beside a sitemap.xml for Material to find, never a 404
        for found in re.findall(r"<link rel=\"alternate\"[^>]*>", html):
            feed = re.fullmatch(r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="([^"]*)">', found)
            assert feed is not None, (path, found)
            assert (path.parent / feed.group(1)).resolve().with_name("sitemap.xml").is_file(), (path, found)
        assert html.count('class="md-select__link"') == 2, path  # the language menu stays


def test_a_404_page_per_language_with_links_into_the_archive(site):
    for name, lang, words in (("404.html", "zh", ("找不到页面", "首页", "按年度", "按主题", "按单位")),
                              ("en/404.html", "en", ("Page not found", "Home", "By year", "By topic", "By unit"))):
        html = (site.out / name).read_text(encoding="utf-8")
        prefix = "/reports-archive/" + ("en/" if lang == "en" else "")
        assert f'<html lang="{lang}"' in html
        assert re.findall(r"<h1>([^<]*)</h1>", html) == [words[0]]
        assert re.findall(r'<li><a href="([^"]*)">([^<]*)</a></li>', html) == [
            (prefix, words[1]), (prefix + "archive/", words[2]), (prefix + "topics/", words[3]), (prefix + "units/", words[4])]
        # every file it loads is named from the site's path, whatever the depth of the missing address
        assets = re.findall(r'(?:src|href)="([^"#]+\.(?:css|js|png))"', html)
        assert len(assets) >= 4 and all(a.startswith("/reports-archive/") for a in assets), assets
        assert html.count('http-equiv="Content-Security-Policy"') == 1


def test_every_page_has_one_skip_link_to_its_content(site):
    pages = sorted(site.out.rglob("*.html"))
    assert len(pages) == 42
    for path in pages:
        html = path.read_text(encoding="utf-8")
        material = re.search(r'<div data-md-component="skip">.*?</div>', html, re.S)  # hidden by archive.css
        links = re.findall(r'<a href="(#[^"]+)" class="md-skip">\s*([^<]+?)\s*</a>', html[material.end():])
        english = path.relative_to(site.out).parts[0] == "en"
        assert links == [("#wr-main", "Skip to content" if english else "跳转至")], path
        assert html.count('<span id="wr-main" tabindex="-1"></span>') == 1, path


def test_without_site_url_no_sitemap_and_one_line_saying_how_to_set_it(tmp_path):
    built = make_site(tmp_path / "site", search=False, messages="en")
    set_site_url(built, None)
    result = built.build()  # strict: a deployment setting, not a fault of the content
    assert result.returncode == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("WARNING")]
    assert lines == ["WARNING -  mkdocs.yml:1: site_url is not set: no sitemap.xml and no Atom feeds are written, and the 404 page works "
                     "at the site's root only — set the site's full address in mkdocs.yml, ending in /, for example "
                     "site_url: https://reports.example.internal/reports-archive/"]
    assert not (built.out / "sitemap.xml").exists() and not (built.out / "sitemap.xml.gz").exists()
    assert (built.out / "404.html").exists() and (built.out / "en" / "404.html").exists()


# ---- the plain module ------------------------------------------------------------------------

def test_one_sitemap_exactly():
    pages = [SitemapPage(url="en/a&b/", lang="en", alternates=(("zh", "a&b/"), ("en", "en/a&b/"))),
             SitemapPage(url="", lang="zh", lastmod=date(2024, 5, 6)),
             SitemapPage(url="报告/", lang="zh")]
    assert sitemap_files(pages, "https://h.example/x/", date(2025, 1, 2)) == {"sitemap.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
        "<url><loc>https://h.example/x/</loc><lastmod>2024-05-06</lastmod></url>\n"
        "<url><loc>https://h.example/x/en/a%26b/</loc><lastmod>2025-01-02</lastmod>"
        '<xhtml:link rel="alternate" hreflang="zh" href="https://h.example/x/a%26b/"/>'
        '<xhtml:link rel="alternate" hreflang="en" href="https://h.example/x/en/a%26b/"/></url>\n'
        "<url><loc>https://h.example/x/%E6%8A%A5%E5%91%8A/</loc><lastmod>2025-01-02</lastmod></url>\n"
        "</urlset>\n").encode("utf-8")}


def test_past_the_limit_an_index_over_numbered_sitemaps():
    pages = [SitemapPage(url=f"p{n}/", lang="zh") for n in range(5)]
    files = sitemap_files(pages, "https://h.example/", date(2025, 1, 2), max_urls=2)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag == "{%s}sitemapindex" % NS["s"]
    assert [s.find("s:loc", NS).text for s in index] == [f"https://h.example/sitemap-{n}.xml" for n in (1, 2, 3)]
    parts = [[u.find("s:loc", NS).text for u in ET.fromstring(files[f"sitemap-{n}.xml"])] for n in (1, 2, 3)]
    assert parts == [["https://h.example/p0/", "https://h.example/p1/"], ["https://h.example/p2/", "https://h.example/p3/"],
                     ["https://h.example/p4/"]]
    # by size too: every file under the byte limit
    files = sitemap_files(pages, "https://h.example/", None, max_bytes=300)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"]
    assert [len(files[f"sitemap-{n}.xml"]) for n in (1, 2)] == [285, 241]  # three addresses would be 329 bytes


def test_only_the_themes_language_alternates_leave_the_head():
    html = ('<head>\n  <link rel="alternate" href="./" hreflang="zh">\n'
            '  <link rel="alternate" href="../en/" hreflang="en">\n'
            '  <link rel="alternate" type="application/rss+xml" title="feed" href="feed.xml">\n</head>\n'
            '<body><code>&lt;link rel="alternate" href="x" hreflang="y"&gt;</code>\n'
            '<link rel="alternate" href="kept" hreflang="zh">\n</body>')
    assert without_head_alternates(html) == (
        '<head>\n  <link rel="alternate" type="application/rss+xml" title="feed" href="feed.xml">\n</head>\n'
        '<body><code>&lt;link rel="alternate" href="x" hreflang="y"&gt;</code>\n'
        '<link rel="alternate" href="kept" hreflang="zh">\n</body>')
