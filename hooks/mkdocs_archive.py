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
from mkdocs.structure.toc import AnchorLink  # noqa: E402

from archive.audit import audit  # noqa: E402
from archive import csp  # noqa: E402
from archive.downloads import metrics_csv, reports_json  # noqa: E402
from archive.figures import Publication  # noqa: E402
from archive.catalog import published, translation_of  # noqa: E402
from archive.loading import docs_prefix, in_docs, load_archive  # noqa: E402
from archive.frontmatter import split, strip  # noqa: E402
from archive.index import ArchiveIndex  # noqa: E402
from archive.labels import label, search_labels  # noqa: E402
from archive.pages import DOWNLOADS, GeneratedPage, archive_pages  # noqa: E402
from archive.pagefind_index import EXCERPT_WORDS  # noqa: E402
from archive.problems import Problem  # noqa: E402
from archive.render import (Context, Frame, figures_heading, figures_panel, framed, notice,  # noqa: E402
                            problems_notice, quote_figures, report_footer, report_header)
from archive import sanitize  # noqa: E402
from archive.report import Report  # noqa: E402
from archive.search import (VOCABULARY_DIR, SearchError, Shard, bundles, fallback_message, index_site,  # noqa: E402
                            page_file, plan_shards, shard_of_pages)
from archive.reproducible import set_build_date  # noqa: E402
from archive.settings import Settings, SettingsError, load_settings  # noqa: E402
from archive.sources import refused_file, stops_build, unsafe_entries  # noqa: E402
from archive.staging import Staging, begin, discard, publish  # noqa: E402
from archive.validation import check_page  # noqa: E402
from archive.vocabulary import Vocabulary  # noqa: E402

# Under the "mkdocs." logger, so that --strict counts the warnings.
log = logging.getLogger("mkdocs.plugins.archive")
# Faults of the build machine, not of the content (search.fallback_message): warned in MkDocs'
# format, outside the "mkdocs." logger so that --strict does not fail a pull request for them.
machine_log = logging.getLogger("archive.machine")
if not machine_log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    machine_log.addHandler(_handler)
    machine_log.propagate = False
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
    refused: list[Problem] = field(default_factory=list)  # files of docs/ neither read nor published (sources)
    mark: str = field(default_factory=sanitize.new_mark)  # this build's trusted markup in a text (sanitize)
    frames: dict[str, Frame] = field(default_factory=dict)  # src_uri → the archive's markup around its text
    docs: str = "docs/"   # the docs folder as problem paths name it (archive.loading.docs_prefix)

    def prefix(self, lang: str | None = None) -> str:
        """Where a language's pages live: the default language at the root, others in lang/."""
        lang = lang or self.lang
        return "" if lang == self.default_lang else f"{lang}/"


class _Warnings(logging.Handler):
    """Counts what ``--strict`` counts (warnings and errors on the ``mkdocs`` logger), to the last event."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@dataclass
class Session:
    """Everything the hooks keep between MkDocs' events, in one object.

    ``build`` is made anew by every build's on_config (once per language with static-i18n);
    ``archive`` is kept while its sources are unchanged; the rest lasts one ``mkdocs`` command.
    """

    archive: Archive = field(default_factory=Archive)
    build: Build = field(default_factory=Build)
    command: str | None = None        # from on_startup: "build", "gh-deploy", "serve"; None for a dirty build
    serving: bool = False             # mkdocs serve: its pages get a live-reload script (archive.csp)
    staging: Staging | None = None    # the temporary folder this build writes into (archive.staging)
    warnings: _Warnings | None = None  # what --strict will count, counted by us too (archive.staging)
    logged: set[str] = field(default_factory=set)  # problem lines logged this build, however many languages
    theme_version: str = field(default_factory=csp.theme_version)


state = Session()


def _warn_once(problems) -> None:
    """Log each problem once per build: the other language's build renders the same files again."""
    for problem in problems:
        line = problem.format(state.build.settings.messages)
        if line not in state.logged:
            state.logged.add(line)
            log.warning(line)


def _nested(config) -> bool:
    """Inside mkdocs-static-i18n's build of another language (its ``building`` flag)."""
    i18n = config.plugins.get("i18n")
    return i18n is not None and bool(getattr(i18n, "building", False))


def on_startup(command: str, dirty: bool) -> None:
    """Only ``build`` and ``gh-deploy`` replace a site folder; a dirty build updates it in place."""
    state.command = None if dirty else command
    state.serving = command == "serve"  # its pages get a live-reload script (archive.csp)


def on_config(config):
    try:
        settings = load_settings(config.extra.get("archive"))
    except SettingsError as error:
        raise PluginError(f"mkdocs.yml: {error}") from None
    state.build = Build(settings=settings, docs=docs_prefix(config.config_file_path, config.docs_dir))
    if not _nested(config):  # once per build, not again per language
        state.logged.clear()
    _start_policies(config)
    # MkDocs dates the sitemap with SOURCE_DATE_EPOCH: the commit's time (archive.reproducible)
    set_build_date(os.path.dirname(os.path.abspath(config.config_file_path)))
    excluded = str(config.exclude_docs or "")
    if settings.vocabulary not in excluded:
        raise PluginError(f"mkdocs.yml: the vocabulary {settings.vocabulary} would be published — "
                          f"add /{settings.vocabulary} under exclude_docs")
    # MkDocs walks docs/ following links before any later event, and nothing can make that walk
    # skip a linked folder: the build stops here, listing every link (archive.sources). `serve`
    # then shows its last good build and waits for the link to go.
    unsafe = unsafe_entries(config.docs_dir)
    if stops_build(unsafe):
        raise PluginError("\n".join(_in_docs(p).format(settings.messages) for p in unsafe))
    _stage(config)


def _stage(config) -> None:
    """Point the build at a temporary sibling of the site folder, once per build (archive.staging).

    mkdocs-static-i18n runs the other languages' builds with the same config, so their
    on_config finds the build already staged. ``serve`` builds into its own temporary folder.
    """
    if state.command not in ("build", "gh-deploy") or state.staging is not None or os.path.islink(config.site_dir):
        return
    state.staging = begin(config.site_dir)
    config.site_dir = state.staging.work
    if config.strict:
        state.warnings = _Warnings()
        logging.getLogger("mkdocs").addHandler(state.warnings)


@event_priority(-1000)  # the build's last step: after the other languages (-100) and the search index (-200)
def _publish_site(config) -> None:
    """Move the finished build into place; a strict build with warnings is deleted (MkDocs aborts next)."""
    if state.staging is None or _nested(config):
        return
    staged, state.staging = state.staging, None
    failed = _stop_counting()
    config.site_dir = staged.target
    if failed:
        discard(staged)
        return
    try:
        publish(staged)
    except OSError:
        discard(staged)
        raise
    log.info(f"site: moved into place at {staged.target}")


def _stop_counting() -> int:
    counted, state.warnings = state.warnings, None
    if counted is None:
        return 0
    logging.getLogger("mkdocs").removeHandler(counted)
    return counted.count


def on_build_error(error) -> None:
    """A failed build leaves the site folder as it was and no temporary folder behind."""
    _stop_counting()
    if state.staging is not None:
        discard(state.staging)
        state.staging = None


def on_shutdown() -> None:
    on_build_error(None)  # interrupted (Ctrl-C) between events: nothing half-built stays


@event_priority(100)  # before anything reads a file: the reports (50), mkdocs-static-i18n (-100)
def _refuse_files(files: Files, config) -> Files:
    """Take out every file of docs/ the build must neither read nor publish (archive.sources)."""
    state.build.refused = []
    for file in list(files):
        if file.src_dir != config.docs_dir:  # the theme's files and generated ones
            continue
        problem = refused_file(config.docs_dir, file.src_uri, published=not file.inclusion.is_excluded())
        if problem is not None:
            files.remove(file)
            state.build.refused.append(_in_docs(problem))
    _warn_once(state.build.refused)
    return files


@event_priority(50)  # before mkdocs-static-i18n (-100) sees and filters the files
def _read_reports(files: Files, config) -> Files:
    """Check every report and build the index; list every problem at once."""
    i18n = config.plugins.get("i18n")
    if i18n is not None:
        state.build.default_lang = i18n.default_language
        state.build.lang = i18n.current_language or i18n.default_language
        state.build.languages = tuple(i18n.all_languages)
    sources = [f for f in files.documentation_pages() if f.src_uri.startswith(REPORTS)]
    vocab_path = os.path.join(config.docs_dir, state.build.settings.vocabulary)
    signature = (state.build.settings, _stat(vocab_path), tuple((f.src_uri, _stat(f.abs_src_path)) for f in sources))
    if signature != state.archive.signature:  # else: the next language's build, or a reload with no change
        state.archive = _load(signature, vocab_path, sources, state.build)
    _warn_once(state.archive.problems)
    keep = published(state.archive.reports)
    for file in sources:  # unreadable, an index.md, a translation without its original: a problem, not a page
        if file.src_uri not in keep:
            files.remove(file)
    if state.build.settings.search:
        others = tuple(lang for lang in state.build.languages if lang != state.build.default_lang)
        state.build.shards = plan_shards(state.archive.index, state.build.default_lang, others, state.build.settings.search_memory)
        state.build.shard_of = shard_of_pages(state.build.shards)
    ctx = _context(state.build.lang)
    state.build.pages = archive_pages(state.archive.index, ctx, state.build.settings.latest, state.build.settings.sample)
    missing = audit(state.archive.index, state.build.pages)
    if missing:
        raise PluginError("\n".join(p.format(state.build.settings.messages) for p in missing))
    index = state.archive.index
    placements = sum(len(index.expected_pages(report)) for report in index.reports)
    log.info(f"archive ({state.build.lang}): {len(index.reports)} reports, {placements} listings checked on "
             f"{len(index.by_year)} year, {len(index.by_topic)} topic and {len(index.by_unit)} unit pages")
    return files


def _context(lang: str) -> Context:
    return Context(lang, state.archive.vocab, Publication(state.build.settings.public))


def _stat(path: str | None) -> tuple:
    try:
        info = os.stat(path)
    except (OSError, TypeError):
        return ()
    return (info.st_mtime_ns, info.st_size)


def _load(signature: tuple, vocab_path: str, sources: list[File], build: Build) -> Archive:
    """The archive read and checked by the package (archive.loading, shared with ./dev check)."""
    others = [lang for lang in build.languages if lang != build.default_lang]
    publication = Publication(build.settings.public)  # a public build's log masks confidential figures too
    loaded = load_archive(vocab_path, f"{build.docs}{build.settings.vocabulary}",
                          ((f.src_uri, f.content_bytes) for f in sources), others,
                          build.settings.jump_factor, publication, prefix=build.docs)
    on_pages = {(p.path, p.line, p.code) for r in loaded.reports for p in r.problems}
    general = loaded.vocab_problems + [p for p in loaded.problems if (p.path, p.line, p.code) not in on_pages]
    downloads = dict(zip(DOWNLOADS, (metrics_csv(loaded.index, loaded.vocab, publication),
                                     reports_json(loaded.index, loaded.vocab, publication, build.default_lang))))
    return Archive(signature, loaded.vocab, loaded.reports, loaded.vocab_problems + loaded.problems, general,
                   loaded.index, loaded.previous, downloads)


def _in_docs(problem: Problem) -> Problem:
    """Paths as a contributor sees them in the repository: docs/reports/…"""
    return in_docs(problem, state.build.docs)


@event_priority(-110)  # after mkdocs-static-i18n has chosen each page's language
def _add_pages(files: Files, config) -> Files:
    """Add the generated pages, placed under the language's folder by hand (see README)."""
    lang, default = state.build.lang, state.build.default_lang
    by_dest = {file.dest_uri: file for file in files}
    for page in state.build.pages:
        src_uri = page.src_path if lang == default else page.src_path.replace("index.md", f"index.{lang}.md")
        # a contributor's file in the generated page's place (or, as another language's fallback, at
        # its address) is not published: the page wins; reported in the build of the file's language
        taken = files.get_file_from_path(src_uri) or by_dest.get(f"{state.build.prefix()}{page.url}index.html")
        if taken is not None:
            files.remove(taken)
            if taken.src_uri == src_uri:
                problem = Problem(f"{state.build.docs}{src_uri}", 1, "generated_page_taken")
                _warn_once([problem])
                state.build.refused.append(problem)
        in_nav = page.kind in ("home", "archive", "topics", "units", "search", "metrics")
        file = File.generated(config, src_uri, content=page.markdown(),
                              inclusion=InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV)
        file.dest_uri = f"{state.build.prefix()}{page.url}index.html"
        file.locale = file.locale_alternate_of = lang
        file.localization = None if lang == default else lang
        file.norm_src_uri = page.src_path
        file.alternates = {other: SimpleNamespace(url=state.build.prefix(other) + page.url) for other in state.build.languages}
        files.append(file)
    for path, content in state.archive.downloads.items():  # beside each language's figures page
        files.append(File.generated(config, state.build.prefix() + path, content=content))
    by_path = {report.path: report for report in state.archive.reports}
    for file in files.documentation_pages():
        if not file.src_uri.startswith(REPORTS):
            continue
        found = translation_of(file.src_uri, [lang])
        original = found[1] if found else file.src_uri
        if original in by_path:
            state.build.report_files[file.src_uri] = (by_path[original], found[0] if found else default)
    return files


on_files = CombinedEvent(_refuse_files, _read_reports, _add_pages)


def on_page_context(context, page, config, nav):
    """The language selector links each page to its counterpart, relative, so any sub-path works.

    mkdocs-static-i18n writes root-absolute links ("/en/"), which break a site served under a
    sub-path; it runs before this (priority 50) and leaves the alternates on the file.
    """
    alternates = getattr(page.file, "alternates", None)
    # static-i18n sets config.extra.alternate as an attribute, which the theme reads first
    for entry in getattr(config.extra, "alternate", None) or config.extra.get("alternate") or []:
        other = alternates.get(entry.get("lang")) if alternates else None
        entry["link"] = _root_relative(other.url) if other is not None else state.build.prefix(entry.get("lang"))
    if state.build.shards:
        context["archive_search"] = {
            "base": context["base_url"] or ".", "lang": state.build.lang, "searchPage": f"{state.build.prefix()}search/",
            "bundles": bundles(state.build.shards, state.build.lang, state.build.default_lang), "labels": search_labels(state.build.lang),
            "excerptWords": EXCERPT_WORDS, "vocabulary": f"{VOCABULARY_DIR}/"}
    return context


@event_priority(-200)  # after mkdocs-static-i18n's on_post_build has built the other languages
def _index_search(config) -> None:
    """Index the finished site, every language, once; inside static-i18n's nested builds, wait."""
    if not state.build.shards or _nested(config):
        return
    try:
        results = index_site(config.site_dir, state.build.shards)
    except SearchError as error:
        raise PluginError(str(error)) from None
    pages = sum(result.indexed for result in results)
    compacted = [r.compaction for r in results if r.compaction]
    before = sum(c.bytes_before for c in compacted)
    after = sum(c.bytes_after for c in compacted)
    log.info(f"search: {pages} report pages indexed in {len(results)} shards, "
             f"{sum(r.seconds for r in results):.1f} s, peak {max(r.peak_mb for r in results):.0f} MB, "
             + (f"word index compacted from {_size(before)} to {_size(after)} "
                f"in {sum(c.chunks_after for c in compacted)} chunks" if compacted else "word index as Pagefind wrote it"))
    kept = fallback_message(results)
    if kept:
        machine_log.warning(kept)


on_post_build = CombinedEvent(_index_search, _publish_site)


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 1e6 else f"{count / 1e3:.0f} KB"


def _root_relative(url: str) -> str:
    return "" if url in ("", "./", ".") else url.lstrip("/")


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Report pages get their metadata, figures and notices; quotes become figures."""
    if page.file.src_uri == ("index.md" if state.build.lang == state.build.default_lang else f"index.{state.build.lang}.md") \
            and (state.archive.general or state.build.refused):
        general = sorted(state.build.refused + state.archive.general, key=lambda p: (p.path, p.line))
        return problems_notice(general, state.build.settings.messages) + "\n\n" + markdown
    found = state.build.report_files.get(page.file.src_uri)
    if not found:
        return markdown if getattr(page.file, "generated_by", None) else _other_page(markdown, page)
    report, text_lang = found
    if not page.meta:  # MkDocs could not read the front matter: it is still in the text
        markdown = strip(markdown)
    # The theme reads some front matter keys (template, description, hide…) and prints the
    # title unescaped: a report's page gets only its escaped title and date.
    title = page.meta.get("title") if isinstance(page.meta.get("title"), str) else report.title_in(text_lang)
    page.meta.clear()
    page.meta["title"] = escape(title)
    page.meta["search_index"] = text_lang == state.build.lang  # the other language's text is searched there
    if report.date:
        page.meta["date"] = report.date.isoformat()
    ctx = _context(state.build.lang)
    url = report.url
    # The archive's own markup is kept aside and placed around the text once it is cleaned
    # (on_page_content): the contributor's Markdown never reaches it.
    notices = [notice("info", label("untranslated", state.build.lang))] if text_lang != state.build.lang else []
    if state.build.settings.sample:
        notices.append(notice("warning", label("sample", state.build.lang)))
    after, toc = [], ()
    panel = figures_panel(report, ctx, state.archive.previous.get(report.path))
    if panel:
        after += [figures_heading(label("figures", state.build.lang)), panel]
        toc = ((label("figures", state.build.lang), "figures"),)
    after.append(report_footer(report, state.archive.index, url, ctx))
    header = report_header(report, url, ctx, state.build.shard_of.get(page_file(url, state.build.prefix())))
    state.build.frames[page.file.src_uri] = Frame(
        problems=tuple(report.problems), show_problems=not state.build.settings.public,  # may quote confidential figures
        notices=tuple(notices), header=header, after=tuple(after), toc=toc,
        text_lang=text_lang if text_lang != state.build.lang else None)
    return quote_figures(markdown, report, _context(text_lang), state.build.mark)


def _other_page(markdown: str, page) -> str:
    """A page outside the reports keeps only its title: the theme acts on other keys."""
    path = f"{state.build.docs}{page.file.src_uri}"
    title, problems = check_page(split(page.file.content_string, path))
    _warn_once(problems)
    if not page.meta:  # MkDocs could not read the front matter: it is still in the text
        markdown = strip(markdown)
    page.meta.clear()
    if title:
        page.meta["title"] = escape(title)
    if problems:
        state.build.frames[page.file.src_uri] = Frame(problems=tuple(problems),
                                                      show_problems=not state.build.settings.public)
    return markdown


def on_page_content(html: str, page, config, files) -> str:
    """Every page written in Markdown under docs/ is cleaned by the allowlist (archive.sanitize).

    Each construct removed is a problem at its line, logged once per build (so that --strict
    fails) and listed on the page outside a public build; a report's own markup is added
    around the cleaned text. Generated pages are the archive's own HTML.
    """
    file = page.file
    if getattr(file, "generated_by", None):
        return html
    path = f"{state.build.docs}{file.src_uri}"
    cleaned = sanitize.clean(html, state.build.mark)
    found = sanitize.problems(cleaned.removed, path, file.content_string) if cleaned.removed else []
    _warn_once(found)
    frame = state.build.frames.pop(file.src_uri, None)
    if frame is None:
        frame = Frame(show_problems=not state.build.settings.public)
    for title, anchor in frame.toc:  # the frame's headings, after the text's in the table of contents
        page.toc.items.append(AnchorLink(escape(title), anchor, 2))
    return framed(cleaned.html, frame, found, state.build.settings.messages)


# ---- Content-Security-Policy (archive.csp) ---------------------------------------------------

def _start_policies(config) -> None:
    """Once per build (not again for the next language): name an unknown theme."""
    if _nested(config):
        return
    if not csp.known_theme(state.theme_version):
        log.info(f"content security policy: Material {state.theme_version} is not the 9.8 series whose inline "
                 f"scripts are known: every inline script outside a page's content is allowed by its hash")


def _secure(output: str, content: str | None, path: str) -> str:
    secured = csp.secure_page(output, content, version=state.theme_version, live_reload=state.serving)
    _warn_once(csp.problems(secured, path))
    return secured.html


@event_priority(-1000)  # the last change to a page's HTML: the policy hashes what the page finally holds
def on_post_page(output: str, page, config) -> str:
    file = page.file
    path = file.dest_uri if getattr(file, "generated_by", None) else f"{state.build.docs}{file.src_uri}"
    return _secure(output, page.content, path)


@event_priority(-1000)
def on_post_template(output_content: str, template_name: str, config) -> str:
    """Pages of the theme itself (404.html); the sitemap is no page."""
    if not template_name.endswith(".html"):
        return output_content
    return _secure(output_content, None, template_name)
