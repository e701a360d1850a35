"""The archive's generated pages: home, years, topics and units, for one language."""
from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

from .charts import line_chart
from .figures import metric_series
from .formatting import format_plain, format_value, unit_name
from .index import ArchiveIndex, topic_url, unit_url, year_url
from .labels import count_label
from .render import Context, count_table, link, notice, report_list, term_rows, year_rows

METRICS_URL = "metrics/"
DOWNLOADS = ("downloads/metrics.csv", "downloads/reports.json")


@dataclass(frozen=True)
class GeneratedPage:
    """A page that no one maintains by hand; ``url`` is relative to the language root."""

    url: str
    title: str
    html: str
    kind: str  # home, archive, year, topics, topic, units, unit

    @property
    def src_path(self) -> str:
        """The Markdown path the page pretends to have: archive/2022/index.md."""
        return self.url + "index.md"

    def markdown(self) -> str:
        """Front matter and body for a Markdown-based generator (the theme writes the h1).

        The title is HTML-escaped because themes print it unescaped.
        """
        return (f"---\ntitle: {json.dumps(escape(self.title), ensure_ascii=False)}\n"
                f"hide:\n  - navigation\n  - toc\n---\n\n{self.html}\n")


def archive_pages(index: ArchiveIndex, ctx: Context, latest: int = 10, sample: bool = False) -> list[GeneratedPage]:
    """Every listing page of the archive, built from the index alone."""
    figures = metric_series(index, ctx.vocab, ctx.publication)
    pages = [_home(index, ctx, latest, sample), _archive(index, ctx), _topics(index, ctx), _units(index, ctx),
             _search(ctx), _metrics(figures, ctx, sample)]
    for year, reports in index.by_year.items():
        url = year_url(year)
        pages.append(GeneratedPage(url, ctx.label("year_title", year=year), _count(reports, ctx) +
                                   report_list(reports, url, ctx), "year"))
    for key, reports in index.by_topic.items():
        url = topic_url(key)
        pages.append(GeneratedPage(url, ctx.label("topic_title", label=ctx.term("topics", key)),
                                   _count(reports, ctx) + report_list(reports, url, ctx), "topic"))
    for key, reports in index.by_unit.items():
        url = unit_url(key)
        own = _unit_figures(figures, ctx, key)
        to_figures = (f'<p class="wr-unit-figures">{link(url, own.url, ctx.label("unit_figures_link"))}</p>'
                      if own else "")
        pages.append(GeneratedPage(url, ctx.label("unit_title", label=ctx.term("units", key)),
                                   to_figures + _count(reports, ctx) + report_list(reports, url, ctx), "unit"))
        if own:
            pages.append(own)
    return pages


def _count(reports, ctx: Context) -> str:
    return f'<p class="wr-count">{escape(count_label(len(reports), ctx.lang))}</p>\n'


def _home(index: ArchiveIndex, ctx: Context, latest: int, sample: bool) -> GeneratedPage:
    url = ""
    parts = [f'<p class="wr-intro">{escape(ctx.label("home_intro"))}</p>']
    if sample:
        parts.append(notice("warning", ctx.label("sample")))
    parts.append(f'<h2 id="latest">{escape(ctx.label("latest"))}</h2>')
    parts.append(report_list(index.reports[:latest], url, ctx))
    parts.append('<div class="wr-columns">')
    parts.append(_section(ctx.label("archive"), "archive/",
                          count_table(year_rows(index), ctx.label("year"), url, ctx), url))
    parts.append(_section(ctx.label("topics"), "topics/",
                          count_table(term_rows(index.by_topic, "topics", ctx, topic_url), ctx.label("topic"), url, ctx), url))
    parts.append(_section(ctx.label("units"), "units/",
                          count_table(term_rows(index.by_unit, "units", ctx, unit_url), ctx.label("unit"), url, ctx), url))
    parts.append("</div>")
    return GeneratedPage(url, ctx.label("home"), "\n".join(parts), "home")


def _section(title: str, target: str, body: str, page_url: str) -> str:
    return f'<section class="wr-column"><h2>{link(page_url, target, title)}</h2>{body}</section>'


def _archive(index: ArchiveIndex, ctx: Context) -> GeneratedPage:
    url = "archive/"
    rows = []
    for year, reports in index.by_year.items():
        units: dict[str, int] = {}
        for report in reports:
            if report.unit:
                units[report.unit] = units.get(report.unit, 0) + 1
        unit_text = "、".join(f"{ctx.term('units', key)} {count}" for key, count in units.items()) \
            if ctx.lang == "zh" else ", ".join(f"{ctx.term('units', key)} ({count})" for key, count in units.items())
        rows.append(f"<tr><td>{link(url, year_url(year), str(year))}</td><td class=\"wr-num\">{len(reports)}</td>"
                    f"<td>{escape(unit_text)}</td></tr>")
    head = "".join(f"<th>{escape(ctx.label(n))}</th>" for n in ("year", "reports", "by_unit_in_year"))
    html = (_count(index.reports, ctx) +
            f'<div class="wr-counts"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')
    return GeneratedPage(url, ctx.label("archive"), html, "archive")


def _topics(index: ArchiveIndex, ctx: Context) -> GeneratedPage:
    url = "topics/"
    table = count_table(term_rows(index.by_topic, "topics", ctx, topic_url), ctx.label("topic"), url, ctx)
    return GeneratedPage(url, ctx.label("topics"), table, "topics")


def _units(index: ArchiveIndex, ctx: Context) -> GeneratedPage:
    url = "units/"
    table = count_table(term_rows(index.by_unit, "units", ctx, unit_url), ctx.label("unit"), url, ctx)
    return GeneratedPage(url, ctx.label("units"), table, "units")


def _search(ctx: Context) -> GeneratedPage:
    """The search page: the script builds the form; the labels of filter values come from here."""
    filters = {section.removesuffix("s"): {key: term.label(ctx.lang) for key, term in ctx.vocab.section(section).items()}
               for section in ("units", "topics", "templates")}
    data = escape(json.dumps(filters, ensure_ascii=False))
    html = (f'<div id="wr-search-page" class="wr-search-page" data-filters="{data}">'
            f'<p class="wr-noscript">{escape(ctx.label("search_noscript"))}</p></div>')
    return GeneratedPage("search/", ctx.label("search"), html, "search")


def _metric_keys(ctx: Context) -> list[tuple[str, list[str]]]:
    """Metrics grouped by template, each metric under the first template that lists it."""
    seen: set[str] = set()
    groups = []
    for key, template in ctx.vocab.templates.items():
        keys = [metric for metric in template.metrics if metric not in seen]
        seen.update(keys)
        groups.append((key, keys))
    return groups


def _describe(ctx: Context, key: str):
    definition = ctx.vocab.metrics[key]
    return lambda value: format_value(value, definition.unit, definition.kind, ctx.lang)


def _metrics(figures: dict, ctx: Context, sample: bool) -> GeneratedPage:
    """Every metric across years and units: a chart and a table whose values link to their reports."""
    url = METRICS_URL
    parts = [f'<p>{escape(ctx.label("metrics_intro"))}</p>']
    if ctx.publication.public:
        parts.append(notice("info", ctx.label("public_note")))
    if sample:
        parts.append(notice("warning", ctx.label("sample")))
    colon = "：" if ctx.lang == "zh" else ": "
    files = "".join(f"<li>{link(url, path, path.rsplit('/', 1)[-1])}{colon}{escape(ctx.label(name))}</li>"
                    for path, name in zip(DOWNLOADS, ("download_csv", "download_json")))
    parts.append(f'<h2 id="downloads">{escape(ctx.label("downloads"))}</h2><ul class="wr-downloads">{files}</ul>')
    for template_key, keys in _metric_keys(ctx):
        sections = []
        for key in keys:
            lines = figures.get(key)
            if not lines:
                continue
            definition = ctx.vocab.metrics[key]
            title = f"{definition.label(ctx.lang)}（{unit_name(definition.unit, ctx.lang)}）" if ctx.lang == "zh" \
                else f"{definition.label(ctx.lang)} ({unit_name(definition.unit, ctx.lang)})"
            named = {ctx.term("units", unit): [(p.year, p.value) for p in points if p.value is not None]
                     for unit, points in lines.items()}
            named = {name: points for name, points in named.items() if points}
            chart = line_chart(f"chart-{key}", title, named, _describe(ctx, key), unit_name(definition.unit, ctx.lang),
                               ctx.lang) if named else ""
            sections.append(f'<h3 id="metric-{escape(key)}">{escape(title)}</h3>'
                            f'<figure class="wr-chart-figure">{chart}</figure>' + _series_table(lines, url, ctx, key))
        if sections:
            parts.append(f'<h2 id="template-{escape(template_key)}">{escape(ctx.term("templates", template_key))}</h2>')
            parts += sections
    return GeneratedPage(url, ctx.label("metrics_page"), "\n".join(parts), "metrics")


def _cell(point, page_url: str, ctx: Context, key: str) -> str:
    if point is None:
        return "<td></td>"
    if point.value is None:
        return (f'<td class="wr-num wr-withheld" title="{escape(point.report.withheld.get(key, ""))}">'
                f'{link(page_url, point.report.url, ctx.label("withheld"), title=point.report.title_in(ctx.lang))}</td>')
    definition = ctx.vocab.metrics[key]
    value = format_plain(point.value, definition.kind)
    return f'<td class="wr-num">{link(page_url, point.report.url, value, title=point.report.title_in(ctx.lang))}</td>'


def _series_table(lines: dict, page_url: str, ctx: Context, key: str) -> str:
    """Years down, units across: every value links to the report it comes from."""
    years = sorted({p.year for points in lines.values() for p in points})
    by_unit = {unit: {p.year: p for p in points} for unit, points in lines.items()}
    head = f"<th>{escape(ctx.label('year'))}</th>" + "".join(f"<th>{escape(ctx.term('units', u))}</th>" for u in lines)
    rows = "".join(f"<tr><td>{year}</td>" + "".join(_cell(by_unit[u].get(year), page_url, ctx, key) for u in lines)
                   + "</tr>" for year in years)
    return f'<div class="wr-series"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'


def _unit_figures(figures: dict, ctx: Context, unit: str) -> GeneratedPage | None:
    """One unit's figures: metrics down, years across, each value linking to its report."""
    url = f"{unit_url(unit)}figures/"
    rows, years = [], set()
    tables = []
    for _, keys in _metric_keys(ctx):
        for key in keys:
            points = figures.get(key, {}).get(unit)
            if points:
                tables.append((key, {p.year: p for p in points}))
                years.update(p.year for p in points)
    if not tables:
        return None
    ordered = sorted(years)
    head = (f"<th>{escape(ctx.label('metric'))}</th><th>{escape(ctx.label('measure'))}</th>"
            + "".join(f"<th>{year}</th>" for year in ordered))
    for key, points in tables:
        definition = ctx.vocab.metrics[key]
        rows.append(f'<tr><td>{link(url, METRICS_URL + "#metric-" + key, definition.label(ctx.lang))}</td>'
                    f"<td>{escape(unit_name(definition.unit, ctx.lang))}</td>"
                    + "".join(_cell(points.get(year), url, ctx, key) for year in ordered) + "</tr>")
    html = (f'<p>{link(url, unit_url(unit), ctx.label("unit_title", label=ctx.term("units", unit)))}</p>'
            f'<div class="wr-series"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')
    return GeneratedPage(url, ctx.label("unit_figures", label=ctx.term("units", unit)), html, "unit_figures")
