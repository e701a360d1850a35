"""Small named reports, as the checks would leave them, for the index and audit tests."""
from __future__ import annotations

from datetime import date

from archive.report import Report

TAX_2021 = Report("reports/2021/tax-bureau-2021.md", "区税务局2021年度工作汇报", date(2022, 1, 10), 2021,
                  "tax-bureau", topics=("revenue",), template="tax-annual")
TAX_2022 = Report("reports/2022/tax-bureau-2022.md", "区税务局2022年度工作汇报", date(2023, 1, 15), 2022,
                  "tax-bureau", topics=("revenue", "tax-relief"), template="tax-annual")
FINANCE_2022 = Report("reports/2022/finance-bureau-2022.md", "区财政局2022年度工作汇报", date(2023, 1, 20), 2022,
                      "finance-bureau", topics=("revenue",), template="finance-annual")
