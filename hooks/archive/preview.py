"""``./dev serve``: a saved edit on screen in seconds, at 10,000 reports as at 10 (issue 10).

Without this, every reload of ``mkdocs serve`` checks every report again, writes every page
of both languages (mkdocs-static-i18n builds the other language inside the first one's build)
and runs Pagefind over the whole site: 25–29 s at 1,000 reports, minutes at 10,000. ``./dev
serve`` runs ``mkdocs serve --dirty``: after the first build, which is whole, MkDocs writes
again only the pages whose ``File.is_modified()`` says so; the adapter answers that question
for every page with the keys below, so that a reload does the work of what changed and
little more than a look at every file:

- **Checks**: a report file whose time and size did not change is not read again, one whose
  text did not change is not checked again (:class:`CheckCache`); duplicates, jumps and the
  index are worked out again over all reports, which costs little.
- **Pages**: a page is written again when what it shows changed — its own file, its report's
  data and problems, what it shows of other reports (the report a year before, the
  neighbours), its search shard, its last change in git — or when something every page shows
  changed (the configuration, the vocabulary, the navigation's titles): :class:`Pages`. The
  reports whose pages are unchanged are left out of the build and put back after
  mkdocs-static-i18n, which would spend 0.3 ms per file and language on them. The generated
  pages (years, topics, units, figures) are computed again only when the reports' *data*
  changed, not their prose (:func:`archive_keys`), and served as the HTML they are, without
  Python-Markdown (which only adds line breaks between their blocks). A page no longer
  produced (a report deleted or moved) is removed from the served folder. The sitemap stays
  the first build's.
- **Search**: Pagefind indexes the site once, after the first build; a reload never runs it.
  The search page says when the index was built and which reports changed since
  (:class:`SearchSnapshot`); restarting ``./dev serve`` indexes again.

A plain ``mkdocs build`` is untouched by all of this: it never runs dirty, and its output is
byte for byte what it was. ``tests/benchmarks/preview_bench.py`` measures the edit to the screen.

Why the keys are Python's ``hash`` of ``repr``: a report is a dataclass of plain values, its
``repr`` shows every field, and the keys live only as long as one ``serve`` process
(``hash`` is salted per process, which is fine here and would not be for anything stored).
"""
from __future__ import annotations

import gc
import hashlib
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import date as Date, datetime

import jinja2
import jinja2.bccache

from .index import ArchiveIndex
from .report import Report
from .validation import today_of_issue
from .vocabulary import Vocabulary


def _copy(report: Report) -> Report:
    """A report as ``check_report`` made it, safe to hand out: loading appends to its problems
    (duplicates, jumps) and attaches its translations; its other fields are not changed."""
    # a new instance sharing every field but those two: 1 µs, where copy.copy (__reduce_ex__)
    # takes 20 µs and dataclasses.replace more, on every report at every reload
    handed = object.__new__(Report)
    handed.__dict__.update(report.__dict__, problems=list(report.problems), translations=dict(report.translations))
    return handed


@dataclass(frozen=True)
class Checked:
    """One report file as last checked."""

    stat: tuple          # its time and size then
    text: str
    report: Report       # as check_report made it, never handed out (see _copy)


@dataclass
class CheckCache:
    """Each report file's text and checked report, for the next load of the same ``serve``.

    Reading and checking (the front matter, every check of the body) are most of a load: 10 s
    for 10,000 reports. A reload reads again only the files whose time or size changed
    (:meth:`source`) and checks again only those whose text changed (:meth:`checked`); the
    entries are valid for one vocabulary and one day (a report dated tomorrow is flagged today).
    """

    vocab: Vocabulary | None = None
    today: Date | None = None
    entries: dict[str, Checked] = field(default_factory=dict)   # report path → as last checked
    stats: dict[str, tuple] = field(default_factory=dict)       # report path → time and size seen by source()

    def source(self, path: str, stat: tuple, read: Callable[[], bytes]) -> bytes | str:
        """The file's text as last checked while its time and size are unchanged, else ``read()``."""
        self.stats[path] = stat
        found = self.entries.get(path)
        return found.text if found is not None and stat and found.stat == stat else read()

    def checked(self, path: str, text: str, vocab: Vocabulary, today: Date | None,
                check: Callable[[], Report]) -> Report:
        """The report ``check()`` would return for ``text``, from the cache when it was checked before."""
        today = today or today_of_issue()
        if today != self.today or (vocab is not self.vocab and vocab != self.vocab):
            self.entries = {}
        self.vocab, self.today = vocab, today   # an equal vocabulary compared once a load, not once a report
        found = self.entries.get(path)
        if found is not None and (found.text is text or found.text == text):
            if found.stat != self.stats.get(path, ()):
                self.entries[path] = replace(found, stat=self.stats.get(path, ()))
            return _copy(found.report)
        report = check()
        self.entries[path] = Checked(self.stats.get(path, ()), text, _copy(report))
        return report

    def retain(self, paths: Iterable[str]) -> None:
        """Forget the files that are gone."""
        keep = set(paths)
        for table in (self.entries, self.stats):
            for path in [p for p in table if p not in keep]:
                del table[path]


#: what other pages show of a report: everything but its text's size, its lines and problems
SHOWN = tuple(f.name for f in fields(Report) if f.name not in ("size", "lines", "problems"))


def shown(report: Report | None) -> str:
    """What other pages show of a report (``SHOWN``), as a key."""
    return "" if report is None else repr(tuple(getattr(report, name) for name in SHOWN))


@dataclass(frozen=True)
class Keys:
    """The keys of one load of the archive (see :func:`archive_keys`)."""

    data: int                                              # what the generated pages and downloads are made of
    pages: dict[str, int] = field(default_factory=dict)    # report → what its page shows but its text
    states: dict[str, int] = field(default_factory=dict)   # report → its files and data: what the search index saw
    shown: dict[str, str] = field(default_factory=dict)    # report → what other pages show of it (:func:`shown`)


def archive_keys(index: ArchiveIndex, previous: dict[str, Report], stats: dict[str, tuple] | None,
                 *more: object) -> Keys:
    """The keys of one load, each report's ``repr`` taken once.

    ``data``: the reports' data, not their prose (a sentence added to a report changes no
    listing, no figure), with ``more`` (the vocabulary, the settings). Without ``stats`` (a
    build, not serve) only ``data``. A report's page key: its own data and problems, the report a
    year before (the figures' change) and its neighbours (the footer). Its state: its data and
    its files' time and size, translations included.
    """
    seen = {report.path: shown(report) for report in index.reports}
    data = hash((tuple(seen[report.path] for report in index.reports), *(repr(m) for m in more)))
    if stats is None:
        return Keys(data, shown=seen)
    of = lambda report: "" if report is None else seen.get(report.path) or shown(report)  # noqa: E731
    pages, states = {}, {}
    for report in index.reports:  # everything the report is: what others show of it, and the rest
        own = (seen[report.path], report.size, repr(report.lines), repr(report.problems))
        before, after = index.neighbours(report)
        pages[report.path] = hash((own, of(previous.get(report.path)), of(before), of(after)))
        files = (report.path, *(translation.path for translation in report.translations.values()))
        states[report.path] = hash((own, tuple(stats.get(path) for path in files)))
    return Keys(data, pages, states, seen)


def file_digest(path: str) -> bytes:
    """A configuration file's content, as a key (empty when it cannot be read)."""
    try:
        with open(path, "rb") as handle:
            return hashlib.blake2b(handle.read(), digest_size=16).digest()
    except OSError:
        return b""


@dataclass
class Built:
    """What one language's build wrote, for the next build of that language."""

    keys: dict[str, int] = field(default_factory=dict)        # dest path → key of what the file shows
    whole: object = None                                      # what every page showed (None: not known)
    context: object = None                                    # the configuration, the pages outside reports/
    reports: dict[str, int] = field(default_factory=dict)     # report path → key of what its page shows
    files: dict[str, object] = field(default_factory=dict)    # report path → its page's MkDocs File


@dataclass
class Pages:
    """Which pages a dirty serve build writes again, from what the last successful build wrote.

    Each language's build gives every file a key of what it shows (:meth:`changed`); a page is
    written again when its key differs from the last build's (or it is new), and every page is
    when what *every* page shows (``whole``: the configuration, the vocabulary, the navigation's
    titles …) changed. A report whose page shows what it showed, in a build whose ``context`` is
    the last one's, can be left out of the build altogether (:meth:`unchanged`): MkDocs and
    mkdocs-static-i18n then spend nothing on it. Nothing is kept of a failed build: the next
    one writes everything.
    """

    last: dict[str, Built] = field(default_factory=dict)      # lang → the last successful build
    pending: dict[str, Built] = field(default_factory=dict)   # lang → this build, until it succeeded

    def start(self, lang: str, context: object) -> Built:
        self.pending[lang] = Built(context=context)
        return self.pending[lang]

    def unchanged(self, lang: str, reports: dict[str, int]) -> set[str]:
        """The reports whose pages show what they showed in the last build, which had this context."""
        built, before = self.pending[lang], self.last.get(lang)
        built.reports = reports
        if before is None or before.context != built.context:
            return set()
        return {path for path, key in reports.items() if before.reports.get(path) == key and path in before.files}

    def changed(self, lang: str, keys: dict[str, int]) -> set[str]:
        """The dest paths of ``keys`` whose key is new in this language's build."""
        self.pending[lang].keys = keys
        before = self.last[lang].keys if lang in self.last else {}
        return {dest for dest, key in keys.items() if before.get(dest) != key}

    def same_whole(self, lang: str, whole: object) -> bool:
        """Whether every page of the language shows what it showed in the last build."""
        return whole is not None and lang in self.last and self.last[lang].whole == whole

    def commit(self) -> list[str]:
        """After a successful build: remember it; return the files it no longer has (to remove)."""
        gone = [dest for lang, built in self.last.items() if lang in self.pending
                for dest in built.keys if dest not in self.pending[lang].keys]
        self.last, self.pending = self.pending, {}
        return gone

    def forget(self) -> None:
        """After a failed build: the next writes every page."""
        self.last, self.pending = {}, {}


def remove_pages(site_dir: str, dest_paths: Iterable[str]) -> list[str]:
    """Delete pages of the served folder that the site no longer has; never a path outside it."""
    root = os.path.realpath(site_dir)
    removed = []
    for dest in dest_paths:
        path = os.path.realpath(os.path.join(root, dest))
        if os.path.commonpath([root, path]) != root or path == root:
            continue
        try:
            os.remove(path)
        except OSError:
            continue
        removed.append(dest)
    return removed


@dataclass
class Heap:
    """The serve process's heap, collected between reloads rather than during them.

    At 10,000 reports ``serve`` holds a gigabyte of objects (every report, page and file of both
    languages) that live until the next reload. Python's collector walks all of them whenever a
    reload has made enough new ones: a reload's own allocations set off full collections of
    nearly a second each (tests/benchmarks/preview_bench.py's CPU column shows what is left).
    So each build ends by asking for a collection a moment later, once the browser has its page,
    after which every survivor is frozen (``gc.freeze``: the collector skips it) until the next
    one: a reload's collections see only its own objects. The next collection unfreezes
    everything first, so garbage from an earlier build is still freed; a build starting cancels
    a collection not yet begun.
    """

    delay: float = 1.0                     # seconds after a build
    timer: threading.Timer | None = None

    def settle_later(self) -> None:
        self.cancel()
        self.timer = threading.Timer(self.delay, self.settle)
        self.timer.daemon = True
        self.timer.start()

    def cancel(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    @staticmethod
    def settle() -> None:
        gc.unfreeze()
        gc.collect()
        gc.freeze()


@dataclass(frozen=True)
class SearchSnapshot:
    """The reports as the search index saw them: their state when Pagefind ran."""

    built: datetime
    reports: dict[str, int]   # report path → key of its files and data (Keys.states)
    shards: tuple = ()        # the search shards it was built in: kept by every later build

    def changed(self, now: dict[str, int]) -> list[str]:
        """Reports whose files or data changed since the index, added or removed, in path order."""
        return sorted(path for path in self.reports.keys() | now.keys() if self.reports.get(path) != now.get(path))


class TemplateCache(jinja2.BytecodeCache):
    """The theme's templates compiled once per ``serve`` process: MkDocs makes a new Jinja
    environment for every build of every language, which compiles Material's templates again
    (about a second per reload). Jinja checks each entry against its template's source."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()
