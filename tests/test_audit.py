"""Nothing lost: the audit reads the links of the generated pages and finds every missing report."""
from __future__ import annotations

from dataclasses import replace

import pytest

from archive.audit import Linked, audit, linked_urls
from archive.index import build_index
from archive.pages import GeneratedPage, archive_pages
from archive.render import Context
from named_reports import FINANCE_2022, TAX_2021, TAX_2022

INDEX = build_index([TAX_2021, TAX_2022, FINANCE_2022])
TAX_2022_LINK = 'href="../../reports/2022/tax-bureau-2022/"'   # as the year page links it


def pages_for(lang: str, vocab) -> dict[str, GeneratedPage]:
    return {page.url: page for page in archive_pages(INDEX, Context(lang, vocab))}


def without_lines_containing(page: GeneratedPage, text: str) -> GeneratedPage:
    lines = page.html.split("\n")
    kept = [line for line in lines if text not in line]
    assert len(kept) == len(lines) - 1, "the page should list the report on one line"
    return replace(page, html="\n".join(kept))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_generated_pages_pass_the_audit(vocab, lang):
    pages = pages_for(lang, vocab)
    assert {"", "archive/", "topics/", "units/", "archive/2022/", "archive/2021/", "topics/revenue/",
            "topics/tax-relief/", "units/tax-bureau/", "units/finance-bureau/"} <= set(pages)
    assert audit(INDEX, pages.values()) == []


def test_a_report_missing_from_its_year_page_is_the_one_problem(vocab):
    pages = pages_for("zh", vocab)
    pages["archive/2022/"] = without_lines_containing(pages["archive/2022/"], TAX_2022_LINK)
    found = audit(INDEX, pages.values())
    assert [p.format() for p in found] == [
        "reports/2022/tax-bureau-2022.md:1: 报告没有出现在应在的页面 archive/2022/ 上"
        " — 这是归档程序的错误，请把这条信息报告给维护者"]
    assert [p.format("en") for p in found] == [
        "reports/2022/tax-bureau-2022.md:1: the report is missing from page archive/2022/"
        " — this is a fault of the archive's code: please report this message to the maintainer"]


def test_a_link_that_resolves_elsewhere_does_not_count(vocab):
    """A wrong relative link is a fault of rendering, which the audit must catch too."""
    pages = pages_for("zh", vocab)
    year = pages["archive/2022/"]
    pages["archive/2022/"] = replace(year, html=year.html.replace(TAX_2022_LINK, 'href="reports/2022/tax-bureau-2022/"'))
    assert [(p.path, p.code, p.args["page"]) for p in audit(INDEX, pages.values())] == [
        ("reports/2022/tax-bureau-2022.md", "missing_from_page", "archive/2022/")]


def test_a_missing_page_reports_each_report_it_should_list(vocab):
    pages = pages_for("zh", vocab)
    del pages["topics/revenue/"]
    found = audit(INDEX, pages.values())
    assert [(p.path, p.args["page"]) for p in found] == [
        ("reports/2022/finance-bureau-2022.md", "topics/revenue/"),
        ("reports/2022/tax-bureau-2022.md", "topics/revenue/"),
        ("reports/2021/tax-bureau-2021.md", "topics/revenue/"),
    ]


def test_the_home_page_need_not_list_every_report(vocab):
    pages = [page for page in archive_pages(INDEX, Context("zh", vocab), latest=1)]
    assert audit(INDEX, pages) == []


@pytest.mark.parametrize("page_url, html, expected", [
    ("archive/2022/", '<a href="../../reports/2022/x/">x</a>', {"reports/2022/x/"}),
    ("archive/2022/", '<a href="./">2022</a> <a href="../">all</a>', {"archive/2022/", "archive/"}),
    ("", '<a href="./">home</a> <a href="reports/2022/x/#figures">x</a>', {"", "reports/2022/x/"}),
    ("units/tax-bureau/", '<a href="../../topics/revenue/?q=1">t</a>', {"topics/revenue/"}),
    ("archive/", "<p>no links</p>", set()),
])
def test_linked_urls_are_relative_to_the_language_root(page_url, html, expected):
    assert linked_urls(GeneratedPage(page_url, "t", html, "year")) == expected


def test_links_are_read_again_only_when_a_page_changed(monkeypatch):
    import archive.audit as module
    read = []
    monkeypatch.setattr(module, "linked_urls", lambda page: read.append(page.html) or {page.html})
    linked = Linked()
    year = GeneratedPage("archive/2022/", "2022", "<a href='a/'>", "year")
    assert linked(year) == {"<a href='a/'>"} and linked(GeneratedPage("archive/2022/", "2022", "<a href='a/'>", "year")) == {"<a href='a/'>"}
    assert linked(GeneratedPage("archive/2022/", "2022", "<a href='b/'>", "year")) == {"<a href='b/'>"}
    assert read == ["<a href='a/'>", "<a href='b/'>"]  # the equal page of the second call was not read
