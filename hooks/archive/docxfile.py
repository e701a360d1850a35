"""The paragraphs and tables of a Word (.docx) file, from Word or WPS, as ``./dev import`` reads them.

python-docx (pinned in requirements.txt) opens the package: the zip, its relationships, the
main document and the styles, parsed by lxml without resolving entities. The text of each
paragraph is then read from its XML here rather than with ``Paragraph.text``, because that
property leaves out text a document really shows — runs inside tracked insertions
(``w:ins``), content controls (``w:sdt``) and fields' results — and would repeat the text
of a drawing's fallback (``mc:Fallback``) if it read deeper. Deleted text (``w:del``), field
codes and the fallbacks are skipped; pictures and text boxes are not imported and are named.

A paragraph is a heading when its outline level, or its style's (following ``basedOn``), says
so, or its style is named ``Heading N``/``标题 N`` — WPS files name their heading styles so
too, with numeric style ids (``w:styleId="2"`` for ``heading 1``), which is why the id is
never read as a level. The document's own limits come first: the file is a zip of at most
``MAX_MEMBERS`` entries that unpack to at most ``MAX_UNPACKED`` bytes (a zip bomb is refused
before anything is unpacked: a member cannot yield more than its declared size), with a
``word/document.xml``.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from .conversion import SourceLine

MAX_UNPACKED = 64 * 1024 * 1024
MAX_MEMBERS = 5000
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
#: never read for text: deletions, field codes, properties, a drawing's duplicate fallback, footnote marks
_SKIPPED = {W + "del", W + "moveFrom", W + "delText", W + "instrText", W + "pPr", W + "rPr", W + "tblPr",
            W + "tcPr", W + "trPr", W + "sectPr", MC + "Fallback", W + "footnoteReference", W + "endnoteReference"}
_PICTURES = {W + "drawing", W + "pict", W + "object"}
_HEADING_NAME = re.compile(r"(?:heading|标题)\s*([1-9])", re.I)
_TITLE_NAME = re.compile(r"(?:title|标题)", re.I)


@dataclass(frozen=True)
class Refusal:
    """Why the file cannot be read: a problem code and its arguments."""

    code: str
    args: dict


def read_docx(data: bytes) -> list[SourceLine] | Refusal:
    """Every paragraph and table of the document's body, in order, numbered from 1."""
    refused = _check_zip(data)
    if refused:
        return refused
    import docx   # imported here: only ./dev import needs it
    try:
        document = docx.Document(io.BytesIO(data))
        return _lines(document.element.body, document.styles.element)
    except Exception as error:  # noqa: BLE001 - any failure on an untrusted file is this refusal, never a traceback
        return Refusal("import_docx_invalid", {"detail": {"zh": f"无法读取（{type(error).__name__}）",
                                                          "en": f"it cannot be read ({type(error).__name__})"}})


def _lines(body, styles_element) -> list[SourceLine]:
    if body is None:
        return []
    styles = {style.get(W + "styleId"): style for style in styles_element.iterchildren(W + "style")}
    lines: list[SourceLine] = []
    for number, element in enumerate(_blocks(body), start=1):
        if element.tag == W + "tbl":
            lines += _table(element, number)
        else:
            text, notes = paragraph_text(element)
            level, title, numbered = _style(element, styles)
            if numbered and text.strip():
                notes += ("import_numbering",)
            lines.append(SourceLine(text, number, level, title, notes=notes))
    return lines


def _check_zip(data: bytes) -> Refusal | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return Refusal("import_docx_invalid", {"detail": {"zh": "它不是 zip 格式（.docx 是 zip 压缩包；旧的 .doc 不是）",
                                                          "en": "it is not a zip archive (a .docx is one; an old .doc is not)"}})
    size = sum(member.file_size for member in members)
    if len(members) > MAX_MEMBERS or size > MAX_UNPACKED:
        return Refusal("import_docx_too_large", {"size": size, "limit": MAX_UNPACKED})
    if "word/document.xml" not in {member.filename for member in members}:
        return Refusal("import_docx_invalid", {"detail": {"zh": "压缩包中没有 word/document.xml",
                                                          "en": "the archive has no word/document.xml"}})
    return None


def _blocks(body):
    """The body's paragraphs and tables in order, content controls and custom XML opened."""
    stack = list(reversed(list(body)))
    while stack:
        element = stack.pop()
        if element.tag in (W + "p", W + "tbl"):
            yield element
        elif element.tag in (W + "sdt", W + "sdtContent", W + "customXml"):
            stack += reversed([child for child in element if child.tag != W + "sdtPr"])


def paragraph_text(paragraph) -> tuple[str, tuple[str, ...]]:
    """The text a paragraph shows (line breaks as newlines) and what in it was not taken (problem codes)."""
    parts: list[str] = []
    notes: list[str] = []
    stack = [paragraph]
    while stack:
        element = stack.pop()
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue          # comments and processing instructions have no string tag
        if tag == W + "t":
            parts.append(element.text or "")
        elif tag == W + "tab":
            parts.append("\t")
        elif tag in (W + "br", W + "cr"):
            parts.append("\n")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
        elif tag in _PICTURES:
            boxed = any(True for _ in element.iter(W + "txbxContent"))
            notes.append("import_textbox" if boxed else "import_image")
        elif tag == W + "txbxContent":
            notes.append("import_textbox")
        else:
            stack += reversed(list(element))
    return "".join(parts), tuple(dict.fromkeys(notes))


def _style(paragraph, styles: dict) -> tuple[int | None, bool, bool]:
    """(heading level or None, styled as the title, numbered by Word) of a paragraph."""
    properties = paragraph.find(W + "pPr")
    outline, style_id, numbered = None, None, False
    if properties is not None:
        outline = _outline(properties)
        found = properties.find(W + "pStyle")
        style_id = found.get(W + "val") if found is not None else None
        numbered = _numbered(properties)
    seen: list[str] = []
    title = False
    level_by_name = None
    while style_id and style_id in styles and style_id not in seen and len(seen) < 10:   # basedOn may loop
        seen.append(style_id)
        style = styles[style_id]
        name_element = style.find(W + "name")
        name = ((name_element.get(W + "val") if name_element is not None else "") or "").strip()
        named = _HEADING_NAME.fullmatch(name)
        if level_by_name is None and named:
            level_by_name = int(named.group(1))
        if len(seen) == 1 and _TITLE_NAME.fullmatch(name):   # the paragraph's own style, not one it is based on
            title = True
        style_properties = style.find(W + "pPr")
        if style_properties is not None:
            if outline is None:
                outline = _outline(style_properties)
            numbered = numbered or _numbered(style_properties)
        based = style.find(W + "basedOn")
        style_id = based.get(W + "val") if based is not None else None
    if title:
        return None, True, numbered
    if outline is not None:
        return (outline + 1 if outline < 9 else None), False, numbered
    return level_by_name, False, numbered


def _outline(properties) -> int | None:
    found = properties.find(W + "outlineLvl")
    value = found.get(W + "val") if found is not None else None
    return int(value) if value is not None and value.isdigit() else None


def _numbered(properties) -> bool:
    numbering = properties.find(W + "numPr")
    if numbering is None:
        return False
    number = numbering.find(W + "numId")
    return number is not None and number.get(W + "val") not in (None, "0")


def _table(table, number: int) -> list[SourceLine]:
    """A simple table (no merged cells, no table inside) as rows of cells; else its rows as paragraphs, noted."""
    rows: list[tuple[str, ...]] = []
    simple = True
    for row in table.iterchildren(W + "tr"):
        cells = []
        for cell in row.iterchildren(W + "tc"):
            properties = cell.find(W + "tcPr")
            if properties is not None and (properties.find(W + "vMerge") is not None or _span(properties) > 1):
                simple = False
            if any(True for _ in cell.iter(W + "tbl")):
                simple = False
            cells.append("\n".join(paragraph_text(paragraph)[0] for paragraph in cell.iter(W + "p")))
        rows.append(tuple(cells))
    if not rows or not any(any(cell.strip() for cell in row) for row in rows):
        return []
    if simple and len({len(row) for row in rows}) == 1:
        return [SourceLine("", number, rows=tuple(tuple(cell.replace("\n", " ") for cell in row) for row in rows))]
    lines = [SourceLine("", number, notes=("import_table",))]
    for row in rows:   # each row a paragraph of its own: a blank line after it
        lines += [SourceLine(" | ".join(cell.replace("\n", " ") for cell in row if cell.strip()), number), SourceLine("", number)]
    return lines


def _span(properties) -> int:
    span = properties.find(W + "gridSpan")
    value = span.get(W + "val") if span is not None else None
    return int(value) if value is not None and value.isdigit() else 1
