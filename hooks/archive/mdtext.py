"""Untrusted text shown in Markdown a forge renders: the job summaries of ``./dev check`` and ``./dev diff``.

One definition, so that both summaries escape alike: a title or a file name from a pull
request must read as exactly its text, never as a link, an image, HTML or a mention.
"""
from __future__ import annotations

import re
import unicodedata

#: what an empty cell shows
ABSENT = "—"

#: ASCII punctuation that can begin markup, a link or an image (``[``, ``]``: a parenthesis
#: alone makes nothing), HTML, an entity, math, an emoji code, a table cell or an autolink
#: (``:`` of a scheme) in GitHub's or GitLab's Markdown
_MARKUP = re.compile(r"[\\`*_{}\[\]<>#!|~&$:^]")
#: "www." starts an autolink however it is preceded by markup: its dot is escaped
_WWW = re.compile(r"(?i)(?<=www)\.")
#: bidirectional controls can make a title read as something else (CVE-2021-42574)
_BIDI = dict.fromkeys(map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def cell(value: object) -> str:
    """Untrusted text as Markdown that shows exactly that text, on one line of a table cell.

    Every character with a meaning in GitHub Flavored Markdown (or GitLab's) is backslash-
    escaped; ``@`` is followed by a zero-width space, since neither a mention (which notifies
    people) nor an e-mail autolink is stopped by escaping; line breaks and other control
    characters become spaces and bidirectional controls are dropped.
    """
    text = "".join(" " if unicodedata.category(c) == "Cc" else c for c in str(value)).translate(_BIDI)
    text = _WWW.sub(r"\\.", _MARKUP.sub(lambda m: "\\" + m.group(), text))
    return text.replace("@", "\\@\u200b").strip() or ABSENT
