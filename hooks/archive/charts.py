"""Line charts drawn at build time as inline SVG: no script, nothing fetched.

Each series has its own colour, marker shape and dash pattern, and is named, so that it can be
told apart without colour; the SVG carries a text alternative.

**Colours.** The SVG writes no colour of its own. A series' group carries the class
``wr-series-N`` (N = 1..8), for which ``archive.css`` sets ``color`` from the variable
``--wr-series-N``, defined for the light (``default``) and the dark (``slate``) scheme; the
series' line, markers and name draw in ``currentColor``. Grid, ticks, axis title and the hollow
marker's fill (the page's background) come from classes on Material's variables. An SVG
presentation attribute cannot hold ``var()``; a class can.

**Text at least 12 px at any width: two drawings, and CSS picks one.** An SVG scaled to its
container draws text of :data:`FONT` user units at ``FONT × container width / viewBox width``
pixels, so its text stays at 12 px or more only while the container is at least as wide as the
viewBox. Each chart is drawn twice: :data:`WIDE` (640 units, each series named at its end in a
column right of the plot) and :data:`NARROW` (288 units, the width of a 320 px phone's content:
names in a legend under the plot, fewer year labels). The figure is a CSS size container and
``archive.css`` shows the wide drawing when the figure is at least 640 px wide, the narrow one
otherwise (never wider than 1.5 times its own width). The narrow drawing has no title or
description of its own: it is labelled by the wide one's (``aria-labelledby`` reads hidden
elements), and the drawing not shown is ``display: none``, so a screen reader meets one chart.
Rejected: one drawing with a minimum width, scrolling inside its figure — on a phone the names
at the right end would start off screen, and the scrolling box would be one more tab stop on a
page of 70 charts.

**Names never overlap.** :func:`place_labels` moves the names of the wide drawing apart
vertically: each wants to sit level with its series' last point; names that would come closer
than :data:`GAP` are merged into a block centred on what they want (least squares), blocks are
merged until none overlap, and a block runs past the plot's bottom into the space beside the year
labels and below, the drawing growing as tall as needed. A name that moved, or whose series
ends before the last year, is joined to its last point by a leader line. Long names wrap
(:func:`wrap`) by the width estimated from their characters (CJK full width, others 0.62 em).
"""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from html import escape

from .formatting import Number, conventions

#: number of series colours (classes wr-series-1 .. wr-series-8 and CSS variables --wr-series-N)
SERIES_COLOURS = 8
DASHES = ("", "6 4", "2 3", "10 3 2 3", "1 5", "12 6")
FONT = 12          # user units; at a scale of 1 or more, 12 px or more on screen
LINE = 15          # line height of a name, user units
GAP = 3            # least vertical space between two names
MAX_LINES = 4      # a longer name ends in "…" (the description and the table hold it whole)


@dataclass(frozen=True)
class Layout:
    """One drawing of a chart: its width in user units and where the plot sits."""

    name: str
    width: int           # viewBox width: the narrowest container that shows the text at FONT px
    plot_height: int
    top: int             # above the plot: the axis title
    bottom: int          # below the plot: the year labels
    min_left: int        # left of the plot: the tick labels (wider when they need it)
    right: int           # right of the plot: the names' column (wide) or a margin (narrow)
    legend: bool         # names in a legend under the plot instead of at the lines' ends


WIDE = Layout(name="wide", width=640, plot_height=192, top=30, bottom=28, min_left=48, right=160, legend=False)
NARROW = Layout(name="narrow", width=288, plot_height=150, top=30, bottom=28, min_left=30, right=20, legend=True)
WIDTH, HEIGHT = WIDE.width, WIDE.top + WIDE.plot_height + WIDE.bottom   # the wide drawing, before it grows


def text_width(text: str) -> float:
    """Estimated width in user units at FONT: full-width (CJK) characters 1 em, others 0.62 em."""
    return sum(FONT if unicodedata.east_asian_width(ch) in "WF" else FONT * 0.62 for ch in text)


def wrap(text: str, width: float, max_lines: int = MAX_LINES) -> list[str]:
    """Lines of at most ``width``: breaks at spaces, between CJK characters, inside too-long words."""
    pieces: list[str] = []          # units that stay together; a space is its own piece
    word = ""
    for ch in text:
        if ch == " " or unicodedata.east_asian_width(ch) in "WF":
            if word:
                pieces.append(word)
            pieces.append(ch)
            word = ""
        else:
            word += ch
    if word:
        pieces.append(word)
    lines: list[str] = []
    line = ""
    for piece in pieces:
        if piece == " " and not line:
            continue
        if text_width(line + piece) <= width:
            line += piece
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = "" if piece == " " else piece
        while text_width(line) > width:        # a word longer than the line: cut it
            cut = max(1, max(i for i in range(1, len(line) + 1) if text_width(line[:i]) <= width or i == 1))
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + "…") > width:
            last = last[:-1]
        lines = lines[:max_lines - 1] + [last.rstrip() + "…"]
    return lines or [""]


def place_labels(wanted: list[float], heights: list[float], low: float, gap: float = GAP) -> list[float]:
    """The top of each label, none overlapping: each as near as it can be to its wanted centre.

    Labels sorted by wanted centre (ties by their order) form blocks; a block sits where the
    mean of its labels' wishes puts it, never above ``low``; overlapping blocks merge. Nothing
    bounds them below: the caller grows the drawing to the lowest bottom.
    """
    order = sorted(range(len(wanted)), key=lambda i: (wanted[i], i))
    blocks: list[list] = []      # [top, total height, [(index, offset in the block)]]

    def settle(block: list) -> None:
        members = block[2]
        top = sum(wanted[i] - heights[i] / 2 - offset for i, offset in members) / len(members)
        block[0] = max(low, top)

    for i in order:
        block = [0.0, heights[i], [(i, 0.0)]]
        settle(block)
        blocks.append(block)
        while len(blocks) > 1 and blocks[-2][0] + blocks[-2][1] + gap > blocks[-1][0]:
            last = blocks.pop()
            previous = blocks[-1]
            shift = previous[1] + gap
            previous[2] += [(index, offset + shift) for index, offset in last[2]]
            previous[1] = shift + last[1]
            settle(previous)
    tops = [0.0] * len(wanted)
    for top, _, members in blocks:
        for index, offset in members:
            tops[index] = top + offset
    return tops


def marker(shape: int, x: float, y: float) -> str:
    """One of six shapes, so that series differ in form as well as in colour (currentColor)."""
    kind = shape % 6
    if kind == 0:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="currentColor"/>'
    if kind == 1:
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="currentColor"/>'
    if kind == 2:
        return f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y + 4:.1f}L{x - 5:.1f} {y + 4:.1f}Z" fill="currentColor"/>'
    if kind == 3:
        return (f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y:.1f}L{x:.1f} {y + 5:.1f}L{x - 5:.1f} {y:.1f}Z" '
                f'fill="currentColor"/>')
    if kind == 4:   # hollow: filled with the page's background (archive.css), ringed in the series' colour
        return (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" class="wr-chart__hollow" stroke="currentColor" '
                f'stroke-width="2"/>')
    return (f'<path d="M{x - 4:.1f} {y - 4:.1f}L{x + 4:.1f} {y + 4:.1f}M{x + 4:.1f} {y - 4:.1f}L{x - 4:.1f} {y + 4:.1f}" '
            f'stroke="currentColor" stroke-width="2.5"/>')


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
               lang: str) -> str:
    """``lines`` maps a series name to its (year, value) points; ``describe`` formats a value.

    Two SVGs, the wide drawing (class ``wr-chart``) then the narrow one (``wr-chart wr-chart--narrow``).
    """
    lines = {name: points for name, points in lines.items() if points}
    if not lines:
        return ""
    wide = _drawing(WIDE, chart_id, lines, axis, lang,
                    f'<title id="{chart_id}-t">{escape(title)}</title>'
                    f'<desc id="{chart_id}-d">{escape(describe_all(lines, describe, lang))}</desc>')
    narrow = _drawing(NARROW, chart_id, lines, axis, lang, "")
    return wide + narrow


def _drawing(layout: Layout, chart_id: str, lines: dict[str, list[tuple[int, Number]]], axis: str, lang: str,
             labels: str) -> str:
    years = sorted({year for points in lines.values() for year, _ in points})
    values = [value for points in lines.values() for _, value in points]
    ticks = nice_ticks(min(0, min(values)), max(values))
    low, high = ticks[0], ticks[-1]
    tick_text = [_short(tick, lang) for tick in ticks]
    left = max(layout.min_left, math.ceil(max(text_width(text) for text in tick_text)) + 12)
    top = layout.top
    plot_w = layout.width - left - layout.right
    plot_bottom = top + layout.plot_height

    def x_of(year: int) -> float:
        return left + (plot_w / 2 if len(years) == 1 else plot_w * years.index(year) / (len(years) - 1))

    def y_of(value: Number) -> float:
        return top + layout.plot_height * (1 - (value - low) / ((high - low) or 1))

    body = []
    for tick, text in zip(ticks, tick_text):
        y = y_of(tick)
        body.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" class="wr-chart__grid"/>')
        body.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="wr-chart__tick">{escape(text)}</text>')
    for year in _year_labels(years, plot_w):
        body.append(f'<text x="{x_of(year):.1f}" y="{plot_bottom + 20}" text-anchor="middle" '
                    f'class="wr-chart__tick">{year}</text>')
    body.append(f'<text x="4" y="{top - 14}" class="wr-chart__axis">{escape(axis)}</text>')  # above the top tick's

    series = []
    for number, (name, points) in enumerate(lines.items()):
        dash = DASHES[number % len(DASHES)]
        coords = [(x_of(year), y_of(value)) for year, value in points]
        path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f} {y:.1f}" for i, (x, y) in enumerate(coords))
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        series.append([f'<g class="wr-chart__series wr-series-{number % SERIES_COLOURS + 1}">'
                       f'<path d="{path}" fill="none" stroke="currentColor" stroke-width="2"{dashed}/>'
                       + "".join(marker(number, x, y) for x, y in coords), coords, name, dash])

    height = plot_bottom + layout.bottom
    if layout.legend:
        height = _legend(series, layout, height, body)
    else:
        height = max(height, _end_labels(series, left + plot_w, layout))
    parts = [f'<svg class="wr-chart{" wr-chart--narrow" if layout.legend else ""}" '
             f'viewBox="0 0 {layout.width} {height}" font-size="{FONT}" role="img" '
             f'aria-labelledby="{chart_id}-t {chart_id}-d">', labels, *body]
    parts += [group + "</g>" for group, *_ in series]
    parts.append("</svg>")
    return "".join(parts)


def _end_labels(series: list[list], plot_right: float, layout: Layout) -> float:
    """Each name in the column right of the plot, moved apart; returns the height the drawing needs."""
    column = plot_right + 18        # clear of the last year's label, centred on the plot's right edge
    room = layout.width - column - 4
    wrapped = [wrap(name, room) for _, _, name, _ in series]
    heights = [len(name_lines) * LINE for name_lines in wrapped]
    wanted = [coords[-1][1] for _, coords, _, _ in series]
    tops = place_labels(wanted, heights, low=4)
    bottom = 0.0
    for entry, name_lines, top, height, want in zip(series, wrapped, tops, heights, wanted):
        last_x, last_y = entry[1][-1]
        centre = top + height / 2
        if abs(centre - want) > 1 or last_x < plot_right - 0.5:
            entry[0] += (f'<line x1="{last_x + 6:.1f}" y1="{last_y:.1f}" x2="{column - 3:.1f}" y2="{centre:.1f}" '
                         f'class="wr-chart__leader" stroke="currentColor"/>')
        entry[0] += _text_lines(name_lines, column, top)
        bottom = max(bottom, top + height)
    return math.ceil(bottom + 6)


def _legend(series: list[list], layout: Layout, y: float, body: list[str]) -> float:
    """Under the plot, one row per series: its line, marker and name; returns the drawing's height."""
    x_text = 40
    for number, entry in enumerate(series):
        name_lines = wrap(entry[2], layout.width - x_text - 4)
        centre = y + LINE / 2
        dashed = f' stroke-dasharray="{entry[3]}"' if entry[3] else ""
        entry[0] += (f'<path d="M6 {centre:.1f}L32 {centre:.1f}" fill="none" stroke="currentColor" stroke-width="2"'
                     f'{dashed}/>{marker(number, 19, centre)}{_text_lines(name_lines, x_text, y)}')
        y += len(name_lines) * LINE + 4
    return math.ceil(y + 4)


def _text_lines(lines: list[str], x: float, top: float) -> str:
    """A name of one or more lines, its first line's box at ``top``."""
    if len(lines) == 1:
        return f'<text x="{x:.1f}" y="{top + 12:.1f}" class="wr-chart__label" fill="currentColor">{escape(lines[0])}</text>'
    spans = "".join(f'<tspan x="{x:.1f}" y="{top + 12 + i * LINE:.1f}">{escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    return f'<text class="wr-chart__label" fill="currentColor">{spans}</text>'


def _year_labels(years: list[int], plot_w: float) -> list[int]:
    """The years to label: all when they fit, else every n-th, always the last."""
    if len(years) < 2:
        return years
    spacing = plot_w / (len(years) - 1)
    step = max(1, math.ceil((text_width("2000") + 8) / spacing))
    return [year for i, year in enumerate(years) if (len(years) - 1 - i) % step == 0]


def describe_all(lines: dict[str, list[tuple[int, Number]]], describe, lang: str) -> str:
    """The chart as a sentence per series, for readers who do not see it."""
    rules = conventions(lang)
    colon, comma, semicolon = rules.colon, rules.comma, rules.semicolon
    return semicolon.join(f"{name}{colon}" + comma.join(f"{year} {describe(value)}" for year, value in points)
                          for name, points in lines.items())


def _short(value: float, lang: str) -> str:
    """Tick labels: 1.2亿 or 120M for large numbers, plain otherwise."""
    for size, suffix in conventions(lang).ticks:
        if abs(value) >= size:
            return f"{value / size:g}{suffix}"
    return f"{value:g}"
