"""The Markdown extensions every page is rendered with (mkdocs.yml), and what they can write (issue 12).

pymdown-extensions serve the contributor guide (tabs, collapsible tables, fences in lists with
Material's copy button). MkDocs renders every page with the same extensions, so a report or any
page a pull request adds can use them too: these tests hold that the configured extensions are an
allowlist without any that reads files (pymdownx.snippets would put the build machine's files on
a page), that their blocks pass the HTML allowlist (archive.sanitize) by name and value only, that
imitations written by hand are removed, and that the sample reports render exactly as before.
"""
from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from archive import sanitize
from archive.check import BUILTIN_EXTENSIONS, load_config
from archive.frontmatter import split
from archive.plain import known_setup
from sites import ROOT

#: the extensions a page may be rendered with: they turn text into markup and read nothing
ALLOWED = frozenset({
    "toc", "tables", "fenced_code", "admonition", "attr_list", "md_in_html",
    "pymdownx.highlight", "pymdownx.superfences", "pymdownx.details", "pymdownx.tabbed",
})
#: extensions that read the build machine's files (or fetch): never, in content a pull request controls
FILE_READING = frozenset({
    "pymdownx.snippets", "pymdownx.b64", "markdown_include.include", "mdx_include", "markdown.extensions.include",
    "mkdocs_macros", "pymdownx.pathconverter",
})
#: what the configuration added to MkDocs' defaults before pymdown-extensions (the reports' rendering then)
BEFORE = ("admonition", "attr_list", "md_in_html")


def configured(name: str):
    return load_config(str(ROOT / name))


def renderer(extensions, configs) -> markdown.Markdown:
    return markdown.Markdown(extensions=list(extensions), extension_configs=dict(configs))


@pytest.fixture(scope="module")
def config():
    return configured("mkdocs.yml")


@pytest.mark.parametrize("name", ["mkdocs.yml", "mkdocs.public.yml"])
def test_configured_extensions_are_an_allowlist_reading_no_file(name):
    loaded = configured(name)
    assert ALLOWED.isdisjoint(FILE_READING)
    assert loaded.extensions == ("toc", "tables", "fenced_code", "admonition", "attr_list", "md_in_html",
                                 "pymdownx.highlight", "pymdownx.superfences", "pymdownx.details", "pymdownx.tabbed")
    assert set(loaded.extensions) <= ALLOWED
    assert [name for name in loaded.extensions if name in FILE_READING or "snippet" in name] == []
    # a custom fence runs a formatter at build time; Pygments would write classes the allowlist removes
    assert "custom_fences" not in loaded.extension_configs.get("pymdownx.superfences", {})
    assert loaded.extension_configs["pymdownx.highlight"] == {"use_pygments": False, "css_class": ""}
    assert loaded.extension_configs["pymdownx.tabbed"] == {"alternate_style": True}
    # ./dev check still knows which bodies it need not render (archive.plain)
    assert known_setup(loaded.extensions, loaded.extension_configs)


def test_the_copy_button_is_on():
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "    - content.code.copy " in text


def test_snippet_syntax_stays_text(config, tmp_path):
    """--8<-- is pymdownx.snippets' include: without it the line is text, and no file is read."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT\n", encoding="utf-8")
    body = f'--8<-- "{secret}"\n\n--8<-- "mkdocs.yml"\n\n```\n--8<-- "{secret}"\n```\n'
    html = renderer(config.extensions, config.extension_configs).convert(body)
    assert "SECRET-CONTENT" not in html and "site_name" not in html
    assert html == (f'<p>--8&lt;-- "{secret}"</p>\n<p>--8&lt;-- "mkdocs.yml"</p>\n'
                    f'<pre><code>--8&lt;-- "{secret}"</code></pre>')


GUIDE_BLOCKS = '''=== "Windows"

    ```powershell
    .venv\\Scripts\\python hooks\\dev.py check
    ```

=== "macOS"

    ```sh
    ./dev check
    ```

??? "提示一览"

    | 提示 | 怎样改 |
    | --- | --- |
    | 甲 | 乙 |
'''


def test_the_guides_blocks_pass_the_allowlist_whole(config):
    html = renderer(config.extensions, config.extension_configs).convert(GUIDE_BLOCKS)
    cleaned = sanitize.clean(html)
    assert cleaned.removed == ()
    assert cleaned.html.splitlines()[:6] == [
        '<div class="tabbed-set tabbed-alternate" data-tabs="1:2"><input checked="checked" id="__tabbed_1_1" '
        'name="__tabbed_1" type="radio"><input id="__tabbed_1_2" name="__tabbed_1" type="radio">'
        '<div class="tabbed-labels"><label for="__tabbed_1_1">Windows</label><label for="__tabbed_1_2">macOS</label></div>',
        '<div class="tabbed-content">',
        '<div class="tabbed-block">',
        '<pre><code class="language-powershell">.venv\\Scripts\\python hooks\\dev.py check</code></pre>',
        '</div>',
        '<div class="tabbed-block">',
    ]
    assert "<details>\n<summary>提示一览</summary>\n<table>" in cleaned.html


def removals(html: str) -> list[tuple[str, str, str]]:
    return [(r.kind, r.element, r.text) for r in sanitize.clean(html).removed]


IMITATIONS = [
    # an input that loads (type=image), submits, or stands in for the theme's __config / __search
    ('<input type="image" src="https://example.org/x.png">', '<input type="radio">',
     [("attribute", "input", 'type="image"'), ("attribute", "input", 'src="https://example.org/x.png"')]),
    ('<input type="radio" id="__config" name="__search">', '<input type="radio">',
     [("anchor", "input", "__config"), ("attribute", "input", 'name="__search"')]),
    ('<input type="radio" id="__tabbed_1_1" onfocus="alert(1)" autofocus>',
     '<input type="radio" id="__tabbed_1_1">',
     [("attribute", "input", 'onfocus="alert(1)"'), ("attribute", "input", 'autofocus=""')]),
    ('<input type="text" formaction="https://example.org/" value="x">', '<input type="radio">',
     [("attribute", "input", 'type="text"'), ("attribute", "input", 'formaction="https://example.org/"'),
      ("attribute", "input", 'value="x"')]),
    ('<label for="__search" onclick="alert(1)">x</label>', '<label>x</label>',
     [("attribute", "label", 'for="__search"'), ("attribute", "label", 'onclick="alert(1)"')]),
    ('<details open ontoggle="alert(1)" class="note"><summary style="color:red">t</summary>x</details>',
     '<details open="">t</summary>x</details>'.replace("t</summary>", "<summary>t</summary>"),
     [("attribute", "details", 'ontoggle="alert(1)"'), ("attribute", "details", 'class="note"'),
      ("attribute", "summary", 'style="color:red"')]),
    # the tabs' classes only, and data-tabs only as "n:m": no search filter, no class of the archive's
    ('<div class="tabbed-set wr-notice" data-tabs="1:2" data-pagefind-filter="unit:x">x</div>',
     '<div data-tabs="1:2">x</div>',
     [("attribute", "div", 'class="tabbed-set wr-notice"'), ("attribute", "div", 'data-pagefind-filter="unit:x"')]),
    ('<div data-tabs="1:2 x">x</div>', '<div>x</div>', [("attribute", "div", 'data-tabs="1:2 x"')]),
    ('<pre class="highlight"><code class="language-sh" onclick="alert(1)">x</code></pre>',
     '<pre><code class="language-sh">x</code></pre>',
     [("attribute", "pre", 'class="highlight"'), ("attribute", "code", 'onclick="alert(1)"')]),
]


@pytest.mark.parametrize("html, kept, expected", IMITATIONS)
def test_hand_written_imitations_are_held_to_the_same_values(html, kept, expected):
    assert sanitize.clean(html).html == kept
    assert removals(html) == expected


def test_block_syntax_in_a_report_opens_nothing(config):
    """Titles and fence attributes are contributor text: a title is escaped or cleaned, an attribute removed."""
    body = ('??? note "<img src=x onerror=alert(1)>"\n    text\n\n'
            '=== "<script>alert(1)</script>"\n\n    tab\n\n'
            '```{ .sh onclick="alert(1)" }\nx\n```\n')
    html = renderer(config.extensions, config.extension_configs).convert(body)
    cleaned = sanitize.clean(html)
    assert "onerror" not in cleaned.html and "<script" not in cleaned.html and "onclick" not in cleaned.html
    assert cleaned.html.splitlines()[:2] == ["<details>", '<summary><img src="x"></summary>']  # a local image, as in text
    assert '<label for="__tabbed_1_1"></label>' in cleaned.html
    assert [(r.kind, r.element, r.text) for r in cleaned.removed] == [
        ("attribute", "details", 'class="note"'), ("attribute", "img", 'onerror="alert(1)"'),
        ("element", "script", "<script>"), ("attribute", "code", 'onclick="alert(1)"')]


def test_the_sample_reports_render_as_before(config):
    """The reports' rendering is unchanged by pymdown-extensions: every sample report (and translation)
    gives the same cleaned HTML with the extensions of before and with the configured ones."""
    before = renderer(BUILTIN_EXTENSIONS + BEFORE, {name: config.extension_configs[name]
                                                    for name in BUILTIN_EXTENSIONS + BEFORE
                                                    if name in config.extension_configs})
    after = renderer(config.extensions, config.extension_configs)
    reports = sorted(Path(config.docs_dir, "reports").rglob("*.md"))
    assert len(reports) > 10
    changed = []
    for path in reports:
        body = split(path.read_text(encoding="utf-8"), str(path)).body
        before.reset(), after.reset()
        if sanitize.clean(before.convert(body)).html != sanitize.clean(after.convert(body)).html:
            changed.append(path.name)
    assert changed == []
