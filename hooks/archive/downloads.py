"""The archive's data as files: metrics.csv for spreadsheets, reports.json for programs.

Both leave out every figure a public build masks. The CSV starts with a byte-order mark
so that Excel reads the Chinese correctly.
"""
from __future__ import annotations

import csv
import io
import json

from .figures import Publication
from .index import ArchiveIndex
from .vocabulary import Vocabulary

CSV_COLUMNS = ("report_title", "url", "unit", "unit_zh", "year", "date", "template", "metric",
               "label_zh", "label_en", "value", "unit_of_measure", "status", "note")


def metric_rows(index: ArchiveIndex, vocab: Vocabulary, publication: Publication) -> list[dict[str, object]]:
    """One row per report and metric, in the archive's order and the template's order."""
    rows = []
    for report in index.reports:
        template = vocab.templates.get(report.template or "")
        keys = [k for k in (template.metrics if template else ()) if k in report.metrics or k in report.withheld]
        keys += [k for k in list(report.metrics) + list(report.withheld) if k not in keys]
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


def metrics_csv(index: ArchiveIndex, vocab: Vocabulary, publication: Publication) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(metric_rows(index, vocab, publication))
    return buffer.getvalue().encode("utf-8-sig")


def reports_json(index: ArchiveIndex, vocab: Vocabulary, publication: Publication,
                 default_lang: str = "zh") -> bytes:
    """The catalogue: every report's front matter, its address and its language versions."""
    catalogue = []
    for report in index.reports:
        shown = {k: v for k, v in report.metrics.items() if not publication.masked(report, k, vocab)}
        withheld = {k: v for k, v in report.withheld.items() if not publication.masked(report, k, vocab)}
        versions = {default_lang: {"title": report.title, "url": report.url, "source": f"docs/{report.path}"}}
        for lang, translation in report.translations.items():
            versions[lang] = {"title": translation.title, "url": f"{lang}/{report.url}", "source": f"docs/{translation.path}"}
        catalogue.append({
            "path": f"docs/{report.path}", "url": report.url, "title": report.title,
            "date": report.date.isoformat() if report.date else None, "year": report.year,
            "unit": report.unit, "recipient": report.recipient, "topics": list(report.topics),
            "template": report.template, "metrics": shown, "withheld": withheld, "languages": versions,
        })
    data = {"reports": catalogue, "count": len(catalogue), "public": publication.public}
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
