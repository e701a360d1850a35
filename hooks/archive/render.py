"""The archive's fragments of HTML, rendered from the templates (archive.templating).

What comes from front matter or the vocabulary is passed to a template as data and escaped
there, by Jinja's autoescaping; this module decides *what* a fragment shows (which rows, in
which order, masked or not), the templates *how*. Links are relative to the page they appear
on (archive.links), so the site works under any sub-path.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from markupsafe import Markup

from .figures import Publication, change, format_change
from .formatting import format_exact, format_plain, format_value, with_unit
from .gitdates import Change
from .index import ArchiveIndex, topic_url, unit_url, year_url
from .labels import interface_language, label
from .links import _relative, href  # noqa: F401 (_relative: tests/test_preview.py)
from .problems import Problem
from .prose import QUOTE, outside_code
from .report import Report
from .sanitize import trusted
from .templating import Renderer, default_renderer
from .vocabulary import Vocabulary

METRICS_URL = "metrics/"  # the figures page: every metric's chart, at #metric-<key>


@dataclass(frozen=True)
class Context:
    """What every fragment needs: the page's language, the vocabulary, which figures may be
    shown, and the templates. ``default_lang`` is the configuration's default language, the
    originals' (None: ``lang``); ``words`` the language of the interface's words: ``lang``, or the
    default language's where the archive has no words in ``lang`` (labels.interface_language)."""

    lang: str
    vocab: Vocabulary
    publication: Publication = Publication()
    # listing lines already rendered with this language and vocabulary, by everything they show:
    # a ``serve`` reload after a data edit renders every listing again, nearly all lines as before
    lines: dict[tuple, str] | None = field(default=None, compare=False, repr=False)
    # listing pages already made (archive.pages), by URL, with what they show (None: what they were
    # made with): a ``serve`` reload after a title edit makes again only the few that list the report
    listings: dict[str | None, tuple] | None = field(default=None, compare=False, repr=False)
    default_lang: str | None = None
    renderer: Renderer = field(default_factory=default_renderer, compare=False, repr=False)

    @property
    def original(self) -> str:
        """The language the reports are written in."""
        return self.default_lang or self.lang

    @cached_property  # asked for every term of every listing line
    def words(self) -> str:
        return interface_language(self.lang, self.original)

    def masked(self, report: Report, key: str) -> bool:
        return self.publication.masked(report, key, self.vocab)

    def term(self, section: str, key: str | None) -> str:
        term = self.vocab.section(section).get(key or "")
        return term.label(self.words) if term else (key or "")

    def label(self, name: str, **args: object) -> str:
        return label(name, self.words, **args)

    def recipient(self, text: str) -> list[tuple[str, str | None]]:
        """A report's recipient(s) as (label, its language where it is not the page's): in the reports'
        own language as written; in another, the vocabulary's label in the interface's words or, for one
        it does not list, the text as written, marked (vocabulary.recipient_parts)."""
        if self.words == self.original:
            return [(text, None if self.lang == self.original else self.original)]
        return [(self.term("recipients", key), None) if key else (written, self.original)
                for key, written in self.vocab.recipient_parts(text)]

    def render(self, template: str, **values: object) -> Markup:
        return self.renderer.render(template, ctx=self, **values)


def keep_for(kept: dict | None, made_with: tuple) -> None:
    """Empty ``kept`` (what a reload keeps of pages or feeds made before) when what its entries
    were made with has changed: other words, vocabulary, templates… A page made with the old
    ones must never be kept. The key ``None`` holds what the entries were made with."""
    if kept is not None and kept.get(None) != (made_with,):
        kept.clear()
        kept[None] = (made_with,)


def link(page_url: str, target_url: str, text: str, css: str = "", title: str = "",
         renderer: Renderer | None = None) -> Markup:
    """A link to one of the site's pages (macros.html), for fragments assembled in Python."""
    return (renderer or default_renderer()).macro("macros.html", "link")(page_url, target_url, text, css, title)


def report_item(report: Report, page_url: str, ctx: Context) -> Markup:
    """One line of a listing: title, unit, date and topics (item.html). A title not translated into
    the page's language is the original's, marked with its language."""
    shown = ctx.lang == ctx.original or ctx.lang in report.translations
    return Markup(ctx.renderer.template("item.html").render(
        url=href(page_url, report.url), title=report.title_in(ctx.lang), title_lang=None if shown else ctx.original,
        unit=(ctx.term("units", report.unit), href(page_url, unit_url(report.unit))) if report.unit else None,
        date=report.date.isoformat() if report.date else None,
        topics=[(ctx.term("topics", topic), href(page_url, topic_url(topic))) for topic in report.topics]))


def report_list(reports: list[Report], page_url: str, ctx: Context) -> Markup:
    """A listing (list.html), each line rendered once per what it shows when ``ctx.lines`` keeps them."""
    lines = ctx.lines
    if lines is None:
        rendered = [report_item(report, page_url, ctx) for report in reports]
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
    # joined here, not by Jinja's join filter, which escapes each line again: 40,000 at 10,000 reports
    return ctx.render("list.html", lines=Markup("\n".join(rendered)))


MAX_LINES = 200_000  # listing lines kept (Context.lines): four listings of 50,000 reports


def count_table(rows: list[tuple[str, str | None, int]], heading: str, page_url: str, ctx: Context) -> Markup:
    """Terms with their number of reports; a term without reports has no page to link."""
    return ctx.render("counts.html", rows=rows, heading=heading, page=page_url)


def term_rows(index_group: dict[str, list[Report]], section: str, ctx: Context,
              url_of) -> list[tuple[str, str | None, int]]:
    """Every vocabulary term in the vocabulary's order, with its count."""
    return [(term.label(ctx.words), url_of(key) if index_group.get(key) else None, len(index_group.get(key, [])))
            for key, term in ctx.vocab.section(section).items()]


def year_rows(index: ArchiveIndex) -> list[tuple[str, str | None, int]]:
    return [(str(year), year_url(year), len(reports)) for year, reports in index.by_year.items()]


def report_header(report: Report, page_url: str, ctx: Context, shard: str | None = None,
                  changed: Change | None = None) -> Markup:
    """The metadata of a report, each item linking to its listing page; ``changed``: the last
    change of the page's files in git (archive.gitdates), None where there is no history to ask."""
    return ctx.render("header.html", report=report, page=page_url, changed=changed,
                      marks=search_marks(report, ctx, shard))


def search_marks(report: Report, ctx: Context, shard: str | None = None) -> list[tuple[str, str]]:
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
    return [(kind, value.replace(",", "，")) for kind, value in marks]


def search_attributes(report: Report, ctx: Context, shard: str | None = None) -> Markup:
    return ctx.render("search_attributes.html", marks=search_marks(report, ctx, shard))


def masked_text(unit: str, lang: str) -> str:
    """A confidential figure as the published reports print it: **元, ** person-times."""
    return with_unit("**", unit, lang)


@dataclass(frozen=True)
class Shown:
    """A figure as the reports write it (``text``: 12.68亿元), its exact value for machines
    (``exact``: 1268000000) and for readers (``full``: 1,268,000,000元)."""

    text: str
    exact: str
    full: str


def shown(value, unit: str, kind: str, lang: str) -> Shown:
    plain = format_plain(value, kind)
    return Shown(text=format_value(value, unit, kind, lang), exact=plain.replace(",", ""),
                 full=format_exact(value, unit, kind, lang))


@dataclass(frozen=True)
class FigureRow:
    """One row of a report's figures panel (figures.html)."""

    key: str
    label: str
    state: str                 # value, masked, withheld
    shown: Shown | None = None
    reason: str = ""           # why withheld
    change: str = "—"
    chart: str | None = None   # the metric's chart on the figures page


def figure_rows(report: Report, ctx: Context, previous: Report | None = None,
                charted: frozenset[str] | None = None) -> list[FigureRow]:
    """The report's figures in its template's order; ``charted``: the metrics the figures page
    draws (None: every one not masked)."""
    template = ctx.vocab.templates.get(report.template or "")
    given = list(report.metrics) + list(report.withheld)
    order = [key for key in (template.metrics if template else ()) if key in given]
    order += [key for key in given if key not in order]
    rows = []
    for key in order:
        definition = ctx.vocab.metrics[key]
        ratio, state, value, reason = None, "value", None, ""
        if ctx.masked(report, key):
            state = "masked"
        elif key in report.withheld:
            state, reason = "withheld", report.withheld[key]
        else:
            value = shown(report.metrics[key], definition.unit, definition.kind, ctx.words)
            if previous is not None and not ctx.masked(previous, key):
                ratio = change(report, previous, key)
        drawn = state != "masked" and (charted is None or key in charted)
        rows.append(FigureRow(key=key, label=definition.label(ctx.words), state=state, shown=value, reason=reason,
                              change=format_change(ratio), chart=f"{METRICS_URL}#metric-{key}" if drawn else None))
    return rows


def figures_panel(report: Report, ctx: Context, previous: Report | None = None,
                  charted: frozenset[str] | None = None) -> Markup:
    """The report's figures (figures.html): label linking to its chart, value, change on the year before."""
    rows = figure_rows(report, ctx, previous, charted)
    if not rows:
        return Markup("")
    return ctx.render("figures.html", rows=rows, previous=previous, page=report.url)


def report_footer(report: Report, index: ArchiveIndex, page_url: str, ctx: Context) -> Markup:
    """Previous and next report of the same unit (footer.html)."""
    previous, following = index.neighbours(report)
    neighbours = [(name, other, css) for name, other, css in
                  (("previous", previous, "wr-prev"), ("next", following, "wr-next")) if other]
    return ctx.render("footer.html", neighbours=neighbours, page=page_url)


def notice(kind: str, title: str, items: list[str] | None = None, renderer: Renderer | None = None) -> Markup:
    """A Material admonition (notice.html); ``items`` are escaped unless they are Markup."""
    return (renderer or default_renderer()).render("notice.html", kind=kind, title=title, items=items or [])


def problems_notice(problems: list[Problem], lang: str, renderer: Renderer | None = None) -> Markup:
    """Problems with their file and line, what is wrong and how to fix it, in ``lang`` (problems.html)."""
    return (renderer or default_renderer()).render("problems.html", problems=problems, messages=lang, label=label)


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
    words_lang: str | None = None       # the language of the frame's words, where it is not the page's (labels)
    title: str = ""                     # the page's h1, where the theme's would not say its language: the
                                        # title of a report shown in ``text_lang`` (the theme then writes none)
    renderer: Renderer = field(default_factory=default_renderer, compare=False, repr=False)


def figures_heading(title: str, permalink: str, renderer: Renderer | None = None) -> Markup:
    """The figures' heading as Markdown's toc writes one (its anchor is #figures; ``permalink``: the
    title of its ¶ in the page's words)."""
    return (renderer or default_renderer()).render("figures_heading.html", title=title, permalink=permalink)


def framed(body: str, frame: Frame, found: list[Problem], messages: str) -> str:
    """A page: the frame around the cleaned text; ``found``: what the sanitizer removed from it."""
    problems = list(frame.problems) + found
    head = problems_notice(problems, messages, frame.renderer) if problems and frame.show_problems else None
    return str(frame.renderer.render("report.html", problems_html=head, notices=[Markup(n) for n in frame.notices],
                                     title=frame.title,
                                     header=Markup(frame.header), body=Markup(body), text_lang=frame.text_lang, words_lang=frame.words_lang,
                                     after=[Markup(a) for a in frame.after]))


def quote_figures(body: str, report: Report, ctx: Context, mark: str = "") -> str:
    """Replace each ``{{ key }}`` with the formatted figure (quote.html); unknown ones stay visible.

    The figure is the archive's markup inside the contributor's text: with the build's
    ``mark`` (sanitize.new_mark), the sanitizer keeps its class and data-metric, and only its.
    """
    quote = ctx.renderer.template("quote.html")

    def figure(match: re.Match) -> str:
        key = match.group(1)
        definition = ctx.vocab.metrics.get(key)
        if definition is not None and ctx.masked(report, key):
            return quote.render(state="masked", css=trusted(mark, "wr-figure wr-masked"),
                                text=masked_text(definition.unit, ctx.words))
        if definition is not None and key in report.withheld:
            return quote.render(state="withheld", css=trusted(mark, "wr-figure wr-withheld"),
                                text=ctx.label("withheld_quote"))
        if definition is None or key not in report.metrics:
            return quote.render(state="missing", css=trusted(mark, "wr-missing"), text=match.group(0))
        text = format_value(report.metrics[key], definition.unit, definition.kind, ctx.words)
        return quote.render(state="figure", css=trusted(mark, "wr-figure"), metric=trusted(mark, key), text=text)
    return outside_code(body, lambda text: QUOTE.sub(figure, text))
