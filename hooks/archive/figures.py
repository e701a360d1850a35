"""Figures across reports: series by unit and year, the change on the previous year, the
check for implausible jumps, and what a public build must mask.
"""
from __future__ import annotations

from dataclasses import dataclass

from .formatting import Number, format_plain
from .index import ArchiveIndex
from .problems import Problem
from .report import Report
from .vocabulary import Vocabulary


@dataclass(frozen=True)
class Publication:
    """Which figures a build may show: all on the intranet, none marked confidential in public."""

    public: bool = False

    def masked(self, report: Report, key: str, vocab: Vocabulary) -> bool:
        if not self.public:
            return False
        definition = vocab.metrics.get(key)
        return key in report.confidential or bool(definition and definition.confidential)


def previous_reports(index: ArchiveIndex) -> dict[str, Report]:
    """Each report's counterpart for the year before: same unit, preferably the same template."""
    latest: dict[tuple, Report] = {}
    for report in sorted(index.reports, key=lambda r: r.sort_key):  # later ones replace earlier ones
        if report.unit and report.year:
            latest[(report.unit, report.year, report.template)] = report
            latest[(report.unit, report.year, None)] = report
    found = {}
    for report in index.reports:
        if report.unit and report.year:
            before = (latest.get((report.unit, report.year - 1, report.template))
                      or latest.get((report.unit, report.year - 1, None)))
            if before:
                found[report.path] = before
    return found


def change(report: Report, previous: Report | None, key: str) -> float | None:
    """Relative change against the previous year's figure, when both exist and it is not zero."""
    if previous is None or key not in report.metrics or not previous.metrics.get(key):
        return None
    old = previous.metrics[key]
    return (report.metrics[key] - old) / abs(old)


def format_change(ratio: float | None) -> str:
    if ratio is None:
        return "—"
    return f"{ratio * 100:+.1f}%".replace("+0.0%", "±0.0%").replace("-0.0%", "±0.0%")


def check_jumps(index: ArchiveIndex, vocab: Vocabulary, previous: dict[str, Report], factor: float) -> list[Problem]:
    """A figure that changes more than ``factor`` times on the previous year: likely a 元/亿元 slip."""
    problems = []
    for report in index.reports:
        before = previous.get(report.path)
        if before is None:
            continue
        for key, value in report.metrics.items():
            old = before.metrics.get(key)
            if not old or not value or (old > 0) != (value > 0):
                continue
            ratio = abs(value / old)
            if ratio > factor or ratio < 1 / factor:
                definition = vocab.metrics[key]
                problems.append(Problem(report.path, report.line(f"metrics.{key}"), "jump", {
                    "key": key, "value": format_plain(value, definition.kind),
                    "previous": format_plain(old, definition.kind), "previous_path": f"docs/{before.path}",
                    "previous_year": before.year, "factor": _factor(factor), "unit": definition.unit}))
    return problems


def _factor(factor: float) -> str:
    return str(int(factor)) if float(factor).is_integer() else str(factor)


@dataclass(frozen=True)
class Point:
    year: int
    value: Number | None        # None: withheld
    report: Report


def metric_series(index: ArchiveIndex, vocab: Vocabulary,
                  publication: Publication) -> dict[str, dict[str, list[Point]]]:
    """Every metric by unit, oldest year first, in one pass over the reports.

    Masked figures are left out, withheld ones kept; of several reports of one unit and
    year, the latest counts.
    """
    found: dict[str, dict[str, dict[int, Point]]] = {}
    for report in sorted(index.reports, key=lambda r: r.sort_key):
        if not report.unit or not report.year:
            continue
        for key in list(report.metrics) + list(report.withheld):
            if publication.masked(report, key, vocab):
                continue
            point = Point(report.year, report.metrics.get(key), report)
            found.setdefault(key, {}).setdefault(report.unit, {})[report.year] = point
    order = {unit: position for position, unit in enumerate(vocab.units)}
    return {key: {unit: [by_year[year] for year in sorted(by_year)]
                  for unit, by_year in sorted(units.items(), key=lambda item: order.get(item[0], len(order)))}
            for key, units in found.items()}
