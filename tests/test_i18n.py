"""Both languages complete (issue 12): recipients' English labels from the vocabulary, permalink
titles in the page's language, a Chinese-only report marked lang="zh" on the English site (h1,
TOC, listings), languages and their conventions from the configuration — module tests with exact
values, then one real build of the fixture site."""
from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from archive.check import _languages
from archive.frontmatter import split
from archive.i18n import mark_toc, permalink_titles
from archive.render import Context, report_header
from archive.validation import check_report
from archive.vocabulary import load_vocabulary
from sites import FIXTURES, make_site

RECIPIENTS = """\
recipients:
  district-committee:
    zh: 区委
    en: District Party Committee
  district-government:
    zh: 区政府
    en: District Government
    aliases: [XX区人民政府]
  org-department:
    zh: 区委组织部
    en: Organization Department of the District Party Committee
"""


@pytest.fixture(scope="module")
def vocabulary():
    text = (FIXTURES / "vocabulary.yml").read_text(encoding="utf-8") + RECIPIENTS
    vocab, problems = load_vocabulary(text, "docs/vocabulary.yml")
    assert problems == []
    return vocab


# ---- the vocabulary's recipients -------------------------------------------------------------

def test_recipients_are_optional_and_read_like_units(vocab, vocabulary):
    assert vocab.recipients == {}   # the fixture vocabulary has none: no problem
    assert list(vocabulary.recipients) == ["district-committee", "district-government", "org-department"]
    assert vocabulary.recipients["district-government"].label("en") == "District Government"
    assert vocabulary.recipients["district-government"].aliases == ("XX区人民政府",)


def test_an_unknown_field_or_a_missing_label_of_a_recipient_is_a_problem():
    base = (FIXTURES / "vocabulary.yml").read_text(encoding="utf-8")
    start = base.count("\n") + 1   # the line of "recipients:"
    text = base + "recipients:\n  district-committee:\n    zh: 区委\n    english: District Party Committee\n"
    _, problems = load_vocabulary(text, "docs/vocabulary.yml")
    assert [p.format("en") for p in problems] == [
        f"docs/vocabulary.yml:{start + 1}: recipients.district-committee has no en label — add en: <label>",
        f"docs/vocabulary.yml:{start + 3}: recipients.district-committee has unknown field english — "
        "remove it or correct the spelling",
    ]
    _, problems = load_vocabulary(base + "recipients: [区委]\n", "docs/vocabulary.yml")
    assert [p.code for p in problems] == ["vocab_section"]


def test_a_recipient_is_looked_up_whole_then_part_by_part(vocabulary):
    assert vocabulary.recipient_parts("区委组织部") == (("org-department", "区委组织部"),)
    assert vocabulary.recipient_parts("区委、区政府") == (("district-committee", "区委"),
                                                         ("district-government", "区政府"))
    assert vocabulary.recipient_parts("区委、区人大常委会") == (("district-committee", "区委"), (None, "区人大常委会"))
    assert vocabulary.recipient_parts("XX区人民政府") == (("district-government", "XX区人民政府"),)
    assert vocabulary.recipient_parts("市委") == ((None, "市委"),)


REPORT = """\
---
title: 区税务局2022年度工作汇报
date: 2023-01-15
year: 2022
unit: tax-bureau
recipient: {recipient}
topics: [revenue]
template: finance-annual
metrics:
  growth_rate: 5.1
---

正文。
"""


@pytest.mark.parametrize("recipient, expected", [
    ("区委组织部", []),
    ("市委", []),                                   # free text the vocabulary does not list: shown as written
    ("org-department", []),                         # a key
    ("district-comittee", ["reports/2022/tax-2022.md:6: unknown recipient 'district-comittee' — "
                           "use a registered recipient (did you mean 'district-committee'?)"]),
    ("区委、org-departmnt", ["reports/2022/tax-2022.md:6: unknown recipient 'org-departmnt' — "
                            "use a registered recipient (did you mean 'org-department'?)"]),
])
def test_a_recipient_written_as_an_unknown_key_is_reported(vocabulary, recipient, expected):
    path = "reports/2022/tax-2022.md"
    found = check_report(split(REPORT.format(recipient=recipient), path), vocabulary).problems
    assert [p.format("en") for p in found if p.code == "unknown_term"] == expected


def test_the_zh_message_of_an_unknown_recipient(vocabulary):
    path = "reports/2022/tax-2022.md"
    found = check_report(split(REPORT.format(recipient="district-comittee"), path), vocabulary).problems
    assert [p.format("zh") for p in found if p.code == "unknown_term"] == [
        "reports/2022/tax-2022.md:6: 未登记的报送对象「district-comittee」 — 改为已登记的报送对象（是否要写「district-committee」？）"]


def test_recipients_on_each_page_language(vocabulary):
    en = Context(lang="en", vocab=vocabulary, default_lang="zh")
    zh = Context(lang="zh", vocab=vocabulary, default_lang="zh")
    assert en.recipient("区委、区人大常委会") == [("District Party Committee", None), ("区人大常委会", "zh")]
    assert en.recipient("XX区人民政府") == [("District Government", None)]
    assert zh.recipient("XX区人民政府") == [("XX区人民政府", None)]   # in the reports' language: as written
    fr = Context(lang="fr", vocab=vocabulary, default_lang="zh")      # no words in fr: the default's, marked
    assert fr.recipient("区委") == [("区委", "zh")]


def test_the_header_names_recipients_in_the_page_language(vocabulary):
    report = check_report(split(REPORT.format(recipient="区委、区人大常委会"), "reports/2022/tax-2022.md"), vocabulary)
    html = report_header(report, report.url, Context(lang="en", vocab=vocabulary, default_lang="zh"))
    assert '<dt>Addressed to</dt><dd>District Party Committee, <span lang="zh">区人大常委会</span></dd>' in html
    html = report_header(report, report.url, Context(lang="zh", vocab=vocabulary, default_lang="zh"))
    assert "<dt>报送对象</dt><dd>区委、区人大常委会</dd>" in html


# ---- permalinks and the table of contents ----------------------------------------------------

def test_permalink_titles_are_replaced_on_permalinks_only():
    html = ('<h2 id="a">A<a class="headerlink" href="#a" title="Permanent link" rel="noopener noreferrer">&para;</a></h2>'
            '<p><a href="https://x.example/" title="Permanent link">Permanent link</a></p>')
    assert permalink_titles(html, "Permanent link", "本节链接") == (
        '<h2 id="a">A<a class="headerlink" href="#a" title="本节链接" rel="noopener noreferrer">&para;</a></h2>'
        '<p><a href="https://x.example/" title="Permanent link">Permanent link</a></p>')
    assert permalink_titles(html, "Permanent link", "Permanent link") == html
    quoted = '<a class="headerlink" href="#a" title="A &quot;link&quot;">&para;</a>'
    assert permalink_titles(quoted, 'A "link"', "<本节>") == '<a class="headerlink" href="#a" title="&lt;本节&gt;">&para;</a>'


def test_mark_toc_marks_every_entry_and_its_children():
    child = SimpleNamespace(title="（一）收入 &amp; 支出", children=[])
    entries = [SimpleNamespace(title="一、组织收入", children=[child])]
    mark_toc(entries, "zh")
    assert entries[0].title == '<span lang="zh">一、组织收入</span>'
    assert child.title == '<span lang="zh">（一）收入 &amp; 支出</span>'   # HTML as the theme prints it, not escaped again


def test_without_the_i18n_plugin_the_language_is_the_themes():
    assert _languages([], "en") == ("en", ("en",))
    assert _languages([{"i18n": {"languages": [{"locale": "zh", "default": True}, {"locale": "en"}]}}], "fr") == \
        ("zh", ("zh", "en"))


# ---- built for real --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The fixture site, its vocabulary with recipients: tax-2021 has no English version, tax-2022 has."""
    site = make_site(tmp_path_factory.mktemp("i18n"), search=False)
    vocabulary = site.docs / "vocabulary.yml"
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8") + RECIPIENTS, encoding="utf-8")
    result = site.build(strict=True)
    assert result.returncode == 0, result.output[-3000:]
    return site


def toc(html: str) -> list[str]:
    found = re.search(r'<ul class="md-nav__list" data-md-component="toc"[^>]*>(.*?)</ul>\s*</nav>', html, re.S)
    assert found
    return [re.sub(r"\s+", " ", title).strip() for title in
            re.findall(r'<span class="md-ellipsis">(.*?)</span>\s*</a>', found.group(1), re.S)]


def test_a_chinese_only_report_on_the_english_site_marks_its_h1_and_toc(site):
    html = site.page("en/reports/2021/tax-2021")
    assert re.findall(r"<h1[^>]*>.*?</h1>", html) == ['<h1 lang="zh">区税务局2021年度工作汇报</h1>']
    assert toc(html) == ['<span lang="zh">一、组织收入</span>', "Figures"]
    assert '<dt>Addressed to</dt><dd>Organization Department of the District Party Committee</dd>' in html


def test_a_translated_report_and_the_original_are_not_marked(site):
    html = site.page("en/reports/2022/tax-2022")
    assert re.findall(r"<h1[^>]*>.*?</h1>", html) == ["<h1>District Tax Bureau work report for 2022</h1>"]
    assert toc(html) == ["1. Revenue", "2. VAT credit refunds", "Figures"]
    assert '<dt>Addressed to</dt><dd>Organization Department of the District Party Committee</dd>' in html
    html = site.page("reports/2021/tax-2021")
    assert re.findall(r"<h1[^>]*>.*?</h1>", html) == ["<h1>区税务局2021年度工作汇报</h1>"]
    assert toc(html) == ["一、组织收入", "报告数据"]
    assert "<dt>报送对象</dt><dd>区委组织部</dd>" in html


def test_english_listings_mark_chinese_titles(site):
    html = site.page("en/archive/2021")
    assert re.findall(r'<a class="wr-item__title" href="[^"]*"( lang="zh")?>([^<]*)</a>', html) == \
        [(' lang="zh"', "区税务局2021年度工作汇报")]
    assert re.findall(r'<a class="wr-item__title" href="[^"]*"( lang="zh")?>([^<]*)</a>', site.page("en/archive/2022")) == \
        [("", "District Tax Bureau work report for 2022"), (' lang="zh"', "区财政局2022年工作总结")]


@pytest.mark.parametrize("url, title", [
    ("reports/2021/tax-2021", "本节链接"), ("en/reports/2021/tax-2021", "Permanent link"),
    ("reports/2022/tax-2022", "本节链接"), ("en/reports/2022/tax-2022", "Permanent link"),
    ("metrics", "本节链接"), ("en/metrics", "Permanent link"),
])
def test_permalink_titles_are_in_the_page_language(site, url, title):
    html = site.page(url)
    titles = re.findall(r'<a class="headerlink" href="#[^"]*" title="([^"]*)"', html)
    assert len(titles) >= 2 and set(titles) == {title}, (url, titles)


def test_a_third_language_writes_figures_as_the_default_language_does(vocabulary):
    from archive.formatting import format_value
    from archive.render import shown
    words = {default: Context(lang="fr", vocab=vocabulary, default_lang=default).words for default in ("zh", "en")}
    assert words == {"zh": "zh", "en": "en"}
    assert [format_value(1268000000, "元", "money", lang) for lang in words.values()] == ["12.68亿元", "1.27 billion yuan"]
    assert shown(1268000000, "元", "money", words["zh"]).full == "1,268,000,000元"


def test_vocabulary_labels_exist_in_their_languages_only(vocabulary):
    term = vocabulary.recipients["district-committee"]
    assert (term.label("zh"), term.label("en")) == ("区委", "District Party Committee")
    with pytest.raises(KeyError):
        term.label("fr")   # never the Chinese label silently: a page in fr asks in its interface language
