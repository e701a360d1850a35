"""The text of a ``.txt`` file whose encoding nobody wrote down, or a refusal when it cannot be told.

Offices save Chinese text as UTF-8 (with or without a byte-order mark), as GBK/GB18030
(Windows' "ANSI" in China) or as UTF-16 ("Unicode" in Notepad, with or without a mark). The
order below never guesses: each step either proves the encoding or hands on to the next.

1. A byte-order mark names the encoding (UTF-8, UTF-16 or UTF-32) and the bytes must decode strictly.
2. Strict UTF-8: Chinese text in another encoding is practically never valid UTF-8.
3. UTF-16 without a mark, told by its zero bytes: UTF-8 and GB18030 text has none, while the
   line breaks, digits and Latin letters of UTF-16 text each carry one, on the odd bytes
   (little-endian) or the even ones (big-endian).
4. Strict GB18030 (a superset of GBK and GB2312).

Then the decoded text is checked. Control characters (other than tabs, line and page breaks)
mean a binary file, whatever decoded. A text decoded without a mark (steps 3 and 4) must also
look like a Chinese report: at most ``MAX_ODD`` of its characters outside the scripts such a
report uses, and — for GB18030 — at least ``MIN_GB2312`` of its Chinese characters in GB2312,
the 6,763 common simplified characters: Big5 or Shift-JIS bytes, or UTF-16 without a line
break, also decode as GB18030, but into rare characters. Anything else is refused with a
request to save the file as UTF-8.

Why by hand: charset-normalizer and chardet *rank* candidate encodings by statistics and
return the best one, even for a few lines where the ranking is close (a short GBK text comes
back as Big5 or cp949 with a high score); this module must refuse when unsure instead, and the
rules above are few enough to test one by one.
"""
from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

#: share of a text decoded without a byte-order mark that may lie outside the expected scripts
MAX_ODD = 0.005
#: share of a GB18030 text's Chinese characters that must be in GB2312 (common simplified characters)
MIN_GB2312 = 0.9
_BOMS = (   # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32LE (BOM)"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32BE (BOM)"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8 (BOM)"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16LE (BOM)"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16BE (BOM)"),
)
_ALLOWED_CONTROLS = frozenset("\t\n\r\x0b\x0c")
#: the blocks a Chinese report's text is written in (ranges of code points, inclusive)
_EXPECTED = (
    (0x0020, 0x007E),   # ASCII
    (0x00A0, 0x024F),   # Latin-1 and Latin Extended (·, ×, é)
    (0x0391, 0x03C9),   # Greek letters (in GB2312)
    (0x0401, 0x0451),   # Cyrillic letters (in GB2312)
    (0x2000, 0x206F),   # general punctuation: “” ‘’ — …
    (0x2100, 0x27BF),   # letterlike, number forms (Ⅰ Ⅱ), arrows, maths, enclosed numbers (① ⑴), boxes, shapes, symbols
    (0x2E80, 0x2FDF),   # CJK radicals
    (0x3000, 0x303F),   # CJK punctuation: 。、「」《》
    (0x3040, 0x30FF),   # kana (in GB2312)
    (0x3100, 0x312F),   # bopomofo (in GB18030)
    (0x3200, 0x33FF),   # enclosed CJK (㈠) and CJK compatibility (㎡)
    (0x3400, 0x4DBF),   # CJK extension A
    (0x4E00, 0x9FFF),   # CJK unified ideographs
    (0xF900, 0xFAFF),   # CJK compatibility ideographs
    (0xFE30, 0xFE4F),   # CJK compatibility forms
    (0xFF00, 0xFFEF),   # full-width forms: ，（）：；
)


@dataclass(frozen=True)
class Decoded:
    """A file's text and the encoding it was read in, as the report's provenance records it."""

    text: str
    encoding: str


def decode_text(data: bytes) -> Decoded | str:
    """The text of ``data``, or the code of the problem that refuses it (``import_binary``, ``import_encoding``)."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return _attempt(data[len(bom):], codec, name, marked=True)
    found = _attempt(data, "utf-8", "UTF-8", marked=True)   # strict UTF-8 is proof enough
    if found != "import_encoding":
        return found
    if 0 in data:
        return _utf16(data)
    found = _attempt(data, "gb18030", "GB18030", marked=False)
    if isinstance(found, Decoded) and not _mostly_gb2312(found.text):
        return "import_encoding"
    return found


def _attempt(data: bytes, codec: str, name: str, marked: bool) -> Decoded | str:
    """The text in ``codec``, checked (see the module's docstring), or the code of the problem."""
    try:
        text = data.decode(codec)    # strict: a wrong guess fails instead of producing U+FFFD
    except UnicodeDecodeError:
        return "import_encoding"
    if any(ord(char) < 0x20 and char not in _ALLOWED_CONTROLS or 0x7F <= ord(char) <= 0x9F for char in text):
        return "import_binary"
    if not marked and _odd_share(text) > MAX_ODD:
        return "import_encoding"
    return Decoded(text, name)


def _utf16(data: bytes) -> Decoded | str:
    """UTF-16 without a mark: the side of its zero bytes tells the byte order; no text either way: binary."""
    if len(data) % 2:
        return "import_binary"
    odd = data[1::2].count(0)
    even = data[0::2].count(0)
    found = (_attempt(data, "utf-16-le", "UTF-16LE", marked=False) if odd > even
             else _attempt(data, "utf-16-be", "UTF-16BE", marked=False))
    return "import_binary" if found == "import_encoding" else found   # zero bytes, and not UTF-16 text


def _expected(char: str) -> bool:
    code = ord(char)
    if char in _ALLOWED_CONTROLS:
        return True
    return any(low <= code <= high for low, high in _EXPECTED) and unicodedata.category(char) not in ("Cn", "Co", "Cs")


def _odd_share(text: str) -> float:
    if not text:
        return 0.0
    odd = sum(1 for char in text if not _expected(char))
    return odd / len(text)


def _mostly_gb2312(text: str) -> bool:
    """True when the Chinese characters are mostly the common simplified ones (see the module's docstring)."""
    chinese = [char for char in text if "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"]
    if not chinese:
        return True
    common = 0
    for char in chinese:
        try:
            char.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common >= MIN_GB2312 * len(chinese)
