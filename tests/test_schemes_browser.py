"""Light and dark schemes, the scheme toggle, readable charts and numbers, in Chromium.

The fixture site, with one more tax report so that the revenue-growth chart has two series
ending a hair apart (6.2% and 6.25% would print on one line): the system setting picks the
scheme (``emulate_media``), the header's toggle switches it and is remembered; every focused
control of the header is visible and named; chart text is 12 px or more at 360 and 1366 px
and no page scrolls sideways; the names at the lines' ends do not overlap; figures are
right-aligned; text contrast is 4.5:1 or more in both schemes.
"""
from __future__ import annotations

import pytest

from sites import make_site

pytestmark = pytest.mark.cost(140)  # seconds, about: started before the quick modules (conftest.py)

EXTRA_REPORT = "reports/2023/tax-2023.md"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("schemes") / "site", search=False)
    source = (site.docs / "reports/2022/tax-2022.md").read_text(encoding="utf-8")
    site.write(EXTRA_REPORT, source.replace("2022年度", "2023年度").replace("year: 2022", "year: 2023")
               .replace("date: 2023-01-12", "date: 2024-01-10")
               .replace("  average_age: 38.5\n", "  average_age: 38.5\n  growth_rate: 6.2\n"))
    site.edit("reports/2023/finance-2023.md", "growth_rate: 5.1", "growth_rate: 6.25")
    result = site.build()
    assert result.returncode == 0, result.output
    return site


@pytest.fixture(scope="module")
def base(site, serve):
    return serve(site.out, "/")


@pytest.fixture
def open_page(browser, base):
    """A page in a fresh context (nothing remembered) of the given width and system scheme."""
    contexts, errors = [], []

    def start(url: str, width: int = 1366, scheme: str = "light"):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base + url)
        page.wait_for_load_state("networkidle")
        return page

    yield start
    for context in contexts:
        context.close()
    assert errors == []


SCHEME = "() => document.body.getAttribute('data-md-color-scheme')"
BACKGROUND = "() => getComputedStyle(document.body).backgroundColor"
SERIES_1 = "() => getComputedStyle(document.body).getPropertyValue('--wr-series-1').trim()"


@pytest.mark.parametrize("system, scheme, background, series", [
    ("light", "default", "rgb(255, 255, 255)", "#3949ab"),
    ("dark", "slate", "rgb(30, 33, 41)", "#9fa8da"),
])
def test_the_scheme_follows_the_system_setting(open_page, system, scheme, background, series):
    page = open_page("metrics/", scheme=system)
    assert page.evaluate(SCHEME) == scheme
    assert page.evaluate(BACKGROUND) == background
    assert page.evaluate(SERIES_1) == series
    first_series = page.locator("svg.wr-chart:not(.wr-chart--narrow) .wr-series-1").first
    assert first_series.evaluate("g => getComputedStyle(g.querySelector('path')).stroke") == \
        "rgb({}, {}, {})".format(*(int(series[i:i + 2], 16) for i in (1, 3, 5)))


@pytest.mark.parametrize("url, to_dark, to_light", [
    ("metrics/", "切换到深色模式", "切换到浅色模式"),
    ("en/metrics/", "Switch to dark mode", "Switch to light mode"),
])
def test_the_toggle_switches_the_scheme_and_is_remembered(open_page, url, to_dark, to_light):
    page = open_page(url)
    toggle = page.locator("form[data-md-component=palette] label:visible")
    assert toggle.get_attribute("title") == to_dark
    toggle.click()
    assert page.evaluate(SCHEME) == "slate"
    assert page.evaluate(SERIES_1) == "#9fa8da"
    assert page.locator("form[data-md-component=palette] label:visible").get_attribute("title") == to_light
    page.reload()
    assert page.evaluate(SCHEME) == "slate"          # remembered over the system's light
    for _ in range(10):                               # and with the keyboard: Tab to the toggle, then Enter
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('input.md-option')"):
            break
    # after a reload no radio is checked: the one reached is the one under the visible label
    assert page.evaluate("document.activeElement.nextElementSibling.title") == to_light
    page.keyboard.press("Enter")
    assert page.evaluate(SCHEME) == "default"
    assert page.evaluate("document.activeElement.nextElementSibling.title") == to_dark
    assert page.evaluate(FOCUSED)["labelCovers"]


#: what a focused element shows: its box, its name, whether it is transparent, whether the label
#: drawn over it (Material's radios show their focus ring on the label after them) covers it
FOCUSED = """() => {
  document.getAnimations().forEach(animation => animation.finish());   // Material fades the skip link in
  const e = document.activeElement, r = e.getBoundingClientRect(), style = getComputedStyle(e);
  const label = e.matches('input.md-option') ? e.nextElementSibling : null;
  const l = label && label.getBoundingClientRect();
  const named = (e.getAttribute('aria-label') || '').trim() || (e.getAttribute('title') || '').trim()
    || (e.innerText || '').trim() || (e.getAttribute('aria-labelledby') || '').split(' ').map(
      id => (document.getElementById(id) || {}).textContent || '').join('').trim();
  return {tag: e.tagName.toLowerCase() + (typeof e.className === 'string' ? '.' + e.classList[0] : ''),
          inHeader: !!e.closest('.md-header') || e.matches('.md-skip'), name: named,
          width: r.width, height: r.height, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
          shown: style.visibility !== 'hidden' && parseFloat(style.opacity) > 0,
          labelCovers: !!l && l.width > 0 && !label.hidden && l.left <= r.left + 1 && l.right >= r.right - 1
                       && l.top <= r.top + 1 && l.bottom >= r.bottom - 1,
          ring: !!label && getComputedStyle(label).outlineStyle !== 'none'};
}"""


@pytest.mark.parametrize("width", [360, 1366])
@pytest.mark.parametrize("url", ["reports/2022/tax-2022/", "en/metrics/"])
def test_every_control_tabbed_to_in_the_header_is_visible_and_named(open_page, url, width):
    page = open_page(url, width=width)
    seen = []
    for _ in range(30):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if not focused["inHeader"]:
            break
        seen.append(focused)
        assert focused["name"], focused
        assert focused["width"] >= 16 and focused["height"] >= 16, focused
        assert focused["left"] >= 0 and focused["right"] <= width and focused["top"] >= 0, focused
        assert focused["shown"] or (focused["labelCovers"] and focused["ring"]), focused
    assert any(focused["tag"] == "input.md-option" for focused in seen), seen


FONT_SIZES = """() => [...document.querySelectorAll('figure.wr-chart-figure')].map(figure => {
  const shown = [...figure.querySelectorAll('svg')].filter(svg => getComputedStyle(svg).display !== 'none');
  return shown.map(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return {narrow: svg.classList.contains('wr-chart--narrow'), figure: figure.clientWidth,
            sizes: [...svg.querySelectorAll('text, tspan')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale)};
  });
})"""


@pytest.mark.parametrize("width, narrow", [(360, True), (1366, False)])
@pytest.mark.parametrize("url", ["metrics/", "en/metrics/", "units/tax-bureau/figures/"])
def test_chart_text_is_at_least_12px_and_nothing_scrolls_sideways(open_page, url, width, narrow):
    page = open_page(url, width=width)
    figures = page.evaluate(FONT_SIZES)
    assert figures or url.startswith("units/")
    for shown in figures:
        assert len(shown) == 1                        # one drawing of each chart on screen
        assert shown[0]["narrow"] is narrow
        assert min(shown[0]["sizes"]) >= 12, shown
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("url", ["", "archive/", "archive/2022/", "topics/revenue/", "units/tax-bureau/", "topics/",
                                 "units/", "reports/2022/tax-2022/", "en/", "en/archive/2022/", "en/reports/2022/tax-2022/",
                                 "en/reports/2021/tax-2021/", "search/", "en/search/"])
def test_no_page_scrolls_sideways_on_a_phone(open_page, url):  # figures pages: the test above
    page = open_page(url, width=360)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # nor does the breadcrumb inside itself (Material's path is one line that scrolls): it wraps
    assert page.evaluate("() => [...document.querySelectorAll('.wr-path')].map(nav => nav.scrollWidth - nav.clientWidth)"
                         ) in ([], [0])


LABEL_BOXES = """id => [...document.getElementById(id).closest('svg').querySelectorAll('.wr-chart__label')]
  .map(t => { const r = t.getBoundingClientRect(); return {text: t.textContent, top: r.top, bottom: r.bottom,
                                                           left: r.left, right: r.right}; })"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_names_of_series_ending_together_do_not_overlap(open_page, scheme):
    page = open_page("metrics/", scheme=scheme)
    boxes = page.evaluate(LABEL_BOXES, "chart-growth_rate-t")
    assert sorted(box["text"] for box in boxes) == ["区税务局", "区财政局"]
    first, second = sorted(boxes, key=lambda box: box["top"])
    assert first["bottom"] <= second["top"]
    assert page.locator("#metric-growth_rate + figure svg.wr-chart:not(.wr-chart--narrow) .wr-chart__leader").count() >= 1


ALIGNMENTS = """() => [...document.querySelectorAll('.md-typeset td, .md-typeset th')]
  .filter(cell => cell.closest('.wr-figures, .wr-series, .wr-counts, .wr-unit-figures'))
  .map(cell => [cell.classList.contains('wr-num'), getComputedStyle(cell).textAlign])"""


@pytest.mark.parametrize("url, least", [
    ("reports/2022/tax-2022/", 5), ("metrics/", 8), ("en/metrics/", 8), ("units/tax-bureau/figures/", 5),
])
def test_numbers_are_right_aligned(open_page, url, least):
    cells = open_page(url).evaluate(ALIGNMENTS)
    numbers = [align for is_number, align in cells if is_number]
    assert len(numbers) >= least
    assert set(numbers) == {"right"}
    assert "left" in {align for is_number, align in cells if not is_number}   # Material's rule is there, and loses


#: every text of the archive's own markup (classes wr-*) and of the charts, with the contrast of its
#: colour over its background, both composited (Material's greys are translucent)
CONTRASTS = """() => {
  const rgba = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
  const background = e => { const stack = []; for (let n = e; n && n.nodeType === 1; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor); if (c && c[3] > 0) stack.push(c); }
    return stack.reverse().reduce((under, top) => over(top, under), [255, 255, 255, 1]); };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const ratio = (a, b) => { const [h, l] = [lum(a), lum(b)].sort((x, y) => y - x); return (h + 0.05) / (l + 0.05); };
  const texts = [...document.querySelectorAll('.md-content [class*="wr-"], .md-content [class*="wr-"] *')]
    .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
    .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden'
                 && !e.closest('svg[style*="none"]') && e.getBoundingClientRect().width > 0);
  return texts.map(e => { const style = getComputedStyle(e), bg = background(e.closest('svg') || e);
    const fg = over(rgba(e.closest('svg') ? style.fill : style.color), bg);
    return {text: e.textContent.trim().slice(0, 30), cls: String(e.getAttribute('class') || e.tagName),
            ratio: Math.round(ratio(fg, bg) * 100) / 100}; });
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("url, how", [("metrics/", "system"), ("reports/2022/tax-2022/", "system"),
                                      ("archive/", "system"), ("reports/2022/tax-2022/", "toggle")])
def test_text_contrast_is_at_least_4_5_in_both_schemes(open_page, url, scheme, how):
    if how == "system":
        page = open_page(url, scheme=scheme)
    else:    # the other system setting, then the toggle
        page = open_page(url, scheme="dark" if scheme == "light" else "light")
        page.locator("form[data-md-component=palette] label:visible").click()
    assert page.evaluate(SCHEME) == ("slate" if scheme == "dark" else "default")
    texts = page.evaluate(CONTRASTS)
    assert len(texts) >= 5
    if url == "metrics/":
        assert any(text["cls"] == "wr-chart__label" for text in texts)
    low = [text for text in texts if text["ratio"] < 4.5]
    assert low == []
