"""MkDocs hooks: a thin adapter from MkDocs events to the plain ``archive`` package.

mkdocs-static-i18n rebuilds the site once per extra language and runs every event
again, so the state below is rebuilt per build, and the parsed reports are reused when
no source changed since the previous build (the next language, or a ``serve`` reload).
"""
from __future__ import annotations

import logging
import os
import sys
from datetime import datetime, timezone
from html import escape
from urllib.parse import quote
from dataclasses import dataclass, field
from types import SimpleNamespace

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import CombinedEvent, event_priority  # noqa: E402
from mkdocs.structure.files import File, Files, InclusionLevel  # noqa: E402
from markdown.extensions.toc import TocExtension  # noqa: E402
from mkdocs.structure.toc import AnchorLink  # noqa: E402
from mkdocs.utils import get_build_datetime  # noqa: E402

from mkdocs_listing import DocsListing, list_once  # noqa: E402
from mkdocs_watch import native_watching  # noqa: E402
from archive.audit import Linked, audit  # noqa: E402
from archive import csp  # noqa: E402
from archive.downloads import Parts, metrics_csv, reports_json  # noqa: E402
from archive.feeds import FeedSite, archive_feeds, feed_files, feed_link  # noqa: E402
from archive.figures import Publication  # noqa: E402
from archive.catalog import published, translation_of  # noqa: E402
from archive.loading import docs_prefix, in_docs, load_archive  # noqa: E402
from archive.frontmatter import split, strip  # noqa: E402
from archive.gitdates import History, read_history  # noqa: E402
from archive.index import ArchiveIndex  # noqa: E402
from archive.labels import search_labels  # noqa: E402
from archive.pages import DOWNLOADS, GeneratedPage, archive_pages  # noqa: E402
from archive.pagefind_index import EXCERPT_WORDS  # noqa: E402
from archive.preview import (Built, CheckCache, Heap, Keys, Pages, SearchSnapshot, TemplateCache, archive_keys,  # noqa: E402
                             file_digest, remove_pages)
from archive.problems import Problem  # noqa: E402
from archive.render import Context, Frame, framed  # noqa: E402
from archive.i18n import mark_toc, permalink_titles  # noqa: E402
from archive.reportpage import (ReportPage, general_notice, language_problems, page_path, report_page,  # noqa: E402
                                search_stale_notice)
from archive.pages import charted  # noqa: E402
from archive.templating import Renderer  # noqa: E402
from archive.wayfinding import Heading, section  # noqa: E402
from archive import sanitize  # noqa: E402
from archive.report import Report  # noqa: E402
from archive.search import (VOCABULARY_DIR, SearchError, Shard, bundles, fallback_message, index_site,  # noqa: E402
                            page_file, phrase_indexes, plan_shards, shard_of_pages)
from archive.reproducible import set_build_date  # noqa: E402
from archive.settings import Settings, SettingsError, load_settings  # noqa: E402
from archive.sitemap import SitemapPage, gzipped, sitemap_files, without_head_alternates  # noqa: E402
from archive.notfound import not_found_page  # noqa: E402
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
    stats: dict[str, tuple] = field(default_factory=dict)  # report file → (mtime, size), from the signature
    keys: Keys = field(default_factory=lambda: Keys(0))    # what the pages show (archive.preview)


@dataclass
class Build:
    settings: Settings = field(default_factory=Settings)
    lang: str = ""                 # from the configuration (on_config, _read_reports), never assumed
    default_lang: str = ""
    languages: tuple[str, ...] = ()
    pages: list[GeneratedPage] = field(default_factory=list)
    shards: list[Shard] = field(default_factory=list)
    shard_of: dict[str, str] = field(default_factory=dict)   # page file → search shard
    report_files: dict[str, tuple[Report, str]] = field(default_factory=dict)  # src_uri → report, its language
    refused: list[Problem] = field(default_factory=list)  # files of docs/ neither read nor published (sources)
    mark: str = field(default_factory=sanitize.new_mark)  # this build's trusted markup in a text (sanitize)
    frames: dict[str, Frame] = field(default_factory=dict)  # src_uri → the archive's markup around its text
    docs: str = "docs/"   # the docs folder as problem paths name it (archive.loading.docs_prefix)
    permalink_title: str = ""  # the title Markdown gives every heading's ¶ (on_config; archive.i18n)
    # a dirty serve build (archive.preview): what every page shows, and the navigation's pages
    whole: tuple = ()
    same_whole: bool | None = None
    nav_pages: list = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)   # generated page src_uri → its title
    search_page: str | None = None                         # the search page's src_uri
    written: int = 0                                       # pages written again
    built: Built = field(default_factory=Built)            # what this build writes, for the next
    left_out: set[str] = field(default_factory=set)        # reports left out of this build: unchanged
    raw: dict[str, str] = field(default_factory=dict)      # generated page src_uri → its HTML, not through Markdown
    generated: dict[str, GeneratedPage] = field(default_factory=dict)  # generated page src_uri → the page
    placed: dict[str, tuple] = field(default_factory=dict)  # src_uri → (breadcrumb trail, tab URL): archive.wayfinding
    charted: frozenset | None = None                        # the metrics the figures page draws (report panels link them)

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
    logged_archive: Archive | None = None  # the archive whose problems this build logged
    verdicts: dict[str, Problem | None] = field(default_factory=dict)  # src_uri → why refused, this build (archive.sources)
    theme_version: str = field(default_factory=csp.theme_version)
    history: History = field(default_factory=History)  # each file's last commit, read once per build (archive.gitdates)
    # `./dev serve` (mkdocs serve --dirty) writes again only what changed (archive.preview)
    dirty: bool = False
    checks: CheckCache = field(default_factory=CheckCache)  # each report file's checks, by content
    generated: dict[str, tuple] = field(default_factory=dict)  # lang → (key, generated pages)
    lines: dict[str, tuple] = field(default_factory=dict)      # lang → (vocabulary, listing lines and pages made: render.Context)
    parts: Parts = field(default_factory=Parts)              # each report's part of the downloads (archive.downloads)
    pages: Pages = field(default_factory=Pages)             # what the last build wrote
    search: SearchSnapshot | None = None                    # the search index, built once
    heap: Heap = field(default_factory=Heap)                # collected between reloads, not during them
    linked: dict[str, Linked] = field(default_factory=dict)  # lang → each listing's links as last audited
    templates: TemplateCache = field(default_factory=TemplateCache)  # the theme, compiled once
    theme_files: dict = field(default_factory=dict)         # the theme's static files, listed once
    listing: DocsListing = field(default_factory=DocsListing)  # docs/ as listed, while its names are the same
    renderer: tuple = ()          # (the site's template overrides, their files), the archive's templates (archive.templating)
    active_tab: object = None     # the navigation page marked active for the page being rendered
    sitemap: list[SitemapPage] = field(default_factory=list)  # every page this build wrote, all languages (archive.sitemap)
    sitemap_written: bool = False  # serve keeps its first build's sitemap
    not_found: str | None = None   # the default language's 404.html: the next language's build writes the root's again
    site_url_told: bool = False    # the build without site_url said how to set it, once
    feeds: dict[str, tuple] = field(default_factory=dict)  # lang → (what they show, the feeds' files): archive.feeds
    feed_parts: dict[str, dict] = field(default_factory=dict)  # lang → each feed as last made (archive.feeds.feed_files)


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
    state.dirty = dirty
    if _previewing():  # MkDocs warns that dirty builds may be inaccurate: these are not (archive.preview)
        logging.getLogger("mkdocs.commands.build").addFilter(_accurate_dirty_builds)
        list_once(state.listing)  # docs/ listed again only when its names change (mkdocs_listing)


def _previewing() -> bool:
    """``mkdocs serve --dirty``, as ``./dev serve`` runs it: each reload writes only what changed."""
    return state.serving and state.dirty


def _accurate_dirty_builds(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith(("A 'dirty' build is being performed", "The directory contains stale files"))


def on_config(config):
    try:
        settings = load_settings(config.extra.get("archive"))
    except SettingsError as error:
        raise PluginError(f"mkdocs.yml: {error}") from None
    language = str(config.theme.get("language") or "")  # without mkdocs-static-i18n, the theme's one language
    state.build = Build(settings=settings, docs=docs_prefix(config.config_file_path, config.docs_dir),
                        lang=language, default_lang=language, languages=(language,),
                        permalink_title=_permalink_title(config))
    _templates(config)
    if not _nested(config):  # once per build, not again per language
        state.logged.clear()
        state.logged_archive = None
        state.heap.cancel()
    _start_policies(config)
    _start_sitemap(config)
    if _previewing():
        _list_theme_once(config.theme)
    # MkDocs dates the sitemap with SOURCE_DATE_EPOCH: the commit's time (archive.reproducible)
    set_build_date(os.path.dirname(os.path.abspath(config.config_file_path)))
    if not _nested(config):  # one git pass per build; the other languages' builds reuse it
        state.history = read_history(config.docs_dir)
        if state.history.note is not None:
            log.info(f"{state.history.note.what(settings.messages)} — {state.history.note.fix(settings.messages)}")
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


def _templates(config) -> None:
    """The archive's templates, the site's overrides first (theme.custom_dir/archive/); made again
    when an override changed, else kept with their compiled templates (serve's reloads)."""
    custom = getattr(config.theme, "custom_dir", None)
    key = (custom, _folder_key(os.path.join(custom, "archive")) if custom else ())
    if not state.renderer or state.renderer[0] != key:
        state.renderer = (key, Renderer(custom))
        faults = state.renderer[1].faults()
        if faults:
            state.renderer = ()
            raise PluginError("\n".join(f"{fault} — fix the template or remove it to use the archive's own"
                                         for fault in faults))


def _renderer() -> Renderer:
    return state.renderer[1] if state.renderer else Renderer(None)


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
    state.pages.forget()  # serve: the next build writes every page (archive.preview)
    if state.staging is not None:
        discard(state.staging)
        state.staging = None


def on_serve(server, config, builder):
    """A saved file is heard from the system at once, not by polling every file (mkdocs_watch)."""
    native_watching(server)
    return server


def on_shutdown() -> None:
    on_build_error(None)  # interrupted (Ctrl-C) between events: nothing half-built stays


@event_priority(100)  # before anything reads a file: the reports (50), mkdocs-static-i18n (-100)
def _refuse_files(files: Files, config) -> Files:
    """Take out every file of docs/ the build must neither read nor publish (archive.sources)."""
    state.build.refused = []
    folders: dict[str, str] = {}  # real paths, asked once per folder in this build
    if not _nested(config):  # the other languages' builds, a moment later, take the first one's verdicts
        state.verdicts = {}
    for file in list(files):
        if file.src_dir != config.docs_dir:  # the theme's files and generated ones
            continue
        if file.src_uri not in state.verdicts:
            state.verdicts[file.src_uri] = refused_file(config.docs_dir, file.src_uri,
                                                        published=not file.inclusion.is_excluded(), folders=folders)
        problem = state.verdicts[file.src_uri]
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
    if _nested(config) and state.archive.signature:  # the first language's build read them a moment ago
        signature = state.archive.signature
    else:
        signature = (state.build.settings, _stat(vocab_path), tuple((f.src_uri, _stat(f.abs_src_path)) for f in sources))
    if signature != state.archive.signature:  # else: the next language's build, or a reload with no change
        state.archive = _load(signature, vocab_path, sources, state.build, state.archive)
    if state.logged_archive is not state.archive:  # the next language's build: logged already
        _warn_once(state.archive.problems)
        state.logged_archive = state.archive
    if not _nested(config):  # a configured language without the interface's words: said once per build
        with open(config.config_file_path, encoding="utf-8", errors="replace") as text:
            _warn_once(language_problems(state.build.languages, state.build.default_lang, text.read(),
                                         os.path.basename(config.config_file_path)))
    keep = published(state.archive.reports)
    for file in sources:  # unreadable, an index.md, a translation without its original: a problem, not a page
        if file.src_uri not in keep:
            files.remove(file)
    if state.search is not None:  # serve: the pages keep the shards of the index built at startup
        state.build.shards = list(state.search.shards)
        state.build.shard_of = shard_of_pages(state.build.shards)
    elif state.build.settings.search:
        others = tuple(lang for lang in state.build.languages if lang != state.build.default_lang)
        state.build.shards = plan_shards(state.archive.index, state.build.default_lang, others, state.build.settings.search_memory)
        state.build.shard_of = shard_of_pages(state.build.shards)
    # computed again only when the reports' data changed, not their prose (serve reloads, archive.preview)
    made = (state.archive.keys.data, state.build.lang, state.build.settings, _renderer(), _feeds_on(config))
    if state.generated.get(state.build.lang, (None,))[0] == made:
        state.build.pages = state.generated[state.build.lang][1]
    else:
        ctx = _context(state.build.lang)
        state.build.pages = archive_pages(state.archive.index, ctx, state.build.settings.latest, state.build.settings.sample,
                                          state.archive.keys.shown if state.serving else None, feeds=_feeds_on(config))
        missing = audit(state.archive.index, state.build.pages, state.linked.setdefault(state.build.lang, Linked()))
        if missing:
            raise PluginError("\n".join(p.format(state.build.settings.messages) for p in missing))
        state.generated[state.build.lang] = (made, state.build.pages, charted(state.build.pages))
    state.build.charted = state.generated[state.build.lang][2]
    if _previewing():
        _leave_out_unchanged(files, config)
    index = state.archive.index
    placements = sum(len(index.expected_pages(report)) for report in index.reports)
    log.info(f"archive ({state.build.lang}): {len(index.reports)} reports, {placements} listings checked on "
             f"{len(index.by_year)} year, {len(index.by_topic)} topic and {len(index.by_unit)} unit pages")
    return files


def _feeds_on(config) -> bool:
    """Atom feeds need absolute addresses: none without site_url (said once, _start_sitemap), nor
    with extra.archive.feed_entries: 0 (archive.feeds)."""
    return bool(config.site_url) and state.build.settings.feed_entries > 0


def _feeds(config) -> dict[str, bytes]:
    """This language's feeds, by path relative to its folder (archive.feeds): named in the
    language's site_name (mkdocs-static-i18n's per language), dated from git and the build's date."""
    if not _feeds_on(config):
        return {}
    site = FeedSite(url=config.site_url, name=config.site_name, prefix=state.build.prefix())
    # made again only when what they show changed: serve's reloads after an edit of a report's text
    # (feedgen: 0.6 ms an entry on 2 busy cores, 0.7 s a language for 60 topics and units of 20 entries)
    key = (state.archive.keys.data, site, state.build.settings.feed_entries, state.history, _renderer())
    kept = state.feeds.get(state.build.lang)
    if kept is None or kept[0] != key:
        ctx = _context(state.build.lang)
        titles = {page.url: page.title for page in state.build.pages}
        feeds = archive_feeds(state.archive.index, titles, state.build.settings.feed_entries)
        parts, shown = (state.feed_parts.setdefault(state.build.lang, {}), state.archive.keys.shown) \
            if state.serving else (None, None)  # serve: only the feeds that list a changed report made again
        kept = state.feeds[state.build.lang] = (key, feed_files(feeds, ctx, site, state.history, get_build_datetime(),
                                                                parts, shown))
    return kept[1]


def _context(lang: str) -> Context:
    vocab, publication = state.archive.vocab, Publication(state.build.settings.public)
    kept, renderer = state.lines.get(lang), _renderer()
    if kept is None or kept[0] != (vocab, publication, renderer):  # lines rendered with another vocabulary or templates
        kept = state.lines[lang] = ((vocab, publication, renderer), {}, {})
    return Context(lang=lang, vocab=vocab, publication=publication, lines=kept[1], listings=kept[2],
                   default_lang=state.build.default_lang, renderer=renderer)


def _stat(path: str | None) -> tuple:
    try:
        info = os.stat(path)
    except (OSError, TypeError):
        return ()
    return (info.st_mtime_ns, info.st_size)


def _load(signature: tuple, vocab_path: str, sources: list[File], build: Build, before: Archive) -> Archive:
    """The archive read and checked by the package (archive.loading, shared with ./dev check).

    ``serve`` keeps each file's checks and, while the reports' data is unchanged, the downloads
    (``before``: the previous load's archive; archive.preview)."""
    others = [lang for lang in build.languages if lang != build.default_lang]
    publication = Publication(build.settings.public)  # a public build's log masks confidential figures too
    stats = dict(signature[2])
    read = ((f.src_uri, state.checks.source(f.src_uri, stats[f.src_uri], lambda f=f: f.content_bytes))
            if state.serving else (f.src_uri, f.content_bytes) for f in sources)
    loaded = load_archive(vocab_path, f"{build.docs}{build.settings.vocabulary}", read, others,
                          build.settings.jump_factor, publication, prefix=build.docs,
                          cache=state.checks if state.serving else None)
    if state.serving:
        state.checks.retain(f.src_uri for f in sources)
    on_pages = {(p.path, p.line, p.code) for r in loaded.reports for p in r.problems}
    general = loaded.vocab_problems + [p for p in loaded.problems if (p.path, p.line, p.code) not in on_pages]
    keys = archive_keys(loaded.index, loaded.previous, stats if _previewing() else None,
                        loaded.vocab, build.settings, build.default_lang)
    if keys.data == before.keys.data and before.downloads:
        downloads = before.downloads
    else:  # serve: each report's part made again only when it changed
        kept, shown = (state.parts, keys.shown) if state.serving else (None, None)
        if kept is not None:
            kept.start((loaded.vocab, publication, build.default_lang, build.docs))
            kept.retain(set(keys.shown))
        downloads = dict(zip(DOWNLOADS, (metrics_csv(loaded.index, loaded.vocab, publication, kept, shown),
                                         reports_json(loaded.index, loaded.vocab, publication, build.default_lang,
                                                      build.docs, kept, shown))))
    return Archive(signature, loaded.vocab, loaded.reports, loaded.vocab_problems + loaded.problems, general,
                   loaded.index, loaded.previous, downloads, stats, keys)


def _in_docs(problem: Problem) -> Problem:
    """Paths as a contributor sees them in the repository: docs/reports/…"""
    return in_docs(problem, state.build.docs)


@event_priority(-110)  # after mkdocs-static-i18n has chosen each page's language
def _add_pages(files: Files, config) -> Files:
    """Add the generated pages, placed under the language's folder by hand (see README)."""
    lang, default = state.build.lang, state.build.default_lang
    theme_sitemap = files.get_file_from_path("sitemap.xml")  # static-i18n's template, no longer rendered (_start_sitemap)
    if theme_sitemap is not None and theme_sitemap.src_dir != config.docs_dir:
        files.remove(theme_sitemap)
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
        state.build.titles[src_uri] = escape(page.title)
        state.build.generated[src_uri] = page
        state.build.placed[src_uri] = (page.trail, section(page.kind), page.url)
        if page.kind == "search":
            state.build.search_page = src_uri
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
    for path, content in _feeds(config).items():  # each language's feeds in its folder (archive.feeds)
        files.append(File.generated(config, state.build.prefix() + path, content=content))
    by_path = {report.path: report for report in state.archive.reports}
    for file in files.documentation_pages():
        if not getattr(file, "generated_by", None):  # Material's edit link: the file's name in a URL, quoted
            file.edit_uri = quote(file.src_uri)        # (the theme prints page.edit_url unescaped)
        if not file.src_uri.startswith(REPORTS):
            continue
        found = translation_of(file.src_uri, [lang])
        original = found[1] if found else file.src_uri
        if original in by_path:
            state.build.report_files[file.src_uri] = (by_path[original], found[0] if found else default)
    if _previewing():
        _plan_pages(files, config)
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
        context["archive_search"] = _search_context(context["base_url"])
    _place(context, page, nav)
    generated = state.build.generated.get(page.file.src_uri)
    if generated is not None and _feeds_on(config):  # its feed in the head (overrides/main.html)
        context["archive_feed"] = feed_link(generated.kind, generated.url, generated.title, config.site_name,
                                            _context(state.build.lang))
    return context


def _search_context(base_url: str) -> dict:
    """What the header's search box needs (overrides/main.html): a page's, or the 404 page's,
    whose base is the site's path (site_url's) at any depth of a missing address."""
    return {
        "base": base_url or ".", "lang": state.build.lang, "searchPage": f"{state.build.prefix()}search/",
        "bundles": bundles(state.build.shards, state.build.lang, state.build.default_lang),
        "labels": search_labels(_context(state.build.lang).words),
        "excerptWords": EXCERPT_WORDS, "vocabulary": f"{VOCABULARY_DIR}/",
        "phrases": phrase_indexes(state.build.shards, state.build.lang, state.build.default_lang)}


def _place(context, page, nav) -> None:
    """Where the page sits (archive.wayfinding): its breadcrumb for the theme's navigation path
    (overrides/partials/path.html), and its tab marked active — a year, topic, unit or report page
    is in no section of the navigation, which lists the archive's index pages only."""
    placed = state.build.placed.get(page.file.src_uri)
    if placed is None:
        return
    trail, tab, url = placed
    context["archive_path"] = page_path(trail, url, _context(state.build.lang))
    target = f"{state.build.prefix()}{tab}" if tab else None
    for item in nav.items if target else ():
        if getattr(item, "url", None) == target and item is not page and not item.active:
            item.active = True
            state.active_tab = item
            break


@event_priority(-200)  # after mkdocs-static-i18n's on_post_build has built the other languages
def _index_search(config) -> None:
    """Index the finished site, every language, once; inside static-i18n's nested builds, wait.

    ``./dev serve`` indexes after its first build only; the search page says what changed since."""
    if not state.build.shards or _nested(config) or state.search is not None:
        return
    try:
        results = index_site(config.site_dir, state.build.shards, pack_bytes=state.build.settings.search_chunk_kb * 1000)
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
    phrases = {r.shard.lang: r.phrases for r in results if r.phrases}
    if phrases:
        log.info("search: phrase index " + ", ".join(
            f"{lang} {stats.pages} pages, {_size(stats.bytes)} in {stats.files} files" for lang, stats in phrases.items()))
    kept = fallback_message(results)
    if kept:
        machine_log.warning(kept)
    if _previewing():
        state.search = SearchSnapshot(built=datetime.now(), reports=state.archive.keys.states, shards=tuple(state.build.shards))


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 1e6 else f"{count / 1e3:.0f} KB"


def _root_relative(url: str) -> str:
    return "" if url in ("", "./", ".") else url.lstrip("/")


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Report pages get their metadata, figures and notices; quotes become figures."""
    if page.file.src_uri == ("index.md" if state.build.lang == state.build.default_lang else f"index.{state.build.lang}.md") \
            and (state.archive.general or state.build.refused):
        notice = general_notice(state.build.refused + state.archive.general, state.build.settings.messages,
                                _context(state.build.lang))
        return _generated(f"{notice}\n\n{markdown}", page)
    if page.file.src_uri == state.build.search_page and state.search is not None:
        return _generated(_search_notice() + markdown, page)
    found = state.build.report_files.get(page.file.src_uri)
    if not found:
        return _generated(markdown, page) if getattr(page.file, "generated_by", None) else _other_page(markdown, page)
    report, text_lang = found
    if not page.meta:  # MkDocs could not read the front matter: it is still in the text
        markdown = strip(markdown)
    # The theme reads some front matter keys (template, description, hide…) and prints the
    # title unescaped: a report's page gets only its escaped title and date.
    title = page.meta.get("title") if isinstance(page.meta.get("title"), str) else report.title_in(text_lang)
    page.meta.clear()
    # The archive's own markup is kept aside and placed around the text once it is cleaned
    # (on_page_content): the contributor's Markdown never reaches it (archive.reportpage).
    built = report_page(report, markdown, title, text_lang, _context(state.build.lang), index=state.archive.index,
                        previous=state.archive.previous.get(report.path),
                        shard=state.build.shard_of.get(page_file(report.url, state.build.prefix())),
                        changed=state.history.change(*dict.fromkeys((report.path, page.file.src_uri))),  # text's, data's
                        sample=state.build.settings.sample, mark=state.build.mark, charted=state.build.charted)
    page.meta.update(built.meta)
    state.build.frames[page.file.src_uri] = built
    state.build.placed[page.file.src_uri] = (built.trail, built.tab, report.url)
    return built.markdown


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
        state.build.frames[page.file.src_uri] = Frame(problems=tuple(problems), renderer=_renderer(),
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
        generated = state.build.generated.get(file.src_uri)
        _add_toc(page.toc.items, generated.toc if generated else ())  # raw HTML in serve: no Markdown toc
        return state.build.raw.pop(file.src_uri, html)
    path = f"{state.build.docs}{file.src_uri}"
    cleaned = sanitize.clean(html, state.build.mark)
    found = sanitize.problems(cleaned.removed, path, file.content_string) if cleaned.removed else []
    _warn_once(found)
    # Markdown wrote one permalink title for every language: the page's word instead (archive.i18n)
    text = permalink_titles(cleaned.html, state.build.permalink_title, _context(state.build.lang).label("permalink"))
    kept = state.build.frames.pop(file.src_uri, None)
    if isinstance(kept, ReportPage):
        if kept.text_lang:  # a report shown in another language: its headings' TOC entries say which
            mark_toc(page.toc.items, kept.text_lang)
        _add_toc(page.toc.items, kept.toc)  # the frame's headings, after the text's in the table of contents
        return kept.html(text, found, state.build.settings.messages)
    frame = kept or Frame(show_problems=not state.build.settings.public, renderer=_renderer())
    return framed(text, frame, found, state.build.settings.messages)


def _permalink_title(config) -> str:
    """The title Python-Markdown's toc extension gives every heading's permalink: the configured
    one, else the extension's own default."""
    configured = (config.mdx_configs.get("toc") or {}).get("permalink_title")
    return configured if isinstance(configured, str) else TocExtension().getConfig("permalink_title")


def _add_toc(items: list, headings: tuple[Heading, ...]) -> None:
    """The package's headings (archive.wayfinding.Heading) as the theme's table of contents entries."""
    for heading in headings:
        entry = AnchorLink(escape(heading.title), heading.anchor, heading.level)
        _add_toc(entry.children, heading.children)
        items.append(entry)


# ---- Content-Security-Policy (archive.csp) ---------------------------------------------------

def _start_policies(config) -> None:
    """Once per build (not again for the next language): name an unknown theme."""
    if _nested(config):
        return
    if not csp.known_theme(state.theme_version):
        log.info(f"content security policy: Material {state.theme_version} is not the 9.8 series whose inline "
                 f"scripts are known: every inline script outside a page's content is allowed by its hash")


def _secure(output: str, content: str | None, path: str, generated: bool = False) -> str:
    """A generated page's content is the archive's own markup: not read again (archive.csp)."""
    secured = csp.secure_page(output, content, version=state.theme_version, live_reload=state.serving,
                              read_content=not generated)
    _warn_once(csp.problems(secured, path))
    return secured.html


@event_priority(-1000)  # the last change to a page's HTML: the policy hashes what the page finally holds
def on_post_page(output: str, page, config) -> str:
    if state.active_tab is not None:  # rendered: the tab is no longer the active page's (_place)
        state.active_tab.active, state.active_tab = False, None
    file = page.file
    generated = bool(getattr(file, "generated_by", None))
    state.sitemap.append(_sitemap_page(page))
    return _secure(without_head_alternates(output), page.content,
                   file.dest_uri if generated else f"{state.build.docs}{file.src_uri}", generated)


@event_priority(-1000)
def on_post_template(output_content: str, template_name: str, config) -> str:
    """Pages of the theme itself (404.html): each language's own (``en/404.html``). Every
    language's build writes the theme's pages at the site's root: the next language's build puts
    its 404 page in its folder and the default language's back at the root."""
    if not template_name.endswith(".html"):
        return output_content
    secured = _secure(without_head_alternates(output_content), None, template_name)
    if template_name != "404.html":
        return secured
    if state.build.lang == state.build.default_lang or state.not_found is None:
        state.not_found = secured
        return secured
    target = os.path.join(config.site_dir, state.build.prefix(), template_name)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8") as written:
        written.write(secured)
    return state.not_found


# ---- sitemap.xml (archive.sitemap) and the 404 pages (archive.notfound) ----------------------

def _start_sitemap(config) -> None:
    """The theme's sitemap (static-i18n's) lists neither the generated pages nor, without
    site_url, any address: the archive writes its own after every language's build."""
    config.theme.static_templates.discard("sitemap.xml")
    if _nested(config):
        return
    state.sitemap = []
    if not config.site_url and not state.site_url_told:  # not the content's fault: --strict does not count it
        state.site_url_told = True
        problem = Problem(os.path.basename(config.config_file_path), 1, "no_site_url")
        machine_log.warning(problem.format(state.build.settings.messages))


def _sitemap_page(page) -> SitemapPage:
    """A page as the sitemap lists it: its address, every language's version, and for a report
    the day it (or its translation) last changed in git."""
    file = page.file
    alternates = getattr(file, "alternates", None) or {}
    found = state.build.report_files.get(file.src_uri)
    change = state.history.change(*dict.fromkeys((found[0].path, file.src_uri))) if found else None
    return SitemapPage(url=_root_relative(file.url), lang=state.build.lang,
                       alternates=tuple((lang, _root_relative(alternates[lang].url))
                                        for lang in state.build.languages if lang in alternates),
                       lastmod=change.when.date() if change is not None and change.when is not None else None)


@event_priority(-250)  # after every language's build (-100) and the search index (-200), before publishing (-1000)
def _write_sitemap(config) -> None:
    if _nested(config):
        return
    pages, state.sitemap = state.sitemap, []
    if not config.site_url or (_previewing() and state.sitemap_written):  # serve: the first build's
        return
    built = get_build_datetime().date()
    files = sitemap_files(pages, config.site_url, built)
    midnight = int(datetime(built.year, built.month, built.day, tzinfo=timezone.utc).timestamp())  # as MkDocs dates it
    files["sitemap.xml.gz"] = gzipped(files["sitemap.xml"], midnight)
    for name, data in files.items():
        with open(os.path.join(config.site_dir, name), "wb") as written:
            written.write(data)
    state.sitemap_written = True


def on_template_context(context, template_name: str, config):
    """The 404 page, in the build's language: its words and links (archive.notfound), the header's
    search box, and the language menu to each language's own 404 page's home."""
    if template_name != "404.html":
        return context
    for entry in getattr(config.extra, "alternate", None) or config.extra.get("alternate") or []:
        entry["link"] = context["base_url"] + state.build.prefix(entry.get("lang"))  # the site's path: any depth
    context["archive_404"] = not_found_page(_context(state.build.lang), state.build.prefix())
    if state.build.shards:
        context["archive_search"] = _search_context(context["base_url"])
    return context


# ---- `./dev serve`: write again only what changed (archive.preview) -------------------------

def _leave_out_unchanged(files: Files, config) -> None:
    """Take the files of every report whose page shows what it showed in the last build out of
    this build: mkdocs-static-i18n would spend ~0.3 ms a file and language on them, MkDocs as much
    again, 6 s a reload at 10,000 reports. ``_plan_pages`` makes a link to one resolve to its file
    of the last build. Nothing is left out when the configuration, the theme's overrides, the
    vocabulary or a page outside the reports changed (a title in the navigation)."""
    build, archive = state.build, state.archive
    build.whole = (file_digest(config.config_file_path), _folder_key(getattr(config.theme, "custom_dir", None)),
                   state.theme_version, repr(build.settings), repr(archive.vocab), build.languages,
                   tuple((shard.name, shard.lang) for shard in build.shards))
    pages = files.documentation_pages()
    outside = tuple((f.src_uri, _stat(f.abs_src_path)) for f in pages if not f.src_uri.startswith(REPORTS))
    build.built = state.pages.start(build.lang, (build.whole, outside))
    build.left_out = state.pages.unchanged(build.lang, {r.path: _report_key(r) for r in archive.reports})
    if build.left_out:
        others = [lang for lang in build.languages if lang != build.default_lang]
        for file in pages:
            found = translation_of(file.src_uri, others) if file.src_uri.startswith(REPORTS) else None
            if file.src_uri.startswith(REPORTS) and (found[1] if found else file.src_uri) in build.left_out:
                files.remove(file)


def _report_key(report: Report) -> int:
    """What a report's page shows but its text, in this language's build: its data and what it
    shows of other reports (archive.preview.archive_keys), its files (their time and size), their
    last change in git, its search shard — what on_page_markdown puts around the text."""
    paths = (report.path, *(translation.path for translation in report.translations.values()))
    return hash((state.archive.keys.pages.get(report.path), tuple(state.archive.stats.get(p) for p in paths),
                 tuple(repr(state.history.change(p)) for p in paths),
                 state.build.shard_of.get(page_file(report.url, state.build.prefix()))))


def _plan_pages(files: Files, config) -> None:
    """Give every page of this language's dirty serve build its answer to ``File.is_modified``.

    The keys say what a page shows: a generated page its Markdown; a report's page
    ``_report_key``; a page outside the reports is written every time (they are few, and the
    navigation needs their titles: MkDocs knows a page's title only once it has read it). A link
    to a report left out (``_leave_out_unchanged``) finds its file of the last build.
    """
    build, built = state.build, state.build.built
    keys, always = {}, set()
    for file in files:
        if not file.is_documentation_page():
            keys[file.dest_uri] = hash(file.content_bytes) if getattr(file, "generated_by", None) else hash(_stat(file.abs_src_path))
            continue
        found = build.report_files.get(file.src_uri)
        if getattr(file, "generated_by", None):
            keys[file.dest_uri] = hash(file.content_string)
            if file.src_uri in build.titles and file.inclusion.is_in_nav():
                always.add(file.dest_uri)
        elif found:
            keys[file.dest_uri] = hash((built.reports.get(found[0].path), file.src_uri))
            built.files[found[0].path] = file
        else:
            keys[file.dest_uri] = hash(_stat(file.abs_src_path))
            always.add(file.dest_uri)
    changed = state.pages.changed(build.lang, keys) | always
    build.written = 0
    for file in files.documentation_pages():
        file.is_modified = _Written(file.dest_uri in changed)
        build.written += file.dest_uri in changed
    before = state.pages.last.get(build.lang)
    left_out = {}
    for path in build.left_out:  # as the last build wrote them: unchanged
        file = before.files[path]
        if file.page is not None:  # its Page, emptied: what it held is on disk
            file.page.markdown = file.page.content = file.page.present_anchor_ids = file.page.links_to_anchors = None
            file.page.toc, file.page.meta = [], {}
        left_out[file.src_uri] = left_out[getattr(file, "norm_src_uri", file.src_uri)] = file
        keys[file.dest_uri] = before.keys[file.dest_uri]
        built.files[path] = file
    if left_out:  # a link to one of them resolves as if it were in the build (MkDocs asks the Files)
        find = files.get_file_from_path
        files.get_file_from_path = lambda path: find(path) or left_out.get(path)


class _Written:
    """``File.is_modified`` of a page in a dirty serve build. MkDocs asks before reading the page and
    again before writing it: the answer is given once. A page whose own key is unchanged is written
    again only if what every page shows changed (the navigation's titles, known once read)."""

    def __init__(self, changed: bool) -> None:
        self.answer: bool | None = True if changed else None

    def __call__(self) -> bool:
        if self.answer is None:
            self.answer = not _same_whole()
            state.build.written += self.answer
        return self.answer


def _same_whole() -> bool:
    if state.build.same_whole is None:
        whole = _whole_now()
        if whole is None:  # a page of the navigation is not read yet: its title is unknown
            return False
        state.build.same_whole = state.pages.same_whole(state.build.lang, whole)
    return state.build.same_whole


def _whole_now() -> tuple | None:
    """What every page of this language shows besides its own content; None while not known."""
    titles = []
    for page in state.build.nav_pages:
        if page.markdown is not None:
            titles.append(page.title)
        elif page.file.src_uri in state.build.titles:
            titles.append(state.build.titles[page.file.src_uri])
        else:
            return None
    return state.build.whole, tuple(titles)


def _folder_key(folder: str | None) -> tuple:
    """The theme overrides' files, by time and size."""
    if not folder:
        return ()
    return tuple(sorted((os.path.join(top, name), _stat(os.path.join(top, name)))
                        for top, _, names in os.walk(folder) for name in names))


def on_nav(nav, config, files):
    if _previewing():
        state.build.nav_pages = list(nav.pages)
    return nav


def _list_theme_once(theme) -> None:
    """Each build of each language lists every file of the theme (Material's thousands of icons)
    and filters them by name, 0.2 s; serve lists them once, and again when the overrides change."""
    get_env = theme.get_env

    def env_listing_once():
        env = get_env()
        list_templates = env.list_templates

        def listed(extensions=None, filter_func=None):
            key = (tuple(theme.dirs), _folder_key(theme.custom_dir), tuple(sorted(theme.static_templates)), extensions)
            if key not in state.theme_files:
                state.theme_files[key] = list_templates(extensions, filter_func)
            return list(state.theme_files[key])
        env.list_templates = listed
        return env
    theme.get_env = env_listing_once


def on_env(env, config, files):
    if state.serving:  # each build's new environment: the templates compiled once (archive.preview)
        env.bytecode_cache = state.templates
    return env


@event_priority(0)  # each language's build, before mkdocs-static-i18n (-100) builds the next language
def _settle_language(config) -> None:
    if not _previewing():
        return
    state.build.built.whole = _whole_now()  # what every page of this language showed
    log.info(f"preview ({state.build.lang}): {state.build.written} pages written")


@event_priority(-300)  # after every language's build and the search index
def _finish_preview(config) -> None:
    if not _previewing() or _nested(config):
        return
    removed = remove_pages(config.site_dir, state.pages.commit())
    if removed:
        log.info(f"preview: {len(removed)} pages no longer in the site removed")
    state.heap.settle_later()


def _generated(html: str, page) -> str:
    """A generated page is the archive's own HTML: serve gives it to the page as it is, where
    Python-Markdown would only add line breaks between its blocks, in seconds for a listing of
    thousands of reports (tests/test_preview.py); ``mkdocs build`` keeps Markdown's output."""
    if not _previewing():
        return html
    state.build.raw[page.file.src_uri] = html
    return ""


def _search_notice() -> str:
    """The search page of a serve build whose reports changed since the index (archive.reportpage)."""
    notice = search_stale_notice(state.search.changed(state.archive.keys.states), state.search.built.strftime("%H:%M"),
                                 state.build.docs, _context(state.build.lang))
    return f"{notice}\n\n" if notice else ""


on_post_build = CombinedEvent(_settle_language, _index_search, _write_sitemap, _finish_preview, _publish_site)
