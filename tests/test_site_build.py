"""Real builds of the fixture site (tests/fixtures/site): the produced HTML in zh and en."""
from __future__ import annotations

import re
from html import unescape

import pytest

from sites import Site, make_site


pytestmark = pytest.mark.cost(25)  # seconds, about: started before the quick modules (conftest.py)


@pytest.fixture(scope="module")
def site(shared_site) -> Site:
    built = shared_site(strict=True)  # the fixture site as it is, built once for every module that reads it
    assert built.returncode == 0, built.output
    return built.site


def listed(html: str) -> list[str]:
    """The report links of a listing, in order."""
    return re.findall(r'<a class="wr-item__title" href="([^"]+)"', html)


def text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_year_page_lists_its_reports_newest_first(site):
    html = site.page("archive/2022")
    assert "<h1>2022年度报告</h1>" in html
    assert listed(html) == ["../../reports/2022/tax-2022/", "../../reports/2022/finance-2022/"]
    assert '<p class="wr-count">共 2 篇报告</p>' in html
    item = html[html.index('href="../../reports/2022/tax-2022/"'):]
    item = item[:item.index("</li>")]
    assert '<a class="wr-unit" href="../../units/tax-bureau/">区税务局</a>' in item
    assert '<time datetime="2023-01-12">2023-01-12</time>' in item
    assert ('<a class="wr-topic" href="../../topics/revenue/">组织收入</a>'
            '<a class="wr-topic" href="../../topics/tax-relief/">减税降费</a>') in item


def test_english_year_page_uses_translations_and_english_labels(site):
    html = site.page("en/archive/2022")
    assert "<h1>Reports on 2022</h1>" in html
    assert listed(html) == ["../../reports/2022/tax-2022/", "../../reports/2022/finance-2022/"]
    assert '>District Tax Bureau work report for 2022</a>' in html
    # no translation: the Chinese title, marked as Chinese
    assert 'href="../../reports/2022/finance-2022/" lang="zh">区财政局2022年工作总结</a>' in html
    assert '<a class="wr-unit" href="../../units/finance-bureau/">District Finance Bureau</a>' in html
    assert '<p class="wr-count">2 reports</p>' in html


@pytest.mark.parametrize("url, expected", [
    ("topics/revenue", ["2023/finance-2023", "2022/tax-2022", "2022/finance-2022", "2021/tax-2021"]),
    ("topics/tax-relief", ["2022/tax-2022"]),
    ("topics/personnel", ["2022/finance-2022"]),
    ("units/tax-bureau", ["2022/tax-2022", "2021/tax-2021"]),
    ("units/finance-bureau", ["2023/finance-2023", "2022/finance-2022"]),
    ("archive/2021", ["2021/tax-2021"]),
    ("archive/2023", ["2023/finance-2023"]),
])
@pytest.mark.parametrize("lang", ["", "en/"])
def test_topic_unit_and_year_pages_in_both_languages(site, url, expected, lang):
    assert listed(site.page(lang + url)) == [f"../../reports/{path}/" for path in expected]


@pytest.mark.parametrize("url, title", [
    ("topics/revenue", "主题：组织收入"), ("en/topics/revenue", "Topic: Revenue collection"),
    ("units/tax-bureau", "区税务局的报告"), ("en/units/tax-bureau", "Reports of the District Tax Bureau"),
    ("topics", "按主题"), ("en/topics", "By topic"), ("units", "按单位"), ("en/units", "By unit"),
    ("archive", "按年度"), ("en/archive", "By year"), ("", "首页"), ("en", "Home"),
])
def test_page_titles_are_translated(site, url, title):
    assert f"<h1>{title}</h1>" in site.page(url)


def test_index_pages_count_reports_per_term(site):
    topics = text(site.page("topics"))
    assert "组织收入4" in topics and "减税降费1" in topics and "人事工作1" in topics
    archive = site.page("en/archive")
    assert re.search(r'<a href="2022/">2022</a></td><td class="wr-num">2</td>', archive)
    home = site.page("")
    assert listed(home)[0] == "reports/2023/finance-2023/"
    assert len(listed(home)) == 4


def test_report_page_has_metadata_and_links_to_its_listings(site):
    html = site.page("reports/2022/tax-2022")
    assert ('<dt>报送单位</dt><dd><a href="../../../units/tax-bureau/">区税务局</a></dd>'
            '<dt>报送对象</dt><dd>区委组织部</dd>'
            '<dt>年度</dt><dd><a href="../../../archive/2022/">2022</a></dd>') in html
    assert '<a class="wr-topic" href="../../../topics/tax-relief/">减税降费</a>' in html
    assert '<dt>报告类型</dt><dd>税务工作年度汇报</dd>' in html


def test_figures_panel_shows_label_value_and_unit(site):
    """Figures as the reports write them (12.68亿元), the exact value kept; each label links its chart."""
    zh = site.page("reports/2022/tax-2022")
    assert ('<tr id="metric-tax_revenue"><td><a href="../../../metrics/#metric-tax_revenue">税收收入</a></td>'
            '<td class="wr-num"><data value="1268000000" title="1,268,000,000元">12.68亿元</data></td>'
            '<td class="wr-num">+15.3%</td></tr>') in zh
    assert ('<a href="../../../metrics/#metric-refund_households">留抵退税户数</a></td>'
            '<td class="wr-num"><data value="356" title="356户">356户</data></td><td class="wr-num">+69.5%</td>') in zh
    # the change is against the same unit's report for the year before, named under the panel
    assert '较上年一栏对比的是： <a href="../../2021/tax-2021/">区税务局2021年度工作汇报</a>' in zh
    assert "<th>较上年</th>" in zh
    en = site.page("en/reports/2022/tax-2022")
    assert ('<a href="../../../metrics/#metric-tax_revenue">Tax revenue</a></td><td class="wr-num">'
            '<data value="1268000000" title="1,268,000,000 yuan">1.27 billion yuan</data></td>') in en
    assert 'id="metric-tax_revenue"' in site.page("metrics")   # where the label leads


def test_quoted_figures_render_in_the_text_language(site):
    zh = text(site.page("reports/2022/tax-2022"))
    assert "全年组织税收收入12.68亿元，税情专报得到领导1,234人次批示。" in zh
    assert "共办理增值税留抵退税356户、3.2亿元。" in zh
    en = text(site.page("en/reports/2022/tax-2022"))
    assert "Refunds went to 356 entities, in all 320 million yuan." in en
    # an untranslated report keeps Chinese number conventions inside its Chinese text
    assert "全年一般公共预算收入增长6.25%。" in text(site.page("en/reports/2022/finance-2022"))


def test_missing_translation_notice(site):
    html = site.page("en/reports/2022/finance-2022")
    assert ("This report has not been translated into English; it is shown in Chinese." in html)
    assert '<div lang="zh">' in html
    assert "has not been translated" not in site.page("en/reports/2022/tax-2022")
    assert "has not been translated" not in site.page("reports/2022/finance-2022")


def test_previous_and_next_report_of_the_same_unit(site):
    html = site.page("reports/2022/tax-2022")
    assert '<span>上一篇（同单位）</span><a href="../../2021/tax-2021/">区税务局2021年度工作汇报</a>' in html
    assert "下一篇" not in html
    older = site.page("en/reports/2021/tax-2021")
    assert ('<span>Next report of this unit</span>'
            '<a href="../../2022/tax-2022/">District Tax Bureau work report for 2022</a>') in older


def test_navigation_lists_archive_pages_not_reports(site):
    for url in ("", "reports/2022/tax-2022", "en/archive/2022"):
        html = site.page(url)
        nav = html[html.index('<nav class="md-nav md-nav--primary'):]
        nav = nav[:nav.index("</nav>")]
        assert "reports/" not in nav
        assert re.findall(r'<a href="[^"]*(?:archive|topics|units)/" class="md-nav__link', nav)


def test_language_switcher_links_the_other_language(site):
    html = site.page("reports/2022/tax-2022")
    assert '<a href="../../../en/reports/2022/tax-2022/" hreflang="en"' in html
    assert '<a href="../../../archive/2022/" hreflang="zh"' in site.page("en/archive/2022")


def test_front_matter_is_escaped(tmp_path):
    site = make_site(tmp_path)
    site.edit("reports/2022/finance-2022.md", "title: 区财政局2022年工作总结",
              'title: "区财政局</title><script>alert(1)</script>"\nrecipient: "<img src=x onerror=alert(2)>"')
    assert site.build(strict=True).returncode == 0
    for url in ("reports/2022/finance-2022", "archive/2022", "en/archive/2022", "units/finance-bureau", ""):
        html = site.page(url)
        assert "<script>alert" not in html and "<img src=x" not in html, url
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in site.page("archive/2022")


def test_strict_build_fails_on_an_incomplete_report(tmp_path):
    site = make_site(tmp_path)
    site.edit("reports/2022/tax-2022.md", "  refund_amount: 3.2\n", "")
    site.edit("reports/2023/finance-2023.md", "unit: 区财政局", "unit: 区财正局")
    result = site.build(strict=True)
    assert result.returncode == 1
    assert "Traceback" not in result.output
    assert ("docs/reports/2022/tax-2022.md:9: 缺少「税务工作年度汇报」要求的指标 refund_amount（留抵退税额） — "
            "在 metrics 下加入 refund_amount: 数值（单位：亿元）") in result.output
    # every problem of the build at once, not only the first
    assert ("docs/reports/2023/finance-2023.md:5: 未登记的单位「区财正局」 — "
            "改为已登记的单位（是否要写「区财政局」？）") in result.output
    assert "Aborted with 4 warnings in strict mode!" in result.output


def test_messages_in_english_by_setting(tmp_path):
    site = make_site(tmp_path, messages="en")
    site.edit("reports/2022/tax-2022.md", "  refund_amount: 3.2\n", "")
    result = site.build(strict=True)
    assert ("docs/reports/2022/tax-2022.md:9: metric refund_amount (VAT credit refunds) required by 'Annual tax work report' "
            "is missing — add refund_amount: <number> under metrics (unit: 亿元)") in result.output


def test_lenient_build_shows_problems_on_the_page(tmp_path):
    """What `mkdocs serve` shows: the site builds, the report's page lists its problems."""
    site = make_site(tmp_path)
    site.edit("reports/2022/tax-2022.md", "全年组织税收收入{{ tax_revenue }}", "全年组织税收收入**元<script>x()</script>")
    result = site.build(strict=False)
    assert result.returncode == 0, result.stderr
    html = site.page("reports/2022/tax-2022")
    assert '<div class="admonition danger" data-pagefind-ignore><p class="admonition-title">有 2 处问题需要修改</p>' in html
    assert "<code>docs/reports/2022/tax-2022.md:19</code> 正文中有被遮盖的数字「**元」" in html
    assert "<code>docs/reports/2022/tax-2022.md:19</code> 正文含有不允许的 HTML 元素 &lt;script&gt;" in html
    assert "x()" not in html  # the script is taken out with its content (archive.sanitize)
    assert "处问题需要修改" not in site.page("reports/2022/finance-2022")


def test_broken_front_matter_still_builds_leniently(tmp_path):
    site = make_site(tmp_path)
    site.edit("reports/2022/finance-2022.md", "date: 2022-12-28", "date: 2022-02-30\nunit: [")
    result = site.build(strict=False)
    assert result.returncode == 0, result.stderr
    assert "docs/reports/2022/finance-2022.md:4: front matter 不是有效的 YAML" in result.output
    html = site.page("reports/2022/finance-2022")
    assert "front matter 不是有效的 YAML" in html
    assert "title: 区财政局" not in html  # the broken front matter is not shown as text
    assert listed(site.page("archive/2022")) == ["../../reports/2022/tax-2022/"]


def test_a_file_that_is_not_utf8_is_reported_not_a_traceback(tmp_path):
    site = make_site(tmp_path)
    (site.docs / "reports/2022/gbk-2022.md").write_bytes("---\ntitle: 区税务局\n---\n".encode("gbk"))
    result = site.build(strict=False)
    assert result.returncode == 0, result.output
    assert ("docs/reports/2022/gbk-2022.md:1: 文件不是 UTF-8 编码，看起来是 GBK/GB18030 编码"
            " — 用编辑器「另存为」，编码选 UTF-8 后保存（记事本：编码 → UTF-8；VS Code：右下角编码 → 通过编码保存 → UTF-8）"
            ) in result.output
    assert "Traceback" not in result.output
    assert site.build(strict=True).returncode == 1


def test_problem_paths_start_at_the_configured_docs_folder(tmp_path):
    """docs_dir comes from the configuration: a site whose pages live in content/ names content/… files."""
    site = make_site(tmp_path)
    site.docs.rename(tmp_path / "content")
    config = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(config.replace("docs_dir: docs", "docs_dir: content"), encoding="utf-8")
    target = tmp_path / "content" / "reports" / "2022" / "tax-2022.md"
    target.write_text(target.read_text(encoding="utf-8").replace("  refund_amount: 3.2\n", ""), encoding="utf-8")
    result = site.build(strict=True)
    assert result.returncode == 1
    assert ("content/reports/2022/tax-2022.md:9: 缺少「税务工作年度汇报」要求的指标 refund_amount（留抵退税额） — "
            "在 metrics 下加入 refund_amount: 数值（单位：亿元）") in result.output
    assert "docs/reports/" not in result.output
