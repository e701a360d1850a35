"""``./dev diff BASE``: the archive's data changed since BASE, as Markdown (archive.diff), in temporary repositories."""
from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import cmarkgfm
import pytest

from archive.diff import cell
from sites import ROOT, Site, make_site

DEV = str(ROOT / "hooks" / "dev.py")
NAMES = ["-c", "user.name=Archive", "-c", "user.email=archive@example.invalid", "-c", "init.defaultBranch=main",
         "-c", "commit.gpgsign=false"]
ADDED = """---
title: 区财政局2024年工作总结
date: 2025-01-05
year: 2024
unit: finance-bureau
topics: [revenue]
template: finance-annual
metrics:
  growth_rate: 4.5
---

全年一般公共预算收入增长{{ growth_rate }}。
"""


def git(site: Site, *args: str) -> str:
    done = subprocess.run(["git", *NAMES, "-C", str(site.root), *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def repository(root: Path, **settings: object) -> Site:
    """The fixture site, committed on the branch main."""
    site = make_site(root, search=False, **settings)
    git(site, "init", "-q")
    git(site, "add", "-A")
    git(site, "commit", "-qm", "base")
    return site


def diff(site: Site, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, DEV, "diff", *args], cwd=cwd or site.root, capture_output=True,
                          text=True, encoding="utf-8")


def test_figures_reports_moves_and_translations_since_the_merge_base(tmp_path):
    site = repository(tmp_path / "site", messages="en")
    git(site, "checkout", "-qb", "pr")
    git(site, "checkout", "-q", "main")          # main moves on after the branch began: not the branch's change
    site.edit("reports/2022/finance-2022.md", "growth_rate: 6.25", "growth_rate: 7")
    git(site, "commit", "-qam", "main")
    git(site, "checkout", "-q", "pr")
    git(site, "rm", "-q", "docs/reports/2022/finance-2022.md")
    git(site, "mv", "docs/reports/2023/finance-2023.md", "docs/reports/2023/finance-bureau-2023.md")
    git(site, "mv", "docs/reports/2021/tax-2021.md", "docs/reports/2021/tax-bureau-2021.md")
    site.edit("reports/2021/tax-bureau-2021.md", "refund_households: 210", "refund_households: 231")
    site.write("reports/2024/finance-2024.md", ADDED)
    git(site, "add", "-A")
    git(site, "commit", "-qm", "pr")
    # left uncommitted: the working tree is compared
    site.edit("reports/2022/tax-2022.md", "tax_revenue: 1268000000", "tax_revenue: 1426500000")
    site.edit("reports/2022/tax-2022.md", "average_age: 38.5", "average_age: 38.456")
    site.edit("reports/2022/tax-2022.md", "title: 区税务局2022年度工作汇报", "title: 区税务局2022年度工作汇报（修订）")
    site.write("reports/2023/finance-bureau-2023.en.md", "---\ntitle: Finance 2023\n---\n\nGrowth {{ growth_rate }}.\n")
    base = git(site, "merge-base", "main", "HEAD")

    result = diff(site, "main")

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "\n".join([
        "## Changes to the archive's data",
        "",
        f"Compared: main (its merge base with HEAD, {base[:12]}, as a pull request is compared) → "
        "the working tree (uncommitted edits included).",
        "",
        "Reports: 1 added, 1 removed, 2 moved, 2 with changed data; 5 figures changed; "
        "translations: 1 added, 0 removed",
        "",
        "### Figures changed",
        "",
        "| report | metric | before | after | change |",
        "|---|---|--:|--:|--:|",
        "| docs/reports/2021/tax-bureau-2021.md | Taxpayers refunded | 210 entities | 231 entities | +10.0% |",
        "| docs/reports/2022/finance-2022.md | Revenue growth | 6.25% | — | — |",
        "| docs/reports/2022/tax-2022.md | Tax revenue | 1.27 billion yuan (1,268,000,000 yuan) "
        "| 1.43 billion yuan (1,426,500,000 yuan) | +12.5% |",
        "| docs/reports/2022/tax-2022.md | Average age of section chiefs | 38.5 years | 38.46 years (38.456 years) "
        "| -0.1% |",
        "| docs/reports/2024/finance-2024.md | Revenue growth | — | 4.5% | — |",
        "",
        "### Reports added",
        "",
        "| report | title | reporting unit | year | report type |",
        "|---|---|---|---|---|",
        "| docs/reports/2024/finance-2024.md | 区财政局2024年工作总结 | District Finance Bureau | 2024 "
        "| Annual finance work report |",
        "",
        "### Reports removed",
        "",
        "| report | title | reporting unit | year | report type |",
        "|---|---|---|---|---|",
        "| docs/reports/2022/finance-2022.md | 区财政局2022年工作总结 | District Finance Bureau | 2022 "
        "| Annual finance work report |",
        "",
        "### Reports moved",
        "",
        "| from | to | title | matched by |",
        "|---|---|---|---|",
        "| docs/reports/2021/tax-2021.md | docs/reports/2021/tax-bureau-2021.md | 区税务局2021年度工作汇报 "
        "| same unit, year and report type |",
        "| docs/reports/2023/finance-2023.md | docs/reports/2023/finance-bureau-2023.md | 区财政局2023年工作总结 "
        "| same content |",
        "",
        "### Front matter changed",
        "",
        "| report | field | before | after |",
        "|---|---|---|---|",
        "| docs/reports/2022/tax-2022.md | title | 区税务局2022年度工作汇报 | 区税务局2022年度工作汇报（修订） |",
        "",
        "### Translations",
        "",
        "- added: docs/reports/2023/finance-bureau-2023.en.md",
        "",
    ])
    # compared with main itself (no merge base), main's own change would read as the branch's
    assert "| 7% |" not in result.stdout


def test_a_report_type_removed_from_the_figures_and_withheld(tmp_path):
    site = repository(tmp_path / "site")
    site.edit("reports/2022/tax-2022.md", "refund_amount: 3.2", "refund_amount: {withheld: 按规定不予公开}")
    site.edit("reports/2022/tax-2022.md", "  instructions: 1234\n", "")
    site.edit("reports/2022/tax-2022.md", "{{ instructions }}", "多次")
    site.edit("reports/2022/tax-2022.en.md", "{{ instructions }}", "many")

    result = diff(site, "HEAD")

    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[4:12] == [
        "报告：新增 0 篇，删除 0 篇，移动 0 篇，数据有修改 1 篇；数字变更 2 项",
        "",
        "### 数字变更",
        "",
        "| 报告 | 指标 | 变更前 | 变更后 | 变化 |",
        "|---|---|--:|--:|--:|",
        "| docs/reports/2022/tax-2022.md | 留抵退税额 | 3.2亿元 | 不予公开：按规定不予公开 | — |",
        "| docs/reports/2022/tax-2022.md | 领导批示 | 1,234人次 | — | — |",
    ]


def test_no_change_to_the_data(tmp_path):
    site = repository(tmp_path / "site")
    site.edit("reports/2022/tax-2022.md", "## 二、留抵退税", "## 二、增值税留抵退税")  # text only

    result = diff(site, "main")

    head = git(site, "rev-parse", "HEAD")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (f"## 档案数据的变更\n\n对比：main（与 HEAD 的合并基础 {head[:12]}，与拉取请求的比较方式相同）"
                             "→ 工作区（包括未提交的修改）。\n\n档案数据没有变化。\n")


def test_problems_on_a_side_are_counted_and_point_to_the_check(tmp_path):
    site = repository(tmp_path / "site")
    site.edit("reports/2022/tax-2022.md", "tax_revenue: 1268000000", "tax_revenue: 待补充")

    result = diff(site, "main")

    assert result.stdout.splitlines()[4:7] == [
        "注意：工作区的报告数据有 1 个问题；比较只包括能读出的数据 — 运行 `./dev check` 查看每个问题及改法。",
        "",
        "报告：新增 0 篇，删除 0 篇，移动 0 篇，数据有修改 1 篇；数字变更 1 项",
    ]
    assert "| docs/reports/2022/tax-2022.md | 税收收入 | 12.68亿元（1,268,000,000元） | — | — |" in result.stdout


def test_a_public_configuration_masks_confidential_figures(tmp_path):
    site = make_site(tmp_path / "site", search=False, public=True)
    site.edit("reports/2022/tax-2022.md", "template: tax-annual\n", "template: tax-annual\nconfidential: [tax_revenue]\n")
    git(site, "init", "-q")
    git(site, "add", "-A")
    git(site, "commit", "-qm", "base")
    site.edit("reports/2022/tax-2022.md", "tax_revenue: 1268000000", "tax_revenue: 1426500000")
    site.edit("reports/2022/tax-2022.md", "refund_households: 356", "refund_households: 400")

    result = diff(site, "main")

    assert result.returncode == 0
    assert [line for line in result.stdout.splitlines() if line.startswith("| docs/")] == [
        "| docs/reports/2022/tax-2022.md | 税收收入 | \\*\\*元 | \\*\\*元 | — |",
        "| docs/reports/2022/tax-2022.md | 留抵退税户数 | 356户 | 400户 | +12.4% |",
    ]
    for figure in ("1268", "1,268", "12.68", "1426", "1,426", "14.27"):
        assert figure not in result.stdout


def test_a_vocabulary_change_is_listed_by_term_not_report_by_report(tmp_path):
    site = repository(tmp_path / "site")
    vocabulary = site.docs / "vocabulary.yml"
    text = vocabulary.read_text(encoding="utf-8")
    text = text.replace("zh: 税收收入", "zh: 税收总收入").replace("unit: 亿元", "unit: 万元")
    vocabulary.write_text(text + "  hrss-annual:\n    zh: 人社工作年度汇报\n    en: Annual HR report\n"
                          "    required: [growth_rate]\n", encoding="utf-8")

    result = diff(site, "main")

    assert result.stdout.splitlines()[4:] == [
        "报告：新增 0 篇，删除 0 篇，移动 0 篇，数据有修改 0 篇；数字变更 0 项；词表有改动",
        "",
        "### 词表",
        "",
        "docs/vocabulary.yml 有改动。",
        "",
        "| 类别 | 键名 | 变更 |",
        "|---|---|---|",
        "| 指标 | refund\\_amount | unit：亿元 → 万元 |",
        "| 指标 | tax\\_revenue | zh：税收收入 → 税收总收入 |",
        "| 报告类型 | hrss-annual | 新增（人社工作年度汇报） |",
    ]


HOSTILE = ('<img src=x onerror=alert(1)> [点我](https://evil.example/) ![i](https://evil.example/a.png) | '
           '@octocat a@evil.example www.evil.example `x` **b** $x$ :+1: &amp; \u202egnp.exe\n第二行')


def test_a_hostile_title_stays_text_when_the_forge_renders_the_summary(tmp_path):
    site = repository(tmp_path / "site")
    title = HOSTILE.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    site.write("reports/2024/finance-2024.md", ADDED.replace("title: 区财政局2024年工作总结", f'title: "{title}"'))

    result = diff(site, "main")

    assert result.returncode == 0
    assert ("| docs/reports/2024/finance-2024.md | \\<img src=x onerror=alert(1)\\> \\[点我\\](https\\://evil.example/) "
            "\\!\\[i\\](https\\://evil.example/a.png) \\| \\@\u200boctocat a\\@\u200bevil.example www\\.evil.example "
            "\\`x\\` \\*\\*b\\*\\* \\$x\\$ \\:+1\\: \\&amp; gnp.exe 第二行 | 区财政局 | 2024 | 财政工作年度汇报 |"
            ) in result.stdout.splitlines()
    rendered = cmarkgfm.github_flavored_markdown_to_html(result.stdout, options=cmarkgfm.Options.CMARK_OPT_UNSAFE)
    assert re.findall(r"<(?!/?(?:h2|h3|p|table|thead|tbody|tr|th|td)\b)[a-z]+", rendered) == []  # no link, image, code…
    cells = re.findall(r"<td>(.*?)</td>", rendered.split("新增的报告")[1])
    assert html.unescape(cells[1]).replace("\u200b", "") == HOSTILE.replace("\u202e", "").replace("\n", " ")


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>", "<https://evil.example>", "[a][b]\n\n[b]: https://evil.example", "[^1]",
    "https://evil.example", "WWW.evil.example", "(www.evil.example)", "mailto:a@evil.example", "xmpp:a@evil.example/x",
    "~~s~~", "__b__", "\\", "\\|", "&#60;img&#62;", "a\r\nb\tc\x00d", "```", "<!-- x -->", "line\u2028two",
])
def test_cell_shows_exactly_the_text(text):
    rendered = cmarkgfm.github_flavored_markdown_to_html(f"| h |\n|---|\n| {cell(text)} |\n",
                                                         options=cmarkgfm.Options.CMARK_OPT_UNSAFE)
    assert rendered.count("<td>") == 1 and rendered.count("<") == rendered.count("</") * 2  # one cell, no other tag
    shown = html.unescape(re.search(r"<td>(.*?)</td>", rendered, re.S).group(1)).replace("\u200b", "")
    assert shown == re.sub(r"[\x00-\x1f]", " ", text).strip()


def test_a_revision_that_names_no_commit(tmp_path):
    site = repository(tmp_path / "site", messages="en")

    result = diff(site, "origin/nothing")

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("'origin/nothing' names no commit, branch or tag of this repository — give one that "
                             "exists, such as origin/main (git fetch a remote branch first)\n")
    assert diff(site, "--upload-pack=touch").returncode == 2  # never an option of git


def test_outside_a_repository(tmp_path):
    site = make_site(tmp_path / "site", search=False)
    env = dict(os.environ, GIT_CEILING_DIRECTORIES=str(tmp_path))
    result = subprocess.run([sys.executable, DEV, "diff", "main"], cwd=site.root, capture_output=True, text=True,
                            encoding="utf-8", env=env)

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(f"{site.root} 不在 git 仓库中：./dev diff 比较的是仓库的历史 — 在仓库的文件夹中运行（git：")


def test_unrelated_history_is_compared_directly_and_says_why(tmp_path):
    site = repository(tmp_path / "site")
    git(site, "checkout", "-q", "--orphan", "other")
    site.edit("reports/2022/finance-2022.md", "growth_rate: 6.25", "growth_rate: 7")
    git(site, "commit", "-qam", "unrelated")
    other = git(site, "rev-parse", "HEAD")
    git(site, "checkout", "-q", "main")

    result = diff(site, "other", "--output", str(tmp_path / "summary.md"))

    assert (result.returncode, result.stdout) == (0, "")
    lines = (tmp_path / "summary.md").read_text(encoding="utf-8").splitlines()
    assert lines[2] == (f"对比：other（{other[:12]}）→ 工作区（包括未提交的修改）。没有找到它与 HEAD 的合并基础，直接与它比较："
                        "浅克隆没有完整历史，CI 中请用 fetch-depth: 0（GitLab：GIT_DEPTH: 0）。")
    assert "| docs/reports/2022/finance-2022.md | 收入增幅 | 7% | 6.25% | -10.7% |" in lines


def test_tables_stop_at_max_rows_and_say_how_many_are_left(tmp_path):
    site = repository(tmp_path / "site", messages="en")
    for number in range(3):
        site.write(f"reports/2024/finance-{number}.md", ADDED)   # duplicates: still listed as added

    lines = diff(site, "main", "--max-rows", "2").stdout.splitlines()

    start = lines.index("### Reports added")
    assert lines[start + 4:] == [
        "| docs/reports/2024/finance-0.md | 区财政局2024年工作总结 | District Finance Bureau | 2024 "
        "| Annual finance work report |",
        "| docs/reports/2024/finance-1.md | 区财政局2024年工作总结 | District Finance Bureau | 2024 "
        "| Annual finance work report |",
        "",
        "… and 1 more (--max-rows 0 lists every row).",
    ]
    assert "finance-2.md | 区财政局" in diff(site, "main", "--max-rows", "0").stdout


def test_links_are_never_read_on_either_side(tmp_path):
    site = repository(tmp_path / "site", messages="en")
    secret = tmp_path / "secret.md"
    secret.write_text(ADDED.replace("growth_rate: 4.5", "growth_rate: 99"), encoding="utf-8")
    (site.docs / "reports" / "2024").mkdir()
    (site.docs / "reports" / "2024" / "linked.md").symlink_to(secret)
    git(site, "add", "-A")
    git(site, "commit", "-qm", "a link")            # git stores the link itself (mode 120000)
    (site.docs / "reports" / "2024" / "other.md").symlink_to(secret)

    result = diff(site, "HEAD~1")

    assert result.returncode == 0
    assert result.stdout.splitlines()[-1] == "No changes to the archive's data."


def test_a_hostile_file_name_is_escaped(tmp_path):
    site = repository(tmp_path / "site", messages="en")
    site.write("reports/2024/a|b[c](https:x)\n.md", ADDED)

    result = diff(site, "main")

    assert ("| docs/reports/2024/a\\|b\\[c\\](https\\:x) .md | 区财政局2024年工作总结 | District Finance Bureau | 2024 "
            "| Annual finance work report |") in result.stdout.splitlines()


def test_read_blobs_streams_more_than_a_pipe_holds(tmp_path):
    from archive import gitrepo
    site = repository(tmp_path / "site")
    [blob] = gitrepo.tree(str(site.root), "HEAD", ["docs/reports/2021"])
    data = (site.docs / "reports" / "2021" / "tax-2021.md").read_bytes()

    found = list(gitrepo.read_blobs(str(site.root), [blob.sha] * 5000))  # 205 KB asked, 2.5 MB answered

    assert len(found) == 5000 and set(found) == {(blob.sha, data)}
    assert gitrepo.blob_id(data) == blob.sha
