"""Figures across reports: series by unit and year, the change on the previous year, the
check for implausible jumps, and what a public build must mask.

Which report's figures count, when reports overlap:

* **One report per unit, year and template.** The archive holds one 税务工作年度汇报 of the
  区税务局 for 2022; a revision is made by editing that file (git keeps the history). A
  second report of the same unit, year and template is a problem (``duplicate_report``,
  at its ``template`` line, naming the first file) and its figures count nowhere.
* **One figure per unit, year and metric.** Reports of different templates of one unit and
  year all count, but a metric two of them give (``refund_amount`` is in the tax and the
  finance templates) is a problem at the second one's figure (``duplicate_figure``, naming
  the first file and line) and that figure does not count.
* "First" is the earlier issued (date, then year, then path): the same order everywhere —
  the problems, the figures page and charts, and the report a year before.
"""
from __future__ import annotations

from collections.abc import Iterable
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


def counted_reports(reports: Iterable[Report]) -> dict[tuple, Report]:
    """(unit, year, template) → the report that counts: the first issued (see the module doc).

    Also (unit, year, None) → the first issued report of the unit and year, of any template.
    """
    first: dict[tuple, Report] = {}
    for report in sorted(reports, key=lambda r: r.sort_key):
        if report.unit and report.year:
            first.setdefault((report.unit, report.year, report.template), report)
            first.setdefault((report.unit, report.year, None), report)
    return first


def counted_figures(reports: Iterable[Report]) -> dict[tuple[str, int, str], Report]:
    """(unit, year, metric) → the report whose figure (or withheld figure) counts."""
    reports = list(reports)
    counted = {id(report) for key, report in counted_reports(reports).items() if key[2] is not None}
    owners: dict[tuple[str, int, str], Report] = {}
    for report in sorted(reports, key=lambda r: r.sort_key):
        if id(report) in counted:
            for key in list(report.metrics) + list(report.withheld):
                owners.setdefault((report.unit, report.year, key), report)
    return owners


def check_duplicates(reports: Iterable[Report], vocab: Vocabulary) -> list[Problem]:
    """A second report of one unit, year and template, and a second figure of one unit, year and metric."""
    reports = list(reports)
    first = counted_reports(reports)
    owners = counted_figures(reports)
    problems = []
    for report in sorted(reports, key=lambda r: r.sort_key):
        if not report.unit or not report.year:
            continue
        unit = _labels(vocab.units.get(report.unit), report.unit)
        other = first[(report.unit, report.year, report.template)]
        if other is not report:
            problems.append(Problem(report.path, report.line("template"), "duplicate_report", {
                "unit": unit, "year": report.year, "other": f"docs/{other.path}",
                "template": _labels(vocab.templates.get(report.template), report.template)}))
            continue
        for key in list(report.metrics) + list(report.withheld):
            owner = owners[(report.unit, report.year, key)]
            if owner is not report:
                problems.append(Problem(report.path, report.line(f"metrics.{key}"), "duplicate_figure", {
                    "unit": unit, "year": report.year, "key": key, "other": f"docs/{owner.path}",
                    "line": owner.line(f"metrics.{key}")}))
    return problems


def _labels(term, key: str | None) -> dict[str, str]:
    return {"zh": term.zh, "en": term.en} if term else {"zh": str(key), "en": str(key)}


def previous_reports(index: ArchiveIndex) -> dict[str, Report]:
    """Each report's counterpart for the year before: same unit, preferably the same template."""
    first = counted_reports(index.reports)
    found = {}
    for report in index.reports:
        if report.unit and report.year:
            before = (first.get((report.unit, report.year - 1, report.template))
                      or first.get((report.unit, report.year - 1, None)))
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


def check_jumps(index: ArchiveIndex, vocab: Vocabulary, previous: dict[str, Report], factor: float,
                publication: Publication = Publication()) -> list[Problem]:
    """A figure that changes more than ``factor`` times on the previous year: likely a 元/亿元 slip.

    In a public build, the message shows both figures as ``**`` when either is confidential.
    """
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
                problem = Problem(report.path, report.line(f"metrics.{key}"), "jump", {
                    "key": key, "value": format_plain(value, definition.kind),
                    "previous": format_plain(old, definition.kind), "previous_path": f"docs/{before.path}",
                    "previous_year": before.year, "factor": _factor(factor), "unit": definition.unit,
                    "metrics": (key,)})
                secret = publication.masked(report, key, vocab) or publication.masked(before, key, vocab)
                problems.append(problem.masked() if secret else problem)
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

    Masked figures are left out, withheld ones kept; of several figures of one unit, year
    and metric, the one that counts (see the module doc).
    """
    found: dict[str, dict[str, dict[int, Point]]] = {}
    for (unit, year, key), report in counted_figures(index.reports).items():
        if publication.masked(report, key, vocab):
            continue
        found.setdefault(key, {}).setdefault(unit, {})[year] = Point(year, report.metrics.get(key), report)
    order = {unit: position for position, unit in enumerate(vocab.units)}
    return {key: {unit: [by_year[year] for year in sorted(by_year)]
                  for unit, by_year in sorted(units.items(), key=lambda item: order.get(item[0], len(order)))}
            for key, units in found.items()}
