"""Contributor HTML, cleaned by an allowlist; every removed construct becomes a problem.

Every page MkDocs renders from a Markdown file under ``docs/`` (reports, translations, the
guide, the about page, any page a pull request adds; a translation without its original is
not published at all) is contributor content. Its rendered HTML goes through :func:`clean` before anything of the
archive's own is added to it, in ``build``, non-strict ``build`` and ``serve`` alike. Pages
the archive generates (``File.generated``: listings, figures, charts) are built and escaped
by our own code and are not cleaned.

**What a page may contain** (the one definition: ``ELEMENTS``, ``ATTRIBUTES``, ``CLASSES``,
``LINK_SCHEMES``, ``VALUES`` below): text and its emphasis, headings, paragraphs, lists,
tables, quotes, code, line breaks and rules; links to ``http:``, ``https:``, ``mailto:`` or
a relative address (a link to another host stays a plain link, every link gets
``rel="noopener noreferrer"``); images from the site itself only (a relative address: no
scheme, no ``//host``, no backslash — browsers read ``\\`` as ``/``); a heading's anchor
(``id``: lowercase letters, digits, ``-`` and ``_``, not one the theme or the archive uses:
``__…`` is Material's, ``wr-…``, ``metric-…`` and ``figures`` the archive's, so that no
element can stand in for ``__config`` or the search configuration — DOM clobbering). Nothing
else: no ``<script>``, ``<style>``, ``<svg>``, ``<math>``, ``<form>``, ``<iframe>``,
``<object>``, ``<base>``, ``<meta>``, ``<link>``; no ``style``, ``on…``, ``srcset``,
``name``, ``hidden``, ``data-…`` attribute (``data-pagefind-…`` would forge the search
filters and metadata), no class but the heading anchor's ``headerlink`` and a code block's
``language-…`` (an admonition's classes would imitate the archive's notices). The blocks of the
guide's pymdown-extensions (mkdocs.yml) pass by name and value only: a collapsible
``<details>`` (``open``, no class) with its ``<summary>``; the tabs of pymdownx.tabbed, radio
``<input>`` and ``<label>`` with ids of the form ``__tabbed_1_2`` and the ``tabbed-…`` classes
of their ``<div>`` (``ELEMENT_VALUES``). Neither runs a script or loads anything: the tabs are
switched by Material's CSS, and a contributor's hand-written imitation is held to the same values. Comments are
dropped unreported (they show nothing). Nothing may load from another host: an image is the
only thing a page can load, and it must be local.

**attr_list** (``{ #id .class key=value }`` after a paragraph, heading or image) stays
enabled for the guide's and the about page's own use, and is harmless: what it sets is part
of the rendered HTML and passes the same allowlist, so ``{ onerror="…" }`` or
``{ style="…" }`` is removed and reported like the same attribute written in HTML. The only
attribute it can usefully set in a report is a heading's anchor, ``{ #name }``.

**The archive's own markup** on a report page — the problems and sample notices, the header
(``<dl>`` of metadata with the ``data-pagefind-filter``/``-meta``/``-sort`` spans the search
reads), the figures panel and the neighbours — never goes through Markdown nor through this
module: the adapter renders the contributor's text alone, cleans it, and then places the
trusted fragments before and after it (``render.framed``). The contributor's text therefore
cannot close, hide, reach or imitate them: whatever it holds, the cleaned text is one
balanced HTML fragment (html5ever serializes a tree) with no ``data-`` attribute and no
class of ours. The one trusted markup *inside* the text is the figure a ``{{ key }}`` quote
becomes (``render.quote_figures``), inserted before Markdown so that headings and the table
of contents show the figure: each of its attribute values begins with the build's random
*mark* (:func:`new_mark`, new every build, never written to any output), and ``TRUSTED``
accepts its classes (``wr-figure``, ``wr-masked``, ``wr-withheld``, ``wr-missing``) and its
``data-metric`` only with that mark, which the filter then removes. The same class written
by a contributor, who cannot know the mark, is removed and reported.

**The report of what was removed**: nh3 (ammonia on html5ever) decides the output. To name
what it took out, :class:`_Walker` reads the same HTML with ``html.parser`` and asks the same
allowlist (``_kept`` is both nh3's ``attribute_filter`` and the walker's judge). Where the
two parsers could disagree (malformed markup), the output is still nh3's; a removal may then
go unnamed but never reaches the page. :func:`problems` puts each removal at the line of the
Markdown source where its text appears (best effort; else the first line of the body).
"""
from __future__ import annotations

import re
import secrets
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

from .problems import Problem

#: the elements a page may contain: what Markdown writes for text, and a few harmless inline ones
ELEMENTS: frozenset[str] = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "div", "span",
    "strong", "em", "b", "i", "u", "s", "del", "ins", "sub", "sup", "small", "mark",
    "code", "pre", "kbd", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "a", "img",
    # pymdown-extensions' blocks (mkdocs.yml): details' collapsible block, tabbed's tabs (below)
    "details", "summary", "input", "label",
})
#: elements removed with their content (their content is code, styles or another language's markup)
CONTENT_DROPPED: frozenset[str] = frozenset({
    "script", "style", "template", "svg", "math", "iframe", "object", "embed", "noscript",
    "noembed", "noframes", "textarea", "select", "title", "xmp",
})
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
#: the attributes each element may carry; every value is checked too (``VALUES``)
ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title", "class"}),
    "img": frozenset({"src", "alt", "title", "width", "height", "loading"}),  # loading: the About page's screenshots
    "th": frozenset({"align", "colspan", "rowspan"}),
    "td": frozenset({"align", "colspan", "rowspan"}),
    "ol": frozenset({"start"}),
    "code": frozenset({"class"}),
    "details": frozenset({"open"}),
    "div": frozenset({"class", "data-tabs"}),
    "input": frozenset({"type", "checked", "id", "name"}),
    "label": frozenset({"for"}),
    **{heading: frozenset({"id"}) for heading in _HEADINGS},
}
#: the classes a contributor's element may carry: the permalink Markdown adds to headings, the
#: language of a fenced code block
CLASSES: dict[str, re.Pattern[str]] = {"a": re.compile(r"headerlink"), "code": re.compile(r"language-[a-z0-9_+-]+"),
                                       "div": re.compile(r"tabbed-(?:set|alternate|labels|content|block)")}
#: the archive's own markup inside the text (a quoted figure): accepted only with the build's mark
TRUSTED: dict[str, dict[str, frozenset[str] | None]] = {
    "span": {"class": frozenset({"wr-figure", "wr-masked", "wr-withheld"}), "data-metric": None},
    "mark": {"class": frozenset({"wr-missing"})},
}
#: where a link may point, besides a relative address
LINK_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
#: what every link carries: the page it opens gets no handle on this one, nor its address
LINK_REL = "noopener noreferrer"
#: anchors the theme (``__config``, ``__search``…) and the archive (``wr-search-config``,
#: ``figures``, ``metric-…``) look up on the same page
RESERVED_ID_PREFIXES = ("__", "wr-", "metric-")
RESERVED_IDS = frozenset({"figures"})
_ID = re.compile(r"[a-z0-9_-]+")
_NUMBER = re.compile(r"[0-9]{1,4}")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
EXCERPT = 80  # characters of a removed construct quoted in its problem


def _browser_url(value: str) -> str:
    """The address as a browser reads it: no leading or trailing controls or spaces, no tab or newline."""
    return re.sub(r"[\t\n\r]", "", value.strip(_C0_AND_SPACE))


def _link(value: str) -> bool:
    scheme = _SCHEME.match(_browser_url(value))
    return scheme is None or scheme.group(1).lower() in LINK_SCHEMES


def _local(value: str) -> bool:
    """An address on this site: relative, with no scheme and no other host (``//host``, ``\\\\host``)."""
    url = _browser_url(value)
    return "\\" not in url and not url.startswith("//") and _SCHEME.match(url) is None


def _anchor(value: str) -> bool:
    return bool(_ID.fullmatch(value)) and value not in RESERVED_IDS and not value.startswith(RESERVED_ID_PREFIXES)


#: attribute → the check of its value (an attribute not listed takes any text: title, alt)
VALUES = {
    "href": _link,
    "src": _local,
    "id": _anchor,
    "align": lambda value: value.lower() in ("left", "center", "right"),
    "colspan": _NUMBER.fullmatch, "rowspan": _NUMBER.fullmatch, "start": _NUMBER.fullmatch,
    "width": _NUMBER.fullmatch, "height": _NUMBER.fullmatch,
}


_TAB = re.compile(r"__tabbed_[0-9]{1,4}_[0-9]{1,4}")
_TAB_SET = re.compile(r"__tabbed_[0-9]{1,4}")
#: (element, attribute) → the check of its value where it differs from ``VALUES``: what pymdownx.tabbed
#: writes for a set of tabs (``<input type="radio" id="__tabbed_1_2" name="__tabbed_1">`` switched by its
#: ``<label for>``; Material's CSS shows the block of the checked one) and pymdownx.details (``open``), and
#: nothing else. Those ids start with ``__`` but can never be one the theme looks up (``__config``…);
#: an input outside a form sends nothing, and its ``name`` clobbers no document property. Every input
#: left is made a radio button (:func:`_cleaner`), so that none is a text field asking for anything.
ELEMENT_VALUES = {
    ("input", "type"): lambda value: value == "radio",
    ("input", "checked"): lambda value: value in ("", "checked"),
    ("input", "id"): _TAB.fullmatch,
    ("input", "name"): _TAB_SET.fullmatch,
    ("label", "for"): _TAB.fullmatch,
    ("details", "open"): lambda value: value in ("", "open"),
    ("img", "loading"): lambda value: value in ("lazy", "eager"),  # when a local image loads; nothing else
    ("div", "data-tabs"): re.compile(r"[0-9]{1,4}:[0-9]{1,4}").fullmatch,  # tab set n of m: no search filter
}


def new_mark() -> str:
    """The mark of this build's trusted markup: random, so that a contributor cannot write it."""
    return f"wr-trusted-{secrets.token_hex(16)}"


def trusted(mark: str, value: str) -> str:
    """An attribute value of the archive's own markup inside the text (``render.quote_figures``)."""
    return f"{mark} {value}" if mark else value


def _kept(tag: str, name: str, value: str, mark: str) -> str | None:
    """The value the attribute keeps, or None: the one judge of nh3's output and of the report.

    nh3 calls it for the attributes ``ATTRIBUTES`` and ``TRUSTED`` name, and for the ``rel`` it
    adds to every link itself (a contributor's own ``rel`` is dropped before, by its name).
    """
    if tag == "a" and name == "rel" and value == LINK_REL:
        return value
    if mark and value.startswith(mark + " ") and name in TRUSTED.get(tag, {}):
        value = value[len(mark) + 1:]
        classes = TRUSTED[tag][name]
        if classes is not None and not set(value.split()) <= classes:
            return None
        return value
    if name not in ATTRIBUTES.get(tag, ()):
        return None
    if name == "class":
        allowed = CLASSES.get(tag)
        return value if allowed and value.split() and all(allowed.fullmatch(name) for name in value.split()) else None
    check = ELEMENT_VALUES.get((tag, name)) or VALUES.get(name)
    return value if check is None or check(value) else None


def _cleaner(mark: str) -> nh3.Cleaner:
    names = {tag: set(ATTRIBUTES.get(tag, ())) | set(TRUSTED.get(tag, {})) for tag in ELEMENTS}
    return nh3.Cleaner(
        tags=set(ELEMENTS), clean_content_tags=set(CONTENT_DROPPED),
        attributes={tag: attrs for tag, attrs in names.items() if attrs},
        attribute_filter=lambda tag, name, value: _kept(tag, name, value, mark),
        url_schemes=set(LINK_SCHEMES), link_rel=LINK_REL, strip_comments=True,
        set_tag_attribute_values={"input": {"type": "radio"}})  # an input without a type would be a text field


@dataclass(frozen=True)
class Removal:
    """One construct the allowlist took out of a page, as the contributor wrote it."""

    kind: str       # element, attribute, link, image, anchor
    element: str    # the element it was (on)
    text: str       # the construct, shortened, its invisible characters shown
    needles: tuple[tuple[str, ...], ...] = ()  # what to look for in the source, best first


@dataclass(frozen=True)
class Cleaned:
    html: str
    removed: tuple[Removal, ...]


def clean(html: str, mark: str = "") -> Cleaned:
    """The page's HTML with only what the allowlist accepts, and what was removed, in page order."""
    output = _cleaner(mark).clean(html)
    if mark:  # a quote inside code is shown as text: the mark never reaches a page
        output = output.replace(mark + " ", "").replace(mark, "")
    return Cleaned(output, removals(html, mark))


def removals(html: str, mark: str = "") -> tuple[Removal, ...]:
    """What :func:`clean` removes from the page, without cleaning it: all that ``./dev check`` needs
    (building nh3's cleaner and its output would be a fifth of the check's time per page)."""
    walker = _Walker(mark)
    walker.feed(html)
    walker.close()
    return tuple(walker.removed)


def shown(text: str, limit: int = EXCERPT) -> str:
    """Contributor text safe for one log line: invisible and control characters as escapes."""
    out = []
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"):
            out.append(f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
        else:
            out.append(char)
    text = "".join(out)
    return text if len(text) <= limit else text[:limit - 1] + "…"


_RAW_ATTRIBUTE = r"""(?:^|[\s"'/]){name}\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)"""


def _raw_value(start_tag: str, name: str) -> str:
    """The attribute's value as written (character references unread), for finding its line."""
    found = re.search(_RAW_ATTRIBUTE.format(name=re.escape(name)), start_tag or "", re.I)
    return found.group(1).strip("\"'") if found else ""


class _Walker(HTMLParser):
    """Names what the allowlist removes, reading the HTML as nh3 is given it."""

    def __init__(self, mark: str) -> None:
        super().__init__(convert_charrefs=True)
        self.mark = mark
        self.removed: list[Removal] = []
        self.dropping: tuple[str, int] | None = None  # an element whose content goes with it, its depth

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def handle_endtag(self, tag: str) -> None:
        if self.dropping and tag == self.dropping[0]:
            depth = self.dropping[1] - 1
            self.dropping = (tag, depth) if depth else None

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if self.dropping:
            if tag == self.dropping[0] and not closed:
                self.dropping = (tag, self.dropping[1] + 1)
            return
        raw = self.get_starttag_text() or f"<{tag}>"
        if tag not in ELEMENTS:
            self.removed.append(Removal("element", tag, shown(raw), ((f"<{tag}",),)))
            if tag in CONTENT_DROPPED and not closed:
                self.dropping = (tag, 1)
            return
        for name, value in attrs:
            value = value or ""
            if _kept(tag, name, value, self.mark) is not None:
                continue
            kind = {"href": "link", "src": "image" if tag == "img" else "attribute",
                    "id": "anchor"}.get(name, "attribute") if name in ATTRIBUTES.get(tag, ()) else "attribute"
            written = _raw_value(raw, name)
            needles = ((name, written[:40]), (written[:40],), (name, value[:40]), (value[:40],), (name,))
            text = value if kind in ("link", "image", "anchor") else f'{name}="{value}"'
            self.removed.append(Removal(kind, tag, shown(text), tuple(n for n in needles if all(n))))


#: removal kind → problem code (messages in problems.py)
CODES = {"element": "unsafe_element", "attribute": "unsafe_attribute", "link": "unsafe_link",
         "image": "unsafe_image", "anchor": "reserved_anchor"}
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n.*?\n(?:\.{3}|-{3})[ \t]*\n", re.S)


def body_line(source: str) -> int:
    """The first line of a page's text after its front matter (as MkDocs splits it), 1-based."""
    text = source.lstrip("\ufeff").replace("\r\n", "\n")
    front = _FRONT_MATTER.match(text)
    start = front.group(0).count("\n") if front else 0
    lines = text.split("\n")
    for offset, line in enumerate(lines[start:]):
        if line.strip():
            return start + offset + 1
    return start + 1


def problems(removed: tuple[Removal, ...], path: str, source: str) -> list[Problem]:
    """One problem per removal, at the source line where its text appears (else the body's first line).

    Removals come in page order, so each is looked for from the line of the one before; one
    occurrence in the source stands for one removal. Best effort, and bounded: a page with
    thousands of removals costs a few scans of its text each, never a search per line.
    """
    finder = _Finder(source)
    return [Problem(path, finder.line(removal.needles), CODES[removal.kind],
                    {"element": removal.element, "text": removal.text}) for removal in removed]


class _Finder:
    """Finds each removal's text in the Markdown source, walking forward with the page."""

    TRIES = 16  # occurrences of one text looked at per removal and part of the page

    def __init__(self, source: str) -> None:
        self.text = source.lstrip("\ufeff").replace("\r\n", "\n").lower()
        self.starts = [0] + [index + 1 for index, char in enumerate(self.text) if char == "\n"]
        self.first = body_line(source)
        self.body = self.starts[min(self.first, len(self.starts)) - 1]
        self.cursor = self.body
        self.used: set[tuple[str, int]] = set()

    def line(self, needles) -> int:
        for needle in needles:
            words = [word.lower() for word in needle]
            key = max(words, key=len)  # the rarest word, probably: the others must be on its line
            for start, end in ((self.cursor, len(self.text)), (self.body, self.cursor)):
                found = self._find(key, words, start, end)
                if found is not None:
                    self.used.add((key, found))
                    number = bisect_right(self.starts, found)
                    self.cursor = self.starts[number - 1]
                    return number
        return self.first

    def _find(self, key: str, words: list[str], start: int, end: int) -> int | None:
        position = self.text.find(key, start, end)
        for _ in range(self.TRIES):
            if position < 0:
                return None
            before = self.text[position - 1] if position else " "
            longer = before.isascii() and (before.isalnum() or before in "_:/.\\-")
            # whole, not the end of a longer text (//host in https://host), and not yet taken
            if not longer and (key, position) not in self.used:
                number = bisect_right(self.starts, position)
                line_end = self.starts[number] if number < len(self.starts) else len(self.text)
                if all(word in self.text[self.starts[number - 1]:line_end] for word in words):
                    return position
            position = self.text.find(key, position + 1, end)
        return None
