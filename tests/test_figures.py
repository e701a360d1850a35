"""Figures across reports: the report a year before, the change on it, implausible jumps,
what a public build masks, and one metric's series by unit and year."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from archive.catalog import load_reports
from archive.figures import Publication, change, check_jumps, format_change, metric_series, previous_reports
from archive.index import ArchiveIndex, build_index
from archive.render import Context, figures_panel, quote_figures
from archive.report import Report


def series(index, key, vocab, publication, unit=None):
    """One metric of metric_series, optionally for one unit."""
    found = metric_series(index, vocab, publication).get(key, {})
    return {name: points for name, points in found.items() if unit in (None, name)}
from archive.vocabulary import Vocabulary, load_vocabulary

FIXTURE_VOCABULARY = (Path(__file__).resolve().parent / "fixtures" / "vocabulary.yml").read_text(encoding="utf-8")

TAX_2021 = "  tax_revenue: 1100000000\n  refund_households: 210\n  refund_amount: 1.8\n"
TAX_2022 = "  tax_revenue: 1268000000\n  refund_households: 356\n  refund_amount: 3.2\n"


def report_file(date: str, year: int, metrics: str = TAX_2021, unit: str = "区税务局",
                template: str = "税务工作年度汇报", extra: str = "") -> str:
    """A valid report. Lines: 4 year, 5 unit, 7 template, 8 metrics, 9 the first metric."""
    return (f"---\ntitle: {unit}{year}年度报告\ndate: {date}\nyear: {year}\nunit: {unit}\ntopics: [组织收入]\n"
            f"template: {template}\nmetrics:\n{metrics}{extra}---\n\n正文。\n")


def finance_file(date: str, year: int, growth: str) -> str:
    return report_file(date, year, f"  growth_rate: {growth}\n", "区财政局", "财政工作年度汇报")


def archive(files: dict[str, str], vocabulary: Vocabulary) -> ArchiveIndex:
    reports, problems = load_reports(files.items(), vocabulary)
    assert [p.format() for p in problems] == []
    return build_index(reports)


def previous_paths(index: ArchiveIndex) -> dict[str, str]:
    return {path: report.path for path, report in previous_reports(index).items()}


@pytest.fixture(scope="module")
def secret_vocab() -> Vocabulary:
    """The fixture vocabulary with one metric, instructions, confidential."""
    text = FIXTURE_VOCABULARY.replace("    unit: 人次\n", "    unit: 人次\n    confidential: true\n")
    vocabulary, problems = load_vocabulary(text, "docs/vocabulary.yml")
    assert problems == []
    assert vocabulary.metrics["instructions"].confidential
    return vocabulary


SITE = {
    "reports/2021/tax-2021.md": report_file("2022-01-10", 2021),
    "reports/2022/tax-2022.md": report_file("2023-01-12", 2022, TAX_2022),
    "reports/2022/finance-2022.md": finance_file("2022-12-30", 2022, "4.0"),
    "reports/2023/finance-2023.md": finance_file("2023-12-28", 2023, "5.1"),
}


# --- the report a year before ---------------------------------------------------------------

def test_previous_report_is_the_same_units_report_of_the_year_before(vocab):
    assert previous_paths(archive(SITE, vocab)) == {
        "reports/2022/tax-2022.md": "reports/2021/tax-2021.md",
        "reports/2023/finance-2023.md": "reports/2022/finance-2022.md",
    }


def test_no_previous_report_across_a_gap_of_years(vocab):
    files = {"reports/2020/tax-2020.md": report_file("2021-01-10", 2020),
             "reports/2022/tax-2022.md": report_file("2023-01-12", 2022, TAX_2022)}
    assert previous_paths(archive(files, vocab)) == {}


def test_previous_report_prefers_the_same_template_to_a_later_one(vocab):
    files = {
        "reports/2021/tax-2021.md": report_file("2022-01-10", 2021),
        # the same unit's other report on 2021, issued later, of the other template
        "reports/2021/tax-2021-finance.md": report_file("2022-06-01", 2021, "  growth_rate: 3\n",
                                                        template="财政工作年度汇报"),
        "reports/2022/tax-2022.md": report_file("2023-01-12", 2022, TAX_2022),
        "reports/2022/tax-2022-finance.md": report_file("2023-06-01", 2022, "  growth_rate: 4\n",
                                                        template="财政工作年度汇报"),
    }
    assert previous_paths(archive(files, vocab)) == {
        "reports/2022/tax-2022.md": "reports/2021/tax-2021.md",
        "reports/2022/tax-2022-finance.md": "reports/2021/tax-2021-finance.md",
    }


DUPLICATE = ("reports/2021/tax-2021-revised.md:7: 区税务局2021年已有一份「税务工作年度汇报」：docs/reports/2021/tax-2021.md，"
             "这一份不计入数字页和图表 — 一个单位每年每种报告类型只收录一份：合并两份文件，或改正 unit、year 或 template；"
             "修订报告请直接修改原文件")


def flagged_archive(files: dict[str, str], vocabulary: Vocabulary, expected: list[str]) -> ArchiveIndex:
    reports, problems = load_reports(files.items(), vocabulary)
    assert [p.format() for p in problems] == expected
    return build_index(reports)


def test_a_second_report_of_one_unit_year_and_template_is_flagged_and_the_first_counts(vocab):
    files = {
        "reports/2021/tax-2021.md": report_file("2022-01-10", 2021),
        "reports/2021/tax-2021-revised.md": report_file("2022-03-01", 2021),
        "reports/2022/tax-2022.md": report_file("2023-01-12", 2022, TAX_2022),
    }
    index = flagged_archive(files, vocab, [DUPLICATE])
    assert previous_paths(index)["reports/2022/tax-2022.md"] == "reports/2021/tax-2021.md"
    reports, problems = load_reports(files.items(), vocab)
    assert [p.format("en") for p in problems] == [
        "reports/2021/tax-2021-revised.md:7: District Tax Bureau already has a 'Annual tax work report' for 2021:"
        " docs/reports/2021/tax-2021.md; this one is left out of the figures page and charts"
        " — the archive holds one report per unit, year and report type: merge the two files, or correct unit,"
        " year or template; to revise a report edit its file"]


def test_the_first_issued_report_counts_whatever_the_order_of_the_files(vocab):
    files = {
        "reports/2021/a-tax-2021.md": report_file("2022-03-01", 2021),
        "reports/2021/z-tax-2021.md": report_file("2022-01-10", 2021),
    }
    flagged_archive(files, vocab, [
        "reports/2021/a-tax-2021.md:7: 区税务局2021年已有一份「税务工作年度汇报」：docs/reports/2021/z-tax-2021.md，"
        "这一份不计入数字页和图表 — 一个单位每年每种报告类型只收录一份：合并两份文件，或改正 unit、year 或 template；"
        "修订报告请直接修改原文件"])


def test_a_figure_two_templates_of_one_unit_and_year_give_is_flagged_at_the_second(vocab):
    files = {
        "reports/2021/tax-2021.md": report_file("2022-01-10", 2021, TAX_2021 + "  growth_rate: 3\n"),
        "reports/2021/tax-2021-finance.md": report_file("2022-06-01", 2021, "  growth_rate: 4\n",
                                                        template="财政工作年度汇报"),
    }
    index = flagged_archive(files, vocab, [
        "reports/2021/tax-2021-finance.md:9: 区税务局2021年的指标 growth_rate 已由 docs/reports/2021/tax-2021.md 第 12 行给出，"
        "这里的数字不计入数字页和图表 — 一个单位每年每个指标只填一次：删除其中一处，或改正 year"])
    assert points(series(index, "growth_rate", vocab, Publication())) == {
        "tax-bureau": [(2021, 3, "reports/2021/tax-2021.md")]}


def test_previous_report_falls_back_to_another_template(vocab):
    files = {
        "reports/2021/tax-2021.md": report_file("2022-01-10", 2021, "  growth_rate: 3\n", template="财政工作年度汇报"),
        "reports/2022/tax-2022.md": report_file("2023-01-12", 2022, TAX_2022),
    }
    assert previous_paths(archive(files, vocab)) == {"reports/2022/tax-2022.md": "reports/2021/tax-2021.md"}


# --- the change on the year before ----------------------------------------------------------

def figures(**metrics) -> Report:
    return Report("reports/2022/x.md", "x", metrics=metrics)


def test_change_is_relative_to_the_previous_figure():
    assert change(figures(tax_revenue=1123), figures(tax_revenue=1000), "tax_revenue") == pytest.approx(0.123)
    assert change(figures(tax_revenue=950), figures(tax_revenue=1000), "tax_revenue") == pytest.approx(-0.05)
    assert change(figures(tax_revenue=1000), figures(tax_revenue=1000), "tax_revenue") == 0


@pytest.mark.parametrize("current, previous", [
    (figures(tax_revenue=1), None),                                      # no report a year before
    (figures(), figures(tax_revenue=1000)),                              # not in this report
    (figures(tax_revenue=1), figures()),                                 # not in the previous one
    (figures(tax_revenue=1), figures(tax_revenue=0)),                    # no change on nothing
    (figures(tax_revenue=1), Report("reports/2021/x.md", "x", withheld={"tax_revenue": "理由"})),
])
def test_no_change_without_two_figures(current, previous):
    assert change(current, previous, "tax_revenue") is None


@pytest.mark.parametrize("ratio, text", [
    (0.123, "+12.3%"),
    (-0.05, "-5.0%"),
    (0.0, "±0.0%"),
    (0.0004, "±0.0%"),        # rounds to nothing either way
    (-0.0004, "±0.0%"),
    (0.1, "+10.0%"),
    (-0.1, "-10.0%"),
    (1.0, "+100.0%"),
    (-1.0, "-100.0%"),
    (None, "—"),
])
def test_format_change(ratio, text):
    assert format_change(ratio) == text


def test_format_change_of_a_computed_change():
    assert format_change(change(figures(tax_revenue=1123), figures(tax_revenue=1000), "tax_revenue")) == "+12.3%"


def test_change_on_a_negative_figure_keeps_its_direction():
    ratio = change(figures(growth_rate=-10), figures(growth_rate=-5), "growth_rate")
    assert ratio is None or ratio < 0          # a fall must not read as a rise


# --- implausible jumps ------------------------------------------------------------------------

JUMP_ZH = ("reports/2022/tax-2022.md:9: 指标 tax_revenue 从 1,100,000,000（docs/reports/2021/tax-2021.md，2021年）"
           "变为 12,680,000,000，相差超过 10 倍 — 核对两份报告中 tax_revenue 的数值和单位（元），常见原因是元、万元、亿元写混")
JUMP_EN = ("reports/2022/tax-2022.md:9: metric tax_revenue went from 1,100,000,000 (docs/reports/2021/tax-2021.md, 2021)"
           " to 12,680,000,000, more than 10 times apart — check tax_revenue and its unit (元) in both reports:"
           " yuan, 10,000 yuan and 100 million yuan are easily mixed up")


def jumps(vocabulary: Vocabulary, tax_2022: str, tax_2021: str = TAX_2021, factor: float = 10,
          lang: str = "zh") -> list[str]:
    index = archive({"reports/2021/tax-2021.md": report_file("2022-01-10", 2021, tax_2021),
                     "reports/2022/tax-2022.md": report_file("2023-01-12", 2022, tax_2022)}, vocabulary)
    return [p.format(lang) for p in check_jumps(index, vocabulary, previous_reports(index), factor)]


def test_a_tenfold_jump_names_both_files(vocab):
    tax_2022 = TAX_2022.replace("1268000000", "12680000000")
    assert jumps(vocab, tax_2022) == [JUMP_ZH]
    assert jumps(vocab, tax_2022, lang="en") == [JUMP_EN]


def test_a_fall_to_a_tenth_is_a_jump_too(vocab):
    # refund_amount is in 亿元: 1.8 written as 0.15, perhaps meant as 15 (亿) or 1500 (万)
    assert jumps(vocab, TAX_2022.replace("refund_amount: 3.2", "refund_amount: 0.15")) == [
        "reports/2022/tax-2022.md:11: 指标 refund_amount 从 1.8（docs/reports/2021/tax-2021.md，2021年）变为 0.15，"
        "相差超过 10 倍 — 核对两份报告中 refund_amount 的数值和单位（亿元），常见原因是元、万元、亿元写混"]


@pytest.mark.parametrize("tax_revenue", [
    "1268000000",        # an ordinary year
    "9900000000",        # 9 times: large, but not flagged
    "11000000000",       # exactly 10 times is not more than 10
    "122222223",         # just above a ninth
    "110000000",         # exactly a tenth
])
def test_no_jump(vocab, tax_revenue):
    assert jumps(vocab, TAX_2022.replace("1268000000", tax_revenue)) == []


def test_jump_factor_can_be_set(vocab):
    tripled = TAX_2022.replace("1268000000", "3300000000")
    assert jumps(vocab, tripled) == []
    assert jumps(vocab, tripled, factor=2.5) == [
        "reports/2022/tax-2022.md:9: 指标 tax_revenue 从 1,100,000,000（docs/reports/2021/tax-2021.md，2021年）"
        "变为 3,300,000,000，相差超过 2.5 倍 — 核对两份报告中 tax_revenue 的数值和单位（元），常见原因是元、万元、亿元写混"]
    assert "相差超过 2 倍" in jumps(vocab, tripled, factor=2.0)[0]      # a whole factor without ".0"


def test_a_change_of_sign_is_not_a_jump(vocab):
    index = archive({"reports/2022/finance-2022.md": finance_file("2022-12-30", 2022, "-5"),
                     "reports/2023/finance-2023.md": finance_file("2023-12-28", 2023, "60")}, vocab)
    assert check_jumps(index, vocab, previous_reports(index), 10) == []


def test_a_jump_between_negative_figures_is_a_jump(vocab):
    index = archive({"reports/2022/finance-2022.md": finance_file("2022-12-30", 2022, "-5"),
                     "reports/2023/finance-2023.md": finance_file("2023-12-28", 2023, "-60")}, vocab)
    [problem] = check_jumps(index, vocab, previous_reports(index), 10)
    assert (problem.path, problem.line, problem.code) == ("reports/2023/finance-2023.md", 9, "jump")
    assert problem.what() == "指标 growth_rate 从 -5（docs/reports/2022/finance-2022.md，2022年）变为 -60，相差超过 10 倍"


@pytest.mark.parametrize("tax_2021, tax_2022", [
    (TAX_2021.replace("1100000000", "0"), TAX_2022),                       # nothing the year before
    (TAX_2021, TAX_2022.replace("1268000000", "0")),                       # nothing this year
    (TAX_2021.replace("1100000000", "{withheld: 理由}"), TAX_2022),         # withheld the year before
])
def test_no_jump_from_or_to_nothing(vocab, tax_2021, tax_2022):
    assert jumps(vocab, tax_2022, tax_2021) == []


def test_no_jump_without_a_previous_report(vocab):
    index = archive({"reports/2022/tax-2022.md": report_file("2023-01-12", 2022, "  tax_revenue: 1\n"
                                                             "  refund_households: 1\n  refund_amount: 1\n")}, vocab)
    assert check_jumps(index, vocab, previous_reports(index), 10) == []


# --- what a public build masks --------------------------------------------------------------

def test_nothing_is_masked_on_the_intranet(secret_vocab):
    report = Report("reports/2022/x.md", "x", metrics={"instructions": 3, "tax_revenue": 1},
                    confidential=frozenset({"tax_revenue"}))
    assert not Publication().masked(report, "instructions", secret_vocab)
    assert not Publication(public=False).masked(report, "tax_revenue", secret_vocab)


def test_a_confidential_metric_is_masked_in_every_public_report(secret_vocab):
    report = Report("reports/2022/x.md", "x", metrics={"instructions": 3, "tax_revenue": 1})
    public = Publication(public=True)
    assert public.masked(report, "instructions", secret_vocab)
    assert not public.masked(report, "tax_revenue", secret_vocab)


def test_a_report_masks_its_own_confidential_figures_in_public(vocab):
    report = Report("reports/2022/x.md", "x", metrics={"tax_revenue": 1, "refund_amount": 2},
                    confidential=frozenset({"tax_revenue"}))
    public = Publication(public=True)
    assert public.masked(report, "tax_revenue", vocab)
    assert not public.masked(report, "refund_amount", vocab)
    assert not public.masked(report, "not_a_metric", vocab)


def test_confidential_true_masks_every_figure_in_public(vocab):
    files = {"reports/2021/tax-2021.md": report_file("2022-01-10", 2021, extra="confidential: true\n")}
    [report] = archive(files, vocab).reports
    assert all(Publication(public=True).masked(report, key, vocab) for key in report.metrics)


# --- series -----------------------------------------------------------------------------------

def points(found: dict) -> dict[str, list[tuple]]:
    return {unit: [(p.year, p.value, p.report.path) for p in line] for unit, line in found.items()}


GROWTH = {
    "reports/2023/finance-2023.md": finance_file("2023-12-28", 2023, "5.1"),
    "reports/2022/finance-2022.md": finance_file("2022-12-30", 2022, "4.0"),
    "reports/2022/tax-2022.md": report_file("2023-01-12", 2022, TAX_2022 + "  growth_rate: 15.3\n"),
    "reports/2021/tax-2021.md": report_file("2022-01-10", 2021, TAX_2021 + "  growth_rate: 8\n"),
}


def test_series_by_unit_oldest_year_first_in_vocabulary_order(vocab):
    found = series(archive(GROWTH, vocab), "growth_rate", vocab, Publication())
    assert list(found) == ["tax-bureau", "finance-bureau"]
    assert points(found) == {
        "tax-bureau": [(2021, 8, "reports/2021/tax-2021.md"), (2022, 15.3, "reports/2022/tax-2022.md")],
        "finance-bureau": [(2022, 4.0, "reports/2022/finance-2022.md"), (2023, 5.1, "reports/2023/finance-2023.md")],
    }


def test_series_of_one_unit(vocab):
    found = series(archive(GROWTH, vocab), "growth_rate", vocab, Publication(), unit="finance-bureau")
    assert points(found) == {
        "finance-bureau": [(2022, 4.0, "reports/2022/finance-2022.md"), (2023, 5.1, "reports/2023/finance-2023.md")]}


def test_series_leaves_out_reports_without_the_metric(vocab):
    found = series(archive(GROWTH, vocab), "refund_amount", vocab, Publication())
    assert points(found) == {
        "tax-bureau": [(2021, 1.8, "reports/2021/tax-2021.md"), (2022, 3.2, "reports/2022/tax-2022.md")]}
    assert series(archive(GROWTH, vocab), "average_age", vocab, Publication()) == {}


def test_series_keeps_a_withheld_figure_without_its_value(vocab):
    files = dict(SITE, **{"reports/2021/tax-2021.md": report_file(
        "2022-01-10", 2021, TAX_2021.replace("refund_households: 210", "refund_households: {withheld: 涉及企业信息}"))})
    found = series(archive(files, vocab), "refund_households", vocab, Publication(public=True))
    assert points(found) == {
        "tax-bureau": [(2021, None, "reports/2021/tax-2021.md"), (2022, 356, "reports/2022/tax-2022.md")]}
    assert found["tax-bureau"][0].report.withheld == {"refund_households": "涉及企业信息"}


def test_series_takes_the_report_that_counts_not_a_flagged_second_one(vocab):
    files = dict(SITE, **{"reports/2021/tax-2021-revised.md": report_file(
        "2022-03-01", 2021, TAX_2021.replace("1100000000", "1150000000"))})
    found = series(flagged_archive(files, vocab, [DUPLICATE]), "tax_revenue", vocab, Publication())
    assert points(found)["tax-bureau"] == [(2021, 1100000000, "reports/2021/tax-2021.md"),
                                           (2022, 1268000000, "reports/2022/tax-2022.md")]


def test_series_leaves_out_a_confidential_metric_in_public(secret_vocab):
    files = dict(SITE, **{"reports/2022/tax-2022.md": report_file("2023-01-12", 2022, TAX_2022 + "  instructions: 12\n")})
    index = archive(files, secret_vocab)
    assert points(series(index, "instructions", secret_vocab, Publication())) == {
        "tax-bureau": [(2022, 12, "reports/2022/tax-2022.md")]}
    assert series(index, "instructions", secret_vocab, Publication(public=True)) == {}


def test_series_leaves_out_a_reports_confidential_figure_in_public(vocab):
    files = dict(SITE, **{"reports/2022/tax-2022.md": report_file("2023-01-12", 2022, TAX_2022,
                                                                  extra="confidential: [tax_revenue]\n")})
    index = archive(files, vocab)
    assert points(series(index, "tax_revenue", vocab, Publication(public=True))) == {
        "tax-bureau": [(2021, 1100000000, "reports/2021/tax-2021.md")]}
    assert len(series(index, "tax_revenue", vocab, Publication())["tax-bureau"]) == 2
    # the report's other figures stay public
    assert len(series(index, "refund_amount", vocab, Publication(public=True))["tax-bureau"]) == 2


# --- on the report page: the figures panel and quoted figures ---------------------------------

def page_reports(**changes) -> tuple[Report, Report]:
    """This year's report and last year's, of the same unit; instructions is confidential in secret_vocab."""
    current = Report("reports/2022/tax-bureau-2022.md", "区税务局2022年度工作汇报", date(2023, 1, 12), 2022, "tax-bureau",
                     template="tax-annual", withheld={"refund_households": "涉及企业信息"},
                     metrics={"instructions": 12, "refund_amount": 3.2, "tax_revenue": 1123000000})
    previous = Report("reports/2021/tax-bureau-2021.md", "区税务局2021年度工作汇报", date(2022, 1, 10), 2021, "tax-bureau",
                      template="tax-annual",
                      metrics={"tax_revenue": 1000000000, "refund_households": 210, "refund_amount": 4.0,
                               "instructions": 10})
    for name, value in changes.items():
        setattr(previous if name.startswith("previous_") else current, name.removeprefix("previous_"), value)
    return current, previous


def row(key: str, label: str, value: str, change_text: str) -> str:
    """A row of the panel: the label links the metric's chart on the figures page, unless masked."""
    shown = label if "wr-masked" in value else f'<a href="../../../metrics/#metric-{key}">{label}</a>'
    return f'<tr id="metric-{key}"><td>{shown}</td>{value}<td class="wr-num">{change_text}</td></tr>'


def figure(exact: str, full: str, text: str) -> str:
    """A value as the reports write it, the exact figure kept (render.Shown)."""
    return f'<td class="wr-num"><data value="{exact}" title="{full}">{text}</data></td>'


TAX = figure("1123000000", "1,123,000,000元", "11.23亿元")


TAX_ROW = row("tax_revenue", "税收收入", TAX, "+12.3%")
WITHHELD_ROW = row("refund_households", "留抵退税户数",
                   '<td class="wr-num wr-withheld" title="涉及企业信息">不予公开</td>', "—")
REFUND_ROW = row("refund_amount", "留抵退税额", figure("3.2", "3.2亿元", "3.2亿元"), "-20.0%")
INSTRUCTIONS_ROW = row("instructions", "领导批示", figure("12", "12人次", "12人次"), "+20.0%")
MASKED_ROW = row("instructions", "领导批示", '<td class="wr-num wr-masked">**</td>', "—")


def test_figures_panel_on_the_intranet_shows_every_figure_and_its_change(secret_vocab):
    current, previous = page_reports()
    html = figures_panel(current, Context("zh", secret_vocab), previous)
    # in the template's order, whatever the order of the front matter
    assert f"<tbody>{TAX_ROW}{WITHHELD_ROW}{REFUND_ROW}{INSTRUCTIONS_ROW}</tbody>" in html
    assert "<thead><tr><th>指标</th><th>数值</th><th>较上年</th></tr></thead>" in html  # each value carries its unit
    assert ('<p class="wr-figures__note">较上年一栏对比的是： '
            '<a href="../../2021/tax-bureau-2021/">区税务局2021年度工作汇报</a></p>') in html


def test_figures_panel_in_public_masks_confidential_figures_and_their_change(secret_vocab):
    current, previous = page_reports()
    html = figures_panel(current, Context("zh", secret_vocab, Publication(public=True)), previous)
    assert f"<tbody>{TAX_ROW}{WITHHELD_ROW}{REFUND_ROW}{MASKED_ROW}</tbody>" in html
    assert "12人次" not in html and "+20.0%" not in html


def test_figures_panel_in_public_masks_a_reports_own_confidential_figure(vocab):
    current, previous = page_reports(confidential=frozenset({"tax_revenue"}))
    public = figures_panel(current, Context("zh", vocab, Publication(public=True)), previous)
    assert row("tax_revenue", "税收收入", '<td class="wr-num wr-masked">**</td>', "—") in public
    assert "1,123,000,000" not in public and "11.23亿元" not in public and "+12.3%" not in public
    assert TAX_ROW in figures_panel(current, Context("zh", vocab), previous)          # the intranet shows it


def test_no_change_against_a_figure_masked_the_year_before(vocab):
    current, previous = page_reports(previous_confidential=frozenset({"tax_revenue"}))
    public = figures_panel(current, Context("zh", vocab, Publication(public=True)), previous)
    # the change would let a reader work the hidden figure out
    assert row("tax_revenue", "税收收入", TAX, "—") in public
    assert TAX_ROW in figures_panel(current, Context("zh", vocab), previous)


def test_no_change_without_a_previous_report(vocab):
    current, _ = page_reports()
    html = figures_panel(current, Context("zh", vocab))
    assert row("tax_revenue", "税收收入", TAX, "—") in html
    assert "wr-figures__note" not in html


def test_figures_panel_in_english(secret_vocab):
    current, previous = page_reports()
    html = figures_panel(current, Context("en", secret_vocab, Publication(public=True)), previous)
    assert row("refund_households", "Taxpayers refunded",
               '<td class="wr-num wr-withheld" title="涉及企业信息">withheld</td>', "—") in html
    assert row("instructions", "Leaders&#39; instructions", '<td class="wr-num wr-masked">**</td>', "—") in html
    assert row("tax_revenue", "Tax revenue", figure("1123000000", "1,123,000,000 yuan", "1.12 billion yuan"),
               "+12.3%") in html


def test_figures_panel_of_withheld_figures_only(vocab):
    report = Report("reports/2022/x.md", "x", template="tax-annual", withheld={"tax_revenue": '<b>"保密"</b>'})
    assert row("tax_revenue", "税收收入", '<td class="wr-num wr-withheld" title="&lt;b&gt;&#34;保密&#34;&lt;/b&gt;">'
               "不予公开</td>", "—") in figures_panel(report, Context("zh", vocab))


QUOTED = "收入{{ tax_revenue }}，退税{{ refund_households }}户，批示{{ instructions }}。"


def test_quote_figures_on_the_intranet(secret_vocab):
    current, _ = page_reports(confidential=frozenset({"tax_revenue"}))
    assert quote_figures(QUOTED, current, Context("zh", secret_vocab)) == (
        '收入<span class="wr-figure" data-metric="tax_revenue">11.23亿元</span>，'
        '退税<span class="wr-figure wr-withheld">（不予公开）</span>户，'
        '批示<span class="wr-figure" data-metric="instructions">12人次</span>。')


def test_quote_figures_in_public_masks_as_the_reports_print_it(secret_vocab):
    current, _ = page_reports(confidential=frozenset({"tax_revenue"}))
    assert quote_figures(QUOTED, current, Context("zh", secret_vocab, Publication(public=True))) == (
        '收入<span class="wr-figure wr-masked">**元</span>，'
        '退税<span class="wr-figure wr-withheld">（不予公开）</span>户，'
        '批示<span class="wr-figure wr-masked">**人次</span>。')


def test_quote_figures_in_public_in_english(secret_vocab):
    current, _ = page_reports(confidential=frozenset({"tax_revenue"}))
    body = "Revenue {{ tax_revenue }}, refunds {{ refund_households }}."
    assert quote_figures(body, current, Context("en", secret_vocab, Publication(public=True))) == (
        'Revenue <span class="wr-figure wr-masked">** yuan</span>, '
        'refunds <span class="wr-figure wr-withheld">(withheld)</span>.')


def test_a_withheld_figure_that_is_also_confidential_is_masked(vocab):
    current, _ = page_reports(confidential=frozenset({"refund_households"}))
    public = Context("zh", vocab, Publication(public=True))
    assert quote_figures("{{ refund_households }}", current, public) == '<span class="wr-figure wr-masked">**户</span>'
    assert '<td class="wr-num wr-masked">**</td>' in figures_panel(current, public)
    assert "涉及企业信息" not in figures_panel(current, public)


# --- a public build's jump message masks confidential figures -------------------------------------

def public_jumps(vocabulary: Vocabulary, tax_2022: str, tax_2021: str = TAX_2021, confidential: str = "",
                 public: bool = True) -> list[str]:
    index = archive({"reports/2021/tax-2021.md": report_file("2022-01-10", 2021, tax_2021, extra=""),
                     "reports/2022/tax-2022.md": report_file("2023-01-12", 2022, tax_2022).replace(
                         "metrics:", confidential + "metrics:")}, vocabulary)
    return [p.format() for p in check_jumps(index, vocabulary, previous_reports(index), 10, Publication(public))]


JUMP_MASKED = ("reports/2022/tax-2022.md:{line}: 指标 tax_revenue 从 **（docs/reports/2021/tax-2021.md，2021年）变为 **，"
               "相差超过 10 倍 — 核对两份报告中 tax_revenue 的数值和单位（元），常见原因是元、万元、亿元写混")


def test_a_jump_of_a_confidential_metric_is_masked_in_public(vocab):
    tax_2022 = TAX_2022.replace("1268000000", "12680000000")
    assert public_jumps(vocab, tax_2022, public=False) == [JUMP_ZH]
    assert public_jumps(vocab, tax_2022, confidential="confidential: [tax_revenue]\n") == [JUMP_MASKED.format(line=10)]
    assert public_jumps(vocab, tax_2022, confidential="confidential: true\n") == [JUMP_MASKED.format(line=10)]
    assert public_jumps(vocab, tax_2022) == [JUMP_ZH]       # not confidential: shown in public too


def test_a_jump_from_a_figure_the_previous_report_keeps_is_masked(vocab):
    """The year before kept its figure confidential: the message quotes it, so it is masked too."""
    tax_2022 = TAX_2022.replace("1268000000", "12680000000")
    index = archive({"reports/2021/tax-2021.md": report_file("2022-01-10", 2021).replace(
                         "metrics:", "confidential: [tax_revenue]\nmetrics:"),
                     "reports/2022/tax-2022.md": report_file("2023-01-12", 2022, tax_2022)}, vocab)
    found = check_jumps(index, vocab, previous_reports(index), 10, Publication(public=True))
    assert [p.format() for p in found] == [JUMP_MASKED.format(line=9)]
