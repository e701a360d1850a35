"""All or nothing: a build writes into a temporary sibling of the site folder, moved into place on success.

``./dev build --strict`` failing must leave no half-checked site where a deploy step would
pick it up. MkDocs cleans ``site/`` first and writes into it as it goes; a strict build
learns that it failed only after every page, the other languages' builds
(mkdocs-static-i18n runs them inside ``on_post_build``) and the search index are written.
So the build writes into ``.site.building-XXXX`` beside ``site/``, on the same file system,
and only a build that succeeded replaces ``site/`` with it; a failed one is deleted.

On failure the previous ``site/`` is left exactly as it was: it is the last build that
passed its checks in full (or absent, if there was none), never a mixture; the log says the
build failed. Like MkDocs' own cleaning, a replaced site folder keeps its dot entries (a
``.git`` of a deploy worktree, say). Plain Python: the adapter decides when to begin, publish
and discard.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass

PREFIX = ".{name}.building-"   # the build in progress, beside the site folder
RETIRED = ".{name}.old-"       # the previous site, for the moment between two renames


@dataclass(frozen=True)
class Staging:
    """A build in progress: the site folder it will replace, and the folder it writes into."""

    target: str
    work: str


def begin(target: str) -> Staging:
    """Create the temporary sibling of ``target`` that a build writes into."""
    target = os.path.abspath(target)
    parent = os.path.dirname(target)
    os.makedirs(parent, exist_ok=True)
    work = tempfile.mkdtemp(prefix=PREFIX.format(name=os.path.basename(target)), dir=parent)
    os.chmod(work, 0o777 & ~_umask())  # mkdtemp makes it private; the site folder is not
    return Staging(target=target, work=work)


def publish(staging: Staging) -> None:
    """Put the finished build in place of the site folder, keeping the old one's dot entries.

    Two renames on one file system; if the second fails, the previous site is put back.
    """
    target, work = staging.target, staging.work
    if not os.path.lexists(target):
        os.rename(work, target)
        return
    retired = tempfile.mkdtemp(prefix=RETIRED.format(name=os.path.basename(target)), dir=os.path.dirname(target))
    old = os.path.join(retired, "site")
    try:
        os.rename(target, old)
    except OSError:  # the site folder is a mount point or otherwise fixed: replace its content
        os.rmdir(retired)
        _replace_content(target, work)
        return
    try:
        os.rename(work, target)
    except OSError:  # put the previous site back: a build that cannot be published changes nothing
        os.rename(old, target)
        os.rmdir(retired)
        raise
    for name in os.listdir(old):
        if name.startswith(".") and not os.path.lexists(os.path.join(target, name)):
            os.rename(os.path.join(old, name), os.path.join(target, name))
    shutil.rmtree(retired, ignore_errors=True)


def discard(staging: Staging) -> None:
    """Delete a build that failed; the site folder stays as it was."""
    shutil.rmtree(staging.work, ignore_errors=True)


def _replace_content(target: str, work: str) -> None:
    """The content of ``target`` but its dot entries becomes that of ``work`` (as MkDocs' cleaning does)."""
    for name in os.listdir(target):
        path = os.path.join(target, name)
        if name.startswith(".") and not os.path.lexists(os.path.join(work, name)):
            continue
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.remove(path)
    for name in os.listdir(work):
        shutil.move(os.path.join(work, name), os.path.join(target, name))
    os.rmdir(work)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
