"""Line charts drawn at build time as inline SVG: no script, nothing fetched.

Each series has its own colour, marker shape and dash pattern, and is named at its last
point, so that it can be told apart without colour; the SVG carries a text alternative.
"""
from __future__ import annotations

import math
from html import escape

from .formatting import Number

COLOURS = ("#3949ab", "#d84315", "#2e7d32", "#6a1b9a", "#00838f", "#ad1457", "#5d4037", "#455a64")
DASHES = ("", "6 4", "2 3", "10 3 2 3", "1 5", "12 6")
WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 64, 150, 16, 28


def marker(shape: int, x: float, y: float, colour: str) -> str:
    """One of six shapes, so that series differ in form as well as in colour."""
    kind = shape % 6
    if kind == 0:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'
    if kind == 1:
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if kind == 2:
        return f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y + 4:.1f}L{x - 5:.1f} {y + 4:.1f}Z" fill="{colour}"/>'
    if kind == 3:
        return f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y:.1f}L{x:.1f} {y + 5:.1f}L{x - 5:.1f} {y:.1f}Z" fill="{colour}"/>'
    if kind == 4:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#fff" stroke="{colour}" stroke-width="2"/>'
    return (f'<path d="M{x - 4:.1f} {y - 4:.1f}L{x + 4:.1f} {y + 4:.1f}M{x + 4:.1f} {y - 4:.1f}L{x - 4:.1f} {y + 4:.1f}" '
            f'stroke="{colour}" stroke-width="2.5"/>')


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round tick values covering [low, high]."""
    if high == low:
        high = low + (abs(low) or 1)
    step = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(step))
    step = min((m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= step), default=step)
    start = math.floor(low / step) * step
    ticks, value = [round(start, 10)], start
    while value < high - step * 1e-9:  # until a tick reaches the top value
        value += step
        ticks.append(round(value, 10))
    return ticks


def line_chart(chart_id: str, title: str, lines: dict[str, list[tuple[int, Number]]], describe, axis: str,
               lang: str = "zh") -> str:
    """``lines`` maps a series name to its (year, value) points; ``describe`` formats a value."""
    lines = {name: points for name, points in lines.items() if points}
    years = sorted({year for points in lines.values() for year, _ in points})
    values = [value for points in lines.values() for _, value in points]
    if not years or not values:
        return ""
    ticks = nice_ticks(min(0, min(values)), max(values))
    low, high = ticks[0], ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(year: int) -> float:
        return LEFT + (plot_w / 2 if len(years) == 1 else plot_w * years.index(year) / (len(years) - 1))

    def y_of(value: Number) -> float:
        return TOP + plot_h * (1 - (value - low) / ((high - low) or 1))

    parts = [f'<svg class="wr-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-labelledby="{chart_id}-t {chart_id}-d">',
             f'<title id="{chart_id}-t">{escape(title)}</title>',
             f'<desc id="{chart_id}-d">{escape(describe_all(lines, describe, lang))}</desc>']
    for tick in ticks:
        y = y_of(tick)
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" class="wr-chart__grid"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="wr-chart__tick">'
                     f'{escape(_short(tick, lang))}</text>')
    for year in years:
        parts.append(f'<text x="{x_of(year):.1f}" y="{HEIGHT - 8}" text-anchor="middle" class="wr-chart__tick">{year}</text>')
    parts.append(f'<text x="4" y="{TOP - 4 if TOP > 12 else 12}" class="wr-chart__axis">{escape(axis)}</text>')
    for number, (name, points) in enumerate(lines.items()):
        colour, dash = COLOURS[number % len(COLOURS)], DASHES[number % len(DASHES)]
        coords = [(x_of(year), y_of(value)) for year, value in points]
        path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f} {y:.1f}" for i, (x, y) in enumerate(coords))
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<g class="wr-chart__series"><path d="{path}" fill="none" stroke="{colour}" stroke-width="2"{dashed}/>')
        parts += [marker(number, x, y, colour) for x, y in coords]
        last_x, last_y = coords[-1]
        parts.append(f'<text x="{last_x + 8:.1f}" y="{last_y + 4:.1f}" class="wr-chart__label" fill="{colour}">'
                     f'{escape(name)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def describe_all(lines: dict[str, list[tuple[int, Number]]], describe, lang: str = "zh") -> str:
    """The chart as a sentence per series, for readers who do not see it."""
    colon, comma, semicolon = ("：", "，", "；") if lang == "zh" else (": ", ", ", "; ")
    return semicolon.join(f"{name}{colon}" + comma.join(f"{year} {describe(value)}" for year, value in points)
                          for name, points in lines.items())


def _short(value: float, lang: str) -> str:
    """Tick labels: 1.2亿 or 120M for large numbers, plain otherwise."""
    scales = ((1e8, "亿"), (1e4, "万")) if lang == "zh" else ((1e9, "B"), (1e6, "M"), (1e3, "k"))
    for size, suffix in scales:
        if abs(value) >= size:
            return f"{value / size:g}{suffix}"
    return f"{value:g}"
