"""From report files to checked reports: originals, their translations, every problem in path order.

The report files are the named fixtures in tests/fixtures/reports/.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from archive.catalog import load_reports, translation_of

REPORTS = Path(__file__).resolve().parent / "fixtures" / "reports"
MASKED_FIX = "把 ** 换成 {{ 指标名 }}，并在 metrics 中填入数值；若本意是加粗：正文不用加粗，删去 **"


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


# --- unreadable files, folder pages, what is published (issue 9) ---------------------------------

from archive.catalog import published  # noqa: E402
from archive.figures import Publication  # noqa: E402

UTF8_FIX = "用编辑器「另存为」，编码选 UTF-8 后保存（记事本：编码 → UTF-8；VS Code：右下角编码 → 通过编码保存 → UTF-8）"


@pytest.mark.parametrize("encoding, looks", [
    ("gb18030", "，看起来是 GBK/GB18030 编码"),
    ("gbk", "，看起来是 GBK/GB18030 编码"),
    ("utf-16", "，看起来是 UTF-16 编码"),         # with its byte order mark
    ("utf-16-le", "，看起来是 UTF-16 编码"),      # without
    ("utf-16-be", "，看起来是 UTF-16 编码"),
])
def test_a_file_in_another_encoding_says_which_and_its_translation_is_no_orphan(vocab, encoding, looks):
    path, text = source("complete.md")
    reports, problems = load_reports([(path, text.encode(encoding)), source("complete.en.md")], vocab)
    assert reports == []
    assert [p.format() for p in problems] == [f"reports/2022/complete.md:1: 文件不是 UTF-8 编码{looks} — {UTF8_FIX}"]


def test_the_encoding_message_in_english(vocab):
    path, text = source("complete.md")
    _, problems = load_reports([(path, text.encode("gbk"))], vocab)
    assert [p.format("en") for p in problems] == [
        "reports/2022/complete.md:1: the file is not UTF-8 text, it looks like GBK/GB18030"
        " — use Save As in the editor and choose the UTF-8 encoding (Notepad: Encoding → UTF-8;"
        " VS Code: the encoding in the status bar → Save with Encoding → UTF-8)"]


def test_a_utf8_file_with_a_stray_byte_points_at_its_line(vocab):
    path, text = source("complete.md")
    data = text.encode("utf-8").replace("减税降费".encode(), b"\xe9 ok", 1)
    _, problems = load_reports([(path, data)], vocab)
    line = text[:text.index("减税降费")].count("\n") + 1
    assert [p.format() for p in problems] == [
        f"reports/2022/complete.md:{line}: 这一行有不是 UTF-8 的字节（其余部分是 UTF-8） — 删除这一行的乱码字符后重新输入，再以 UTF-8 编码保存"]


def test_binary_bytes_that_look_like_nothing_get_the_plain_message(vocab):
    _, problems = load_reports([("reports/2022/x.md", b"\xff\xfe\xfd\x00\x81")], vocab)
    assert [p.code for p in problems] == ["not_utf8"]


@pytest.mark.parametrize("name", ["index.md", "index.en.md", "README.md", "readme.md"])
def test_an_index_among_reports_is_a_clear_problem_and_no_report(vocab, name):
    _, text = source("complete.md")
    reports, problems = load_reports([(f"reports/2022/{name}", text), ("reports/index.md", text)], vocab)
    assert reports == []
    assert [p.format() for p in problems] == [
        "reports/2022/" + name + f":1: reports/ 下不能有名为 {name} 的文件：它会占用目录页的位置，不会作为报告发布"
        " — 把文件改名为报告自己的名称，例如 reports/<年度>/<单位>-<年度>.md",
        "reports/index.md:1: reports/ 下不能有名为 index.md 的文件：它会占用目录页的位置，不会作为报告发布"
        " — 把文件改名为报告自己的名称，例如 reports/<年度>/<单位>-<年度>.md"]


def test_the_translation_of_an_index_is_not_called_an_orphan(vocab):
    _, text = source("complete.md")
    _, en = source("complete.en.md")
    _, problems = load_reports([("reports/2022/index.md", text), ("reports/2022/index.en.md", en)], vocab)
    assert [p.path for p in problems] == ["reports/2022/index.en.md", "reports/2022/index.md"]
    assert {p.code for p in problems} == {"report_index"}


def test_only_reports_and_their_translations_are_published(vocab):
    files = every_fixture() + [("reports/2022/index.md", "x"), ("reports/2022/gbk.md", "---\n".encode("utf-16"))]
    reports, _ = load_reports(files, vocab)
    assert published(reports) == {"reports/2022/complete.md", "reports/2022/complete.en.md",
                                  "reports/2022/masked-figure.md", "reports/2021/missing-metric.md"}


def test_the_build_date_is_injectable(vocab):
    path, text = source("complete.md")
    _, problems = load_reports([(path, text)], vocab, today=date(2023, 1, 14))
    assert [p.code for p in problems] == ["future_date"]
    assert load_reports([(path, text)], vocab, today=date(2023, 1, 15))[1] == []


# --- a public build's messages mask confidential figures ----------------------------------------

def public_messages(text: str, vocab, public: bool = True) -> list[str]:
    _, problems = load_reports([("reports/2022/complete.md", text)], vocab, publication=Publication(public))
    return [p.format() for p in problems]


CONFIDENTIAL = source("complete.md")[1].replace("metrics:", "confidential: [refund_households, tax_revenue]\nmetrics:")


@pytest.mark.parametrize("old, new, figures", [
    ("refund_households: 1234", "refund_households: 1234.5", ["1234.5"]),          # not_integer
    ("refund_households: 1234", "refund_households: 2345678", ["2345678"]),        # out_of_bounds
    ("refund_households: 1234", "refund_households: 1234户", ["1234户"]),          # not_number
    ("refund_households: 1234", "refund_households: 12**", ["12**"]),              # placeholder_metric
    ("refund_households: 1234", "refund_households: '1234'", ["1234"]),            # quoted_number
    ("refund_households: 1234", "refund_households: 1_234", ["1_234", "1234"]),    # yaml_number
    ("refund_households: 1234", "refund_households: 0x4d2", ["0x4d2", "1234"]),
    ("tax_revenue: 1268000000", "tax_revenue: 1268000000\n  tax_revenue: 1268000001", []),  # no figure quoted
])
def test_a_message_about_a_confidential_figure_is_masked_in_public(vocab, old, new, figures):
    text = CONFIDENTIAL.replace(old, new)
    [intranet], [public] = public_messages(text, vocab, False), public_messages(text, vocab)
    expected = intranet
    for figure in figures:
        assert figure in intranet
        expected = expected.replace(figure, "**")
    assert public == expected


def test_a_masked_message_reads_the_same_with_stars(vocab):
    text = CONFIDENTIAL.replace("refund_households: 1234", "refund_households: 1_234")
    assert public_messages(text, vocab) == [
        "reports/2022/complete.md:13: metrics.refund_households 的值「**」是带下划线的数字，YAML 会把它读作数字 **"
        " — 若是数字，写成普通的十进制数字 **；若是文字，加上引号：'**'"]


def test_a_rule_quoting_a_confidential_figure_is_masked(vocab):
    from archive.vocabulary import load_vocabulary
    text = (Path(__file__).resolve().parent / "fixtures" / "vocabulary.yml").read_text(encoding="utf-8")
    ruled, problems = load_vocabulary(text.replace(
        "    optional: [instructions, average_age, growth_rate]\n",
        "    optional: [instructions, average_age, growth_rate]\n    rules:\n      - tax_revenue <= refund_households\n"),
        "docs/vocabulary.yml")
    assert problems == []
    [message] = public_messages(CONFIDENTIAL, ruled)
    assert message == ("reports/2022/complete.md:11: 数字不符合「税务工作年度汇报」的规则 tax_revenue <= refund_households："
                       "** > ** — 核对 tax_revenue、refund_households 的数值和单位")
    [intranet] = public_messages(CONFIDENTIAL, ruled, public=False)
    assert "1,268,000,000 > 1,234" in intranet


def test_a_figure_that_is_not_confidential_is_shown_in_public(vocab):
    text = CONFIDENTIAL.replace("refund_amount: 3.2", "refund_amount: 3000")
    assert public_messages(text, vocab) == public_messages(text, vocab, False)
    assert "3000" in public_messages(text, vocab)[0]
