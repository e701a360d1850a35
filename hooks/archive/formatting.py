"""Formatting figures the way Chinese reports write them (1.23亿元, 1,234人次) and in English.

The unit table is the single list of units of measure a metric definition may use.
"""
from __future__ import annotations

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


def unit_name(unit: str, lang: str) -> str:
    """A unit of measure as the language writes it: 亿元 in Chinese, 100 million yuan in English."""
    return unit if lang == "zh" else UNITS.get(unit, unit)


def format_value(value: Number, unit: str, kind: str, lang: str = "zh") -> str:
    """The figure with its unit, as a reader of that language expects it."""
    if kind == "money" and unit in MONEY_SCALE:
        return _money(value * MONEY_SCALE[unit], lang)
    if kind == "percent" or unit == "%":
        return f"{_fixed(value, 2)}%"
    text = f"{int(value):,}" if kind == "integer" else _fixed(value, 2)
    if lang == "zh":
        return f"{text}{unit}"
    name = unit_name(unit, lang)
    return f"{text} {name}" if name else text


def _money(yuan: Number, lang: str) -> str:
    """Pick the largest scale the rounded figure reaches, so 99,999,999元 reads 1亿元."""
    scales = ZH_MONEY if lang == "zh" else EN_MONEY
    for size, suffix in scales:
        if abs(float(_fixed(yuan / size).replace(",", ""))) >= 1 or size == 1:
            return f"{_fixed(yuan / size)}{suffix}"
    raise AssertionError("unreachable: the last scale is 1")


ZH_MONEY = ((1_000_000_000_000, "万亿元"), (100_000_000, "亿元"), (10_000, "万元"), (1, "元"))
EN_MONEY = ((1_000_000_000_000, " trillion yuan"), (1_000_000_000, " billion yuan"), (1_000_000, " million yuan"),
            (1, " yuan"))


def format_plain(value: Number, kind: str) -> str:
    """The number alone, for tables whose column already names the unit."""
    return f"{int(value):,}" if kind == "integer" else _fixed(value, 4)
