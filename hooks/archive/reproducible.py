"""The build date of a reproducible build: the time of the commit being built.

Two builds of one commit must give the same site byte for byte, so that a published site can
be checked against its commit and a deploy changes only what changed. MkDocs writes the
build date into ``sitemap.xml`` (every page's ``lastmod``) and into the header of
``sitemap.xml.gz`` (its mtime); it takes the date from ``SOURCE_DATE_EPOCH``
(https://reproducible-builds.org/specs/source-date-epoch/) when that is set, else from the
clock. The commit's own time is the date that belongs to its content; a build outside a git
checkout (an exported tree) has no commit and keeps MkDocs' clock.

The rest of the site is the same from build to build by construction (sorted output, hash
names of content); Pagefind's index is made so by ``pagefind_index``.
"""
from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping

from .gitdates import git

VARIABLE = "SOURCE_DATE_EPOCH"
GIVEN = os.environ.get(VARIABLE)  # as the process was started: set_build_date replaces it later


def commit_time(folder: str) -> int | None:
    """The commit time (seconds since the epoch) of the checkout ``folder`` is in, or None
    when it is in none or git is not installed."""
    found = git(folder, "log", "-1", "--format=%ct", timeout=20)
    value = found.stdout.decode("ascii", "replace").strip()
    return int(value) if found.ok and value.isdigit() else None


def source_date_epoch(folder: str, environ: Mapping[str, str] = os.environ) -> str | None:
    """The ``SOURCE_DATE_EPOCH`` for a build of ``folder``: the one set (a release process may
    choose it), else the commit's time, else None (MkDocs' clock)."""
    if environ.get(VARIABLE, "").strip():
        return environ[VARIABLE]
    found = commit_time(folder)
    return None if found is None else str(found)


def set_build_date(folder: str, environ: MutableMapping[str, str] = os.environ) -> str | None:
    """Set ``SOURCE_DATE_EPOCH`` for MkDocs to the one given when the process started, else to
    the time of the commit checked out (again at every build of ``serve``, which may follow a
    new commit); the value, or None when there is none."""
    epoch = source_date_epoch(folder, {VARIABLE: GIVEN} if GIVEN else {})
    if epoch:
        environ[VARIABLE] = epoch
    return epoch
