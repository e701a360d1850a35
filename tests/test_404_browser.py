"""In Chromium: the skip link of every kind of page, the 404 pages included, and the 404 pages'
policy, at site_url's sub-path (a missing address at any depth and its headers: test_nginx_browser).

One Tab from the top of a page must reach a visible "skip to content" link in the page's
language, and Enter on it must put the keyboard in the page's content: the next Tab lands there,
not in the header, tabs or sidebars.
"""
from __future__ import annotations

import pytest
import yaml

from sites import Site, make_site
from test_csp_site import Watch

pytestmark = pytest.mark.cost(35)  # seconds, about: started before the quick modules (conftest.py)

SUB_PATH = "/reports-archive/"
PAGES = ["", "archive/2022/", "topics/revenue/", "units/tax-bureau/", "reports/2022/tax-2022/",
         "reports/2021/tax-2021/", "metrics/", "units/tax-bureau/figures/", "search/", "guide/"]
GUIDE = "---\ntitle: 投稿指南\n---\n\n# 投稿指南\n\n## 一、准备\n\n先阅读[首页](../index.md)。\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Site:
    site = make_site(tmp_path_factory.mktemp("skip") / "site", search=False)
    config = yaml.safe_load((site.root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_url"] = "https://reports.example.internal" + SUB_PATH
    (site.root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    site.write("guide/index.md", GUIDE)
    site.write("guide/index.en.md", GUIDE.replace("投稿指南", "Contributor guide").replace("一、准备", "Before you start"))
    result = site.build(strict=False)  # the guide is not in the fixture's navigation: an info line
    assert result.returncode == 0, result.output
    return site


@pytest.fixture(scope="module")
def base(built, serve) -> str:
    return serve(built.out, SUB_PATH)


def skip(watch: Watch, url: str) -> tuple[str, str, bool, str]:
    """Tab once, read what has focus; Enter on it; Tab again: where the focus is then."""
    page = watch.page
    page.goto(watch.base + url)
    page.wait_for_load_state("networkidle")
    page.keyboard.press("Tab")
    page.wait_for_timeout(400)  # Material fades the link in (0.25 s)
    focused = page.evaluate("""() => {
        const a = document.activeElement, box = a.getBoundingClientRect(), style = getComputedStyle(a);
        return [a.classList.contains('md-skip') && a.tagName, a.textContent.trim(),
                box.width > 0 && box.height > 0 && box.top >= 0 && box.bottom <= innerHeight && box.left >= 0
                && style.opacity === '1' && style.visibility === 'visible']
    }""")
    href = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_timeout(100)
    target = page.evaluate("document.activeElement.id")  # the archive's target takes the focus itself
    page.keyboard.press("Tab")
    landed = page.evaluate("""() => { const a = document.activeElement, content = document.querySelector('.md-content');
        return content.contains(a) ? 'content'
             : content.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING ? 'after content' : 'before content' }""")
    return focused[0], focused[1], focused[2], href, target, landed


@pytest.mark.parametrize("lang, words", [("", "跳转至"), ("en/", "Skip to content")])
def test_one_tab_reaches_a_visible_skip_link_and_enter_moves_into_the_content(browser, base, lang, words):
    watch = Watch(browser, base)
    try:
        found = {url: skip(watch, lang + url) for url in PAGES + ["404.html"]}
        expected = {url: ("A", words, True, "#wr-main", "wr-main", "content") for url in PAGES + ["404.html"]}
        # without Pagefind (search: false) the search page's content holds nothing to focus: the next stop follows it
        expected["search/"] = ("A", words, True, "#wr-main", "wr-main", "after content")
        assert found == expected
        watch.assert_clean()
    finally:
        watch.close()


def test_the_404_pages_run_without_a_violation_from_the_sub_path(browser, base):
    watch = Watch(browser, base)
    try:
        for url, title in (("404.html", "找不到页面"), ("en/404.html", "Page not found")):
            watch.goto(url)
            assert watch.page.inner_text("h1") == title
            assert watch.page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
        watch.assert_clean()
    finally:
        watch.close()
