"""The archive's generated pages: home, years, topics and units, for one language."""
from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

from .index import ArchiveIndex, topic_url, unit_url, year_url
from .labels import count_label
from .render import Context, count_table, link, notice, report_list, term_rows, year_rows


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
    pages = [_home(index, ctx, latest, sample), _archive(index, ctx), _topics(index, ctx), _units(index, ctx),
             _search(ctx)]
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
        pages.append(GeneratedPage(url, ctx.label("unit_title", label=ctx.term("units", key)),
                                   _count(reports, ctx) + report_list(reports, url, ctx), "unit"))
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
            f'<table class="wr-counts"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')
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
