"""Inline SVG line charts: a text alternative, series told apart without colour, escaping."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from archive.charts import (FONT, GAP, HEIGHT, LINE, NARROW, SERIES_COLOURS, WIDE, WIDTH, describe_all, line_chart,
                            nice_ticks, place_labels, text_width, wrap)
from archive.formatting import format_value

LINES = {
    "区税务局": [(2021, 1100000000), (2022, 1268000000)],
    "区财政局": [(2021, 500000000), (2022, 600000000), (2023, 650000000)],
}


def yuan(lang: str = "zh"):
    return lambda value: format_value(value, "元", "money", lang)


def chart(lines=LINES, lang: str = "zh", title: str = "税收收入（元）") -> str:
    return line_chart("chart-tax_revenue", title, lines, yuan(lang), "元", lang)


def drawings(svg: str) -> tuple[str, str]:
    """The wide and the narrow drawing."""
    found = re.findall(r"<svg .*?</svg>", svg, re.S)
    assert len(found) == 2 and "".join(found) == svg
    return found[0], found[1]


def series_groups(svg: str) -> list[str]:
    """The series of the wide drawing."""
    return re.findall(r'<g class="wr-chart__series wr-series-\d">.*?</g>', drawings(svg)[0])


def plot_box(drawing: str) -> tuple[float, float, float, float]:
    """left, right, top, bottom of the plot, from its grid lines."""
    grid = [tuple(map(float, found)) for found in
            re.findall(r'<line x1="([^"]*)" x2="([^"]*)" y1="([^"]*)" y2="[^"]*" class="wr-chart__grid"/>', drawing)]
    return grid[0][0], grid[0][1], min(y for *_, y in grid), max(y for *_, y in grid)


def label_boxes(drawing: str) -> list[tuple[str, float, float]]:
    """Each name in the drawing: its text and the top and bottom of its lines' boxes."""
    boxes = []
    for label in re.findall(r'<text[^>]*class="wr-chart__label"[^>]*>.*?</text>', drawing):
        ys = [float(y) for y in re.findall(r' y="([^"]*)"', label)]
        text = "".join(re.findall(r">([^<]+)<", label))
        boxes.append((text, min(ys) - 12, max(ys) - 12 + LINE))
    return boxes


def test_chart_is_labelled_by_its_title_and_text_alternative():
    wide, narrow = drawings(chart())
    assert wide.startswith('<svg class="wr-chart" viewBox="0 0 640 250" font-size="12" role="img" '
                           'aria-labelledby="chart-tax_revenue-t chart-tax_revenue-d">')
    assert '<title id="chart-tax_revenue-t">税收收入（元）</title>' in wide
    assert ('<desc id="chart-tax_revenue-d">区税务局：2021 11亿元，2022 12.68亿元；'
            "区财政局：2021 5亿元，2022 6亿元，2023 6.5亿元</desc>") in wide
    # the phone's drawing is labelled by the same title and description, and has none of its own
    assert narrow.startswith('<svg class="wr-chart wr-chart--narrow" viewBox="0 0 288 ')
    assert 'aria-labelledby="chart-tax_revenue-t chart-tax_revenue-d"' in narrow
    assert "<title" not in narrow and "<desc" not in narrow


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
    assert first.startswith('<g class="wr-chart__series wr-series-1">')
    assert second.startswith('<g class="wr-chart__series wr-series-2">')
    assert '<path d="M' in first and 'fill="none" stroke="currentColor" stroke-width="2"/>' in first
    assert "stroke-dasharray" not in first                    # the first line is solid
    assert 'stroke-dasharray="6 4"' in second
    assert first.count("<circle ") == 2 and "<rect " not in first
    assert second.count("<rect ") == 3 and "<circle " not in second


@pytest.mark.parametrize("which", [0, 1])
def test_every_point_lies_within_the_plot(which):
    drawing = drawings(chart())[which]
    left, right, top, bottom = plot_box(drawing)
    plot = drawing[:drawing.index("<g ")] + "".join(re.findall(r"<g [^>]*><path [^>]*/>(?:<(?:circle|rect) [^>]*/>)*",
                                                                drawing))
    ys = [float(y) for y in re.findall(r'<circle cx="[^"]*" cy="([^"]*)"', plot)]
    ys += [float(y) + 4 for y in re.findall(r'<rect x="[^"]*" y="([^"]*)"', plot)]
    xs = [float(x) for x in re.findall(r'<circle cx="([^"]*)"', plot)]
    assert len(ys) == 5
    assert (top, bottom) == (30, 30 + (WIDE if which == 0 else NARROW).plot_height)
    assert all(top <= y <= bottom for y in ys)
    assert all(left <= x <= right for x in xs)


def test_tick_labels_are_short():
    assert all(f">{label}</text>" in chart() for label in ("0", "5亿", "10亿", "15亿"))
    assert all(f">{label}</text>" in chart(lang="en") for label in ("0", "500M", "1B", "1.5B"))


def test_a_single_year_is_drawn_in_the_middle():
    svg = chart({"区税务局": [(2022, 1268000000)]})
    left, right, _, _ = plot_box(drawings(svg)[0])
    assert f'<circle cx="{(left + right) / 2:.1f}"' in svg
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


# --- colours: classes and CSS variables, for the light and the dark scheme --------------------

CSS = Path(__file__).resolve().parent.parent / "docs" / "stylesheets" / "archive.css"


def test_the_svg_writes_no_colour_of_its_own():
    svg = chart({f"单位{n}": [(2021, n), (2022, n + 1)] for n in range(10)})
    assert not re.search(r"#[0-9a-fA-F]{3,8}\b|rgb|hsl", svg)
    assert set(re.findall(r'(?:fill|stroke)="([^"]*)"', svg)) == {"currentColor", "none"}
    assert re.findall(r"wr-series-(\d+)", drawings(svg)[0]) == [str(n % 8 + 1) for n in range(10)]
    assert svg.count('class="wr-chart__hollow"') == 2 + 2 + 1   # the 5th series: its points in both, its legend


def css_blocks() -> dict[str, str]:
    text = re.sub(r"/\*.*?\*/", "", CSS.read_text(encoding="utf-8"), flags=re.S)
    return {selector.strip(): body for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text)}


def variables(body: str) -> dict[str, str]:
    return dict(re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", body))


def test_every_colour_of_the_archive_css_is_a_variable_of_both_schemes():
    blocks = css_blocks()
    light = variables(blocks[':root, [data-md-color-scheme="default"]'])
    dark = variables(blocks['[data-md-color-scheme="slate"]'])
    assert sorted(light) == sorted(dark) == sorted([f"--wr-series-{n}" for n in range(1, SERIES_COLOURS + 1)]
                                                   + ["--wr-panel-link"])
    for selector, body in blocks.items():
        if selector not in (':root, [data-md-color-scheme="default"]', '[data-md-color-scheme="slate"]'):
            assert not re.search(r"#[0-9a-fA-F]{3,8}\b|rgba?\(|hsla?\(", body), selector
        for name in re.findall(r"var\((--[\w-]+)", body):
            assert name.startswith("--md-") or name in light, (selector, name)
    for n in range(1, SERIES_COLOURS + 1):
        assert blocks[f".wr-series-{n}"].strip() == f"color: var(--wr-series-{n});"
    assert blocks[".wr-chart__hollow"].strip() == "fill: var(--md-default-bg-color);"


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("block, background", [
    (':root, [data-md-color-scheme="default"]', "#ffffff"),
    ('[data-md-color-scheme="slate"]', "#1e2129"),     # Material 9.8's slate background, as Chromium computes it
])
def test_series_colours_are_readable_as_text(block, background):
    for name, colour in variables(css_blocks()[block]).items():
        if name.startswith("--wr-series-"):
            assert contrast(colour.strip(), background) >= 5, name   # names are text: WCAG AA 4.5, with room


# --- names never overlap ----------------------------------------------------------------------

def test_labels_at_equal_values_stack_around_them():
    assert place_labels([100, 100, 100], [15, 15, 15], low=4) == [74.5, 92.5, 110.5]


def test_labels_that_fit_stay_where_they_want():
    assert place_labels([50, 100, 20], [15, 15, 15], low=4) == [42.5, 92.5, 12.5]


def test_near_equal_labels_keep_their_order_and_the_gap():
    tops = place_labels([100.4, 100, 99.8], [15, 30, 15], low=4)
    order = sorted(range(3), key=lambda i: tops[i])
    assert order == [2, 1, 0]                                     # as their values lie
    assert tops[1] - (tops[2] + 15) == pytest.approx(GAP) and tops[0] - (tops[1] + 30) == pytest.approx(GAP)


def test_labels_do_not_go_above_the_top():
    assert place_labels([0, 1, 2], [15, 15, 15], low=4) == [4, 22, 40]


def test_placement_is_deterministic_for_ties():
    assert place_labels([60] * 4, [15] * 4, low=0) == place_labels([60] * 4, [15] * 4, low=0)
    tops = place_labels([60] * 4, [15] * 4, low=0)
    assert tops == sorted(tops)                                   # ties in the series' order


def no_overlap(boxes):
    spans = sorted((top, bottom) for _, top, bottom in boxes)
    return all(next_top - bottom >= GAP - 0.05 for (_, bottom), (next_top, _) in zip(spans, spans[1:]))


def test_eight_series_ending_at_one_value_are_named_apart_and_the_chart_grows():
    lines = {f"District Office Number {n}": [(2021, n), (2022, 100)] for n in range(8)}
    wide, narrow = drawings(line_chart("c", "t", lines, str, "yuan", "en"))
    boxes = label_boxes(wide)
    assert [text for text, *_ in boxes] == [f"District OfficeNumber {n}" for n in range(8)]   # two lines each
    assert no_overlap(boxes)
    height = int(re.search(r'viewBox="0 0 640 (\d+)"', wide)[1])
    assert height > HEIGHT and height >= max(bottom for *_, bottom in boxes)
    assert wide.count('class="wr-chart__leader"') == 8            # each moved from its point, each joined to it
    assert no_overlap(label_boxes(narrow))


def test_near_equal_negative_ends_are_named_apart():
    lines = {"区财政局": [(2021, -3), (2022, -5)], "区税务局": [(2021, -2), (2022, -4.9)], "区人社局": [(2021, 1), (2022, 2)]}
    wide, _ = drawings(line_chart("c", "t", lines, str, "元", "zh"))
    boxes = label_boxes(wide)
    assert no_overlap(boxes)
    _, _, top, bottom = plot_box(wide)
    (_, a_top, a_bottom), (_, b_top, b_bottom), (_, c_top, c_bottom) = boxes
    assert b_bottom <= a_top                                      # -4.9 above -5
    assert c_top < top + 30 and a_bottom > bottom - 30            # 2 near the top, -5 near the bottom
    assert wide.count('class="wr-chart__leader"') == 2            # the third stays by its point


def test_a_name_that_fits_by_its_point_has_no_leader():
    wide, _ = drawings(chart())
    assert 'class="wr-chart__leader"' in series_groups(chart())[0]   # 区税务局 ends in 2022, before the last year
    assert 'class="wr-chart__leader"' not in series_groups(chart())[1]
    assert wide.count("wr-chart__leader") == 1


def test_long_names_wrap_inside_their_column():
    name = "District Human Resources and Social Security Bureau"
    wide, narrow = drawings(line_chart("c", "t", {name: [(2021, 1), (2022, 2)]}, str, "people", "en"))
    spans = re.findall(r'<tspan x="([^"]*)" y="[^"]*">([^<]*)</tspan>', wide)
    assert [text for _, text in spans] == ["District Human", "Resources and", "Social Security", "Bureau"]
    assert all(float(x) + text_width(text) <= WIDTH for x, text in spans)
    legend = re.findall(r'<tspan x="([^"]*)" y="[^"]*">([^<]*)</tspan>', narrow)
    assert [text for _, text in legend] == ["District Human Resources and", "Social Security Bureau"]
    assert all(float(x) + text_width(text) <= NARROW.width for x, text in legend)


@pytest.mark.parametrize("text, width, expected", [
    ("区人力资源和社会保障局", 140, ["区人力资源和社会保障局"]),
    ("区人力资源和社会保障局", 60, ["区人力资源", "和社会保障", "局"]),
    ("Supercalifragilistic", 60, ["Supercal", "ifragili", "stic"]),
    ("a b c d e f g h i j", 16, ["a", "b", "c", "d…"]),      # at most four lines
    ("", 60, [""]),
])
def test_wrap(text, width, expected):
    assert wrap(text, width) == expected


# --- text size: 12 units in both drawings, year labels thinned ------------------------------

def test_every_text_is_twelve_units_and_the_narrow_drawing_fits_a_phone():
    wide, narrow = drawings(chart())
    assert FONT == 12
    assert 'font-size="12"' in wide and 'font-size="12"' in narrow
    assert "font-size" not in wide.replace('font-size="12"', "", 1)
    assert NARROW.width <= 320 - 2 * 16        # a 320 px phone's content, Material's margins .8rem at 20 px


def test_years_are_labelled_without_crowding():
    lines = {"区税务局": [(year, year) for year in range(2008, 2025)]}
    for drawing in drawings(line_chart("c", "t", lines, str, "元", "zh")):
        labelled = [(float(x), int(year)) for x, year in
                    re.findall(r'<text x="([^"]*)" y="[^"]*" text-anchor="middle" class="wr-chart__tick">(\d+)</text>',
                               drawing)]
        assert labelled[-1][1] == 2024                            # the last year always
        assert all(b - a >= text_width("2000") + 8 for (a, _), (b, _) in zip(labelled, labelled[1:]))
        assert len(labelled) >= 5
