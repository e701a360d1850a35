"""The allowlist sanitizer: each attack → the exact cleaned HTML and the exact list of what was removed."""
from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

import pytest

from archive.problems import Problem
from archive.render import Context, quote_figures
from archive.report import Report
from archive.sanitize import (ATTRIBUTES, CONTENT_DROPPED, ELEMENT_VALUES, ELEMENTS, TRUSTED, body_line, clean, new_mark,
                              problems, shown, trusted)

REL = ' rel="noopener noreferrer"'


def removed(html: str, mark: str = "") -> list[tuple[str, str, str]]:
    return [(r.kind, r.element, r.text) for r in clean(html, mark).removed]


# --- script runs in the reader's browser --------------------------------------------------------

SCRIPT_CASES = [
    # a javascript: link whose scheme is hidden by character references, controls or case
    ('<p><a href="&#106;avascript:alert(1)">x</a></p>', f"<p><a{REL}>x</a></p>",
     [("link", "a", "javascript:alert(1)")]),
    ('<p><a href="jav&#x09;ascript:alert(1)">x</a></p>', f"<p><a{REL}>x</a></p>",
     [("link", "a", "jav\\x09ascript:alert(1)")]),
    ('<p><a href="java&#x0A;script:alert(1)">x</a></p>', f"<p><a{REL}>x</a></p>",
     [("link", "a", "java\\x0ascript:alert(1)")]),
    ('<p><a href="JaVaScRiPt:alert(1)">x</a></p>', f"<p><a{REL}>x</a></p>",
     [("link", "a", "JaVaScRiPt:alert(1)")]),
    ('<p><a href="\x01 javascript:alert(1)">x</a></p>', f"<p><a{REL}>x</a></p>",
     [("link", "a", "\\x01 javascript:alert(1)")]),
    ('<p><a href="vbscript:msgbox(1)">x</a></p>', f"<p><a{REL}>x</a></p>",
     [("link", "a", "vbscript:msgbox(1)")]),
    ('<p><a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a></p>', f"<p><a{REL}>x</a></p>",
     [("link", "a", "data:text/html,<script>alert(1)</script>")]),
    # event handlers, as attr_list writes them ({ onerror="…" }) or in HTML
    ('<p><img alt="pic" onerror="alert(1)" src="data:,"></p>', '<p><img alt="pic"></p>',
     [("attribute", "img", 'onerror="alert(1)"'), ("image", "img", "data:,")]),
    ('<p onmouseover="alert(1)">悬停</p>', "<p>悬停</p>", [("attribute", "p", 'onmouseover="alert(1)"')]),
    ('<h2 id="_1" onclick="alert(1)">标题</h2>', '<h2 id="_1">标题</h2>', [("attribute", "h2", 'onclick="alert(1)"')]),
    # script elements and other elements that run or embed code: removed with their content
    ("<script>alert(1)</script><p>正文</p>", "<p>正文</p>", [("element", "script", "<script>")]),
    ('<script src="https://evil.example/x.js"></script>', "",
     [("element", "script", '<script src="https://evil.example/x.js">')]),
    ('<iframe src="https://evil.example/"></iframe>', "", [("element", "iframe", '<iframe src="https://evil.example/">')]),
    ('<object data="https://evil.example/x.swf"></object>', "",
     [("element", "object", '<object data="https://evil.example/x.swf">')]),
    ('<embed src="https://evil.example/x.swf">', "", [("element", "embed", '<embed src="https://evil.example/x.swf">')]),
    ("<svg><script>alert(1)</script></svg>", "", [("element", "svg", "<svg>")]),
    ('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', "", [("element", "math", "<math>")]),
    ('<svg onload="alert(1)"/>', "", [("element", "svg", '<svg onload="alert(1)"/>')]),
    ("<template><script>alert(1)</script></template>", "", [("element", "template", "<template>")]),
]

# --- the page loads or sends to another host ---------------------------------------------------

LOAD_CASES = [
    ('<base href="https://evil.example/">', "", [("element", "base", '<base href="https://evil.example/">')]),
    ('<link rel="stylesheet" href="https://evil.example/x.css">', "",
     [("element", "link", '<link rel="stylesheet" href="https://evil.example/x.css">')]),
    ("<style>@import url(https://evil.example/x.css);</style><p>t</p>", "<p>t</p>", [("element", "style", "<style>")]),
    ('<p><span style="background:url(https://evil.example/x.png)">x</span></p>', "<p><span>x</span></p>",
     [("attribute", "span", 'style="background:url(https://evil.example/x.png)"')]),
    ('<svg><use href="https://evil.example/s.svg#x"></use></svg><p>后</p>', "<p>后</p>", [("element", "svg", "<svg>")]),
    # an input stays only as pymdownx.tabbed writes it (a radio button named __tabbed_n): not a form field
    ('<form action="https://evil.example/"><input name="q"><button>提交</button></form>', "<input type=\"radio\">提交",
     [("element", "form", '<form action="https://evil.example/">'), ("attribute", "input", 'name="q"'),
      ("element", "button", "<button>")]),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "",
     [("element", "meta", '<meta http-equiv="refresh" content="0;url=https://evil.example/">')]),
    # images only from the site itself
    ('<p><img src="https://evil.example/x.png" alt="a"></p>', '<p><img alt="a"></p>',
     [("image", "img", "https://evil.example/x.png")]),
    ('<p><img src="//evil.example/x.png"></p>', "<p><img></p>", [("image", "img", "//evil.example/x.png")]),
    ('<p><img src="\\\\evil.example/x.png"></p>', "<p><img></p>", [("image", "img", "\\\\evil.example/x.png")]),
    ('<p><img src="/\\evil.example/x.png"></p>', "<p><img></p>", [("image", "img", "/\\evil.example/x.png")]),
    ('<p><img src="/&#9;/evil.example/x.png"></p>', "<p><img></p>", [("image", "img", "/\\x09/evil.example/x.png")]),
    ('<p><img src="x.png" srcset="https://evil.example/x.png 2x"></p>', '<p><img src="x.png"></p>',
     [("attribute", "img", 'srcset="https://evil.example/x.png 2x"')]),
    ('<p><img src="x.png" loading="lazy" referrerpolicy="unsafe-url"></p>', '<p><img src="x.png" loading="lazy"></p>',
     [("attribute", "img", 'referrerpolicy="unsafe-url"')]),
    ('<p><img src="x.png" loading="javascript:alert(1)"></p>', '<p><img src="x.png"></p>',
     [("attribute", "img", 'loading="javascript:alert(1)"')]),
    # a link to another host stays a link, that cannot reach back into the page
    ('<p><a href="https://evil.example/" target="_blank" rel="opener">x</a></p>',
     f'<p><a href="https://evil.example/"{REL}>x</a></p>',
     [("attribute", "a", 'target="_blank"'), ("attribute", "a", 'rel="opener"')]),
    ('<p><a href="https://example.org/" ping="https://evil.example/">x</a></p>',
     f'<p><a href="https://example.org/"{REL}>x</a></p>', [("attribute", "a", 'ping="https://evil.example/"')]),
]

# --- the page's own markup cannot be forged ------------------------------------------------------

FORGERY_CASES = [
    # DOM clobbering: Material reads #__config, the search reads #wr-search-config
    ('<h2 id="__config">x</h2>', "<h2>x</h2>", [("anchor", "h2", "__config")]),
    ('<h2 id="wr-search-config">x</h2>', "<h2>x</h2>", [("anchor", "h2", "wr-search-config")]),
    ('<h2 id="figures">x</h2>', "<h2>x</h2>", [("anchor", "h2", "figures")]),
    ('<h3 id="metric-tax_revenue">x</h3>', "<h3>x</h3>", [("anchor", "h3", "metric-tax_revenue")]),
    ('<h2 id="Search">x</h2>', "<h2>x</h2>", [("anchor", "h2", "Search")]),
    ('<p id="x">段落</p>', "<p>段落</p>", [("attribute", "p", 'id="x"')]),
    ('<p><img name="getElementById" src="x.png"></p>', '<p><img src="x.png"></p>',
     [("attribute", "img", 'name="getElementById"')]),
    # the search's filters, sort and metadata
    ('<p><span data-pagefind-filter="year:1999">x</span></p>', "<p><span>x</span></p>",
     [("attribute", "span", 'data-pagefind-filter="year:1999"')]),
    ('<div data-pagefind-meta="title:假标题" data-pagefind-ignore>x</div>', "<div>x</div>",
     [("attribute", "div", 'data-pagefind-meta="title:假标题"'), ("attribute", "div", 'data-pagefind-ignore=""')]),
    ('<p data-pagefind-body hidden>x</p>', "<p>x</p>",
     [("attribute", "p", 'data-pagefind-body=""'), ("attribute", "p", 'hidden=""')]),
    # the archive's classes: a figure, a notice
    ('<p><span class="wr-figure" data-metric="tax_revenue">99亿元</span></p>', "<p><span>99亿元</span></p>",
     [("attribute", "span", 'class="wr-figure"'), ("attribute", "span", 'data-metric="tax_revenue"')]),
    ('<div class="admonition danger"><p class="admonition-title">t</p></div>', "<div><p>t</p></div>",
     [("attribute", "div", 'class="admonition danger"'), ("attribute", "p", 'class="admonition-title"')]),
    ('<p><code class="language-py x">c</code></p>', "<p><code>c</code></p>",
     [("attribute", "code", 'class="language-py x"')]),
]


@pytest.mark.parametrize("html, cleaned, what", SCRIPT_CASES + LOAD_CASES + FORGERY_CASES, ids=repr)
def test_each_attack_is_removed_and_named(html, cleaned, what):
    result = clean(html)
    assert result.html == cleaned
    assert [(r.kind, r.element, r.text) for r in result.removed] == what


@pytest.mark.parametrize("html", [case[0] for case in SCRIPT_CASES + LOAD_CASES + FORGERY_CASES], ids=repr)
def test_what_is_left_passes_the_allowlist_unchanged(html):
    """The output holds only what the allowlist accepts: cleaning it again changes and names nothing."""
    once = clean(html).html
    assert clean(once) == clean(once).__class__(once, ())
    assert_only_allowed(once)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def assert_only_allowed(html: str) -> None:
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag in ELEMENTS, tag
        for name, _ in attrs:
            assert name in ATTRIBUTES.get(tag, ()) or name in TRUSTED.get(tag, {}) or (tag, name) == ("a", "rel")


def test_the_allowlist_is_one_definition():
    assert not ELEMENTS & CONTENT_DROPPED
    for banned in ("script", "style", "svg", "math", "form", "iframe", "object", "base", "meta", "link", "button",
                   "textarea", "select"):
        assert banned not in ELEMENTS
    every = {name for names in ATTRIBUTES.values() for name in names}
    # pymdownx.tabbed's radio buttons: a name and data-tabs, each held to one pattern (ELEMENT_VALUES)
    assert {name for name in every if name.startswith(("on", "data-"))} | ({"style", "srcset", "name"} & every) == {
        "name", "data-tabs"}
    assert {tag for tag, names in ATTRIBUTES.items() if names & {"name", "data-tabs"}} == {"input", "div"}
    assert {("input", "name"), ("div", "data-tabs")} <= set(ELEMENT_VALUES)


# --- what a report may contain passes unchanged --------------------------------------------------

BENIGN = (
    '<p>致区委、区政府：</p>\n'
    '<h2 id="_1">一、组织收入<a class="headerlink" href="#_1" title="Permanent link">¶</a></h2>\n'
    '<p>全年<strong>税收收入</strong>增长，<em>留抵退税</em>落实到位。<br>\n第二行。</p>\n'
    '<ul>\n<li>第一项</li>\n<li>第二项<ol start="3">\n<li>子项</li>\n</ol>\n</li>\n</ul>\n'
    '<table>\n<thead>\n<tr>\n<th align="left">项目</th>\n<th align="right">金额</th>\n</tr>\n</thead>\n'
    '<tbody>\n<tr>\n<td align="left">退税</td>\n<td align="right">1.2</td>\n</tr>\n</tbody>\n</table>\n'
    '<blockquote>\n<p>引用</p>\n</blockquote>\n'
    '<pre><code class="language-yaml">metrics:\n  tax_revenue: 1268000000\n</code></pre>\n'
    '<p>行内 <code>{{ tax_revenue }}</code> 与 <code>&lt;script&gt;</code>。</p>\n'
    '<p><img alt="图表" src="chart.png" title="说明"> <img alt="" src="../../images/x.png" width="320"></p>\n'
    '<hr>\n'
    '<p><a href="../tax-2022/">上年报告</a> <a href="https://www.example.gov.cn/a?b=1&amp;c=2">政府网站</a> '
    '<a href="mailto:office@example.gov.cn">来信</a> <a href="#_1">本页</a></p>\n'
    '<p>H<sub>2</sub>O，x<sup>2</sup>，<del>删去</del>，<kbd>Ctrl</kbd>，&lt;b&gt;不是标签&lt;/b&gt;。</p>\n'
)


def test_a_report_as_markdown_renders_it_passes_unchanged_but_for_the_links_rel():
    result = clean(BENIGN)
    assert result.removed == ()
    expected = re.sub(r"(<a [^>]*)>", rf"\1{REL}>", BENIGN)  # no attribute value above holds a >
    assert result.html == expected


# --- the archive's own markup inside the text: a quoted figure ----------------------------------

def hostile_report(**metrics) -> Report:
    return Report("reports/2022/x.md", "x", metrics=metrics or {"tax_revenue": 1268000000}, template="tax-annual",
                  confidential=frozenset(), withheld={"refund_households": "涉及企业信息"})


def test_a_quoted_figure_keeps_its_class_with_the_builds_mark_and_only_so(vocab):
    mark = new_mark()
    body = quote_figures("收入{{ tax_revenue }}，户数{{ refund_households }}，{{ nope }}", hostile_report(),
                         Context("zh", vocab), mark)
    result = clean(f"<p>{body}</p>", mark)
    assert result.html == ('<p>收入<span class="wr-figure" data-metric="tax_revenue">12.68亿元</span>，'
                           '户数<span class="wr-figure wr-withheld">（不予公开）</span>，'
                           '<mark class="wr-missing">{{ nope }}</mark></p>')
    assert result.removed == ()
    # another build's mark, a guessed one or none: the contributor's span is plain
    assert clean(f"<p>{body}</p>", new_mark()).html == "<p>收入<span>12.68亿元</span>，户数<span>（不予公开）</span>，<mark>{{ nope }}</mark></p>"
    assert clean(f"<p>{body}</p>").html == clean(f"<p>{body}</p>", new_mark()).html


def test_the_mark_admits_only_the_figure_classes(vocab):
    mark = new_mark()
    html = (f'<p><span class="{trusted(mark, "wr-figure admonition")}">x</span>'
            f'<a class="{trusted(mark, "wr-figure")}" href="#x">y</a>'
            f'<span class="{trusted(mark, "wr-masked")}" style="{trusted(mark, "color:red")}">z</span></p>')
    assert clean(html, mark).html == f'<p><span>x</span><a{REL} href="#x">y</a><span class="wr-masked">z</span></p>'
    assert [(r.kind, r.element) for r in clean(html, mark).removed] == [
        ("attribute", "span"), ("attribute", "a"), ("attribute", "span")]


def test_the_mark_never_reaches_a_page(vocab):
    """A quote inside inline code is shown as text: the mark is taken out of it too."""
    mark = new_mark()
    body = quote_figures("{{ tax_revenue }}", hostile_report(), Context("zh", vocab), mark)
    html = f"<p><code>{escape(body, quote=False)}</code></p>"
    out = clean(html, mark).html
    assert mark not in out and "wr-trusted" not in out
    assert out == ('<p><code>&lt;span class="wr-figure" data-metric="tax_revenue"&gt;12.68亿元&lt;/span&gt;'
                   "</code></p>")


def test_marks_differ_from_build_to_build():
    assert len({new_mark() for _ in range(20)}) == 20


# --- problems at the line of the Markdown source -------------------------------------------------

SOURCE = """---
title: x
date: 2023-01-05
---

第一段。

![图](data:,){ onerror="alert(1)" }

[详情](jav&#x09;ascript:alert(1))

段落
{ onmouseover="alert(2)" }

<script>alert(3)</script>
"""
RENDERED = ('<p>第一段。</p>\n<p><img alt="图" onerror="alert(1)" src="data:," /></p>\n'
            '<p><a href="jav&#x09;ascript:alert(1)">详情</a></p>\n<p onmouseover="alert(2)">段落</p>\n'
            "<script>alert(3)</script>\n")


def test_each_removal_is_a_problem_at_its_source_line():
    found = problems(clean(RENDERED).removed, "docs/reports/2023/x.md", SOURCE)
    assert [p.format("zh") for p in found] == [
        'docs/reports/2023/x.md:8: 正文中 <img> 的属性 onerror="alert(1)" 不允许，已从页面删除 — '
        "删除这个属性：正文不能设置 HTML 属性（包括段落、标题或图片后 { … } 里写的属性），如 onclick、style、class",
        "docs/reports/2023/x.md:8: 图片地址「data:,」不是本站的文件，图片已删除 — "
        "把图片文件放进本站（与报告同一文件夹），用相对地址引用，例如 ![说明](图表.png)；不能引用其他网站的图片或 data: 地址",
        "docs/reports/2023/x.md:10: 链接地址「jav\\x09ascript:alert(1)」不允许，链接已失效 — "
        "链接只能以 http://、https:// 或 mailto: 开头，或是本站页面的相对地址，"
        "例如 [文字](https://www.example.gov.cn/) 或 [文字](../tax-bureau-2022/)",
        'docs/reports/2023/x.md:13: 正文中 <p> 的属性 onmouseover="alert(2)" 不允许，已从页面删除 — '
        "删除这个属性：正文不能设置 HTML 属性（包括段落、标题或图片后 { … } 里写的属性），如 onclick、style、class",
        "docs/reports/2023/x.md:15: 正文含有不允许的 HTML 元素 <script>，已从页面删除：<script> — "
        "删除它：正文用 Markdown 写文字、标题、列表、表格、引用和代码，图片和链接用 ![说明](图片) 和 [文字](地址)，不写 HTML 标签",
    ]
    assert found[4].format("en") == (
        "docs/reports/2023/x.md:15: the text contains the HTML element <script>, which is not allowed and was taken "
        "off the page: <script> — remove it: write text, headings, lists, tables, quotes and code in Markdown, "
        "images and links as ![caption](image) and [text](address), and no HTML tags")


def test_the_same_construct_twice_is_found_at_each_line():
    source = "正文\n\n<b onclick=\"a()\">一</b>\n\n<b onclick=\"a()\">二</b>\n"
    html = '<p>正文</p>\n<p><b onclick="a()">一</b></p>\n<p><b onclick="a()">二</b></p>'
    assert [p.line for p in problems(clean(html).removed, "docs/about/notes.md", source)] == [3, 5]


def test_a_construct_right_after_chinese_text_is_found():
    source = "---\ntitle: x\n---\n\n## 一\n\n全年组织税收收入**元<script>x()</script>\n"
    assert [p.line for p in problems(clean("<p>全年<script>x()</script></p>").removed, "docs/x.md", source)] == [7]


def test_a_construct_not_found_in_the_source_is_at_the_first_line_of_the_text():
    source = "---\ntitle: x\n---\n\n\n正文\n"
    found = problems(clean('<p><i onclick="x()">y</i></p>').removed, "docs/x.md", source)
    assert found == [Problem("docs/x.md", 6, "unsafe_attribute")]


@pytest.mark.parametrize("source, line", [
    ("正文\n", 1), ("\n\n正文\n", 3), ("---\ntitle: x\n---\n正文\n", 4), ("---\ntitle: x\n...\n\n正文\n", 5),
    ("\ufeff---\r\ntitle: x\r\n---\r\n\r\n正文\r\n", 5), ("---\ntitle: x\n", 1), ("", 1),
])
def test_body_line(source, line):
    assert body_line(source) == line


def test_what_is_quoted_stays_on_one_line_of_the_log():
    """A removed value cannot write lines of its own into the build log, nor reorder it."""
    html = '<p><i onclick="a()\nWARNING - fake\r\u202egnp.exe">x</i></p>'
    (problem,) = problems(clean(html).removed, "docs/x.md", "x\n")
    assert problem.format("en").count("\n") == 0
    assert 'onclick="a()\\x0aWARNING - fake\\x0d\\u202egnp.exe"' in problem.format("en")


def test_shown_shortens_long_text():
    assert shown("a" * 100) == "a" * 79 + "…"
    assert shown("正常的文字 text") == "正常的文字 text"
