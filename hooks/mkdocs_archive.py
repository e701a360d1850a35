"""MkDocs hooks: a thin adapter from MkDocs events to the plain ``archive`` package.

mkdocs-static-i18n rebuilds the site once per extra language and runs every event
again, so the state below is rebuilt per build, and the parsed reports are reused when
no source changed since the previous build (the next language, or a ``serve`` reload).
"""
from __future__ import annotations

import logging
import os
import sys
from html import escape
from dataclasses import dataclass, field
from types import SimpleNamespace

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import CombinedEvent, event_priority  # noqa: E402
from mkdocs.structure.files import File, Files, InclusionLevel  # noqa: E402

from archive.audit import audit  # noqa: E402
from archive.downloads import metrics_csv, reports_json  # noqa: E402
from archive.figures import Publication, check_jumps, previous_reports  # noqa: E402
from archive.catalog import load_reports, translation_of  # noqa: E402
from archive.frontmatter import strip  # noqa: E402
from archive.index import ArchiveIndex, build_index  # noqa: E402
from archive.labels import label, search_labels  # noqa: E402
from archive.pages import DOWNLOADS, GeneratedPage, archive_pages  # noqa: E402
from archive.pagefind_index import EXCERPT_WORDS  # noqa: E402
from archive.problems import Problem  # noqa: E402
from archive.render import (Context, defuse_scripts, figures_panel, notice, problems_notice,  # noqa: E402
                            quote_figures, report_footer, report_header)
from archive.report import Report  # noqa: E402
from archive.search import (VOCABULARY_DIR, SearchError, Shard, bundles, index_site, page_file,  # noqa: E402
                            plan_shards, shard_of_pages)
from archive.settings import Settings, SettingsError, load_settings  # noqa: E402
from archive.vocabulary import Vocabulary, load_vocabulary  # noqa: E402

# Under the "mkdocs." logger, so that --strict counts the warnings.
log = logging.getLogger("mkdocs.plugins.archive")
REPORTS = "reports/"


@dataclass
class Archive:
    """What one build knows; the parsed part is kept while its sources are unchanged."""

    signature: tuple = ()
    vocab: Vocabulary = field(default_factory=Vocabulary)
    reports: list[Report] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)     # every problem, reports and vocabulary
    general: list[Problem] = field(default_factory=list)      # those that belong to no report page
    index: ArchiveIndex | None = None
    previous: dict[str, Report] = field(default_factory=dict)  # report path → same unit's report a year before
    downloads: dict[str, bytes] = field(default_factory=dict)  # path → content, the same in every language


@dataclass
class Build:
    settings: Settings = field(default_factory=Settings)
    lang: str = "zh"
    default_lang: str = "zh"
    languages: tuple[str, ...] = ("zh",)
    pages: list[GeneratedPage] = field(default_factory=list)
    shards: list[Shard] = field(default_factory=list)
    shard_of: dict[str, str] = field(default_factory=dict)   # page file → search shard
    report_files: dict[str, tuple[Report, str]] = field(default_factory=dict)  # src_uri → report, its language

    def prefix(self, lang: str | None = None) -> str:
        """Where a language's pages live: the default language at the root, others in lang/."""
        lang = lang or self.lang
        return "" if lang == self.default_lang else f"{lang}/"


_archive = Archive()
_build = Build()


def on_config(config):
    global _build
    try:
        settings = load_settings(config.extra.get("archive"))
    except SettingsError as error:
        raise PluginError(f"mkdocs.yml: {error}") from None
    _build = Build(settings=settings)
    excluded = str(config.exclude_docs or "")
    if settings.vocabulary not in excluded:
        raise PluginError(f"mkdocs.yml: the vocabulary {settings.vocabulary} would be published — "
                          f"add /{settings.vocabulary} under exclude_docs")


@event_priority(50)  # before mkdocs-static-i18n (-100) sees and filters the files
def _read_reports(files: Files, config) -> Files:
    """Check every report and build the index; list every problem at once."""
    global _archive
    i18n = config.plugins.get("i18n")
    if i18n is not None:
        _build.default_lang = i18n.default_language
        _build.lang = i18n.current_language or i18n.default_language
        _build.languages = tuple(i18n.all_languages)
    sources = [f for f in files.documentation_pages() if f.src_uri.startswith(REPORTS)]
    vocab_path = os.path.join(config.docs_dir, _build.settings.vocabulary)
    signature = (_build.settings, _stat(vocab_path), tuple((f.src_uri, _stat(f.abs_src_path)) for f in sources))
    if signature != _archive.signature:  # else: the next language's build, or a reload with no change
        _archive = _load(signature, vocab_path, sources, _build)
    if _build.lang == _build.default_lang:  # once per build, however many languages
        for problem in _archive.problems:
            log.warning(problem.format(_build.settings.messages))
    for problem in _archive.problems:
        if problem.code == "not_utf8":  # MkDocs itself would stop with a traceback on it
            files.remove(files.get_file_from_path(problem.path.removeprefix("docs/")))
    if _build.settings.search:
        others = tuple(lang for lang in _build.languages if lang != _build.default_lang)
        _build.shards = plan_shards(_archive.index, _build.default_lang, others, _build.settings.search_memory)
        _build.shard_of = shard_of_pages(_build.shards)
    ctx = _context(_build.lang)
    _build.pages = archive_pages(_archive.index, ctx, _build.settings.latest, _build.settings.sample)
    missing = audit(_archive.index, _build.pages)
    if missing:
        raise PluginError("\n".join(p.format(_build.settings.messages) for p in missing))
    index = _archive.index
    placements = sum(len(index.expected_pages(report)) for report in index.reports)
    log.info(f"archive ({_build.lang}): {len(index.reports)} reports, {placements} listings checked on "
             f"{len(index.by_year)} year, {len(index.by_topic)} topic and {len(index.by_unit)} unit pages")
    return files


def _context(lang: str) -> Context:
    return Context(lang, _archive.vocab, Publication(_build.settings.public))


def _stat(path: str | None) -> tuple:
    try:
        info = os.stat(path)
    except (OSError, TypeError):
        return ()
    return (info.st_mtime_ns, info.st_size)


def _load(signature: tuple, vocab_path: str, sources: list[File], build: Build) -> Archive:
    vocab_name = f"docs/{build.settings.vocabulary}"
    try:
        with open(vocab_path, encoding="utf-8-sig") as handle:
            vocab_text = handle.read()
    except FileNotFoundError:
        vocab_text = None
    vocab, vocab_problems = load_vocabulary(vocab_text, vocab_name)
    others = [lang for lang in build.languages if lang != build.default_lang]
    reports, problems = load_reports(((f.src_uri, f.content_bytes) for f in sources), vocab, others)
    index = build_index(reports)
    previous = previous_reports(index)
    by_path = {report.path: report for report in reports}
    for jump in check_jumps(index, vocab, previous, build.settings.jump_factor):
        by_path[jump.path].problems.append(jump)
        problems.append(jump)
    problems = sorted((_in_docs(p) for p in problems), key=lambda p: (p.path, p.line))
    for report in reports:
        report.problems[:] = [_in_docs(p) for p in report.problems]
    on_pages = {(p.path, p.line, p.code) for r in reports for p in r.problems}
    general = vocab_problems + [p for p in problems if (p.path, p.line, p.code) not in on_pages]
    publication = Publication(build.settings.public)
    downloads = dict(zip(DOWNLOADS, (metrics_csv(index, vocab, publication),
                                     reports_json(index, vocab, publication, build.default_lang))))
    return Archive(signature, vocab, reports, vocab_problems + problems, general, index, previous, downloads)


def _in_docs(problem: Problem) -> Problem:
    """Paths as a contributor sees them in the repository: docs/reports/…"""
    return Problem(f"docs/{problem.path}", problem.line, problem.code, problem.args)


@event_priority(-110)  # after mkdocs-static-i18n has chosen each page's language
def _add_pages(files: Files, config) -> Files:
    """Add the generated pages, placed under the language's folder by hand (see README)."""
    lang, default = _build.lang, _build.default_lang
    for page in _build.pages:
        src_uri = page.src_path if lang == default else page.src_path.replace("index.md", f"index.{lang}.md")
        if src_uri in files.src_uris:
            raise PluginError(f"docs/{src_uri}: this page is generated by the archive — remove the file")
        in_nav = page.kind in ("home", "archive", "topics", "units", "search", "metrics")
        file = File.generated(config, src_uri, content=page.markdown(),
                              inclusion=InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV)
        file.dest_uri = f"{_build.prefix()}{page.url}index.html"
        file.locale = file.locale_alternate_of = lang
        file.localization = None if lang == default else lang
        file.norm_src_uri = page.src_path
        file.alternates = {other: SimpleNamespace(url=_build.prefix(other) + page.url) for other in _build.languages}
        files.append(file)
    for path, content in _archive.downloads.items():  # beside each language's figures page
        files.append(File.generated(config, _build.prefix() + path, content=content))
    by_path = {report.path: report for report in _archive.reports}
    for file in files.documentation_pages():
        if not file.src_uri.startswith(REPORTS):
            continue
        found = translation_of(file.src_uri, [lang])
        original = found[1] if found else file.src_uri
        if original in by_path:
            _build.report_files[file.src_uri] = (by_path[original], found[0] if found else default)
    return files


on_files = CombinedEvent(_read_reports, _add_pages)


def on_page_context(context, page, config, nav):
    """The language selector links each page to its counterpart, relative, so any sub-path works.

    mkdocs-static-i18n writes root-absolute links ("/en/"), which break a site served under a
    sub-path; it runs before this (priority 50) and leaves the alternates on the file.
    """
    alternates = getattr(page.file, "alternates", None)
    # static-i18n sets config.extra.alternate as an attribute, which the theme reads first
    for entry in getattr(config.extra, "alternate", None) or config.extra.get("alternate") or []:
        other = alternates.get(entry.get("lang")) if alternates else None
        entry["link"] = _root_relative(other.url) if other is not None else _build.prefix(entry.get("lang"))
    if _build.shards:
        context["archive_search"] = {
            "base": context["base_url"] or ".", "lang": _build.lang, "searchPage": f"{_build.prefix()}search/",
            "bundles": bundles(_build.shards, _build.lang, _build.default_lang), "labels": search_labels(_build.lang),
            "excerptWords": EXCERPT_WORDS, "vocabulary": f"{VOCABULARY_DIR}/"}
    return context


@event_priority(-200)  # after mkdocs-static-i18n's on_post_build has built the other languages
def on_post_build(config) -> None:
    """Index the finished site, every language, once; inside static-i18n's nested builds, wait."""
    i18n = config.plugins.get("i18n")
    if not _build.shards or (i18n is not None and getattr(i18n, "building", False)):
        return
    try:
        results = index_site(config.site_dir, _build.shards)
    except SearchError as error:
        raise PluginError(str(error)) from None
    pages = sum(result.indexed for result in results)
    before = sum(r.compaction.bytes_before for r in results)
    after = sum(r.compaction.bytes_after for r in results)
    log.info(f"search: {pages} report pages indexed in {len(results)} shards, "
             f"{sum(r.seconds for r in results):.1f} s, peak {max(r.peak_mb for r in results):.0f} MB, "
             f"word index compacted from {_size(before)} to {_size(after)} "
             f"in {sum(r.compaction.chunks_after for r in results)} chunks")


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 1e6 else f"{count / 1e3:.0f} KB"


def _root_relative(url: str) -> str:
    return "" if url in ("", "./", ".") else url.lstrip("/")


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Report pages get their metadata, figures and notices; quotes become figures."""
    if page.file.src_uri == ("index.md" if _build.lang == _build.default_lang else f"index.{_build.lang}.md") \
            and _archive.general:
        return problems_notice(_archive.general, _build.settings.messages) + "\n\n" + markdown
    found = _build.report_files.get(page.file.src_uri)
    if not found:
        return markdown
    report, text_lang = found
    if not page.meta:  # MkDocs could not read the front matter: it is still in the text
        markdown = strip(markdown)
    # The theme reads some front matter keys (template, description, hide…) and prints the
    # title unescaped: a report's page gets only its escaped title and date.
    title = page.meta.get("title") if isinstance(page.meta.get("title"), str) else report.title_in(text_lang)
    page.meta.clear()
    page.meta["title"] = escape(title)
    page.meta["search_index"] = text_lang == _build.lang  # the other language's text is searched there
    if report.date:
        page.meta["date"] = report.date.isoformat()
    ctx = _context(_build.lang)
    url = report.url
    head = []
    if report.problems and not _build.settings.public:  # their messages may quote confidential figures
        head.append(problems_notice(report.problems, _build.settings.messages))
    if text_lang != _build.lang:
        head.append(notice("info", label("untranslated", _build.lang)))
    if _build.settings.sample:
        head.append(notice("warning", label("sample", _build.lang)))
    head.append(report_header(report, url, ctx, _build.shard_of.get(page_file(url, _build.prefix()))))
    body = defuse_scripts(quote_figures(markdown, report, _context(text_lang)))
    if text_lang != _build.lang:
        body = f'<div lang="{text_lang}" markdown="1">\n\n{body}\n\n</div>'
    tail = []
    panel = figures_panel(report, ctx, _archive.previous.get(report.path))
    if panel:
        tail.append(f'## {label("figures", _build.lang)} {{#figures}}\n\n{panel}')
    tail.append(report_footer(report, _archive.index, url, ctx))
    return "\n\n".join(head + [body] + tail) + "\n"
