"""The salutation line of a report (主送机关: "区委组织部："), marked so that it prints flush left.

GB/T 9704-2012 §7.3.2 puts the addressee (主送机关) under the title, flush left (顶格), while every
paragraph of the text is indented two characters. A report keeps that line as the first paragraph
of its text (``./dev import`` leaves it there, with the ``recipient`` in the front matter), so the
page must tell it apart from the text to print it without the indent: the first paragraph gets the
class ``wr-salutation`` (docs/stylesheets/archive-print.css). It is added after the sanitizer has
cleaned the text, by the archive's own code: a contributor cannot write the class.

Which paragraph is the salutation: in the original, the first paragraph when it is the report's
``recipient`` followed by a colon (as written: ``区委组织部：``); in a translation, whose words are
not the recipient's, the first paragraph when the report has a recipient and the paragraph is one
short line ending with a colon and holding no sentence ("To the District Government:"). A report
whose text starts otherwise is left as it is.
"""
from __future__ import annotations

import re
from html import unescape

CLASS = "wr-salutation"
#: the first paragraph of the cleaned text, with no markup inside (a salutation is plain words)
_FIRST = re.compile(r"\A(\s*)<p>([^<]{1,200})</p>")
_COLONS = ("：", ":")
_SENTENCE = re.compile(r"[。！？；.!?;]")
LONGEST = 80  # characters of a translated salutation line: longer is a sentence of the text


def is_salutation(text: str, recipient: str | None, original: bool) -> bool:
    """Whether a first paragraph's text is the report's salutation line (see the module's docstring)."""
    text = text.strip()
    if not recipient or not text.endswith(_COLONS):
        return False
    if original:
        return text[:-1].strip() == recipient.strip()
    return len(text) <= LONGEST and "\n" not in text and not _SENTENCE.search(text[:-1])


def mark_salutation(body: str, recipient: str | None, original: bool) -> str:
    """The cleaned text with its salutation paragraph (if it starts with one) given ``class="wr-salutation"``."""
    first = _FIRST.match(body)
    if not first or not is_salutation(unescape(first.group(2)), recipient, original):
        return body
    return f'{first.group(1)}<p class="{CLASS}">{first.group(2)}</p>{body[first.end():]}'
