"""Accessibility in Chromium (issue 12): axe-core on every kind of page, both languages, both schemes,
at 1366 and 360 px; no focusable control that cannot be seen; a skip link first on every page.

axe-core comes inside the axe-playwright-python wheel (no CDN: the pages' policy and the intranet allow
none), injected as the package does (``page.evaluate`` of its script, which the pages' Content-Security-
Policy does not govern: the site's policy stays as it is). Only serious and critical violations fail: the
moderate and minor ones (landmarks, heading order) are advice, and Material's own markup has some.

One browser, one context per scheme (the system setting picks it, as test_schemes_browser does); each page
is loaded once per scheme and checked at 1366 px, then at 360 px after resizing the window — loading
it again would only repeat the same markup. The light scheme runs every rule; the dark one only the rules
that read colours (the markup is the same, and a full run costs three times as much): the module stays
under a minute.
"""
from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.cost(45)  # seconds, about: started before the quick modules (conftest.py)

SUB_PATH = "/a11y/"
LANGUAGES = {"zh": "", "en": "en/"}
QUERY = {"zh": "收入", "en": "tax"}
PAGES = {"home": "", "year": "archive/2022/", "topic": "topics/revenue/", "unit": "units/tax-bureau/",
         "report": "reports/2022/tax-2022/", "figures": "metrics/", "search": "search/?q={query}"}
WIDTHS = (1366, 360)
FAILING = ("serious", "critical")
#: the rules each scheme runs: all of them, or the ones whose result depends on colours
RULES = {"light": None, "dark": ["color-contrast", "link-in-text-block"]}


@pytest.fixture(scope="module")
def base(shared_site, serve) -> str:
    # the fixture site as it is, with its search index (the search page is checked with results), built once
    # for every module that reads it (test_site_build, test_offline, test_wayfinding_browser …)
    built = shared_site(strict=True)
    assert built.returncode == 0, built.output[-3000:]
    return serve(built.site.out, SUB_PATH)


@pytest.fixture(scope="module")
def axe_script(browser) -> str:
    """axe-core's source as the package ships it (requirements.txt); missing, the module skips as the
    browser tests do, unless CI requires them."""
    if not os.environ.get("ARCHIVE_REQUIRE_BROWSER"):
        pytest.importorskip("axe_playwright_python", reason="axe-playwright-python is not installed (pip install -r requirements.txt)")
    from axe_playwright_python.sync_playwright import Axe
    return Axe().axe_script


@pytest.fixture(scope="module")
def schemes(browser):
    """One page per scheme, each in its own context; the script errors each has had."""
    opened = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900}, color_scheme=scheme)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        opened[scheme] = (page, errors)
    yield opened
    for page, _ in opened.values():
        page.context.close()


def serious(results: dict) -> list[str]:
    """One line per serious or critical violation: rule, impact, the elements' selectors, the first reason."""
    lines = []
    for violation in results["violations"]:
        if violation["impact"] not in FAILING:
            continue
        targets = [" ".join(node["target"]) for node in violation["nodes"]]
        reason = violation["nodes"][0].get("failureSummary", "").splitlines()
        lines.append(f"{violation['id']} ({violation['impact']}): {targets} — {reason[1].strip() if len(reason) > 1 else ''}")
    return lines


#: Every element in the tab order (tabindex >= 0, rendered: focus() takes), focused one by one, with
#: what a sighted keyboard user would see of it then: its box, its opacity through its ancestors,
#: clipping by an ancestor's overflow, whether it lies inside the page. Material's scheme radios are
#: transparent and show their focus ring on the label after them: there the label is measured.
FOCUSABLE = """() => {
  const candidates = [...document.querySelectorAll(
    'a[href], area[href], button, input, select, textarea, summary, iframe, [tabindex], [contenteditable=""], [contenteditable="true"]')]
    .filter(e => e.tabIndex >= 0 && !e.disabled && !e.closest('[inert]'));
  const found = [];
  for (const element of candidates) {
    element.focus();
    if (document.activeElement !== element) continue;            // not rendered: not a tab stop
    document.getAnimations().forEach(animation => animation.finish());   // fades and slides on focus
    const label = element.matches('input.md-option') ? element.nextElementSibling : null;
    const shown = label || element;
    const box = shown.getBoundingClientRect();
    let opacity = 1, clipped = false, hidden = false;
    for (let node = shown; node && node.nodeType === 1; node = node.parentElement) {
      const style = getComputedStyle(node);
      opacity *= parseFloat(style.opacity);
      if (style.visibility !== 'visible' && node === shown) hidden = true;
      // the root's overflow is the window's; the page bounds are checked below
      if (node !== shown && node !== document.documentElement && node !== document.body && style.overflow !== 'visible') {
        const outer = node.getBoundingClientRect();
        if (box.right <= outer.left || box.left >= outer.right || box.bottom <= outer.top || box.top >= outer.bottom)
          clipped = true;
      }
    }
    const page = document.scrollingElement;
    const left = box.left + scrollX, top = box.top + scrollY;
    found.push({
      element: element.outerHTML.slice(0, 160), id: element.id,
      skip: element.matches('a.md-skip') && element.getAttribute('href'),
      text: element.textContent.trim(),
      tabIndex: element.tabIndex,
      problems: [
        box.width < 1 || box.height < 1 ? `box ${box.width}x${box.height}` : '',
        opacity < 0.5 ? `opacity ${opacity.toFixed(2)}` : '',
        hidden ? 'visibility hidden' : '',
        clipped ? 'clipped by an ancestor' : '',
        left + box.width <= 0 || top + box.height <= 0 || left >= page.scrollWidth || top >= page.scrollHeight
          ? `outside the page at ${Math.round(left)},${Math.round(top)}` : '',
        label && !(label.getBoundingClientRect().width > 0 && !label.hidden) ? 'its label is hidden' : '',
      ].filter(Boolean),
    });
  }
  document.activeElement.blur();
  scrollTo(0, 0);
  return found;
}"""


def check_width(page, axe_script: str, width: int, rules: list[str] | None) -> tuple[list[str], list[dict]]:
    """axe's serious violations and the tab stops of the loaded page at this width."""
    page.set_viewport_size({"width": width, "height": 900})
    page.evaluate("() => document.getAnimations().forEach(animation => animation.finish())")
    if not page.evaluate("() => typeof axe === 'object'"):
        page.evaluate(axe_script)
    options = {"resultTypes": ["violations"], **({"runOnly": rules} if rules else {})}
    results = page.evaluate("options => axe.run(document, options)", options)
    return serious(results), page.evaluate(FOCUSABLE)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", PAGES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_violation_and_every_tab_stop_visible(schemes, base, axe_script, scheme, kind, lang):
    page, errors = schemes[scheme]
    errors.clear()
    url = base + LANGUAGES[lang] + PAGES[kind].format(query=QUERY[lang])
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    page.goto(url)  # until "load": the archive's and Material's scripts have built the page by then
    assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == \
        {"light": "default", "dark": "slate"}[scheme]
    if kind == "search":
        page.wait_for_selector(".wr-hits--page .wr-hit")
    skip_text = {"zh": "跳转至", "en": "Skip to content"}[lang]
    for width in WIDTHS:
        violations, stops = check_width(page, axe_script, width, RULES[scheme])
        assert violations == [], f"{url} at {width} px, {scheme}:\n" + "\n".join(violations)
        hidden = [f"{stop['element']}: {', '.join(stop['problems'])}" for stop in stops if stop["problems"]]
        assert hidden == [], f"{url} at {width} px: focusable but not visible:\n" + "\n".join(hidden)
        assert [stop["element"] for stop in stops if stop["tabIndex"] > 0] == []   # the tab order is the reading order
        first = stops[0]
        assert (first["skip"], first["text"]) == ("#wr-main", skip_text), (url, width, first)
        assert page.evaluate("() => !!document.querySelector('.md-content #wr-main')"), url
    assert errors == []


#: three faults put into a good page: an image with no text (axe: image-alt, critical), a link made
#: transparent and a button pushed off the page's left edge (tab stops nobody sees)
FAULTS = """() => {
  const content = document.querySelector('.md-content__inner');
  const image = document.createElement('img');
  image.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
  image.id = 'wr-test-image';
  const faded = document.createElement('a');
  faded.href = '#wr-main'; faded.textContent = 'faded'; faded.id = 'wr-test-faded'; faded.style.opacity = '0';
  const away = document.createElement('button');
  away.textContent = 'away'; away.id = 'wr-test-away'; away.style.position = 'absolute'; away.style.left = '-9999px';
  content.append(image, faded, away);
}"""


def test_the_checks_see_what_they_look_for(schemes, base, axe_script):
    # the checks above pass on the site: here they must fail, on faults put into the same page
    page, errors = schemes["light"]
    errors.clear()
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    page.goto(base)
    page.evaluate(FAULTS)
    violations, stops = check_width(page, axe_script, WIDTHS[0], RULES["light"])
    assert [line.split(":")[0] for line in violations] == ["image-alt (critical)"]
    assert "['#wr-test-image']" in violations[0]
    hidden = [(stop["id"], stop["problems"][0].split(",")[0]) for stop in stops if stop["problems"]]
    assert hidden == [("wr-test-faded", "opacity 0.00"), ("wr-test-away", "outside the page at -9999")]
    assert errors == []
