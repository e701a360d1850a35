"""The rules of a report's text (the Markdown after its front matter), each reported at its line.

The contributor guide states them, and the offices' own documents break them in the same few
ways when they are converted (issue 10): a figure is quoted as ``{{ key }}``, never typed in
digits (``退税268户``: the site would not format it, the figures page would not know it, and a
public build could not mask it) nor masked (``**亿元``), and a quote is not followed by the unit
the site already writes (``{{ refund_households }}户`` shows ``268户户``); the title is the front
matter's, so the text has no ``# 标题`` line; and reports use no bold or italics (a ``*`` that
masked a character of the original turns the text between two of them into italics).

What counts as code (shown verbatim, so never checked) is defined once, here: a fenced block
(:data:`FENCE`), used by the checks and by :func:`.render.quote_figures` alike. Whether text is
bold or italic is Python-Markdown's decision, not ours: a line that could hold emphasis is
rendered alone (rare: most lines have no ``*`` or ``_``) and the ``<strong>``/``<em>`` in its
HTML are the ones the page would show.
"""
from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation

import markdown

from .formatting import MONEY_SCALE, UNITS, Number, format_value
from .vocabulary import Vocabulary, nearest

#: a fenced code block, ``` or ~~~ to the same fence: Markdown shows it verbatim
FENCE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[ \t]*$", re.M | re.S)
#: a quoted figure, ``{{ key }}``
QUOTE = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
_UNIT_WORDS = sorted(set(UNITS) | {"％"}, key=len, reverse=True)
#: the unit of measure after a masked figure (**亿元, **人次; **万人: a scale, then a unit): one list for the
#: check below and for ./dev import (importing.py), which turns such a figure into a quote
MASKED_UNIT = re.compile(r"(?:[万亿千百])?(?:" + "|".join(map(re.escape, _UNIT_WORDS)) + r")")
#: a figure masked as published reports mask them: ``**亿元``, ``**户**亿元``
MASKED = re.compile(r"(?:\*\*" + MASKED_UNIT.pattern + r")+")

#: money written at a scale the site also writes (format_value picks the largest one reached)
ZH_MONEY_WORDS = {"万亿元": 10**12, "亿元": 10**8, "万元": 10**4, "元": 1}
EN_MONEY_WORDS = {"trillion yuan": 10**12, "billion yuan": 10**9, "million yuan": 10**6, "yuan": 1}
#: the unit words a figure may be written with, longest first so that 人次 is not read as 人
_ZH_WRITTEN = sorted(set(UNITS) | set(ZH_MONEY_WORDS) | {"％"}, key=len, reverse=True)
_EN_WRITTEN = sorted({name for name in UNITS.values() if name and not any(c.isdigit() for c in name)
                      and name != "%"} | set(EN_MONEY_WORDS), key=len, reverse=True)
#: the unit written right after a number or a quote
WRITTEN_UNIT = re.compile(r"[ \t]*(?:(?P<zh>" + "|".join(map(re.escape, _ZH_WRITTEN)) + r")|(?P<en>"
                          + "|".join(map(re.escape, _EN_WRITTEN)) + r")(?![A-Za-z-]))")
#: a number as a report types it: 268, 1,234, 14.73 — not a part of a longer token, not an ordinal (第12期)
TYPED_NUMBER = re.compile(r"(?<![\d.,_A-Za-z第])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")
_EMPHASIS_TAG = re.compile(r"<(/?)(strong|em|b|i)>")
_TAG = re.compile(r"<[^>]*>")
_INLINE_CODE = re.compile(r"(`+).+?\1")
EXCERPT = 40

Add = Callable[..., None]


def outside_code(body: str, change) -> str:
    """Apply ``change`` to the text outside fenced code blocks, which Markdown shows verbatim."""
    if "```" not in body and "~~~" not in body:
        return change(body)
    parts, last = [], 0
    for match in FENCE.finditer(body):
        parts.append(change(body[last:match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(change(body[last:]))
    return "".join(parts)


def code_free(body: str) -> str:
    """The body with each fenced code block's lines emptied, so that line numbers stay."""
    if "```" not in body and "~~~" not in body:
        return body
    return FENCE.sub(lambda match: "\n" * match.group(0).count("\n"), body)


def check_text(body: str, first_line: int, quotable: set[str], vocab: Vocabulary,
               values: Mapping[str, Number], add: Add) -> None:
    """Every problem of a report's text: ``add(code, line, **args)`` for each, in line order.

    ``quotable``: the metrics the report gives (a quote of any other is undefined);
    ``values``: the figures with a valid value, which the text must quote instead of typing.
    Each rule is one pass of a pattern over the whole text (a check of 10,000 reports reads
    every line of every one), the line found from the match's position.
    """
    text = code_free(body)
    starts = [0] + [match.end() for match in _NEWLINE.finditer(text)]
    found: list[tuple[int, int, int, str, dict]] = []   # (line, rule, order, code, args): sorted

    def put(position: int, code: str, **args: object) -> None:
        found.append((bisect_right(starts, position), RULES.index(code), len(found), code, args))

    for match in QUOTE.finditer(text):
        _quote(match, quotable, vocab, put)
    masked = [match.span() for match in MASKED.finditer(text)] if "**" in text else []  # (the scan costs more)
    for start, end in masked:
        put(start, "masked_figure", text=text[start:end])
    for match in _H1_LINE.finditer(text) if "#" in text else ():
        put(match.start(), "body_title", text=_excerpt(match.group(1).strip("# \t")))
    for match in _SETEXT_UNDERLINE.finditer(text):   # a paragraph's first line over a line of =
        title_start = text.rfind("\n", 0, match.start()) + 1
        title = text[title_start:match.start()]
        before = text[text.rfind("\n", 0, max(title_start - 1, 0)) + 1:max(title_start - 1, 0)]
        if title.strip() and (title_start == 0 or not before.strip()):
            put(title_start, "body_title", text=_excerpt(title.strip()))
    hidden = masked + ([match.span() for match in _INLINE_CODE.finditer(text)] if "`" in text else [])
    if text.count("*") >= 2 or text.count("_") >= 2 or "<" in text:
        _emphasis(text, starts, sorted(hidden), put)
    figures = _typed_forms(values, vocab)
    if figures:
        _typed(text, figures, vocab, hidden, put)
    for line, _, _, code, args in sorted(found, key=lambda item: item[:3]):
        add(code, first_line + line - 1, **args)


#: the order of a line's problems
RULES = ("undefined_quote", "unit_after_quote", "masked_figure", "body_title", "emphasis", "typed_figure")


_NEWLINE = re.compile("\n")
_H1_LINE = re.compile(r"^(#(?!#).*)$", re.M)          # Python-Markdown's hash heading needs no space after #
_SETEXT_UNDERLINE = re.compile(r"\n=+[ \t]*$", re.M)


def _emphasis(text: str, starts: list[int], hidden: list[tuple[int, int]], put) -> None:
    """Bold and italics as Python-Markdown renders them, one candidate line at a time.

    A line is rendered alone when it could hold emphasis (two ``*`` or ``_`` not escaped, or a
    tag); the renderer is made on the first one (most reports have none).
    """
    renderer = None
    lefts = [left for left, _ in hidden]
    ends = starts[1:] + [len(text) + 1]
    for start, end in zip(starts, ends):
        line = text[start:end - 1] if end <= len(text) else text[start:]
        stars, lows = line.count("*") - line.count("\\*"), line.count("_") - line.count("\\_")
        if stars < 2 and lows < 2 and "<" not in line:
            continue
        # masked figures and inline code (each within one line): reported, or shown as written; a
        # plain character in their place (a space could turn the line into an indented code block)
        for left, right in hidden[bisect_left(lefts, start):bisect_left(lefts, end)]:
            line = line[:left - start] + "〇" * (right - left) + line[right - start:]
        if renderer is None:
            renderer = markdown.Markdown()
        written = {tag for tag in ("strong", "em", "b", "i") if f"<{tag}>" in line}   # raw tags, once a line
        bold = "**" if "**" in line else "__"
        italic = "*" if stars >= 2 else "_"
        for tag, inner in (found for piece in _pieces(line) for found in _outermost(_render(renderer, piece))):
            inner = html.unescape(_TAG.sub("", inner)).strip()
            if not inner:
                continue
            kind = "bold" if tag in ("strong", "b") else "italic"
            marker = f"<{tag}>" if tag in ("b", "i") or tag in written else bold if kind == "bold" else italic
            put(start, "emphasis", text=_excerpt(inner), kind=kind, marker=marker)


#: characters of a line rendered at once: Python-Markdown's time grows faster than the length on some
#: lines (20,000 unclosed <b> take 2.4 s, 40,000 take 11 s), so a longer line is rendered in pieces cut
#: after a sentence; a report's paragraph is rarely a tenth of it
PIECE = 4000


def _pieces(line: str) -> list[str]:
    pieces = []
    while len(line) > PIECE:
        cut = max(line.rfind(mark, 0, PIECE) for mark in "。；;") + 1 or PIECE
        pieces.append(line[:cut])
        line = line[cut:]
    return pieces + [line]


def _render(renderer: markdown.Markdown, text: str) -> str:
    renderer.reset()
    return renderer.convert(text)


def _outermost(rendered: str) -> list[tuple[str, str]]:
    """(tag, inner HTML) of each outermost emphasis element, by one pass over its tags (a regex
    with a lazy body would rescan the rest of the line for each unclosed tag)."""
    found, stack = [], []
    for match in _EMPHASIS_TAG.finditer(rendered):
        closing, tag = match.group(1), match.group(2)
        if not closing:
            stack.append((tag, match.end()))
        elif stack and stack[-1][0] == tag:
            _, start = stack.pop()
            if not stack:
                found.append((tag, rendered[start:match.start()]))
    return found


def _quote(match: re.Match, quotable: set[str], vocab: Vocabulary, put) -> None:
    key = match.group(1)
    if key not in quotable:
        candidates = [name for name in sorted(quotable) or list(vocab.metrics) if name != key]
        put(match.start(), "undefined_quote", key=key, suggestion=nearest(key, candidates))
    definition = vocab.metrics.get(key)
    unit = WRITTEN_UNIT.match(match.string, match.end())
    if definition is not None and unit and _same_unit(unit, definition):
        put(match.start(), "unit_after_quote", key=key, unit=unit.group("zh") or unit.group("en"))


def _same_unit(written: re.Match, definition) -> bool:
    """The unit written after a quote is the one the site writes with the figure."""
    if definition.kind == "money" and definition.unit in MONEY_SCALE:
        return written.group("zh") in ZH_MONEY_WORDS or written.group("en") in EN_MONEY_WORDS
    if definition.kind == "percent" or definition.unit == "%":
        return written.group("zh") in ("%", "％")
    return written.group("zh") == definition.unit or (
        written.group("en") is not None and written.group("en") == UNITS.get(definition.unit))


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT else text[:EXCERPT - 1] + "…"


# ---- figures typed as digits ----------------------------------------------------------------

def _typed_forms(values: Mapping[str, Number], vocab) -> dict[tuple[str, Decimal], list[str]]:
    """(unit as written, number) → the metrics whose value the text would then be typing.

    A figure is recognised with its unit only: ``268户`` for a metric of 268 户, ``14.73亿元`` or
    ``147300万元`` for 1473000000 元, ``1.47 billion yuan`` — the exact value at any scale, and the
    site's own rounded form — and with at least ``SIGNIFICANT`` digits. A bare number (``268``) is
    not: years (2024年 has no unit), months, item numbers and counts of other things collide with
    figures by chance; nor is a percentage, for the same reason (a report cites many rates).
    """
    forms: dict[tuple[str, Decimal], list[str]] = {}

    def put(unit: str, number: Decimal | str) -> None:
        try:
            value = Decimal(str(number).replace(",", "")).normalize()
        except InvalidOperation:
            return
        keys = forms.setdefault((unit, value), [])
        if key not in keys:
            keys.append(key)

    for key, value in sorted(values.items()):
        definition = vocab.metrics.get(key)
        if definition is None or isinstance(value, bool) or definition.kind == "percent" or definition.unit == "%":
            continue   # rates recur by chance: in 31 provincial reports, 98.1%, 79.2%… were other rates
        exact = Decimal(str(value))
        for lang in ("zh", "en"):
            shown = WRITTEN_FIGURE.fullmatch(format_value(value, definition.unit, definition.kind, lang))
            if shown:
                put(_unit_word(shown), shown.group(1))
        if definition.kind == "money" and definition.unit in MONEY_SCALE:
            yuan = exact * MONEY_SCALE[definition.unit]
            for words in (ZH_MONEY_WORDS, EN_MONEY_WORDS):
                for word, size in words.items():
                    put(word, yuan / size)
        else:
            put(definition.unit, exact)
            if UNITS.get(definition.unit):
                put(UNITS[definition.unit], exact)
    return forms


#: a figure as format_value writes it: the number, then its unit
WRITTEN_FIGURE = re.compile(r"(-?[\d,]+(?:\.\d+)?)(" + WRITTEN_UNIT.pattern + ")")


def _unit_word(match: re.Match) -> str:
    unit = match.group("zh") or match.group("en")
    return "%" if unit == "％" else unit


#: significant digits a typed number needs to be taken for a figure: 268户, 2.69亿元, 1,234人次 — not 12期,
#: 100人, 3个: small and round counts recur in a report's text by chance. Measured (the figures of
#: the sample archive's 15 reports against the 31 provincial reports of ../shared/corpus, unrelated texts of
#: about 20,000 characters, 465 pairs): 15 chance matches with any number of digits (9人, 10次, 7名…), 1 with
#: 2 or 3 (1630人); with rates too, 6 at 3 digits, 5 of them rates (98.1%, 79.2%…): rates are not checked.
SIGNIFICANT = 3


def _typed(text: str, forms: dict[tuple[str, Decimal], list[str]], vocab: Vocabulary,
           hidden: list[tuple[int, int]], put) -> None:
    for number in TYPED_NUMBER.finditer(text):
        unit = WRITTEN_UNIT.match(text, number.end())
        if not unit:
            continue
        value = Decimal(number.group(1).replace(",", "") + (number.group(2) or "")).normalize()
        if len(value.as_tuple().digits) < SIGNIFICANT:
            continue
        keys = forms.get((_unit_word(unit), value))
        if keys and not any(left <= number.start() < right for left, right in hidden):
            key = keys[0]
            definition = vocab.metrics[key]
            put(number.start(), "typed_figure", value=text[number.start():unit.end()].strip(), key=key,
                label={"zh": definition.zh, "en": definition.en}, metrics=(key,))
