"""Inline SVG line charts: a text alternative, series told apart without colour, escaping."""
from __future__ import annotations

import re

import pytest

from archive.charts import COLOURS, HEIGHT, LEFT, RIGHT, TOP, BOTTOM, WIDTH, describe_all, line_chart, nice_ticks
from archive.formatting import format_value

LINES = {
    "区税务局": [(2021, 1100000000), (2022, 1268000000)],
    "区财政局": [(2021, 500000000), (2022, 600000000), (2023, 650000000)],
}


def yuan(lang: str = "zh"):
    return lambda value: format_value(value, "元", "money", lang)


def chart(lines=LINES, lang: str = "zh", title: str = "税收收入（元）") -> str:
    return line_chart("chart-tax_revenue", title, lines, yuan(lang), "元", lang)


def series_groups(svg: str) -> list[str]:
    return re.findall(r'<g class="wr-chart__series">.*?</g>', svg)


def test_chart_is_labelled_by_its_title_and_text_alternative():
    svg = chart()
    assert svg.startswith('<svg class="wr-chart" viewBox="0 0 640 240" role="img" '
                          'aria-labelledby="chart-tax_revenue-t chart-tax_revenue-d">')
    assert svg.endswith("</svg>")
    assert '<title id="chart-tax_revenue-t">税收收入（元）</title>' in svg
    assert ('<desc id="chart-tax_revenue-d">区税务局：2021 11亿元，2022 12.68亿元；'
            "区财政局：2021 5亿元，2022 6亿元，2023 6.5亿元</desc>") in svg


def test_text_alternative_in_english():
    assert describe_all(LINES, yuan("en"), "en") == (
        "区税务局: 2021 1.1 billion yuan, 2022 1.27 billion yuan; "
        "区财政局: 2021 500 million yuan, 2022 600 million yuan, 2023 650 million yuan")


def test_one_path_per_series_through_each_point():
    groups = series_groups(chart())
    assert len(groups) == 2
    lines = [re.findall(r'<path d="([^"]*)" fill="none"', group) for group in groups]
    assert [len(found) for found in lines] == [1, 1]
    assert [found[0].count("L") for found in lines] == [1, 2]          # one segment fewer than points
    assert groups[0].endswith(">区税务局</text></g>")                    # each series named at its end
    assert groups[1].endswith(">区财政局</text></g>")


def test_series_differ_in_colour_marker_and_dash():
    first, second = series_groups(chart())
    assert f'stroke="{COLOURS[0]}"' in first and f'stroke="{COLOURS[1]}"' in second
    assert "stroke-dasharray" not in first                    # the first line is solid
    assert 'stroke-dasharray="6 4"' in second
    assert first.count("<circle ") == 2 and "<rect " not in first
    assert second.count("<rect ") == 3 and "<circle " not in second


def test_every_point_lies_within_the_plot():
    svg = chart()
    ys = [float(y) for y in re.findall(r'<circle cx="[^"]*" cy="([^"]*)"', svg)]
    ys += [float(y) + 4 for y in re.findall(r'<rect x="[^"]*" y="([^"]*)"', svg)]
    xs = [float(x) for x in re.findall(r'<circle cx="([^"]*)"', svg)]
    assert len(ys) == 5
    assert all(TOP <= y <= HEIGHT - BOTTOM for y in ys)
    assert all(LEFT <= x <= WIDTH - RIGHT for x in xs)


def test_tick_labels_are_short():
    assert all(f">{label}</text>" in chart() for label in ("0", "5亿", "10亿", "15亿"))
    assert all(f">{label}</text>" in chart(lang="en") for label in ("0", "500M", "1B", "1.5B"))


def test_a_single_year_is_drawn_in_the_middle():
    svg = chart({"区税务局": [(2022, 1268000000)]})
    assert f'<circle cx="{LEFT + (WIDTH - LEFT - RIGHT) / 2:.1f}"' in svg
    assert '<desc id="chart-tax_revenue-d">区税务局：2022 12.68亿元</desc>' in svg


def test_names_and_title_are_escaped():
    svg = chart({"<script>alert(1)</script>": [(2021, 1), (2022, 2)]}, title='税收"<b>"')
    assert "<script" not in svg and "<b>" not in svg
    assert ">&lt;script&gt;alert(1)&lt;/script&gt;</text></g>" in svg
    assert '<desc id="chart-tax_revenue-d">&lt;script&gt;alert(1)&lt;/script&gt;：2021 1元，2022 2元</desc>' in svg
    assert '<title id="chart-tax_revenue-t">税收&quot;&lt;b&gt;&quot;</title>' in svg


@pytest.mark.parametrize("lines", [{}, {"区税务局": []}])
def test_nothing_to_draw(lines):
    assert chart(lines) == ""


def test_an_empty_series_among_others_is_left_out():
    svg = chart({"区税务局": [(2021, 1100000000)], "区财政局": []})
    assert len(series_groups(svg)) == 1


# --- ticks ------------------------------------------------------------------------------------

@pytest.mark.parametrize("low, high, expected", [
    (0, 100, [0, 25, 50, 75, 100]),
    (0, 1268000000, [0, 500000000, 1000000000, 1500000000]),
    (-5, 3, [-6, -4, -2, 0, 2, 4]),
    (0, 0.3, [0, 0.1, 0.2, 0.3]),
    (0, 0, [0, 0.25, 0.5, 0.75, 1]),            # nothing to span: 0 to 1
    (5, 5, [4, 6, 8, 10]),                       # one value: up to twice it
])
def test_nice_ticks(low, high, expected):
    assert nice_ticks(low, high) == expected


@pytest.mark.parametrize("low, high", [
    (0, 100), (0, 1268000000), (-5, 3), (0, 0.3), (-120, -3), (0, 7), (0, 99.9), (12.5, 13.7), (0, 1e12),
])
def test_nice_ticks_cover_the_range(low, high):
    ticks = nice_ticks(low, high)
    assert ticks[0] <= low and ticks[-1] >= high
    steps = {round(b - a, 9) for a, b in zip(ticks, ticks[1:])}
    assert len(steps) == 1                       # evenly spaced


def test_nice_ticks_cover_a_high_just_above_a_tick():
    assert nice_ticks(0, 100.02)[-1] >= 100.02
