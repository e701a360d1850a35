"""The archive index: which report lands on which page, built once per build."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .report import Report


@dataclass
class ArchiveIndex:
    """Reports grouped for the listing pages, each group newest first."""

    reports: list[Report]
    by_year: dict[int, list[Report]] = field(default_factory=dict)
    by_topic: dict[str, list[Report]] = field(default_factory=dict)
    by_unit: dict[str, list[Report]] = field(default_factory=dict)
    by_path: dict[str, Report] = field(default_factory=dict)
    _neighbours: dict[str, tuple[Report | None, Report | None]] = field(default_factory=dict)

    def neighbours(self, report: Report) -> tuple[Report | None, Report | None]:
        """(previous, next) report of the same unit, in order of issue."""
        return self._neighbours.get(report.path, (None, None))

    def expected_pages(self, report: Report) -> list[str]:
        """The listing pages a report must appear on, as page URLs."""
        pages = [year_url(report.year)] if report.year else []
        pages += [topic_url(topic) for topic in report.topics]
        pages += [unit_url(report.unit)] if report.unit else []
        return pages


def year_url(year: int) -> str:
    return f"archive/{year}/"


def topic_url(key: str) -> str:
    return f"topics/{key}/"


def unit_url(key: str) -> str:
    return f"units/{key}/"


def build_index(reports: list[Report]) -> ArchiveIndex:
    """Group the reports; ``reports`` may come in any order."""
    ordered = sorted(reports, key=lambda report: report.sort_key, reverse=True)
    years, topics, units = defaultdict(list), defaultdict(list), defaultdict(list)
    for report in ordered:
        if report.year:
            years[report.year].append(report)
        for topic in report.topics:
            topics[topic].append(report)
        if report.unit:
            units[report.unit].append(report)
    neighbours = {}
    for group in units.values():
        chronological = group[::-1]
        for position, report in enumerate(chronological):
            previous = chronological[position - 1] if position else None
            following = chronological[position + 1] if position + 1 < len(chronological) else None
            neighbours[report.path] = (previous, following)
    return ArchiveIndex(
        reports=ordered,
        by_year=dict(sorted(years.items(), reverse=True)),
        by_topic=dict(topics),
        by_unit=dict(units),
        by_path={report.path: report for report in ordered},
        _neighbours=neighbours,
    )
