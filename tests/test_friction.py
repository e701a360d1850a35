"""Checks for what converting real reports got wrong (issue 10), as the exact lines a contributor reads.

The year a report belongs to, unit aliases, topics written as one text, the body rules the guide
states (no ``# 标题`` line, no bold or italics, no unit after a quote) and figures typed in digits.
Each bad example changes one passage of a valid report, so the expected line can be read off it.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from archive.catalog import load_reports
from archive.check import load_config
from archive.figures import Publication
from archive.frontmatter import split
from archive.loading import load_archive
from archive.validation import check_report, check_translation
from archive.vocabulary import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "000_33d94cbde2d09b72.txt"

REPORT = """\
---
title: 区税务局2024年度工作汇报
date: 2025-03-10
year: 2024
unit: 区税务局
topics: [组织收入, 减税降费]
template: 税务工作年度汇报
metrics:
  tax_revenue: 1268000000
  refund_amount: 3.2
  refund_households: 1234
---

全年组织税收收入{{ tax_revenue }}，为{{ refund_households }}纳税人办理留抵退税{{ refund_amount }}。
"""
# Lines: 2 title, 3 date, 4 year, 5 unit, 6 topics, 7 template, 9 tax_revenue, 14 the body, 15 appended.
PATH = "reports/2024/tax-bureau-2024.md"
P = PATH + ":"


def edited(old: str, new: str, text: str = REPORT) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def problems(text: str, vocab, path: str = PATH, lang: str = "zh") -> list[str]:
    report = check_report(split(text, path), vocab, today=date(2026, 1, 1))
    return [problem.format(lang) for problem in report.problems]


def with_body(line: str, vocab, lang: str = "zh") -> list[str]:
    return problems(REPORT + line + "\n", vocab, lang=lang)


def test_the_report_is_clean(vocab):
    assert problems(REPORT, vocab) == []


# --- 1. the year a report belongs to --------------------------------------------------------------

def test_an_annual_report_issued_the_next_year_belongs_to_the_year_it_reviews(vocab):
    # the issue's case: delivered in March 2025, reviewing 2024, titled 「2025年…」: year is written, no message
    assert problems(edited("title: 区税务局2024年度工作汇报", "title: 区税务局2025年工作汇报"), vocab) == []
    # so is one issued at the end of the next year, or on a leap day
    assert problems(edited("date: 2025-03-10", "date: 2025-12-31"), vocab) == []
    leap = edited("date: 2025-03-10\nyear: 2024", "date: 2024-02-29\nyear: 2023").replace("2024年度", "2023年度")
    assert problems(leap, vocab, "reports/2023/tax-bureau-2023.md") == []


def test_without_year_the_folder_of_the_reviewed_year_says_to_write_year(vocab):
    text = edited("year: 2024\n", "")
    assert problems(text, vocab) == [
        P + "3: 文件在 reports/2024/ 下，但没有写 year，报告年度按印发日期 2025-03-10 计为 2025"
        " — 汇报 2024 年的报告写明 year: 2024（次年印发的年度报告也写所汇报的年度）；汇报的确是 2025 年的，把文件移到 reports/2025/"]
    assert problems(text, vocab, lang="en") == [
        P + "3: the file is in reports/2024/ but gives no year, so the year reported on is taken from the date of"
        " issue 2025-03-10: 2025 — for a report on 2024, write year: 2024 (an annual report issued the next year"
        " gives the year it reviews); for a report on 2025, move the file to reports/2025/"]


def test_without_year_a_title_naming_the_year_before_is_a_problem_at_the_title(vocab):
    path = "reports/2025/tax-bureau-2025.md"
    text = edited("year: 2024\n", "")
    assert problems(text, vocab, path) == [
        path + ":2: 标题写的是 2024 年，报告年度却是 2025（没有写 year，按印发日期 2025-03-10 的年份计）"
        " — year 写报告所汇报的年度，次年印发的年度报告也一样：汇报 2024 年的，写 year: 2024 并把文件放在 reports/2024/；"
        "汇报的确是 2025 年的，核对标题中的年份"]
    assert problems(text, vocab, path, "en") == [
        path + ":2: the title names 2024 but the year reported on is 2025 (no year is given: it is the year of the"
        " date of issue, 2025-03-10) — year is the year the report reviews, also for an annual report issued the"
        " next year: for a report on 2024, write year: 2024 and put the file in reports/2024/; for a report on"
        " 2025, check the year in the title"]


def test_a_year_written_as_the_year_of_issue_against_the_title(vocab):
    path = "reports/2025/tax-bureau-2025.md"
    assert problems(edited("year: 2024", "year: 2025"), vocab, path) == [
        path + ":4: 标题写的是 2024 年，报告年度却是 2025 — year 写报告所汇报的年度，次年印发的年度报告也一样："
        "汇报 2024 年的，写 year: 2024 并把文件放在 reports/2024/；汇报的确是 2025 年的，核对标题中的年份"]


@pytest.mark.parametrize("title", [
    "区税务局2024年工作总结和2025年工作打算",     # a title naming the year reviewed among others
    "区税务局2022—2024年工作总结",                # a range holding it
    "区税务局2022年至2024年工作总结",
    "区税务局“十四五”以来工作汇报",                # no year at all
])
def test_titles_naming_the_year_in_other_ways(vocab, title):
    assert problems(edited("区税务局2024年度工作汇报", title), vocab) == []


def test_a_date_more_than_a_year_after_the_year_reviewed(vocab):
    text = edited("date: 2025-03-10", "date: 2026-01-05")
    assert check_report(split(text, PATH), vocab, today=date(2026, 1, 1)).problems[0].code == "future_date"
    assert problems(edited("date: 2025-03-10", "date: 2025-12-31").replace("year: 2024", "year: 2023"), vocab,
                    "reports/2023/tax-bureau-2023.md") == [
        "reports/2023/tax-bureau-2023.md:3: 印发日期 2025-12-31 距报告年度 2023 结束已超过一年"
        " — 核对 year 和 date：year 写报告所汇报的年度，报告在该年度内或次年印发"]
    report = check_report(split(text, PATH), vocab, today=date(2027, 1, 1))
    assert [p.format("en") for p in report.problems] == [
        P + "3: the date of issue 2026-01-05 is more than a year after the end of 2024, the year reported on"
        " — check year and date: year is the year the report reviews, and a report is issued in that year or the next"]


def test_a_date_in_the_future_is_one_problem_not_two(vocab):
    assert [p.split(" — ")[0] for p in problems(edited("date: 2025-03-10", "date: 2099-01-01"), vocab)] == [
        P + "3: 印发日期 2099-01-01 晚于今天"]


# --- 2. unit aliases -------------------------------------------------------------------------------

ALIASED = """\
units:
  tax-bureau:
    zh: 区税务局
    en: District Tax Bureau
    aliases: [国家税务总局XX市XX区税务局, 区税务分局]
  finance-bureau:
    zh: 区财政局
    en: District Finance Bureau
topics:
  revenue:
    zh: 组织收入
    en: Revenue collection
    aliases: [收入组织]
metrics:
  tax_revenue:
    zh: 税收收入
    en: Tax revenue
    unit: 元
    kind: money
templates:
  tax-annual:
    zh: 税务工作年度汇报
    en: Annual tax work report
    aliases: [税务年度汇报]
    required: [tax_revenue]
"""


def aliased(old: str = "", new: str = ""):
    assert not old or ALIASED.count(old) == 1, old
    return load_vocabulary(ALIASED.replace(old, new) if old else ALIASED, "docs/vocabulary.yml")


def test_an_alias_resolves_to_its_entry():
    vocab, found = aliased()
    assert found == []
    assert vocab.units["tax-bureau"].aliases == ("国家税务总局XX市XX区税务局", "区税务分局")
    assert vocab.resolve("units", " 国家税务总局XX市XX区税务局 ") == "tax-bureau"
    assert vocab.resolve("topics", "收入组织") == "revenue"
    assert vocab.resolve("templates", "税务年度汇报") == "tax-annual"
    assert vocab.resolve("units", "国家税务总局") is None


def test_a_report_naming_its_unit_by_the_full_official_name():
    vocab, _ = aliased()
    text = (REPORT.replace("unit: 区税务局", "unit: 国家税务总局XX市XX区税务局").replace("[组织收入, 减税降费]", "[收入组织]")
            .replace("template: 税务工作年度汇报", "template: 税务年度汇报")
            .replace("  refund_amount: 3.2\n  refund_households: 1234\n", ""))
    text = text.replace("为{{ refund_households }}纳税人办理留抵退税{{ refund_amount }}。", "")
    report = check_report(split(text, PATH), vocab, today=date(2026, 1, 1))
    assert (report.problems, report.unit, report.topics, report.template) == ([], "tax-bureau", ("revenue",), "tax-annual")


def test_an_unknown_unit_is_suggested_the_nearest_key_label_or_alias():
    vocab, _ = aliased()
    text = REPORT.replace("unit: 区税务局", "unit: 国家税务总局XX市XX区税务所")
    assert [p for p in problems(text, vocab) if ":5:" in p] == [
        P + "5: 未登记的单位「国家税务总局XX市XX区税务所」 — 改为已登记的单位（是否要写「国家税务总局XX市XX区税务局」？）"]


def test_the_sample_vocabulary_knows_the_tax_bureaus_full_name():
    config = load_config(str(ROOT / "mkdocs.yml"))
    text = (Path(config.docs_dir) / config.settings.vocabulary).read_text(encoding="utf-8")
    vocab, found = load_vocabulary(text, "vocabulary.yml")
    assert found == []
    assert vocab.resolve("units", "国家税务总局XX市XX区税务局") == "tax-bureau"


def test_an_alias_naming_another_entry_is_a_vocabulary_problem():
    found = [p.format() for p in aliased("aliases: [国家税务总局XX市XX区税务局, 区税务分局]",
                                         "aliases: [国家税务总局XX市XX区税务局, 区财政局]")[1]]
    assert found == ["docs/vocabulary.yml:5: units 中「区财政局」既是 tax-bureau 的别名，又是 finance-bureau 的键名、名称或别名"
                     " — 一个名称只能指向一个条目：从其中一个条目删除它"]
    found = aliased("  finance-bureau:\n    zh: 区财政局\n",
                    "  finance-bureau:\n    zh: 区财政局\n    aliases: [区税务分局]\n")[1]
    assert [p.format("en") for p in found] == [
        "docs/vocabulary.yml:8: '区税务分局' in units is an alias of finance-bureau and also a key, label or alias"
        " of tax-bureau — a name can mean one entry only: remove it from one of them"]


@pytest.mark.parametrize("value", ["国家税务总局XX市XX区税务局", "[国家税务总局, '']", "[1]", "{a: b}"])
def test_aliases_must_be_a_list_of_names(value):
    vocab, found = aliased("aliases: [国家税务总局XX市XX区税务局, 区税务分局]", f"aliases: {value}")
    assert [p.format() for p in found] == [
        "docs/vocabulary.yml:5: units.tax-bureau 的 aliases 应为名称列表 — 写成 aliases: [全称, 另一名称]，每项是一段不为空的文字"]
    assert vocab.units["tax-bureau"].aliases == ()


def test_a_metric_has_no_aliases():
    found = aliased("    kind: money\n", "    kind: money\n    aliases: [税收]\n")[1]
    assert [p.format() for p in found] == [
        "docs/vocabulary.yml:20: metrics.tax_revenue 含有未知字段 aliases — 删除它，或改正拼写"]


# --- 3. topics written as one text -----------------------------------------------------------------

@pytest.mark.parametrize("written", ["组织收入, 减税降费", "组织收入，减税降费", "组织收入、减税降费", "组织收入；减税降费"])
def test_topics_written_as_one_text(vocab, written):
    assert problems(edited("topics: [组织收入, 减税降费]", f"topics: {written}"), vocab) == [
        P + f"6: topics 写成了一段文字「{written}」 — 写成列表，每个主题一项：topics: [组织收入, 减税降费]"]


def test_topics_written_as_one_text_in_english(vocab):
    assert problems(edited("topics: [组织收入, 减税降费]", "topics: revenue, tax-relief"), vocab, lang="en") == [
        P + "6: topics is one piece of text 'revenue, tax-relief' — write a list with one item per topic:"
        " topics: [revenue, tax-relief]"]


# --- 4. the body rules the guide states ------------------------------------------------------------

TITLE_FIX = ("报告标题由 front matter 中的 title 显示：这一行若是报告标题，删去它；若是正文的大标题（如「一、……」），"
             "改用 ## 开头，小标题用 ###")


@pytest.mark.parametrize("body, line, text", [
    ("# 区税务局2024年度工作汇报", 15, "区税务局2024年度工作汇报"),
    ("#一、聚焦主责", 15, "一、聚焦主责"),                       # Python-Markdown needs no space
    ("\n区税务局2024年度工作汇报\n===", 16, "区税务局2024年度工作汇报"),   # the underlined form
])
def test_a_title_line_in_the_body(vocab, body, line, text):
    assert with_body(body, vocab) == [P + f"{line}: 正文中有一级标题「{text}」 — {TITLE_FIX}"]


def test_a_title_line_in_english(vocab):
    assert with_body("# Work report", vocab, "en") == [
        P + "15: the text has a top-level heading 'Work report' — the report's title is shown from title in the"
        " front matter: if this line is the title, delete it; for a section heading (such as 一、…) start it with"
        " ##, and a sub-heading with ###"]


@pytest.mark.parametrize("body", [
    "## 一、聚焦主责\n\n### （一）党建领航\n\n#### 1. 理论学习",   # the headings the guide asks for
    "```\n# 代码中的井号\n**代码**\n1234户\n```",                 # code is shown as written
    "~~~\n{{ refund_households }}户\n~~~",
    "  # 缩进的井号不是标题",
    "`**行内代码**` 与 \\*\\*转义\\*\\* 的星号",
    "“红帆\\*税”文化展厅、某\\*局",                               # a masking * escaped
    "成效__明显__，a_b_c 和 2 * 3 * 4",                           # no emphasis as Python-Markdown reads it
    "第一行\n===",                                                 # not the start of its paragraph: no title
])
def test_bodies_without_a_title_line_or_emphasis(vocab, body):
    found = with_body(body, vocab)
    assert found == [], found


EMPHASIS_FIX = ("正文不用加粗、斜体等强调：删去两边的 {marker}；若 * 或 _ 是原文中的字符（如遮盖符号），"
                "在它前面加反斜杠，写成 \\* 或 \\_")


@pytest.mark.parametrize("body, text, kind, marker", [
    ("工作**重点**突出", "重点", "粗体", "**"),
    ("工作 __重点__ 突出", "重点", "粗体", "__"),
    ("“**青年论坛”“**喜迎二十大", "青年论坛”“", "粗体", "**"),      # two masked names: bold between them
    ("打造“红帆*税”文化展厅、某*局", "税”文化展厅、某", "斜体", "*"),
    ("<b>重点</b>工作", "重点", "粗体", "<b>"),
    ("<em>重点</em>工作", "重点", "斜体", "<em>"),
    ("`**代码**` 与 *重点*", "重点", "斜体", "*"),                 # code at the start of the line stays inline
])
def test_emphasis_in_the_body(vocab, body, text, kind, marker):
    assert with_body(body, vocab) == [P + f"15: 正文中的「{text}」会显示为{kind} — {EMPHASIS_FIX.format(marker=marker)}"]


def test_emphasis_in_english(vocab):
    assert with_body("work *well* done", vocab, "en") == [
        P + "15: 'well' in the text would show in italics — reports use no bold or italics: delete the * around it;"
        " if a * or _ is a character of the original (such as a mask), put a backslash before it: \\* or \\_"]


def test_a_masked_figure_is_not_also_bold(vocab):
    assert [p.split(" — ")[0] for p in with_body("为**户**亿元纳税人办理退税", vocab)] == [
        P + "15: 正文中有被遮盖的数字「**户**亿元」"]


@pytest.mark.parametrize("body, key, unit", [
    ("为{{ refund_households }}户纳税人办理退税", "refund_households", "户"),
    ("收入{{ tax_revenue }}亿元", "tax_revenue", "亿元"),        # a money figure is written with its scale
    ("收入{{ tax_revenue }} 元", "tax_revenue", "元"),
    ("退税{{refund_amount}}万元", "refund_amount", "万元"),
])
def test_a_unit_after_a_quote(vocab, body, key, unit):
    assert with_body(body, vocab) == [
        P + f"15: 引用 {{{{ {key} }}}} 后面又写了单位「{unit}」，页面上单位会重复 — 删去引用后面的「{unit}」：网站显示数字时已带上单位"]


def test_a_unit_after_a_quote_in_english(vocab):
    assert with_body("refunds to {{ refund_households }} entities", vocab, "en") == [
        P + "15: the quote {{ refund_households }} is followed by the unit 'entities', which the page would show"
        " twice — delete the 'entities' after the quote: the site writes the figure with its unit"]


@pytest.mark.parametrize("body", [
    "为{{ refund_households }}纳税人办理退税",
    "退税{{ refund_households }}人",                # another unit: not the one the site writes
    "分{{ refund_households }}批次办理",             # 批 is a unit, but not this metric's (户)
])
def test_quotes_followed_by_other_words(vocab, body):
    assert with_body(body, vocab) == []


# --- 5. figures typed as digits --------------------------------------------------------------------

TYPED_FIX = ("把数字连同单位换成 {{{{ {key} }}}}：数字只在 metrics 中填写一次，网站按指标的单位显示它，"
             "公开版也据此遮盖保密数字")


@pytest.mark.parametrize("body, value, key, label", [
    ("为1234户纳税人办理退税", "1234户", "refund_households", "留抵退税户数"),
    ("为1,234户纳税人办理退税", "1,234户", "refund_households", "留抵退税户数"),
    ("为 1234 户纳税人办理退税", "1234 户", "refund_households", "留抵退税户数"),
    ("组织税收收入12.68亿元", "12.68亿元", "tax_revenue", "税收收入"),      # as the site writes it
    ("组织税收收入126800万元", "126800万元", "tax_revenue", "税收收入"),    # the exact value at another scale
    ("组织税收收入1268000000元", "1268000000元", "tax_revenue", "税收收入"),
])
def test_a_figure_typed_in_digits(vocab, body, value, key, label):
    assert with_body(body, vocab) == [
        P + f"15: 正文直接写了数字「{value}」，与指标 {key}（{label}）的数值相同 — {TYPED_FIX.format(key=key)}"]


@pytest.mark.parametrize("body", [
    "2024年全年，12月底前",                          # years and months have no unit of a metric
    "退税3.2亿元",                                   # refund_amount 3.2: two digits recur by chance
    "第1234户",                                      # an ordinal
    "1234人次，12.69亿元",                           # another unit, another value
    "编号A1234户",                                   # part of a longer token
])
def test_numbers_that_are_not_the_reports_figures(vocab, body):
    assert with_body(body, vocab) == []


def test_a_figure_typed_in_a_translation(vocab):
    original = check_report(split(REPORT, PATH), vocab, today=date(2026, 1, 1))
    path = PATH.replace(".md", ".en.md")
    text = "---\ntitle: Report\n---\n\nRevenue of 1.27 billion yuan, refunds to 1,234 entities.\n"
    found = check_translation(split(text, path), "en", original, PATH, vocab)
    assert [p.format("en").split(" — ")[0] for p in found] == [
        f"{path}:5: the text writes '1.27 billion yuan' in digits, the value of metric tax_revenue (Tax revenue)",
        f"{path}:5: the text writes '1,234 entities' in digits, the value of metric refund_households"
        " (Taxpayers refunded)"]


def test_a_typed_confidential_figure_is_masked_in_a_public_build(vocab):
    text = edited("metrics:", "confidential: [refund_households]\nmetrics:") + "为1234户纳税人办理退税\n"
    _, found = load_reports([(PATH, text)], vocab, today=date(2026, 1, 1), publication=Publication(True))
    assert [p.format().split(" — ")[0] for p in found] == [
        P + "16: 正文直接写了数字「**」，与指标 refund_households（留抵退税户数）的数值相同"]


# --- 6. metrics: required as the template requires -------------------------------------------------

def test_a_report_without_metrics_lists_what_its_template_requires(vocab):
    text = REPORT.replace("metrics:\n  tax_revenue: 1268000000\n  refund_amount: 3.2\n  refund_households: 1234\n", "")
    text = text.replace("全年组织税收收入{{ tax_revenue }}，为{{ refund_households }}纳税人办理留抵退税{{ refund_amount }}。",
                        "全年工作。").replace("税务工作年度汇报", "财政工作年度汇报")
    assert problems(text, vocab) == [
        P + "7: 缺少「财政工作年度汇报」要求的指标 growth_rate（收入增幅） — 在 metrics 下加入 growth_rate: 数值（单位：%）"]


# --- the sample archive and the seed -------------------------------------------------------------

def test_the_sample_archive_breaks_none_of_these_rules():
    config = load_config(str(ROOT / "mkdocs.yml"))
    docs = Path(config.docs_dir)
    sources = [(path.relative_to(docs).as_posix(), path.read_bytes()) for path in (docs / "reports").rglob("*.md")]
    loaded = load_archive(str(docs / config.settings.vocabulary), config.settings.vocabulary, sources,
                          [lang for lang in config.languages if lang != config.default_lang],
                          config.settings.jump_factor, Publication(False), config.prefix)
    assert (loaded.vocab_problems, loaded.problems) == ([], [])


@pytest.mark.skipif(not SEED.is_file(), reason="../shared/seeds is not here")
def test_the_seed_converted_as_published_shows_its_masked_names_as_bold(vocab):
    """The published report masks names as ** too (“**青年论坛”): two on a line make bold text."""
    body = SEED.read_text(encoding="utf-8")
    report = check_report(split("---\n" + REPORT.split("---\n")[1] + "---\n" + body, PATH), vocab,
                          today=date(2026, 1, 1))
    bold = [(p.line, p.args["text"]) for p in report.problems if p.code == "emphasis"]
    line = next(number for number, text in enumerate(body.splitlines(), 13) if "青年论坛" in text)
    assert bold[0] == (line, "青年论坛”等特色活动，专题开展“")
    assert {p.code for p in report.problems} == {"emphasis", "masked_figure"}


# --- ./dev check builds the listing pages only when a file could take one's place ----------------

def test_every_listing_page_lies_below_a_folder_of_the_empty_archives_pages():
    from archive.check import _may_take
    from archive.index import build_index
    from archive.pages import archive_pages
    from archive.render import Context
    config = load_config(str(ROOT / "mkdocs.yml"))
    docs = Path(config.docs_dir)
    sources = [(path.relative_to(docs).as_posix(), path.read_bytes()) for path in (docs / "reports").rglob("*.md")]
    loaded = load_archive(str(docs / config.settings.vocabulary), config.settings.vocabulary, sources, ["en"],
                          config.settings.jump_factor, Publication(False), config.prefix)
    ctx = Context(config.default_lang, loaded.vocab, Publication(False))
    folders = {page.src_path.split("/")[0] for page in archive_pages(build_index([]), ctx)}
    pages = archive_pages(loaded.index, ctx, config.settings.latest, True)
    assert len(pages) > 20 and {page.src_path.split("/")[0] for page in pages} == folders
    assert folders == {"index.md", "archive", "topics", "units", "search", "metrics"}
    assert [_may_take([uri], config, ctx) for uri in ("guide/index.md", "reports/2024/index.md", "index.en.md",
                                                      "units/x/figures/index.md", "archive/index.md")] == [
        False, False, True, True, True]


# --- ./dev check renders only the pages that could lose something to the allowlist --------------

PIECES = [
    "全区组织税收收入{{ tax_revenue }}，同比增长{{ growth_rate }}。", "为{{ refund_households }}纳税人办理退税。",
    "引用未登记的{{ nope }}。", "## 一、聚焦主责", "### （一）党建领航", "#### 1. 理论学习", "# 区税务局工作汇报",
    "## 2023-2024年工作", "## {{ tax_revenue }}", "区税务局工作汇报\n===", "工作成效\n---", "- 第一项\n- 第二项",
    "* 星号列表", "1. 第一\n2. 第二", "3. 从三开始", "9999. 很大的序号", "12345. 太大的序号", "> 引用的文字",
    "> ## 引用中的标题", "---", "***", "工作**重点**突出", "*斜体*文字", "__粗体__", "| 项目 | 数值 |\n|:--|--:|\n| 甲 | 1 |",
    "R&D 投入与 &amp; 和 &#60;script&#62;", "学习 JavaScript 编程，onclick 是事件属性。", "    缩进的代码 {{ tax_revenue }}",
    "## Figures", "## figures", "## Ｆｉｇｕｒｅｓ", "## ＿＿ｘ", "## WR-1 工作", "## metric-x", "## __x", "## _私有", "### Work in 2024",
    "Figures\n===", "段落  \n换行", "文字<b>加粗</b>", "[链接](https://example.org)", "![图](a.png)", "`代码`",
    "```\n代码块\n```", "~~~ js\n代码\n~~~", "!!! note\n    提示", "段落 { #anchor }", "反斜杠 \\* 转义", "??? note \"展开\"\n    内容", "???+ \"标题\"\n    内容",
    "=== \"甲\"\n\n    标签内容", "===! \"乙\"\n    内容", "提问？？？和问号???", "控制字符\x02wzxhzdk:0\x03",
]


def test_a_body_taken_for_plain_loses_nothing_when_rendered(vocab):
    """The claim of archive.plain, held on generated bodies: plain ⇒ nothing removed (and it is not vacuous)."""
    import random
    from archive import check, sanitize
    from archive.plain import is_plain, known_setup
    from archive.render import Context, quote_figures
    from archive.report import Report
    config = load_config(str(ROOT / "mkdocs.yml"))
    assert known_setup(config.extensions, config.extension_configs)
    mark = sanitize.new_mark()
    check._start_worker(config.extensions, config.extension_configs, mark)
    report = Report("reports/2022/x.md", "x", metrics={"tax_revenue": 1268000000, "growth_rate": -5.2},
                    withheld={"refund_households": "理由"})
    chosen = random.Random(10)
    counts = {"plain": 0, "removed": 0}
    for _ in range(400):
        body = "\n\n".join(chosen.choice(PIECES) for _ in range(chosen.randint(1, 6))) + "\n"
        for lang in ("zh", "en"):
            removed = check._removed(quote_figures(body, report, Context(lang, vocab), mark))
            if is_plain(body):
                counts["plain"] += 1
                assert removed == (), (body, removed)
            counts["removed"] += bool(removed)
    assert counts["plain"] > 100 and counts["removed"] > 100, counts


@pytest.mark.parametrize("extensions, configs", [
    (("toc", "tables"), {"tables": {}}),                          # aligned cells get style="…"
    (("toc", "pymdownx.magiclink"), {}),                          # bare addresses become links
    (("toc",), {"toc": {"permalink": True, "permalink_class": "x"}}),
])
def test_plain_bodies_are_rendered_all_the_same_with_other_extensions(extensions, configs):
    from archive.plain import known_setup
    assert not known_setup(extensions, configs)
