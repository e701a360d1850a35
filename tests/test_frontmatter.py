"""Splitting a report into front matter and body, with the line of every key."""
from __future__ import annotations

import pytest

from archive.frontmatter import load_yaml, split, strip

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
