"""A page's words in its own language where Markdown or the theme wrote them in one language only.

Two things on a page are not the archive's templates' to write:

- the title of each heading's permalink (the ¶), which Python-Markdown's ``toc`` extension
  writes from one ``permalink_title`` for every page of every language; the archive keeps that
  one title and, per page, puts the page's word (labels ``permalink``) in its place;
- the theme's table of contents, whose entries for a report's own headings are in the text's
  language: on a page showing a report that has no version in the page's language, they are
  marked with the text's language (as its ``h1``, its text and its breadcrumb entry are).

Plain Python: the theme's TOC entries are handled by their ``title`` and ``children`` only.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

from markupsafe import Markup

#: an ``<a>`` start tag whose class is the permalink's (sanitize keeps no other class on a link)
_HEADERLINK = re.compile(r'<a\b[^>]*\bclass="headerlink"[^>]*>')


def permalink_titles(html: str, configured: str, title: str) -> str:
    """``html`` with every permalink's ``title`` attribute that Markdown wrote (``configured``, the
    toc extension's permalink_title) replaced by ``title``, the page language's word."""
    written, wanted = f'title="{escape(configured)}"', f'title="{escape(title)}"'
    if written == wanted or written not in html:
        return html
    return _HEADERLINK.sub(lambda tag: tag.group(0).replace(written, wanted, 1), html)


def mark_toc(entries: Iterable, lang: str) -> None:
    """Mark each table-of-contents entry (and its children) as written in ``lang``: its title, HTML
    the theme prints as it is, wrapped in ``<span lang>``. The entries are the theme's objects, changed
    in place (MkDocs' AnchorLink: ``title``, ``children``)."""
    for entry in entries:
        entry.title = str(Markup('<span lang="{}">{}</span>').format(lang, Markup(entry.title)))
        mark_toc(entry.children, lang)
