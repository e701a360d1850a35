"""Reproducible builds: two builds of one commit give the same site, byte for byte.

So a published site can be checked against its commit, and a deploy changes only what
changed. Pagefind's own output differs from run to run and from machine to machine (filters
in a randomly seeded hash map, pages numbered in the file system's order): the index rewrite
(pagefind_index) makes it the same; MkDocs dates the sitemap with the commit's time
(archive.reproducible).
"""
from __future__ import annotations

import gzip
import os
import subprocess
import tempfile
from pathlib import Path


from archive.reproducible import source_date_epoch
from sites import MKDOCS, ROOT, make_site


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build_sample(out: Path, seed: str) -> None:
    """The project's own mkdocs.yml and docs/, search on, as ``./dev build`` builds them."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1", PYTHONHASHSEED=seed)
    result = subprocess.run(MKDOCS + ["build", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)],
                            capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "search: " in result.stderr and "word index compacted" in result.stderr, result.stderr


def test_two_builds_of_the_sample_are_the_same_byte_for_byte(tmp_path):
    # The second build goes to a tmpfs where there is one: it lists files in the order they
    # were made, ext4 in an order of its own, and Pagefind numbers the pages in that order.
    elsewhere = "/dev/shm" if os.access("/dev/shm", os.W_OK) else str(tmp_path)
    with tempfile.TemporaryDirectory(dir=elsewhere) as other:
        first, second = tmp_path / "first", Path(other) / "second"
        build_sample(first, seed="1")
        build_sample(second, seed="2")
        one, two = files(first), files(second)
    assert len(one) > 100 and any(name.endswith(".pf_filter") for name in one)
    assert sorted(one.keys() ^ two.keys()) == []  # files in one build only
    assert [name for name in sorted(one) if one[name] != two[name]] == []  # files that differ


def test_the_build_is_dated_by_its_commit(tmp_path):
    site = make_site(tmp_path / "site", search=False)
    git = ["git", "-C", str(site.root), "-c", "user.name=Archive", "-c", "user.email=archive@example.invalid"]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    dated = dict(os.environ, GIT_COMMITTER_DATE="2001-02-03T04:05:06Z", GIT_AUTHOR_DATE="2001-02-03T04:05:06Z")
    subprocess.run(git + ["commit", "-q", "-m", "reports"], check=True, env=dated)
    args, env = site.command()
    env.pop("SOURCE_DATE_EPOCH", None)
    result = subprocess.run(args, capture_output=True, text=True, env=env, cwd=site.root)
    assert result.returncode == 0, result.stdout + result.stderr
    sitemap = (site.out / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<lastmod>") >= 5 and sitemap.count("<lastmod>2001-02-03</lastmod>") == sitemap.count("<lastmod>")
    packed = (site.out / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(packed[4:8], "little") == 981158400  # the gzip header's time: 2001-02-03 00:00 UTC
    assert gzip.decompress(packed).decode("utf-8") == sitemap


def test_a_given_source_date_epoch_is_kept_and_a_tree_outside_git_has_none(tmp_path):
    assert source_date_epoch(str(tmp_path), {"SOURCE_DATE_EPOCH": "1700000000"}) == "1700000000"
    assert source_date_epoch(str(tmp_path), {}) is None  # MkDocs' clock, as without this
    if subprocess.run(["git", "-C", str(ROOT), "rev-parse"], capture_output=True).returncode == 0:
        head = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"], capture_output=True, text=True)
        assert source_date_epoch(str(ROOT), {}) == head.stdout.strip()
