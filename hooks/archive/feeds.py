"""Atom feeds of the newest reports: the whole archive's, each topic's and each unit's, per language.

A reader follows new reports without visiting the site: each feed lists the newest reports of
its page (the same order as the page's listing, newest first by date of issue), at most
``extra.archive.feed_entries`` of them (20 by default; 0 writes no feeds). Each language gets
its own feeds in its folder's ``feeds/`` (``feeds/all.atom``, ``en/feeds/topic-revenue.atom``). Decisions:

- **feedgen** writes the XML (a maintained library, lxml underneath): every text — a title from
  a pull request with ``<script>`` or ``]]>`` in it — is escaped by it as element text, never
  parsed as markup. Characters XML 1.0 cannot hold (control characters, which a YAML escape such
  as ``"\\x01"`` can put in a title) are replaced by U+FFFD first: lxml would refuse the whole feed.
- **No site_url, no feeds.** Atom's ids must be absolute IRIs and feed readers resolve relative
  links badly, if at all; the build cannot know the host. As with the sitemap (archive.sitemap),
  the build says once how to set ``site_url``, and no page links a feed that is not there.
- **Nothing confidential**: an entry's summary is the report's metadata in the feed's language
  (unit, year, date of issue, report type, topics), never its figures or its text; a public
  build has nothing to mask in it.
- **Dates**: ``published`` is the report's date of issue (midnight UTC: a report has a day, not
  a time); ``updated`` its last change in git, the report's or its translation's
  (archive.gitdates), else its date of issue; the feed's ``updated`` is its newest entry's, or the
  build's date for a feed without entries. Two builds of one commit write the same bytes.
- **Language**: the feed carries ``xml:lang``; the title of a report not translated into the
  feed's language is the original's, its ``<title>`` marked with the original's language.
- The file is named ``.atom`` so that every server types it ``application/atom+xml`` from its
  extension (Python's ``mimetypes`` for ``mkdocs serve``, deploy/nginx/archive.conf).
- **One folder, with an empty sitemap.** Material 9.8 fetches ``sitemap.xml`` beside *every*
  ``<link rel="alternate">`` of a page (its ``setupAlternate``, made for language alternates;
  zensical/zensical#908), a feed's too: a feed at ``topics/revenue/feed.atom`` would cost every
  topic page a 404 for ``topics/revenue/sitemap.xml``, and one at the root a download of the whole
  site's sitemap (megabytes at 10,000 reports) on every page that links it. So every feed of a
  language sits in its ``feeds/`` folder beside an empty ``sitemap.xml`` (an empty urlset, a
  few bytes, which Material reads as "no pages"): the link keeps the plain ``rel="alternate"``
  that feed readers look for.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone

from feedgen.feed import FeedGenerator

from .gitdates import History
from .index import ArchiveIndex, topic_url, unit_url
from .report import Report
from .render import Context, keep_for
from .links import href
from .sitemap import absolute_url, sitemap_files

FEEDS = "feeds/"              # every feed of a language, relative to the language root
WHOLE = FEEDS + "all.atom"     # the whole archive's
FEED_TYPE = "application/atom+xml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# what XML 1.0 allows in a document (https://www.w3.org/TR/xml/#charsets): the rest is refused by lxml
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Feed:
    """One feed: its file and its page (both relative to the language root), its page's title
    (None for the whole archive, whose feed is named after the site) and its reports, newest first."""

    path: str
    page: str
    title: str | None
    reports: tuple[Report, ...]


@dataclass(frozen=True)
class FeedSite:
    """What a feed needs of the site: its address (``site_url``), its name in the feed's language,
    and the language's folder ("" for the default language, "en/")."""

    url: str
    name: str
    prefix: str = ""


def feed_path(kind: str, url: str) -> str | None:
    """The feed a generated page links to, relative to the language root: the home and archive
    pages the whole archive's, a topic or unit page its own; None for every other page."""
    if kind in ("home", "archive"):
        return WHOLE
    if kind in ("topic", "unit"):
        return _own(kind, url.rstrip("/").rsplit("/", 1)[-1])
    return None


def _own(kind: str, key: str) -> str:
    """A topic's or unit's feed: vocabulary keys are slugs (vocabulary.TERM_KEY), safe in a file name."""
    return f"{FEEDS}{kind}-{key}.atom"


def archive_feeds(index: ArchiveIndex, titles: dict[str, str], size: int) -> list[Feed]:
    """Every feed of one language: the whole archive's, then each topic's and unit's with reports,
    each with its newest ``size`` reports in the index's order. ``titles``: each page's title by
    URL, as the generated pages have them (archive.pages), so that a feed is named like its page."""
    if size < 1:
        return []
    feeds = [Feed(path=WHOLE, page="", title=None, reports=tuple(index.reports[:size]))]
    for kind, url_of, group in (("topic", topic_url, index.by_topic), ("unit", unit_url, index.by_unit)):
        for key, reports in group.items():
            url = url_of(key)
            feeds.append(Feed(path=_own(kind, key), page=url, title=titles.get(url, key), reports=tuple(reports[:size])))
    return feeds


def feed_title(feed: Feed, site_name: str, ctx: Context) -> str:
    """The whole archive's feed is the site's name; a topic's or unit's, its page's title and the site's."""
    return site_name if feed.title is None else ctx.label("feed_title", page=feed.title, site=site_name)


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def _day(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


def entry_dates(report: Report, lang: str, history: History | None) -> tuple[datetime | None, datetime | None]:
    """(published, updated) of a report in a language's feed: its date of issue, and the last
    committed change of the files its page in that language is made from (else the date of issue)."""
    published = _day(report.date) if report.date else None
    translation = report.translations.get(lang)
    paths = (report.path,) + ((translation.path,) if translation else ())
    change = history.change(*paths) if history is not None else None
    return published, (change.when if change is not None and change.when is not None else published)


def summary(report: Report, ctx: Context) -> str:
    """The report's metadata as one line in the feed's language: no figure and no text of the report."""
    colon, parts = ctx.label("colon"), []
    if report.unit:
        parts.append(ctx.label("unit") + colon + ctx.term("units", report.unit))
    if report.year:
        parts.append(ctx.label("year") + colon + str(report.year))
    if report.date:
        parts.append(ctx.label("date") + colon + report.date.isoformat())
    if report.template:
        parts.append(ctx.label("template") + colon + ctx.term("templates", report.template))
    if report.topics:
        parts.append(ctx.label("topic") + colon
                     + ctx.label("list_separator").join(ctx.term("topics", topic) for topic in report.topics))
    return ctx.label("field_separator").join(parts)


class _TitleLanguage:
    """feedgen's entry extension (its public hook into the XML of an entry): marks the entry's
    title with the language it is written in, when that is not the feed's."""

    def __init__(self) -> None:
        self.lang: str | None = None

    def extend_ns(self) -> dict:
        return {}

    def extend_atom(self, entry):
        if self.lang:
            entry.find("title").set(XML_LANG, self.lang)  # feedgen names the Atom namespace on <feed> only
        return entry

    def extend_rss(self, item):
        return item


def atom(feed: Feed, ctx: Context, site: FeedSite, history: History | None, built: datetime) -> bytes:
    """The feed as Atom XML, in ``ctx``'s language, every address absolute from ``site.url``.
    ``built``: the build's time, the ``updated`` of a feed without entries."""
    page_url = absolute_url(site.url, site.prefix + feed.page)
    feed_url = absolute_url(site.url, site.prefix + feed.path)
    generator = FeedGenerator()
    generator.id(feed_url)
    generator.title(_text(feed_title(feed, site.name, ctx)))
    generator.subtitle(ctx.label("feed_subtitle"))
    generator.author({"name": _text(site.name)})
    generator.link(href=feed_url, rel="self", type=FEED_TYPE)
    generator.link(href=page_url, rel="alternate", type="text/html")
    generator.language(ctx.lang)
    newest: datetime | None = None
    for report in feed.reports:
        published, updated = entry_dates(report, ctx.lang, history)
        updated = updated or built
        newest = updated if newest is None or updated > newest else newest
        entry = generator.add_entry(order="append")
        entry.register_extension("archive_title_lang", _TitleLanguage, atom=True, rss=False)
        shown = ctx.lang == ctx.original or ctx.lang in report.translations
        entry.archive_title_lang.lang = None if shown else ctx.original
        address = absolute_url(site.url, site.prefix + report.url)
        entry.id(address)
        entry.title(_text(report.title_in(ctx.lang)))
        entry.link(href=address, rel="alternate", type="text/html")  # feedgen 1.0 writes the href only: rel's default
        entry.updated(updated)
        if published is not None:
            entry.published(published)
        entry.author({"name": _text(ctx.term("units", report.unit) if report.unit else site.name)})
        entry.summary(_text(summary(report, ctx)))
        for topic in report.topics:
            entry.category(term=_text(topic), label=_text(ctx.term("topics", topic)),
                           scheme=absolute_url(site.url, site.prefix + "topics/"))
    generator.updated(newest or built)
    return generator.atom_str(pretty=True)


def feed_files(feeds: list[Feed], ctx: Context, site: FeedSite, history: History | None,
               built: datetime, kept: dict | None = None, shown: dict[str, str] | None = None) -> dict[str, bytes]:
    """Each feed's file by its path relative to the language root, and the empty sitemap beside
    them that Material asks for (see above); nothing when there are no feeds.

    ``kept`` (a dict the caller keeps for one language) and ``shown`` (what each report shows,
    archive.preview.shown): a ``serve`` reload after a title edit writes again only the feeds
    that list the report (feedgen takes 0.6 ms an entry: 0.7 s a language for 60 topics and
    units of 20 entries)."""
    keep_for(kept, (ctx.lang, ctx.default_lang, ctx.vocab, ctx.renderer, site, built))
    files = {}
    for feed in feeds:
        if kept is None or shown is None:
            files[feed.path] = atom(feed, ctx, site, history, built)
            continue
        key = (feed.page, feed.title, tuple(shown.get(report.path) for report in feed.reports),
               tuple(entry_dates(report, ctx.lang, history) for report in feed.reports))
        found = kept.get(feed.path)
        if found is None or found[0] != key:
            found = kept[feed.path] = (key, atom(feed, ctx, site, history, built))
        files[feed.path] = found[1]
    if files:
        files[FEEDS + "sitemap.xml"] = sitemap_files([], site.url)["sitemap.xml"]
    return files


@dataclass(frozen=True)
class FeedLink:
    """A page's link to its feed: the address relative to the page, and the feed's title."""

    href: str
    title: str


def feed_link(kind: str, url: str, title: str, site_name: str, ctx: Context) -> FeedLink | None:
    """The feed a generated page links in its head (``<link rel="alternate">``), or None."""
    path = feed_path(kind, url)
    if path is None:
        return None
    own = Feed(path=path, page=url, title=title if kind in ("topic", "unit") else None, reports=())
    return FeedLink(href=href(url, path), title=feed_title(own, site_name, ctx))
