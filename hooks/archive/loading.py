"""The whole archive read and checked once: vocabulary, reports, duplicates and year-on-year jumps.

One function for the build (``hooks/mkdocs_archive.py``) and for ``./dev check``
(:mod:`archive.check`), so that both find the same problems with the same rules: the
check never re-implements a step of the build.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from .catalog import load_reports
from .figures import Publication, check_jumps, previous_reports
from .index import ArchiveIndex, build_index
from .problems import Problem
from .preview import CheckCache
from .report import Report
from .vocabulary import Vocabulary, load_vocabulary


@dataclass
class Loaded:
    """The archive's reports, checked, and every problem found in them and in the vocabulary."""

    vocab: Vocabulary
    vocab_problems: list[Problem]
    reports: list[Report]
    problems: list[Problem]            # the reports' problems (jumps included), in (path, line) order
    index: ArchiveIndex
    previous: dict[str, Report] = field(default_factory=dict)  # report path → same unit's report a year before


def read_vocabulary(path: str) -> str | None:
    """The vocabulary's text, or None when it is missing; a link is never followed (archive.sources)."""
    try:
        if os.path.islink(path):  # refused with its own message (archive.sources): never read
            raise FileNotFoundError(path)
        with open(path, encoding="utf-8-sig") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def load_archive(vocab_path: str, vocab_name: str, sources: Iterable[tuple[str, bytes | str]],
                 translations: Iterable[str], jump_factor: float, publication: Publication,
                 prefix: str = "docs/", cache: CheckCache | None = None) -> Loaded:
    """Read the vocabulary at ``vocab_path`` and check every report of ``sources`` (path in reports/, data).

    Problem paths get ``prefix`` (the docs folder as a contributor sees it in the repository),
    in the returned list and in each report's own problems. ``cache``: the reports checked by the
    previous load of this process, reused for unchanged files (``serve`` reloads, archive.preview).
    """
    return check_archive(read_vocabulary(vocab_path), vocab_name, sources, translations, jump_factor,
                         publication, prefix, cache)


def check_archive(vocab_text: str | None, vocab_name: str, sources: Iterable[tuple[str, bytes | str]],
                  translations: Iterable[str], jump_factor: float, publication: Publication,
                  prefix: str = "docs/", cache: CheckCache | None = None) -> Loaded:
    """:func:`load_archive` with the vocabulary's text given (None: missing), for an archive that
    is not on disk — ``./dev diff`` reads a past commit's files from git (:mod:`.diff`)."""
    vocab, vocab_problems = load_vocabulary(vocab_text, vocab_name)
    reports, problems = load_reports(sources, vocab, list(translations), publication=publication, cache=cache)
    index = build_index(reports)
    previous = previous_reports(index)
    by_path = {report.path: report for report in reports}
    for jump in check_jumps(index, vocab, previous, jump_factor, publication):
        by_path[jump.path].problems.append(jump)
        problems.append(jump)
    problems = sorted((in_docs(p, prefix) for p in problems), key=lambda p: (p.path, p.line))
    for report in reports:
        report.problems[:] = [in_docs(p, prefix) for p in report.problems]
    return Loaded(vocab, vocab_problems, reports, problems, index, previous)


def docs_prefix(config_file: str, docs_dir: str) -> str:
    """The docs folder as a contributor sees it from the repository's root (``docs/``): where
    every problem path starts, taken from the configuration, never a literal."""
    root = os.path.dirname(os.path.abspath(config_file))
    return os.path.relpath(os.path.abspath(docs_dir), root).replace(os.sep, "/").rstrip("/") + "/"


def in_docs(problem: Problem, prefix: str = "docs/") -> Problem:
    """Paths as a contributor sees them in the repository: docs/reports/…"""
    return Problem(f"{prefix}{problem.path}", problem.line, problem.code, problem.args)
