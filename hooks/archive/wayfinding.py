"""Where a page sits in the archive: its breadcrumb trail, its tab, its table of contents.

The navigation lists the archive's index pages only (a build costs the same per report at
10 reports and at 10,000), so a year, topic, unit or report page is in no section of it:
this module says which tab it belongs to and the trail that leads to it, the adapter marks
them on the theme's navigation.
"""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from .index import year_url
from .report import Report

#: the tab (an index page of the navigation) of each kind of generated page
SECTIONS = {"archive": "archive/", "year": "archive/", "topics": "topics/", "topic": "topics/",
            "units": "units/", "unit": "units/", "unit_figures": "units/", "metrics": "metrics/",
            "search": "search/", "report": "archive/"}
#: the label of each tab, its breadcrumb's second step
SECTION_LABELS = {"archive/": "archive", "topics/": "topics", "units/": "units", "metrics/": "metrics_page",
                  "search/": "search"}


@dataclass(frozen=True)
class Crumb:
    """One step of a breadcrumb trail; the last is the page itself."""

    title: str
    url: str
    lang: str | None = None   # where the title is not in the page's language (an untranslated report's)


@dataclass(frozen=True)
class Heading:
    """An entry of a page's table of contents: the theme's TOC, from the package's headings."""

    title: str
    anchor: str
    level: int
    children: tuple[Heading, ...] = ()


def section(kind: str) -> str | None:
    """The URL of the navigation's index page a page of this kind belongs to (its active tab)."""
    return SECTIONS.get(kind)


def generated_trail(kind: str, url: str, title: str, ctx) -> tuple[Crumb, ...]:
    """home › section › … › the page; the home page has none."""
    if kind == "home":
        return ()
    steps = [Crumb(title=ctx.label("home"), url="")]
    top = SECTIONS.get(kind)
    if top and top != url:
        steps.append(Crumb(title=ctx.label(SECTION_LABELS[top]), url=top))
    if kind == "unit_figures":
        parent = url.removesuffix("figures/")
        key = parent.removeprefix("units/").rstrip("/")
        steps.append(Crumb(title=ctx.term("units", key), url=parent))
    steps.append(Crumb(title=title, url=url))
    return tuple(steps)


def report_trail(report: Report, ctx, title: str, title_lang: str | None = None) -> tuple[Crumb, ...]:
    """home › by year › 2022 › the report (a report without a year: home › by year › the report)."""
    steps = [Crumb(title=ctx.label("home"), url=""), Crumb(title=ctx.label("archive"), url="archive/")]
    if report.year:
        steps.append(Crumb(title=str(report.year), url=year_url(report.year)))
    steps.append(Crumb(title=title, url=report.url, lang=title_lang))
    return tuple(steps)


def breadcrumb(trail: tuple[Crumb, ...], page_url: str, ctx) -> Markup:
    """The trail as a navigation landmark (breadcrumb.html), the page itself marked current."""
    if not trail:
        return Markup("")
    return ctx.render("breadcrumb.html", trail=trail, page=page_url)
