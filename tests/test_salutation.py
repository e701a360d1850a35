"""The salutation line (主送机关) of a report's cleaned text gets its class, and nothing else does (archive.salutation)."""
from __future__ import annotations

import pytest

from archive.salutation import CLASS, mark_salutation

TEXT = "\n<h2 id=\"_1\">一、组织收入</h2>\n<p>全年组织税收收入。</p>"


@pytest.mark.parametrize("body, recipient, original, expected", [
    # the original: exactly the recipient and a colon (full-width or not)
    ("<p>区委组织部：</p>" + TEXT, "区委组织部", True, f'<p class="{CLASS}">区委组织部：</p>' + TEXT),
    ("\n<p>区委、区政府:</p>" + TEXT, "区委、区政府", True, f'\n<p class="{CLASS}">区委、区政府:</p>' + TEXT),
    ("<p>区委组织部：</p>", None, True, "<p>区委组织部：</p>"),                    # no recipient: not known
    ("<p>区政府：</p>" + TEXT, "区委组织部", True, "<p>区政府：</p>" + TEXT),         # another addressee
    ("<p>2023年主要工作如下：</p>" + TEXT, "区委组织部", True, "<p>2023年主要工作如下：</p>" + TEXT),
    ("<p>区委组织部</p>" + TEXT, "区委组织部", True, "<p>区委组织部</p>" + TEXT),     # no colon
    ("<h2>区委组织部：</h2>", "区委组织部", True, "<h2>区委组织部：</h2>"),             # not a paragraph
    ("<p><strong>区委组织部：</strong></p>", "区委组织部", True, "<p><strong>区委组织部：</strong></p>"),
    ("<p>全年组织税收收入。</p><p>区委组织部：</p>", "区委组织部", True,
     "<p>全年组织税收收入。</p><p>区委组织部：</p>"),                                  # only the first paragraph
    ("<p>R&amp;D 办公室：</p>", "R&D 办公室", True, f'<p class="{CLASS}">R&amp;D 办公室：</p>'),  # as escaped
    # a translation: one short line ending with a colon, no sentence
    ("<p>To the District Government:</p>" + TEXT, "区政府", False,
     f'<p class="{CLASS}">To the District Government:</p>' + TEXT),
    ("<p>Our work in 2023 is summarised as follows. In short:</p>", "区政府", False,
     "<p>Our work in 2023 is summarised as follows. In short:</p>"),
    ("<p>" + "Very long line " * 6 + ":</p>", "区政府", False, "<p>" + "Very long line " * 6 + ":</p>"),
    ("<p>To the District Government:</p>", None, False, "<p>To the District Government:</p>"),
])
def test_the_first_paragraph_is_marked_when_it_is_the_salutation(body, recipient, original, expected):
    assert mark_salutation(body, recipient, original) == expected
