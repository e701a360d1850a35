"""The 404 page's words and links, per language (overrides/404.html renders them in Material's 404 template).

The page is served for any missing address at any depth (nginx's ``error_page``), so its links
are site-relative here and the template makes them absolute from ``site_url``'s path (MkDocs
gives error pages that path as their base); without ``site_url`` that base is ``/``.
"""
from __future__ import annotations

from dataclasses import dataclass

from .render import Context


@dataclass(frozen=True)
class NotFound:
    title: str
    message: str
    links: tuple[tuple[str, str], ...]   # (label, site-relative address): the archive's home and its listings


def not_found_page(ctx: Context, prefix: str) -> NotFound:
    """The 404 page in ``ctx``'s interface language; ``prefix`` is the language's folder ("" or "en/")."""
    return NotFound(title=ctx.label("not_found"), message=ctx.label("not_found_text"),
                    links=tuple((ctx.label(name), prefix + path) for name, path in
                                (("home", ""), ("archive", "archive/"), ("topics", "topics/"), ("units", "units/"))))
