"""Nothing lost: every report must be linked from each listing page it belongs on.

The check reads the links of the rendered pages, not the index they came from, so a
fault in rendering is caught too.
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from .index import ArchiveIndex
from .pages import GeneratedPage
from .problems import Problem

_HREF = re.compile(r'href="([^"#?]*)')


def linked_urls(page: GeneratedPage) -> set[str]:
    """The URLs (relative to the language root) that a page links to."""
    return {_resolved(page.url, target) for target in _HREF.findall(page.html)}


@lru_cache(maxsize=1 << 18)
def _resolved(page_url: str, target: str) -> str:
    """Kept: a ``serve`` reload after a data edit audits every listing again, the same links."""
    resolved = posixpath.normpath(posixpath.join(page_url or ".", target))
    return "" if resolved == "." else resolved + "/"


class Linked:
    """Each page's links as last read, by URL, for one language: a ``serve`` reload after a data
    edit makes every listing again and audits them all, and most read as before (a topic page of
    thousands of reports takes a tenth of a second to read)."""

    def __init__(self) -> None:
        self.last: dict[str, tuple[str, set[str]]] = {}

    def __call__(self, page: GeneratedPage) -> set[str]:
        found = self.last.get(page.url)
        if found is None or (found[0] is not page.html and found[0] != page.html):
            found = self.last[page.url] = (page.html, linked_urls(page))
        return found[1]


def audit(index: ArchiveIndex, pages: Iterable[GeneratedPage],
          linked: Callable[[GeneratedPage], set[str]] = linked_urls) -> list[Problem]:
    """A problem for every report missing from a page it belongs on."""
    links = {page.url: linked(page) for page in pages}
    problems = []
    for report in index.reports:
        for page_url in index.expected_pages(report):
            if report.url not in links.get(page_url, ()):
                problems.append(Problem(report.path, 1, "missing_from_page", {"page": page_url}))
    return problems
