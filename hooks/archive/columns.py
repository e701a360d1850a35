"""The unit a money column of a figures table shares, for its heading on paper.

A metric's table on the figures page (years down, units across) shows money as the reports write
it, each value with its own scale: 12.68亿元 beside 9,800万元. On screen every cell says its unit;
a printed table reads better the way printed statistics are set, with the unit once in the
column's heading ("区税务局（亿元）") and the numbers alone below it — but only where the whole column
shares that unit: a column mixing 亿元 and 万元 keeps the unit in every cell, and its heading none.
The heading's unit and each cell's are separate elements, so the print stylesheet
(docs/stylesheets/archive-print.css) shows the one and hides the other; the screen is unchanged.

The scales are the language's own (:data:`.formatting.CONVENTIONS`, read only): the longest
suffix a figure's text ends with is its unit (万亿元 before 亿元 before 元).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .formatting import conventions

_NUMBER = re.compile(r"-?[0-9][0-9,]*(?:\.[0-9]+)?")


@dataclass(frozen=True)
class Split:
    """A money figure's text as its number and its unit: 12.68 and 亿元 (or " billion yuan")."""

    number: str
    unit: str


def split_money(text: str, lang: str) -> Split | None:
    """The figure's number and unit, or None when its text ends with none of the language's scales."""
    suffixes = sorted((suffix for _, suffix in conventions(lang).money), key=len, reverse=True)
    for suffix in suffixes:
        if text.endswith(suffix):
            number = text[:-len(suffix)]
            return Split(number=number, unit=suffix) if _NUMBER.fullmatch(number) else None
    return None


def shared_unit(texts: Iterable[str | None], lang: str) -> str | None:
    """The unit every figure of a column is written in (stripped of the space before it), or None when
    they differ, one has no unit, or the column has no figure (withheld and empty cells are ``None``)."""
    units = set()
    for text in texts:
        if text is None:
            continue
        split = split_money(text, lang)
        if split is None:
            return None
        units.add(split.unit)
    return units.pop().strip() if len(units) == 1 else None
