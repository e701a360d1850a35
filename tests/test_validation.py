"""Every check a report must pass, as the exact line a contributor reads: ``path:line: what — fix``.

Each bad example changes one passage of GOOD, a complete valid report, so the expected
line number can be read off the numbered listing below.
"""
from __future__ import annotations

from datetime import date

import pytest

from archive.catalog import load_reports
from archive.frontmatter import split
from archive.validation import check_report, check_translation

PATH = "reports/2022/tax-bureau-2022.md"
EN_PATH = "reports/2022/tax-bureau-2022.en.md"

GOOD = """\
---
title: 区税务局2022年度工作汇报
date: 2023-01-15
year: 2022
unit: 区税务局
recipient: 区委组织部
topics: [组织收入, 减税降费]
template: 税务工作年度汇报
metrics:
  tax_revenue: 1268000000
  refund_amount: 3.2
  refund_households: 1234
---

为{{ refund_households }}纳税人办理留抵退税。
"""
# Lines: 2 title, 3 date, 4 year, 5 unit, 6 recipient, 7 topics, 8 template, 9 metrics,
# 10 tax_revenue, 11 refund_amount, 12 refund_households, 15 the body, 16 a line appended to it.

# A report of the other template (finance-annual: growth_rate only); lines 6 template, 7 metrics.
FINANCE_PATH = "reports/2023/finance-bureau-2023.md"
FINANCE = """\
---
title: 区财政局2023年度工作汇报
date: 2023-12-28
unit: 区财政局
topics: [组织收入]
template: finance-annual
metrics:
  growth_rate: 5.2
---

全区一般公共预算收入增长{{ growth_rate }}。
"""


def edited(old: str, new: str, text: str = GOOD) -> str:
    """The text with one passage changed; the passage must occur exactly once."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def check(text: str, vocab, path: str = PATH):
    return check_report(split(text, path), vocab)


def problems(text: str, vocab, path: str = PATH, lang: str = "zh") -> list[str]:
    return [problem.format(lang) for problem in check(text, vocab, path).problems]


# --- good reports ---------------------------------------------------------------------------

def test_good_report_has_no_problem_and_every_field(vocab):
    report = check(GOOD, vocab)
    assert report.problems == []
    assert report.path == PATH
    assert report.title == "区税务局2022年度工作汇报"
    assert report.date == date(2023, 1, 15)
    assert report.year == 2022
    assert report.unit == "tax-bureau"             # labels are resolved to vocabulary keys
    assert report.recipient == "区委组织部"
    assert report.topics == ("revenue", "tax-relief")
    assert report.template == "tax-annual"
    assert report.metrics == {"tax_revenue": 1268000000, "refund_amount": 3.2, "refund_households": 1234}
    assert report.line("metrics.refund_amount") == 11
    assert report.line("unit") == 5


def test_good_report_of_another_template(vocab):
    report = check(FINANCE, vocab, FINANCE_PATH)
    assert report.problems == []
    assert report.year == 2023  # no year given: the year of the date of issue


@pytest.mark.parametrize("old, new", [
    ("unit: 区税务局", "unit: tax-bureau"),                      # a key instead of a label
    ("topics: [组织收入, 减税降费]", "topics: 组织收入"),          # one topic, not a list
    ("topics: [组织收入, 减税降费]", "topics:\n  - revenue\n  - 减税降费"),
    ("template: 税务工作年度汇报", "template: tax-annual"),
    ("recipient: 区委组织部\n", ""),                              # recipient and year are optional
    ("date: 2023-01-15", "date: 2022-12-31"),                    # issued in the year reported on
    ("date: 2023-01-15", "date: 2023-12-31"),                    # issued in the next year (a leap day: test_friction)
    ("refund_amount: 3.2", "refund_amount: 0"),                  # bounds are inclusive
    ("refund_amount: 3.2", "refund_amount: 1000"),
    ("refund_households: 1234", "refund_households: 1234.0"),    # a whole number written with .0
    ("refund_amount: 3.2", "refund_amount: +3.2"),               # a sign, a point alone: plain decimal
    ("refund_amount: 3.2", "refund_amount: .5"),
    ("refund_households: 1234", "refund_households: 1234\n  growth_rate: -3.5"),  # optional metric
])
def test_good_variants_have_no_problem(vocab, old, new):
    assert problems(edited(old, new), vocab) == []


@pytest.mark.parametrize("body", [
    "工作重点突出，成效__明显__。",                     # __ inside a word is no emphasis (bold: test_friction)
    "```\n税收收入**元，{{ undefined }}\n```",          # code is shown as written
    "~~~\n**%\n~~~",
    "学习 JavaScript 编程，onclick 是事件属性。",       # the words alone are not script
    '<sub>注</sub> <img src="chart.png" alt="图表">',
    "收入{{tax_revenue}}，退税{{  refund_amount  }}。",  # spacing inside the braces is free
])
def test_good_bodies_have_no_problem(vocab, body):
    assert problems(GOOD + body + "\n", vocab) == []


def test_integer_metric_written_with_point_zero_is_kept_as_int(vocab):
    report = check(edited("refund_households: 1234", "refund_households: 1234.0"), vocab)
    assert report.metrics["refund_households"] == 1234
    assert isinstance(report.metrics["refund_households"], int)


# --- one bad example per rule: the exact line ---------------------------------------------

P = PATH + ":"

FRONT_MATTER_RULES = {
    "yaml_error": (
        "unit: 区税务局", "unit: 区税务局: 区财政局",
        [P + "5: front matter 不是有效的 YAML：mapping values are not allowed here — 检查这一行的缩进、冒号和引号"]),
    "missing_field": (
        "unit: 区税务局\n", "",
        [P + "1: 缺少必填字段 unit — 在 front matter 中加入 unit: 区税务局"]),
    "empty_field": (
        "unit: 区税务局", "unit:",
        [P + "5: 字段 unit 是空的 — 填写 unit，例如 unit: 区税务局"]),
    "empty_field-title": (
        "title: 区税务局2022年度工作汇报", "title: '  '",
        [P + "2: 字段 title 是空的 — 填写 title，例如 title: 区税务局2022年度工作汇报"]),
    "wrong_type-title": (
        "title: 区税务局2022年度工作汇报", "title: [区税务局, 工作汇报]",
        [P + "2: 字段 title 应为一段文字 — 改为一段文字，例如 title: 区税务局2022年度工作汇报"]),
    "wrong_type-topics": (
        "topics: [组织收入, 减税降费]", "topics: {组织收入: 1}",
        [P + "7: 字段 topics 应为一个或多个名称 — 改为一个或多个名称，例如 topics: [组织收入, 纳税服务]"]),
    "unknown_field": (
        "recipient: 区委组织部", "recipent: 区委组织部",
        [P + "6: 未知字段 recipent — 删除它，或改正拼写（是否要写「recipient」？）"]),
    "bad_date-impossible": (
        "date: 2023-01-15", "date: 2023-02-30",
        [P + "3: 日期 2023-02-30 不是真实的日期 — 按 YYYY-MM-DD 写出印发日期，例如 date: 2023-01-15"]),
    "bad_date-format": (
        "date: 2023-01-15", "date: 2023/1/15",
        [P + "3: 日期 2023/1/15 不是真实的日期 — 按 YYYY-MM-DD 写出印发日期，例如 date: 2023-01-15"]),
    "bad_year": (
        "year: 2022", "year: 22",
        [P + "4: 年份 22 无效 — 写四位数的报告年度，例如 year: 2022"]),
    "year_dir_mismatch-no-year": (          # without year, the year is that of the date: 2023
        "year: 2022\n", "",
        [P + "3: 文件在 reports/2022/ 下，但没有写 year，报告年度按印发日期 2023-01-15 计为 2023"
             " — 汇报 2022 年的报告写明 year: 2022（次年印发的年度报告也写所汇报的年度）；汇报的确是 2023 年的，把文件移到 reports/2023/"]),
    "unknown_term-unit": (
        "unit: 区税务局", "unit: 区税物局",
        [P + "5: 未登记的单位「区税物局」 — 改为已登记的单位（是否要写「区税务局」？）"]),
    "unknown_term-unit-nothing-close": (
        "unit: 区税务局", "unit: 教育局",
        [P + "5: 未登记的单位「教育局」 — 改为已登记的单位"]),
    "unknown_term-topic": (
        "topics: [组织收入, 减税降费]", "topics: [组织收人, 减税降费]",
        [P + "7: 未登记的主题「组织收人」 — 改为已登记的主题（是否要写「组织收入」？）"]),
    "unknown_term-template": (
        "template: 税务工作年度汇报", "template: 税务工作年度报告",
        [P + "8: 未登记的报告类型「税务工作年度报告」 — 改为已登记的报告类型（是否要写「税务工作年度汇报」？）"]),
    "duplicate_topic": (    # the same topic by label and by key, each item on its own line
        "topics: [组织收入, 减税降费]", "topics:\n  - 组织收入\n  - revenue",
        [P + "9: 主题「revenue」重复 — 删除重复的一项"]),
}


@pytest.mark.parametrize("old, new, expected", FRONT_MATTER_RULES.values(), ids=FRONT_MATTER_RULES.keys())
def test_front_matter_rule(vocab, old, new, expected):
    assert problems(edited(old, new), vocab) == expected


def test_no_front_matter(vocab):
    assert problems("区税务局2022年度工作汇报\n\n全年组织税收收入**元。\n", vocab) == [
        P + "1: 缺少 front matter — 在文件开头加上以 --- 开始和结束的 YAML 块，至少写明 title 和 date"]


def test_bad_location(vocab):
    assert problems(GOOD, vocab, "reports/2022/Tax_Bureau.md") == [
        "reports/2022/Tax_Bureau.md:1: 报告文件的位置不对：reports/2022/Tax_Bureau.md"
        " — 把文件放在 reports/<年度>/<名称>.md，名称只用小写字母、数字和连字符"]
    assert problems(GOOD, vocab, "reports/tax-bureau-2022.md", "en") == [
        "reports/tax-bureau-2022.md:1: a report file is in the wrong place: reports/tax-bureau-2022.md"
        " — put it at reports/<year>/<name>.md, the name in lowercase letters, digits and hyphens"]


def test_year_after_date(vocab):
    path = "reports/2024/tax-bureau-2024.md"
    assert problems(edited("year: 2022", "year: 2024"), vocab, path) == [
        f"{path}:4: 报告年度 2024 晚于印发日期 2023-01-15 — 核对 year 和 date：报告不能汇报印发之后的年度"]


def test_year_dir_mismatch(vocab):
    path = "reports/2021/tax-bureau-2022.md"
    assert problems(GOOD, vocab, path) == [
        f"{path}:4: 文件在 reports/2021/ 下，但报告年度是 2022 — 把文件移到 reports/2022/，或改正 year"]
    assert problems(GOOD, vocab, path, "en") == [
        f"{path}:4: the file is in reports/2021/ but reports on 2022 — move the file to reports/2022/ or correct year"]


def test_empty_year_is_an_empty_field(vocab):
    assert problems(edited("year: 2022", "year:"), vocab) == [
        P + "4: 字段 year 是空的 — 填写 year，例如 year: 2022"]


@pytest.mark.parametrize("text, line, en", [
    (edited("unit: 区税务局", "unit: 区税物局"), 5,
     "unknown unit '区税物局' — use a registered unit (did you mean '区税务局'?)"),
    (edited("template: 税务工作年度汇报", "template: 税务工作年度报告"), 8,
     "unknown report type '税务工作年度报告' — use a registered report type (did you mean '税务工作年度汇报'?)"),
    (edited("title: 区税务局2022年度工作汇报", "title: {zh: 标题}"), 2,
     "field title must be text — write it as text, for example title: 区税务局2022年度工作汇报"),
    (edited("unit: 区税务局\n", ""), 1,
     "required field unit is missing — add unit: 区税务局 to the front matter"),
])
def test_front_matter_rules_in_english(vocab, text, line, en):
    assert problems(text, vocab, lang="en") == [f"{P}{line}: {en}"]


# --- metrics --------------------------------------------------------------------------------

METRIC_RULES = {
    "missing_metric": (
        "  refund_amount: 3.2\n", "",
        P + "9: 缺少「税务工作年度汇报」要求的指标 refund_amount（留抵退税额） — 在 metrics 下加入 refund_amount: 数值（单位：亿元）"),
    "not_number-thousands-separator": (
        "tax_revenue: 1268000000", "tax_revenue: 1,268,000,000",
        P + "10: 指标 tax_revenue 的值「1,268,000,000」不是数字"
            " — 只写数字，不带单位和千分位逗号，例如 tax_revenue: 1268000000"),
    "not_number-with-unit": (
        "refund_amount: 3.2", "refund_amount: 12亿",
        P + "11: 指标 refund_amount 的值「12亿」不是数字 — 只写数字，不带单位和千分位逗号，例如 refund_amount: 12.5"),
    "not_number-yaml-boolean": (    # said once, where it is read: not also "not a number"
        "refund_amount: 3.2", "refund_amount: yes",
        P + "11: metrics.refund_amount 的值「yes」会被 YAML 读作 true（是/否）"
            " — 表示是或否时写 true 或 false；若是文字，加上引号：'yes'"),
    "not_number-integer": (
        "  refund_households: 1234\n", "  refund_households: 1234\n  instructions: 1,234\n",
        P + "13: 指标 instructions 的值「1,234」不是数字 — 只写数字，不带单位和千分位逗号，例如 instructions: 1234"),
    "not_integer": (
        "  refund_households: 1234\n", "  refund_households: 1234\n  instructions: 12.5\n",
        P + "13: 指标 instructions 应为整数，实为 12.5 — 写成整数（单位：人次）"),
    "out_of_bounds-above": (
        "refund_amount: 3.2", "refund_amount: 5000",
        P + "11: 指标 refund_amount 的值 5000 超出范围 0 ～ 1000 — 核对数值和单位：refund_amount 以「亿元」计"),
    "out_of_bounds-below": (
        "tax_revenue: 1268000000", "tax_revenue: -1",
        P + "10: 指标 tax_revenue 的值 -1 超出范围 0 ～ 100000000000 — 核对数值和单位：tax_revenue 以「元」计"),
    "unknown_metric": (     # the suggestion comes from the template's metrics
        "  refund_households: 1234\n", "  refund_households: 1234\n  instruction: 12\n",
        P + "13: 未定义的指标 instruction — 改正名称（是否要写「instructions」？），或请维护者在词表中定义它"),
}


@pytest.mark.parametrize("old, new, expected", METRIC_RULES.values(), ids=METRIC_RULES.keys())
def test_metric_rule(vocab, old, new, expected):
    assert problems(edited(old, new), vocab) == [expected]


@pytest.mark.parametrize("value, shown", [
    ('"**"', "**"),
    ("'**亿元'", "**亿元"),
    ("TBD", "TBD"),
    ("待补充", "待补充"),
    ("''", ""),
    ("", ""),          # nothing at all after the colon
])
def test_placeholder_metric(vocab, value, shown):
    text = edited("refund_amount: 3.2", f"refund_amount: {value}".rstrip())
    assert problems(text, vocab) == [
        P + f"11: 指标 refund_amount 的值「{shown}」是占位符，不是数字 — 填入实际数值（单位：亿元）"]


def test_metric_rules_in_english(vocab):
    text = edited("  refund_amount: 3.2\n", '  refund_amount: "**"\n  tax_revenu: 1\n')
    assert problems(text, vocab, lang="en") == [
        P + "11: metric refund_amount holds the placeholder '**', not a number — fill in the actual figure (unit: 亿元)",
        P + "12: metric tax_revenu is not defined"
            " — correct the name (did you mean 'tax_revenue'?), or ask the maintainer to define it in the vocabulary",
    ]
    assert problems(edited("  refund_amount: 3.2\n", ""), vocab, lang="en") == [
        P + "9: metric refund_amount (VAT credit refunds) required by 'Annual tax work report' is missing"
            " — add refund_amount: <number> under metrics (unit: 亿元)"]
    assert problems(edited("refund_amount: 3.2", "refund_amount: 12亿"), vocab, lang="en") == [
        P + "11: metric refund_amount has '12亿', which is not a number"
            " — write the number alone, without unit or thousands separators, for example refund_amount: 12.5"]


def test_missing_metrics_without_a_metrics_field_point_at_the_template(vocab):
    text = GOOD.split("metrics:")[0] + "---\n\n正文。\n"
    assert problems(text, vocab) == [
        P + "8: 缺少「税务工作年度汇报」要求的指标 tax_revenue（税收收入） — 在 metrics 下加入 tax_revenue: 数值（单位：元）",
        P + "8: 缺少「税务工作年度汇报」要求的指标 refund_households（留抵退税户数） — 在 metrics 下加入 refund_households: 数值（单位：户）",
        P + "8: 缺少「税务工作年度汇报」要求的指标 refund_amount（留抵退税额） — 在 metrics 下加入 refund_amount: 数值（单位：亿元）",
    ]


def test_metric_not_in_template(vocab):
    text = edited("  growth_rate: 5.2\n", "  growth_rate: 5.2\n  tax_revenue: 1268000000\n", FINANCE)
    assert problems(text, vocab, FINANCE_PATH) == [
        FINANCE_PATH + ":9: 「财政工作年度汇报」不含指标 tax_revenue — 删除它，或请维护者把它加入该报告类型"]
    assert problems(text, vocab, FINANCE_PATH, "en") == [
        FINANCE_PATH + ":9: 'Annual finance work report' has no metric tax_revenue"
                       " — remove it, or ask the maintainer to add it to that report type"]


def test_metrics_not_mapping_also_reports_the_required_metrics(vocab):
    text = edited("metrics:\n  growth_rate: 5.2\n", "metrics: [5.2]\n", FINANCE)
    text = text.replace("{{ growth_rate }}", "5.2%")
    assert problems(text, vocab, FINANCE_PATH) == [
        FINANCE_PATH + ":7: metrics 应为「指标名: 数值」的列表 — 每行写一个指标，例如 metrics: 换行后缩进写 tax_revenue: 1268000000",
        FINANCE_PATH + ":7: 缺少「财政工作年度汇报」要求的指标 growth_rate（收入增幅） — 在 metrics 下加入 growth_rate: 数值（单位：%）",
    ]


def test_invalid_metrics_are_left_out_of_the_report(vocab):
    report = check(edited("refund_amount: 3.2", "refund_amount: 12亿"), vocab)
    assert report.metrics == {"tax_revenue": 1268000000, "refund_households": 1234}


def test_a_quoted_figure_with_an_invalid_value_is_reported_once_at_its_value(vocab):
    """The quote names the metric rightly; only the value must change (today the quote's line also
    says 'metrics does not define it' and suggests refund_amount)."""
    assert problems(edited("refund_households: 1234", "refund_households: TBD"), vocab) == [
        P + "12: 指标 refund_households 的值「TBD」是占位符，不是数字 — 填入实际数值（单位：户）"]


@pytest.mark.parametrize("value, meaning", [(".inf", "无穷大"), ("-.inf", "无穷大"), (".nan", "「非数」（NaN）")])
def test_infinite_or_nan_integer_metric_is_not_a_figure(vocab, value, meaning):
    text = edited("  refund_households: 1234\n", f"  refund_households: 1234\n  instructions: {value}\n")
    report = check(text, vocab)
    assert [p.format() for p in report.problems] == [
        P + f"13: metrics.instructions 的值「{value}」在 YAML 中表示{meaning}，不是一个实际的数"
            f" — 写出实际数值；若是文字，加上引号：'{value}'"]
    assert "instructions" not in report.metrics


def test_nan_percent_metric_is_not_a_figure(vocab):
    report = check(edited("  refund_households: 1234\n", "  refund_households: 1234\n  growth_rate: .nan\n"), vocab)
    assert [(p.line, p.code) for p in report.problems] == [(13, "yaml_special")]


# --- the body -------------------------------------------------------------------------------

def test_undefined_quote_suggests_a_metric_of_the_report(vocab):
    text = GOOD + "为{{ refund_househlds }}户纳税人办理退税。\n"
    assert problems(text, vocab) == [
        P + "16: 正文引用了 {{ refund_househlds }}，但 metrics 中没有它"
            " — 在 metrics 下加入 refund_househlds: 数值，或改正引用的名称（是否要写「refund_households」？）"]
    assert problems(text, vocab, lang="en") == [
        P + "16: the text quotes {{ refund_househlds }} but metrics does not define it"
            " — add refund_househlds: <number> under metrics, or correct the name (did you mean 'refund_households'?)"]


def test_quote_of_a_vocabulary_metric_the_report_lacks(vocab):
    text = GOOD + "增长{{ growth_rate }}。\n"
    assert problems(text, vocab) == [
        P + "16: 正文引用了 {{ growth_rate }}，但 metrics 中没有它 — 在 metrics 下加入 growth_rate: 数值，或改正引用的名称"]


MASKED_FIX = "把 ** 换成 {{ 指标名 }}，并在 metrics 中填入数值；若本意是加粗：正文不用加粗，删去 **"


@pytest.mark.parametrize("body, masked", [
    ("全年组织税收收入**元。", "**元"),
    ("批示**人次。", "**人次"),
    ("为**户**亿元纳税人办理退税。", "**户**亿元"),   # one figure, one problem
    ("同比增长**%。", "**%"),
    ("同比增长**％。", "**％"),
    ("减免**万元。", "**万元"),
])
def test_masked_figure(vocab, body, masked):
    assert problems(GOOD + body + "\n", vocab) == [P + f"16: 正文中有被遮盖的数字「{masked}」 — {MASKED_FIX}"]


def test_masked_figures_each_once_and_in_english(vocab):
    text = GOOD + "税收收入**元，退税**户**亿元，增长**%。\n"
    assert problems(text, vocab, lang="en") == [
        P + f"16: the text has a masked figure '{masked}'"
            " — replace ** with {{ metric_name }} and give its value under metrics; if it was meant as bold: reports use no bold, delete the **"
        for masked in ("**元", "**户**亿元", "**%")]


def test_body_lines_count_from_the_file_start(vocab):
    text = GOOD + "\n" * 5 + "收入**元。\n"
    assert problems(text, vocab) == [P + f"21: 正文中有被遮盖的数字「**元」 — {MASKED_FIX}"]


# --- translations -----------------------------------------------------------------------------

def translate(text: str, vocab, original=None, path: str = EN_PATH) -> list[str]:
    found = check_translation(split(text, path), "en", original, PATH, vocab)
    return [problem.format() for problem in found]


def test_good_translation_is_attached_to_its_original(vocab):
    original = check(GOOD, vocab)
    text = "---\ntitle: District Tax Bureau work report for 2022\n---\n\nRefunds went to {{ refund_households }}.\n"
    assert translate(text, vocab, original) == []
    assert original.problems == []
    assert original.title_in("en") == "District Tax Bureau work report for 2022"
    assert original.title_in("zh") == "区税务局2022年度工作汇报"
    assert original.translations["en"].path == EN_PATH


def test_translation_field(vocab):
    original = check(GOOD, vocab)
    text = "---\ntitle: District Tax Bureau work report for 2022\ndate: 2023-01-15\n---\n"
    expected = [EN_PATH + ":3: 译文的 front matter 含有字段 date"
                          " — 删除它：译文只写 title，其余信息取自中文原文 reports/2022/tax-bureau-2022.md"]
    assert translate(text, vocab, original) == expected
    assert [p.format() for p in original.problems] == expected   # shown on the original's page too
    assert [p.format("en") for p in original.problems] == [
        EN_PATH + ":3: the translation's front matter has field date"
                  " — remove it: a translation gives only title, everything else comes from the original"
                  " reports/2022/tax-bureau-2022.md"]


def test_translation_without_title_falls_back_to_the_original_title(vocab):
    original = check(GOOD, vocab)
    assert translate("---\n---\nText.\n", vocab, original) == [
        EN_PATH + ":1: 缺少必填字段 title — 在 front matter 中加入 title: District Tax Bureau work report for 2022"]
    assert original.title_in("en") == "区税务局2022年度工作汇报"


def test_translation_body_is_checked_against_the_original_figures(vocab):
    original = check(GOOD, vocab)
    text = "---\ntitle: Tax\n---\nRevenue grew by **%, see {{ growth_rate }}.\n"
    assert translate(text, vocab, original) == [
        EN_PATH + ":4: 正文引用了 {{ growth_rate }}，但 metrics 中没有它 — 在 metrics 下加入 growth_rate: 数值，或改正引用的名称",
        EN_PATH + f":4: 正文中有被遮盖的数字「**%」 — {MASKED_FIX}",
    ]


def test_orphan_translation(vocab):
    expected_zh = (EN_PATH + ":1: 译文没有对应的中文原文 reports/2022/tax-bureau-2022.md"
                             " — 添加原文，或把译文改名为与原文相同的名称加 .en.md")
    assert translate("---\ntitle: Orphan\n---\n", vocab, None) == [expected_zh]
    found = check_translation(split("---\ntitle: Orphan\n---\n", EN_PATH), "en", None, PATH, vocab)
    assert [p.format("en") for p in found] == [
        EN_PATH + ":1: the translation has no original reports/2022/tax-bureau-2022.md"
                  " — add the original, or rename the translation to the original's name plus .en.md"]


# --- everything at once -----------------------------------------------------------------------

def test_every_problem_of_a_file_is_reported_in_one_go_in_line_order(vocab):
    text = """\
---
title: 区税务局2022年度工作汇报
date: 2023-02-30
year: 22
unit: 区税物局
topics: [组织收入, revenue]
template: 税务工作年度汇报
metrics:
  tax_revenue: 1,268,000,000
  refund_amount: 待补充
---

税收收入**元，退税{{ refund }}。
"""
    _, found = load_reports([(PATH, text)], vocab)
    assert [p.format() for p in found] == [
        P + "3: 日期 2023-02-30 不是真实的日期 — 按 YYYY-MM-DD 写出印发日期，例如 date: 2023-01-15",
        P + "4: 年份 22 无效 — 写四位数的报告年度，例如 year: 2022",
        P + "5: 未登记的单位「区税物局」 — 改为已登记的单位（是否要写「区税务局」？）",
        P + "6: 主题「revenue」重复 — 删除重复的一项",
        P + "8: 缺少「税务工作年度汇报」要求的指标 refund_households（留抵退税户数）"
            " — 在 metrics 下加入 refund_households: 数值（单位：户）",
        P + "9: 指标 tax_revenue 的值「1,268,000,000」不是数字"
            " — 只写数字，不带单位和千分位逗号，例如 tax_revenue: 1268000000",
        P + "10: 指标 refund_amount 的值「待补充」是占位符，不是数字 — 填入实际数值（单位：亿元）",
        P + "13: 正文引用了 {{ refund }}，但 metrics 中没有它"
            " — 在 metrics 下加入 refund: 数值，或改正引用的名称（是否要写「refund_amount」？）",
        P + f"13: 正文中有被遮盖的数字「**元」 — {MASKED_FIX}",
    ]


# --- nothing silent, clear messages (issue 9) ---------------------------------------------------

TODAY = date(2023, 6, 1)


def test_a_date_after_today_is_a_problem(vocab):
    text = edited("date: 2023-01-15", "date: 2099-01-18")
    assert [p.format() for p in check_report(split(text, PATH), vocab, today=TODAY).problems] == [
        P + "3: 印发日期 2099-01-18 晚于今天 — 核对 date：档案只收录已经印发的报告，按 YYYY-MM-DD 写实际印发日期"]
    assert [p.format("en") for p in check_report(split(text, PATH), vocab, today=TODAY).problems] == [
        P + "3: the date of issue 2099-01-18 is after today"
            " — check date: the archive holds reports already issued; write the actual date of issue as YYYY-MM-DD"]


@pytest.mark.parametrize("issued, flagged", [("2023-06-01", False), ("2023-06-02", True), ("2023-01-15", False)])
def test_today_is_the_last_day_a_report_may_be_dated(vocab, issued, flagged):
    report = check_report(split(edited("date: 2023-01-15", f"date: {issued}"), PATH), vocab, today=TODAY)
    assert [p.code for p in report.problems] == (["future_date"] if flagged else [])
    assert report.date == date.fromisoformat(issued)


def test_today_defaults_to_the_date_in_china(vocab):
    from archive.validation import today_of_issue
    from datetime import datetime, timedelta, timezone
    assert today_of_issue() == datetime.now(timezone(timedelta(hours=8))).date()
    assert check(GOOD, vocab).problems == []


def test_a_quoted_year_says_the_quotes_are_the_problem(vocab):
    assert problems(edited("year: 2022", "year: '2022'"), vocab) == [
        P + "4: year 的值「2022」加了引号，成了文字而不是数字 — 去掉引号，写成 year: 2022"]
    assert problems(edited("year: 2022", 'year: "2022"'), vocab, lang="en") == [
        P + "4: year is '2022' in quotes, which makes it text, not a number — remove the quotes: year: 2022"]


def test_a_quoted_metric_says_the_quotes_are_the_problem(vocab):
    assert problems(edited("refund_amount: 3.2", "refund_amount: '3.2'"), vocab) == [
        P + "11: refund_amount 的值「3.2」加了引号，成了文字而不是数字 — 去掉引号，写成 refund_amount: 3.2"]


def test_a_bad_confidential_list_reports_every_bad_item_at_its_line(vocab):
    text = edited("metrics:\n", "confidential:\n  - tax_revnue\n  - refund_amount\n  - 12\nmetrics:\n")
    fix = "写 confidential: true（全部数字保密）或 confidential: [指标名]"
    assert problems(text, vocab) == [P + f"10: confidential 应为 true 或本报告的指标名列表，「tax_revnue」不是 — {fix}",
                                     P + f"12: confidential 应为 true 或本报告的指标名列表，「12」不是 — {fix}"]


def test_a_flow_confidential_list_reports_every_bad_item(vocab):
    text = edited("metrics:\n", "confidential: [tax_revnue, refund_amont]\nmetrics:\n")
    assert [p.args["value"] for p in check(text, vocab).problems] == ["tax_revnue", "refund_amont"]


@pytest.mark.parametrize("value", ["[tax_revnue]", "yes", "some"])
def test_an_unreadable_confidential_keeps_every_figure_from_the_public(vocab, value):
    report = check(edited("metrics:\n", f"confidential: {value}\nmetrics:\n"), vocab)
    assert report.confidential == {"tax_revenue", "refund_amount", "refund_households"}
    assert len(report.problems) == 1


def test_a_value_the_yaml_reader_reported_is_not_reported_again(vocab):
    text = edited("unit: 区税务局", "unit: on")
    text = edited("year: 2022", "year: 0x7E6", text)
    text = edited("refund_amount: 3.2", "refund_amount: 2:12", text)
    text = edited("topics: [组织收入, 减税降费]", "topics: [组织收入, off]", text)
    assert [p.code for p in check(text, vocab).problems] == ["yaml_number", "yaml_boolean", "yaml_boolean", "yaml_number"]


def test_duplicate_keys_do_not_hide_missing_fields(vocab):
    text = edited("unit: 区税务局\n", "title: 又一个标题\n")
    assert sorted(problems(text, vocab)) == [
        P + "1: 缺少必填字段 unit — 在 front matter 中加入 unit: 区税务局",
        P + "5: title 写了两次，第 2 行已经有它 — 删除其中一处，只保留正确的一个"]


def test_an_invalid_metric_is_not_an_unknown_quote_in_the_translation(vocab):
    original = check(edited("refund_households: 1234", "refund_households: 12户"), vocab)
    text = "---\ntitle: Tax\n---\nRefunds went to {{ refund_households }}.\n"
    assert translate(text, vocab, original) == []
    assert [p.code for p in original.problems] == ["not_number"]


def test_an_invalid_metric_is_not_an_unknown_quote_in_the_translation_of_a_report_without_valid_metrics(vocab):
    text = edited("metrics:\n  growth_rate: 5.2\n", "metrics:\n  growth_rate: 5.2%\n", FINANCE)
    original = check(text, vocab, FINANCE_PATH)
    assert translate("---\ntitle: Finance\n---\nGrowth {{ growth_rate }}.\n", vocab, original) == []


def test_an_undefined_quote_never_suggests_its_own_name(vocab):
    text = GOOD.replace("为{{ refund_households }}纳税人办理留抵退税。", "增长{{ growth_rate }}。")
    original = check(edited("  refund_households: 1234\n", "", text), vocab)
    en = "---\ntitle: Tax\n---\nGrowth {{ growth_rate }}.\n"
    found = translate(en, vocab, original)
    assert found == [EN_PATH + ":4: 正文引用了 {{ growth_rate }}，但 metrics 中没有它"
                               " — 在 metrics 下加入 growth_rate: 数值，或改正引用的名称"]
    report = check("---\ntitle: a\n---\n{{ growth_rate }}\n", vocab)
    assert all("是否要写「growth_rate」" not in p.format() for p in report.problems)
