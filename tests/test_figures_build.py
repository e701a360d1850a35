"""Figures across reports in a real build: the figures page, downloads, data-quality rules,
withheld figures, and a public build that must not leak a confidential figure anywhere."""
from __future__ import annotations

import csv
import gzip
import io
import json
import re

import pytest

from sites import Site, make_site


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    built = make_site(tmp_path_factory.mktemp("figures-site"))
    built.edit("reports/2021/tax-2021.md", "  refund_households: 210", "  refund_households: {withheld: 涉及企业信息，不予公开}")
    result = built.build()
    assert result.returncode == 0, result.output
    return built


def test_figures_page_has_a_chart_and_a_linked_table_per_metric(site):
    html = site.page("metrics")
    assert "<h1>数据</h1>" in html
    assert ('<h2 id="template-tax-annual">税务工作年度汇报'
            '<a class="headerlink" href="#template-tax-annual" title="本节链接">&para;</a></h2>') in html
    assert ('<h3 id="metric-tax_revenue">税收收入（元）'
            '<a class="headerlink" href="#metric-tax_revenue" title="本节链接">&para;</a></h3>') in html
    chart = re.search(r'<svg class="wr-chart"[^>]*aria-labelledby="chart-tax_revenue-t chart-tax_revenue-d">.*?</svg>',
                      html, re.S).group(0)
    assert '<title id="chart-tax_revenue-t">税收收入（元）</title>' in chart
    assert '<desc id="chart-tax_revenue-d">区税务局：2021 11亿元，2022 12.68亿元</desc>' in chart
    table = html[html.index('<h3 id="metric-tax_revenue">税收收入（元）<a class="headerlink"'):]
    table = table[table.index('<div class="wr-series">'):table.index("</table>")]
    assert ('<tr><td>2022</td><td class="wr-num"><a href="../reports/2022/tax-2022/" '
            'title="区税务局2022年度工作汇报"><data value="1268000000" title="1,268,000,000元">12.68'
            '<span class="wr-cell-unit">亿元</span></data></a></td></tr>') in table
    # the column's figures share 亿元: its heading names it for paper (archive.columns), hidden on screen
    assert '<th>区税务局<span class="wr-column-unit">（亿元）</span></th>' in table
    assert '<a href="../downloads/metrics.csv">metrics.csv</a>' in html


def test_withheld_figure_is_shown_as_withheld(site):
    table = site.page("metrics")
    table = table[table.index('<h3 id="metric-refund_households">'):]
    assert '<td class="wr-num wr-withheld" title="涉及企业信息，不予公开"><a href="../reports/2021/tax-2021/"' in table
    report = site.page("reports/2021/tax-2021")
    assert '<td class="wr-num wr-withheld" title="涉及企业信息，不予公开">不予公开</td>' in report
    assert "办理留抵退税<span class=\"wr-figure wr-withheld\">（不予公开）</span>" in report


def test_english_figures_page(site):
    html = site.page("en/metrics")
    assert ('<h3 id="metric-tax_revenue">Tax revenue (yuan)'
            '<a class="headerlink" href="#metric-tax_revenue" title="Permanent link">&para;</a></h3>') in html
    assert "District Tax Bureau: 2021 1.1 billion yuan, 2022 1.27 billion yuan" in html
    assert '<a href="../downloads/reports.json">reports.json</a>' in html
    assert (site.out / "en" / "downloads" / "reports.json").is_file()


def test_unit_page_links_to_its_own_figures(site):
    assert '<a href="figures/">本单位历年数据</a>' in site.page("units/tax-bureau")
    html = site.page("units/tax-bureau/figures")
    assert "<h1>区税务局历年数据</h1>" in html
    assert "<th>2021</th><th>2022</th>" in html
    assert ('<a href="../../../reports/2022/tax-2022/" title="区税务局2022年度工作汇报">'
            '<data value="356" title="356户">356</data></a>') in html


def test_metrics_csv_has_a_bom_and_a_row_per_report_and_metric(site):
    data = (site.out / "downloads" / "metrics.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0]) == ["report_title", "url", "unit", "unit_zh", "year", "date", "template", "metric",
                             "label_zh", "label_en", "value", "unit_of_measure", "status", "note"]
    assert len(rows) == 3 + 5 + 1 + 1  # tax-2021, tax-2022, finance-2022, finance-2023
    row = next(r for r in rows if r["url"] == "reports/2022/tax-2022/" and r["metric"] == "tax_revenue")
    assert row == {"report_title": "区税务局2022年度工作汇报", "url": "reports/2022/tax-2022/", "unit": "tax-bureau",
                   "unit_zh": "区税务局", "year": "2022", "date": "2023-01-12", "template": "tax-annual",
                   "metric": "tax_revenue", "label_zh": "税收收入", "label_en": "Tax revenue", "value": "1268000000",
                   "unit_of_measure": "元", "status": "published", "note": ""}
    withheld = next(r for r in rows if r["metric"] == "refund_households" and r["year"] == "2021")
    assert (withheld["value"], withheld["status"], withheld["note"]) == ("", "withheld", "涉及企业信息，不予公开")


def test_reports_json_is_the_catalogue(site):
    data = json.loads((site.out / "downloads" / "reports.json").read_text(encoding="utf-8"))
    assert data["count"] == 4 and data["public"] is False
    report = next(r for r in data["reports"] if r["url"] == "reports/2022/tax-2022/")
    assert report["metrics"]["refund_amount"] == 3.2
    assert report["languages"]["en"] == {"title": "District Tax Bureau work report for 2022",
                                         "url": "en/reports/2022/tax-2022/", "source": "docs/reports/2022/tax-2022.en.md"}
    assert report["topics"] == ["revenue", "tax-relief"]


def test_a_tenfold_jump_fails_naming_both_files(tmp_path):
    site = make_site(tmp_path)
    site.edit("reports/2022/tax-2022.md", "  tax_revenue: 1268000000", "  tax_revenue: 12680000000")
    result = site.build(strict=True)
    assert result.returncode == 1
    assert ("docs/reports/2022/tax-2022.md:10: 指标 tax_revenue 从 1,100,000,000（docs/reports/2021/tax-2021.md，2021年）"
            "变为 12,680,000,000，相差超过 10 倍 — 核对两份报告中 tax_revenue 的数值和单位（元），常见原因是元、万元、亿元写混"
            ) in result.output


def test_a_template_rule_is_checked(tmp_path):
    site = make_site(tmp_path)
    site.edit("vocabulary.yml", "    optional: [instructions, average_age, growth_rate]\n",
              "    optional: [instructions, average_age, growth_rate]\n    rules:\n      - instructions <= refund_households\n")
    result = site.build(strict=True)
    assert result.returncode == 1
    assert ("docs/reports/2022/tax-2022.md:13: 数字不符合「税务工作年度汇报」的规则 instructions <= refund_households："
            "1,234 > 356 — 核对 instructions、refund_households 的数值和单位") in result.output


# two confidential figures in every form they could be written in
CONFIDENTIAL_FORMS = ["1357913", "1,357,913", "135.79万", "135.7913万", "1357913.0", "0.0136亿",
                      "1086421", "1,086,421", "108.64万", "108.6421万"]


def site_files(root) -> dict[str, str]:
    """Every output file as text, compressed ones (Pagefind's index, the sitemap) unpacked."""
    texts = {}
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        texts[str(path.relative_to(root))] = data.decode("utf-8", errors="replace")
    return texts


@pytest.mark.parametrize("public", [False, True])
def test_a_public_build_leaks_no_confidential_figure(tmp_path, public):
    site = make_site(tmp_path, public=public)
    site.edit("vocabulary.yml", "    unit: 元\n    kind: money\n", "    unit: 元\n    kind: money\n    confidential: true\n")
    site.edit("reports/2021/tax-2021.md", "  tax_revenue: 1100000000", "  tax_revenue: 1086421")
    site.edit("reports/2022/tax-2022.md", "  tax_revenue: 1268000000", "  tax_revenue: 1357913")
    # a report can keep one of its own figures from the public too
    site.edit("reports/2023/finance-2023.md", "metrics:", "confidential: [growth_rate]\nmetrics:")
    result = site.build(strict=True)
    assert result.returncode == 0, result.output
    texts = site_files(site.out)
    assert any(name.startswith("search/zh-0/fragment/") for name in texts)  # the search index is scanned too
    leaks = [f"{name}: {form}" for name, text in texts.items() for form in CONFIDENTIAL_FORMS if form in text]
    finance = [name for name, text in texts.items() if "5.1%" in text or '"growth_rate": 5.1' in text]
    if public:
        assert leaks == [] and finance == []
        page = site.page("reports/2022/tax-2022")
        assert "全年组织税收收入<span class=\"wr-figure wr-masked\">**元</span>" in page
        assert '<td class="wr-num wr-masked">**</td>' in page
        assert "**元" in site.page("en/reports/2022/tax-2022") or "** yuan" in site.page("en/reports/2022/tax-2022")
    else:  # the intranet build shows them: the scan would find a leak
        assert any("1,357,913" in leak for leak in leaks) and any("135.79万" in leak for leak in leaks)
        assert finance
