"""All or nothing: a failed build leaves the site folder as it was, a passing one replaces it (archive.staging)."""
from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from archive.staging import begin, discard, publish
from sites import ROOT

pytestmark = pytest.mark.cost(30)  # seconds, about: started before the quick modules (conftest.py)


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file below ``folder``: its content's hash and modification time."""
    return {str(path.relative_to(folder)): (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}


def leftovers(parent: Path) -> list[str]:
    return sorted(name for name in os.listdir(parent) if ".building-" in name or ".old-" in name)


def test_a_published_build_replaces_the_site_and_keeps_its_dot_entries(tmp_path: Path):
    site = tmp_path / "site"
    (site / "old").mkdir(parents=True)
    (site / "old" / "page.html").write_text("old", encoding="utf-8")
    (site / ".git").mkdir()
    (site / ".git" / "HEAD").write_text("ref", encoding="utf-8")
    staging = begin(str(site))
    assert Path(staging.work).parent == tmp_path and Path(staging.work).name.startswith(".site.building-")
    assert stat.S_IMODE(os.stat(staging.work).st_mode) == 0o777 & ~_umask()
    (Path(staging.work) / "index.html").write_text("new", encoding="utf-8")
    assert (site / "old" / "page.html").read_text(encoding="utf-8") == "old"  # untouched while building
    publish(staging)
    assert sorted(str(p.relative_to(site)) for p in site.rglob("*")) == [".git", ".git/HEAD", "index.html"]
    assert leftovers(tmp_path) == []


def test_a_first_build_creates_the_site(tmp_path: Path):
    staging = begin(str(tmp_path / "out" / "site"))
    (Path(staging.work) / "index.html").write_text("new", encoding="utf-8")
    publish(staging)
    assert (tmp_path / "out" / "site" / "index.html").read_text(encoding="utf-8") == "new"
    assert leftovers(tmp_path / "out") == []


def test_a_discarded_build_leaves_the_site_as_it_was(tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("good", encoding="utf-8")
    before = snapshot(site)
    staging = begin(str(site))
    (Path(staging.work) / "index.html").write_text("half-checked", encoding="utf-8")
    discard(staging)
    assert snapshot(site) == before
    assert leftovers(tmp_path) == []


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Real builds: the project's hooks, `mkdocs build` as ./dev runs it.

BROKEN = """---
title: 不完整的报告
date: 2023-01-10
year: 2022
unit: finance
template: finance_annual
topics: [财政]
metrics: {}
---

正文。
"""


@pytest.fixture(scope="module")
def built(shared_site, tmp_path_factory):
    """A fixture site built once, strictly, with search: the good site every test starts from
    (a copy of the session's shared build: these tests build it again)."""
    shared = shared_site(strict=True)
    assert shared.returncode == 0, shared.output[-3000:]
    return shared.copy(tmp_path_factory.mktemp("staging") / "s")


def test_a_failing_strict_build_leaves_the_previous_site_untouched(built):
    site = built
    before = snapshot(site.out)
    site.write("reports/2022/broken-2022.md", BROKEN)
    try:
        result = site.build(strict=True)
    finally:
        (site.docs / "reports" / "2022" / "broken-2022.md").unlink()
    assert result.returncode == 1, result.output[-3000:]
    assert "Aborted with" in result.output and "in strict mode!" in result.output
    assert snapshot(site.out) == before
    assert leftovers(site.root) == []


def test_a_build_that_stops_with_an_error_leaves_the_previous_site_untouched(built, tmp_path: Path):
    site = built
    before = snapshot(site.out)
    os.symlink(tmp_path, site.docs / "reports" / "2024")
    try:
        result = site.build(strict=False)
    finally:
        (site.docs / "reports" / "2024").unlink()
    assert result.returncode == 1, result.output[-3000:]
    assert "docs/reports/2024:1: 这个文件夹是符号链接" in result.output
    assert snapshot(site.out) == before
    assert leftovers(site.root) == []


def test_a_passing_build_replaces_the_site(built):
    site = built
    stale = site.out / "reports" / "2019" / "gone" / "index.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("a page from an older build", encoding="utf-8")
    (site.out / ".keep").write_text("a deploy worktree's dot file", encoding="utf-8")
    result = site.build(strict=True)
    assert result.returncode == 0, result.output[-3000:]
    assert not stale.exists() and not (site.out / "reports" / "2019").exists()
    assert (site.out / ".keep").is_file()
    assert "<html" in site.page("") and "<html" in site.page("en/")
    assert any((site.out / "search").rglob("pagefind-entry.json"))  # the search index is in the moved site
    assert leftovers(site.root) == []
    assert f"site: moved into place at {site.out}" in result.output


def test_the_dev_script_builds_strictly_all_or_nothing(built):
    """./dev build --strict is mkdocs build --strict with the project's hooks: same guarantee."""
    site = built
    before = snapshot(site.out)
    site.write("reports/2022/broken-2022.md", BROKEN)
    args, env = site.command(strict=True)
    try:
        result = subprocess.run([str(ROOT / "dev"), "build", *args[args.index("build") + 1:]],
                                capture_output=True, text=True, env=env, cwd=ROOT)
    finally:
        (site.docs / "reports" / "2022" / "broken-2022.md").unlink()
    assert result.returncode == 1, (result.stdout + result.stderr)[-3000:]
    assert snapshot(site.out) == before
    assert leftovers(site.root) == []


def test_a_build_that_cannot_be_moved_into_place_leaves_the_site_as_it_was(tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("good", encoding="utf-8")
    before = snapshot(site)
    staging = begin(str(site))
    shutil.rmtree(staging.work)  # the second rename fails
    with pytest.raises(OSError):
        publish(staging)
    assert snapshot(site) == before
    assert leftovers(tmp_path) == []


def test_a_site_folder_that_cannot_be_renamed_gets_its_content_replaced(tmp_path: Path, monkeypatch):
    """A mount point cannot be renamed: its content is replaced, its dot entries kept."""
    site = tmp_path / "site"
    (site / "old").mkdir(parents=True)
    (site / "old" / "page.html").write_text("old", encoding="utf-8")
    (site / ".git").mkdir()
    staging = begin(str(site))
    (Path(staging.work) / "sub").mkdir()
    (Path(staging.work) / "sub" / "index.html").write_text("new", encoding="utf-8")
    rename = os.rename

    def fixed(source, destination):
        if os.path.abspath(source) == str(site):
            raise OSError(16, "Device or resource busy")
        rename(source, destination)

    monkeypatch.setattr(os, "rename", fixed)
    publish(staging)
    assert sorted(str(p.relative_to(site)) for p in site.rglob("*")) == [".git", "sub", "sub/index.html"]
    assert leftovers(tmp_path) == []
