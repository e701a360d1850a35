"""The site's sitemap: every page of every language, with absolute addresses and language alternates.

MkDocs' sitemap (and mkdocs-static-i18n's, which replaces it) lists the pages of the files it
knows, which are not the pages the archive generates (years, topics, units, figures, search),
and writes ``<loc>None…</loc>`` without ``site_url``. The adapter hands this module every page
each language's build wrote; it writes one sitemap for the whole site. Decisions:

- **No site_url, no sitemap.** The protocol (https://www.sitemaps.org/protocol.html) requires
  absolute ``<loc>`` addresses; a sitemap of relative ones is invalid and a crawler drops it, and
  the build cannot know the host. The build says once how to set ``site_url`` instead.
- **lastmod** is the day a report (or its translation) last changed in git (``gitdates``);
  a page without such a date (listings, the guide, a report not yet committed) has the build's
  date, the commit's time in a build of a commit (``reproducible``), as MkDocs dates its pages.
- **Alternates**: each ``<url>`` lists every language's version of the page, itself included,
  as ``xhtml:link rel="alternate" hreflang`` (the form search engines read in a sitemap). The
  pages themselves carry no ``<link rel="alternate" hreflang>``: Material fetches
  ``sitemap.xml`` beside each such link, which for a page's own counterpart
  (``en/reports/…/sitemap.xml``) does not exist (:func:`without_head_alternates`).
- **Size**: at most 50,000 addresses and 50 MB a file (the protocol's limits); more pages give a
  sitemap index at ``sitemap.xml`` over ``sitemap-1.xml`` … so that its address never changes.
  Written as text with the few escapes it needs, not a DOM (20,000 pages of two languages: 7.5 MB).
"""
from __future__ import annotations

import gzip
import io
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote
from xml.sax.saxutils import quoteattr, escape

#: the protocol's limits for one sitemap file
MAX_URLS = 50_000
MAX_BYTES = 50 * 1024 * 1024
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass(frozen=True)
class SitemapPage:
    """One page as built: its address relative to the site ("" the home, "en/archive/2022/"),
    its language, every language's version of it (language, address) and the day it last changed."""

    url: str
    lang: str
    alternates: tuple[tuple[str, str], ...] = ()
    lastmod: date | None = None


#: what stays as it is in a page's path: "&", "'", '"', "<" and ">" are percent-encoded
_SAFE = "/%~:@!$()*+,;=-._"


def absolute_url(site_url: str, url: str) -> str:
    """A page's (or file's) absolute address from ``site_url`` and its address relative to the
    site, percent-encoded as the sitemap protocol asks; the feeds (archive.feeds) name pages so too."""
    return (site_url if site_url.endswith("/") else site_url + "/") + quote(url.lstrip("/"), safe=_SAFE)


class _Addresses(dict):
    """Each page's address as written in the sitemap, made once (a page is named by its own entry and
    by its other languages'): percent-encoded as the protocol asks, "&", "'", '"', "<" and ">" too,
    so that an address needs no XML escape; ``site_url`` is escaped once."""

    def __init__(self, site_url: str) -> None:
        super().__init__()
        self.base = escape(site_url if site_url.endswith("/") else site_url + "/")

    def __missing__(self, url: str) -> str:
        self[url] = self.base + quote(url.lstrip("/"), safe=_SAFE)
        return self[url]


def _url_entry(page: SitemapPage, addresses: _Addresses, default: date | None) -> str:
    lines = [f"<url><loc>{addresses[page.url]}</loc>"]
    when = page.lastmod or default
    if when is not None:
        lines.append(f"<lastmod>{when.isoformat()}</lastmod>")
    if len(page.alternates) > 1:  # one language only: no alternates to name
        for lang, url in page.alternates:
            lines.append(f'<xhtml:link rel="alternate" hreflang={quoteattr(lang)} href="{addresses[url]}"/>')
    return "".join(lines) + "</url>\n"


def _urlset(entries: list[str]) -> bytes:
    return (f'{HEAD}<urlset xmlns="{NAMESPACE}" xmlns:xhtml="{XHTML}">\n' + "".join(entries) + "</urlset>\n").encode("utf-8")


def sitemap_files(pages: list[SitemapPage], site_url: str, default: date | None = None,
                  max_urls: int = MAX_URLS, max_bytes: int = MAX_BYTES) -> dict[str, bytes]:
    """The sitemap's files by name: ``sitemap.xml`` alone, or, past the protocol's limits, an index
    there and the sitemaps it lists. ``default`` dates a page without a lastmod of its own (the build's date).
    Each address once (the first page given for it wins), sorted, so two builds of one commit agree."""
    unique: dict[str, SitemapPage] = {}
    for page in pages:
        unique.setdefault(page.url, page)
    addresses = _Addresses(site_url)
    entries = [_url_entry(unique[url], addresses, default) for url in sorted(unique)]
    parts: list[list[str]] = [[]]
    overhead = len(_urlset([]))
    size = 0
    for entry in entries:
        grown = size + len(entry.encode("utf-8"))
        if parts[-1] and (len(parts[-1]) >= max_urls or overhead + grown > max_bytes):
            parts.append([])
            grown = len(entry.encode("utf-8"))
        parts[-1].append(entry)
        size = grown
    if len(parts) == 1:
        return {"sitemap.xml": _urlset(parts[0])}
    files = {f"sitemap-{number}.xml": _urlset(part) for number, part in enumerate(parts, start=1)}
    listed = "".join(f"<sitemap><loc>{addresses[name]}</loc>"
                     + (f"<lastmod>{default.isoformat()}</lastmod>" if default else "") + "</sitemap>\n"
                     for name in files)
    files["sitemap.xml"] = f'{HEAD}<sitemapindex xmlns="{NAMESPACE}">\n{listed}</sitemapindex>\n'.encode("utf-8")
    return files


def gzipped(data: bytes, mtime: int) -> bytes:
    """``sitemap.xml.gz`` as MkDocs writes it, its header dated ``mtime`` (the build's date): the
    same bytes from two builds of one commit."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, filename="", mode="wb", mtime=mtime) as packed:
        packed.write(data)
    return buffer.getvalue()


_ALTERNATE = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')


def without_head_alternates(html: str) -> str:
    """The page without Material's ``<link rel="alternate" hreflang>`` lines in its head.

    Material 9 fetches ``sitemap.xml`` beside every such link to keep the page when the reader
    switches language (its bundle's ``fetchSitemap(new URL("sitemap.xml", link))``): made for a
    link to each language's root, as each language were its own site. mkdocs-static-i18n links
    each page's own counterpart instead (``en/reports/2022/x/``), so every page asked for
    ``en/reports/2022/x/sitemap.xml``, a 404. The language menu already links each page's
    counterpart, so nothing is lost; the alternates are in the sitemap (its xhtml:link), where
    search engines read them too. Only these exact lines of the theme's head, written by
    base.html's ``site_meta`` block, are taken out (feeds' alternates carry a type and stay).
    """
    end = html.find("</head>")
    if end < 0:
        return html
    return _ALTERNATE.sub("", html[:end]) + html[end:]
