"""Page bodies from which the HTML allowlist removes nothing, known without rendering them.

``./dev check`` renders every page with Python-Markdown to learn what the allowlist
(:mod:`.sanitize`) would remove: about 2 ms a page, most of a check from scratch (10,000
reports: 20 s of CPU). Most reports are plain text, headings, lists and quoted figures, and
from such text the renderer can only write what the allowlist accepts. This module tells those
bodies apart by what they do *not* contain, so that the check skips their rendering; the
build itself never uses it (it cleans every page), so a mistake here could only make the check
miss a problem the strict build then reports — never let anything onto a page.

What Python-Markdown writes from text with the extensions of :data:`SETUP`, and why each is
accepted: paragraphs, line breaks, emphasis, rules, quotes, lists (an ordered list's ``start``
has at most 4 digits unless a line starts with a longer number), code blocks (a fenced one
could carry a ``language-…`` class: fences are excluded), tables (``align`` left/center/right,
with ``use_align_attribute``), headings with the ``id`` the toc extension derives from their
text and its ``headerlink`` (an id is refused only when it is ``figures`` or starts with
``__``, ``wr-`` or ``metric-``: impossible without ASCII letters or ``_`` in the heading's
NFKD form, as the toc reads it, which then is rendered), and the quoted figures (:func:`.render.quote_figures`, trusted
markup). Everything else needs a character excluded by :data:`NOT_PLAIN`: raw HTML, comments
and autolinks (``<``), links and images (``[``), attribute lists (``{``), admonitions (``!``),
code spans and fences (`````, ``~~~``), collapsible blocks (``???``), tabs (``=== "``), escapes
(``\\``) and the control characters that
Python-Markdown uses for its own placeholders. A test renders many generated bodies to hold
the claim (tests/test_friction.py).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from .prose import QUOTE

#: extension → the options with which its output from plain text is known (any other: render everything)
SETUP: dict[str, tuple[dict, ...]] = {
    "toc": ({}, {"permalink": True}),
    "tables": ({"use_align_attribute": True},),
    "fenced_code": ({},),
    "admonition": ({},),
    "attr_list": ({},),
    "md_in_html": ({},),
    # pymdown-extensions (mkdocs.yml): from plain text, highlight writes an indented code block as
    # <pre><code> still; superfences' fences are excluded with fenced_code's; details (???) and tabbed
    # (=== "title") need text that NOT_PLAIN excludes
    "pymdownx.highlight": ({"use_pygments": False, "css_class": ""},),
    "pymdownx.superfences": ({},),
    "pymdownx.details": ({},),
    "pymdownx.tabbed": ({"alternate_style": True},),
}
NOT_PLAIN = re.compile(r"[<{}\[\]`\\!\x00-\x08\x0b-\x1f\x7f]|~~~|\?\?\?|===[+!]* +\"|\n[ \t>]*\d{5,}[.)]")
_HASH_LINE = re.compile(r"^.*#.*$", re.M)
#: a line under a heading's text (each pattern starts with a newline: a fast scan, not a try at every line)
_UNDERLINE = re.compile(r"\n[ \t>]*(?:=+|-+)[ \t]*(?=\n|$)")
_ID_WORD = re.compile(r"[A-Za-z_]")


def known_setup(extensions: Sequence[str], configs: Mapping[str, Mapping]) -> bool:
    """Whether the configured Markdown extensions and options are the ones this module knows."""
    return all(name in SETUP and dict(configs.get(name) or {}) in SETUP[name] for name in extensions)


def is_plain(body: str) -> bool:
    """Whether rendering ``body`` (a page's Markdown, its ``{{ key }}`` quotes not yet replaced)
    gives only what the allowlist accepts, so that nothing would be removed."""
    text = "\n" + QUOTE.sub("〇", body)
    if NOT_PLAIN.search(text):
        return False
    if "#" in text and any(_id_words(line.group(0)) for line in _HASH_LINE.finditer(text)):
        return False
    for underline in _UNDERLINE.finditer(text):
        if _id_words(text[text.rfind("\n", 0, underline.start()) + 1:underline.start()]):
            return False
    return True


def _id_words(heading: str) -> bool:
    """Whether a heading's anchor could hold letters or ``_``: the toc extension makes it from the
    text's NFKD form (Ｆｉｇｕｒｅｓ becomes figures), so that form is the one looked at."""
    return bool(_ID_WORD.search(unicodedata.normalize("NFKD", heading)))
