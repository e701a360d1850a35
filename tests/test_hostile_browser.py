"""The hostile corpus in real Chromium: no script runs, nothing loads from another host, nothing navigates away.

The corpus (tests/hostile/docs, every helper's cases) is built non-strict, as ``mkdocs serve``
would show it, and every page built from a case is opened with a dialog handler, a log of
every request (any host but the loopback server is refused and recorded, never contacted)
and a navigation check; every element then gets the events an attacker's handler would wait
for. It runs twice: as built, and with every page's Content-Security-Policy taken out, so
that the sanitizer is shown to hold on its own (defence in depth: each layer holds alone).
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from sites import Site, make_site

HOSTILE = Path(__file__).resolve().parent / "hostile" / "docs"
CSP = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>', re.I)
LINK_PROTOCOLS = {"http:", "https:", "mailto:"}
EVENTS = ("mouseover", "mouseenter", "mousemove", "focus", "error", "load", "click", "animationstart")


# every element of the page's content gets the events an attacker's handler would wait for
DISPATCH = """events => {
    for (const element of document.querySelectorAll("article, article *")) {
        for (const type of events) {
            if (type === "click" && element.closest("a, button, label, summary, input")) continue;
            element.dispatchEvent(new Event(type, {bubbles: true}));
        }
    }
}"""
INSPECT = """() => ({
    protocols: [...document.querySelectorAll("a[href]")].map(a => a.protocol),
    handlers: [...document.querySelectorAll("*")].flatMap(
        e => [...e.attributes].filter(a => a.name.startsWith("on")).map(a => `${e.localName} ${a.name}`)),
    elements: [...document.querySelectorAll(
        "base, meta[http-equiv=refresh i], article :is(form, iframe, object, embed, svg use, style, link)")]
        .map(e => e.outerHTML.slice(0, 80)),
})"""


pytestmark = pytest.mark.cost(120)  # seconds, about: started before the quick modules (conftest.py)


def cases() -> list[Path]:
    return sorted(path.relative_to(HOSTILE) for path in HOSTILE.rglob("*") if path.is_file())


def built_pages(out: Path) -> list[str]:
    """The address of every page built from a case, in every language (none for a refused file)."""
    urls = []
    for case in cases():
        name = case.as_posix()
        if name.endswith(".md"):
            stem = re.sub(r"(\.en)?\.md$", "", name)
            stem = stem.removesuffix("/index") if stem.endswith("/index") else stem
            candidates = [f"{stem}/", f"en/{stem}/"]
        else:
            candidates = [name, f"en/{name}"]
        for url in candidates:
            target = out / (url + "index.html" if url.endswith("/") else url)
            if target.is_file() and url not in urls and (url.endswith("/") or url.endswith((".html", ".svg"))):
                urls.append(url)
    return urls


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Site:
    site = make_site(tmp_path_factory.mktemp("hostile-browser"))
    for case in cases():
        target = site.docs / case
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(HOSTILE / case, target)
    result = site.build(strict=False)  # cases break other rules too: the lenient build shows them all
    assert result.returncode == 0, result.output[-3000:]
    assert "Traceback" not in result.output
    return site


@pytest.fixture(scope="module", params=["with its security policy", "with no security policy"])
def served(request, hostile_site, serve, tmp_path_factory) -> tuple[str, list[str]]:
    out = hostile_site.out
    if request.param == "with no security policy":
        out = tmp_path_factory.mktemp("no-csp") / "site"
        shutil.copytree(hostile_site.out, out)
        stripped = 0
        for page in out.rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            page.write_text(CSP.sub("", text), encoding="utf-8")
            stripped += bool(CSP.search(text))
        assert stripped, "no page had a Content-Security-Policy to take out"
    pages = built_pages(out)
    assert len(pages) >= 20, pages  # the corpus is there, and built
    return serve(out, "/hostile/"), pages


def test_no_page_built_from_a_hostile_case_runs_script_loads_elsewhere_or_navigates(browser, served):
    base, pages = served
    origin = urlsplit(base).netloc
    context = browser.new_context()
    foreign: list[str] = []

    def route(route, request):
        if urlsplit(request.url).netloc == origin or request.url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            foreign.append(request.url)
            route.abort()
    # only what may go elsewhere is routed through here: every request routed waits on this process
    # (a page's own scripts, styles and fonts make most of them; the handler checks each one again)
    context.route(re.compile(rf"^(?![a-z][a-z0-9+.-]*://{re.escape(origin)}(?:[/?#]|$)|data:|blob:|about:)", re.I), route)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)
    failures = []
    for url in pages:
        address = base + url
        try:
            page.goto(address, wait_until="load")
            navigations.clear()
            page.evaluate(DISPATCH, list(EVENTS))
            page.wait_for_timeout(200)  # a refresh or a timer of 0 s would have fired
            found = page.evaluate(INSPECT)
        except PlaywrightError as error:  # the page went elsewhere while it was looked at
            failures.append(f"{url}: {str(error).splitlines()[0]}, navigated to {navigations}")
            continue
        bad = sorted({p for p in found["protocols"] if p not in LINK_PROTOCOLS})
        away = [target for target in navigations + [page.url] if target.split("#")[0] != address]
        if bad or found["handlers"] or found["elements"] or away:
            failures.append(f"{url}: link protocols {bad}, handlers {found['handlers']}, "
                            f"elements {found['elements']}, navigated to {away}")
    context.close()
    assert {"dialogs": dialogs, "requests to other hosts": foreign, "pages": failures} == {
        "dialogs": [], "requests to other hosts": [], "pages": []}
