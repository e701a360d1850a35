"""From report files to checked reports: the one place that parses report sources.

Only the files that become reports, and their translations, are published from
``reports/`` (see :func:`published`): a file that cannot be read, an ``index.md`` (which
would take the folder's own page) and a translation without a readable original carry a
problem instead — in ``serve`` and non-strict builds on the home page's notice.
"""
from __future__ import annotations

import codecs
from collections.abc import Iterable
from datetime import date as Date
from typing import TYPE_CHECKING

from .figures import Publication, check_duplicates
from .frontmatter import split
from .problems import Problem
from .report import Report
from .validation import check_report, check_translation
from .vocabulary import Vocabulary

if TYPE_CHECKING:
    from .preview import CheckCache

#: file names MkDocs publishes as the folder's own page (reports/2023/index.md → reports/2023/)
FOLDER_PAGES = ("index", "readme")


def translation_of(path: str, languages: Iterable[str]) -> tuple[str, str] | None:
    """(language, original path) when ``path`` is a translation such as ``x.en.md``."""
    stem = path.removesuffix(".md")
    for lang in languages:
        if stem.endswith("." + lang):
            return lang, stem.removesuffix("." + lang) + ".md"
    return None


def decode(path: str, data: bytes | str) -> tuple[str | None, list[Problem]]:
    """The text of a file, or the problem that it is not UTF-8, saying what it looks like.

    Offices' editors save Chinese text as GBK/GB18030 (Windows' default) or UTF-16 (some
    "Unicode" options); naming the encoding tells the contributor what to change. A UTF-8
    file with a few stray bytes is pointed at the line of the first one instead.
    """
    if isinstance(data, str):
        return data, []
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        first_bad = error.start
    looks = _looks_like(data)
    if looks == "looks_unknown" and _mostly_utf8(data):
        line = 1 + data.count(b"\n", 0, first_bad)
        return None, [Problem(path, line, "not_utf8_bytes")]
    return None, [Problem(path, 1, "not_utf8", {"looks": looks})]


def _looks_like(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "looks_utf16"
    sample = data[:4096]
    if len(sample) >= 4 and sample.count(0) * 4 >= len(sample):  # every other byte 0: ASCII in UTF-16
        return "looks_utf16"
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return "looks_unknown"
    chinese = sum("\u4e00" <= character <= "\u9fff" for character in text)
    return "looks_gb18030" if chinese and 0 not in data else "looks_unknown"


def _mostly_utf8(data: bytes) -> bool:
    """True when the bytes hold valid multi-byte UTF-8 characters: a UTF-8 file with stray bytes."""
    text = data.decode("utf-8", errors="replace")
    return any(ord(character) > 0x7F and character != "\ufffd" for character in text)


def _folder_page(path: str, languages: Iterable[str]) -> bool:
    found = translation_of(path, languages)
    stem = (found[1] if found else path).rsplit("/", 1)[-1].removesuffix(".md")
    return stem.lower() in FOLDER_PAGES


def load_reports(sources: Iterable[tuple[str, bytes | str]], vocab: Vocabulary,
                 translations: Iterable[str] = ("en",), today: Date | None = None,
                 publication: Publication = Publication(),
                 cache: CheckCache | None = None) -> tuple[list[Report], list[Problem]]:
    """Check every report and translation; return the reports and every problem, in path order.

    ``today`` is the build date (reports dated after it are flagged); in a public build
    (``publication``) a problem quoting a confidential figure shows it as ``**``. ``cache``
    hands back the report of a file checked before with the same text (archive.preview).
    """
    languages = tuple(translations)
    originals: dict[str, Report] = {}
    not_reports: set[str] = set()   # files that are no report: their translations are not orphans
    pending = []
    unreadable: list[Problem] = []
    for path, data in sorted(sources):
        if _folder_page(path, languages):
            unreadable.append(Problem(path, 1, "report_index", {"name": path.rsplit("/", 1)[-1]}))
            not_reports.add(path)
            continue
        text, problems = decode(path, data)
        found = translation_of(path, languages)
        if text is None:
            unreadable += problems
            not_reports.add(path)
        elif found:
            pending.append((path, text, *found))
        else:
            check = lambda path=path, text=text: check_report(split(text, path), vocab, today)  # noqa: E731
            originals[path] = cache.checked(path, text, vocab, today, check) if cache else check()
    orphans: list[Problem] = []
    for path, text, lang, original in pending:
        if original in not_reports:
            continue   # the original's own problem says what to fix; this file waits for it
        problems = check_translation(split(text, path), lang, originals.get(original), original, vocab)
        if original not in originals:
            orphans.extend(problems)
    reports = sorted(originals.values(), key=lambda report: report.sort_key, reverse=True)
    for problem in check_duplicates(reports, vocab):
        originals[problem.path].problems.append(problem)
    for report in originals.values():
        report.problems[:] = sorted((_public(problem, report, vocab, publication) for problem in report.problems),
                                    key=lambda p: (p.path, p.line))
    problems = sorted([p for report in originals.values() for p in report.problems] + orphans + unreadable,
                      key=lambda p: (p.path, p.line))
    return reports, problems


def _public(problem: Problem, report: Report, vocab: Vocabulary, publication: Publication) -> Problem:
    """A problem as a public build may print it: confidential figures masked."""
    if any(publication.masked(report, key, vocab) for key in problem.figure_keys()):
        return problem.masked()
    return problem


def published(reports: Iterable[Report]) -> set[str]:
    """The Markdown files under ``reports/`` that are published: each report and its translations."""
    return {path for report in reports for path in [report.path, *(t.path for t in report.translations.values())]}
