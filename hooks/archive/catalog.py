"""From report files to checked reports: the one place that parses report sources."""
from __future__ import annotations

from collections.abc import Iterable

from .frontmatter import split
from .problems import Problem
from .report import Report
from .validation import check_report, check_translation
from .vocabulary import Vocabulary


def translation_of(path: str, languages: Iterable[str]) -> tuple[str, str] | None:
    """(language, original path) when ``path`` is a translation such as ``x.en.md``."""
    stem = path.removesuffix(".md")
    for lang in languages:
        if stem.endswith("." + lang):
            return lang, stem.removesuffix("." + lang) + ".md"
    return None


def decode(path: str, data: bytes | str) -> tuple[str | None, list[Problem]]:
    """The text of a file, or the problem that it is not UTF-8."""
    if isinstance(data, str):
        return data, []
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return None, [Problem(path, 1, "not_utf8")]


def load_reports(sources: Iterable[tuple[str, bytes | str]], vocab: Vocabulary,
                 translations: Iterable[str] = ("en",)) -> tuple[list[Report], list[Problem]]:
    """Check every report and translation; return the reports and every problem, in path order."""
    languages = tuple(translations)
    originals: dict[str, Report] = {}
    pending = []
    unreadable: list[Problem] = []
    for path, data in sorted(sources):
        text, problems = decode(path, data)
        if text is None:
            unreadable += problems
            continue
        found = translation_of(path, languages)
        if found:
            pending.append((path, text, *found))
        else:
            originals[path] = check_report(split(text, path), vocab)
    orphans: list[Problem] = []
    for path, text, lang, original in pending:
        problems = check_translation(split(text, path), lang, originals.get(original), original, vocab)
        if original not in originals:
            orphans.extend(problems)
    for report in originals.values():
        report.problems.sort(key=lambda p: (p.path, p.line))
    reports = sorted(originals.values(), key=lambda report: report.sort_key, reverse=True)
    problems = sorted([p for report in originals.values() for p in report.problems] + orphans + unreadable,
                      key=lambda p: (p.path, p.line))
    return reports, problems
