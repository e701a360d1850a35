"""The archive's data as files: metrics.csv for spreadsheets, reports.json for programs.

Both leave out every figure a public build masks. The CSV starts with a byte-order mark
so that Excel reads the Chinese correctly.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from .figures import Publication
from .index import ArchiveIndex
from .report import Report
from .vocabulary import Vocabulary

CSV_COLUMNS = ("report_title", "url", "unit", "unit_zh", "year", "date", "template", "metric",
               "label_zh", "label_en", "value", "unit_of_measure", "status", "note")


@dataclass
class Parts:
    """Each report's part of the downloads as last written, by what other pages show of it
    (archive.preview.shown): a ``serve`` reload after a data edit writes both files again, and
    all but a few reports' parts read as before (0.4 s at 10,000 reports, saved). ``context``:
    what every part depends on (the vocabulary, the publication, the paths); another one empties it."""

    context: object = None
    parts: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)  # (file, path) → {shown: text}

    def start(self, context: object) -> None:
        if context != self.context:
            self.context, self.parts = context, {}

    def part(self, name: str, report: Report, shown: str | None, make: Callable[[Report], str]) -> str:
        """The report's text in the file ``name``, made again only when what it shows changed."""
        if shown is None:
            return make(report)
        kept = self.parts.get((name, report.path))
        if kept is None or shown not in kept:
            kept = self.parts[(name, report.path)] = {shown: make(report)}  # the last one only
        return kept[shown]

    def retain(self, paths: set[str]) -> None:
        """Forget the reports that are gone."""
        for key in [key for key in self.parts if key[1] not in paths]:
            del self.parts[key]


def metric_rows(index: ArchiveIndex, vocab: Vocabulary, publication: Publication) -> list[dict[str, object]]:
    """One row per report and metric, in the archive's order and the template's order."""
    return [row for report in index.reports for row in _report_rows(report, vocab, publication)]


def _report_rows(report: Report, vocab: Vocabulary, publication: Publication) -> list[dict[str, object]]:
    template = vocab.templates.get(report.template or "")
    keys = [k for k in (template.metrics if template else ()) if k in report.metrics or k in report.withheld]
    keys += [k for k in list(report.metrics) + list(report.withheld) if k not in keys]
    rows = []
    for key in keys:
        if publication.masked(report, key, vocab):
            continue
        definition = vocab.metrics[key]
        withheld = key in report.withheld
        rows.append({
            "report_title": _text_cell(report.title), "url": report.url, "unit": report.unit or "",
            "unit_zh": vocab.units[report.unit].zh if report.unit in vocab.units else "",
            "year": report.year or "", "date": report.date.isoformat() if report.date else "",
            "template": report.template or "", "metric": key, "label_zh": definition.zh, "label_en": definition.en,
            "value": "" if withheld else report.metrics[key], "unit_of_measure": definition.unit,
            "status": "withheld" if withheld else "published", "note": _text_cell(report.withheld.get(key, "")),
        })
    return rows


def _text_cell(text: str) -> str:
    """Text a spreadsheet would take for a formula (=, +, -, @) is kept as text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def metrics_csv(index: ArchiveIndex, vocab: Vocabulary, publication: Publication,
                kept: Parts | None = None, shown: dict[str, str] | None = None) -> bytes:
    """One row per report and metric. ``kept`` and ``shown`` (each report's key, archive.preview):
    the parts of the last call reused for the reports that show what they showed."""
    def rows(report: Report) -> str:
        buffer = io.StringIO()
        csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n").writerows(
            _report_rows(report, vocab, publication))
        return buffer.getvalue()
    head = io.StringIO()
    csv.DictWriter(head, fieldnames=CSV_COLUMNS, lineterminator="\r\n").writeheader()
    parts = _parts(index, "csv", rows, kept, shown)
    return (head.getvalue() + "".join(parts)).encode("utf-8-sig")


def reports_json(index: ArchiveIndex, vocab: Vocabulary, publication: Publication,
                 default_lang: str, prefix: str,
                 kept: Parts | None = None, shown: dict[str, str] | None = None) -> bytes:
    """The catalogue: every report's front matter, its address, its source file (``prefix``: the
    docs folder from the repository's root) and its language versions (the originals' language,
    ``default_lang``, and each translation's), both from the configuration. The text is what
    ``json.dumps(…, indent=1)`` writes of the whole, made of each report's entry."""
    def entry(report: Report) -> str:
        shown_metrics = {k: v for k, v in report.metrics.items() if not publication.masked(report, k, vocab)}
        withheld = {k: v for k, v in report.withheld.items() if not publication.masked(report, k, vocab)}
        versions = {default_lang: {"title": report.title, "url": report.url, "source": f"{prefix}{report.path}"}}
        for lang, translation in report.translations.items():
            versions[lang] = {"title": translation.title, "url": f"{lang}/{report.url}",
                              "source": f"{prefix}{translation.path}"}
        text = json.dumps({
            "path": f"{prefix}{report.path}", "url": report.url, "title": report.title,
            "date": report.date.isoformat() if report.date else None, "year": report.year,
            "unit": report.unit, "recipient": report.recipient, "topics": list(report.topics),
            "template": report.template, "metrics": shown_metrics, "withheld": withheld, "languages": versions,
        }, ensure_ascii=False, indent=1)
        return "  " + text.replace("\n", "\n  ")  # at the list's depth: JSON strings hold no raw newline
    entries = _parts(index, "json", entry, kept, shown)
    listed = "[\n" + ",\n".join(entries) + "\n ]" if entries else "[]"
    public = json.dumps(publication.public)
    return f'{{\n "reports": {listed},\n "count": {len(entries)},\n "public": {public}\n}}'.encode("utf-8")


def _parts(index: ArchiveIndex, name: str, make: Callable[[Report], str], kept: Parts | None,
           shown: dict[str, str] | None) -> list[str]:
    if kept is None or shown is None:
        return [make(report) for report in index.reports]
    return [kept.part(name, report, shown.get(report.path), make) for report in index.reports]
