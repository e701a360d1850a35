"""The edit link and the repository link in Chromium, for each kind of forge: no request leaves the site.

Material's header widget (partials/source.html, data-md-component="source") asks
api.github.com, or the /api/v4/ of any host whose name holds "gitlab", for the repository's
stars and release; overrides/partials/source.html keeps the link and drops the widget. The
edit link is a navigation to the forge, which the pages' Content-Security-Policy allows.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from sites import make_site
from test_csp_site import Watch

pytestmark = pytest.mark.cost(30)  # seconds, about: started before the quick modules (conftest.py)

PREFIX = "/intranet/archive/"
FORGES = {
    "gitea": ("https://git.example.internal/district/work-reports", "_edit/main/docs/"),
    "gitlab-intranet": ("https://gitlab.example.internal/district/work-reports", "-/edit/main/docs/"),
    "gitlab": ("https://gitlab.com/district/work-reports", "-/edit/main/docs/"),
    "github": ("https://github.com/district/work-reports", "edit/main/docs/"),
}


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    """The fixture site built once per forge, with that forge's repo_url and edit_uri."""
    built = {}
    for forge, (repo_url, edit_uri) in FORGES.items():
        site = make_site(tmp_path_factory.mktemp(forge) / "site", search=False)
        config_file = site.root / "mkdocs.yml"
        config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
        config.update(repo_url=repo_url, edit_uri=edit_uri)
        config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
        result = site.build()
        assert result.returncode == 0, result.output
        built[forge] = site.out
    return built


@pytest.fixture
def watching(browser, serve):
    opened = []

    def start(folder: Path) -> Watch:
        opened.append(Watch(browser, serve(folder, PREFIX)))
        return opened[-1]

    yield start
    for watch in opened:
        watch.close()


@pytest.mark.parametrize("forge", FORGES)
def test_no_page_requests_anything_from_the_forge(sites, watching, forge):
    watch = watching(sites[forge])
    repo_url, edit_uri = FORGES[forge]
    for url, edit in (("reports/2022/tax-2022/", "reports/2022/tax-2022.md"),
                      ("en/reports/2022/tax-2022/", "reports/2022/tax-2022.en.md"),
                      ("en/reports/2022/finance-2022/", "reports/2022/finance-2022.md"),
                      ("archive/2022/", None), ("en/", None)):
        watch.goto(url)
        assert watch.page.locator(".md-header .md-source").get_attribute("href") == repo_url
        links = watch.page.locator('a.md-content__button[rel="edit"]')
        assert [links.nth(i).get_attribute("href") for i in range(links.count())] == (
            [f"{repo_url}/{edit_uri}{edit}"] if edit else []), url
    watch.page.wait_for_timeout(500)  # Material asks for the repository's facts once its bundle has run
    watch.assert_clean()
    assert watch.page.locator(".md-source__facts").count() == 0


def test_the_edit_link_navigates_to_the_forge_under_the_pages_policy(sites, watching):
    watch = watching(sites["gitea"])
    watch.goto("en/reports/2022/tax-2022/")
    target = "https://git.example.internal/district/work-reports/_edit/main/docs/reports/2022/tax-2022.en.md"
    with watch.page.expect_request(target) as request:
        watch.page.click('a.md-content__button[rel="edit"]', no_wait_after=True)
    assert request.value.is_navigation_request()
    watch.page.wait_for_timeout(300)
    # the navigation left the page without a violation; the test's route stopped it before the network
    assert watch.violations == [] and watch.console == [] and watch.errors == []
    assert watch.aborted == [target]


def test_materials_own_widget_would_have_asked_github(sites, watching, tmp_path):
    """The control: with Material's data-md-component="source" put back, the page asks api.github.com."""
    copy = tmp_path / "site"
    shutil.copytree(sites["github"], copy)
    page = copy / "reports" / "2022" / "tax-2022" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert html.count('class="md-source">') == 2  # the header and the drawer
    page.write_text(html.replace('class="md-source">', 'class="md-source" data-md-component="source">'),
                    encoding="utf-8")
    watch = watching(copy)
    watch.goto("reports/2022/tax-2022/")
    watch.page.wait_for_timeout(500)
    asked = ["https://api.github.com/repos/district/work-reports/releases/latest",
             "https://api.github.com/repos/district/work-reports"]
    assert [url for url in watch.requests if not url.startswith(watch.base)] == asked
    # the pages' policy stops it before the network, with an error in the console for each
    assert sorted((v["directive"], v["blocked"]) for v in watch.violations) == [("connect-src", url) for url in sorted(asked)]
    assert len(watch.console) == 2
