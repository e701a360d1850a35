"""Printing in Chromium (issue 12): a report prints as an official document in the manner of GB/T 9704 and
a listing as a table (docs/stylesheets/archive-print.css).

The fixture site is built for real, each page printed to PDF with Playwright's ``page.pdf`` (Chromium's
printing, as a reader's Ctrl-P without the browser's own headers and footers) and read back with pypdf;
the computed styles are read with ``emulate_media(media="print")``, and the faces Chromium actually
chose with the DevTools protocol (``CSS.getPlatformFontsForNode``).
"""
from __future__ import annotations

import os
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest

from sites import make_site

pytestmark = pytest.mark.cost(30)  # seconds, about: started before the quick modules (conftest.py)

pypdf = pytest.importorskip("pypdf")

REPORT = "reports/2022/tax-2022/"
LISTING = "archive/2022/"
TITLE = "区税务局2022年度工作汇报"
MM = 72 / 25.4                      # PDF points per millimetre
A4 = (210 * MM, 297 * MM)           # 595.3 × 841.9 pt
# What a printed page must not carry: the header, tabs, search, edit link, skip link, language menu,
# previous/next links, the back-to-top button, the footer and the permalinks' pilcrow.
SITE_STRINGS = ("搜索", "编辑此页", "跳转至", "回到页面顶部", "上一篇", "下一篇", "English", "Material for MkDocs",
                "工作汇报档案", "¶", "http", "../")

# The text appended to the fixture report: every heading level of a 公文, and enough text for several pages.
PARAGRAPH = ("坚持问题导向和目标导向，完善工作机制，压实工作责任，推动各项任务落地见效，"
             "以高质量的工作成效服务全区经济社会发展大局。")
SECTIONS = "\n\n".join(
    f"## {number}、深化改革创新\n\n### （一）健全工作机制\n\n{PARAGRAPH * 3}\n\n#### 1．强化统筹协调\n\n"
    f"{PARAGRAPH * 3}\n\n##### （1）细化工作措施\n\n{PARAGRAPH * 2}"
    for number in ("三", "四", "五"))


def text_of(page) -> str:
    """A PDF page's text as read; NFKC because Chromium maps some CJK glyphs to their Kangxi radicals
    (文 is written as U+2F42 ⽂ in the PDF's ToUnicode map). Full-width punctuation becomes ASCII."""
    return unicodedata.normalize("NFKC", page.extract_text())


def squash(text: str) -> str:
    """Text as ``text_of`` gives it, without white space: how an expected string is compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def placed(page) -> list[tuple[float, float, str]]:
    """(x, y, text) of every run of text on a PDF page, in points from the bottom left corner."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            runs.append((cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3], unicodedata.normalize("NFKC", text)))

    page.extract_text(visitor_text=visit)
    return runs


SALUTATION = "区委组织部："               # the report's recipient, as the first line of its text (主送机关)
SALUTATION_EN = "To the District Organisation Department:"
LONG_LISTING = "units/tax-bureau/"          # 33 reports: a table over more than one page
EARLIER_YEARS = range(1990, 2021)


def with_salutation(path: Path, line: str) -> None:
    """The report's text, beginning with its salutation line."""
    head, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
    path.write_text(f"{head}\n---\n\n{line}\n{body}", encoding="utf-8")


@pytest.fixture(scope="module")
def printed_site(tmp_path_factory) -> Path:
    site = make_site(tmp_path_factory.mktemp("print") / "site", search=False)
    report = site.docs / "reports" / "2022" / "tax-2022.md"
    report.write_text(report.read_text(encoding="utf-8") + "\n" + SECTIONS + "\n", encoding="utf-8")
    with_salutation(report, SALUTATION)
    with_salutation(site.docs / "reports" / "2022" / "tax-2022.en.md", SALUTATION_EN)
    earlier = (site.docs / "reports" / "2021" / "tax-2021.md").read_text(encoding="utf-8")
    for year in EARLIER_YEARS:  # the unit's listing runs onto a second page
        (site.docs / "reports" / str(year)).mkdir()
        (site.docs / "reports" / str(year) / f"tax-{year}.md").write_text(
            earlier.replace("2021", str(year)).replace("2022-01-10", f"{year + 1}-01-10"), encoding="utf-8")
    result = site.build()
    assert result.returncode == 0, result.output
    return site.out


@pytest.fixture(scope="module")
def base(printed_site, serve) -> str:
    return serve(printed_site)


def open_printed(page, url: str):
    page.goto(url)
    page.emulate_media(media="print")
    return page


def print_pdf(page, path: Path):
    """Print as Chromium does, the page's CSS deciding the paper size and margins."""
    page.pdf(path=str(path), prefer_css_page_size=True)
    return pypdf.PdfReader(str(path))


def style(page, selector: str, prop: str) -> str:
    return page.eval_on_selector(selector, f"e => getComputedStyle(e).getPropertyValue('{prop}')")


def families(value: str) -> list[str]:
    return [name.strip().strip('"') for name in value.split(",")]


def test_report_prints_on_a4_with_page_numbers_and_nothing_of_the_site(page, base, tmp_path):
    pdf = print_pdf(open_printed(page, base + REPORT), tmp_path / "report.pdf")
    assert 3 <= len(pdf.pages) <= 6
    for sheet in pdf.pages:
        width, height = float(sheet.mediabox.width), float(sheet.mediabox.height)
        assert abs(width - A4[0]) < 1.5 and abs(height - A4[1]) < 1.5, (width, height)
    texts = [text_of(sheet) for sheet in pdf.pages]
    whole = "\n".join(texts)
    assert TITLE in texts[0]
    assert squash("（一）健全工作机制") in squash(whole) and squash("（1）细化工作措施") in squash(whole)
    assert [s for s in SITE_STRINGS if s in whole] == []
    # the metadata, compact: label and value together
    assert squash("报送单位：区税务局") in squash(texts[0])
    # the figures are an annex beginning a page of its own
    body = [run for run in placed(pdf.pages[-1]) if run[1] > 35 * MM]
    top = max(y for x, y, text in body)
    assert "".join(text for x, y, text in sorted(body) if abs(y - top) < 1).strip() == "报告数据"
    # "— n —" under the text block: odd pages on the right, even pages on the left (GB/T 9704 §7.5)
    for number, sheet in enumerate(pdf.pages, start=1):
        marks = [(x, y) for x, y, text in placed(sheet) if text.strip() == str(number)]
        assert f"— {number} —" in texts[number - 1]
        assert marks, f"no page number on page {number}"
        x, y = marks[0]
        assert y < 35 * MM, (number, y)                       # in the bottom margin
        assert (x > A4[0] / 2) if number % 2 else (x < A4[0] / 2), (number, x)
    # the text block: the title's baseline just under the 37 mm top margin, headings indented two
    # characters (16 pt each) from the 28 mm left margin
    runs = placed(pdf.pages[0])
    title_y = max(y for x, y, text in runs if text.strip() and text.strip() in TITLE)
    assert A4[1] - 37 * MM - 35 < title_y < A4[1] - 37 * MM, title_y
    heading_x = [x for x, y, text in placed(pdf.pages[1]) + runs if text.startswith(("(一)", "一、", "二、"))]
    assert heading_x and all(abs(x - (28 * MM + 32)) < 1.5 for x in heading_x), heading_x


def test_report_print_styles(page, base):
    open_printed(page, base + REPORT)
    # none of the site around the text
    hidden = page.evaluate("""() => [...document.querySelectorAll(
        'header, footer, nav, .md-tabs, .md-sidebar, .md-skip, .md-top, .md-content__button, .md-select, '
        + '.wr-search, .wr-neighbours, .headerlink, button, input')]
        .filter(e => !e.closest('[hidden]')).map(e => [e.tagName + '.' + e.className, getComputedStyle(e).display])""")
    names = {name.split(".")[0] for name, _ in hidden}
    assert {"HEADER", "FOOTER", "NAV", "A"} <= names
    assert [name for name, display in hidden if display != "none"] == []
    assert page.locator("a.md-content__button").count() == 1          # the edit link is there on screen
    # 仿宋 3号 body, 28.95 pt lines, paragraphs indented two characters
    body = families(style(page, "body", "font-family"))
    assert body[:4] == ["FangSong", "仿宋", "FangSong_GB2312", "仿宋_GB2312"]
    assert "Noto Serif CJK SC" in body and body[-1] == "serif"
    paragraph = "article p:not(.admonition-title):not(.wr-salutation)"
    assert style(page, paragraph, "font-size") == "21.3333px"           # 16 pt
    assert style(page, paragraph, "line-height") == "38.6px"            # 28.95 pt
    assert style(page, paragraph, "text-indent") == "42.6667px"         # 2em
    # the title: 2号 (22 pt), centred, in the 小标宋 stack; headings 黑体, 楷体, 仿宋 bold
    assert style(page, "article h1", "text-align") == "center"
    assert style(page, "article h1", "font-size") == "29.3333px"
    assert families(style(page, "article h1", "font-family"))[0] == "方正小标宋简体"
    assert families(style(page, "article h2", "font-family"))[:2] == ["SimHei", "黑体"]
    assert families(style(page, "article h3", "font-family"))[:2] == ["KaiTi", "楷体"]
    assert families(style(page, "article h4", "font-family"))[0] == "FangSong"
    assert style(page, "article h4", "font-weight") == "700"
    # links print as their text, in black, with nothing appended
    assert style(page, "dl.wr-meta a", "color") == "rgb(0, 0, 0)"
    assert style(page, "dl.wr-meta a", "text-decoration-line") == "none"
    assert page.eval_on_selector("dl.wr-meta a", "e => getComputedStyle(e, '::after').content") in ("none", "normal")
    # the figures panel: a ruled table, numbers on the right
    assert style(page, ".wr-figures table", "display") == "table"
    assert style(page, ".wr-figures td", "border-top-style") == "solid"
    assert style(page, ".wr-figures td.wr-num", "text-align") == "right"
    # the paper: A4 with GB/T 9704's margins, from this stylesheet's @page rule
    rules = page.evaluate("""() => [...document.styleSheets].filter(s => s.href && s.href.endsWith('/archive-print.css'))
        .flatMap(s => [...s.cssRules]).filter(r => r instanceof CSSPageRule && r.selectorText === '')
        .map(r => [r.style.size, r.style.marginTop, r.style.marginRight, r.style.marginBottom, r.style.marginLeft])""")
    assert rules == [["a4", "37mm", "26mm", "35mm", "28mm"]]


def test_print_is_black_on_white_in_the_dark_scheme(page, base):
    open_printed(page, base + REPORT)
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    assert style(page, "article h1", "color") == "rgb(0, 0, 0)"
    assert style(page, "article p:not(.admonition-title)", "color") == "rgb(0, 0, 0)"
    assert style(page, "body", "background-color") == "rgb(255, 255, 255)"


def test_screen_is_unchanged(page, base):
    page.goto(base + REPORT)
    assert families(style(page, "body", "font-family"))[0] != "FangSong"
    assert style(page, "header.md-header", "display") != "none"
    assert style(page, "article h1", "text-align") != "center"


FACES = {  # element → (family, PostScript name) Chromium draws it with on Debian with .ci/run's fonts
    "article h1": ("Noto Serif CJK SC", "NotoSerifCJKsc-Bold"),     # 小标宋 stand-in: the bold face, not faux bold
    "article h2": ("Noto Sans CJK SC", "NotoSansCJKsc-Regular"),    # 黑体
    "article h3": ("AR PL UKai CN", "UKaiCN"),                      # 楷体
    "article h4": ("Noto Serif CJK SC", "NotoSerifCJKsc-Bold"),     # 仿宋 bold: no Debian 仿宋, the serif
    "article p:not(.admonition-title)": ("Noto Serif CJK SC", "NotoSerifCJKsc-Regular"),  # 仿宋 → serif
}


def installed_families() -> set[str]:
    try:
        listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return set()
    return {name for line in listed.splitlines() for name in line.split(",")}


def test_faces_chromium_draws_with(page, base):
    missing = {family for family, _ in FACES.values()} - installed_families()
    if missing:
        reason = f"fonts not installed: {sorted(missing)} (apt-get install fonts-noto-cjk fonts-arphic-ukai)"
        if os.environ.get("ARCHIVE_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    open_printed(page, base + REPORT)
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    drawn = {}
    for selector in FACES:
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        drawn[selector] = (fonts[0]["familyName"], fonts[0]["postScriptName"])
    assert drawn == FACES
    assert refused == []      # local() faces are not fetched: the pages' font-src 'self' is not involved


def test_listing_prints_as_a_table(page, base, tmp_path):
    open_printed(page, base + LISTING)
    assert style(page, "ul.wr-list", "display") == "table"
    assert style(page, "li.wr-item", "display") == "table-row"
    cells = page.evaluate("""() => [...document.querySelector('li.wr-item').querySelectorAll(
        ':scope > .wr-item__title, :scope > .wr-item__meta > *')].map(e => getComputedStyle(e).display)""")
    assert cells == ["table-cell"] * len(cells) and len(cells) >= 3
    assert style(page, "li.wr-item > .wr-item__title", "border-top-style") == "solid"
    pdf = print_pdf(page, tmp_path / "listing.pdf")
    assert len(pdf.pages) == 1
    text = text_of(pdf.pages[0])
    assert "2022年度报告" in text and TITLE in text and "— 1 —" in text
    assert [s for s in SITE_STRINGS if s in text] == []
    # one row a report: title, unit and date on one line of the table
    row = [line for line in text.splitlines() if TITLE in line]
    assert row and "区税务局" in row[0].replace(TITLE, "") and "2023-01-12" in row[0], text


def lines_of(sheet) -> list[tuple[float, float, str]]:
    """(y, x of its first run, text without white space) of every line of a PDF page, top first: Chromium
    writes CJK text a glyph a run, so runs on one baseline are one line."""
    rows: dict[float, list[tuple[float, str]]] = {}
    for x, y, text in placed(sheet):
        key = next((known for known in rows if abs(known - y) < 1), y)
        rows.setdefault(key, []).append((x, text))
    return [(y, min(x for x, _ in runs), squash("".join(text for _, text in sorted(runs))))
            for y, runs in sorted(rows.items(), reverse=True)]


def test_the_salutation_prints_flush_left(page, base, tmp_path):
    """主送机关 (GB/T 9704 §7.3.2): the recipient line starts at the left margin, the text two characters in."""
    open_printed(page, base + REPORT)
    assert page.eval_on_selector("article p.wr-salutation", "e => e.textContent") == SALUTATION
    assert page.locator("article p.wr-salutation").count() == 1
    assert style(page, "article p.wr-salutation", "text-indent") == "0px"
    assert style(page, "article p.wr-salutation + h2", "text-indent") == "42.6667px"
    pdf = print_pdf(page, tmp_path / "report.pdf")
    lines = lines_of(pdf.pages[0])
    [salutation] = [x for y, x, text in lines if text == squash(SALUTATION)]
    assert abs(salutation - 28 * MM) < 1.5, salutation                     # the left margin: 28 mm
    [heading] = [x for y, x, text in lines if text == "一、组织收入"]
    assert abs(heading - (28 * MM + 32)) < 1.5, heading                    # two 16 pt characters in
    # the translation's salutation line too, and no other page's paragraph
    open_printed(page, base + "en/" + REPORT)
    assert page.eval_on_selector_all("article p.wr-salutation", "es => es.map(e => e.textContent)") == [SALUTATION_EN]
    assert style(page, "article p.wr-salutation", "text-indent") == "0px"
    open_printed(page, base + REPORT.replace("2022", "2021"))
    assert page.locator("p.wr-salutation").count() == 0                   # its text starts with a heading


HEADER_ROW = "标题报送单位印发日期主题"
ROW = re.compile(r"区税务局(\d{4})年度工作汇报区税务局(\d{4}-\d\d-\d\d).*")


def test_a_long_listing_repeats_its_header_row_on_every_page(page, base, tmp_path):
    open_printed(page, base + LONG_LISTING)
    assert style(page, "li.wr-list__head", "display") == "table-header-group"
    pdf = print_pdf(page, tmp_path / "long.pdf")
    assert len(pdf.pages) >= 2
    years = []
    for number, sheet in enumerate(pdf.pages, start=1):
        lines = [(y, text) for y, x, text in lines_of(sheet) if y > 35 * MM]
        headers = [y for y, text in lines if text == HEADER_ROW]
        rows = [(y, ROW.fullmatch(text)) for y, text in lines if ROW.fullmatch(text)]
        assert len(headers) == 1 and rows, (number, lines[:6])
        assert headers[0] > max(y for y, _ in rows), number                  # the top row of the table
        years += [int(match.group(1)) for _, match in rows]
    assert sorted(years) == [*EARLIER_YEARS, 2021, 2022]                    # each report once, one line each


def test_the_header_row_is_not_on_screen(page, base):
    page.goto(base + LONG_LISTING)
    assert style(page, "li.wr-list__head", "display") == "none"
    assert page.eval_on_selector("li.wr-list__head", "e => e.hidden && e.getAttribute('aria-hidden')") == "true"
    assert page.locator("li.wr-item").count() == len(EARLIER_YEARS) + 2


METRICS = "metrics/"
MONEY_TABLE = "h3#metric-tax_revenue ~ .wr-series table"   # the first table after the heading: tax revenue's


def test_a_money_column_names_its_unit_in_its_heading_on_paper(page, base, tmp_path):
    """Years down, units across: the tax bureau's tax revenue is 11亿元 or 12.68亿元 every year, so on paper
    its column's heading says 亿元 once and the cells hold the numbers; on screen every cell says its unit."""
    page.goto(base + METRICS)
    rows = page.eval_on_selector(MONEY_TABLE, "t => [...t.rows].slice(0, 3).map(r => r.innerText.split('\\t'))")
    assert rows == [["年度", "区税务局"], ["1990", "11亿元"], ["1991", "11亿元"]]
    open_printed(page, base + METRICS)
    rows = page.eval_on_selector(MONEY_TABLE, "t => [...t.rows].map(r => r.innerText.split('\\t'))")
    assert rows[:2] == [["年度", "区税务局（亿元）"], ["1990", "11"]] and rows[-1] == ["2022", "12.68"]
    assert len(rows) == len(EARLIER_YEARS) + 3
    assert page.eval_on_selector(MONEY_TABLE, "t => t.querySelector('data').getAttribute('title')") == "1,100,000,000元"
    pdf = print_pdf(page, tmp_path / "metrics.pdf")
    lines = [text for sheet in pdf.pages for _, _, text in lines_of(sheet)]
    assert squash("年度区税务局（亿元）") in lines
    assert "202212.68" in lines and "202212.68亿元" not in lines
