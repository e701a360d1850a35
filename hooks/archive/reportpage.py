"""A report's page assembled: what the archive shows around a report's text, in one place.

The adapter translates MkDocs' events: on_page_markdown hands the report and its text to
:func:`report_page` and keeps the result; on_page_content hands the cleaned text to
:meth:`ReportPage.html`. What the page holds — the notices, the metadata, the figures and
their heading, the neighbours, the table of contents' extra entries, the breadcrumb and the
tab — is decided here, from the package's data and templates, never in the adapter.

Languages come from the configuration: the page's language (``ctx.lang``), the originals'
(``ctx.default_lang``) and the interface's words (``ctx.words``, the page's language or, where
the archive has no words in it, the default language's: said so on the page, and marked).
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from .gitdates import Change
from .index import ArchiveIndex
from .labels import missing_labels
from .problems import Problem
from .render import Context, Frame, figures_heading, figures_panel, framed, notice, problems_notice, quote_figures, \
    report_footer, report_header
from .report import Report
from .salutation import mark_salutation
from .wayfinding import Crumb, Heading, breadcrumb, report_trail, section


@dataclass(frozen=True)
class ReportPage:
    """A report's page but its text: the theme's metadata, the frame around the text, where it sits."""

    meta: dict                    # the page's front matter as the theme gets it: an escaped title, the date…
    markdown: str                 # the text with its figures quoted, for Markdown
    frame: Frame                  # the archive's markup around the cleaned text
    toc: tuple[Heading, ...]      # entries after the text's own headings
    trail: tuple[Crumb, ...]      # the breadcrumb
    tab: str | None               # the navigation's index page the report belongs to
    text_lang: str | None = None  # the text's language where it is not the page's: its TOC entries say so
    recipient: str | None = None  # the report's: its salutation line prints flush left (archive.salutation)
    original: bool = True         # the text shown is the original's, not a translation

    def html(self, cleaned: str, found: list[Problem], messages: str) -> str:
        """The page's content: the frame around the text the sanitizer cleaned (``found``: what it removed)."""
        return framed(mark_salutation(cleaned, self.recipient, self.original), self.frame, found, messages)


def report_page(report: Report, markdown: str, title: str, text_lang: str, ctx: Context, *, index: ArchiveIndex,
                previous: Report | None, shard: str | None, changed: Change | None, sample: bool, mark: str,
                charted: frozenset[str] | None = None) -> ReportPage:
    """Everything around a report's text on its page in ``ctx.lang``; ``text_lang``: the language of the
    text shown (a translation's, or the original's where there is none in the page's language)."""
    notices = []
    if ctx.words != ctx.lang:
        notices.append(fallback_notice(ctx))
    if text_lang != ctx.lang:
        notices.append(notice("info", ctx.label("untranslated"), renderer=ctx.renderer))
    if sample:
        notices.append(notice("warning", ctx.label("sample"), renderer=ctx.renderer))
    after, toc = [], ()
    panel = figures_panel(report, ctx, previous, charted)
    if panel:
        after += [figures_heading(ctx.label("figures"), ctx.label("permalink"), ctx.renderer), panel]
        toc = (Heading(title=ctx.label("figures"), anchor="figures", level=2),)
    after.append(report_footer(report, index, report.url, ctx))
    frame = Frame(problems=tuple(report.problems), show_problems=not ctx.publication.public,  # may quote confidential figures
                  notices=tuple(notices), header=report_header(report, report.url, ctx, shard, changed),
                  after=tuple(after), toc=tuple((h.title, h.anchor) for h in toc),
                  text_lang=text_lang if text_lang != ctx.lang else None, renderer=ctx.renderer,
                  words_lang=ctx.words if ctx.words != ctx.lang else None,
                  title=title if text_lang != ctx.lang else "")  # the theme's h1 has no lang: the frame writes it
    meta = {"title": escape(title), "search_index": text_lang == ctx.lang}  # the other language's text is searched there
    if report.date:
        meta["date"] = report.date.isoformat()
    text_ctx = Context(lang=text_lang, vocab=ctx.vocab, publication=ctx.publication, default_lang=ctx.default_lang,
                       renderer=ctx.renderer)
    trail = report_trail(report, ctx, title, text_lang if text_lang != ctx.lang else None)
    return ReportPage(meta=meta, markdown=quote_figures(markdown, report, text_ctx, mark), frame=frame, toc=toc,
                      trail=trail, tab=section("report"), text_lang=text_lang if text_lang != ctx.lang else None,
                      recipient=report.recipient, original=text_lang == ctx.default_lang)


def fallback_notice(ctx: Context) -> Markup:
    """A page of a language the archive has no interface words in: it says so, in the words it uses."""
    return ctx.render("fallback_notice.html")


def page_path(trail: tuple[Crumb, ...], page_url: str, ctx: Context) -> Markup:
    """The breadcrumb of a page (wayfinding.breadcrumb), for the theme's navigation path."""
    return breadcrumb(trail, page_url, ctx)


def general_notice(problems: list[Problem], messages: str, ctx: Context) -> Markup:
    """The home page's list of the problems that belong to no report page (the vocabulary, refused files)."""
    ordered = sorted(problems, key=lambda p: (p.path, p.line))
    return problems_notice(ordered, messages, ctx.renderer)


def search_stale_notice(changed: list[str], built: str, docs: str, ctx: Context, shown: int = 10) -> Markup:
    """The search page of a ``serve`` whose reports changed since its index was built (archive.preview):
    when it was built and which reports it finds as they were."""
    if not changed:
        return Markup("")
    return ctx.render("search_stale.html", changed=[docs + path for path in changed[:shown]],
                      more=max(0, len(changed) - shown), built=built, count=len(changed))


def language_problems(languages: tuple[str, ...], default: str, config_text: str, config_name: str) -> list[Problem]:
    """A configured language the archive has no interface words in: which are missing, once per build,
    at the line of mkdocs.yml that names it; its pages use the default language's words."""
    problems = []
    for lang in languages:
        missing = missing_labels(lang)
        if not missing or lang == default:
            continue
        line = next((number for number, text in enumerate(config_text.splitlines(), 1)
                     if text.strip().removeprefix("- ").strip() in (f"locale: {lang}", f"locale: '{lang}'",
                                                                     f'locale: "{lang}"')), 1)
        problems.append(Problem(config_name, line, "labels_missing",
                                {"lang": lang, "default": default, "count": len(missing),
                                 "names": ", ".join(missing[:8]) + (" …" if len(missing) > 8 else "")}))
    return problems
