"""From the text of a 公文 (a .txt's lines, a .docx's paragraphs) to a report's Markdown and figures.

Used by ``./dev import`` (:mod:`.importing`); plain functions of text, so that each rule is
tested on its own. The decisions, in the order they are taken:

- *Cleaning*: zero-width characters (U+200B–U+200D, U+FEFF, U+2060, the soft hyphen) go;
  indentation (full-width U+3000, no-break and other spaces, tabs) and trailing spaces go.
- *Title and addressee*: the addressee is a short line ending in a colon (``区委组织部：``)
  among the first four lines; the lines before it are the title (a title may take two
  lines). Without one, the first line is the title (a .docx's paragraph styled as the title
  wins) — unless it does not look like one (long, or a sentence), which is reported. The
  addressee becomes ``recipient`` and stays the body's first line, as in the sample reports.
- *Headings* by their 公文 numbering, kept in the heading text as the sample reports keep it:
  ``一、`` → ``##``, ``（一）`` → ``###``, ``1.``/``1．``/``1、`` → ``####``, ``（1）`` → ``#####``.
  A numbered line that goes on after its first sentence is a run-in heading (``（一）党建领航，
  强化引领。坚持……``): the first sentence, without its 。, is the heading and the rest a
  paragraph. A numbered line whose first sentence is longer than ``HEADING_MAX`` characters or
  holds a masked figure is a numbered paragraph, not a heading. In a .docx, a paragraph with a
  heading style or outline level and no numbering is a heading too, its level from the style.
- *Paragraphs*: a line that does not end a sentence (。！？；：… before any closing quote or
  bracket) is joined with the next one when it is at least ``JOIN_MIN`` characters long —
  a line the editor wrapped fills its width, while a signature, a date or a two-line title
  is short — and the next is not a heading or a date.
- *Masked figures*: ``**`` directly before a unit of measure (the check's list,
  :data:`.prose.MASKED_UNIT`) is a figure. It becomes ``{{ key }}`` and its unit goes
  from the text: a quote shows the figure with its metric's unit (:func:`.render.quote_figures`).
  Other ``**`` mask names (``**青年论坛``) and are escaped, ``\\*\\*``, and reported.
- *Which metric*: see :func:`assign`.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from datetime import date as Date

from .formatting import MONEY_SCALE
from .prose import MASKED_UNIT
from .vocabulary import Vocabulary

ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u2060\u00ad"), None)
#: removed from both ends of a line: indentation and trailing spaces
BLANKS = " \t\u3000\u00a0\u2002\u2003\u2009\u200a\u202f\u205f\x0b\x0c"
PARAGRAPH_END = "。！？；：…!?;:"
SENTENCE_END = "。！？!?"
CLOSERS = "”’」』）)》〉】"
CLAUSE = "，、：；,;:" + SENTENCE_END
HEADING_MAX = 40      # characters of a heading; the seed's longest is 23
TITLE_MAX = 60
ADDRESSEE_MAX = 30
JOIN_MIN = 15
CONNECTIVE = 2        # characters between two figures that join them (降至, 和) rather than name the second
CONTEXT = 15          # characters quoted before a figure in comments and messages
WINDOW = (30, 20)     # characters before and after a figure read to tell its metric
MARKERS = (
    (2, re.compile(r"[一二三四五六七八九十百零〇]{1,4}、")),
    (3, re.compile(r"[（(][一二三四五六七八九十百零〇]{1,4}[）)]")),
    (4, re.compile(r"\d{1,3}(?:[.．](?!\d)|、)")),
    (5, re.compile(r"[（(]\d{1,3}[）)]")),
)
DATE_LINE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
STARS = re.compile(r"\*{2,}")
_CJK = re.compile(r"[\u3400-\u9fff]")
#: people are counted in 人 or 名 alike (formatting.UNITS: both "people")
_SAME_UNITS = ({"人", "名"},)


@dataclass(frozen=True)
class SourceLine:
    """A line of a .txt, or a paragraph or table of a .docx, with where it was."""

    text: str
    line: int                                      # line of the .txt; paragraph of the .docx
    level: int | None = None                       # heading level by the .docx's style (1 = top)
    title: bool = False                            # styled as the document's title
    rows: tuple[tuple[str, ...], ...] | None = None   # a simple table's cells
    notes: tuple[str, ...] = ()                    # what the reader could not take: problem codes


@dataclass
class Figure:
    """A masked figure of the text and the metric it was given."""

    line: int
    unit: str                   # as written after the **: 亿元, 万人次, %
    context: str                # the text just before it, for the comment and the messages
    window: str                 # the words around it that may name its metric
    key: str = ""               # a metric of the template, or figure_01…
    candidates: tuple[str, ...] = ()   # the metrics that fit equally well, when undecided


@dataclass(frozen=True)
class Undecided:
    """What the conversion could not decide, for ``path:line: what — fix``."""

    line: int
    code: str
    args: dict[str, object] = field(default_factory=dict)


@dataclass
class Converted:
    title: str | None
    recipient: str | None
    body: str
    figures: list[Figure]
    undecided: list[Undecided]
    masked_names: int = 0


@dataclass
class _Block:
    kind: str                                    # heading, text, table
    parts: list[tuple[str, int]] = field(default_factory=list)   # (text, source line)
    level: int = 0
    rows: tuple[tuple[str, ...], ...] = ()
    line: int = 0

    @property
    def text(self) -> str:
        return "".join(part for part, _ in self.parts)


def clean(text: str) -> str:
    """A line without zero-width characters, indentation or trailing spaces."""
    return text.translate(ZERO_WIDTH).strip(BLANKS)


def count_masks(texts) -> int:
    """How many ``**`` runs the texts hold (``./dev import`` caps them before converting)."""
    return sum(len(STARS.findall(text)) for text in texts)


def heading(text: str) -> tuple[int, str, str] | None:
    """(Markdown level, heading, rest of the line) for a line starting with 公文 numbering, else None."""
    for level, marker in MARKERS:
        found = marker.match(text)
        if found:
            break
    else:
        return None
    ends = [text.find(mark) for mark in SENTENCE_END if mark in text]
    cut = min(ends) if ends else len(text)
    head, rest = text[:cut].rstrip(BLANKS), text[cut + 1:].strip(BLANKS)
    if len(head) <= found.end() or len(head) > HEADING_MAX or _masked_figure(head):
        return None
    return level, head, rest


def _masked_figure(text: str) -> bool:
    return any(MASKED_UNIT.match(text, run.end()) for run in STARS.finditer(text))


def addressee(text: str) -> str | None:
    """``区委组织部`` for the line ``区委组织部：``: short, ending in a colon, not a sentence."""
    if not text.endswith(("：", ":")):
        return None
    name = text[:-1].strip(BLANKS)
    if not 2 <= len(name) <= ADDRESSEE_MAX or any(mark in name for mark in "。，；！？,;!?：:") or heading(text):
        return None
    return name


def _title_like(text: str) -> bool:
    return (0 < len(text) <= TITLE_MAX and not any(mark in text for mark in SENTENCE_END + "；;")
            and heading(text) is None and addressee(text) is None)


def _joins(previous: str, following: str) -> bool:
    """Whether ``following`` continues the paragraph whose last line is ``previous`` (see the module's docstring)."""
    end = previous.rstrip(CLOSERS)
    return (len(previous) >= JOIN_MIN and bool(end) and end[-1] not in PARAGRAPH_END
            and not DATE_LINE.fullmatch(following))


def convert(lines: list[SourceLine], vocab: Vocabulary, template: str, text_lang: str) -> Converted:
    """The body in Markdown, the title, the addressee and the figures with their metrics."""
    lines = [replace(line, text=clean(line.text),
                     rows=tuple(tuple(clean(cell) for cell in row) for row in line.rows) if line.rows else line.rows)
             for line in lines]
    undecided: list[Undecided] = []
    present = [index for index, line in enumerate(lines) if line.text or line.rows]
    title, recipient, skip = _head(lines, present[:4], undecided)
    blocks = _blocks(lines, skip, undecided)
    figures: list[Figure] = []
    names = 0
    rendered = []
    for block in blocks:
        if block.kind == "table":
            out, found, masked = _table(block)
        else:
            out, found, masked = _piece(block.parts, "", first=block.kind == "text")
            if block.kind == "heading":
                out = [("raw", "#" * block.level + " ")] + out
        rendered.append(out)
        figures += found
        names += len(masked)
        undecided += [Undecided(line, "import_masked_name", {"context": context}) for line, context in masked]
    assign(figures, vocab, template, text_lang)
    body = "\n\n".join(_quoted(out) for out in rendered)
    tail = [lines[index] for index in present[-3:]]
    for line in tail:
        found = DATE_LINE.fullmatch(line.text)
        if found:
            try:
                issued = Date(*map(int, found.groups())).isoformat()
            except ValueError:
                continue
            undecided.append(Undecided(line.line, "import_date", {"text": line.text, "date": issued}))
    undecided.sort(key=lambda item: item.line)
    return Converted(title, recipient, body, figures, undecided, names)


def _head(lines: list[SourceLine], first: list[int], undecided: list[Undecided]) -> tuple[str | None, str | None, set[int]]:
    """The title, the addressee and the lines the title takes (see the module's docstring)."""
    texts = [lines[index].text for index in first]
    found = next((position for position, text in enumerate(texts) if addressee(text) and not lines[first[position]].rows), None)
    recipient = addressee(texts[found]) if found is not None else None
    styled = next((index for index in first if lines[index].title), None)
    if found:
        taken = first[:found]
    elif styled is not None:
        taken = [styled]
    else:
        taken = first[:1] if first and found is None else []
    title = "".join(lines[index].text for index in taken)
    if taken and _title_like(title) and not any(lines[index].rows for index in taken):
        return title, recipient, set(taken)
    if first:
        undecided.append(Undecided(lines[first[0]].line, "import_title", {"text": lines[first[0]].text[:TITLE_MAX]}))
    return None, recipient, set()


def _blocks(lines: list[SourceLine], skip: set[int], undecided: list[Undecided]) -> list[_Block]:
    """Headings, paragraphs (lines joined) and tables, in order."""
    top = min((line.level for line in lines if line.level is not None and line.text), default=1)   # → ##
    blocks: list[_Block] = []
    current: _Block | None = None
    last = ""
    numbered = False
    for index, line in enumerate(lines):
        for code in line.notes:
            if code != "import_numbering" or not numbered:
                undecided.append(Undecided(line.line, code))
        numbered = "import_numbering" in line.notes
        if index in skip:
            continue
        if line.rows:
            current = None
            blocks.append(_Block("table", rows=line.rows, line=line.line))
            continue
        if not line.text:
            current = None
            continue
        split = heading(line.text) if not line.title else None
        if split or line.level is not None:
            level, head, rest = split or (min(6, 2 + line.level - top), line.text, "")
            blocks.append(_Block("heading", [(head, line.line)], level=level, line=line.line))
            current = _Block("text", [(rest, line.line)], line=line.line) if rest else None
            if current:
                blocks.append(current)
            last = rest
            continue
        if current is not None and _joins(last, line.text) and not addressee(line.text):
            glue = " " if last[-1:].isascii() and last[-1:].isalnum() and line.text[:1].isascii() and line.text[:1].isalnum() else ""
            current.parts.append((glue + line.text, line.line))
        else:
            current = _Block("text", [(line.text, line.line)], line=line.line)
            blocks.append(current)
        last = line.text
        if addressee(line.text) or DATE_LINE.fullmatch(line.text):
            current = None     # a line of its own
    return blocks


# ---- figures -----------------------------------------------------------------------------------

def _piece(parts: list[tuple[str, int]], lead: str, first: bool) -> tuple[list, list[Figure], list[tuple[int, str]]]:
    """One heading, paragraph or table cell as tokens: text, figures, masked names.

    ``lead``: words that name what the piece is about (a table's row and column headings).
    Returns the tokens (rendered by :func:`_quoted` once the figures have keys), the figures
    and the masked names as (line, context).
    """
    text = "".join(part for part, _ in parts)
    offsets, lines, offset = [], [], 0
    for part, line in parts:
        offsets.append(offset)
        lines.append(line)
        offset += len(part)

    def line_at(position: int) -> int:
        return lines[max(0, bisect.bisect_right(offsets, position) - 1)] if lines else 0

    runs = []
    for run in STARS.finditer(text):
        unit = MASKED_UNIT.match(text, run.end())
        runs.append((run.start(), unit.end() if unit else run.end(), unit.group(0) if unit else None))
    tokens: list = []
    figures: list[Figure] = []
    masked: list[tuple[int, str]] = []
    last, previous_end, previous_before = 0, 0, ""
    for position, (start, end, unit) in enumerate(runs):
        if start > last:
            tokens.append(text[last:start])
        context = _one_line(text[max(0, start - CONTEXT):end])
        if unit is None:
            tokens.append(("name", end - start))
            masked.append((line_at(start), _one_line(text[max(0, start - CONTEXT):end + 6])))
        else:
            sentence = max(text.rfind(mark, 0, start) for mark in SENTENCE_END) + 1
            low = max(previous_end, sentence)
            before = _plain(text[low:start])
            if low == previous_end and previous_before:    # right after another figure, in the same sentence
                if not _CJK.search(before):
                    before = previous_before              # **户**亿元: named by the same words
                elif len(before) <= CONNECTIVE and not any(mark in before for mark in CLAUSE):
                    before = previous_before + before     # 由**岁降至**岁: the same words and a connective
            following = [other for other, _, kind in runs[position + 1:] if kind is not None]
            stop = min([len(text), end + WINDOW[1]] + following[:1]
                       + [found for found in (text.find(mark, end) for mark in CLAUSE) if found != -1])
            window = (lead + before)[-WINDOW[0]:] + "\0" + _plain(text[end:stop])
            figure = Figure(line_at(start), "%" if unit == "％" else unit, context, window)
            figures.append(figure)
            tokens.append(("figure", figure))
            previous_end, previous_before = end, before
        last = end
    if last < len(text):
        tokens.append(text[last:])
    if first:
        tokens.insert(0, ("start",))
    return tokens, figures, masked


def _plain(text: str) -> str:
    """Words only: masks and the figures' units taken out."""
    return STARS.sub("\0", text)


def _one_line(text: str) -> str:
    return "".join(" " if ord(char) < 0x20 else char for char in text).strip()


def _table(block: _Block) -> tuple[list, list[Figure], list[tuple[int, str]]]:
    """A simple table as a Markdown table; its figures are named by the row's and the column's headings."""
    width = max(len(row) for row in block.rows)
    rows = [row + ("",) * (width - len(row)) for row in block.rows]
    cells: list[list[list]] = []
    figures: list[Figure] = []
    masked: list[tuple[int, str]] = []
    for number, row in enumerate(rows):
        cells.append([])
        for column, cell in enumerate(row):
            lead = (rows[0][column] if number else "") + (row[0] if column else "")
            tokens, found, names = _piece([(cell, block.line)], lead, first=False)
            cells[-1].append(tokens)
            figures += found
            masked += names
    return [("table", cells)], figures, masked


def _quoted(tokens: list, cell: bool = False) -> str:
    """The Markdown of a piece's tokens: text escaped, figures quoted, masks escaped."""
    out: list[str] = []
    start = False
    for token in tokens:
        if isinstance(token, str):
            written = escape(token).replace("|", "\\|") if cell else escape(token)
            out.append(escape_start(written) if start else written)
            start = False
        elif token[0] == "start":
            start = True
        elif token[0] == "raw":
            out.append(token[1])
        elif token[0] == "figure":
            out.append(f"{{{{ {token[1].key} }}}}")
            start = False
        elif token[0] == "name":
            out.append("\\*" * token[1])
            start = False
        elif token[0] == "table":
            rows = ["| " + " | ".join(_quoted(tokens, cell=True) for tokens in row) + " |" for row in token[1]]
            out.append("\n".join(rows[:1] + ["|" + "---|" * len(token[1][0])] + rows[1:]))
    return "".join(out)


_ESCAPED = str.maketrans({"\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]",
                          "{": "\\{", "}": "\\}", "#": "\\#", "&": "&amp;", "<": "&lt;"})


def escape(text: str) -> str:
    """Plain text for Markdown: nothing in it is read as markup, HTML, a quote ({{ }}) or attributes ({ })."""
    return text.translate(_ESCAPED)


def escape_start(text: str) -> str:
    """What a paragraph's start would make a list, a quote, a rule, a fence or an admonition."""
    numbered = re.match(r"(\d+)([.)])", text)
    if numbered:
        return numbered.group(1) + "\\" + text[numbered.end(1):]
    return "\\" + text if text[:1] in ">+-=!~|" else text


# ---- which metric ------------------------------------------------------------------------------

def compatible(written: str, unit: str) -> bool:
    """Whether a figure written with ``written`` (亿元, 万人次, 人) can be a metric counted in ``unit``."""
    if written == unit or (written in MONEY_SCALE and unit in MONEY_SCALE):
        return True
    base = written[1:] if written[:1] in "万亿千百" and written not in MONEY_SCALE else written
    return base == unit or any({base, unit} <= same for same in _SAME_UNITS)


def common_length(label: str, window: str) -> int:
    """The longest common subsequence of a label and a window: a label written out (税收收入) or
    abbreviated (公财收入 for 公共财政收入 — Chinese abbreviations keep the name's characters
    in order) counts its characters in the window."""
    previous = [0] * (len(window) + 1)
    for char in label:
        current = [0]
        for position, other in enumerate(window):
            current.append(previous[position] + 1 if char == other else max(previous[position + 1], current[position]))
        previous = current
    return previous[-1]


def assign(figures: list[Figure], vocab: Vocabulary, template: str, text_lang: str) -> None:
    """Give each figure a metric of the template, or ``figure_01``… when that cannot be decided.

    A metric fits a figure when its unit is compatible and at least half of its label, and two
    characters, are found in order in the words before the figure (back to the sentence's start
    or the figure before it; a figure directly after another shares that one's words) and after
    it (to the clause's end: ``**名干部备考“三师”``). Fits are ranked by the characters found,
    then by the share of the label they make. From the best down, a figure takes a metric when
    neither has another fit of the same rank left; when they have (two figures named by the same
    words, as 由**岁降至**岁, or one figure fitting two metrics equally), that figure is left
    undecided and the metric is taken by neither. Each metric is quoted once.
    """
    chosen = vocab.templates[template]
    scored: dict[tuple[int, float], list[tuple[int, str]]] = {}
    for index, figure in enumerate(figures):
        for key in chosen.metrics:
            definition = vocab.metrics[key]
            label = definition.label(text_lang)
            if not label or not compatible(figure.unit, definition.unit):
                continue
            found = common_length(label, figure.window)
            if found >= 2 and 2 * found >= len(label):
                scored.setdefault((found, found / len(label)), []).append((index, key))
    done: set[int] = set()
    taken: set[str] = set()
    best: dict[int, list[str]] = {}
    for rank in sorted(scored, reverse=True):
        fits = [(index, key) for index, key in scored[rank] if index not in done and key not in taken]
        for index, key in fits:
            best.setdefault(index, []).append(key)
        by_figure: dict[int, int] = {}
        by_metric: dict[str, int] = {}
        for index, key in fits:
            by_figure[index] = by_figure.get(index, 0) + 1
            by_metric[key] = by_metric.get(key, 0) + 1
        for index, key in fits:
            if by_figure[index] == 1 and by_metric[key] == 1:
                figures[index].key = key
            else:
                figures[index].candidates = tuple(best[index])
        done |= {index for index, _ in fits}
        taken |= {key for _, key in fits}
    width = max(2, len(str(len(figures))))
    number = 0
    for figure in figures:
        if not figure.key:
            number += 1
            while f"figure_{number:0{width}d}" in vocab.metrics:
                number += 1
            figure.key = f"figure_{number:0{width}d}"
