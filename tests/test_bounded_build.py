"""Real builds of hostile front matter, misleading-message cases and a public edition's log.

The cases are the ones of the hostile corpus (tests/hostile/) about parsing, silently wrong
data and misleading messages; here each is built on its own fixture site (the lead's
corpus test builds them all at once), and the log must carry exactly the expected lines for
the case — no other line naming the file, so that one problem gives one message.
"""
from __future__ import annotations

import gzip
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from sites import MKDOCS, Site, make_site

pytestmark = pytest.mark.cost(20)  # seconds, about: started before the quick modules (conftest.py)

HOSTILE = Path(__file__).resolve().parent / "hostile"
CASES = [
    "reports/2001/alias-bomb.md", "reports/2002/deep-nesting.md", "reports/2003/deep-block-nesting.md",
    "reports/2004/long-number.md", "reports/2006/duplicate-keys.md", "reports/2007/yaml-tag.md",
    "reports/2008/yaml-numbers.md", "reports/2009/orphan.en.md", "reports/2010/yaml-booleans.md",
    "reports/2012/future-date.md", "reports/2013/index.md", "reports/2014/gbk.md", "reports/2014/gbk.en.md",
    "reports/2015/utf16.md", "reports/2016/invalid-metric.md", "reports/2016/invalid-metric.en.md",
    "reports/2017/quoted-year.md", "reports/2018/unclosed.md", "reports/2019/bad-confidential.md",
    "reports/2022/tax-2022-again.md", "archive/2022/index.md",
]
# files that must not become pages: no readable original, a folder's page, a generated page's place
NOT_PUBLISHED = ["reports/2009/orphan/", "en/reports/2009/orphan/", "reports/2013/", "reports/2014/gbk/",
                 "en/reports/2014/gbk/", "reports/2015/utf16/", "en/reports/2015/utf16/"]


def expected(case: str) -> list[str]:
    text = (HOSTILE / "expected" / f"{case}.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip()]


def logged(output: str, case: str) -> list[str]:
    """Every problem line of the build log that names the case's file."""
    return [line.split(" -  ", 1)[1] for line in output.splitlines()
            if " -  " in line and line.split(" -  ", 1)[1].startswith(f"docs/{case}:")]


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("bounded"))
    for case in CASES:
        (site.docs / case).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(HOSTILE / "docs" / case, site.docs / case)
    strict = site.build(strict=True)
    lenient = site.build(strict=False)
    return site, strict, lenient


def test_every_case_is_in_the_corpus_with_its_expected_lines():
    for case in CASES:
        assert (HOSTILE / "docs" / case).is_file() and (HOSTILE / "expected" / f"{case}.txt").is_file(), case


def test_the_strict_build_fails_with_messages_and_no_traceback(builds):
    _, strict, lenient = builds
    assert strict.returncode == 1, strict.output[-3000:]
    assert lenient.returncode == 0, lenient.output[-3000:]
    for result in (strict, lenient):
        assert "Traceback" not in result.output and "Error" not in result.output.replace("yaml_error", "")


@pytest.mark.parametrize("case", CASES)
def test_each_case_gives_exactly_its_lines_once(builds, case):
    _, strict, lenient = builds
    for result in (strict, lenient):
        assert logged(result.output, case) == expected(case)


def test_a_gbk_original_and_an_invalid_metric_give_their_translation_no_message(builds):
    _, strict, _ = builds
    assert expected("reports/2014/gbk.en.md") == expected("reports/2016/invalid-metric.en.md") == []
    assert "译文没有对应的中文原文 reports/2014/gbk.md" not in strict.output
    assert "{{ growth_rate }}，但 metrics 中没有它" not in strict.output


@pytest.mark.parametrize("url", NOT_PUBLISHED)
def test_files_that_are_no_report_are_not_published(builds, url):
    site, _, _ = builds
    assert not (site.out / url / "index.html").exists(), url


def test_the_generated_page_wins_over_a_file_in_its_place(builds):
    site, _, _ = builds
    for url in ("archive/2022", "en/archive/2022"):
        assert "一个冒充档案页面的文件" not in site.page(url)
        assert "../../reports/2022/tax-2022/" in site.page(url)


def test_reports_that_could_not_be_read_show_their_problem_on_the_page(builds):
    site, _, _ = builds
    page = site.page("reports/2001/alias-bomb")
    assert "不能使用 YAML 锚点 &amp;a" in page
    assert "lol" not in page.split('<article', 1)[1]   # the front matter is not shown as text
    assert "YAML 嵌套超过 10 层" in site.page("reports/2002/deep-nesting")
    assert "9" * 100 not in site.page("reports/2004/long-number")


def test_the_home_page_lists_the_problems_of_files_that_are_not_pages(builds):
    site, _, _ = builds
    home = site.page("")
    for case in ("reports/2009/orphan.en.md", "reports/2013/index.md", "reports/2014/gbk.md", "archive/2022/index.md"):
        assert f"docs/{case}" in home, case


def test_the_second_report_of_a_unit_year_and_template_does_not_reach_the_figures(builds):
    site, _, _ = builds
    figures = site.page("metrics")
    assert "reports/2022/tax-2022/" in figures and "tax-2022-again" not in figures


def test_serve_shows_a_bomb_as_a_problem_and_keeps_serving(tmp_path):
    """``mkdocs serve`` reads the same hostile front matter: it answers, with the problem on the page."""
    site = make_site(tmp_path, search=False)
    for case in ("reports/2001/alias-bomb.md", "reports/2002/deep-nesting.md", "reports/2004/long-number.md"):
        (site.docs / case).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(HOSTILE / "docs" / case, site.docs / case)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    args, env = site.command()
    server = subprocess.Popen(MKDOCS + ["serve", "-f", str(site.root / "mkdocs.yml"), "-a", f"127.0.0.1:{port}",
                                        "--no-livereload"], env=env, cwd=site.root,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        page = None
        deadline = time.monotonic() + 60
        while page is None and time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/reports/2002/deep-nesting/", timeout=5) as response:
                    page = response.read().decode("utf-8")
            except OSError:
                time.sleep(0.3)
        assert page is not None, "mkdocs serve did not answer"
        assert "YAML 嵌套超过 10 层" in page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/reports/2001/alias-bomb/", timeout=5) as response:
            assert "不能使用 YAML 锚点 &amp;a" in response.read().decode("utf-8")
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Traceback" not in output
    assert "docs/reports/2004/long-number.md:9: metrics.growth_rate 的数字有 5000 位" in output


# --- the public edition's log --------------------------------------------------------------------

def output_texts(root: Path) -> dict[str, str]:
    texts = {}
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            texts[str(path.relative_to(root))] = data.decode("utf-8", errors="replace")
    return texts


SECRET_FORMS = ["9876543", "9,876,543", "987.65万", "987.6543万", "135792468", "135,792,468", "13579.25万",
                "13,579.25万", "1.36亿", "1.3579亿", "98765430", "98,765,430"]


def secret_jump_site(root: Path, public: bool) -> Site:
    """tax_revenue confidential in the vocabulary, jumping tenfold from 2021 to 2022."""
    site = make_site(root, public=public)
    site.edit("vocabulary.yml", "    unit: 元\n    kind: money\n", "    unit: 元\n    kind: money\n    confidential: true\n")
    site.edit("reports/2021/tax-2021.md", "  tax_revenue: 1100000000", "  tax_revenue: 9876543")
    site.edit("reports/2022/tax-2022.md", "  tax_revenue: 1268000000", "  tax_revenue: 135792468")
    # and an out-of-bounds figure of a report's own confidential metric
    site.edit("reports/2023/finance-2023.md", "metrics:\n  growth_rate: 5.1", "confidential: [growth_rate]\n"
              "metrics:\n  growth_rate: 98765430")
    return site


MASKED_JUMP = ("docs/reports/2022/tax-2022.md:10: 指标 tax_revenue 从 **（docs/reports/2021/tax-2021.md，2021年）变为 **，"
               "相差超过 10 倍 — 核对两份报告中 tax_revenue 的数值和单位（元），常见原因是元、万元、亿元写混")
MASKED_BOUNDS = ("docs/reports/2023/finance-2023.md:10: 指标 growth_rate 的值 ** 超出范围 -100 ～ 1000"
                 " — 核对数值和单位：growth_rate 以「%」计")


@pytest.mark.parametrize("strict", [True, False])
def test_a_public_build_logs_confidential_figures_masked(tmp_path, strict):
    site = secret_jump_site(tmp_path, public=True)
    result = site.build(strict=strict)
    assert result.returncode == (1 if strict else 0), result.output[-3000:]
    log = [line.split(" -  ", 1)[-1] for line in result.output.splitlines()]
    assert MASKED_JUMP in log and MASKED_BOUNDS in log
    leaks = [form for form in SECRET_FORMS if form in result.stdout or form in result.stderr]
    assert leaks == []
    if not strict:
        found = [f"{name}: {form}" for name, text in output_texts(site.out).items()
                 for form in SECRET_FORMS if form in text]
        assert found == []


def test_the_intranet_build_logs_the_figures(tmp_path):
    """The same site on the intranet: the log shows them, so the public test can fail."""
    result = secret_jump_site(tmp_path, public=False).build(strict=True)
    assert "从 9,876,543（docs/reports/2021/tax-2021.md，2021年）变为 135,792,468" in result.output
    assert "指标 growth_rate 的值 98765430 超出范围" in result.output
