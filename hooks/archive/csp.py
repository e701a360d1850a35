"""The Content-Security-Policy every page declares: defence in depth behind the sanitizer.

The sanitizer keeps contributor markup to an allowlist; this policy makes sure that, were
anything to slip through, a reader's browser would still run no script and load nothing
that did not come from the site itself. Each page carries its policy in a
``<meta http-equiv="Content-Security-Policy">`` placed right after ``<meta charset>``, at
the top of ``<head>``, because a meta policy governs only what the parser meets after it.

What the policy allows, and why:

- ``script-src 'self'`` plus the sha256 hash of each inline script of the *theme* found in
  the page's own output (never ``'unsafe-inline'``). A hash covers exactly the characters
  between ``<script>`` and ``</script>``, as the browser sees them. Only the theme's
  scripts are hashed: an inline script in the page's content, or any script the policy
  does not recognise, stays blocked and is reported (``csp_inline_script``). Scripts of type
  ``application/json`` (Material's ``__config``, the search configuration) are data: the
  browser neither runs nor checks them.
- ``'wasm-unsafe-eval'``: Pagefind compiles WebAssembly. It does so inside the archive's
  dedicated worker, which current Chromium does *not* put under the page's meta policy (a
  dedicated worker loaded from a URL takes its policy from its own response headers, and a
  static site sends none); the page only needs ``worker-src 'self'`` to start it. Older
  Chromium (before dedicated workers got their own policy) applied the page's policy to the
  worker, so the keyword stays: it allows compiling WebAssembly only, not JavaScript
  ``eval``.
- ``style-src 'self'`` with no inline styles: the sample and the generated pages use none
  (Markdown tables align cells with the ``align`` attribute, see mkdocs.yml). A ``<style>``
  element of the theme is allowed by hash like a script; a ``style`` attribute cannot be
  (it would need ``'unsafe-hashes'``), so each one is reported (``csp_style_attribute``)
  instead of silently losing its effect.
- ``img-src 'self' data:``: Material draws its icons with ``data:`` SVG images in its CSS;
  a ``data:`` image is inside the page and sends nothing anywhere.
- ``font-src``, ``connect-src``, ``worker-src``, ``manifest-src``: ``'self'``; everything
  else falls back to ``default-src 'none'``; ``object-src``, ``frame-src``, ``base-uri`` and
  ``form-action`` are ``'none'`` (no page has a ``<base>``, an embedded object, a frame or
  a form that submits).

``mkdocs serve`` injects a live-reload script whose text changes with every request, so it
cannot be hashed: while serving (``live_reload``), inline scripts are allowed by
``'unsafe-inline'`` instead and everything else stays as built.

The theme's inline scripts are another project's internals. The one place that knows
them is :data:`MATERIAL_98`, their text copied from Material for MkDocs 9.8 (a test
compares it with the installed templates): with Material 9.8.x an inline script is the
theme's only if it is exactly one of them (the URL inside filled by the template is the
only free part, and it cannot leave its string). With any other theme version the policy
falls back to hashing every inline script outside the page's content, so a newer Material
still gets a working policy; :func:`known_theme` tells the build to say so.
"""
from __future__ import annotations

import base64
import hashlib
import html
import re
from dataclasses import dataclass, replace

from .problems import Problem

#: the fixed part of the policy, in the order written
DIRECTIVES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("default-src", ("'none'",)),
    ("script-src", ("'self'", "'wasm-unsafe-eval'")),
    ("style-src", ("'self'",)),
    ("img-src", ("'self'", "data:")),
    ("font-src", ("'self'",)),
    ("connect-src", ("'self'",)),
    ("worker-src", ("'self'",)),
    ("manifest-src", ("'self'",)),
    ("object-src", ("'none'",)),
    ("frame-src", ("'none'",)),
    ("base-uri", ("'none'",)),
    ("form-action", ("'none'",)),
)

# ---- Material for MkDocs 9.8: its inline scripts and styles (another project's internals) ----

#: the theme series whose inline elements are known
MATERIAL_SERIES = (9, 8)

#: Material 9.8's inline scripts and styles, exactly as its templates write them (the test
#: test_csp.py::test_known_shapes_are_materials_own compares them with the installed templates)
MATERIAL_98: dict[str, tuple[str, ...]] = {
    "script": (
        # partials/javascripts/base.html
        '__md_scope=new URL("{{ config.extra.scope | d(base_url) }}",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}',
        # partials/javascripts/palette.html
        'var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"===palette.color.media){var media=matchMedia("(prefers-color-scheme: light)"),input=document.querySelector(media.matches?"[data-md-color-media=\'(prefers-color-scheme: light)\']":"[data-md-color-media=\'(prefers-color-scheme: dark)\']");palette.color.media=input.getAttribute("data-md-color-media"),palette.color.scheme=input.getAttribute("data-md-color-scheme"),palette.color.primary=input.getAttribute("data-md-color-primary"),palette.color.accent=input.getAttribute("data-md-color-accent")}for(var[key,value]of Object.entries(palette.color))document.body.setAttribute("data-md-color-"+key,value)}',
        # partials/javascripts/content.html
        'var tabs=__md_get("__tabs");if(Array.isArray(tabs))e:for(var set of document.querySelectorAll(".tabbed-set")){var labels=set.querySelector(".tabbed-labels");for(var tab of tabs)for(var label of labels.getElementsByTagName("label"))if(label.innerText.trim()===tab){var input=document.getElementById(label.htmlFor);input.checked=!0;continue e}}',
        'var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))',
        # partials/javascripts/announce.html
        'var el=document.querySelector("[data-md-component=announce]");if(el){var content=el.querySelector(".md-typeset");__md_hash(content.innerHTML)===__md_get("__announce")&&(el.hidden=!0)}',
        # partials/javascripts/consent.html
        'var consent=__md_get("__consent");if(consent)for(var input of document.forms.consent.elements)input.name&&(input.checked=consent[input.name]||!1);else"file:"!==location.protocol&&setTimeout((function(){document.querySelector("[data-md-component=consent]").hidden=!1}),250);var form=document.forms.consent;for(var action of["submit","reset"])form.addEventListener(action,(function(e){if(e.preventDefault(),"reset"===e.type)for(var n of document.forms.consent.elements)n.name&&(n.checked=!1);__md_set("__consent",Object.fromEntries(Array.from(new FormData(form).keys()).map((function(e){return[e,!0]})))),location.hash="",location.reload()}))',
        # partials/javascripts/outdated.html
        'var el=document.querySelector("[data-md-component=outdated]"),base=new URL("{{ base_url }}"),outdated=__md_get("__outdated",sessionStorage,base);!0===outdated&&el&&(el.hidden=!1)',
        # partials/integrations/analytics.html
        'if("undefined"!=typeof __md_analytics){var consent=__md_get("__consent");consent&&consent.analytics&&__md_analytics()}',
        '"undefined"!=typeof __md_analytics&&__md_analytics()',
    ),
    "style": (
        # base.html, block fonts (only with theme.font set; this site has none)
        ':root{--md-text-font:"{{ text }}";--md-code-font:"{{ code }}"}',
    ),
}

#: what a template's ``{{ … }}`` may have written inside the quoted string: never a quote, a
#: backslash, an angle bracket or a line break, so it cannot end the string or the element
_FILLED = r'[^"\\<>\r\n]*'
_JINJA = re.compile(r"\{\{.*?\}\}")


def _shape(template: str) -> re.Pattern[str]:
    parts = _JINJA.split(template)
    return re.compile(_FILLED.join(re.escape(part) for part in parts))


_SHAPES = {tag: tuple(_shape(text) for text in texts) for tag, texts in MATERIAL_98.items()}


def known_theme(version: str | None) -> bool:
    """Whether the inline elements of this Material version are the ones listed here."""
    numbers = re.match(r"(\d+)\.(\d+)\.", f"{version or ''}.")
    return numbers is not None and (int(numbers[1]), int(numbers[2])) == MATERIAL_SERIES


def theme_version() -> str | None:
    """The installed Material for MkDocs, read from its package metadata (no import of it)."""
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("mkdocs-material")
    except PackageNotFoundError:
        return None


# ---- reading a page's output ---------------------------------------------------------------

#: JavaScript MIME types (HTML's "JavaScript MIME type essence match") and the other
#: script types a browser runs or parses under script-src; any other type is a data block
_EXECUTABLE_TYPES = frozenset({
    "", "module", "importmap", "speculationrules",
    "application/ecmascript", "application/javascript", "application/x-ecmascript",
    "application/x-javascript", "text/ecmascript", "text/javascript", "text/javascript1.0",
    "text/javascript1.1", "text/javascript1.2", "text/javascript1.3", "text/javascript1.4",
    "text/javascript1.5", "text/jscript", "text/livescript", "text/x-ecmascript",
    "text/x-javascript",
})

#: what the HTML tokenizer reads as one piece: a comment, an element whose text is not
#: markup (script, style and the other raw-text elements, up to their end tag), a start tag
_TOKEN = re.compile(r"""
    <!--.*?(?:-->|\Z)
  | <(?P<raw>script|style|textarea|title|xmp|iframe|noembed|noframes|noscript)(?=[\s/>])
        (?P<raw_attrs>(?:[^>"']|"[^"]*"|'[^']*')*)>(?P<body>.*?)(?:</(?P=raw)(?=[\s/>])|\Z)
  | <(?P<tag>[a-zA-Z][^\s/>]*)(?P<attrs>(?:[^>"']|"[^"]*"|'[^']*')*)>
""", re.S | re.I | re.X)
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_HEAD = re.compile(r"<head(?=[\s>])[^>]*>", re.I)
_CHARSET = re.compile(r"""\s*<meta\s+charset\s*=\s*["']?[\w-]+["']?\s*/?>""", re.I)


@dataclass(frozen=True)
class Inline:
    """A ``<script>`` or ``<style>`` element written in the page, with its text."""

    tag: str             # "script" or "style"
    text: str            # exactly what is between the start and the end tag
    start: int           # where its start tag begins in the page
    executable: bool     # a script the browser runs (not a data block, no src); every style

    @property
    def digest(self) -> str:
        """The CSP source expression of its hash, over the text as the browser reads it."""
        text = self.text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"

    def excerpt(self) -> str:
        flat = " ".join(self.text.split())
        return flat if len(flat) <= 60 else flat[:57] + "…"


def _attributes(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, double, single, bare in _ATTR.findall(text):
        found.setdefault(name.lower(), html.unescape(double or single or bare))
    return found


def read_page(page: str) -> tuple[list[Inline], list[str]]:
    """The page's inline scripts and styles, and the start tags that carry a style attribute."""
    inline: list[Inline] = []
    styled: list[str] = []
    for token in _TOKEN.finditer(page):
        raw = (token["raw"] or "").lower()
        if raw in ("script", "style"):
            attrs = _attributes(token["raw_attrs"])
            executable = raw == "style" or (
                "src" not in attrs and attrs.get("type", "").strip().lower() in _EXECUTABLE_TYPES)
            inline.append(Inline(raw, token["body"], token.start(), executable))
        attrs_text = token["raw_attrs"] if raw else token["attrs"]
        # a style attribute's name is the letters s-t-y-l-e in any case (a name has no character
        # references): a tag without them needs no parse, most of a listing of 10,000 reports
        if attrs_text and "style" in attrs_text.lower() and "style" in _attributes(attrs_text):
            styled.append(token.group(0)[:token.group(0).find(">") + 1][:80])
    return inline, styled


# ---- the policy ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Secured:
    """A page with its policy in place, and what the policy leaves blocked."""

    html: str
    policy: str
    blocked: tuple[Inline, ...]     # executable inline elements not allowed: the browser skips them
    styled: tuple[str, ...]         # start tags with a style attribute (blocked too)


def secure_page(page: str, content: str | None = None, *, version: str | None = None,
                live_reload: bool = False, read_content: bool = True) -> Secured:
    """Compute the page's policy from its own output and write it at the top of ``<head>``.

    ``content`` is the page's content as the theme inserted it (contributor text lives
    there): none of its inline elements is ever allowed. ``version`` is the theme's
    (:func:`theme_version`); ``live_reload`` is ``mkdocs serve``'s page. ``read_content=False``
    leaves the content unread: nothing in it could be allowed anyway, so only the report of what
    it would have blocked is lost — for the archive's own generated pages, whose listings of
    10,000 reports are most of a page's tags (``serve`` secures them again after a data edit).
    """
    start = page.find(content) if content else -1
    inside = range(start, start + len(content)) if start >= 0 and content else range(0)
    if read_content or not inside:
        inline, styled = read_page(page)
    else:
        inline, styled = read_page(page[:inside.start])
        after, styled_after = read_page(page[inside.stop:])
        inline += [replace(element, start=element.start + inside.stop) for element in after]
        styled += styled_after
    known = known_theme(version)
    allowed: dict[str, list[str]] = {"script": [], "style": []}
    blocked = []
    for element in inline:
        if not element.executable:
            continue
        if element.start not in inside and _is_theme(element, known):
            if element.digest not in allowed[element.tag]:
                allowed[element.tag].append(element.digest)
        elif not (live_reload and element.tag == "script"):
            blocked.append(element)
    policy = _policy(allowed, live_reload)
    return Secured(_insert(page, policy), policy, tuple(blocked), tuple(styled))


def _is_theme(element: Inline, known: bool) -> bool:
    if not known:  # another Material: every inline element outside the content (see the docstring)
        return True
    return any(shape.fullmatch(element.text) for shape in _SHAPES[element.tag])


def _policy(allowed: dict[str, list[str]], live_reload: bool) -> str:
    parts = []
    for name, sources in DIRECTIVES:
        if name == "script-src":
            sources = sources + (("'unsafe-inline'",) if live_reload else tuple(allowed["script"]))
        elif name == "style-src":
            sources = sources + tuple(allowed["style"])
        parts.append(" ".join((name,) + sources))
    return "; ".join(parts)


def _insert(page: str, policy: str) -> str:
    """The meta element right after ``<meta charset>`` (or the ``<head>`` tag), before anything it governs."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    head = _HEAD.search(page)
    if head is None:
        return meta + page
    at = head.end()
    charset = _CHARSET.match(page, at)
    if charset is not None:
        at = charset.end()
    return page[:at] + meta + page[at:]


def problems(secured: Secured, path: str) -> list[Problem]:
    """What the policy blocks on a page, as problems naming the page's source file."""
    found = [Problem(path, 1, "csp_inline_script" if element.tag == "script" else "csp_inline_style",
                     {"excerpt": element.excerpt()}) for element in secured.blocked]
    if secured.styled:
        found.append(Problem(path, 1, "csp_style_attribute",
                             {"count": len(secured.styled), "excerpt": secured.styled[0]}))
    return found
