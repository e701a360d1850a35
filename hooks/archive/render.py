"""HTML fragments for archive pages and report pages.

Everything that comes from front matter or the vocabulary is escaped here. Links are
relative to the page they appear on, so the site works under any sub-path.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape

from .figures import Publication, change, format_change
from .index import ArchiveIndex, topic_url, unit_url, year_url
from .labels import label
from .formatting import format_plain, format_value, unit_name
from .gitdates import Change
from .problems import Problem
from .prose import QUOTE, outside_code
from .report import Report
from .sanitize import trusted
from .vocabulary import Vocabulary


@dataclass(frozen=True)
class Context:
    """What every fragment needs: the language, the vocabulary, and which figures may be shown."""

    lang: str
    vocab: Vocabulary
    publication: Publication = Publication()
    # listing lines already rendered with this language and vocabulary, by everything they show:
    # a ``serve`` reload after a data edit renders every listing again, nearly all lines as before
    lines: dict[tuple, str] | None = field(default=None, compare=False, repr=False)

    def masked(self, report: Report, key: str) -> bool:
        return self.publication.masked(report, key, self.vocab)

    def term(self, section: str, key: str | None) -> str:
        term = self.vocab.section(section).get(key or "")
        return term.label(self.lang) if term else (key or "")

    def label(self, name: str, **args: object) -> str:
        return label(name, self.lang, **args)


@lru_cache(maxsize=1 << 18)
def href(page_url: str, target_url: str) -> str:
    """A link from one page URL to another, both relative to the language root. Kept: a
    ``serve`` reload after a data edit renders every listing again (40,000 links at 10,000
    reports), the same links as before."""
    if target_url == page_url:
        return "./"
    relative = _relative(target_url or ".", page_url or ".")
    return relative + "/" if target_url.endswith("/") or target_url == "" else relative


def _relative(target: str, start: str) -> str:
    """``posixpath.relpath`` for the site's own URLs, ten times faster (it makes both paths
    absolute first: a listing of 10,000 reports asks 30,000 times); with ``..`` or a leading
    ``/`` in a path, it."""
    if ".." in target or ".." in start or target.startswith("/") or start.startswith("/"):
        return posixpath.relpath(target, start)
    to = [part for part in target.split("/") if part and part != "."]
    here = [part for part in start.split("/") if part and part != "."]
    common = 0
    while common < len(to) and common < len(here) and to[common] == here[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."


def link(page_url: str, target_url: str, text: str, css: str = "", title: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    tip = f' title="{escape(title)}"' if title else ""
    return f'<a{cls} href="{escape(href(page_url, target_url))}"{tip}>{escape(text)}</a>'


def date_html(report: Report) -> str:
    if not report.date:
        return ""
    return f'<time datetime="{report.date.isoformat()}">{report.date.isoformat()}</time>'


def report_item(report: Report, page_url: str, ctx: Context) -> str:
    """One line of a listing: title, unit, date and topics."""
    meta = []
    if report.unit:
        meta.append(link(page_url, unit_url(report.unit), ctx.term("units", report.unit), "wr-unit"))
    if report.date:
        meta.append(date_html(report))
    topics = "".join(link(page_url, topic_url(t), ctx.term("topics", t), "wr-topic") for t in report.topics)
    if topics:
        meta.append(f'<span class="wr-topics">{topics}</span>')
    title = report.title_in(ctx.lang)
    lang_attr = "" if ctx.lang == "zh" or ctx.lang in report.translations else ' lang="zh"'
    return (f'<li class="wr-item"><a class="wr-item__title" href="{escape(href(page_url, report.url))}"'
            f'{lang_attr}>{escape(title)}</a><div class="wr-item__meta">{" ".join(meta)}</div></li>')


def report_list(reports: list[Report], page_url: str, ctx: Context) -> str:
    if not reports:
        return f'<p class="wr-empty">{escape(ctx.label("none_yet"))}</p>'
    lines = ctx.lines
    if lines is None:
        items = "\n".join(report_item(report, page_url, ctx) for report in reports)
    else:
        if len(lines) > MAX_LINES:
            lines.clear()
        rendered = []
        for report in reports:  # the key: everything report_item reads
            key = (page_url, report.url, report.unit, report.date, tuple(report.topics), report.title_in(ctx.lang),
                   ctx.lang in report.translations)
            line = lines.get(key)
            if line is None:
                line = lines[key] = report_item(report, page_url, ctx)
            rendered.append(line)
        items = "\n".join(rendered)
    return f'<ul class="wr-list">\n{items}\n</ul>'


MAX_LINES = 200_000  # listing lines kept (Context.lines): four listings of 50,000 reports


def count_table(rows: list[tuple[str, str | None, int]], heading: str, page_url: str, ctx: Context) -> str:
    """Terms with their number of reports; a term without reports has no page to link."""
    body = "".join(
        f"<tr><td>{link(page_url, url, text) if url else escape(text)}</td>"
        f'<td class="wr-num">{count}</td></tr>'
        for text, url, count in rows)
    return (f'<div class="wr-counts"><table><thead><tr><th>{escape(heading)}</th>'
            f'<th class="wr-num">{escape(ctx.label("reports"))}</th></tr></thead><tbody>{body}</tbody></table></div>')


def term_rows(index_group: dict[str, list[Report]], section: str, ctx: Context,
              url_of) -> list[tuple[str, str | None, int]]:
    """Every vocabulary term in the vocabulary's order, with its count."""
    return [(term.label(ctx.lang), url_of(key) if index_group.get(key) else None, len(index_group.get(key, [])))
            for key, term in ctx.vocab.section(section).items()]


def year_rows(index: ArchiveIndex) -> list[tuple[str, str | None, int]]:
    return [(str(year), year_url(year), len(reports)) for year, reports in index.by_year.items()]


def changed_html(change: Change, ctx: Context) -> str:
    """The last change from git (archive.gitdates): the commit's date on its own calendar, the
    full time with its offset in ``datetime``; or "not yet committed"."""
    if change.when is None:
        return f'<span class="wr-uncommitted">{escape(ctx.label("uncommitted"))}</span>'
    return f'<time datetime="{change.when.isoformat()}">{change.when.date().isoformat()}</time>'


def report_header(report: Report, page_url: str, ctx: Context, shard: str | None = None,
                  changed: Change | None = None) -> str:
    """The metadata of a report, each item linking to its listing page; ``changed``: the last
    change of the page's files in git, None where there is no history to ask."""
    rows = []
    if report.unit:
        rows.append(("unit", link(page_url, unit_url(report.unit), ctx.term("units", report.unit))))
    if report.recipient:
        rows.append(("recipient", escape(report.recipient)))
    if report.year:
        rows.append(("year", link(page_url, year_url(report.year), str(report.year))))
    if report.date:
        rows.append(("date", date_html(report)))
    if changed is not None:
        rows.append(("changed", changed_html(changed, ctx)))
    if report.template:
        rows.append(("template", escape(ctx.term("templates", report.template))))
    if report.topics:
        rows.append(("topic", " ".join(link(page_url, topic_url(t), ctx.term("topics", t), "wr-topic")
                                       for t in report.topics)))
    if report.metrics:
        rows.append(("figures", f'<a href="#figures">{escape(ctx.label("figure_count", count=len(report.metrics)))}</a>'))
    items = "".join(f"<dt>{escape(ctx.label(name))}</dt><dd>{value}</dd>" for name, value in rows)
    # the metadata is searchable through filters; excerpts come from the text itself
    return f'<dl class="wr-meta" data-pagefind-ignore>{items}</dl>{search_attributes(report, ctx, shard)}'


def search_attributes(report: Report, ctx: Context, shard: str | None = None) -> str:
    """What the search index files under a report: filters by key, sort and result metadata.

    Filters carry vocabulary keys, so that both languages' shards agree; the search page
    shows their labels. The shard filter lets the search page sort shard by shard.
    """
    marks = [("filter", f"shard:{shard}")] if shard else []
    if report.year:
        marks.append(("filter", f"year:{report.year}"))
    if report.unit:
        marks += [("filter", f"unit:{report.unit}"), ("meta", f"unit:{ctx.term('units', report.unit)}")]
    marks += [("filter", f"topic:{topic}") for topic in report.topics]
    if report.template:
        marks.append(("filter", f"template:{report.template}"))
    if report.date:
        marks += [("sort", f"date:{report.date.isoformat()}"), ("meta", f"date:{report.date.isoformat()}")]
    # Pagefind separates several values in one attribute with commas
    return "".join(f'<span hidden data-pagefind-{kind}="{escape(value.replace(",", "，"))}"></span>'
                   for kind, value in marks)


def masked_text(unit: str, lang: str) -> str:
    """A confidential figure as the published reports print it: **元, **人次."""
    return f"**{unit}" if lang == "zh" else f"** {unit_name(unit, lang)}".rstrip()


def figures_panel(report: Report, ctx: Context, previous: Report | None = None) -> str:
    """The report's figures in its template's order: label, value, unit, change on the year before."""
    template = ctx.vocab.templates.get(report.template or "")
    given = list(report.metrics) + list(report.withheld)
    order = [key for key in (template.metrics if template else ()) if key in given]
    order += [key for key in given if key not in order]
    if not order:
        return ""
    rows = []
    for key in order:
        definition = ctx.vocab.metrics[key]
        unit = unit_name(definition.unit, ctx.lang)
        ratio = None
        if ctx.masked(report, key):
            value = '<td class="wr-num wr-masked">**</td>'
        elif key in report.withheld:
            value = (f'<td class="wr-num wr-withheld" title="{escape(report.withheld[key])}">'
                     f'{escape(ctx.label("withheld"))}</td>')
        else:
            number = report.metrics[key]
            value = (f'<td class="wr-num" title="{escape(format_value(number, definition.unit, definition.kind, ctx.lang))}">'
                     f"{escape(format_plain(number, definition.kind))}</td>")
            if previous is not None and not ctx.masked(previous, key):
                ratio = change(report, previous, key)
        rows.append(f'<tr id="metric-{escape(key)}"><td>{escape(definition.label(ctx.lang))}</td>{value}'
                    f'<td>{escape(unit)}</td><td class="wr-num">{format_change(ratio)}</td></tr>')
    head = "".join(f"<th>{escape(ctx.label(name))}</th>" for name in ("metric", "value", "measure", "change"))
    note = ""
    if previous is not None:
        note = (f'<p class="wr-figures__note">{escape(ctx.label("change_against"))} '
                f'{link(report.url, previous.url, previous.title_in(ctx.lang))}</p>')
    return (f'<div class="wr-figures" data-pagefind-ignore><table><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>{note}</div>')


def report_footer(report: Report, index: ArchiveIndex, page_url: str, ctx: Context) -> str:
    """Previous and next report of the same unit."""
    previous, following = index.neighbours(report)
    cells = []
    for name, other, css in (("previous", previous, "wr-prev"), ("next", following, "wr-next")):
        if other:
            cells.append(f'<div class="{css}"><span>{escape(ctx.label(name))}</span>'
                         f'{link(page_url, other.url, other.title_in(ctx.lang))}</div>')
    return f'<nav class="wr-neighbours" data-pagefind-ignore>{"".join(cells)}</nav>' if cells else ""


def notice(kind: str, title: str, items: list[str] | None = None) -> str:
    """A Material admonition, written as HTML so that it needs no Markdown extension."""
    body = "".join(f"<li>{item}</li>" for item in items or [])
    return (f'<div class="admonition {kind}" data-pagefind-ignore><p class="admonition-title">{escape(title)}</p>'
            + (f"<ul>{body}</ul>" if body else "") + "</div>")


def problems_notice(problems: list[Problem], lang: str) -> str:
    items = [f"<code>{escape(p.path)}:{p.line}</code> {escape(p.what(lang))} — {escape(p.fix(lang))}"
             for p in problems]
    return notice("danger", label("problems", lang, count=len(problems)), items)


@dataclass(frozen=True)
class Frame:
    """The archive's own markup around a report's text, placed after the text is cleaned.

    It never goes through Markdown nor the sanitizer (see sanitize): whatever the text holds,
    it can neither reach, hide nor imitate what is around it.
    """

    problems: tuple[Problem, ...] = ()  # the report's, shown at the top with those the sanitizer finds
    show_problems: bool = True          # not in a public build: a message may quote a confidential figure
    notices: tuple[str, ...] = ()       # untranslated, sample
    header: str = ""                    # report_header: metadata and the search's filters
    after: tuple[str, ...] = ()         # the figures and the neighbours
    toc: tuple[tuple[str, str], ...] = ()  # (title, anchor) of the headings in ``after``
    text_lang: str | None = None        # the text's language, where it is not the page's


def figures_heading(title: str) -> str:
    """The figures' heading as Markdown's toc writes one (its anchor is #figures)."""
    return (f'<h2 id="figures">{escape(title)}<a class="headerlink" href="#figures" '
            f'title="Permanent link">&para;</a></h2>')


def framed(body: str, frame: Frame, found: list[Problem], messages: str) -> str:
    """A page: the frame around the cleaned text; ``found``: what the sanitizer removed from it."""
    problems = list(frame.problems) + found
    head = [problems_notice(problems, messages)] if problems and frame.show_problems else []
    if frame.text_lang:
        body = f'<div lang="{escape(frame.text_lang)}">\n{body}\n</div>'
    return "\n".join(head + list(frame.notices) + [frame.header, body] + list(frame.after)) + "\n"


def quote_figures(body: str, report: Report, ctx: Context, mark: str = "") -> str:
    """Replace each ``{{ key }}`` with the formatted figure; unknown ones stay visible.

    The figure is the archive's markup inside the contributor's text: with the build's
    ``mark`` (sanitize.new_mark), the sanitizer keeps its class and data-metric, and only its.
    """
    def figure(match: re.Match) -> str:
        key = match.group(1)
        definition = ctx.vocab.metrics.get(key)
        if definition is not None and ctx.masked(report, key):
            return (f'<span class="{trusted(mark, "wr-figure wr-masked")}">'
                    f'{escape(masked_text(definition.unit, ctx.lang))}</span>')
        if definition is not None and key in report.withheld:
            return (f'<span class="{trusted(mark, "wr-figure wr-withheld")}">'
                    f'{escape(ctx.label("withheld_quote"))}</span>')
        if definition is None or key not in report.metrics:
            return f'<mark class="{trusted(mark, "wr-missing")}">{escape(match.group(0))}</mark>'
        text = format_value(report.metrics[key], definition.unit, definition.kind, ctx.lang)
        return (f'<span class="{trusted(mark, "wr-figure")}" data-metric="{trusted(mark, escape(key))}">'
                f'{escape(text)}</span>')
    return outside_code(body, lambda text: QUOTE.sub(figure, text))
