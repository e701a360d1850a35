"""HTML fragments: relative links, escaping of everything from front matter, figures (script: test_sanitize)."""
from __future__ import annotations

from datetime import date

import pytest

from archive.index import build_index
from archive.pages import GeneratedPage, archive_pages
from archive.problems import Problem
from archive.render import (Context, figures_panel, href, link, problems_notice, quote_figures,
                            report_footer, report_header, report_item)
from archive.report import Report, Translation

SCRIPT = "<script>alert(1)</script>"
HOSTILE_TITLE = f'区税务局"2022"{SCRIPT}'
HOSTILE_RECIPIENT = f'区委{SCRIPT}"组织部"'
ESCAPED_TITLE = "区税务局&#34;2022&#34;&lt;script&gt;alert(1)&lt;/script&gt;"
ESCAPED_RECIPIENT = "区委&lt;script&gt;alert(1)&lt;/script&gt;&#34;组织部&#34;"
REPORT_URL = "reports/2022/tax-bureau-2022/"


def hostile_report(**changes) -> Report:
    fields = dict(path="reports/2022/tax-bureau-2022.md", title=HOSTILE_TITLE, date=date(2023, 1, 15), year=2022,
                  unit="tax-bureau", recipient=HOSTILE_RECIPIENT, topics=("revenue",), template="tax-annual",
                  metrics={"tax_revenue": 1268000000, "growth_rate": 12.345})
    fields.update(changes)
    return Report(**fields)


def assert_no_raw_markup(html: str) -> None:
    """Neither the script nor the quoted words of the front matter appear as written."""
    assert "<script" not in html
    assert '"2022"' not in html
    assert '"组织部"' not in html


# --- links ------------------------------------------------------------------------------------

@pytest.mark.parametrize("page, target, expected", [
    ("archive/2022/", "reports/2022/x/", "../../reports/2022/x/"),
    ("", "reports/2022/x/", "reports/2022/x/"),                  # from the home page
    ("archive/2022/", "", "../../"),                              # to the home page
    ("", "", "./"),
    ("archive/2022/", "archive/2022/", "./"),                     # to itself
    ("archive/", "archive/2022/", "2022/"),
    ("reports/2022/x/", "archive/2022/", "../../../archive/2022/"),
    ("topics/revenue/", "topics/tax-relief/", "../tax-relief/"),
    ("reports/2022/x/", "assets/logo.png", "../../../assets/logo.png"),   # a file keeps no slash
])
def test_href_is_relative_to_the_page(page, target, expected):
    assert href(page, target) == expected


def test_link_escapes_text_and_address():
    assert link("", 'a"b/', "<b>&</b>", "wr-unit") == '<a class="wr-unit" href="a&#34;b/">&lt;b&gt;&amp;&lt;/b&gt;</a>'


# --- escaping of front matter -----------------------------------------------------------------

def test_report_item_escapes_the_title(vocab):
    html = report_item(hostile_report(), "archive/2022/", Context("zh", vocab))
    assert_no_raw_markup(html)
    assert f'<a class="wr-item__title" href="../../{REPORT_URL}">{ESCAPED_TITLE}</a>' in html
    assert '<a class="wr-unit" href="../../units/tax-bureau/">区税务局</a>' in html
    assert '<time datetime="2023-01-15">2023-01-15</time>' in html
    assert '<a class="wr-topic" href="../../topics/revenue/">组织收入</a>' in html


def test_report_item_escapes_a_translated_title(vocab):
    report = hostile_report(translations={"en": Translation("en", "reports/2022/tax-bureau-2022.en.md",
                                                            f'Tax "2022" {SCRIPT}')})
    html = report_item(report, "", Context("en", vocab))
    assert "<script" not in html
    assert "Tax &#34;2022&#34; &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert ' lang="zh"' not in html


def test_report_item_marks_an_untranslated_title_as_chinese(vocab):
    html = report_item(hostile_report(), "", Context("en", vocab, default_lang="zh"))  # the originals' language
    assert f'href="{REPORT_URL}" lang="zh">{ESCAPED_TITLE}</a>' in html
    assert ">District Tax Bureau</a>" in html


def test_report_header_escapes_the_recipient(vocab):
    html = report_header(hostile_report(), REPORT_URL, Context("zh", vocab))
    assert_no_raw_markup(html)
    assert f"<dt>报送对象</dt><dd>{ESCAPED_RECIPIENT}</dd>" in html
    assert '<dt>报送单位</dt><dd><a href="../../../units/tax-bureau/">区税务局</a></dd>' in html
    assert '<dt>年度</dt><dd><a href="../../../archive/2022/">2022</a></dd>' in html
    assert "<dt>报告类型</dt><dd>税务工作年度汇报</dd>" in html


def test_report_header_leaves_out_what_failed_its_checks(vocab):
    report = Report("reports/2022/x.md", "x")
    assert report_header(report, "reports/2022/x/", Context("zh", vocab)) == '<dl class="wr-meta" data-pagefind-ignore></dl>'


def test_archive_pages_escape_report_titles(vocab):
    other = hostile_report(path="reports/2021/tax-bureau-2021.md", date=date(2022, 1, 10), year=2021)
    pages = archive_pages(build_index([hostile_report(), other]), Context("zh", vocab))
    listing = [page for page in pages if REPORT_URL in page.html]   # every page that links the report
    assert {page.url for page in listing} >= {"", "archive/2022/", "topics/revenue/", "units/tax-bureau/"}
    for page in pages:
        assert_no_raw_markup(page.html)
        assert_no_raw_markup(page.markdown())
    for page in listing:
        assert ESCAPED_TITLE in page.html


def test_generated_page_markdown_escapes_its_title():
    page = GeneratedPage("topics/x/", f'主题："x"{SCRIPT}', "<p>body</p>", "topic")
    assert "<script" not in page.markdown()
    assert "<p>body</p>" in page.markdown()


def test_report_footer_links_the_neighbours_escaped(vocab):
    older = hostile_report(path="reports/2021/tax-bureau-2021.md", date=date(2022, 1, 10), year=2021)
    newer = hostile_report(path="reports/2023/tax-bureau-2023.md", title="区税务局2023年度工作汇报",
                           date=date(2024, 1, 10), year=2023)
    current = hostile_report(title="本篇")
    index = build_index([older, current, newer])
    html = report_footer(current, index, REPORT_URL, Context("zh", vocab))
    assert "<script" not in html
    assert (f'<div class="wr-prev"><span>上一篇（同单位）</span>'
            f'<a href="../../2021/tax-bureau-2021/">{ESCAPED_TITLE}</a></div>') in html
    assert ('<div class="wr-next"><span>下一篇（同单位）</span>'
            '<a href="../../2023/tax-bureau-2023/">区税务局2023年度工作汇报</a></div>') in html
    assert report_footer(older, build_index([older]), "x/", Context("zh", vocab)) == ""


def test_problems_notice_escapes_what_the_contributor_wrote():
    problem = Problem("docs/reports/2022/x.md", 5, "unknown_term", {"kind": "units", "value": SCRIPT, "suggestion": None})
    html = problems_notice([problem], "zh")
    assert "<script" not in html
    assert ("<li><code>docs/reports/2022/x.md:5</code> 未登记的单位「&lt;script&gt;alert(1)&lt;/script&gt;」"
            " — 改为已登记的单位</li>") in html
    assert "有 1 处问题需要修改" in html


# --- figures ----------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, revenue, growth", [
    ("zh", "12.68亿元", "12.35%"),
    ("en", "1.27 billion yuan", "12.35%"),
])
def test_quote_figures_formats_each_quoted_metric(vocab, lang, revenue, growth):
    body = "收入{{ tax_revenue }}，增长{{growth_rate}}。"
    assert quote_figures(body, hostile_report(), Context(lang, vocab)) == (
        f'收入<span class="wr-figure" data-metric="tax_revenue">{revenue}</span>，'
        f'增长<span class="wr-figure" data-metric="growth_rate">{growth}</span>。')


def test_quote_figures_marks_unknown_and_absent_metrics(vocab):
    body = "退税{{ refund_amount }}，{{ nope }}，{{ <b> }}"
    assert quote_figures(body, hostile_report(), Context("zh", vocab)) == (
        '退税<mark class="wr-missing">{{ refund_amount }}</mark>，'    # defined, but not in this report
        '<mark class="wr-missing">{{ nope }}</mark>，'
        '<mark class="wr-missing">{{ &lt;b&gt; }}</mark>')


def test_quote_figures_leaves_other_text_alone(vocab):
    body = "没有引用的正文，{ 单括号 } 和 **加粗**。\n"
    assert quote_figures(body, hostile_report(), Context("zh", vocab)) == body


def test_figures_panel_in_template_order_with_both_formats(vocab):
    report = hostile_report(metrics={"growth_rate": 12.345, "tax_revenue": 1268000000})
    html = figures_panel(report, Context("zh", vocab))
    assert html.index("metric-tax_revenue") < html.index("metric-growth_rate")
    # money as the reports write it, the exact value in <data> and its title; the label links the chart
    assert ('<tr id="metric-tax_revenue"><td><a href="../../../metrics/#metric-tax_revenue">税收收入</a></td>'
            '<td class="wr-num"><data value="1268000000" title="1,268,000,000元">12.68亿元</data></td>'
            '<td class="wr-num">—</td></tr>') in html  # no report a year before: no change
    assert '<td class="wr-num"><data value="12.345" title="12.345%">12.35%</data></td>' in html
    assert "<th>指标</th><th>数值</th><th>较上年</th>" in html  # the value carries its unit: no unit column
    english = figures_panel(report, Context("en", vocab))
    assert ('<a href="../../../metrics/#metric-tax_revenue">Tax revenue</a></td><td class="wr-num">'
            '<data value="1268000000" title="1,268,000,000 yuan">1.27 billion yuan</data></td>') in english
    assert figures_panel(hostile_report(metrics={}), Context("zh", vocab)) == ""
