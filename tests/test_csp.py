"""The Content-Security-Policy of a page, computed from the page's own output (archive.csp)."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from archive import csp
from archive.problems import Problem

BASE = '__md_scope=new URL("{url}",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}'
TARGET = 'var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))'
CONTENT = '<article><h1>报告</h1><script>alert(1)</script><p>正文</p></article>'


def page(content: str = CONTENT, url: str = "../../..", extra_head: str = "") -> str:
    """A page shaped like Material 9.8's: theme scripts in head and after the content."""
    return (f'<!doctype html>\n<html lang="zh">\n  <head>\n    <meta charset="utf-8">\n'
            f'    <meta name="viewport" content="width=device-width">\n'
            f'    <link rel="stylesheet" href="{url}/assets/stylesheets/main.css">\n'
            f'    <script>{BASE.replace("{url}", url)}</script>{extra_head}\n  </head>\n  <body>\n'
            f'    <script>{TARGET}</script>\n    <main>{content}</main>\n'
            f'    <script id="__config" type="application/json">{{"base": "{url}"}}</script>\n'
            f'    <script src="{url}/assets/javascripts/bundle.js"></script>\n  </body>\n</html>\n')


def script_hashes(policy: str) -> list[str]:
    return re.findall(r"'sha256-[^']+'", re.search(r"script-src ([^;]*)", policy)[1])


def test_a_hash_covers_exactly_the_script_text():
    # the example of the CSP specification
    element = csp.Inline("script", "alert('Hello, world.');", 0, True)
    assert element.digest == "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
    # the browser reads CR LF as LF before it hashes
    assert csp.Inline("script", "a;\r\nb;", 0, True).digest == csp.Inline("script", "a;\nb;", 0, True).digest
    assert csp.Inline("script", "a; ", 0, True).digest != csp.Inline("script", "a;", 0, True).digest


def test_the_policy_allows_the_theme_scripts_by_hash_and_nothing_inline():
    secured = csp.secure_page(page(), CONTENT, version="9.8.2")
    assert secured.policy == (
        "default-src 'none'; "
        f"script-src 'self' 'wasm-unsafe-eval' {csp.Inline('script', BASE.replace('{url}', '../../..'), 0, True).digest} "
        f"{csp.Inline('script', TARGET, 0, True).digest}; "
        "style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; "
        "manifest-src 'self'; object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'")
    assert "unsafe-inline" not in secured.policy
    # the content's script is blocked, and said so
    assert [element.text for element in secured.blocked] == ["alert(1)"]
    assert [p.format() for p in csp.problems(secured, "docs/about/notes.md")] == [
        "docs/about/notes.md:1: 页面中有一段内联脚本，内容安全策略不允许它运行，浏览器会跳过它：alert(1) — "
        "删除这段脚本，报告和页面不能带脚本；如果它来自网站主题，请把这条信息报告给维护者（允许的主题脚本列在 hooks/archive/csp.py）"]
    assert [p.format("en") for p in csp.problems(secured, "docs/about/notes.md")] == [
        "docs/about/notes.md:1: the page has an inline script that the Content-Security-Policy does not allow, "
        "so browsers skip it: alert(1) — delete the script, reports and pages cannot carry scripts; if it comes "
        "from the site's theme, report this message to the maintainer (hooks/archive/csp.py lists the theme "
        "scripts allowed)"]


def test_the_meta_comes_first_in_head_before_anything_it_governs():
    secured = csp.secure_page(page(), CONTENT, version="9.8.2")
    head = secured.html[:secured.html.index("</head>")]
    assert head.count('http-equiv="Content-Security-Policy"') == 1
    assert re.search(r'<meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="([^"]+)">', head)[1] \
        == secured.policy
    assert head.index("Content-Security-Policy") < head.index("<link") < head.index("<script")
    # the rest of the page is as it was
    assert secured.html.replace(f'<meta http-equiv="Content-Security-Policy" content="{secured.policy}">', "") == page()


def test_a_page_without_meta_charset_gets_the_policy_right_after_head():
    secured = csp.secure_page("<html><head><title>x</title></head><body></body></html>", version="9.8.2")
    assert secured.html.startswith('<html><head><meta http-equiv="Content-Security-Policy" content="')


def test_data_blocks_and_external_scripts_are_not_hashed():
    inline, styled = csp.read_page(page())
    assert [(e.tag, e.executable) for e in inline] == [("script", True), ("script", True), ("script", True),
                                                        ("script", False), ("script", False)]
    assert styled == []
    secured = csp.secure_page(page(content="<p>x</p>"), "<p>x</p>", version="9.8.2")
    assert len(script_hashes(secured.policy)) == 2 and secured.blocked == ()
    for kind in ("application/json", "application/ld+json", "text/template"):
        inline, _ = csp.read_page(f'<script type="{kind}">alert(1)</script>')
        assert inline[0].executable is False, kind
    for kind in ("module", "text/javascript", " TEXT/JavaScript ", "importmap", ""):
        inline, _ = csp.read_page(f'<script type="{kind}">alert(1)</script>')
        assert inline[0].executable is True, kind


def test_a_script_outside_the_content_that_is_not_materials_is_blocked():
    # e.g. text that escaped a title into the head: not one of Material 9.8's scripts, never hashed
    forged = page(extra_head="<script>fetch('/x?'+document.cookie)</script>")
    secured = csp.secure_page(forged, CONTENT, version="9.8.2")
    assert [e.text for e in secured.blocked] == ["fetch('/x?'+document.cookie)", "alert(1)"]
    assert len(script_hashes(secured.policy)) == 2
    # Material's own script with more code after it is not Material's script
    longer = page(extra_head=f"<script>{TARGET};alert(2)</script>")
    assert csp.secure_page(longer, CONTENT, version="9.8.2").blocked[0].text == f"{TARGET};alert(2)"


def test_the_url_a_template_fills_in_cannot_leave_its_string():
    for url in (".", "..", "../../..", "/", "/intranet/archive/"):
        secured = csp.secure_page(page(url=url), CONTENT, version="9.8.2")
        assert len(script_hashes(secured.policy)) == 2, url
    escaped = page(url='x",alert(1),"')
    assert len(csp.secure_page(escaped, CONTENT, version="9.8.2").blocked) == 2


def test_another_material_falls_back_to_every_inline_script_outside_the_content():
    assert csp.known_theme("9.8.2") and csp.known_theme("9.8.10")
    assert not csp.known_theme("9.9.0") and not csp.known_theme("10.0.0") and not csp.known_theme(None)
    forged = page(extra_head="<script>newThemeCode()</script>")
    secured = csp.secure_page(forged, CONTENT, version="10.0.0")
    assert len(script_hashes(secured.policy)) == 3  # the new theme's script works
    assert [e.text for e in secured.blocked] == ["alert(1)"]  # the content's never


def test_live_reload_allows_inline_scripts_and_nothing_more():
    secured = csp.secure_page(page(), CONTENT, version="9.8.2", live_reload=True)
    assert re.search(r"script-src ([^;]*)", secured.policy)[1] == "'self' 'wasm-unsafe-eval' 'unsafe-inline'"
    assert "img-src 'self' data:;" in secured.policy and "base-uri 'none'" in secured.policy
    assert secured.blocked == ()


def test_inline_styles_are_reported():
    styled_page = page(content='<table><tr><td style="text-align: right;">1</td><td style="color:red">2</td></tr>'
                               '</table><style>@import url(//evil.example/x.css);</style>')
    secured = csp.secure_page(styled_page, None, version="9.8.2")
    assert "style-src 'self';" in secured.policy
    assert [p.format() for p in csp.problems(secured, "docs/about/index.md")] == [
        "docs/about/index.md:1: 页面中有一段 <style> 样式，内容安全策略不允许它，浏览器会忽略它："
        "@import url(//evil.example/x.css); — 删除这段样式；需要的样式请维护者写进 docs/stylesheets/archive.css",
        "docs/about/index.md:1: 页面中有 2 处 style 属性，内容安全策略不允许，浏览器会忽略它们（第一处："
        '<td style="text-align: right;">） — 删除 style 属性；表格列的对齐用 Markdown 表格分隔行的冒号（如 |--:|），'
        "其他样式请维护者写进 docs/stylesheets/archive.css"]
    # Material's font style is allowed by hash when the theme writes it
    font = page(content="<p>x</p>", extra_head='<style>:root{--md-text-font:"Roboto";--md-code-font:"Roboto Mono"}</style>')
    secured = csp.secure_page(font, "<p>x</p>", version="9.8.2")
    assert re.search(r"style-src 'self' 'sha256-[^']+';", secured.policy) and secured.blocked == ()


def test_markup_in_comments_and_raw_text_is_not_read_as_elements():
    inline, styled = csp.read_page('<!-- <script>a()</script> --><textarea><script>b()</script><b style="x"></textarea>'
                                   '<title><script>c()</script></title><p title="<script>d()</script>">e</p>')
    assert inline == [] and styled == []


def test_known_shapes_are_materials_own():
    """MATERIAL_98 is exactly the inline scripts and styles of the installed Material's templates.

    Left out on purpose: the __config data block, Google Analytics (it loads from another
    host, which the policy refuses anyway) and redirect.html (it navigates to a URL taken
    from a page's front matter).
    """
    templates = Path(importlib.util.find_spec("material").submodule_search_locations[0]) / "templates"
    found: dict[str, set[str]] = {"script": set(), "style": set()}
    for path in templates.rglob("*.html"):
        name = path.relative_to(templates).as_posix()
        for match in re.finditer(r"<(script|style)\b([^>]*)>(.*?)</\1>", path.read_text(encoding="utf-8"), re.S):
            if "src=" in match[2] or 'type="application/json"' in match[2]:
                continue
            if name in ("partials/integrations/analytics/google.html", "redirect.html"):
                continue
            found[match[1]].add(match[3])
    assert found == {tag: set(texts) for tag, texts in csp.MATERIAL_98.items()}
    assert csp.known_theme(csp.theme_version())  # requirements.txt pins the 9.8 series


def test_problem_codes_have_both_languages():
    for code in ("csp_inline_script", "csp_inline_style", "csp_style_attribute"):
        problem = Problem("docs/x.md", 1, code, {"excerpt": "x", "count": 1})
        assert problem.format("zh") != problem.format("en")
