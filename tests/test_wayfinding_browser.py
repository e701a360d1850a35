"""Find your way, in Chromium: the breadcrumb above the content with the current page marked, the
active tab on a year's and a report's page, the figures page's table of contents and a report's
figure linking to its chart (archive.wayfinding)."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def base(shared_site, serve):
    built = shared_site(strict=True)  # the fixture site is clean: strict or not, the same pages
    assert built.returncode == 0, built.output[-3000:]
    return serve(built.site.out, "/sub/path/")


def test_breadcrumb_and_active_tab_on_a_report_page(page, base):
    page.goto(base + "reports/2022/tax-2022/")
    trail = page.get_by_role("navigation", name="位置")
    texts = [text.strip() for text in trail.locator("li").all_inner_texts()]
    assert texts[:3] == ["首页", "按年度", "2022"] and len(texts) == 4
    current = trail.locator('[aria-current="page"]')
    assert current.count() == 1 and current.is_visible()
    box, heading = trail.bounding_box(), page.locator("article h1").bounding_box()
    assert box["y"] < heading["y"]  # above the title
    active = page.locator(".md-tabs__item--active")
    assert active.count() == 1 and active.inner_text().strip() == "按年度"
    trail.get_by_role("link", name="2022", exact=True).click()
    page.wait_for_url(base + "archive/2022/")
    assert page.locator(".md-tabs__item--active").inner_text().strip() == "按年度"


def test_a_figure_links_its_chart_on_the_navigable_figures_page(page, base):
    page.goto(base + "reports/2022/tax-2022/")
    page.locator("#metric-tax_revenue a").click()
    page.wait_for_url(base + "metrics/#metric-tax_revenue")
    assert page.locator("#metric-tax_revenue").is_visible()
    toc = page.locator(".md-sidebar--secondary nav.md-nav--secondary")
    assert toc.locator('a[href="#metric-tax_revenue"]').count() == 1
    assert page.locator('#metric-tax_revenue a.headerlink[href="#metric-tax_revenue"]').count() == 1
