"""Real builds in a temporary git repository: the edit link and the date of the last change.

A page written in Markdown under docs/ links to its own file on the forge (repo_url, edit_uri
and Material's content.action.edit); generated pages have no file and no link. A report page
says when its files last changed, from one git pass (archive.gitdates).
"""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from sites import Site, make_site

FORGE = "https://git.example.internal/district/work-reports/_edit/main/docs/"
RENAMED = "reports/2021/tax-2021-moved.md"
EDIT = re.compile(r'<a href="([^"]*)" title="([^"]*)" class="md-content__button md-icon" rel="edit">')
CHANGED = re.compile(r"<dt>(最后修改|Last changed)</dt><dd>(.*?)</dd>")


def git(root: Path, *args: str, when: str | None = None) -> None:
    env = dict(os.environ)
    if when:
        env.update(GIT_COMMITTER_DATE=when, GIT_AUTHOR_DATE=when)
    subprocess.run(["git", "-c", "user.name=Archive", "-c", "user.email=archive@example.invalid",
                    "-c", "commit.gpgsign=false", "-C", str(root), *args], check=True, capture_output=True, env=env)


def commit(root: Path, when: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "change", when=when)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Site:
    """The fixture site committed three times, then one report edited and not committed."""
    site = make_site(tmp_path_factory.mktemp("gitdates") / "repo", search=False)
    site.write("notes.md", "---\ntitle: 说明\n---\n\n一页说明。\n")
    site.write('notes/说明 "引号".md', "---\ntitle: 引号\n---\n\n文件名里有空格和引号。\n")
    git(site.root, "init", "-q")
    commit(site.root, "2025-03-02T07:00:00+08:00")
    site.edit("reports/2022/tax-2022.en.md", "\n## ", "\nA sentence added to the translation.\n\n## ")
    commit(site.root, "2025-04-10T22:15:00-04:00")
    git(site.root, "mv", "docs/reports/2021/tax-2021.md", f"docs/{RENAMED}")
    commit(site.root, "2025-05-01T09:00:00+08:00")
    return site


@pytest.fixture(scope="module")
def site(repo) -> Site:
    repo.edit("reports/2023/finance-2023.md", "增长{{ growth_rate }}。", "增长{{ growth_rate }}。正在修改的一句话。")  # not committed
    result = repo.build()
    assert result.returncode == 0, result.output
    assert "最后修改日期" not in result.output  # no note: the history was read
    return repo


def edit_links(html: str) -> list[tuple[str, str]]:
    return EDIT.findall(html)


@pytest.mark.parametrize("url, href, title", [
    ("reports/2022/tax-2022", "reports/2022/tax-2022.md", "编辑此页"),
    ("en/reports/2022/tax-2022", "reports/2022/tax-2022.en.md", "Edit this page"),   # its translation's file
    ("en/reports/2022/finance-2022", "reports/2022/finance-2022.md", "Edit this page"),  # no translation: the file there is
    ("reports/2021/tax-2021-moved", "reports/2021/tax-2021-moved.md", "编辑此页"),
    ('notes/说明 "引号"', "notes/%E8%AF%B4%E6%98%8E%20%22%E5%BC%95%E5%8F%B7%22.md", "编辑此页"),  # quoted in the URL
    ("notes", "notes.md", "编辑此页"),
    ("en/notes", "notes.md", "Edit this page"),
])
def test_a_page_with_a_source_file_links_to_it_on_the_forge(site, url, href, title):
    assert edit_links(site.page(url)) == [(FORGE + href, title)]


@pytest.mark.parametrize("url", ["", "archive", "archive/2022", "topics", "topics/revenue", "units/tax-bureau",
                                 "metrics", "en", "en/archive/2022", "en/units/tax-bureau", "en/metrics"])
def test_a_generated_page_has_no_edit_link(site, url):
    html = site.page(url)
    assert edit_links(html) == [] and 'rel="edit"' not in html


@pytest.mark.parametrize("url, expected", [
    ("reports/2022/tax-2022", [("最后修改", '<time datetime="2025-03-02T07:00:00+08:00">2025-03-02</time>')]),
    # the English page is made of the translation (changed in April) and the original's figures
    ("en/reports/2022/tax-2022", [("Last changed", '<time datetime="2025-04-10T22:15:00-04:00">2025-04-10</time>')]),
    ("en/reports/2022/finance-2022", [("Last changed", '<time datetime="2025-03-02T07:00:00+08:00">2025-03-02</time>')]),
    # moved without a change: the date of its content
    ("reports/2021/tax-2021-moved", [("最后修改", '<time datetime="2025-03-02T07:00:00+08:00">2025-03-02</time>')]),
    ("reports/2023/finance-2023", [("最后修改", '<span class="wr-uncommitted">尚未提交</span>')]),
    ("en/reports/2023/finance-2023", [("Last changed", '<span class="wr-uncommitted">not yet committed</span>')]),
    ("notes", []),
    ("archive/2022", []),
])
def test_a_report_page_says_when_its_files_last_changed(site, url, expected):
    assert CHANGED.findall(site.page(url)) == expected


def test_the_date_sits_in_the_reports_metadata_after_the_date_of_issue(site):
    meta = re.search(r'<dl class="wr-meta"[^>]*>(.*?)</dl>', site.page("reports/2022/tax-2022"))[1]
    assert re.findall(r"<dt>([^<]*)</dt>", meta) == ["报送单位", "报送对象", "年度", "印发日期", "最后修改", "报告类型", "主题", "报告数据"]


def test_a_shallow_clone_builds_without_dates_and_says_so_once(repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True,
                   capture_output=True)
    site = Site(clone)
    result = site.build()
    assert result.returncode == 0, result.output
    notes = [line for line in result.output.splitlines() if "浅克隆" in line]
    assert notes == ["INFO    -  这是浅克隆（shallow clone），历史不完整，最后修改日期会出错，因此报告页面不显示它 — "
                     "运行 git fetch --unshallow 取得完整历史；CI 中设置完整检出（GitHub Actions：fetch-depth: 0；GitLab：GIT_DEPTH: 0）"]
    page = site.page("en/reports/2022/tax-2022")
    assert CHANGED.findall(page) == [] and len(edit_links(page)) == 1


def test_a_tree_outside_git_builds_without_dates_in_the_configured_language(tmp_path):
    site = make_site(tmp_path / "exported", search=False, messages="en")
    result = site.build()
    assert result.returncode == 0, result.output
    assert [line for line in result.output.splitlines() if "date of last change" in line] == [
        "INFO    -  the docs folder is not in a git repository: report pages show no date of last change — "
        "build from a git checkout (git clone), not from exported files"]
    assert CHANGED.findall(site.page("reports/2022/tax-2022")) == []
