"""Links between the site's own pages, relative to the page they appear on, so that the site
works under any sub-path (render and the templates share them: templating's globals)."""
from __future__ import annotations

import posixpath
from functools import lru_cache


@lru_cache(maxsize=1 << 18)
def href(page_url: str, target_url: str) -> str:
    """A link from one page URL to another, both relative to the language root. Kept: a
    ``serve`` reload after a data edit renders every listing again (40,000 links at 10,000
    reports), the same links as before."""
    if target_url == page_url:
        return "./"
    relative = _relative(target_url or ".", page_url or ".")
    return relative + "/" if target_url.endswith("/") or target_url == "" else relative


def _relative(target: str, start: str) -> str:
    """``posixpath.relpath`` for the site's own URLs, ten times faster (it makes both paths
    absolute first: a listing of 10,000 reports asks 30,000 times); with ``..`` or a leading
    ``/`` in a path, it."""
    if ".." in target or ".." in start or target.startswith("/") or start.startswith("/"):
        return posixpath.relpath(target, start)
    to = [part for part in target.split("/") if part and part != "."]
    here = [part for part in start.split("/") if part and part != "."]
    common = 0
    while common < len(to) and common < len(here) and to[common] == here[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."
