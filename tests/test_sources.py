"""Files under docs/: links are never followed, only allowed file types are published (archive.sources)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from archive.problems import Problem
from archive.sources import REPORT_TYPES, SITE_TYPES, allowed_extensions, refused_file, stops_build, unsafe_entries

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 24
GIF = b"GIF89a" + b"\x00" * 24
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 16
PDF = b"%PDF-1.7\n" + b"\x00" * 16


def line(problem: Problem | None, lang: str = "zh") -> str | None:
    return None if problem is None else f"docs/{problem.path}:{problem.line}: {problem.what(lang)} — {problem.fix(lang)}"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    (root / "reports" / "2023").mkdir(parents=True)
    (root / "reports" / "2023" / "a.md").write_text("---\ntitle: a\n---\n", encoding="utf-8")
    return root


def test_links_anywhere_are_found_without_following_them(docs: Path, tmp_path: Path):
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep" / "secret.md").write_text("MARKER", encoding="utf-8")
    os.symlink("/proc/self/environ", docs / "reports" / "2023" / "env.txt")
    os.symlink("/etc/passwd", docs / "reports" / "2023" / "passwd.md")
    os.symlink(outside, docs / "reports" / "2024")
    os.symlink("..", docs / "reports" / "loop")           # a folder link to its own parent: no endless walk
    os.symlink("nowhere", docs / "dangling.md")
    os.mkfifo(docs / "reports" / "2023" / "pipe.md")      # reading it would hang the build
    assert unsafe_entries(str(docs)) == [
        Problem("dangling.md", 1, "symlink"),
        Problem("reports/2023/env.txt", 1, "symlink"),
        Problem("reports/2023/passwd.md", 1, "symlink"),
        Problem("reports/2023/pipe.md", 1, "not_regular_file"),
        Problem("reports/2024", 1, "symlink_dir"),
        Problem("reports/loop", 1, "symlink_dir"),
    ]
    assert [p.code for p in unsafe_entries(str(docs))] == [
        "symlink", "symlink", "symlink", "not_regular_file", "symlink_dir", "symlink_dir"]


def test_only_a_linked_folder_stops_the_build(docs: Path, tmp_path: Path):
    os.symlink("/etc/passwd", docs / "reports" / "2023" / "passwd.md")
    assert not stops_build(unsafe_entries(str(docs)))
    os.symlink(tmp_path, docs / "reports" / "2022")
    assert stops_build(unsafe_entries(str(docs)))
    assert unsafe_entries(str(tmp_path / "missing")) == []


def test_a_linked_docs_folder_is_itself_refused(docs: Path, tmp_path: Path):
    os.symlink(docs, tmp_path / "linked")
    assert unsafe_entries(str(tmp_path / "linked")) == [Problem("", 1, "symlink_dir")]


def test_the_messages_say_what_happened_and_what_to_do(docs: Path, tmp_path: Path):
    os.symlink("/proc/self/environ", docs / "reports" / "2023" / "env.txt")
    os.symlink(tmp_path, docs / "reports" / "2024")
    os.mkfifo(docs / "pipe.md")
    env, pipe, folder = (unsafe_entries(str(docs))[i] for i in (1, 0, 2))
    assert line(env) == ("docs/reports/2023/env.txt:1: 这是符号链接，构建不会读取、复制或发布它指向的内容 — "
                         "删除这个链接；要放图片或附件，请把文件本身提交到这里")
    assert line(env, "en") == ("docs/reports/2023/env.txt:1: this is a symbolic link: the build does not read, "
                               "copy or publish what it points to — delete the link; to add an image or "
                               "attachment, commit the file itself here")
    assert line(folder) == ("docs/reports/2024:1: 这个文件夹是符号链接，构建因此停止，没有读取其中任何内容 — "
                            "删除这个链接，把文件本身放进一个真实的文件夹")
    assert line(folder, "en") == ("docs/reports/2024:1: this folder is a symbolic link: the build stopped without "
                                  "reading anything through it — delete the link and put the files themselves "
                                  "in a real folder")
    assert line(pipe) == "docs/pipe.md:1: 这不是普通文件，而是命名管道，构建不会读取或发布它 — 删除它：docs/ 下只能放普通文件"
    assert line(pipe, "en") == ("docs/pipe.md:1: this is a named pipe, not a regular file: the build does not "
                                "read or publish it — delete it: docs/ holds regular files only")


def test_a_linked_file_is_refused_whatever_it_points_to(docs: Path):
    (docs / "reports" / "2023" / "real.png").write_bytes(PNG)
    os.symlink("real.png", docs / "reports" / "2023" / "alias.png")
    os.symlink("/etc/passwd", docs / "reports" / "2023" / "passwd.md")
    assert refused_file(str(docs), "reports/2023/real.png") is None
    assert refused_file(str(docs), "reports/2023/alias.png") == Problem("reports/2023/alias.png", 1, "symlink")
    assert refused_file(str(docs), "reports/2023/passwd.md") == Problem("reports/2023/passwd.md", 1, "symlink")
    # not published (exclude_docs) does not make a link acceptable
    assert refused_file(str(docs), "reports/2023/passwd.md", published=False) is not None


def test_a_path_through_a_linked_folder_resolves_outside(docs: Path, tmp_path: Path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.md").write_text("x", encoding="utf-8")
    os.symlink(tmp_path / "elsewhere", docs / "linked")
    problem = refused_file(str(docs), "linked/x.md")
    assert problem == Problem("linked/x.md", 1, "outside_docs")
    assert line(problem) == "docs/linked/x.md:1: 这个路径实际位于 docs/ 之外，构建不会读取或发布它 — 删除它，把文件本身提交到这里"
    assert line(problem, "en") == ("docs/linked/x.md:1: this path actually lies outside docs/: the build does not "
                                   "read or publish it — delete it and commit the file itself here")


@pytest.mark.parametrize("name, content", [
    ("a.md", b"text"), ("photo.png", PNG), ("photo.jpg", JPEG), ("photo.jpeg", JPEG), ("IMG_0001.JPG", JPEG),
    ("anim.gif", GIF), ("pic.webp", WEBP), ("annex.pdf", PDF)])
def test_reports_accept_markdown_images_and_pdf(docs: Path, name: str, content: bytes):
    (docs / "reports" / "2023" / name).write_bytes(content)
    assert refused_file(str(docs), f"reports/2023/{name}") is None


REPORTS_FIX = "删除它，或换成允许的类型；reports/ 下只接受 .md、.png、.jpg、.jpeg、.gif、.webp、.pdf"


@pytest.mark.parametrize("name, expected", [
    ("page.html", f"docs/reports/2023/page.html:1: reports/ 下不接受 .html 文件，它不会被发布 — {REPORTS_FIX}"),
    ("page.HTM", f"docs/reports/2023/page.HTM:1: reports/ 下不接受 .htm 文件，它不会被发布 — {REPORTS_FIX}"),
    ("chart.svg", f"docs/reports/2023/chart.svg:1: reports/ 下不接受 .svg 文件，它不会被发布 — {REPORTS_FIX}"),
    ("run.js", f"docs/reports/2023/run.js:1: reports/ 下不接受 .js 文件，它不会被发布 — {REPORTS_FIX}"),
    ("style.css", f"docs/reports/2023/style.css:1: reports/ 下不接受 .css 文件，它不会被发布 — {REPORTS_FIX}"),
    ("data.xml", f"docs/reports/2023/data.xml:1: reports/ 下不接受 .xml 文件，它不会被发布 — {REPORTS_FIX}"),
    ("env.txt", f"docs/reports/2023/env.txt:1: reports/ 下不接受 .txt 文件，它不会被发布 — {REPORTS_FIX}"),
    ("Makefile", f"docs/reports/2023/Makefile:1: reports/ 下不接受没有扩展名的文件，它不会被发布 — {REPORTS_FIX}"),
])
def test_reports_refuse_every_other_type(docs: Path, name: str, expected: str):
    (docs / "reports" / "2023" / name).write_text("<script>alert(1)</script>", encoding="utf-8")
    assert line(refused_file(str(docs), f"reports/2023/{name}")) == expected


def test_the_type_messages_in_english(docs: Path):
    (docs / "reports" / "2023" / "page.html").write_text("x", encoding="utf-8")
    (docs / "notes").write_text("x", encoding="utf-8")
    assert line(refused_file(str(docs), "reports/2023/page.html"), "en") == (
        "docs/reports/2023/page.html:1: .html files are not accepted under reports/: it is not published — "
        "delete it or use an accepted type; reports/ accepts only .md, .png, .jpg, .jpeg, .gif, .webp, .pdf")
    assert line(refused_file(str(docs), "notes"), "en") == (
        "docs/notes:1: files without an extension are not accepted in docs/: it is not published — "
        "delete it or use an accepted type; docs/ accepts only .md, .png, .jpg, .jpeg, .gif, .webp, .pdf, .css")


SITE_FIX = "删除它，或换成允许的类型；docs/ 下只接受 .md、.png、.jpg、.jpeg、.gif、.webp、.pdf、.css"


def test_outside_reports_the_maintainers_stylesheets_are_accepted_but_no_html_svg_or_script(docs: Path):
    for name in ("stylesheets/archive.css", "images/shot.png", "about/index.md", "page.html", "about/logo.svg",
                 "extra.js", "feed.xml"):
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_bytes(PNG if name.endswith(".png") else b"x")
    assert [line(refused_file(str(docs), name)) for name in
            ("stylesheets/archive.css", "images/shot.png", "about/index.md", "page.html", "about/logo.svg",
             "extra.js", "feed.xml")] == [
        None, None, None,
        f"docs/page.html:1: docs/ 下不接受 .html 文件，它不会被发布 — {SITE_FIX}",
        f"docs/about/logo.svg:1: docs/ 下不接受 .svg 文件，它不会被发布 — {SITE_FIX}",
        f"docs/extra.js:1: docs/ 下不接受 .js 文件，它不会被发布 — {SITE_FIX}",
        f"docs/feed.xml:1: docs/ 下不接受 .xml 文件，它不会被发布 — {SITE_FIX}",
    ]


def test_an_excluded_file_may_be_of_any_type(docs: Path):
    (docs / "vocabulary.yml").write_text("units: {}\n", encoding="utf-8")
    assert refused_file(str(docs), "vocabulary.yml", published=False) is None
    assert refused_file(str(docs), "vocabulary.yml") is not None


@pytest.mark.parametrize("name, content, kind", [
    ("photo.png", b"<html><script>alert(1)</script></html>", "PNG 图片"),
    ("photo.jpg", PNG, "JPEG 图片"),
    ("anim.gif", b"GIF90a", "GIF 图片"),
    ("pic.webp", b"RIFF\x10\x00\x00\x00WAVEfmt ", "WebP 图片"),
    ("annex.pdf", b"", "PDF 文档"),
])
def test_an_image_or_pdf_must_be_one(docs: Path, name: str, content: bytes, kind: str):
    (docs / "reports" / "2023" / name).write_bytes(content)
    ext = name[name.rindex("."):]
    assert line(refused_file(str(docs), f"reports/2023/{name}")) == (
        f"docs/reports/2023/{name}:1: 文件名是 {ext}，但内容不是 {kind}，它不会被发布 — "
        f"用制作它的软件重新导出（另存）为 {kind}，或删除它")


def test_the_content_message_in_english(docs: Path):
    (docs / "reports" / "2023" / "photo.png").write_text("<svg onload=alert(1)>", encoding="utf-8")
    assert line(refused_file(str(docs), "reports/2023/photo.png"), "en") == (
        "docs/reports/2023/photo.png:1: the file is named .png but its content is not a PNG image: it is not "
        "published — export (save) it again as a PNG image from the program that made it, or delete it")


def test_one_definition_of_what_is_allowed():
    assert allowed_extensions(REPORT_TYPES) == (".md", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf")
    assert set(allowed_extensions(SITE_TYPES)) - set(allowed_extensions(REPORT_TYPES)) == {".css"}
    for never in (".html", ".htm", ".svg", ".js", ".mjs", ".xml", ".xhtml", ".txt"):
        assert never not in allowed_extensions(SITE_TYPES)
