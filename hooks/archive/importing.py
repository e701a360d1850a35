"""``./dev import FILE``: a report drafted from a .txt or .docx file, to check and fill in.

The file is read as untrusted input, within limits, and never followed through a link:
at most ``MAX_TXT`` bytes for a .txt (its encoding told or refused: :mod:`.textfile`),
``MAX_DOCX`` for a .docx (a zip bomb refused before unpacking: :mod:`.docxfile`), at most
``MAX_MASKS`` masked runs (``**``). Its text becomes the report's body
(:mod:`.conversion`): headings, paragraphs, the addressee, and each masked figure a quote of a
metric whose value is left empty to fill in. The front matter is written by the same code as
``./dev new`` (:func:`.scaffold.render_draft`), plus ``source`` (the file's name, SHA-256 and
encoding), which stays in the repository: a report's page shows nothing of it.

What could not be decided is printed with its line in the imported file (a .docx's paragraph):
masked names, figures whose metric is unclear (``figure_01``…), tables, pictures.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import stat
from collections.abc import Sequence

from .conversion import SourceLine, clean, convert, count_masks
from .docxfile import Refusal, read_docx
from .formatting import conventions, unit_name
from .problems import MESSAGE_LANGUAGES, Problem
from .scaffold import (Draft, Entry, Setup, default_title, metric_note, parse, refuse,
                       render_draft, shown, template_entries, text, write)
from .textfile import Decoded, decode_text

MAX_TXT = 2 * 1024 * 1024
MAX_DOCX = 20 * 1024 * 1024
MAX_MASKS = 300        # a report has a few dozen figures; the front matter holds about 300 at most
KINDS = (".txt", ".docx")

TEXT = {
    "zh": {
        "where_txt": "第{line}行", "where_docx": "第{line}段", "quoted": "{where}「{text}」", "then": "；",
        "undecided_note": "未定", "written_unit": "原文单位 {unit}", "not_found": "原文中没有找到",
        "candidates": "（候选：{keys}）",
        "encoding": "编码：{encoding}", "docx": "Word 文档：下面的「行号」是段落的序号",
        "undecided": "需要核对的地方（{count} 处）：",
        "summary": "数字：{matched} 处对应到了指标，{unmatched} 处暂记为 figure_…；另有 {names} 处 ** 遮盖的是名称",
        "no_extension": "没有扩展名的",
    },
    "en": {
        "where_txt": "line {line}", "where_docx": "paragraph {line}", "quoted": "{where}: '{text}'", "then": "; ",
        "undecided_note": "undecided", "written_unit": "written in {unit}", "not_found": "not found in the original",
        "candidates": " (candidates: {keys})",
        "encoding": "encoding: {encoding}", "docx": "Word document: the line numbers below count its paragraphs",
        "undecided": "to check ({count}):",
        "summary": "figures: {matched} matched to metrics, {unmatched} written figure_… for now; {names} ** mask names",
        "no_extension": "extensionless",
    },
}


def words(lang: str, name: str, **args: object) -> str:
    return TEXT[lang][name].format(**args)  # lang: the messages' language, checked by settings.load_settings


def read_source(path: str) -> tuple[list[SourceLine], dict[str, str]] | Problem:
    """The file's lines and its provenance (file, sha256, encoding), or the problem that refuses it."""
    def refused(code: str, **args: object) -> Problem:
        return Problem(path, 0, code, args)

    try:
        info = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return refused("import_not_found")
    except OSError:
        return refused("import_not_file")
    if stat.S_ISLNK(info.st_mode):
        return refused("import_symlink")
    if not stat.S_ISREG(info.st_mode):
        return refused("import_not_file")
    extension = os.path.splitext(path)[1].lower()
    if extension not in KINDS:
        return refused("import_type", ext={"zh": f" {extension} " if extension else words("zh", "no_extension"),
                                           "en": extension or words("en", "no_extension")})
    limit = MAX_TXT if extension == ".txt" else MAX_DOCX
    if info.st_size > limit:
        return refused("import_too_large", size=info.st_size, limit=limit)
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(handle, "rb") as stream:
            data = stream.read(limit + 1)
    except OSError:
        return refused("import_not_file")
    if len(data) > limit:   # grew since it was measured
        return refused("import_too_large", size=len(data), limit=limit)
    provenance = {"file": os.path.basename(path), "sha256": hashlib.sha256(data).hexdigest()}
    if extension == ".docx":
        found = read_docx(data)
        if isinstance(found, Refusal):
            return refused(found.code, **found.args)
        return found, provenance
    decoded = decode_text(data)
    if not isinstance(decoded, Decoded):
        return refused(decoded)
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    lines = [SourceLine(line, number) for number, line in enumerate(text.split("\n"), start=1)]
    return lines, {**provenance, "encoding": decoded.encoding}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="import", description="Turn a .txt or .docx work report into a report "
                                     "file: headings, paragraphs, and each masked figure (**) a metric to fill in.")
    parser.add_argument("file", help="the .txt or .docx file to import")
    parsed = parse(parser, argv)
    if isinstance(parsed, int):
        return parsed
    args, setup = parsed
    lang = setup.lang
    found = read_source(args.file)
    if isinstance(found, Problem):
        return refuse([found], lang)
    lines, provenance = found
    if not any(clean(line.text) or line.rows for line in lines):
        return refuse([Problem(args.file, 0, "import_empty")], lang)
    masks = count_masks([line.text for line in lines] + [cell for line in lines for row in line.rows or () for cell in row])
    if masks > MAX_MASKS:
        return refuse([Problem(args.file, 0, "import_too_many_figures", {"count": masks, "limit": MAX_MASKS})], lang)
    text_lang = setup.config.default_lang
    converted = convert(lines, setup.vocab, setup.template, text_lang)
    title = converted.title or default_title(setup.vocab, setup.unit, setup.year, text_lang)
    docx = "encoding" not in provenance
    draft = Draft(title=title, year=setup.year, unit=setup.unit, template=setup.template, date=setup.date,
                  recipient=converted.recipient or "", metrics=tuple(_entries(setup, converted.figures, docx)),
                  source=provenance, body=converted.body)
    failed = write(setup, render_draft(draft, setup.vocab, lang))
    if failed is not None:
        return failed
    undecided = sorted([Problem(args.file, item.line, item.code,
                                {**item.args, "title": title} if item.code == "import_title" else item.args)
                        for item in converted.undecided] + _undecided_figures(args.file, converted.figures, setup),
                       key=lambda problem: problem.line)
    print(words(lang, "docx") if docx else words(lang, "encoding", encoding=provenance["encoding"]))
    if undecided:
        print(words(lang, "undecided", count=len(undecided)))
        for problem in undecided:
            print(shown(problem, lang))
    matched = sum(1 for figure in converted.figures if figure.key in setup.vocab.metrics)
    print(text(lang, "written", path=setup.shown))
    print(words(lang, "summary", matched=matched, unmatched=len(converted.figures) - matched, names=converted.masked_names))
    print(text(lang, "next", path=setup.shown))
    return 0


def _entries(setup: Setup, figures, docx: bool) -> list[Entry]:
    """Under metrics: each figure's metric in the text's order, then the template's other metrics."""
    lang, vocab = setup.lang, setup.vocab
    entries = []
    for figure in figures:
        where = words(lang, "quoted", where=words(lang, "where_docx" if docx else "where_txt", line=figure.line),
                      text=figure.context)
        definition = vocab.metrics.get(figure.key)
        if definition is None:
            note = (f"{words(lang, 'undecided_note')} · {where}{words(lang, 'then')}"
                    + words(lang, "written_unit", unit=unit_name(figure.unit, lang)))
        else:
            note = f"{metric_note(vocab, figure.key, lang)} · {where}"
            if figure.unit != definition.unit:
                note += words(lang, "then") + words(lang, "written_unit", unit=unit_name(figure.unit, lang))
        entries.append(Entry(figure.key, note))
    quoted = [figure.key for figure in figures]
    for entry in template_entries(vocab, setup.template, lang, given=quoted):
        entries.append(entry if entry.optional else Entry(entry.key, f"{entry.note} · {words(lang, 'not_found')}"))
    return entries


def _undecided_figures(path: str, figures, setup: Setup) -> list[Problem]:
    """The figures written figure_01… for now, each with the metrics that fitted equally well."""
    out = []
    for figure in figures:
        if figure.key in setup.vocab.metrics:
            continue
        candidates = {lang: words(lang, "candidates", keys=conventions(lang).list_separator.join(figure.candidates))
                      if figure.candidates else "" for lang in MESSAGE_LANGUAGES}
        out.append(Problem(path, figure.line, "import_figure", {
            "context": figure.context, "unit": {lang: unit_name(figure.unit, lang) for lang in MESSAGE_LANGUAGES},
            "key": figure.key, "candidates": candidates}))
    return out
