"""The archive's HTML from Jinja templates (archive.templating): escaping by default in every
template, a site's overrides first, the report page assembled in the package, a language
without the interface's words shown as such, the breadcrumb, tab and table of contents."""
from __future__ import annotations

import posixpath
import re
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import yaml

from archive.gitdates import Change
from archive.index import build_index
from archive.labels import LABELS, interface_language, missing_labels
from archive.pages import archive_pages
from archive.problems import Problem
from archive.render import (Context, Frame, figures_panel, framed, notice, problems_notice, quote_figures,
                            report_footer, report_header, report_list)
from archive.report import Report
from archive.reportpage import language_problems, report_page, search_stale_notice
from archive.templating import TEMPLATES, Renderer
from archive.wayfinding import breadcrumb, report_trail
from sites import ROOT, make_site

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JINJA = "{{ 7*191 }}"  # evaluated, it would read 1337
HOSTILE = f"{SCRIPT}{IMG}{JINJA}"


def hostile_reports() -> list[Report]:
    """Reports whose every text field is an attack, unit and topic keys too (an unknown key is shown as written)."""
    fields = dict(title=HOSTILE, date=date(2023, 1, 15), unit=f"u{IMG}", recipient=HOSTILE,
                  topics=(f"t{SCRIPT}", f"t{JINJA}"), template="tax-annual",
                  metrics={"tax_revenue": 1268000000}, withheld={"refund_households": HOSTILE})
    return [Report(path=f"reports/{year}/x{year}.md", year=year, **fields) for year in (2021, 2022, 2023)]


def assert_text_only(html: str) -> None:
    """Nothing of the attacks is markup, and the template syntax stayed text."""
    assert "<script" not in html and "<img" not in html and "onerror=alert(1)>" not in html
    assert "1337" not in html


def test_every_fragment_and_page_keeps_hostile_text_as_text(vocab):
    reports = hostile_reports()
    index = build_index(reports)
    for lang in ("zh", "en"):
        ctx = Context(lang=lang, vocab=vocab, default_lang="zh")
        current = index.by_path.get(reports[1].path) or reports[1]
        fragments = [report_list(reports, "archive/2022/", ctx),
                     report_header(current, current.url, ctx, shard=HOSTILE, changed=Change(when=None)),
                     figures_panel(current, ctx, reports[0]), report_footer(current, index, current.url, ctx),
                     notice("info", HOSTILE, [HOSTILE]),
                     problems_notice([Problem(HOSTILE, 3, "unknown_term", {"kind": "units", "value": HOSTILE,
                                                                           "suggestion": None})], lang),
                     breadcrumb(report_trail(current, ctx, HOSTILE), current.url, ctx),
                     search_stale_notice([HOSTILE], HOSTILE, "docs/", ctx),
                     framed(f"<p>{JINJA}</p>", Frame(problems=(Problem(HOSTILE, 1, "unknown_term",
                                                                       {"kind": "units", "value": HOSTILE,
                                                                        "suggestion": None}),),
                                                     notices=(str(notice("info", HOSTILE)),), text_lang="zh"), [], lang),
                     quote_figures(f"{{{{ tax_revenue }}}} {{{{ {SCRIPT} }}}}", current, ctx, "M")]
        fragments += [page.html for page in archive_pages(index, ctx, sample=True)]
        for html in fragments:
            assert_text_only(str(html))
        listing = str(report_list(reports, "", ctx))
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img src=x onerror=alert(1)&gt;{{ 7*191 }}" in listing


def test_every_template_is_used_and_compiles():
    renderer = Renderer(None)
    names = sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html"))
    assert len(names) >= 20
    for name in names:
        renderer.template(name)  # StrictUndefined and the joined lines: each compiles
    python = "".join(path.read_text(encoding="utf-8") for path in (ROOT / "hooks" / "archive").glob("*.py"))
    for name in names:
        if name != "macros.html" and not name.startswith("pages/cell"):
            assert f'"{name}"' in python or f'"{name}"' in "".join(
                path.read_text(encoding="utf-8") for path in TEMPLATES.rglob("*.html")), name


def test_no_html_is_written_by_f_strings_in_render_and_pages():
    for module in ("render.py", "pages.py", "reportpage.py"):
        text = (ROOT / "hooks" / "archive" / module).read_text(encoding="utf-8")
        assert not re.search(r"""f['"][^'"]*<[a-z/]""", text), module


def test_a_site_override_replaces_a_template_and_the_rest_stay_the_package(tmp_path, vocab):
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "item.html").write_text(
        '<li class="wr-item site-item">{{ title }}\n  — {{ unit[0] }}</li>\n', encoding="utf-8")
    report = replace(hostile_reports()[0], unit="tax-bureau", title=f"标题{SCRIPT}")
    ctx = Context(lang="zh", vocab=vocab, renderer=Renderer(str(tmp_path)))
    assert str(report_list([report], "", ctx)) == (
        '<ul class="wr-list">\n<li class="wr-list__head" hidden aria-hidden="true"><span>标题</span><span>报送单位</span>'
        '<span>印发日期</span><span>主题</span></li>\n<li class="wr-item site-item">标题&lt;script&gt;alert(1)&lt;/script&gt;— 区税务局</li>\n</ul>')
    assert str(report_list([], "", ctx)) == '<p class="wr-empty">暂无报告</p>'  # list.html: the package's


def test_an_override_that_does_not_compile_is_named_with_its_line(tmp_path):
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "notice.html").write_text("{#- a comment\n  on two lines -#}\n<div>\n\n  {{ title | nofilter }}\n</div>\n",
                                                      encoding="utf-8")
    (tmp_path / "archive" / "item.html").write_text("<li>{{ title }}</li>\n", encoding="utf-8")
    faults = Renderer(str(tmp_path)).faults()
    assert faults == [f"{tmp_path}/archive/notice.html:5: No filter named 'nofilter'."]  # the file's own line
    assert Renderer(None).faults() == []


def test_a_language_without_words_uses_the_default_languages_and_says_so(vocab):
    assert interface_language("fr", "zh") == "zh" and interface_language("en", "zh") == "en"
    assert missing_labels("fr") == [*LABELS, "formatting.CONVENTIONS", "vocabulary.LABEL_LANGUAGES"] and missing_labels("en") == []
    reports = hostile_reports()[:1]
    ctx = Context(lang="fr", vocab=vocab, default_lang="en")
    home = archive_pages(build_index(reports), ctx)[0]
    assert home.html.startswith('<div class="admonition info" data-pagefind-ignore lang="en"><p class="admonition-title">'
                                "This site&#39;s interface has no fr words yet; it is shown in English.</p></div>\n"
                                '<div lang="en">\n')
    assert "Latest reports" in home.html and "最新报告" not in home.html
    config = "plugins:\n  - i18n:\n      languages:\n        - locale: zh\n        - locale: fr\n          name: Français\n"
    problems = language_problems(("zh", "en", "fr"), "zh", config, "mkdocs.yml")
    assert [p.format("en").split(" (")[0] for p in problems] == ["mkdocs.yml:5: the language fr lacks "
                                                                   f"{len(LABELS) + 2} interface words"]


def test_the_report_page_is_assembled_in_the_package(vocab):
    older, current, newer = (replace(r, unit="tax-bureau", topics=("revenue",)) for r in hostile_reports())
    current = replace(current, title="本篇", recipient="区委")
    index = build_index([older, current, newer])
    page = report_page(current, "正文 {{ tax_revenue }}", "本篇", "zh", Context(lang="en", vocab=vocab, default_lang="zh"),
                       index=index, previous=older, shard="zh-0", changed=None, sample=True, mark="")
    assert page.meta == {"title": "本篇", "search_index": False, "date": "2023-01-15"}
    assert page.markdown == '正文 <span class="wr-figure" data-metric="tax_revenue">12.68亿元</span>'  # the text's language
    assert [h.anchor for h in page.toc] == ["figures"] and page.tab == "archive/"
    assert [(c.title, c.url, c.lang) for c in page.trail] == [
        ("Home", "", None), ("By year", "archive/", None), ("2022", "archive/2022/", None),
        ("本篇", "reports/2022/x2022/", "zh")]
    html = page.html("<p>正文</p>", [], "en")
    assert html.index("has not been translated") < html.index('<dl class="wr-meta"') < html.index('<div lang="zh">\n<p>正文</p>\n</div>')
    assert html.index("<p>正文</p>") < html.index('<h2 id="figures">Figures') < html.index('class="wr-neighbours"')


def test_the_breadcrumb_marks_the_current_page(vocab):
    ctx = Context(lang="zh", vocab=vocab)
    report = replace(hostile_reports()[1], title="本篇")
    assert str(breadcrumb(report_trail(report, ctx, "本篇"), report.url, ctx)) == (
        '<nav class="md-path wr-path" aria-label="位置"><ol class="md-path__list">'
        '<li class="md-path__item"><a class="md-path__link" href="../../../"><span class="md-ellipsis">首页</span></a></li>'
        '<li class="md-path__item"><a class="md-path__link" href="../../../archive/"><span class="md-ellipsis">按年度</span></a></li>'
        '<li class="md-path__item"><a class="md-path__link" href="../../../archive/2022/"><span class="md-ellipsis">2022</span></a></li>'
        '<li class="md-path__item"><a class="md-path__link" href="./" aria-current="page"><span class="md-ellipsis">本篇</span></a></li>'
        "</ol></nav>")


def test_the_figures_page_has_a_table_of_contents_and_permalinks(vocab):
    reports = [replace(r, unit="tax-bureau", topics=("revenue",), withheld={}) for r in hostile_reports()]
    metrics = next(page for page in archive_pages(build_index(reports), Context(lang="zh", vocab=vocab))
                   if page.kind == "metrics")
    assert [(h.anchor, h.level, [c.anchor for c in h.children]) for h in metrics.toc] == [
        ("downloads", 2, []), ("template-tax-annual", 2, ["metric-tax_revenue"])]
    assert ('<h3 id="metric-tax_revenue">税收收入（元）<a class="headerlink" href="#metric-tax_revenue" '
            'title="本节链接">&para;</a></h3>') in metrics.html
    assert "  - toc\n" not in metrics.markdown()
    assert ('<td class="wr-num"><a href="../reports/2022/x2022/" title="' in metrics.html
            and '<data value="1268000000" title="1,268,000,000元">12.68<span class="wr-cell-unit">亿元</span></data>'
            in metrics.html)  # its column shares 亿元: named in the heading on paper (archive.columns)


# ---- built for real: a site's overrides, a third language, the breadcrumb, the tab, the TOC ----

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The fixture site with its own overrides folder (the project's, plus one archive template)
    and a third language, French, for which the archive has no words."""
    site = make_site(tmp_path_factory.mktemp("templates"))
    overrides = site.root / "overrides"
    shutil.copytree(ROOT / "overrides", overrides)
    (overrides / "archive").mkdir(exist_ok=True)
    (overrides / "archive" / "footer.html").write_text(
        '<nav class="wr-neighbours site-footer">{{ ctx.label("previous") }}{{ " " }}{{ neighbours | length }}</nav>\n',
        encoding="utf-8")
    config = yaml.safe_load((site.root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = str(overrides)
    config["plugins"][0]["i18n"]["languages"].append({"locale": "fr", "name": "Français", "build": True})
    (site.root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = site.build(strict=False)
    assert result.returncode == 0, result.output[-3000:]
    site.output = result.output
    return site


def test_a_site_override_changes_the_built_page(site):
    assert '<nav class="wr-neighbours site-footer">上一篇（同单位） 1</nav>' in site.page("reports/2022/tax-2022")
    assert "site-footer" in site.page("en/reports/2022/tax-2022")


def test_a_third_language_warns_once_and_shows_the_default_languages_words(site):
    warned = [line for line in site.output.splitlines() if "fr 缺少" in line]
    assert len(warned) == 1 and warned[0].startswith("WARNING") and "mkdocs.yml:" in warned[0]
    page = site.page("fr/archive/2022")
    assert "本站界面尚无 fr 版本的文字，以下界面文字为中文。" in page
    assert '<div lang="zh">' in page and "共 2 篇报告" in page
    report = site.page("fr/reports/2022/tax-2022")
    assert "本站界面尚无 fr 版本的文字" in report and '<div lang="zh"><dl class="wr-meta"' in report


def test_breadcrumb_and_active_tab_on_generated_and_report_pages(site):
    for url, crumbs, tab in (("archive/2022", ["首页", "按年度", "2022年度报告"], "archive/"),
                             ("reports/2022/tax-2022", ["首页", "按年度", "2022", None], "archive/"),
                             ("topics/revenue", ["首页", "按主题", None], "topics/"),
                             ("units/tax-bureau", ["首页", "按单位", "区税务局的报告"], "units/"),
                             ("en/units/tax-bureau/figures", ["Home", "By unit", "District Tax Bureau", None], "units/")):
        html = site.page(url)
        path = re.search(r'<nav class="md-path wr-path" aria-label="[^"]+">(.*?)</nav>', html, re.S)
        assert path, url
        titles = re.findall(r'<span class="md-ellipsis">([^<]*)</span>', path.group(1))
        assert len(titles) == len(crumbs) and all(c is None or c == t for c, t in zip(crumbs, titles)), (url, titles)
        assert path.group(1).count('aria-current="page"') == 1 and 'href="./" aria-current="page"' in path.group(1)
        active = re.findall(r'<li class="md-tabs__item md-tabs__item--active">\s*<a href="([^"]+)"', html)
        language = "en/" if url.startswith("en/") else ""
        assert len(active) == 1 and posixpath.normpath(posixpath.join(url, active[0])) == language + tab.rstrip("/"), \
            (url, active)


def test_the_figures_page_toc_lists_metric_groups_and_metrics(site):
    html = site.page("metrics")
    toc = re.search(r'<nav class="md-nav md-nav--secondary"[^>]*>(.*?)</nav>\s*</div>', html, re.S)
    assert toc and 'href="#downloads"' in toc.group(1) and 'href="#template-tax-annual"' in toc.group(1)
    assert 'href="#metric-tax_revenue"' in toc.group(1)
