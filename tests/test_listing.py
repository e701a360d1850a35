"""``./dev serve`` lists docs/ again only when its names change (hooks/mkdocs_listing.py).

Reloads with a new, a deleted or a renamed report run on a real server in test_preview."""
from __future__ import annotations

import sys

import mkdocs
import mkdocs.commands.build
import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import get_files

from sites import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
import mkdocs_listing  # noqa: E402
from mkdocs_listing import DocsListing  # noqa: E402


@pytest.fixture
def project(tmp_path):
    (tmp_path / "docs" / "reports" / "2022").mkdir(parents=True)
    for name in ("index.md", "reports/2022/a.md", "reports/2022/b.md", ".hidden.md"):
        (tmp_path / "docs" / name).write_text("# x\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nexclude_docs: |\n  b.md\n", encoding="utf-8")
    return tmp_path


def config_of(project):
    return load_config(str(project / "mkdocs.yml"))


def listed(files) -> list[tuple[str, str, str]]:
    return [(f.src_uri, f.dest_uri, f.inclusion.name) for f in files]


class Counting:
    def __init__(self):
        self.calls = 0

    def __call__(self, config):
        self.calls += 1
        return get_files(config)


def test_the_same_names_are_listed_once_and_each_build_gets_its_own_files(project):
    listing, mkdocs_lists = DocsListing(), Counting()
    first = listing.files(config_of(project), mkdocs_lists)
    (project / "docs" / "reports" / "2022" / "a.md").write_text("# an edit changes no name\n", encoding="utf-8")
    second = listing.files(config_of(project), mkdocs_lists)
    assert mkdocs_lists.calls == 1
    assert listed(second) == listed(first) == listed(get_files(config_of(project)))
    assert ("reports/2022/b.md", "reports/2022/b/index.html", "EXCLUDED") in listed(second)
    assert all(a is not b for a, b in zip(first, second))
    first.get_file_from_path("reports/2022/a.md").dest_uri = "en/reports/2022/a/index.html"  # a build's own change
    third = listing.files(config_of(project), mkdocs_lists)
    assert third.get_file_from_path("reports/2022/a.md").dest_uri == "reports/2022/a/index.html"


@pytest.mark.parametrize("change", ["add", "delete", "rename", "folder"])
def test_a_new_deleted_or_renamed_name_lists_again(project, change):
    listing, mkdocs_lists = DocsListing(), Counting()
    listing.files(config_of(project), mkdocs_lists)
    folder = project / "docs" / "reports" / "2022"
    if change == "add":
        (folder / "c.md").write_text("# c\n", encoding="utf-8")
    elif change == "delete":
        (folder / "a.md").unlink()
    elif change == "rename":
        (folder / "a.md").rename(folder / "a2.md")
    else:
        (project / "docs" / "reports" / "2023").mkdir()
    files = listing.files(config_of(project), mkdocs_lists)
    assert mkdocs_lists.calls == 2
    assert listed(files) == listed(get_files(config_of(project)))


def test_another_configuration_lists_again(project):
    listing, mkdocs_lists = DocsListing(), Counting()
    listing.files(config_of(project), mkdocs_lists)
    (project / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")  # b.md no longer excluded
    files = listing.files(config_of(project), mkdocs_lists)
    assert mkdocs_lists.calls == 2
    assert ("reports/2022/b.md", "reports/2022/b/index.html", "INCLUDED") in listed(files)
    for number in range(mkdocs_listing.KEPT + 1):  # configurations edited on and on: the newest kept
        (project / "mkdocs.yml").write_text(f"site_name: x\nexclude_docs: |\n  {number}.md\n", encoding="utf-8")
        listing.files(config_of(project), mkdocs_lists)
    assert len(listing.listed) == mkdocs_listing.KEPT
    assert mkdocs_lists.calls == 2 + mkdocs_listing.KEPT + 1


def test_builds_list_through_the_listing_once_installed_and_not_with_another_mkdocs(project, monkeypatch):
    monkeypatch.setattr(mkdocs.commands.build, "get_files", mkdocs.commands.build.get_files)  # restored after
    monkeypatch.setattr(mkdocs, "__version__", "2.0.0")
    assert mkdocs_listing.list_once(DocsListing()) is False
    assert mkdocs.commands.build.get_files is get_files
    monkeypatch.setattr(mkdocs, "__version__", "1.6.1")
    listing = DocsListing()
    assert mkdocs_listing.list_once(listing) is True
    assert mkdocs_listing.list_once(listing) is True  # installed once
    mkdocs.commands.build.get_files(config_of(project))
    mkdocs.commands.build.get_files(config_of(project))
    assert listing.lists == 1
