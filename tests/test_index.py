"""The archive index: which report goes on which listing page, and each report's neighbours."""
from __future__ import annotations

from datetime import date

import pytest

from archive.index import build_index, topic_url, unit_url, year_url
from archive.report import Report
from named_reports import FINANCE_2022, TAX_2021, TAX_2022

TAX_2023 = Report("reports/2023/tax-bureau-2023.md", "区税务局2023年度工作汇报", date(2024, 1, 12), 2023,
                  "tax-bureau", topics=("personnel",), template="tax-annual")
# A report whose date, year and unit failed their checks: it is still listed, under its topics.
BROKEN = Report("reports/2023/broken.md", "无日期的报告", topics=("personnel",))

ALL = [TAX_2021, TAX_2022, FINANCE_2022, TAX_2023, BROKEN]


def paths(reports) -> list[str]:
    return [report.path for report in reports]


@pytest.fixture(params=["given order", "reversed", "shuffled"])
def index(request):
    """The same index whatever order the reports come in."""
    order = {"given order": ALL, "reversed": ALL[::-1], "shuffled": [FINANCE_2022, BROKEN, TAX_2021, TAX_2023, TAX_2022]}
    return build_index(order[request.param])


def test_reports_newest_first(index):
    assert paths(index.reports) == paths([TAX_2023, FINANCE_2022, TAX_2022, TAX_2021, BROKEN])


def test_by_year_newest_year_first(index):
    assert list(index.by_year) == [2023, 2022, 2021]
    assert paths(index.by_year[2023]) == paths([TAX_2023])
    assert paths(index.by_year[2022]) == paths([FINANCE_2022, TAX_2022])
    assert paths(index.by_year[2021]) == paths([TAX_2021])


def test_by_topic(index):
    assert set(index.by_topic) == {"revenue", "tax-relief", "personnel"}
    assert paths(index.by_topic["revenue"]) == paths([FINANCE_2022, TAX_2022, TAX_2021])
    assert paths(index.by_topic["tax-relief"]) == paths([TAX_2022])
    assert paths(index.by_topic["personnel"]) == paths([TAX_2023, BROKEN])


def test_by_unit(index):
    assert set(index.by_unit) == {"tax-bureau", "finance-bureau"}
    assert paths(index.by_unit["tax-bureau"]) == paths([TAX_2023, TAX_2022, TAX_2021])
    assert paths(index.by_unit["finance-bureau"]) == paths([FINANCE_2022])


def test_by_path(index):
    assert index.by_path[TAX_2022.path] is TAX_2022
    assert set(index.by_path) == set(paths(ALL))


@pytest.mark.parametrize("report, previous, following", [
    (TAX_2021, None, TAX_2022),
    (TAX_2022, TAX_2021, TAX_2023),      # FINANCE_2022 comes between them, but is another unit
    (TAX_2023, TAX_2022, None),
    (FINANCE_2022, None, None),          # alone in its unit
    (BROKEN, None, None),                # no unit
])
def test_neighbours_are_the_same_units_reports_in_date_order(index, report, previous, following):
    assert index.neighbours(report) == (previous, following)


def test_neighbours_of_an_unknown_report(index):
    stranger = Report("reports/2020/stranger.md", "?", date(2021, 1, 1), 2020, "tax-bureau")
    assert index.neighbours(stranger) == (None, None)


def test_expected_pages(index):
    assert index.expected_pages(TAX_2022) == [
        "archive/2022/", "topics/revenue/", "topics/tax-relief/", "units/tax-bureau/"]
    assert index.expected_pages(BROKEN) == ["topics/personnel/"]


def test_page_urls():
    assert (year_url(2022), topic_url("tax-relief"), unit_url("tax-bureau")) == \
        ("archive/2022/", "topics/tax-relief/", "units/tax-bureau/")


def test_same_date_orders_by_year_then_path():
    first = Report("reports/2022/a.md", "A", date(2023, 1, 15), 2022, "tax-bureau")
    second = Report("reports/2022/b.md", "B", date(2023, 1, 15), 2022, "tax-bureau")
    older_year = Report("reports/2021/c.md", "C", date(2023, 1, 15), 2021, "tax-bureau")
    index = build_index([first, older_year, second])
    assert paths(index.reports) == ["reports/2022/b.md", "reports/2022/a.md", "reports/2021/c.md"]
    assert index.neighbours(first) == (older_year, second)


def test_empty_index():
    index = build_index([])
    assert (index.reports, index.by_year, index.by_topic, index.by_unit, index.by_path) == ([], {}, {}, {}, {})
