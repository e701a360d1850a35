"""``./dev new``: a report to fill in, which the check refuses until it is filled, line by line (archive.scaffold)."""
from __future__ import annotations

import os

import pytest

from sites import make_site

from archive.check import check, load_config
from archive.scaffold import main, render_draft, scalar, Draft, Entry

PATH = "docs/reports/2023/tax-bureau-2023.md"

NEW = """\
---
title: 区税务局2023年度工作汇报
date:       # 印发日期，写成 YYYY-MM-DD，例如 2023-01-15
year: 2023
unit: tax-bureau  # 区税务局
# recipient: 区委组织部  # 报送对象（选填）：有就去掉行首的 # 并改写，没有就删去这一行
topics:     # 一项或多项，例如 [revenue, tax-relief]；可用：revenue 组织收入、tax-relief 减税降费、personnel 人事工作
template: tax-annual  # 税务工作年度汇报
metrics:    # 每项只写数字，不带单位、不加逗号（见投稿指南第四部分）
  tax_revenue:          # 税收收入（元）
  refund_households:    # 留抵退税户数（户）
  refund_amount:        # 留抵退税额（亿元）
  # 以下是选填指标：有这个数字时，去掉行首的 # 再填写
  # instructions:       # 领导批示（人次）
  # average_age:        # 正科级干部平均年龄（岁）
  # growth_rate:        # 收入增幅（%）
---

<!--
正文写在这里。这段说明不会发布，写好正文后删去它。
第一行写报送对象，例如「区委组织部：」。
标题写成 ## 一、……　### （一）……　#### 1.……
指标数字不直接写，写成引用，页面上显示为带单位的数字，例如：税收收入{{ tax_revenue }}。
-->
"""
LEFT = [
    f"{PATH}:3: 字段 date 是空的 — 填写 date，例如 date: 2023-01-15",
    f"{PATH}:7: 字段 topics 是空的 — 填写 topics，例如 topics: [组织收入, 纳税服务]",
    f"{PATH}:10: 指标 tax_revenue 的值「」是占位符，不是数字 — 填入实际数值（单位：元）",
    f"{PATH}:11: 指标 refund_households 的值「」是占位符，不是数字 — 填入实际数值（单位：户）",
    f"{PATH}:12: 指标 refund_amount 的值「」是占位符，不是数字 — 填入实际数值（单位：亿元）",
]


def run(site, *args: str) -> int:
    return main([*args, "-f", str(site.root / "mkdocs.yml")])


def problems(site) -> list[str]:
    config = load_config(str(site.root / "mkdocs.yml"))
    return [problem.format(config.settings.messages) for problem in check(config)]


@pytest.fixture
def site(tmp_path):
    return make_site(tmp_path / "site")


def test_new_writes_the_template_to_fill_and_says_what_is_left(site, capsys):
    assert problems(site) == []      # the fixture site is clean: every line below is the new file's
    assert run(site, "--unit", "区税务局", "--year", "2023", "--template", "税务工作年度汇报") == 0
    assert (site.root / PATH).read_text(encoding="utf-8") == NEW
    assert capsys.readouterr().out.splitlines() == [
        f"已写入 {PATH}", "还要填写：date、topics、3 项指标；./dev check 会逐行列出", f"下一步：./dev check {PATH}"]
    assert problems(site) == LEFT


def test_the_check_passes_once_it_is_filled(site):
    assert run(site, "--unit", "tax-bureau", "--year", "2023", "--template", "tax-annual") == 0
    report = site.root / PATH
    text = report.read_text(encoding="utf-8")
    for old, new in (("date:       #", "date: 2024-01-10  #"), ("topics:     #", "topics: [revenue]  #"),
                     ("tax_revenue:   ", "tax_revenue: 1300000000"), ("refund_households:", "refund_households: 300"),
                     ("refund_amount:    ", "refund_amount: 2.5")):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    report.write_text(text, encoding="utf-8")
    assert problems(site) == []      # the body's comment is not published and not a problem


def test_slug_and_date_options(site, capsys):
    assert run(site, "--unit", "tax-bureau", "--year", "2023", "--template", "tax-annual",
               "--slug", "tax-bureau-2023-half-year", "--date", "2023-07-10") == 0
    text = (site.docs / "reports/2023/tax-bureau-2023-half-year.md").read_text(encoding="utf-8")
    assert text.splitlines()[2] == "date: 2023-07-10"
    assert "还要填写：topics、3 项指标；./dev check 会逐行列出" in capsys.readouterr().out


def test_an_existing_file_is_never_overwritten(site, capsys):
    site.write("reports/2023/tax-bureau-2023.md", "mine\n")
    assert run(site, "--unit", "tax-bureau", "--year", "2023", "--template", "tax-annual") == 1
    assert (site.root / PATH).read_text(encoding="utf-8") == "mine\n"
    assert capsys.readouterr().err.splitlines() == [
        f"{PATH}:1: {PATH} 已经存在，没有改动它 — 用 --slug 另取一个文件名，例如 --slug tax-bureau-2023-2；要修订这份报告，直接编辑它"]


def test_a_link_in_the_way_is_refused(site, tmp_path, capsys):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    os.symlink(outside, site.docs / "reports" / "2024")
    assert run(site, "--unit", "tax-bureau", "--year", "2024", "--template", "tax-annual") == 1
    assert list(outside.iterdir()) == []
    assert capsys.readouterr().err.splitlines() == [
        "docs/reports/2024/tax-bureau-2024.md 的文件夹是符号链接或不在 docs 文件夹中，没有写入 — 删去这个链接，建立真实的文件夹后再运行"]


def test_unknown_terms_and_bad_options_are_listed_at_once(site, capsys):
    assert run(site, "--unit", "区税物局", "--year", "20x3", "--template", "tax-anual",
               "--date", "2023-02-30", "--slug", "Tax 2023") == 1
    assert not (site.docs / "reports" / "2023" / "Tax 2023.md").exists()
    assert capsys.readouterr().err.splitlines() == [
        "--unit 区税物局：词表中没有这个单位 — 改为已登记的单位（是否要写「区税务局」？），"
        "可用：tax-bureau（区税务局）, finance-bureau（区财政局）",
        "--template tax-anual：词表中没有这个报告类型 — 改为已登记的报告类型（是否要写「tax-annual」？），"
        "可用：tax-annual（税务工作年度汇报）, finance-annual（财政工作年度汇报）",
        "--year 20x3 不是四位数的年度 — 写报告所汇报的年度，例如 --year 2024",
        "--date 2023-02-30 不是 YYYY-MM-DD 格式的真实日期 — 写印发日期，例如 --date 2025-01-09",
        f"--slug Tax 2023 不能用作文件名 — 只用小写字母、数字和连字符，例如 --slug tax-bureau-{__import__('datetime').date.today().year}-2",
    ]


def test_usage_errors_exit_2(site, capsys):
    assert run(site, "--unit", "tax-bureau", "--year", "2023") == 2
    assert "--template" in capsys.readouterr().err


def test_english_messages_and_comments(tmp_path, capsys):
    site = make_site(tmp_path / "en", messages="en")
    assert main(["--unit", "tax-bureau", "--year", "2023", "--template", "finance-annual",
                 "-f", str(site.root / "mkdocs.yml")]) == 0
    text = (site.root / PATH).read_text(encoding="utf-8")
    assert text.splitlines()[1:3] == ["title: 区税务局2023年度工作汇报",   # the report's own language: the site's default
                                      "date:       # date of issue, written YYYY-MM-DD, for example 2023-01-15"]
    assert "  growth_rate:    # Revenue growth (%)" in text.splitlines()
    assert capsys.readouterr().out.splitlines()[1] == "still to fill in: date, topics, metrics (1); ./dev check lists each on its line"
    assert problems(site)[-1] == (f"{PATH}:10: metric growth_rate holds the placeholder '', not a number — "
                                  "fill in the actual figure (unit: %)")


def test_a_title_that_yaml_would_misread_is_quoted(vocab):
    assert scalar("区税务局2023年度工作汇报") == "区税务局2023年度工作汇报"
    for title in ("2023", "yes", "a: b", "# x", "区税务局: 汇报", "“引号”开头", 'x"y'):
        assert scalar(title).startswith('"'), title
    text = render_draft(Draft(title="2023: 区税务局\n#汇报", year=2023, unit="tax-bureau", template="tax-annual",
                              metrics=(Entry("tax_revenue", "税收收入\n---"),)), vocab, "zh")
    assert text.splitlines()[1] == 'title: "2023: 区税务局 #汇报"'
    assert "  tax_revenue:    # 税收收入 ---" in text.splitlines()
