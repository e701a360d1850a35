"""From report files to checked reports: originals, their translations, every problem in path order.

The report files are the named fixtures in tests/fixtures/reports/.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from archive.catalog import load_reports, translation_of

REPORTS = Path(__file__).resolve().parent / "fixtures" / "reports"
MASKED_FIX = "把 ** 换成 {{ 指标名 }}，并在 metrics 中填入数值；若本意是加粗，请改用 __文字__"


def source(name: str, year: int = 2022) -> tuple[str, str]:
    """A fixture file as the catalog receives it: its path under reports/<year>/ and its text."""
    return f"reports/{year}/{name}", (REPORTS / name).read_text(encoding="utf-8")


def every_fixture() -> list[tuple[str, str]]:
    return [source("complete.md"), source("complete.en.md"), source("masked-figure.md"),
            source("missing-metric.md", 2021), source("orphan.en.md")]


@pytest.mark.parametrize("path, languages, expected", [
    ("reports/2022/x.en.md", ("en",), ("en", "reports/2022/x.md")),
    ("reports/2022/x.md", ("en",), None),
    ("reports/2022/x.fr.md", ("en",), None),          # not a language of the site
    ("reports/2022/x.fr.md", ("en", "fr"), ("fr", "reports/2022/x.md")),
    ("reports/2022/green.md", ("en",), None),         # ends in "en" but not in ".en"
])
def test_translation_of(path, languages, expected):
    assert translation_of(path, languages) == expected


def test_complete_report_and_its_translation(vocab):
    reports, problems = load_reports([source("complete.md"), source("complete.en.md")], vocab)
    assert problems == []
    [report] = reports
    assert report.path == "reports/2022/complete.md"
    assert report.url == "reports/2022/complete/"
    assert report.slug == "complete"
    assert (report.date, report.year, report.unit, report.template) == (date(2023, 1, 15), 2022, "tax-bureau", "tax-annual")
    assert report.metrics == {"tax_revenue": 1268000000, "refund_amount": 3.2, "refund_households": 1234,
                              "growth_rate": 12.345}
    assert list(report.translations) == ["en"]
    assert report.translations["en"].path == "reports/2022/complete.en.md"
    assert report.title_in("en") == "District Tax Bureau work report for 2022"
    assert report.title_in("zh") == "区税务局2022年度工作汇报"


def test_every_problem_of_every_file_in_path_then_line_order(vocab):
    _, problems = load_reports(every_fixture(), vocab)
    assert [p.format() for p in problems] == [
        "reports/2021/missing-metric.md:8: 缺少「税务工作年度汇报」要求的指标 refund_households（留抵退税户数）"
        " — 在 metrics 下加入 refund_households: 数值（单位：户）",
        f"reports/2022/masked-figure.md:12: 正文中有被遮盖的数字「**%」 — {MASKED_FIX}",
        f"reports/2022/masked-figure.md:12: 正文中有被遮盖的数字「**亿元」 — {MASKED_FIX}",
        f"reports/2022/masked-figure.md:14: 正文中有被遮盖的数字「**户**亿元」 — {MASKED_FIX}",
        f"reports/2022/masked-figure.md:14: 正文中有被遮盖的数字「**人次」 — {MASKED_FIX}",
        "reports/2022/orphan.en.md:1: 译文没有对应的中文原文 reports/2022/orphan.md"
        " — 添加原文，或把译文改名为与原文相同的名称加 .en.md",
    ]


def test_reports_come_newest_first_and_orphans_are_not_reports(vocab):
    reports, _ = load_reports(every_fixture(), vocab)
    assert [r.path for r in reports] == [
        "reports/2022/masked-figure.md",   # issued 2023-01-20
        "reports/2022/complete.md",        # issued 2023-01-15
        "reports/2021/missing-metric.md",  # issued 2022-01-20
    ]


def test_each_report_keeps_its_own_problems(vocab):
    reports, _ = load_reports(every_fixture(), vocab)
    by_path = {r.path: r for r in reports}
    assert by_path["reports/2022/complete.md"].problems == []
    assert [p.line for p in by_path["reports/2022/masked-figure.md"].problems] == [12, 12, 14, 14]
    assert [p.code for p in by_path["reports/2021/missing-metric.md"].problems] == ["missing_metric"]


def test_input_order_does_not_matter(vocab):
    forward = load_reports(every_fixture(), vocab)
    backward = load_reports(every_fixture()[::-1], vocab)
    assert [r.path for r in forward[0]] == [r.path for r in backward[0]]
    assert [p.format() for p in forward[1]] == [p.format() for p in backward[1]]


def test_a_translation_problem_is_listed_once_and_shown_on_the_original(vocab):
    path, text = source("complete.en.md")
    text = text.replace("title: District", "date: 2023-01-15\ntitle: District")
    reports, problems = load_reports([source("complete.md"), (path, text)], vocab)
    expected = ["reports/2022/complete.en.md:2: 译文的 front matter 含有字段 date"
                " — 删除它：译文只写 title，其余信息取自中文原文 reports/2022/complete.md"]
    assert [p.format() for p in problems] == expected
    assert [p.format() for p in reports[0].problems] == expected


def test_a_file_in_a_language_the_site_does_not_have_is_checked_as_an_original(vocab):
    path, text = source("complete.en.md")
    reports, problems = load_reports([source("complete.md"), (path, text)], vocab, translations=())
    assert [r.path for r in reports] == ["reports/2022/complete.md", "reports/2022/complete.en.md"]
    assert problems[0].format() == (
        "reports/2022/complete.en.md:1: 报告文件的位置不对：reports/2022/complete.en.md"
        " — 把文件放在 reports/<年度>/<名称>.md，名称只用小写字母、数字和连字符")
