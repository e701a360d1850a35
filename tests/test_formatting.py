"""Figures as Chinese and English readers expect them: 12.68亿元, 1,234 person-times."""
from __future__ import annotations

import pytest

from archive.formatting import (CONVENTIONS, conventions, format_exact, format_plain, format_value, is_number,
                                unit_name, with_unit)


@pytest.mark.parametrize(
    "value, unit, kind, zh, en",
    [
        # money is scaled to the largest unit that keeps the figure at least 1
        (1268000000, "元", "money", "12.68亿元", "1.27 billion yuan"),
        (35000, "元", "money", "3.5万元", "35,000 yuan"),
        (5000, "元", "money", "5,000元", "5,000 yuan"),
        (3.2, "亿元", "money", "3.2亿元", "320 million yuan"),
        (12.3, "万元", "money", "12.3万元", "123,000 yuan"),
        # counters keep every digit, with thousands separators
        (1234, "人次", "integer", "1,234人次", "1,234 person-times"),
        (12, "个", "integer", "12个", "12"),  # 个 has no English name: the number stands alone
        (12.345, "%", "percent", "12.35%", "12.35%"),
        (38.5, "岁", "decimal", "38.5岁", "38.5 years"),
    ],
)
def test_format_value_per_kind(value, unit, kind, zh, en):
    assert format_value(value, unit, kind, "zh") == zh
    assert format_value(value, unit, kind, "en") == en


def test_a_language_without_conventions_is_refused_not_written_as_another():
    with pytest.raises(KeyError):
        format_value(35000, "元", "money", "fr")


@pytest.mark.parametrize(
    "value, unit, kind, expected",
    [
        (12.345, "%", "percent", "12.35%"),   # the float 12.345 is below .345; rounding uses its decimal text
        (1.005, "%", "percent", "1.01%"),
        (2.675, "岁", "decimal", "2.68岁"),
        (12.344, "%", "percent", "12.34%"),
        (5.10, "%", "percent", "5.1%"),       # trailing zeros dropped
        (5.0, "%", "percent", "5%"),
    ],
)
def test_rounding_is_half_up_to_two_places(value, unit, kind, expected):
    assert format_value(value, unit, kind, "zh") == expected


@pytest.mark.parametrize(
    "value, unit, kind, zh, en",
    [
        (-35000, "元", "money", "-3.5万元", "-35,000 yuan"),
        (-1268000000, "元", "money", "-12.68亿元", "-1.27 billion yuan"),
        (-5, "%", "percent", "-5%", "-5%"),
        (-1234, "人次", "integer", "-1,234人次", "-1,234 person-times"),
        (-2.5, "岁", "decimal", "-2.5岁", "-2.5 years"),
        (-0.001, "%", "percent", "0%", "0%"),  # rounds to zero: no "-0"
    ],
)
def test_negative_values(value, unit, kind, zh, en):
    assert format_value(value, unit, kind, "zh") == zh
    assert format_value(value, unit, kind, "en") == en


@pytest.mark.parametrize(
    "unit, kind, zh, en",
    [
        ("元", "money", "0元", "0 yuan"),
        ("亿元", "money", "0元", "0 yuan"),
        ("人次", "integer", "0人次", "0 person-times"),
        ("%", "percent", "0%", "0%"),
        ("岁", "decimal", "0岁", "0 years"),
    ],
)
def test_zero(unit, kind, zh, en):
    assert format_value(0, unit, kind, "zh") == zh
    assert format_value(0, unit, kind, "en") == en


@pytest.mark.parametrize(
    "value, lang, expected",
    [
        (99_999_999, "zh", "1亿元"),
        (9_999.999, "zh", "1万元"),
        (999_999_999, "en", "1 billion yuan"),
    ],
)
def test_money_rounding_up_moves_to_the_next_scale(value, lang, expected):
    assert format_value(value, "元", "money", lang) == expected


def test_format_plain_has_no_unit_and_more_places():
    assert format_plain(1268000000, "money") == "1,268,000,000"
    assert format_plain(1234, "integer") == "1,234"
    assert format_plain(12.34567, "decimal") == "12.3457"
    assert format_plain(3.2, "money") == "3.2"


@pytest.mark.parametrize("value, expected", [(0, True), (12, True), (-3.5, True),
                                             (True, False), (False, False), ("12", False), (None, False)])
def test_is_number_excludes_yaml_booleans_and_text(value, expected):
    assert is_number(value) is expected


# ---- one table of each language's conventions (formatting.CONVENTIONS) -------------------------

@pytest.mark.parametrize(
    "number, unit, lang, expected",
    [
        ("1,234", "人次", "zh", "1,234人次"), ("1,234", "人次", "en", "1,234 person-times"),
        ("12.5", "%", "zh", "12.5%"), ("12.5", "%", "en", "12.5%"),   # a percent sign is joined in both
        ("**", "元", "zh", "**元"), ("**", "元", "en", "** yuan"),
        ("12", "个", "en", "12"),                                       # 个 has no English name
    ],
)
def test_with_unit_joins_a_number_and_its_unit_as_the_language_writes_them(number, unit, lang, expected):
    assert with_unit(number, unit, lang) == expected


def test_format_exact_keeps_every_digit():
    assert format_exact(1268000000, "元", "money", "zh") == "1,268,000,000元"
    assert format_exact(1268000000, "元", "money", "en") == "1,268,000,000 yuan"
    assert format_exact(12.345, "%", "percent", "en") == "12.345%"


def test_each_language_has_its_conventions_and_no_other():
    assert sorted(CONVENTIONS) == ["en", "zh"]
    assert (conventions("zh").list_separator, conventions("en").list_separator) == ("、", ", ")
    assert unit_name("亿元", "zh") == "亿元" and unit_name("亿元", "en") == "100 million yuan"
    with pytest.raises(KeyError):
        conventions("fr")


def test_interface_lists_and_colons_come_from_the_conventions():
    from archive.labels import label, languages, missing_labels
    assert label("list_separator", "zh") == "、" and label("colon", "en") == ": "
    assert languages() == ("zh", "en")
    assert missing_labels("fr")[-2:] == ["formatting.CONVENTIONS", "vocabulary.LABEL_LANGUAGES"]
