"""``./dev serve`` lists docs/ once per change of its names, not once per build of each language.

Every build, and mkdocs-static-i18n's build of each further language, starts with MkDocs'
``get_files``: it walks docs/ and makes a ``File`` of every name, matching each against the
exclusion patterns. At 10,000 reports that is 0.3 s a language on every reload, for a list that
a saved edit does not change (an edit changes a file's content, never its name). Here serve walks
the folder (a few hundredths of a second), and while the walk finds the same names under the same
configuration, hands each build fresh copies of the files listed the first time: a build
changes its files (static-i18n gives them their language's address, MkDocs their page), never the
list's own.

This is the only contact with ``mkdocs.commands.build.get_files``, a module attribute of mkdocs
1.6.x: with another MkDocs, every build lists docs/ itself, as before.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import mkdocs
import mkdocs.commands.build
from mkdocs.structure.files import File, Files

KNOWN_MKDOCS = "1.6."
KEPT = 4  # listings kept: one a configuration (each language's build may have its own), the newest


@dataclass
class DocsListing:
    """The files of docs/ as MkDocs first listed them, by the folder's names and the configuration."""

    listed: list[tuple[tuple, list[File]]] = field(default_factory=list)  # (key, pristine files: never built)
    lists: int = 0                                                      # how many times MkDocs listed docs/

    def files(self, config, list_files) -> Files:
        """``get_files(config)``: copies of the files of the last listing with the same names and
        configuration, or a new listing by ``list_files`` (MkDocs' own). The exclusion patterns
        compare equal but do not hash: a short list, not a dict (one entry a configuration)."""
        settings = (config.docs_dir, config.site_dir, config.use_directory_urls, config.get("exclude_docs"),
                    config.get("draft_docs"), config.get("not_in_nav"))
        key = (settings, _names(config.docs_dir))
        pristine = next((files for other, files in self.listed if other == key), None)
        if pristine is None:
            self.lists += 1
            pristine = [_copy(file) for file in list_files(config)]
            kept = [(other, files) for other, files in self.listed if other[0] != settings]
            self.listed = (kept + [(key, pristine)])[-KEPT:]
        return Files([_copy(file) for file in pristine])


def _names(folder: str) -> tuple:
    """Every folder and file name under ``folder``, as MkDocs walks it (links followed: archive.sources
    refuses them later, with a message)."""
    return tuple((top, tuple(sorted(names))) for top, _, names in sorted(os.walk(folder, followlinks=True)))


def _copy(file: File) -> File:
    """A new File with the same attributes (``copy.copy`` is ten times slower)."""
    new = object.__new__(type(file))
    new.__dict__.update(file.__dict__)
    return new


def list_once(listing: DocsListing) -> bool:
    """Make every build of this process list docs/ through ``listing``; False with another MkDocs."""
    build = mkdocs.commands.build
    if not mkdocs.__version__.startswith(KNOWN_MKDOCS) or not callable(getattr(build, "get_files", None)):
        return False
    own = getattr(build.get_files, "archive_listing", None)
    if own is listing:
        return True
    list_files = getattr(build.get_files, "original", build.get_files)

    def get_files(config) -> Files:
        return listing.files(config, list_files)
    get_files.archive_listing, get_files.original = listing, list_files
    build.get_files = get_files
    return True
