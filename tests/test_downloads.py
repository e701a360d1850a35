"""The archive's data as files: metrics.csv with a byte-order mark, and reports.json."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from archive.catalog import load_reports
from archive.downloads import CSV_COLUMNS, metric_rows, metrics_csv, reports_json
from archive.figures import Publication
from archive.index import ArchiveIndex, build_index
from archive.vocabulary import Vocabulary, load_vocabulary

FIXTURE_VOCABULARY = (Path(__file__).resolve().parent / "fixtures" / "vocabulary.yml").read_text(encoding="utf-8")
HEADER = (b"\xef\xbb\xbfreport_title,url,unit,unit_zh,year,date,template,metric,"
          b"label_zh,label_en,value,unit_of_measure,status,note\r\n")
REASON = "涉及企业信息，不予公开"


def report_file(title: str, date: str, year: int, unit: str, template: str, metrics: str, extra: str = "") -> str:
    return (f"---\ntitle: {title}\ndate: {date}\nyear: {year}\nunit: {unit}\ntopics: [revenue]\n"
            f"template: {template}\nmetrics:\n{metrics}{extra}---\n\n正文。\n")


FILES = {
    "reports/2021/tax-2021.md": report_file(
        "区税务局2021年度工作汇报", "2022-01-10", 2021, "tax-bureau", "tax-annual",
        f"  tax_revenue: 1100000000\n  refund_households: {{withheld: {REASON}}}\n  refund_amount: 1.8\n"
        "  instructions: 20\n"),
    "reports/2022/tax-2022.md": report_file(
        "区税务局2022年度工作汇报", "2023-01-12", 2022, "tax-bureau", "tax-annual",
        # written out of the template's order: the rows follow the template
        "  average_age: 38.5\n  instructions: 1234\n  refund_amount: 3.2\n  refund_households: 356\n"
        "  tax_revenue: 1268000000\n",
        extra="confidential: [refund_amount]\n"),
    "reports/2022/tax-2022.en.md": "---\ntitle: District Tax Bureau work report for 2022\n---\n\nText.\n",
    "reports/2022/finance-2022.md": report_file(
        "区财政局2022年度工作汇报", "2022-12-30", 2022, "finance-bureau", "finance-annual", "  growth_rate: 4.0\n"),
    "reports/2023/finance-2023.md": report_file(
        "区财政局2023年度工作汇报", "2023-12-28", 2023, "finance-bureau", "finance-annual", "  growth_rate: 5.1\n"),
}
NEWEST_FIRST = ["reports/2023/finance-2023/", "reports/2022/tax-2022/", "reports/2022/finance-2022/",
                "reports/2021/tax-2021/"]


@pytest.fixture(scope="module")
def secret_vocab() -> Vocabulary:
    """The fixture vocabulary with one metric, instructions, confidential."""
    text = FIXTURE_VOCABULARY.replace("    unit: 人次\n", "    unit: 人次\n    confidential: true\n")
    vocabulary, problems = load_vocabulary(text, "docs/vocabulary.yml")
    assert problems == []
    return vocabulary


@pytest.fixture(scope="module")
def index(secret_vocab) -> ArchiveIndex:
    reports, problems = load_reports(FILES.items(), secret_vocab)
    assert [p.format() for p in problems] == []
    return build_index(reports)


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# --- metrics.csv ------------------------------------------------------------------------------

def test_csv_starts_with_a_bom_and_the_header(index, secret_vocab):
    data = metrics_csv(index, secret_vocab, Publication())
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.startswith(HEADER)
    assert ",".join(CSV_COLUMNS).encode() + b"\r\n" == HEADER[3:]
    assert data.endswith(b"\r\n")


def test_csv_has_one_row_per_report_and_metric_withheld_ones_included(index, secret_vocab):
    rows = csv_rows(metrics_csv(index, secret_vocab, Publication()))
    expected = sum(len(r.metrics) + len(r.withheld) for r in index.reports)
    assert len(rows) == expected == 1 + 5 + 1 + 4
    assert [row["metric"] for row in rows if row["url"] == "reports/2022/tax-2022/"] == [
        "tax_revenue", "refund_households", "refund_amount", "instructions", "average_age"]   # the template's order
    assert list(dict.fromkeys(row["url"] for row in rows)) == NEWEST_FIRST


def test_csv_published_row(index, secret_vocab):
    rows = csv_rows(metrics_csv(index, secret_vocab, Publication()))
    assert next(r for r in rows if r["url"] == "reports/2022/tax-2022/" and r["metric"] == "average_age") == {
        "report_title": "区税务局2022年度工作汇报", "url": "reports/2022/tax-2022/", "unit": "tax-bureau",
        "unit_zh": "区税务局", "year": "2022", "date": "2023-01-12", "template": "tax-annual",
        "metric": "average_age", "label_zh": "正科级干部平均年龄", "label_en": "Average age of section chiefs",
        "value": "38.5", "unit_of_measure": "岁", "status": "published", "note": ""}


def test_csv_withheld_row_has_no_value_and_gives_the_reason(index, secret_vocab):
    text = metrics_csv(index, secret_vocab, Publication()).decode("utf-8-sig")
    assert ("区税务局2021年度工作汇报,reports/2021/tax-2021/,tax-bureau,区税务局,2021,2022-01-10,tax-annual,"
            f"refund_households,留抵退税户数,Taxpayers refunded,,户,withheld,{REASON}\r\n") in text


def test_public_csv_leaves_masked_figures_out(index, secret_vocab):
    intranet = csv_rows(metrics_csv(index, secret_vocab, Publication(public=False)))
    public = csv_rows(metrics_csv(index, secret_vocab, Publication(public=True)))
    masked = {("reports/2021/tax-2021/", "instructions"),        # confidential in the vocabulary
              ("reports/2022/tax-2022/", "instructions"),
              ("reports/2022/tax-2022/", "refund_amount")}       # confidential in its report
    assert masked <= {(r["url"], r["metric"]) for r in intranet}
    assert {(r["url"], r["metric"]) for r in public} == {(r["url"], r["metric"]) for r in intranet} - masked
    assert len(public) == len(intranet) - 3
    assert b"1234" not in metrics_csv(index, secret_vocab, Publication(public=True))


def test_csv_quotes_what_needs_quoting(vocab):
    title = '区税务局"2022",年度汇报'
    reports, _ = load_reports([("reports/2022/tax-2022.md", report_file(
        title, "2023-01-12", 2022, "tax-bureau", "finance-annual", "  growth_rate: 5\n"))], vocab)
    data = metrics_csv(build_index(reports), vocab, Publication())
    assert '"区税务局""2022"",年度汇报"'.encode() in data
    assert csv_rows(data)[0]["report_title"] == title


def test_empty_archive_has_the_header_alone(vocab):
    assert metrics_csv(build_index([]), vocab, Publication()) == HEADER
    assert metric_rows(build_index([]), vocab, Publication()) == []


# --- reports.json -----------------------------------------------------------------------------

def catalogue(index: ArchiveIndex, vocabulary: Vocabulary, public: bool) -> dict:
    return json.loads(reports_json(index, vocabulary, Publication(public), "zh", "docs/").decode("utf-8"))


def by_url(data: dict, url: str) -> dict:
    return next(report for report in data["reports"] if report["url"] == url)


def test_json_lists_every_report_newest_first(index, secret_vocab):
    data = catalogue(index, secret_vocab, public=False)
    assert data["count"] == 4 and data["public"] is False
    assert [report["url"] for report in data["reports"]] == NEWEST_FIRST


def test_json_entry_with_a_translation(index, secret_vocab):
    assert by_url(catalogue(index, secret_vocab, public=False), "reports/2022/tax-2022/") == {
        "path": "docs/reports/2022/tax-2022.md", "url": "reports/2022/tax-2022/", "title": "区税务局2022年度工作汇报",
        "date": "2023-01-12", "year": 2022, "unit": "tax-bureau", "recipient": None, "topics": ["revenue"],
        "template": "tax-annual",
        "metrics": {"average_age": 38.5, "instructions": 1234, "refund_amount": 3.2, "refund_households": 356,
                    "tax_revenue": 1268000000},
        "withheld": {},
        "languages": {
            "zh": {"title": "区税务局2022年度工作汇报", "url": "reports/2022/tax-2022/",
                   "source": "docs/reports/2022/tax-2022.md"},
            "en": {"title": "District Tax Bureau work report for 2022", "url": "en/reports/2022/tax-2022/",
                   "source": "docs/reports/2022/tax-2022.en.md"},
        },
    }


def test_json_entry_with_a_withheld_figure(index, secret_vocab):
    report = by_url(catalogue(index, secret_vocab, public=False), "reports/2021/tax-2021/")
    assert report["metrics"] == {"tax_revenue": 1100000000, "refund_amount": 1.8, "instructions": 20}
    assert report["withheld"] == {"refund_households": REASON}
    assert report["languages"] == {"zh": {"title": "区税务局2021年度工作汇报", "url": "reports/2021/tax-2021/",
                                          "source": "docs/reports/2021/tax-2021.md"}}


def test_json_keeps_chinese_readable(index, secret_vocab):
    assert "区税务局2022年度工作汇报".encode() in reports_json(index, secret_vocab, Publication(), "zh", "docs/")


def test_json_default_language_and_docs_folder_come_from_the_configuration(index, secret_vocab):
    data = json.loads(reports_json(index, secret_vocab, Publication(), "zh-Hans", "content/"))
    report = by_url(data, "reports/2022/tax-2022/")
    assert set(report["languages"]) == {"zh-Hans", "en"}
    assert report["path"] == report["languages"]["zh-Hans"]["source"] == "content/reports/2022/tax-2022.md"
    assert report["languages"]["en"]["source"] == "content/reports/2022/tax-2022.en.md"


def test_public_json_leaves_masked_figures_out(index, secret_vocab):
    data = catalogue(index, secret_vocab, public=True)
    assert data["public"] is True and data["count"] == 4      # every report is listed, only figures go
    assert by_url(data, "reports/2022/tax-2022/")["metrics"] == {
        "average_age": 38.5, "refund_households": 356, "tax_revenue": 1268000000}
    assert by_url(data, "reports/2021/tax-2021/")["metrics"] == {"tax_revenue": 1100000000, "refund_amount": 1.8}
    assert by_url(data, "reports/2021/tax-2021/")["withheld"] == {"refund_households": REASON}


def test_public_json_leaves_out_a_confidential_withheld_figure(vocab):
    reports, problems = load_reports([("reports/2021/tax-2021.md", FILES["reports/2021/tax-2021.md"].replace(
        "---\n\n", "confidential: true\n---\n\n"))], vocab)
    assert problems == []
    public = catalogue(build_index(reports), vocab, public=True)["reports"][0]
    assert (public["metrics"], public["withheld"]) == ({}, {})
    intranet = catalogue(build_index(reports), vocab, public=False)["reports"][0]
    assert intranet["withheld"] == {"refund_households": REASON}
