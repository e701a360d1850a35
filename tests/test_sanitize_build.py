"""Real builds of a fixture site with a hostile report: the allowlist in the build, its log and its pages."""
from __future__ import annotations

import re

import pytest

from sites import Site, make_site

HOSTILE = """---
title: 区税务局2023年度工作汇报
date: 2024-01-10
year: 2023
unit: tax-bureau
topics: [revenue]
template: tax-annual
metrics:
  tax_revenue: 1300000000
  refund_households: 360
  refund_amount: 3.5
---

## 一、组织收入

全年组织税收收入{{ tax_revenue }}。
{ onmouseover="alert('hover')" }

<span hidden data-pagefind-filter="year:1999" data-pagefind-meta="unit:伪造单位">伪造</span>[详情](jav&#x09;ascript:alert(1))

<span class="wr-figure" data-metric="tax_revenue">99亿元</span>

![图](https://evil.example/pixel.png)

## 二、退税{{ refund_amount }}
"""
TRANSLATION = """---
title: District Tax Bureau work report for 2023
---

Tax revenue came to {{ tax_revenue }}.

<script>alert('translation')</script>
"""
ABOUT = """---
title: 说明
---

# 说明

<base href="https://evil.example/">
"""
P = "docs/reports/2023/tax-2023.md"
ATTRIBUTE_FIX = "删除这个属性：正文不能设置 HTML 属性（包括段落、标题或图片后 { … } 里写的属性），如 onclick、style、class"
EXPECTED = [
    "docs/about/notes.md:7: 正文含有不允许的 HTML 元素 <base>，已从页面删除：<base href=\"https://evil.example/\"> — 删除它："
    "正文用 Markdown 写文字、标题、列表、表格、引用和代码，图片和链接用 ![说明](图片) 和 [文字](地址)，不写 HTML 标签",
    f'{P}:17: 正文中 <p> 的属性 onmouseover="alert(\'hover\')" 不允许，已从页面删除 — {ATTRIBUTE_FIX}',
    f"{P}:19: 正文中 <span> 的属性 hidden=\"\" 不允许，已从页面删除 — {ATTRIBUTE_FIX}",
    f'{P}:19: 正文中 <span> 的属性 data-pagefind-filter="year:1999" 不允许，已从页面删除 — {ATTRIBUTE_FIX}',
    f'{P}:19: 正文中 <span> 的属性 data-pagefind-meta="unit:伪造单位" 不允许，已从页面删除 — {ATTRIBUTE_FIX}',
    f"{P}:19: 链接地址「jav\\x09ascript:alert(1)」不允许，链接已失效 — 链接只能以 http://、https:// 或 mailto: "
    "开头，或是本站页面的相对地址，例如 [文字](https://www.example.gov.cn/) 或 [文字](../tax-bureau-2022/)",
    f'{P}:21: 正文中 <span> 的属性 class="wr-figure" 不允许，已从页面删除 — {ATTRIBUTE_FIX}',
    f'{P}:21: 正文中 <span> 的属性 data-metric="tax_revenue" 不允许，已从页面删除 — {ATTRIBUTE_FIX}',
    f"{P}:23: 图片地址「https://evil.example/pixel.png」不是本站的文件，图片已删除 — 把图片文件放进本站（与报告同一文件夹），"
    "用相对地址引用，例如 ![说明](图表.png)；不能引用其他网站的图片或 data: 地址",
    "docs/reports/2023/tax-2023.en.md:7: 正文含有不允许的 HTML 元素 <script>，已从页面删除：<script> — 删除它：正文用 Markdown "
    "写文字、标题、列表、表格、引用和代码，图片和链接用 ![说明](图片) 和 [文字](地址)，不写 HTML 标签",
]
ATTACKS = ("alert(", "onmouseover", "javascript:", "evil.example", "year:1999", "伪造单位", "<base")


pytestmark = pytest.mark.cost(20)  # seconds, about: started before the quick modules (conftest.py)


def hostile(root, **extra) -> Site:
    site = make_site(root, **extra)
    site.write("reports/2023/tax-2023.md", HOSTILE)
    site.write("reports/2023/tax-2023.en.md", TRANSLATION)
    site.write("about/notes.md", ABOUT)
    return site


@pytest.fixture(scope="module")
def lenient(tmp_path_factory):
    site = hostile(tmp_path_factory.mktemp("sanitized"))
    result = site.build(strict=False)
    assert result.returncode == 0, result.output[-3000:]
    return site, result


def outside_notice(html: str) -> str:
    """The page but its problems notice, which quotes (escaped) what was removed."""
    return re.sub(r'<div class="admonition danger" data-pagefind-ignore>.*?</div>', "", html, flags=re.S)


def warnings(result) -> list[str]:
    return [line.removeprefix("WARNING -  ") for line in result.output.splitlines() if line.startswith("WARNING")]


def test_every_removal_is_logged_once_at_its_line(lenient):
    _, result = lenient
    assert [line for line in warnings(result) if "tax-2023" in line or "notes.md" in line] == EXPECTED


def test_the_strict_build_fails_on_them(tmp_path):
    result = hostile(tmp_path).build(strict=True)
    assert result.returncode == 1
    assert all(line in warnings(result) for line in EXPECTED)
    assert "Traceback" not in result.output


def test_a_translation_alone_fails_the_strict_build(tmp_path):
    """The English text is rendered only by the second language's build: it counts all the same."""
    site = make_site(tmp_path)
    site.write("reports/2022/tax-2022.en.md", TRANSLATION.replace("2023", "2022"))
    result = site.build(strict=True)
    assert result.returncode == 1
    assert warnings(result) == [EXPECTED[-1].replace("2023", "2022")]


@pytest.mark.parametrize("url", ["reports/2023/tax-2023", "en/reports/2023/tax-2023", "about/notes"])
def test_the_pages_carry_none_of_it(lenient, url):
    site, _ = lenient
    html = site.page(url)
    assert "admonition danger" in html
    found = [attack for attack in ATTACKS if attack in outside_notice(html)]
    assert found == []
    assert "wr-trusted" not in html


def test_the_builds_mark_is_in_no_output_file(lenient):
    """Not in a page, nor in its table of contents (a quote in a heading), nor in the search index."""
    site, _ = lenient
    html = site.page("reports/2023/tax-2023")
    assert '<h2 id="35">二、退税<span class="wr-figure" data-metric="refund_amount">3.5亿元</span>' in html
    assert '<a href="#35" class="md-nav__link">' in html
    leaked = [str(path) for path in site.out.rglob("*") if path.is_file() and b"wr-trusted" in path.read_bytes()]
    assert leaked == []


def test_the_archives_own_markup_is_intact(lenient):
    site, _ = lenient
    html = site.page("reports/2023/tax-2023")
    # the header, its search filters (the forged one is gone), the figures, the problems
    assert '<dl class="wr-meta" data-pagefind-ignore><dt>报送单位</dt>' in html
    filters = ['<span hidden data-pagefind-filter="year:2023"></span>', '<span hidden data-pagefind-filter="unit:tax-bureau">'
               '</span>', '<span hidden data-pagefind-meta="unit:区税务局"></span>',
               '<span hidden data-pagefind-filter="topic:revenue"></span>']
    assert [html.count(f) for f in filters] == [1, 1, 1, 1]
    assert outside_notice(html).count("data-pagefind-filter=") == 5  # those, and the search shard
    assert '全年组织税收收入<span class="wr-figure" data-metric="tax_revenue">13亿元</span>。</p>' in html
    assert html.count('class="wr-figure"') == 2  # the two quotes, not the forged one
    assert html.count('<h2 id="figures">报告数据<a class="headerlink" href="#figures" title="本节链接">') == 1
    assert '<a href="#figures" class="md-nav__link">' in html  # in the table of contents
    assert '<div class="wr-figures" data-pagefind-ignore><table>' in html
    assert '<p class="admonition-title">有 8 处问题需要修改</p>' in html
    assert "<code>docs/reports/2023/tax-2023.md:17</code> 正文中 &lt;p&gt; 的属性 onmouseover=" in html


def test_an_english_page_shows_its_own_problems(lenient):
    site, _ = lenient
    html = site.page("en/reports/2023/tax-2023")
    assert "<code>docs/reports/2023/tax-2023.en.md:7</code> 正文含有不允许的 HTML 元素 &lt;script&gt;" in html
    assert 'Tax revenue came to <span class="wr-figure" data-metric="tax_revenue">1.3 billion yuan</span>.' in html


def test_a_page_outside_reports_is_cleaned_and_shows_its_problem(lenient):
    site, _ = lenient
    html = site.page("about/notes")
    assert "<code>docs/about/notes.md:7</code> 正文含有不允许的 HTML 元素 &lt;base&gt;" in html


def test_a_public_build_logs_them_but_shows_no_problems(tmp_path):
    site = hostile(tmp_path, public=True)
    result = site.build(strict=False)
    assert result.returncode == 0, result.output[-3000:]
    assert all(line in warnings(result) for line in EXPECTED)
    for url in ("reports/2023/tax-2023", "about/notes"):
        html = site.page(url)
        assert "admonition danger" not in html and [a for a in ATTACKS if a in html] == []


PAGE_META = """---
title: '关于</title><script>alert(1)</script>'
description: '"><meta http-equiv="refresh" content="0;url=http://evil.example/">'
template: redirect.html
location: http://evil.example/
---

正文。
"""


def test_a_page_outside_the_reports_keeps_only_its_title(tmp_path):
    """The theme acts on front matter keys: a template, a description in <head>, a redirect."""
    site = make_site(tmp_path)
    site.write("about/meta.md", PAGE_META)
    result = site.build(strict=False)
    assert result.returncode == 0, result.output
    fix = "删除它：报告以外的页面在 front matter 中只写 title"
    for line, field in ((3, "description"), (4, "template"), (5, "location")):
        assert f"docs/about/meta.md:{line}: 页面的 front matter 含有字段 {field} — {fix}" in result.output
    html = site.page("about/meta")
    assert "evil.example" not in html and 'http-equiv="refresh"' not in html
    assert "<title>关于&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert site.build(strict=True).returncode == 1
