"""The maintainer's vocabulary: loading, looking terms up, and every vocab_* check."""
from __future__ import annotations

import pytest

from archive.vocabulary import MetricDef, Template, load_vocabulary

PATH = "docs/vocabulary.yml"

# A small valid vocabulary. Line numbers are used by the tests below:
#  2 tax-bureau, 5 finance-bureau, 8 topics, 13 tax_revenue (16 unit, 17 kind, 18 min),
#  20 refund_households (23 unit, 24 kind), 26 tax-annual (29 required, 30 optional)
VALID = """\
units:
  tax-bureau:
    zh: 区税务局
    en: District Tax Bureau
  finance-bureau:
    zh: 区财政局
    en: District Finance Bureau
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
    min: 0
    max: 100000000000
  refund_households:
    zh: 留抵退税户数
    en: Taxpayers refunded
    unit: 户
    kind: integer
templates:
  tax-annual:
    zh: 税务工作年度汇报
    en: Annual tax work report
    required: [tax_revenue]
    optional: [refund_households]
"""


def edited(old: str, new: str) -> str:
    """VALID with one passage changed; the passage must occur exactly once."""
    assert VALID.count(old) == 1, old
    return VALID.replace(old, new)


def problems(text: str | None, lang: str = "zh") -> list[str]:
    return [problem.format(lang) for problem in load_vocabulary(text, PATH)[1]]


def test_valid_vocabulary_has_no_problem_and_every_entry():
    vocab, found = load_vocabulary(VALID, PATH)
    assert found == []
    assert list(vocab.units) == ["tax-bureau", "finance-bureau"]
    assert list(vocab.topics) == ["revenue"]
    assert vocab.metrics["tax_revenue"] == MetricDef("tax_revenue", "税收收入", "Tax revenue", "元", "money", 0, 100000000000)
    assert vocab.metrics["refund_households"] == MetricDef("refund_households", "留抵退税户数", "Taxpayers refunded",
                                                           "户", "integer", None, None)
    assert vocab.templates["tax-annual"] == Template("tax-annual", "税务工作年度汇报", "Annual tax work report",
                                                     ("tax_revenue",), ("refund_households",))
    assert vocab.templates["tax-annual"].metrics == ("tax_revenue", "refund_households")


def test_fixture_vocabulary(vocab):
    assert list(vocab.units) == ["tax-bureau", "finance-bureau"]
    assert list(vocab.topics) == ["revenue", "tax-relief", "personnel"]
    assert list(vocab.templates) == ["tax-annual", "finance-annual"]
    assert vocab.templates["finance-annual"].metrics == ("growth_rate",)
    assert vocab.units["tax-bureau"].label("zh") == "区税务局"
    assert vocab.units["tax-bureau"].label("en") == "District Tax Bureau"


@pytest.mark.parametrize("name, key", [
    ("tax-bureau", "tax-bureau"),
    ("区税务局", "tax-bureau"),
    (" 区税务局 ", "tax-bureau"),
    ("District Tax Bureau", None),  # English labels are for readers, not for report authors
    ("区税物局", None),
])
def test_resolve_by_key_or_chinese_label(vocab, name, key):
    assert vocab.resolve("units", name) == key


def test_nearest_suggests_a_key_or_label(vocab):
    assert vocab.nearest("units", "区税物局") == "区税务局"
    assert vocab.nearest("topics", "revenu") == "revenue"
    assert vocab.nearest("metrics", "tax_revenu") == "tax_revenue"
    assert vocab.nearest("metrics", "税收收入") is None  # metrics are named by key only
    assert vocab.nearest("units", "教育局") is None


# --- every vocab_* rule: the exact line a maintainer reads ---------------------------------

def test_vocab_missing():
    assert problems(None) == [
        "docs/vocabulary.yml:1: 找不到词表文件 — 在 docs/ 下建立词表文件，包含 units、topics、metrics、templates 四部分"]
    assert problems(None, "en") == [
        "docs/vocabulary.yml:1: the vocabulary file is missing"
        " — create it in docs/ with the sections units, topics, metrics and templates"]


def test_broken_yaml():
    assert problems(edited("    en: District Tax Bureau\n", "    en: District: Tax Bureau\n")) == [
        "docs/vocabulary.yml:4: 词表不是有效的 YAML：mapping values are not allowed here"
        " — 检查这一行的缩进、冒号和引号"]


def test_vocab_section_not_a_mapping():
    text = edited("topics:\n  revenue:\n    zh: 组织收入\n    en: Revenue collection\n", "topics: [revenue]\n")
    assert problems(text) == [
        "docs/vocabulary.yml:8: 词表缺少 topics 部分，或它不是「键: 条目」的映射 — 加入 topics:，下面每个条目写键名和 zh、en 名称"]
    assert problems(text, "en") == [
        "docs/vocabulary.yml:8: the vocabulary has no topics section, or it is not a mapping of key to entry"
        " — add topics: with one entry per key, each with zh and en labels"]


def test_vocab_section_absent_is_reported_on_line_1():
    text = edited("topics:\n  revenue:\n    zh: 组织收入\n    en: Revenue collection\n", "")
    assert problems(text) == [
        "docs/vocabulary.yml:1: 词表缺少 topics 部分，或它不是「键: 条目」的映射 — 加入 topics:，下面每个条目写键名和 zh、en 名称"]


def test_vocab_key():
    assert problems(edited("  tax-bureau:", "  Tax_Bureau:")) == [
        "docs/vocabulary.yml:2: 词表 units 中的键 Tax_Bureau 不合规范 — 键名只用这些字符：a-z 0-9 -"]
    assert problems(edited("  tax-bureau:", "  Tax_Bureau:"), "en") == [
        "docs/vocabulary.yml:2: key Tax_Bureau in units is not valid — use only the characters a-z 0-9 -"]


def test_vocab_label():
    assert problems(edited("    en: District Tax Bureau\n", "")) == [
        "docs/vocabulary.yml:2: units.tax-bureau 缺少 en 名称 — 加入 en: 名称"]
    assert problems(edited("    en: District Tax Bureau\n", ""), "en") == [
        "docs/vocabulary.yml:2: units.tax-bureau has no en label — add en: <label>"]


def test_vocab_duplicate_label():
    assert problems(edited("    zh: 区财政局", "    zh: 区税务局")) == [
        "docs/vocabulary.yml:5: units 中「区税务局」同时是 finance-bureau 和 tax-bureau 的名称"
        " — 给两个条目起不同的中文名称，否则无法分辨"]


def test_vocab_field_with_suggestion():
    text = edited("    unit: 户\n", "    unit: 户\n    maximum: 10\n")
    assert problems(text) == [
        "docs/vocabulary.yml:24: metrics.refund_households 含有未知字段 maximum — 删除它，或改正拼写（是否要写「max」？）"]
    assert problems(text, "en") == [
        "docs/vocabulary.yml:24: metrics.refund_households has unknown field maximum"
        " — remove it or correct the spelling (did you mean 'max'?)"]


def test_vocab_unit():
    assert problems(edited("    unit: 元", "    unit: 块")) == [
        "docs/vocabulary.yml:16: 指标 tax_revenue 的计量单位「块」未知"
        " — 使用以下单位之一：元 万元 亿元 户 人 名 人次 次 份 篇 期 岁 % 个 项 件 家 批 轮 天"]


def test_vocab_kind():
    assert problems(edited("    kind: money", "    kind: amount")) == [
        "docs/vocabulary.yml:17: 指标 tax_revenue 的类型「amount」未知 — 使用以下类型之一：integer, decimal, percent, money"]


def test_vocab_kind_unit():
    assert problems(edited("    unit: 户", "    unit: 元")) == [
        "docs/vocabulary.yml:23: 指标 refund_households 的类型 integer 与单位「元」不符"
        " — 类型 integer 的单位应为以下之一：户 人 名 人次 次 份 篇 期 岁 个 项 件 家 批 轮 天"]


@pytest.mark.parametrize("old, new, detail", [
    ("    min: 0", "    min: 零", "min: 零"),
    ("    max: 100000000000", "    max: 1000亿", "max: 1000亿"),
    ("    min: 0", "    min: 200000000000", "min 200000000000 > max 100000000000"),
])
def test_vocab_bound(old, new, detail):
    line = 19 if new.startswith("    max") else 18
    assert problems(edited(old, new)) == [
        f"docs/vocabulary.yml:{line}: 指标 tax_revenue 的范围不对：{detail} — min 和 max 写数字，且 min 不大于 max"]


def test_vocab_yaml_11_notation_is_said_where_it_is_read():
    """yes is no number: the YAML reader says so (and how to write it), once."""
    assert problems(edited("    min: 0", "    min: yes")) == [
        "docs/vocabulary.yml:18: metrics.tax_revenue.min 的值「yes」会被 YAML 读作 true（是/否）"
        " — 表示是或否时写 true 或 false；若是文字，加上引号：'yes'"]


def test_vocab_template_metric_with_suggestion():
    text = edited("required: [tax_revenue]", "required: [tax_revenu]")
    assert problems(text) == [
        "docs/vocabulary.yml:29: 报告类型 tax-annual 列出了未定义的指标 tax_revenu"
        " — 在 metrics 部分定义它，或改正名称（是否要写「tax_revenue」？）"]
    assert problems(text, "en") == [
        "docs/vocabulary.yml:29: template tax-annual lists undefined metric tax_revenu"
        " — define it in the metrics section or correct the name (did you mean 'tax_revenue'?)"]
    vocab, _ = load_vocabulary(text, PATH)
    assert vocab.templates["tax-annual"].required == ()


def test_vocab_template_list():
    assert problems(edited("optional: [refund_households]", "optional: refund_households")) == [
        "docs/vocabulary.yml:30: 报告类型 tax-annual 的 optional 应为指标名列表 — 写成 optional: [指标名, 指标名]"]


def test_empty_template_lists_are_fine():
    vocab, found = load_vocabulary(edited("    optional: [refund_households]\n", "    optional:\n"), PATH)
    assert found == []
    assert vocab.templates["tax-annual"].optional == ()


def test_every_problem_of_the_vocabulary_at_once():
    """Checking goes on past the first problem; the entries that are fine are kept."""
    text = (VALID.replace("  tax-bureau:", "  Tax_Bureau:")
            .replace("    zh: 区财政局\n", "")
            .replace("    kind: integer", "    kind: amount")
            .replace("optional: [refund_households]", "optional: refund_households"))
    vocab, found = load_vocabulary(text, PATH)
    assert sorted((p.line, p.format()) for p in found) == [
        (2, "docs/vocabulary.yml:2: 词表 units 中的键 Tax_Bureau 不合规范 — 键名只用这些字符：a-z 0-9 -"),
        (5, "docs/vocabulary.yml:5: units.finance-bureau 缺少 zh 名称 — 加入 zh: 名称"),
        (23, "docs/vocabulary.yml:23: 指标 refund_households 的类型「amount」未知 — 使用以下类型之一：integer, decimal, percent, money"),
        (29, "docs/vocabulary.yml:29: 报告类型 tax-annual 的 optional 应为指标名列表 — 写成 optional: [指标名, 指标名]"),
    ]
    assert list(vocab.units) == ["finance-bureau"]
    assert list(vocab.topics) == ["revenue"]
    assert list(vocab.metrics) == ["tax_revenue", "refund_households"]
