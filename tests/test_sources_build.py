"""Real builds: a link under docs/ is never followed, read or published; refused file types are not published.

The links are made here, in a temporary copy (a repository cannot be trusted to keep them);
their targets carry a marker that must appear in no output file, nor does the build's own
environment (``/proc/self/environ``) or ``/etc/passwd``.
"""
from __future__ import annotations

import os
import secrets
import subprocess
from pathlib import Path

import pytest

from sites import Site, make_site, output_files

PNG = b"\x89PNG\r\n\x1a\n"
SYMLINK = "这是符号链接，构建不会读取、复制或发布它指向的内容 — 删除这个链接；要放图片或附件，请把文件本身提交到这里"
REPORTS_FIX = "删除它，或换成允许的类型；reports/ 下只接受 .md、.png、.jpg、.jpeg、.gif、.webp、.pdf"
EXPECTED = [
    f"docs/about/notes.md:1: {SYMLINK}",
    f"docs/reports/2023/chart.svg:1: reports/ 下不接受 .svg 文件，它不会被发布 — {REPORTS_FIX}",
    f"docs/reports/2023/env.txt:1: {SYMLINK}",
    f"docs/reports/2023/page.html:1: reports/ 下不接受 .html 文件，它不会被发布 — {REPORTS_FIX}",
    f"docs/reports/2023/passwd.md:1: {SYMLINK}",
    f"docs/reports/2023/photo.png:1: {SYMLINK}",
    f"docs/reports/2023/run.js:1: reports/ 下不接受 .js 文件，它不会被发布 — {REPORTS_FIX}",
    f"docs/stylesheets/linked.css:1: {SYMLINK}",
]
REFUSED_NAMES = ("notes", "chart.svg", "env.txt", "page.html", "passwd", "photo.png", "run.js", "linked.css")


pytestmark = pytest.mark.cost(20)  # seconds, about: started before the quick modules (conftest.py)


def build(site: Site, strict: bool, secret: str) -> subprocess.CompletedProcess:
    args, env = site.command(strict)
    result = subprocess.run(args, capture_output=True, text=True, env=dict(env, ARCHIVE_TEST_SECRET=secret),
                            cwd=site.root, timeout=300)
    result.output = result.stdout + result.stderr
    return result


def linked_files_site(root: Path, outside: Path, marker: str) -> Site:
    """The fixture site with links to the build's environment, /etc/passwd and a file outside the repository."""
    site = make_site(root)
    outside.mkdir()
    (outside / "secret.md").write_text(f"# {marker}\n\n{marker}\n", encoding="utf-8")
    (outside / "secret.png").write_bytes(PNG + marker.encode())
    (outside / "secret.css").write_text(f"/* {marker} */", encoding="utf-8")
    year = site.docs / "reports" / "2023"
    os.symlink("/proc/self/environ", year / "env.txt")
    os.symlink("/etc/passwd", year / "passwd.md")
    os.symlink(outside / "secret.png", year / "photo.png")
    (site.docs / "about").mkdir()
    os.symlink(outside / "secret.md", site.docs / "about" / "notes.md")
    os.symlink(outside / "secret.css", site.docs / "stylesheets" / "linked.css")
    (year / "page.html").write_text(f"<script>alert('{marker}')</script>", encoding="utf-8")
    (year / "chart.svg").write_text(f'<svg xmlns="http://www.w3.org/2000/svg"><script>{marker}</script></svg>',
                                    encoding="utf-8")
    (year / "run.js").write_text(f"alert('{marker}')", encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    base = tmp_path_factory.mktemp("linked")
    marker, secret = f"outsidemarker{secrets.token_hex(8)}", f"archivesecret{secrets.token_hex(12)}"
    return linked_files_site(base / "repo", base / "outside", marker), marker, secret


def logged_once(output: str, line: str) -> bool:
    return sum(entry.endswith(line) for entry in output.splitlines()) == 1


def test_a_strict_build_with_links_or_refused_files_fails_naming_each(linked):
    site, marker, secret = linked
    result = build(site, strict=True, secret=secret)
    assert result.returncode == 1, result.output[-3000:]
    assert "Traceback" not in result.output
    assert [line for line in EXPECTED if not logged_once(result.output, line)] == []
    assert not site.out.exists()  # the first build failed: no site at all, nothing half-checked
    assert sorted(os.listdir(site.root)) == ["docs", "mkdocs.yml"]
    assert marker not in result.output and secret not in result.output


def test_a_non_strict_build_publishes_none_of_it(linked):
    site, marker, secret = linked
    result = build(site, strict=False, secret=secret)
    assert result.returncode == 0, result.output[-3000:]
    files = output_files(site.out)
    assert [name for name in files if name.rsplit("/", 1)[-1].startswith(REFUSED_NAMES)] == []
    leaked = {name for name, data in files.items()
              for needle in (marker, secret, "root:x:0:0", "/usr/sbin/nologin")
              if needle.encode() in data or needle.encode() in data.lower()}
    assert leaked == set()
    assert marker not in result.output and secret not in result.output
    # the reports themselves are published, and the home pages list every refused file
    assert "reports/2023/finance-2023/index.html" in files
    for home in (site.page(""), site.page("en/")):
        for line in EXPECTED:
            assert f"<code>{line.split(': ', 1)[0]}</code>" in home


def test_the_secret_would_be_found_if_it_were_published(tmp_path: Path):
    """The check above can fail: a secret inside a gzip file (Pagefind's, the sitemap) is found."""
    import gzip
    (tmp_path / "fragment.pf_fragment").write_bytes(gzip.compress(b'{"content":"archivesecret123"}'))
    assert b"archivesecret123" in output_files(tmp_path)["fragment.pf_fragment"]


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "non-strict"])
def test_a_linked_folder_stops_the_build_in_the_configured_language(tmp_path: Path, strict: bool):
    site = make_site(tmp_path / "repo", messages="en")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "finance-2024.md").write_text("---\ntitle: outsidemarker\n---\n\noutsidemarker\n", encoding="utf-8")
    os.symlink(outside, site.docs / "reports" / "2024")
    os.symlink("/", site.docs / "everything")
    os.symlink("/proc/self/environ", site.docs / "reports" / "2023" / "env.txt")
    result = build(site, strict=strict, secret="unused")
    assert result.returncode == 1, result.output[-3000:]
    assert "Traceback" not in result.output
    folder = ("this folder is a symbolic link: the build stopped without reading anything through it — "
              "delete the link and put the files themselves in a real folder")
    for line in (f"docs/everything:1: {folder}", f"docs/reports/2024:1: {folder}",
                 "docs/reports/2023/env.txt:1: this is a symbolic link: the build does not read, copy or publish "
                 "what it points to — delete the link; to add an image or attachment, commit the file itself here"):
        assert logged_once(result.output, line), line
    assert not site.out.exists()
    assert sorted(os.listdir(site.root)) == ["docs", "mkdocs.yml"]
    assert "outsidemarker" not in result.output


def test_files_of_allowed_types_and_excluded_files_are_published_as_before(tmp_path: Path):
    site = make_site(tmp_path / "repo")
    (site.docs / "reports" / "2023" / "chart.png").write_bytes(PNG + b"\x00" * 16)
    (site.docs / "reports" / "2023" / "annex.pdf").write_bytes(b"%PDF-1.7\n%%EOF\n")
    result = site.build(strict=True)
    assert result.returncode == 0, result.output[-3000:]
    assert (site.out / "reports" / "2023" / "chart.png").read_bytes().startswith(PNG)
    assert (site.out / "reports" / "2023" / "annex.pdf").is_file()
    assert (site.out / "stylesheets" / "archive.css").is_file()
    assert not (site.out / "vocabulary.yml").exists()  # excluded by exclude_docs, as configured
    assert "vocabulary.yml" not in result.output
