"""``./dev check``: the build's problems, every one at once, without building (archive.check)."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from archive.mdtext import cell
from sites import ROOT, Site, make_site
from test_hostile import cases, expected_lines, hostile_site

sys.path.insert(0, str(ROOT / "hooks"))
from archive.check import github_lines  # noqa: E402
from archive.problems import Problem  # noqa: E402

CHECK = str(ROOT / "hooks" / "check.py")

REPORT = """---
title: 区税务局2023年度工作汇报
date: 2024-01-10
year: 2023
unit: tax-bureau
topics: [revenue]
template: tax-annual
metrics:
  tax_revenue: 1300000000
  refund_households: 360
---

全年组织税收收入{{ tax_revenue }}，退税{{ refund_total }}。

<script>alert(1)</script>
"""
ABOUT = """---
title: 关于
template: main.html
---

<iframe src="https://evil.example/"></iframe>
"""
ELEMENT_FIX = "删除它：正文用 Markdown 写文字、标题、列表、表格、引用和代码，图片和链接用 ![说明](图片) 和 [文字](地址)，不写 HTML 标签"
P = "docs/reports/2023/tax-2023.md"
# (path, line, what, fix): the build's exact problems for the fixture below, in path and line order
PROBLEMS = [
    ("docs/about/index.md", 3, "页面的 front matter 含有字段 template", "删除它：报告以外的页面在 front matter 中只写 title"),
    ("docs/about/index.md", 6, '正文含有不允许的 HTML 元素 <iframe>，已从页面删除：<iframe src="https://evil.example/">', ELEMENT_FIX),
    ("docs/archive/index.md", 1, "这个页面由归档程序生成，不能提交同名文件；该文件不会被发布", "删除这个文件"),
    ("docs/reports/2023/notes.txt", 1, "reports/ 下不接受 .txt 文件，它不会被发布",
     "删除它，或换成允许的类型；reports/ 下只接受 .md、.png、.jpg、.jpeg、.gif、.webp、.pdf"),
    (P, 8, "缺少「税务工作年度汇报」要求的指标 refund_amount（留抵退税额）", "在 metrics 下加入 refund_amount: 数值（单位：亿元）"),
    (P, 13, "正文引用了 {{ refund_total }}，但 metrics 中没有它",
     "在 metrics 下加入 refund_total: 数值，或改正引用的名称（是否要写「refund_households」？）"),
    (P, 15, "正文含有不允许的 HTML 元素 <script>，已从页面删除：<script>", ELEMENT_FIX),
]
CODES = ["page_field", "unsafe_element", "generated_page_taken", "report_file_type", "missing_metric",
         "undefined_quote", "unsafe_element"]
LINES = [f"{path}:{line}: {what} — {fix}" for path, line, what, fix in PROBLEMS]


def fixture_site(root: Path, **extra: object) -> Site:
    """The fixture site with a report, a page, a file and a generated page's name that each have problems."""
    site = make_site(root, **extra)
    site.write("reports/2023/tax-2023.md", REPORT)
    site.write("about/index.md", ABOUT)
    site.write("reports/2023/notes.txt", "notes")
    site.write("archive/index.md", "---\ntitle: 归档\n---\n")
    return site


def run(cwd: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, CHECK, *args], cwd=cwd, capture_output=True, text=True,
                          env=dict(os.environ, **(env or {})), encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    return fixture_site(tmp_path_factory.mktemp("check"))


def test_text_lists_every_problem_in_every_file_and_exits_1(site):
    result = run(site.root)
    assert result.stdout.splitlines() == LINES
    assert result.stderr == "发现 7 个问题\n"
    assert result.returncode == 1


def test_the_lines_are_the_strict_builds_lines(site, tmp_path):
    built = fixture_site(tmp_path / "built")
    build = built.build(strict=True)
    assert build.returncode == 1
    logged = [line.split(" -  ", 1)[1] for line in build.output.splitlines()
              if line.startswith("WARNING -  docs/")]
    assert sorted(logged) == sorted(LINES)


def test_messages_follow_the_configured_language(tmp_path):
    english = fixture_site(tmp_path / "en", messages="en")
    result = run(english.root)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "docs/about/index.md:3: the page's front matter has field template — "
        "remove it: a page other than a report gives only title in its front matter")
    assert result.stderr == "7 problems found\n"


def test_paths_limit_the_output_not_what_is_read(site):
    result = run(site.root, "docs/reports/2023/tax-2023.md", "docs/about")
    assert result.stdout.splitlines() == [LINES[0], LINES[1], *LINES[4:]]
    assert result.returncode == 1
    clean = run(site.root / "docs", "reports/2022/tax-2022.md")  # from docs/: mkdocs.yml found above it
    assert (clean.stdout, clean.returncode) == ("", 0)
    assert clean.stderr == "没有发现问题。\n"


def test_github_annotations_and_a_job_summary_of_every_problem(site, tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    result = run(site.root, "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"::error file={path},line={line}::{what} — {fix}"
                                          for path, line, what, fix in PROBLEMS]
    table = [f"| {cell(path)} | {line} | {cell(what)} | {cell(fix)} |" for path, line, what, fix in PROBLEMS]  # escaped as test_diff asserts
    assert summary.read_text(encoding="utf-8").splitlines() == [
        "earlier step", "## 投稿检查", "", "发现 7 个问题", "", "| 文件 | 行 | 问题 | 怎样修改 |", "|---|--:|---|---|", *table]


def test_github_escapes_what_its_commands_would_read():
    problem = Problem("docs/a,b:c%.md", 2, "yaml_error", {"detail": "50% off\r\nnext"})
    assert github_lines([problem], "en") == [
        "::error file=docs/a%2Cb%3Ac%25.md,line=2::the front matter is not valid YAML: 50%25 off%0D%0Anext"
        " — check the indentation, colons and quotes on this line"]


def test_a_clean_github_run_writes_a_clean_summary(tmp_path):
    clean = make_site(tmp_path / "clean")
    summary = tmp_path / "summary.md"
    result = run(clean.root, "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert (result.stdout, result.returncode) == ("", 0)
    assert summary.read_text(encoding="utf-8") == "## 投稿检查\n\n没有发现问题。\n"


def _fingerprint(path: str, code: str, description: str, occurrence: int = 1) -> str:
    return hashlib.sha256("\0".join((path, code, description, str(occurrence))).encode("utf-8")).hexdigest()


def test_gitlab_code_quality_report(site, tmp_path):
    result = run(site.root, "--format", "gitlab")
    assert result.returncode == 1
    issues = json.loads(result.stdout)
    assert issues == [{"description": f"{what} — {fix}", "check_name": code,
                       "fingerprint": _fingerprint(path, code, f"{what} — {fix}"), "severity": "major",
                       "location": {"path": path, "lines": {"begin": line}}}
                      for (path, line, what, fix), code in zip(PROBLEMS, CODES)]
    # the fingerprint stays when lines above the problem move; it names the problem, not its line
    moved = fixture_site(tmp_path / "moved")
    moved.write("reports/2023/tax-2023.md", REPORT.replace("全年", "\n\n全年"))
    shifted = {i["check_name"] + i["location"]["path"]: i for i in json.loads(run(moved.root, "--format", "gitlab").stdout)}
    before = next(i for i in issues if i["check_name"] == "undefined_quote")
    after = shifted["undefined_quote" + P]
    assert after["location"]["lines"]["begin"] == before["location"]["lines"]["begin"] + 2
    assert after["fingerprint"] == before["fingerprint"]
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_the_hostile_corpus_gives_exactly_its_expected_lines(tmp_path):
    hostile = hostile_site(tmp_path / "hostile")
    result = run(hostile.root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    expected = {line for case in cases() for line in expected_lines(case)}
    assert set(result.stdout.splitlines()) == expected
    assert len(result.stdout.splitlines()) == len(set(result.stdout.splitlines()))  # each problem once


def test_a_linked_folder_is_listed_and_everything_else_still_checked(tmp_path):
    linked = fixture_site(tmp_path / "linked")
    os.symlink("/etc", linked.docs / "reports" / "2023" / "etc")
    result = run(linked.root)
    assert result.returncode == 1
    assert result.stdout.splitlines()[3].startswith("docs/reports/2023/etc:1: ")
    assert LINES[0] in result.stdout and LINES[-1] in result.stdout


def test_the_sample_archive_is_clean():
    for config in ("mkdocs.yml", "mkdocs.public.yml"):  # the public edition INHERITs mkdocs.yml
        result = run(ROOT, "-f", config)
        assert (result.stdout, result.returncode) == ("", 0), result.stdout + result.stderr


def test_plain_python_module_and_dev_script_run_the_same_check():
    module = subprocess.run([sys.executable, "-m", "hooks.check"], cwd=ROOT, capture_output=True, text=True)
    assert (module.stdout, module.returncode) == ("", 0), module.stderr
    dev = subprocess.run(["bash", str(ROOT / "dev"), "check", "--format", "gitlab"], cwd=ROOT,
                         capture_output=True, text=True)
    assert (dev.stdout.strip(), dev.returncode) == ("[]", 0), dev.stderr


def test_a_configuration_error_exits_2_with_what_to_change(tmp_path):
    broken = make_site(tmp_path / "broken")
    config = (broken.root / "mkdocs.yml").read_text(encoding="utf-8")
    (broken.root / "mkdocs.yml").write_text(config.replace("/vocabulary.yml", "/other.yml"), encoding="utf-8")
    result = run(broken.root)
    assert result.returncode == 2
    assert result.stderr == ("mkdocs.yml: the vocabulary vocabulary.yml would be published — "
                             "add /vocabulary.yml under exclude_docs\n")


def test_a_page_edited_since_the_last_check_is_checked_again(tmp_path):
    edited = fixture_site(tmp_path / "edited")
    first = run(edited.root)
    assert (edited.root / ".cache" / "check" / "sanitize-v1.json").is_file()
    assert run(edited.root).stdout == first.stdout == "\n".join(LINES) + "\n"  # from the cache
    edited.edit("reports/2023/tax-2023.md", "<script>alert(1)</script>", "<style>p {}</style>")
    again = run(edited.root)
    assert again.stdout.splitlines() == LINES[:-1] + [
        f"{P}:15: 正文含有不允许的 HTML 元素 <style>，已从页面删除：<style> — {ELEMENT_FIX}"]
    assert run(edited.root, "--no-cache").stdout == again.stdout
