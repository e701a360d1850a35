"""Figures in the vocabulary and in reports: template rules, confidential flags, withheld figures.

As in test_validation.py, every bad example changes one passage of a complete valid text, so
the expected line can be read off the numbered listing beside it.
"""
from __future__ import annotations

import pytest

from archive.catalog import load_reports
from archive.frontmatter import split
from archive.rules import parse_rule
from archive.validation import check_report
from archive.vocabulary import load_vocabulary

VOCAB_PATH = "docs/vocabulary.yml"

# Lines: 30 instructions (35 its confidential flag), 37 tax-annual, 40 required, 41 optional,
# 42 rules, 43 the first rule, 44 the second.
VOCAB = """\
units:
  tax-bureau:
    zh: 区税务局
    en: District Tax Bureau
topics:
  revenue:
    zh: 组织收入
    en: Revenue collection
metrics:
  tax_revenue:
    zh: 税收收入
    en: Tax revenue
    unit: 元
    kind: money
  vat_revenue:
    zh: 增值税收入
    en: VAT revenue
    unit: 元
    kind: money
  other_revenue:
    zh: 其他税收收入
    en: Other tax revenue
    unit: 元
    kind: money
  refund_households:
    zh: 留抵退税户数
    en: Taxpayers refunded
    unit: 户
    kind: integer
  instructions:
    zh: 领导批示
    en: Leaders' instructions
    unit: 人次
    kind: integer
    confidential: true
templates:
  tax-annual:
    zh: 税务工作年度汇报
    en: Annual tax work report
    required: [tax_revenue, vat_revenue]
    optional: [other_revenue, refund_households, instructions]
    rules:
      - vat_revenue <= tax_revenue
      - vat_revenue + other_revenue == tax_revenue
"""

PATH = "reports/2022/tax-bureau-2022.md"
P = PATH + ":"

# Lines: 2 title, 7 template, 8 metrics, 9 tax_revenue, 10 vat_revenue, 11 other_revenue,
# 12 refund_households, 13 instructions, 16 the body, 17 a line appended to it.
GOOD = """\
---
title: 区税务局2022年度工作汇报
date: 2023-01-15
year: 2022
unit: 区税务局
topics: [组织收入]
template: 税务工作年度汇报
metrics:
  tax_revenue: 1268000000
  vat_revenue: 600000000
  other_revenue: 668000000
  refund_households: 356
  instructions: 12
---

全年组织税收收入{{ tax_revenue }}，其中增值税{{ vat_revenue }}。
"""


def edited(old: str, new: str, text: str = GOOD) -> str:
    """The text with one passage changed; the passage must occur exactly once."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def vocab_problems(text: str, lang: str = "zh") -> list[str]:
    return [problem.format(lang) for problem in load_vocabulary(text, VOCAB_PATH)[1]]


@pytest.fixture(scope="module")
def rules_vocab():
    vocabulary, found = load_vocabulary(VOCAB, VOCAB_PATH)
    assert found == []
    return vocabulary


def check(text: str, vocabulary):
    return check_report(split(text, PATH), vocabulary)


def problems(text: str, vocabulary, lang: str = "zh") -> list[str]:
    return [problem.format(lang) for problem in check(text, vocabulary).problems]


# --- the vocabulary: rules and confidential flags -----------------------------------------------

def test_good_vocabulary_with_rules_and_a_confidential_metric(rules_vocab):
    template = rules_vocab.templates["tax-annual"]
    assert template.rules == (parse_rule("vat_revenue <= tax_revenue"),
                              parse_rule("vat_revenue + other_revenue == tax_revenue"))
    assert template.rules[1].keys == ("vat_revenue", "other_revenue", "tax_revenue")
    assert rules_vocab.metrics["instructions"].confidential is True
    assert rules_vocab.metrics["tax_revenue"].confidential is False   # the default


def test_fixture_vocabulary_has_no_rules_and_nothing_confidential(vocab):
    assert all(template.rules == () for template in vocab.templates.values())
    assert not any(metric.confidential for metric in vocab.metrics.values())


@pytest.mark.parametrize("old, new, line, metric, rule", [
    ("      - vat_revenue <= tax_revenue\n", "      - vat_revenue <= tax_revenu\n", 43,
     "tax_revenu", "vat_revenue <= tax_revenu"),                                   # not defined at all
    ("    optional: [other_revenue, refund_households, instructions]",
     "    optional: [refund_households, instructions]", 44,
     "other_revenue", "vat_revenue + other_revenue == tax_revenue"),               # defined, not in the template
])
def test_vocab_rule_metric(old, new, line, metric, rule):
    text = edited(old, new, VOCAB)
    assert vocab_problems(text) == [
        f"docs/vocabulary.yml:{line}: 报告类型 tax-annual 的规则「{rule}」用到的指标 {metric} 不在该类型中"
        f" — 把 {metric} 加入 required 或 optional，或改正规则"]
    assert vocab_problems(text, "en") == [
        f"docs/vocabulary.yml:{line}: rule '{rule}' of template tax-annual uses {metric}, which the template does not list"
        f" — add {metric} to required or optional, or correct the rule"]
    vocabulary, _ = load_vocabulary(text, VOCAB_PATH)
    assert len(vocabulary.templates["tax-annual"].rules) == 1    # the other rule is kept


def test_vocab_rule_that_cannot_be_read():
    text = edited("      - vat_revenue <= tax_revenue\n", "      - vat_revenue =< tax_revenue\n", VOCAB)
    assert vocab_problems(text) == [
        "docs/vocabulary.yml:43: 报告类型 tax-annual 的规则「vat_revenue =< tax_revenue」写法不对：cannot read '='"
        " — 写成「指标 <= 指标」或「指标 + 指标 == 指标」这样的比较"]
    assert vocab_problems(text, "en") == [
        "docs/vocabulary.yml:43: rule 'vat_revenue =< tax_revenue' of template tax-annual cannot be read: cannot read '='"
        " — write a comparison such as 'a <= b' or 'a + b == total'"]
    vocabulary, _ = load_vocabulary(text, VOCAB_PATH)
    assert vocabulary.templates["tax-annual"].rules == (parse_rule("vat_revenue + other_revenue == tax_revenue"),)


def test_vocab_rule_without_a_comparison():
    text = edited("      - vat_revenue <= tax_revenue\n", "      - vat_revenue\n", VOCAB)
    assert vocab_problems(text) == [
        "docs/vocabulary.yml:43: 报告类型 tax-annual 的规则「vat_revenue」写法不对：no comparison (<=, >=, ==, <, >)"
        " — 写成「指标 <= 指标」或「指标 + 指标 == 指标」这样的比较"]


def test_rules_that_are_not_a_list():
    text = edited("    rules:\n      - vat_revenue <= tax_revenue\n      - vat_revenue + other_revenue == tax_revenue\n",
                  "    rules: vat_revenue <= tax_revenue\n", VOCAB)
    vocabulary, found = load_vocabulary(text, VOCAB_PATH)
    assert [(p.line, p.code) for p in found] == [(42, "vocab_rules_list")]
    assert vocabulary.templates["tax-annual"].rules == ()
    [line] = vocab_problems(text)
    assert line == ("docs/vocabulary.yml:42: 报告类型 tax-annual 的 rules 应为比较式的列表 — "
                    "写成 rules: 换行后每行一条，例如 - public_finance_revenue <= tax_revenue")


def test_a_rule_naming_no_metric_is_a_vocab_rule_problem():
    text = edited("      - vat_revenue <= tax_revenue\n", "      - 2 < 1\n", VOCAB)
    vocabulary, found = load_vocabulary(text, VOCAB_PATH)
    assert [(p.line, p.code) for p in found] == [(43, "vocab_rule")]
    check(GOOD, vocabulary)   # and no report can crash the build on it


@pytest.mark.parametrize("value", ['"yes"', "1", "[tax_revenue]", ""])
def test_vocab_flag(value):
    text = edited("    confidential: true", f"    confidential: {value}".rstrip(), VOCAB)
    assert vocab_problems(text) == [
        "docs/vocabulary.yml:35: metrics.instructions 的 confidential 应为 true 或 false — 写成 confidential: true"]
    assert vocab_problems(text, "en") == [
        "docs/vocabulary.yml:35: confidential of metrics.instructions must be true or false — write confidential: true"]
    vocabulary, _ = load_vocabulary(text, VOCAB_PATH)
    assert vocabulary.metrics["instructions"].confidential is False


def test_confidential_false_is_fine():
    vocabulary, found = load_vocabulary(edited("    confidential: true", "    confidential: false", VOCAB), VOCAB_PATH)
    assert found == []
    assert vocabulary.metrics["instructions"].confidential is False


# --- template rules in a report -----------------------------------------------------------------

def test_good_report_keeps_every_rule(rules_vocab):
    report = check(GOOD, rules_vocab)
    assert report.problems == []
    assert report.withheld == {}
    assert report.confidential == frozenset()


RULE_1_ZH = "数字不符合「税务工作年度汇报」的规则 vat_revenue <= tax_revenue"
RULE_2_ZH = "数字不符合「税务工作年度汇报」的规则 vat_revenue + other_revenue == tax_revenue"
FIX_1_ZH = "核对 vat_revenue、tax_revenue 的数值和单位"
FIX_2_ZH = "核对 vat_revenue、other_revenue、tax_revenue 的数值和单位"


def test_rule_broken_points_at_the_rules_first_metric(rules_vocab):
    text = edited("vat_revenue: 600000000", "vat_revenue: 1300000000")
    assert problems(text, rules_vocab) == [
        P + f"10: {RULE_1_ZH}：1,300,000,000 > 1,268,000,000 — {FIX_1_ZH}",
        P + f"10: {RULE_2_ZH}：1,968,000,000 ≠ 1,268,000,000 — {FIX_2_ZH}",
    ]


def test_rule_broken_by_a_sum(rules_vocab):
    text = edited("other_revenue: 668000000", "other_revenue: 600000000")
    assert problems(text, rules_vocab) == [P + f"10: {RULE_2_ZH}：1,200,000,000 ≠ 1,268,000,000 — {FIX_2_ZH}"]


def test_rule_broken_shows_decimals():
    text = edited("      - vat_revenue + other_revenue == tax_revenue\n",
                  "      - vat_revenue + other_revenue - 2.5 >= tax_revenue\n", VOCAB)
    vocabulary, found = load_vocabulary(text, VOCAB_PATH)
    assert found == []
    assert problems(GOOD, vocabulary) == [
        P + "10: 数字不符合「税务工作年度汇报」的规则 vat_revenue + other_revenue - 2.5 >= tax_revenue："
            "1,267,999,997.5 < 1,268,000,000 — 核对 vat_revenue、other_revenue、tax_revenue 的数值和单位"]


def test_rule_broken_in_english(rules_vocab):
    text = edited("other_revenue: 668000000", "other_revenue: 600000000")
    assert problems(text, rules_vocab, "en") == [
        P + "10: the figures break rule vat_revenue + other_revenue == tax_revenue of 'Annual tax work report':"
            " 1,200,000,000 ≠ 1,268,000,000 — check the values and units of vat_revenue, other_revenue, tax_revenue"]


def test_rule_holds_within_rounding(rules_vocab):
    assert problems(edited("other_revenue: 668000000", "other_revenue: 668000000.004"), rules_vocab) == []


def test_rule_is_not_checked_without_one_of_its_metrics(rules_vocab):
    text = edited("  other_revenue: 668000000\n", "", edited("vat_revenue: 600000000", "vat_revenue: 1300000000"))
    assert problems(text, rules_vocab) == [P + f"10: {RULE_1_ZH}：1,300,000,000 > 1,268,000,000 — {FIX_1_ZH}"]


def test_rule_is_not_checked_when_one_of_its_metrics_is_withheld(rules_vocab):
    text = edited("other_revenue: 668000000", "other_revenue: {withheld: 涉及纳税人信息}",
                  edited("vat_revenue: 600000000", "vat_revenue: 700000000"))
    assert problems(text, rules_vocab) == []


def test_rule_is_not_checked_when_one_of_its_values_is_wrong(rules_vocab):
    text = edited("vat_revenue: 600000000", "vat_revenue: TBD")
    assert problems(text, rules_vocab) == [
        P + "10: 指标 vat_revenue 的值「TBD」是占位符，不是数字 — 填入实际数值（单位：元）"]


# --- withheld figures ---------------------------------------------------------------------------

def test_a_withheld_figure_is_accepted_with_its_reason(rules_vocab):
    text = edited("vat_revenue: 600000000", "vat_revenue: {withheld: ' 涉及纳税人信息，不予公开 '}")
    report = check(text, rules_vocab)
    assert report.problems == []          # no missing_metric although vat_revenue is required
    assert report.withheld == {"vat_revenue": "涉及纳税人信息，不予公开"}
    assert "vat_revenue" not in report.metrics
    assert report.metrics == {"tax_revenue": 1268000000, "other_revenue": 668000000,
                              "refund_households": 356, "instructions": 12}


def test_a_withheld_figure_may_be_quoted_in_the_body(rules_vocab):
    text = edited("vat_revenue: 600000000", "vat_revenue: {withheld: 涉及纳税人信息}")
    assert "{{ vat_revenue }}" in text
    assert problems(text + "增值税{{vat_revenue}}。\n", rules_vocab) == []


def test_withheld_written_as_a_block(rules_vocab):
    text = edited("  vat_revenue: 600000000\n", "  vat_revenue:\n    withheld: 涉及纳税人信息\n")
    assert check(text, rules_vocab).withheld == {"vat_revenue": "涉及纳税人信息"}
    assert problems(text, rules_vocab) == []


BAD_WITHHELD_ZH = P + "10: 指标 vat_revenue 的写法不对 — 写数字；确实不公开时写 vat_revenue: {withheld: 不公开的理由}"


@pytest.mark.parametrize("value", [
    '{withheld: ""}',                    # no reason
    "{withheld: '  '}",
    "{withheld: }",
    "{foo: 1}",                          # not withheld at all
    "{withheld: 理由, note: 另见附件}",    # something besides the reason
    "{withheld: 12}",                    # a reason is words
    "{}",
])
def test_bad_withheld(rules_vocab, value):
    text = edited("vat_revenue: 600000000", f"vat_revenue: {value}")
    assert problems(text, rules_vocab) == [BAD_WITHHELD_ZH]     # and no missing_metric, no undefined_quote
    report = check(text, rules_vocab)
    assert "vat_revenue" not in report.metrics and report.withheld == {}


def test_bad_withheld_in_english(rules_vocab):
    assert problems(edited("vat_revenue: 600000000", 'vat_revenue: {withheld: ""}'), rules_vocab, "en") == [
        P + "10: metric vat_revenue is written wrongly"
            " — write a number; for a figure that is withheld write vat_revenue: {withheld: the reason}"]


def test_a_translation_may_quote_a_withheld_figure(rules_vocab):
    original = edited("vat_revenue: 600000000", "vat_revenue: {withheld: 涉及纳税人信息}")
    translation = "---\ntitle: District Tax Bureau work report for 2022\n---\n\nVAT came to {{ vat_revenue }}.\n"
    _, found = load_reports([(PATH, original), (PATH.replace(".md", ".en.md"), translation)], rules_vocab)
    assert [p.format() for p in found] == []


# --- confidential figures of one report ---------------------------------------------------------

ALL_KEYS = {"tax_revenue", "vat_revenue", "other_revenue", "refund_households", "instructions"}


def with_confidential(value: str, text: str = GOOD) -> str:
    """GOOD with a confidential field on line 14, after the metrics."""
    return edited("  instructions: 12\n", f"  instructions: 12\nconfidential: {value}\n", text)


def test_confidential_true_covers_every_figure_withheld_ones_too(rules_vocab):
    text = with_confidential("true", edited("other_revenue: 668000000", "other_revenue: {withheld: 理由}"))
    report = check(text, rules_vocab)
    assert report.problems == []
    assert report.confidential == frozenset(ALL_KEYS)


def test_confidential_list_covers_those_figures(rules_vocab):
    report = check(with_confidential("[vat_revenue, other_revenue]"), rules_vocab)
    assert report.problems == []
    assert report.confidential == {"vat_revenue", "other_revenue"}


@pytest.mark.parametrize("value", ["false", "[]", "null"])
def test_confidential_nothing(rules_vocab, value):
    report = check(with_confidential(value), rules_vocab)
    assert report.problems == []
    assert report.confidential == frozenset()


BAD_CONFIDENTIAL_FIX_ZH = "写 confidential: true（全部数字保密）或 confidential: [指标名]"


@pytest.mark.parametrize("value, shown", [
    ("[vat_revenue, refund_amount]", "refund_amount"),       # not a metric of the vocabulary
    ("[vat_revenue, vat_revnue]", "vat_revnue"),
    ("vat_revenue", "vat_revenue"),                          # one name, not a list
    ("'yes'", "yes"),
])
def test_bad_confidential(rules_vocab, value, shown):
    assert problems(with_confidential(value), rules_vocab) == [
        P + f"14: confidential 应为 true 或本报告的指标名列表，「{shown}」不是 — {BAD_CONFIDENTIAL_FIX_ZH}"]


def test_bad_confidential_names_a_metric_this_report_lacks(rules_vocab):
    text = with_confidential("[refund_households]", edited("  refund_households: 356\n", ""))
    assert problems(text, rules_vocab) == [
        P + f"13: confidential 应为 true 或本报告的指标名列表，「refund_households」不是 — {BAD_CONFIDENTIAL_FIX_ZH}"]


def test_bad_confidential_keeps_every_figure_from_the_public(rules_vocab):
    """A wrong name may have meant any figure: a public build masks them all until it is fixed."""
    report = check(with_confidential("[vat_revenue, refund_amount]"), rules_vocab)
    assert report.confidential == set(report.metrics)
    assert "vat_revenue" in report.confidential and len(report.confidential) > 1


def test_bad_confidential_in_english(rules_vocab):
    assert problems(with_confidential("[vat_revenue, refund_amount]"), rules_vocab, "en") == [
        P + "14: confidential must be true or a list of this report's metrics, not 'refund_amount'"
            " — write confidential: true (every figure) or confidential: [metric_name]"]


def test_a_confidential_figure_with_a_wrong_value_is_reported_once(rules_vocab):
    text = with_confidential("[vat_revenue]", edited("vat_revenue: 600000000", "vat_revenue: TBD"))
    assert problems(text, rules_vocab) == [
        P + "10: 指标 vat_revenue 的值「TBD」是占位符，不是数字 — 填入实际数值（单位：元）"]
