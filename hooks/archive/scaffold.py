"""``./dev new``: a report file to fill in, which ``./dev check`` refuses until it is filled.

A contributor starts from the right place (``reports/<year>/<slug>.md``) with the right
keys: the unit and template resolved in the vocabulary, and under ``metrics`` every metric the
template requires, each left empty with a comment giving its label and unit. Everything still
to write is empty rather than invented — ``date``, ``topics``, each figure — so the check lists
exactly what is left, one line each, and nothing placeholder-like can be published by mistake:
the body is an HTML comment saying what to write (the page's allowlist drops comments).

The front matter writer (:func:`render_draft`) and the command line's common part
(:func:`prepare`) are shared with ``./dev import`` (:mod:`.importing`), which fills the same
kind of draft from a .txt or .docx file.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date as Date

from .check import REPORTS, Config, config_or_status
from .formatting import conventions, unit_name
from .frontmatter import MAX_CHARACTERS
from .loading import read_vocabulary
from .problems import Problem
from .validation import EXAMPLES, LOCATION
from .vocabulary import Vocabulary, load_vocabulary

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: terms listed in a message or a comment before "…"
LISTED = 20

#: what the commands print and write into the file, in the configured language (messages: zh|en)
TEXT = {
    "zh": {
        "title": "{unit}{year}年度工作汇报",
        "date": "印发日期，写成 YYYY-MM-DD，例如 {example}",
        "recipient": "报送对象（选填）：有就去掉行首的 # 并改写，没有就删去这一行",
        "topics": "一项或多项，例如 [{example}]；可用：{choices}",
        "metrics": "每项只写数字，不带单位、不加逗号（见投稿指南第四部分）",
        "optional": "以下是选填指标：有这个数字时，去掉行首的 # 再填写",
        "label": "{label}（{unit}）",
        "body": ("正文写在这里。这段说明不会发布，写好正文后删去它。\n"
                 "第一行写报送对象，例如「区委组织部：」。\n"
                 "标题写成 ## 一、……　### （一）……　#### 1.……\n"
                 "{example}"),
        "example": "指标数字不直接写，写成引用，页面上显示为带单位的数字，例如：{label}{{{{ {key} }}}}。\n",
        "written": "已写入 {path}",
        "todo": "还要填写：{fields}；./dev check 会逐行列出",
        "todo_metrics": "{count} 项指标",
        "next": "下一步：./dev check {path}",
    },
    "en": {
        "title": "{unit} work report for {year}",
        "date": "date of issue, written YYYY-MM-DD, for example {example}",
        "recipient": "addressee (optional): remove the # and correct it, or delete this line",
        "topics": "one or more, for example [{example}]; registered: {choices}",
        "metrics": "give each figure as a plain number, without unit or separators (contributor guide, part 4)",
        "optional": "optional metrics: to give one, remove the # and fill it in",
        "label": "{label} ({unit})",
        "body": ("Write the report's text here. This note is not published: delete it when the text is written.\n"
                 "The first line names the addressee, such as 区委组织部：\n"
                 "Headings: ## 一、…  ### （一）…  #### 1.…\n"
                 "{example}"),
        "example": "Figures are not typed but quoted, and the page shows them with their unit, for example: {label}{{{{ {key} }}}}.\n",
        "written": "written {path}",
        "todo": "still to fill in: {fields}; ./dev check lists each on its line",
        "todo_metrics": "metrics ({count})",
        "next": "next: ./dev check {path}",
    },
}


def text(lang: str, name: str, **args: object) -> str:
    """One of the commands' own words (``TEXT``) in the messages' language."""
    return TEXT[lang][name].format(**args)  # lang: the messages' language, checked by settings.load_settings


# ---- the draft and its front matter ----------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """One line under ``metrics``: the key, left empty, and the comment that says what to write."""

    key: str
    note: str
    optional: bool = False   # written commented out, for the contributor to take or leave


@dataclass(frozen=True)
class Draft:
    """A report to be written: what the front matter says, and the body below it."""

    title: str
    year: int
    unit: str                 # vocabulary keys
    template: str
    date: str = ""            # YYYY-MM-DD, or empty for the contributor to fill in
    recipient: str = ""       # empty: a commented line offers the field
    metrics: tuple[Entry, ...] = ()
    source: dict[str, str] = field(default_factory=dict)   # ./dev import: file, sha256, encoding
    body: str = ""


_PLAIN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff][^#:'\"{}\[\],&*!|>%@`\\\s]*")


def scalar(value: str) -> str:
    """A YAML value that reads back as this text: plain for ordinary Chinese text, else double-quoted.

    The allowlist is narrow on purpose (a Chinese character first, no YAML punctuation): a
    title such as ``2022`` or ``yes`` would otherwise read as a number or a boolean.
    """
    return value if _PLAIN.fullmatch(value) else json.dumps(value, ensure_ascii=False)


def one_line(value: str) -> str:
    """Text for one line of YAML (a title, a comment): control and line-separator characters as spaces."""
    return "".join(" " if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F or char in "\u2028\u2029\u0085" else char
                   for char in value).strip()


def metric_note(vocab: Vocabulary, key: str, lang: str) -> str:
    """``税收收入（元）``: a metric's label and unit, in the messages' language."""
    definition = vocab.metrics[key]
    return text(lang, "label", label=definition.label(lang), unit=unit_name(definition.unit, lang))


def template_entries(vocab: Vocabulary, template: str, lang: str, given: Sequence[str] = ()) -> list[Entry]:
    """The template's required metrics not in ``given`` (to fill in), then its optional ones (commented)."""
    chosen = vocab.templates[template]
    return ([Entry(key, metric_note(vocab, key, lang)) for key in chosen.required if key not in given]
            + [Entry(key, metric_note(vocab, key, lang), optional=True) for key in chosen.optional if key not in given])


def render_draft(draft: Draft, vocab: Vocabulary, lang: str) -> str:
    """The report file: front matter, then the body. Comments are dropped first, then the optional
    metrics, if the front matter would pass the limit the check enforces (frontmatter.MAX_CHARACTERS)."""
    for notes, optional in ((True, True), (False, True), (False, False)):
        head = _front_matter(draft, vocab, lang, notes, optional)
        if len(head) <= MAX_CHARACTERS:
            break
    return f"---\n{head}---\n\n{draft.body.strip()}\n"


def _front_matter(draft: Draft, vocab: Vocabulary, lang: str, notes: bool, optional: bool) -> str:
    def line(key: str, value: str, note: str = "", width: int = 10) -> str:
        written = f"{key}: {value}" if value else f"{key}:"
        return f"{written.ljust(width)}  # {one_line(note)}\n" if note and notes else f"{written}\n"

    topics = list(vocab.topics.values())
    choices = conventions(lang).list_separator.join(f"{term.key} {term.label(lang)}" for term in topics[:LISTED])
    out = [line("title", scalar(one_line(draft.title))),
           line("date", draft.date, "" if draft.date else text(lang, "date", example=EXAMPLES["date"])),
           line("year", str(draft.year)),
           line("unit", draft.unit, vocab.units[draft.unit].label(lang))]
    if draft.recipient:
        out.append(line("recipient", scalar(one_line(draft.recipient))))
    elif notes:
        out.append(f"# recipient: {EXAMPLES['recipient']}  # {text(lang, 'recipient')}\n")
    out.append(line("topics", "", text(lang, "topics", example=", ".join(term.key for term in topics[:2]),
                                       choices=choices + ("…" if len(topics) > LISTED else ""))))
    out.append(line("template", draft.template, vocab.templates[draft.template].label(lang)))
    if draft.source:
        pairs = ", ".join(f"{key}: {json.dumps(one_line(value), ensure_ascii=False)}" for key, value in draft.source.items())
        out.append(f"source: {{{pairs}}}\n")
    out.append(line("metrics", "", text(lang, "metrics")))
    width = 2 + max((len(entry.key) + 1 for entry in draft.metrics), default=0)
    taken = [entry for entry in draft.metrics if not entry.optional]
    offered = [entry for entry in draft.metrics if entry.optional] if optional and notes else []
    out += ["  " + line(entry.key, "", entry.note, width) for entry in taken]
    if offered:
        out.append(f"  # {text(lang, 'optional')}\n")
        out += [f"  # {line(entry.key, '', entry.note, width - 2)}" for entry in offered]
    return "".join(out)


# ---- the command line shared with ./dev import ------------------------------------------------

@dataclass(frozen=True)
class Setup:
    """What a new report needs, checked: the configuration, the vocabulary and where the file goes."""

    config: Config
    vocab: Vocabulary
    unit: str
    template: str
    year: int
    date: str
    path: str          # absolute
    shown: str         # as a contributor sees it from the repository: docs/reports/2024/tax-bureau-2024.md

    @property
    def lang(self) -> str:
        return self.config.settings.messages


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--unit", required=True, help="the reporting unit: its key or Chinese label")
    parser.add_argument("--year", required=True, help="the year the report reviews")
    parser.add_argument("--template", required=True, help="the report type: its key or Chinese label")
    parser.add_argument("--slug", help="the file name without .md (default: <unit>-<year>, as the sample's)")
    parser.add_argument("--date", help="the date of issue, YYYY-MM-DD (default: left empty to fill in)")
    parser.add_argument("-f", "--config-file", default=None,
                        help="the configuration (default: mkdocs.yml in the current folder or the nearest above it)")


def parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> tuple[argparse.Namespace, Setup] | int:
    """The arguments (the shared ones added here) and what they name, resolved and checked; or the
    exit status, with what is wrong printed (argparse's 2 on a usage error, 0 for --help) without
    leaving: ``new`` and ``import`` start the same way."""
    add_arguments(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 2
    setup = prepare(args)
    return setup if isinstance(setup, int) else (args, setup)


def prepare(args: argparse.Namespace) -> Setup | int:
    """Resolve and check the shared options; print what is wrong and return the exit status if anything is."""
    config = config_or_status(args.config_file)
    if isinstance(config, int):
        return config
    lang = config.settings.messages
    vocab_name = config.settings.vocabulary
    vocab, broken = load_vocabulary(read_vocabulary(os.path.join(config.docs_dir, vocab_name)), config.prefix + vocab_name)
    if broken:
        return refuse(broken + [Problem(config.prefix + vocab_name, 1, "new_vocabulary")], lang)
    problems = []
    unit = _term(vocab, "units", "unit", args.unit, problems)
    template = _term(vocab, "templates", "template", args.template, problems)
    year = int(args.year) if re.fullmatch(r"\d{4}", args.year.strip()) else None
    if year is None or not 1900 <= year <= 2200:
        problems.append(_argument("new_bad_year", value=args.year))
    issued = (args.date or "").strip()
    if issued:
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", issued):
                raise ValueError(issued)
            Date.fromisoformat(issued)
        except ValueError:
            problems.append(_argument("new_bad_date", value=args.date))
    slug = args.slug if args.slug is not None else (f"{unit}-{year}" if unit and year else "")
    example = f"{unit or next(iter(vocab.units), 'unit')}-{year or Date.today().year}-2"
    if args.slug is not None and not SLUG.fullmatch(args.slug):
        problems.append(_argument("new_bad_slug", value=args.slug, example=example))
    if problems:
        return refuse(problems, lang)
    relative = f"{REPORTS}{year}/{slug}.md"
    assert LOCATION.match(relative), relative   # the place the check expects a report of that year
    setup = Setup(config, vocab, unit, template, year, issued, os.path.join(config.docs_dir, *relative.split("/")),
                  config.prefix + relative)
    if os.path.lexists(setup.path):
        return refuse([Problem(setup.shown, 1, "new_exists", {"path": setup.shown, "example": example})], lang)
    if not _inside(config.docs_dir, os.path.dirname(setup.path)):
        return refuse([_argument("new_outside", path=setup.shown)], lang)
    return setup


def _term(vocab: Vocabulary, section: str, option: str, value: str, problems: list[Problem]) -> str | None:
    key = vocab.resolve(section, value)
    if key is None:
        terms = list(vocab.section(section).values())
        choices = ", ".join(f"{term.key}（{term.zh}）" for term in terms[:LISTED]) + ("…" if len(terms) > LISTED else "")
        problems.append(_argument("new_unknown_term", option=option, value=value, kind=section,
                                  suggestion=vocab.nearest(section, value), choices=choices))
    return key


def _argument(code: str, **args: object) -> Problem:
    """A problem with the command line itself: no file and line to point at."""
    return Problem("", 0, code, args)


def shown(problem: Problem, lang: str) -> str:
    """``path:line: what — fix``; ``path: what — fix`` for a whole file (line 0), ``what — fix`` for the command line."""
    if problem.path and problem.line:
        return problem.format(lang)
    where = f"{problem.path}: " if problem.path else ""
    return f"{where}{problem.what(lang)} — {problem.fix(lang)}"


def refuse(problems: list[Problem], lang: str) -> int:
    """Print each problem on standard error; the exit status of a refusal, 1."""
    for problem in problems:
        print(shown(problem, lang), file=sys.stderr)
    return 1


def _inside(docs_dir: str, folder: str) -> bool:
    """True when no folder between the docs folder and ``folder`` is a symbolic link (or a file)."""
    top, current = os.path.abspath(docs_dir), os.path.abspath(folder)
    while current != top:
        if os.path.islink(current) or (os.path.lexists(current) and not os.path.isdir(current)):
            return False
        parent = os.path.dirname(current)
        if parent == current:
            return False
        current = parent
    return True


def write(setup: Setup, content: str) -> int | None:
    """Write the new file, never over another one; the exit status when it could not be written."""
    try:
        os.makedirs(os.path.dirname(setup.path), exist_ok=True)
        with open(setup.path, "x", encoding="utf-8", newline="\n") as handle:   # "x": refuses an existing path
            handle.write(content)
    except FileExistsError:
        return refuse([Problem(setup.shown, 1, "new_exists", {"path": setup.shown, "example": f"{setup.unit}-{setup.year}-2"})],
                      setup.lang)
    except OSError as error:
        print(f"{setup.shown}: {error.strerror}", file=sys.stderr)
        return 1
    return None


def body_note(vocab: Vocabulary, template: str, lang: str, text_lang: str) -> str:
    """The new report's body: an HTML comment (never published) saying what to write and how to quote a
    figure, in the messages' language, its example sentence in the report's (``text_lang``)."""
    required = vocab.templates[template].required
    example = ""
    if required:
        key = required[0]
        example = text(lang, "example", label=vocab.metrics[key].label(text_lang), key=key)
    return "<!--\n" + text(lang, "body", example=example) + "-->"


def default_title(vocab: Vocabulary, unit: str, year: int, lang: str) -> str:
    """``区税务局2024年度工作汇报``: in the language of the report's text (the site's default language)."""
    return text(lang, "title", unit=vocab.units[unit].label(lang), year=year)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="new", description="Write a new report to fill in: "
                                     "the front matter with every metric its template requires, left empty.")
    parsed = parse(parser, argv)
    if isinstance(parsed, int):
        return parsed
    _, setup = parsed
    lang, vocab = setup.lang, setup.vocab
    entries = template_entries(vocab, setup.template, lang)
    draft = Draft(title=default_title(vocab, setup.unit, setup.year, setup.config.default_lang), year=setup.year,
                  unit=setup.unit, template=setup.template, date=setup.date, metrics=tuple(entries),
                  body=body_note(vocab, setup.template, lang, setup.config.default_lang))
    failed = write(setup, render_draft(draft, vocab, lang))
    if failed is not None:
        return failed
    required = sum(1 for entry in entries if not entry.optional)
    todo = ([] if setup.date else ["date"]) + ["topics"] + ([text(lang, "todo_metrics", count=required)] if required else [])
    print(text(lang, "written", path=setup.shown))
    print(text(lang, "todo", fields=conventions(lang).list_separator.join(todo)))
    print(text(lang, "next", path=setup.shown))
    return 0
