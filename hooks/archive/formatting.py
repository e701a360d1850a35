"""Formatting figures the way Chinese reports write them (1.23亿元, 1,234人次) and in English.

The unit table is the single list of units of measure a metric definition may use;
:data:`CONVENTIONS` the one table of how each language writes figures (money scales, units,
punctuation between them). No function here compares a language code: a language is looked up
in the table, and a language without an entry is the caller's to send to the configuration's
default (labels.interface_language does, and the build says so once: labels_missing).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

Number = int | float

#: unit of measure → English name. Money units are scaled, the others are counters.
UNITS: dict[str, str] = {
    "元": "yuan",
    "万元": "10,000 yuan",
    "亿元": "100 million yuan",
    "户": "entities",
    "人": "people",
    "名": "people",
    "人次": "person-times",
    "次": "times",
    "份": "documents",
    "篇": "articles",
    "期": "sessions",
    "岁": "years",
    "%": "%",
    "个": "",
    "项": "items",
    "件": "cases",
    "家": "firms",
    "批": "batches",
    "轮": "rounds",
    "天": "days",
}
MONEY_SCALE: dict[str, int] = {"元": 1, "万元": 10_000, "亿元": 100_000_000}
KINDS = ("integer", "decimal", "percent", "money")


def is_number(value: object) -> bool:
    """YAML gives bools for yes/no; they are not figures."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _fixed(value: Number, places: int = 2) -> str:
    """Round half up (as statistical tables do) and drop trailing zeros."""
    quantum = Decimal(1).scaleb(-places)
    text = f"{Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP):,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


ZH_MONEY = ((1_000_000_000_000, "万亿元"), (100_000_000, "亿元"), (10_000, "万元"), (1, "元"))
EN_MONEY = ((1_000_000_000_000, " trillion yuan"), (1_000_000_000, " billion yuan"), (1_000_000, " million yuan"),
            (1, " yuan"))


@dataclass(frozen=True)
class Conventions:
    """How one language writes figures and short lists. A language the archive shows pages in needs
    an entry (labels.languages counts it among the interface's words); the vocabulary's units are
    Chinese, so a language either writes them as they are (``unit_names`` None) or names them."""

    money: tuple[tuple[int, str], ...]        # scales, largest first, each with its suffix; the last is 1
    ticks: tuple[tuple[float, str], ...]      # a chart axis' short scales: 1.2亿, 120M
    unit_names: dict[str, str] | None = None  # unit of measure → its name; None: as written (亿元)
    unit_space: str = ""                      # between a number and its unit's name
    colon: str = "："
    comma: str = "，"
    semicolon: str = "；"
    list_separator: str = "、"

    def unit(self, unit: str) -> str:
        return unit if self.unit_names is None else self.unit_names.get(unit, unit)


CONVENTIONS: dict[str, Conventions] = {
    "zh": Conventions(money=ZH_MONEY, ticks=((1e8, "亿"), (1e4, "万"))),
    "en": Conventions(money=EN_MONEY, ticks=((1e9, "B"), (1e6, "M"), (1e3, "k")), unit_names=UNITS, unit_space=" ",
                      colon=": ", comma=", ", semicolon="; ", list_separator=", "),
}


def conventions(lang: str) -> Conventions:
    """The language's conventions; a language without them is a KeyError, never another's silently:
    pages ask in their interface language (labels.interface_language), commands in the messages'."""
    return CONVENTIONS[lang]


def unit_name(unit: str, lang: str) -> str:
    """A unit of measure as the language writes it: 亿元 in Chinese, 100 million yuan in English."""
    return conventions(lang).unit(unit)


def with_unit(number: str, unit: str, lang: str) -> str:
    """A number already written (1,234, 12.5, **) followed by its unit as the language writes it:
    1,234人次, 1,234 person-times, 12.5% (a percent sign is joined in every language)."""
    rules = conventions(lang)
    name = rules.unit(unit)
    if not name:
        return number
    return f"{number}{name}" if unit == "%" else f"{number}{rules.unit_space}{name}"


def format_value(value: Number, unit: str, kind: str, lang: str) -> str:
    """The figure with its unit, as a reader of that language expects it."""
    if kind == "money" and unit in MONEY_SCALE:
        return _money(value * MONEY_SCALE[unit], lang)
    if kind == "percent" or unit == "%":
        return f"{_fixed(value, 2)}%"
    text = f"{int(value):,}" if kind == "integer" else _fixed(value, 2)
    return with_unit(text, unit, lang)


def format_exact(value: Number, unit: str, kind: str, lang: str) -> str:
    """Every digit of the figure with its unit (1,268,000,000元): what format_value rounds."""
    return with_unit(format_plain(value, kind), unit, lang)


def _money(yuan: Number, lang: str) -> str:
    """Pick the largest scale the rounded figure reaches, so 99,999,999元 reads 1亿元."""
    for size, suffix in conventions(lang).money:
        if abs(float(_fixed(yuan / size).replace(",", ""))) >= 1 or size == 1:
            return f"{_fixed(yuan / size)}{suffix}"
    raise AssertionError("unreachable: the last scale is 1")


def format_plain(value: Number, kind: str) -> str:
    """The number alone, for tables whose column already names the unit."""
    return f"{int(value):,}" if kind == "integer" else _fixed(value, 4)
