"""Splitting a report into front matter and body, with the line of every key."""
from __future__ import annotations

import pytest

from archive.frontmatter import Flagged, load_yaml, split, strip

TEXT = """\
---
title: 区税务局2022年度工作汇报
date: 2023-01-15
metrics:
  tax_revenue: 1268000000
topics:
  - 组织收入
  - 减税降费
---

正文第一段。
"""


def test_split_separates_meta_and_body():
    source = split(TEXT, "reports/2022/x.md")
    assert source.path == "reports/2022/x.md"
    assert source.meta == {
        "title": "区税务局2022年度工作汇报",
        "date": "2023-01-15",
        "metrics": {"tax_revenue": 1268000000},
        "topics": ["组织收入", "减税降费"],
    }
    assert source.body == "\n正文第一段。\n"
    assert source.problems == []


def test_body_line_is_the_first_line_after_the_closing_fence():
    source = split(TEXT, "x.md")
    assert source.body_line == 10
    assert TEXT.splitlines()[source.body_line - 1] == ""
    assert TEXT.splitlines()[source.body_line] == "正文第一段。"


def test_every_key_and_list_item_has_its_file_line():
    source = split(TEXT, "x.md")
    assert source.lines == {
        ("title",): 2,
        ("date",): 3,
        ("metrics",): 4,
        ("metrics", "tax_revenue"): 5,
        ("topics",): 6,
        ("topics", "0"): 7,
        ("topics", "1"): 8,
    }


def test_line_falls_back_to_the_parent_key_then_to_line_one():
    source = split(TEXT, "x.md")
    assert source.line("metrics", "tax_revenue") == 5
    assert source.line("metrics", "refund_amount") == 4
    assert source.line("recipient") == 1


def test_dates_stay_text_so_that_validation_can_point_at_bad_ones():
    source = split("---\ndate: 2023-01-15\nyear: 2022\n---\n", "x.md")
    assert source.meta == {"date": "2023-01-15", "year": 2022}


def test_no_front_matter_is_a_problem_on_line_1_and_the_text_is_the_body():
    text = "区税务局2022年度工作汇报\n\n正文。\n"
    source = split(text, "reports/2022/x.md")
    assert source.meta == {}
    assert source.body == text
    assert source.body_line == 1
    assert [p.format() for p in source.problems] == [
        "reports/2022/x.md:1: 缺少 front matter — 在文件开头加上以 --- 开始和结束的 YAML 块，至少写明 title 和 date"]


def test_broken_yaml_points_at_its_line():
    source = split("---\ntitle: a\ndate: 2023-01-15\nunit: 区税务局: 区财政局\n---\n正文\n", "reports/2022/x.md")
    assert source.meta == {}
    assert source.body == "正文\n"
    assert [p.format() for p in source.problems] == [
        "reports/2022/x.md:4: front matter 不是有效的 YAML：mapping values are not allowed here"
        " — 检查这一行的缩进、冒号和引号"]
    assert [p.format("en") for p in source.problems] == [
        "reports/2022/x.md:4: the front matter is not valid YAML: mapping values are not allowed here"
        " — check the indentation, colons and quotes on this line"]


@pytest.mark.parametrize("text, line, detail", [
    # an unclosed list is noticed on a later line; the problem points where the list starts
    ("---\ntitle: a\ntopics: [组织收入, 减税降费\ntemplate: x\n---\n", 3, "expected ',' or ']', but got ':'"),
    ('---\ntitle: "abc\ndate: 2023-01-15\n---\n', 2, "found unexpected end of stream"),
])
def test_broken_yaml_points_at_the_line_that_opened_it(text, line, detail):
    assert [p.format() for p in split(text, "x.md").problems] == [
        f"x.md:{line}: front matter 不是有效的 YAML：{detail} — 检查这一行的缩进、冒号和引号"]


def test_front_matter_that_is_not_a_mapping_is_a_yaml_error_on_line_2():
    source = split("---\n- title\n- date\n---\n", "x.md")
    assert source.meta == {}
    assert [p.format() for p in source.problems] == [
        "x.md:2: front matter 不是有效的 YAML：not a mapping of field: value — 检查这一行的缩进、冒号和引号"]


def test_empty_front_matter_is_an_empty_mapping():
    source = split("---\n---\n正文\n", "x.md")
    assert (source.meta, source.problems, source.body, source.body_line) == ({}, [], "正文\n", 3)


def test_windows_line_endings():
    source = split("---\r\ntitle: a\r\ndate: 2023-01-15\r\n---\r\nbody\r\n", "x.md")
    assert source.meta == {"title": "a", "date": "2023-01-15"}
    assert source.lines == {("title",): 2, ("date",): 3}
    assert (source.body, source.body_line) == ("body\r\n", 5)


def test_yaml_end_marker_closes_the_front_matter_too():
    source = split("---\ntitle: a\n...\nbody\n", "x.md")
    assert (source.meta, source.body, source.body_line) == ({"title": "a"}, "body\n", 4)


def test_a_rule_later_in_the_body_is_not_a_fence():
    source = split("正文\n\n---\n\n更多\n", "x.md")
    assert [p.code for p in source.problems] == ["no_front_matter"]


def test_load_yaml_counts_lines_from_first_line():
    data, lines, problems = load_yaml("units:\n  tax-bureau:\n    zh: 区税务局\n", "v.yml", first_line=1)
    assert data == {"units": {"tax-bureau": {"zh": "区税务局"}}}
    assert lines == {("units",): 1, ("units", "tax-bureau"): 2, ("units", "tax-bureau", "zh"): 3}
    assert problems == []


def test_load_yaml_of_nothing_is_none_without_problem():
    assert load_yaml("", "v.yml") == (None, {}, [])


def test_strip_drops_the_front_matter_only():
    assert strip(TEXT) == "\n正文第一段。\n"
    assert strip("no front matter\n") == "no front matter\n"


# --- bounded parsing: refused before composing, one problem, never an exception ---------------

YAML_FIX = "检查这一行的缩进、冒号和引号"
LOL = '["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'
BOMB = f"a: &a {LOL}\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))


def lines_of(text: str, path: str = "x.md") -> list[str]:
    return [p.format() for p in split(text, path).problems]


def test_an_alias_bomb_is_refused_at_its_first_anchor():
    source = split(f"---\ntitle: a\n{BOMB}---\n正文\n", "x.md")
    assert [p.format() for p in source.problems] == [
        "x.md:3: 不能使用 YAML 锚点 &a — 删除 &a，把内容直接写出来：报告不需要锚点和别名"]
    assert source.meta == {} and source.lines == {}


def test_an_alias_without_anchor_is_refused_too():
    assert lines_of("---\ntitle: *a\n---\n") == ["x.md:2: 不能使用 YAML 别名 *a — 把 *a 换成它所指的内容本身"]
    [problem] = split("---\ntitle: *a\n---\n", "x.md").problems
    assert problem.format("en") == "x.md:2: YAML aliases such as *a are not accepted — replace *a with the content itself"


@pytest.mark.parametrize("value", [
    "[" * 3000 + "]" * 3000,                     # flow nesting
    "{a: " * 1500 + "1" + "}" * 1500,
    "\n    " + "- " * 3000 + "1",                # block nesting in one line
    "[" * 3000,                                  # never closed: libyaml stops before PyYAML would
])
def test_deep_nesting_is_refused_before_composing(value):
    assert lines_of(f"---\ntitle: a\nmetrics: {value}\n---\n") == [
        f"x.md:{3 if value[0] != chr(10) else 4}: YAML 嵌套超过 10 层"
        " — 检查从这一行开始的括号和缩进：报告最多嵌套三层（metrics → 指标 → withheld）"]


def test_deep_indented_block_nesting_is_refused():
    text = "---\n" + "".join(" " * level + f"k{level}:\n" for level in range(100)) + " " * 100 + "x: 1\n---\n"
    assert lines_of(text) == ["x.md:12: YAML 嵌套超过 10 层"
                              " — 检查从这一行开始的括号和缩进：报告最多嵌套三层（metrics → 指标 → withheld）"]


def test_ten_levels_are_read():
    source = split("---\na: " + "[" * 9 + "1" + "]" * 9 + "\n---\n", "x.md")
    assert source.problems == [] and source.meta["a"] == [[[[[[[[[1]]]]]]]]]


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!int", "!!binary", "!custom"])
def test_an_explicit_tag_is_refused(tag):
    assert lines_of(f"---\ntitle: a\nyear: {tag} '1'\n---\n") == [
        f"x.md:3: 不能使用 YAML 标签 {tag} — 删除这个以 ! 开头的标签；文字需要时加引号即可"]


def test_a_5000_digit_number_is_a_problem_not_a_value_error():
    source = split("---\nmetrics:\n  tax_revenue: " + "9" * 5000 + "\n---\n", "x.md")
    assert [p.format() for p in source.problems] == [
        "x.md:3: metrics.tax_revenue 的数字有 5000 位，超过 15 位的上限 — 核对数值和单位：这么多位的数字无法精确保存"]
    assert source.meta["metrics"]["tax_revenue"] == "9" * 5000
    assert isinstance(source.meta["metrics"]["tax_revenue"], Flagged)


@pytest.mark.parametrize("value, digits", [("1234567890123456", 16), ("-1234567890.123456", 16)])
def test_numbers_longer_than_15_digits_are_a_problem(value, digits):
    assert lines_of(f"---\nyear: {value}\n---\n") == [
        f"x.md:2: year 的数字有 {digits} 位，超过 15 位的上限 — 核对数值和单位：这么多位的数字无法精确保存"]


def test_15_digits_are_read():
    assert split("---\na: 123456789012345\nb: 1234567890.12345\n---\n", "x.md").meta == {
        "a": 123456789012345, "b": 1234567890.12345}


def test_a_huge_front_matter_is_refused_unread():
    text = "---\ntitle: " + "长" * 60_000 + "\n---\n正文\n"
    source = split(text, "x.md")
    assert [p.format() for p in source.problems] == [
        "x.md:2: front matter 长达 60008 个字符，超过上限 10000"
        " — front matter 只写 title、date 等字段和 metrics；正文写在结束的 --- 之后"]
    assert (source.meta, source.body) == ({}, "正文\n")


def test_a_huge_scalar_in_the_body_is_no_concern_of_the_front_matter():
    source = split("---\ntitle: a\n---\n" + "x" * 1_000_000 + "\n", "x.md")
    assert source.problems == [] and len(source.body) == 1_000_001


def test_unterminated_front_matter_is_not_closed_rather_than_missing():
    source = split("---\ntitle: a\ndate: 2023-01-15\n\n正文\n", "x.md")
    assert [p.format() for p in source.problems] == [
        "x.md:1: front matter 没有结束：第 1 行的 --- 之后找不到单独成行的 ---"
        " — 在最后一个字段之后加一行 ---，把 front matter 和正文分开"]
    assert [p.format("en") for p in source.problems] == [
        "x.md:1: the front matter is not closed: no line --- follows the --- on line 1"
        " — add a line --- after the last field to separate the front matter from the text"]


# --- nothing silent: duplicate keys and notations YAML reads differently ------------------------

def test_a_duplicate_key_is_a_problem_at_the_second_naming_the_first():
    text = "---\ntitle: a\ndate: 2023-01-15\ntitle: b\nmetrics:\n  x: 1\n  y: 2\n  x: 3\n---\n"
    source = split(text, "x.md")
    assert [p.format() for p in source.problems] == [
        "x.md:4: title 写了两次，第 2 行已经有它 — 删除其中一处，只保留正确的一个",
        "x.md:8: metrics.x 写了两次，第 6 行已经有它 — 删除其中一处，只保留正确的一个"]
    assert source.lines[("title",)] == 2 and source.lines[("metrics", "x")] == 6
    assert [p.format("en") for p in source.problems][0] == (
        "x.md:4: title is given twice: line 2 already gives it — delete one of them and keep the right one")


def test_keys_are_names_as_written():
    """YAML 1.1 would make 017 the key 15 and true a boolean: keys are kept as written."""
    source = split("---\nmetrics:\n  017: 1\n  true: 2\n  2022: 3\n---\n", "x.md")
    assert source.problems == []
    assert source.meta == {"metrics": {"017": 1, "true": 2, "2022": 3}}


def test_a_merge_key_is_only_a_name():
    assert split("---\n<<: {title: a}\n---\n", "x.md").meta == {"<<": {"title": "a"}}


NOTATIONS = {
    # value: (kind zh, how YAML reads it, the plain decimal to write)
    "0x84": ("十六进制写法", "132", "132"),
    "2:12": ("六十进制写法（用冒号分隔）", "132", "132"),
    "1_3_2": ("带下划线的数字", "132", "132"),
    "017": ("八进制写法", "15", "17"),
    "0o17": ("八进制写法", "15", "15"),
    "0b1": ("二进制写法", "1", "1"),
    "1e9": ("科学计数法", "1000000000", "1000000000"),
    "1.5e+3": ("科学计数法", "1500", "1500"),
    "09": ("带前导零的数字", "9", "9"),
    "-0x10": ("十六进制写法", "-16", "-16"),
}


@pytest.mark.parametrize("value", NOTATIONS)
def test_a_number_notation_is_a_problem_telling_the_plain_form(value):
    kind, reading, plain = NOTATIONS[value]
    source = split(f"---\nmetrics:\n  tax_revenue: {value}\n---\n", "x.md")
    assert [p.format() for p in source.problems] == [
        f"x.md:3: metrics.tax_revenue 的值「{value}」是{kind}，YAML 会把它读作数字 {reading}"
        f" — 若是数字，写成普通的十进制数字 {plain}；若是文字，加上引号：'{value}'"]
    assert source.meta["metrics"]["tax_revenue"] == value   # kept as written, flagged
    assert isinstance(source.meta["metrics"]["tax_revenue"], Flagged)


def test_a_number_notation_in_english():
    [problem] = split("---\nyear: 0x7E7\n---\n", "x.md").problems
    assert problem.format("en") == (
        "x.md:2: year is '0x7E7', hexadecimal notation that YAML reads as the number 2023"
        " — for a number write plain decimal digits: 2023; for text put it in quotes: '0x7E7'")


@pytest.mark.parametrize("value, meaning", [(".inf", "无穷大"), ("-.inf", "无穷大"), (".NaN", "「非数」（NaN）")])
def test_infinity_and_nan_are_not_figures(value, meaning):
    assert lines_of(f"---\ngrowth: {value}\n---\n") == [
        f"x.md:2: growth 的值「{value}」在 YAML 中表示{meaning}，不是一个实际的数 — 写出实际数值；若是文字，加上引号：'{value}'"]


@pytest.mark.parametrize("value, reading", [("yes", "true"), ("No", "false"), ("ON", "true"), ("off", "false"),
                                            ("y", "true"), ("n", "false")])
def test_yaml_11_booleans_are_a_problem(value, reading):
    assert lines_of(f"---\nconfidential: {value}\n---\n") == [
        f"x.md:2: confidential 的值「{value}」会被 YAML 读作 {reading}（是/否）"
        f" — 表示是或否时写 true 或 false；若是文字，加上引号：'{value}'"]


@pytest.mark.parametrize("text, value", [
    ("a: 1234", 1234), ("a: -3.5", -3.5), ("a: +12", 12), ("a: .5", 0.5), ("a: 5.", 5.0), ("a: 0", 0),
    ("a: true", True), ("a: False", False), ("a: ~", None), ("a: null", None), ("a:", None),
    ("a: '0x84'", "0x84"), ('a: "yes"', "yes"), ("a: 2023-01-15", "2023-01-15"), ("a: 区税务局", "区税务局"),
    ("a: yesterday", "yesterday"), ("a: 12亿", "12亿"), ("a: 1,268", "1,268"),
])
def test_plain_values_that_mean_one_thing_are_read_without_problem(text, value):
    source = split(f"---\n{text}\n---\n", "x.md")
    assert source.problems == []
    assert source.meta == {"a": value} and type(source.meta["a"]) is type(value)


def test_a_notation_inside_a_list_names_its_field():
    assert lines_of("---\ntopics: [组织收入, on]\n---\n") == [
        "x.md:2: topics 的值「on」会被 YAML 读作 true（是/否） — 表示是或否时写 true 或 false；若是文字，加上引号：'on'"]


def test_a_front_matter_that_is_only_a_word_is_not_a_mapping():
    assert lines_of("---\nyes\n---\n") == [
        "x.md:2: front matter 不是有效的 YAML：not a mapping of field: value — 检查这一行的缩进、冒号和引号"]
