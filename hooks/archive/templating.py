"""The archive's HTML from Jinja templates a site can override, with escaping by default.

Every piece of markup the archive writes around a contributor's text — listing lines, count
tables, a report's header, figures and neighbours, notices, breadcrumbs, the generated pages —
comes from a template in ``hooks/archive/templates/``. A site replaces any of them by putting a
file of the same name in ``<theme.custom_dir>/archive/`` (``overrides/archive/item.html``),
as it overrides Material's partials; the package's own are the fallback.

Why Jinja and not f-strings: autoescaping makes escaping the default rather than a matter of
discipline (a title, unit or topic from a pull request is data, never markup or template code:
it is passed as a variable and never compiled), and templates are what a site's maintainer can
change without touching Python. Jinja is not MkDocs: the plain package owns the environment
(as Material's tags plugin renders its listings with a renderer of its own).

Whitespace: a template's lines are joined without their indentation (:class:`Joined`), so the
templates can be laid out readably while the pages keep their compact markup, which Python-
Markdown passes through as it always did; an empty line in a template is a line break in the
output. Write a space where one is meant (``{{ " " }}`` at a line's end or start).
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2.ext import Extension
from markupsafe import Markup

from .index import topic_url, unit_url, year_url
from .links import href

TEMPLATES = Path(__file__).resolve().parent / "templates"
OVERRIDES = "archive"  # the folder of a site's overrides, under the theme's custom_dir


class Joined(Extension):
    """Join a template's lines without their indentation; an empty line stays a line break.

    Each line break becomes a Jinja comment holding it (``{#`` newline ``#}``), so that a fault's
    line number is the file's; inside a comment the line break is kept as it is. A tag or an
    expression stays on one line.
    """

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        out, in_comment = [], False
        for number, line in enumerate(source.split("\n")):
            if number:
                out.append("\n" if in_comment else "{#\n#}")
            text = line if in_comment else line.strip()
            out.append(text if text or in_comment else '{{ "\\n" }}')
            for mark in re.findall(r"\{#|#\}", line):
                in_comment = mark == "{#"
        joined = "".join(out)
        # a file's last line break, and blank lines at its ends, are no part of the markup
        return re.sub(r'^(?:\{\{ "\\n" \}\}|\{#\n#\})+|(?:\{\{ "\\n" \}\}|\{#\n#\})+$', lambda m: m.group(0).replace('{{ "\\n" }}', ""), joined)


class Renderer:
    """The archive's Jinja environment: the site's overrides first, then the package's templates.

    ``StrictUndefined``: a template naming a value the archive does not pass fails the build
    with the template's name and line rather than printing nothing. Compiled templates are
    kept (``serve`` renders a listing line per report after a data edit; a template is looked up
    once, not once a line).
    """

    def __init__(self, overrides: str | None = None) -> None:
        loaders: list[jinja2.BaseLoader] = []
        self.overrides = os.path.join(overrides, OVERRIDES) if overrides else None
        if self.overrides and os.path.isdir(self.overrides):
            loaders.append(jinja2.FileSystemLoader(self.overrides))
        loaders.append(jinja2.FileSystemLoader(str(TEMPLATES)))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=jinja2.select_autoescape(["html"], default_for_string=True, default=True),
            undefined=jinja2.StrictUndefined, extensions=[Joined], auto_reload=False,
            keep_trailing_newline=False)
        # what every template may call: links relative to the page, the listing pages' addresses
        self.env.globals.update(href=href, unit_url=unit_url, topic_url=topic_url, year_url=year_url)
        self._templates: dict[str, jinja2.Template] = {}

    def faults(self) -> list[str]:
        """The site's overrides that do not compile, as ``path:line: message`` — said before the build
        starts rather than as a traceback halfway through it (a maintainer's file, but a mistake all the same)."""
        if not self.overrides or not os.path.isdir(self.overrides):
            return []
        found = []
        for top, _, names in os.walk(self.overrides):
            for name in sorted(names):
                if not name.endswith(".html"):
                    continue
                relative = os.path.relpath(os.path.join(top, name), self.overrides).replace(os.sep, "/")
                try:
                    self.template(relative)
                except jinja2.TemplateSyntaxError as error:
                    found.append(f"{os.path.join(self.overrides, relative)}:{error.lineno}: {error.message}")
                except (jinja2.TemplateError, UnicodeDecodeError) as error:
                    found.append(f"{os.path.join(self.overrides, relative)}:1: {error}")
        return found

    def template(self, name: str) -> jinja2.Template:
        found = self._templates.get(name)
        if found is None:
            found = self._templates[name] = self.env.get_template(name)
        return found

    def render(self, name: str, **values: object) -> Markup:
        """The template's output, marked safe: it is HTML that escaped what it was given."""
        return Markup(self.template(name).render(**values))

    def macro(self, name: str, macro: str):
        """A macro of a template, called like a function: cheaper than a render for one line."""
        return getattr(self.template(name).module, macro)


@lru_cache(maxsize=1)
def default_renderer() -> Renderer:
    """The package's templates alone, for tools with no theme (``./dev check``) and tests;
    made on first use (importing the package reads no template) and then shared: a Renderer
    holds no state but its compiled templates."""
    return Renderer(None)
