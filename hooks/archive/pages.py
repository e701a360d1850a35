"""The archive's generated pages: home, years, topics and units, figures, search, for one language.

This module decides what each page shows; its markup comes from the templates under
``templates/pages/`` (archive.templating), which a site can override.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from html import escape

from markupsafe import Markup

from .charts import line_chart
from .columns import shared_unit, split_money
from .feeds import feed_path
from .figures import metric_series
from .formatting import format_plain, format_value, unit_name
from .index import ArchiveIndex, topic_url, unit_url, year_url
from .labels import count_label
from .render import (METRICS_URL, Context, count_table, keep_for, notice, report_list, shown, term_rows,
                     year_rows)
from .wayfinding import Crumb, Heading, generated_trail

DOWNLOADS = ("downloads/metrics.csv", "downloads/reports.json")


@dataclass(frozen=True)
class GeneratedPage:
    """A page that no one maintains by hand; ``url`` is relative to the language root.

    ``toc``: its headings for the table of contents (the theme's TOC is built from them in
    both ``build`` and ``serve``, which hands the page over as raw HTML); ``trail``: where
    it sits in the archive (the breadcrumb, archive.wayfinding).
    """

    url: str
    title: str
    html: str
    kind: str  # home, archive, year, topics, topic, units, unit, unit_figures, search, metrics
    toc: tuple[Heading, ...] = ()
    trail: tuple[Crumb, ...] = ()

    @property
    def src_path(self) -> str:
        """The Markdown path the page pretends to have: archive/2022/index.md."""
        return self.url + "index.md"

    def markdown(self) -> str:
        """Front matter and body for a Markdown-based generator (the theme writes the h1).

        The title is HTML-escaped because themes print it unescaped. A page with headings
        keeps its table of contents.
        """
        hidden = "  - navigation\n" + ("" if self.toc else "  - toc\n")
        return (f"---\ntitle: {json.dumps(escape(self.title), ensure_ascii=False)}\n"
                f"hide:\n{hidden}---\n\n{self.html}\n")


def archive_pages(index: ArchiveIndex, ctx: Context, latest: int = 10, sample: bool = False,
                  shown: dict[str, str] | None = None, feeds: bool = False) -> list[GeneratedPage]:
    """Every listing page of the archive, built from the index alone. ``feeds``: the build writes
    Atom feeds (archive.feeds): the home, archive, topic and unit pages link theirs.

    ``shown``: what other pages show of each report (archive.preview.shown); with it, a year's,
    topic's or unit's page whose reports all show what they showed is the one ``ctx.listings``
    kept (at 10,000 reports, 0.4 s a language saved on a reload after a title edit)."""
    keep_for(ctx.listings, (ctx.lang, ctx.default_lang, ctx.vocab, ctx.publication, ctx.renderer))
    figures = metric_series(index, ctx.vocab, ctx.publication)
    pages = [_placed(page, ctx) for page in (
        _home(index, ctx, latest, sample, feeds), _archive(index, ctx, feeds), _terms(index, ctx, "topics"),
        _terms(index, ctx, "units"), _search(ctx), _metrics(figures, ctx, sample))]
    for year, reports in index.by_year.items():
        pages.append(_kept_listing(year_url(year), ctx.label("year_title", year=year), "year", reports, ctx, shown,
                                   feeds=feeds))
    for key, reports in index.by_topic.items():
        pages.append(_kept_listing(topic_url(key), ctx.label("topic_title", label=ctx.term("topics", key)), "topic",
                                   reports, ctx, shown, feeds=feeds))
    for key, reports in index.by_unit.items():
        own = _unit_figures(figures, ctx, key)
        pages.append(_kept_listing(unit_url(key), ctx.label("unit_title", label=ctx.term("units", key)), "unit",
                                   reports, ctx, shown, own, feeds))
        if own:
            pages.append(_placed(own, ctx))
    return pages


def _kept_listing(url: str, title: str, kind: str, reports, ctx: Context, shown: dict[str, str] | None,
                  own: GeneratedPage | None = None, feeds: bool = False) -> GeneratedPage:
    """:func:`_listing`, placed; the page made last time when its reports show what they showed."""
    if ctx.listings is None or shown is None:
        return _placed(_listing(url, title, kind, reports, ctx, own, feeds), ctx)
    key = (title, kind, own.url if own else None, feeds, tuple(shown.get(report.path) for report in reports))
    kept = ctx.listings.get(url)
    if kept is None or kept[0] != key:
        kept = ctx.listings[url] = (key, _placed(_listing(url, title, kind, reports, ctx, own, feeds), ctx))
    return kept[1]


def _placed(page: GeneratedPage, ctx: Context) -> GeneratedPage:
    """The page with its breadcrumb and, in a language without the interface's words, the notice
    that says so with its words marked as the default language's."""
    trail = generated_trail(page.kind, page.url, page.title, ctx)
    html = page.html
    if ctx.words != ctx.lang:
        html = ctx.render("pages/fallback.html", body=Markup(html))
    return GeneratedPage(url=page.url, title=page.title, html=html, kind=page.kind, toc=page.toc, trail=trail)


def _count(reports, ctx: Context) -> str:
    return count_label(len(reports), ctx.words)


def _listing(url: str, title: str, kind: str, reports, ctx: Context, own: GeneratedPage | None = None,
             feeds: bool = False) -> GeneratedPage:
    """A year's, topic's or unit's reports (pages/listing.html); a unit's links its figures; a topic's
    or unit's its feed (archive.feeds)."""
    html = ctx.render("pages/listing.html", page=url, count=_count(reports, ctx), figures=own.url if own else None,
                      listing=report_list(reports, url, ctx), feed=feed_path(kind, url) if feeds else None)
    return GeneratedPage(url=url, title=title, html=html, kind=kind)


def _home(index: ArchiveIndex, ctx: Context, latest: int, sample: bool, feeds: bool = False) -> GeneratedPage:
    url = ""
    columns = [("archive", "archive/", count_table(year_rows(index), ctx.label("year"), url, ctx)),
               ("topics", "topics/", count_table(term_rows(index.by_topic, "topics", ctx, topic_url),
                                                 ctx.label("topic"), url, ctx)),
               ("units", "units/", count_table(term_rows(index.by_unit, "units", ctx, unit_url),
                                               ctx.label("unit"), url, ctx))]
    html = ctx.render("pages/home.html", page=url, sample=_sample(ctx, sample),
                      latest=report_list(index.reports[:latest], url, ctx), columns=columns,
                      feed=feed_path("home", url) if feeds else None)
    return GeneratedPage(url=url, title=ctx.label("home"), html=html, kind="home")


def _sample(ctx: Context, sample: bool) -> Markup | None:
    return notice("warning", ctx.label("sample"), renderer=ctx.renderer) if sample else None


def _archive(index: ArchiveIndex, ctx: Context, feeds: bool = False) -> GeneratedPage:
    """Every year with its number of reports and the units that reported on it."""
    url = "archive/"
    rows = []
    for year, reports in index.by_year.items():
        units: dict[str, int] = {}
        for report in reports:
            if report.unit:
                units[report.unit] = units.get(report.unit, 0) + 1
        unit_text = ctx.label("list_separator").join(ctx.label("unit_in_year", label=ctx.term("units", key), count=count)
                                                     for key, count in units.items())
        rows.append((year, len(reports), unit_text))
    html = ctx.render("pages/archive.html", page=url, count=_count(index.reports, ctx), rows=rows,
                      feed=feed_path("archive", url) if feeds else None)
    return GeneratedPage(url=url, title=ctx.label("archive"), html=html, kind="archive")


def _terms(index: ArchiveIndex, ctx: Context, section: str) -> GeneratedPage:
    """The topics or the units with their number of reports."""
    url, group, url_of, heading = {"topics": ("topics/", index.by_topic, topic_url, "topic"),
                                   "units": ("units/", index.by_unit, unit_url, "unit")}[section]
    table = count_table(term_rows(group, section, ctx, url_of), ctx.label(heading), url, ctx)
    return GeneratedPage(url=url, title=ctx.label(section), html=table, kind=section)


def _search(ctx: Context) -> GeneratedPage:
    """The search page: the script builds the form; the labels of filter values come from here."""
    filters = {section.removesuffix("s"): {key: term.label(ctx.words) for key, term in ctx.vocab.section(section).items()}
               for section in ("units", "topics", "templates")}
    html = ctx.render("pages/search.html", filters=json.dumps(filters, ensure_ascii=False))
    return GeneratedPage(url="search/", title=ctx.label("search"), html=html, kind="search")


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
    return lambda value: format_value(value, definition.unit, definition.kind, ctx.words)


def metric_title(ctx: Context, key: str) -> str:
    """A metric with its unit of measure: 税收收入（元）, Tax revenue (yuan)."""
    definition = ctx.vocab.metrics[key]
    return ctx.label("metric_title", label=definition.label(ctx.words), unit=unit_name(definition.unit, ctx.words))


def charted(pages: list[GeneratedPage]) -> frozenset[str]:
    """The metrics the figures page has a heading and chart for (its table of contents): a report's
    figures panel links to those."""
    return frozenset(entry.anchor.removeprefix("metric-") for page in pages if page.kind == "metrics"
                     for group in page.toc for entry in group.children)


def _metrics(figures: dict, ctx: Context, sample: bool) -> GeneratedPage:
    """Every metric across years and units: a chart and a table whose values link to their reports;
    a table of contents of the report types and their metrics, each heading with its permalink."""
    url = METRICS_URL
    notices = ([notice("info", ctx.label("public_note"), renderer=ctx.renderer)] if ctx.publication.public else [])
    notices += [n for n in (_sample(ctx, sample),) if n]
    downloads = [(path, path.rsplit("/", 1)[-1], ctx.label(name))
                 for path, name in zip(DOWNLOADS, ("download_csv", "download_json"))]
    groups, toc = [], [Heading(title=ctx.label("downloads"), anchor="downloads", level=2)]
    for template_key, keys in _metric_keys(ctx):
        sections = []
        for key in keys:
            lines = figures.get(key)
            if not lines:
                continue
            definition = ctx.vocab.metrics[key]
            title = metric_title(ctx, key)
            named = {ctx.term("units", unit): [(p.year, p.value) for p in points if p.value is not None]
                     for unit, points in lines.items()}
            named = {name: points for name, points in named.items() if points}
            chart = line_chart(f"chart-{key}", title, named, _describe(ctx, key), unit_name(definition.unit, ctx.words),
                               ctx.words) if named else ""
            sections.append((key, title, Markup(chart), _series_table(lines, url, ctx, key)))
        if sections:
            group_title = ctx.term("templates", template_key)
            groups.append((template_key, group_title, sections))
            toc.append(Heading(title=group_title, anchor=f"template-{template_key}", level=2,
                               children=tuple(Heading(title=title, anchor=f"metric-{key}", level=3)
                                              for key, title, _, _ in sections)))
    html = ctx.render("pages/metrics.html", page=url, notices=notices, downloads=downloads, groups=groups)
    return GeneratedPage(url=url, title=ctx.label("metrics_page"), html=html, kind="metrics", toc=tuple(toc))


def _cell(point, ctx: Context, key: str) -> dict | None:
    """A value of a series table: its figure as the reports write it, or withheld; linking to its report."""
    if point is None:
        return None
    report = point.report
    if point.value is None:
        return {"withheld": report.withheld.get(key, ""), "url": report.url, "title": report.title_in(ctx.lang)}
    definition = ctx.vocab.metrics[key]
    figure = shown(point.value, definition.unit, definition.kind, ctx.words)
    if definition.kind != "money":  # the heading names the unit: the number alone; money as the reports write it
        figure = replace(figure, text=format_plain(point.value, definition.kind))
    return {"shown": figure, "url": report.url, "title": report.title_in(ctx.lang)}


def _series_table(lines: dict, page_url: str, ctx: Context, key: str) -> Markup:
    """Years down, units across: every value links to the report it comes from."""
    years = sorted({p.year for points in lines.values() for p in points})
    by_unit = {unit: {p.year: p for p in points} for unit, points in lines.items()}
    rows = [(year, [_cell(by_unit[u].get(year), ctx, key) for u in lines]) for year in years]
    # money: a column whose figures share one scale names it in its heading on paper (archive.columns)
    shared = [shared_unit((cells[column]["shown"].text for _, cells in rows
                           if cells[column] and "shown" in cells[column]), ctx.words)
              if ctx.vocab.metrics[key].kind == "money" else None for column in range(len(lines))]
    rows = [(year, [dict(cell, split=split_money(cell["shown"].text, ctx.words)) if unit and cell and "shown" in cell
                    else cell for cell, unit in zip(cells, shared)]) for year, cells in rows]
    return ctx.render("pages/series.html", page=page_url, units=[ctx.term("units", u) for u in lines], rows=rows,
                      shared=shared)


def _unit_figures(figures: dict, ctx: Context, unit: str) -> GeneratedPage | None:
    """One unit's figures: metrics down, years across, each value linking to its report."""
    url = f"{unit_url(unit)}figures/"
    tables, years = [], set()
    for _, keys in _metric_keys(ctx):
        for key in keys:
            points = figures.get(key, {}).get(unit)
            if points:
                tables.append((key, {p.year: p for p in points}))
                years.update(p.year for p in points)
    if not tables:
        return None
    ordered = sorted(years)
    rows = [(f"{METRICS_URL}#metric-{key}", ctx.vocab.metrics[key].label(ctx.words),
             unit_name(ctx.vocab.metrics[key].unit, ctx.words), [_cell(points.get(year), ctx, key) for year in ordered])
            for key, points in tables]
    unit_title = ctx.label("unit_title", label=ctx.term("units", unit))
    html = ctx.render("pages/unit_figures.html", page=url, unit_page=unit_url(unit), unit_title=unit_title,
                      years=ordered, rows=rows)
    return GeneratedPage(url=url, title=ctx.label("unit_figures", label=ctx.term("units", unit)), html=html,
                         kind="unit_figures")
