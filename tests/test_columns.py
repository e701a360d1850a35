"""A money column's shared unit (archive.columns): named in its heading on paper only where every figure shares it."""
from __future__ import annotations

import pytest

from archive.columns import Split, shared_unit, split_money
from archive.formatting import format_value


@pytest.mark.parametrize("text, lang, expected", [
    ("12.68亿元", "zh", Split("12.68", "亿元")),
    ("9,800万元", "zh", Split("9,800", "万元")),
    ("1.5万亿元", "zh", Split("1.5", "万亿元")),     # the longest scale, not 亿元
    ("980元", "zh", Split("980", "元")),
    ("1.27 billion yuan", "en", Split("1.27", " billion yuan")),
    ("980 yuan", "en", Split("980", " yuan")),
    ("亿元", "zh", None),                            # no number
    ("79.2%", "zh", None),
    ("281户", "zh", None),
])
def test_a_figure_splits_into_its_number_and_unit(text, lang, expected):
    assert split_money(text, lang) == expected


def test_the_scales_are_the_ones_figures_are_written_in():
    assert [split_money(format_value(value, "元", "money", "zh"), "zh").unit
            for value in (1_268_000_000, 98_000_000, 9_800, 1_500_000_000_000)] == ["亿元", "万元", "元", "万亿元"]


@pytest.mark.parametrize("texts, lang, expected", [
    (["12.68亿元", "11亿元", None, "14.73亿元"], "zh", "亿元"),        # an empty or withheld cell does not count
    (["12.68亿元", "9,800万元"], "zh", None),                         # 亿元 beside 万元: every cell keeps its unit
    (["1.27 billion yuan", "1.1 billion yuan"], "en", "billion yuan"),
    (["1.27 billion yuan", "980 million yuan"], "en", None),
    ([None, None], "zh", None),
    (["12.68亿元", "**"], "zh", None),                                # a masked figure has no unit
])
def test_a_column_shares_a_unit_only_when_every_figure_has_it(texts, lang, expected):
    assert shared_unit(texts, lang) == expected
