"""``./dev diff BASE``: what the working tree changes in the archive's data since BASE, as Markdown.

Reviewers of a pull request check official figures against the signed originals; the forge's
file diff shows YAML lines, not which figure of which report changed by how much. This
command reads both sides with the build's own rules (:func:`.loading.check_archive`, the
configured ``docs_dir``, vocabulary, languages and ``exclude_docs``) and lists:

* every figure changed, added or removed — report, metric (its label in the configured
  messages language), before → after with the metric's unit as the site writes it
  (:func:`.formatting.format_value`, 12.68亿元) followed by the exact figure when the site's
  text rounds it (so that 1,268,000,000元 → 1,268,400,000元 does not read 12.68亿元 → 12.68亿元),
  and the relative change (``+12.5%``, as a report's figures table shows it);
* reports added, removed and moved — a move is a report gone from one path and one at
  another path with the same content, or else with the same unit, year and report type (one
  report per unit, year and type: :mod:`.figures`); a moved report's edits are listed as well;
* front matter that matters: title, date, year, unit, topics, template, confidential;
* translations added or removed; whether the vocabulary changed and which of its terms — a
  metric relabelled or given another unit changes what every report's figure means without
  any report changing, so it is listed by term, not report by report.

**Which two sides.** BASE is any git revision (``origin/main``, a tag, a commit id). As a
forge's pull request diff does, the comparison starts from the *merge base* of BASE and
``HEAD`` — what the branch changed, not what BASE gained since the branch began — and ends at
the **working tree**, so that a contributor sees uncommitted edits too (in CI, the checkout is
the pull request's commit). The merge base needs the history: a shallow clone (CI's default
``fetch-depth: 1``) has none, and then BASE itself is compared, with a sentence saying so
(``fetch-depth: 0`` on GitHub, ``GIT_DEPTH: 0`` on GitLab). BASE's files are read from git's
objects, never checked out (:mod:`.gitrepo`); both sides use the working tree's configuration.

**Problems.** A report with problems is compared on whatever parsed (a field that failed its
check is left out); the output says how many problems each side has and points to
``./dev check``, which says what they are.

**Public configuration.** With ``extra.archive.public: true`` (``-f mkdocs.public.yml``) a
figure the public build masks (:class:`.figures.Publication`) shows as ``**元``, never its value,
and without a relative change (which would give it away).

**Interface** (for CI jobs): ``python hooks/dev.py diff BASE [-f CONFIG] [--output FILE]
[--max-rows N]`` writes the Markdown to standard output, or replaces FILE with it; nothing
is written anywhere else — a job appends it to its summary itself, ``./dev diff origin/main >>
"$GITHUB_STEP_SUMMARY"`` (the variable is not read here: the same command run twice, or
locally where the variable is set, would write the summary twice), or posts FILE as a
comment. Each table lists at most ``--max-rows`` rows (200; 0 for all) and says how many it
left out: a forge's comment holds 65,536 characters, a job summary 1 MiB. Exit status 0
(with or without changes), 2 when BASE names no commit, the folder is not a git repository,
git is missing or the configuration is unusable (a message on standard error).

**Untrusted text.** Titles, paths, reasons and vocabulary labels come from the pull request,
and the forge renders the summary: :func:`cell` escapes every character that could make
markup, a link, an image, HTML or a mention (tested by rendering with cmark-gfm, the
forge's Markdown renderer).
"""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields

import pathspec.gitignore

from . import gitrepo
from .check import REPORTS, Config, config_or_status, docs_files
from .figures import Publication, change, format_change
from .formatting import Number, conventions, format_exact, format_plain, format_value
from .loading import Loaded, check_archive, read_vocabulary
from .mdtext import ABSENT, cell
from .preview import CheckCache
from .render import masked_text
from .report import Report
from .sources import refused_file
from .vocabulary import SECTIONS, MetricDef, Vocabulary

#: rows per table by default: a forge's comment holds 65,536 characters
MAX_ROWS = 200
#: the front matter fields whose change a reviewer of the data must see
FIELDS = ("title", "date", "year", "unit", "topics", "template", "confidential")

#: every word of the output, per messages language
WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "heading": "## 档案数据的变更",
        "against": "对比：{base}（与 HEAD 的合并基础 {commit}，与拉取请求的比较方式相同）→ 工作区（包括未提交的修改）。",
        "against_direct": "对比：{base}（{commit}）→ 工作区（包括未提交的修改）。{why}",
        "no_merge_base": "没有找到它与 HEAD 的合并基础，直接与它比较：浅克隆没有完整历史，CI 中请用 fetch-depth: 0（GitLab：GIT_DEPTH: 0）。",
        "no_head": "HEAD 还没有提交，直接与它比较。",
        "counts": "报告：新增 {added} 篇，删除 {removed} 篇，移动 {moved} 篇，数据有修改 {changed} 篇；数字变更 {figures} 项",
        "counts_translations": "；译文：新增 {added} 篇，删除 {removed} 篇",
        "counts_vocabulary": "；词表有改动",
        "none": "档案数据没有变化。",
        "problems": "注意：{sides}；比较只包括能读出的数据 — 运行 `./dev check` 查看每个问题及改法。",
        "problems_side": "{side}的报告数据有 {count} 个问题",
        "side_before": "基准",
        "side_after": "工作区",
        "join": "，",
        "figures": "### 数字变更",
        "added": "### 新增的报告",
        "removed": "### 删除的报告",
        "moved": "### 移动的报告",
        "fields": "### 元数据变更",
        "translations": "### 译文",
        "vocabulary": "### 词表",
        "figure_columns": "报告|指标|变更前|变更后|变化",
        "listed_columns": "报告|标题|报送单位|年度|报告类型",
        "moved_columns": "原位置|新位置|标题|依据",
        "field_columns": "报告|字段|变更前|变更后",
        "vocab_columns": "类别|键名|变更",
        "same_content": "内容相同",
        "same_identity": "单位、年度和报告类型相同",
        "translations_added": "- 新增：{paths}",
        "translations_removed": "- 删除：{paths}",
        "vocab_changed": "{path} 有改动。",
        "vocab_unchanged_terms": "{path} 有改动，但没有词条变化。",
        "term_added": "新增（{label}）",
        "term_removed": "删除（{label}）",
        "term_field": "{field}：{before} → {after}",
        "term_join": "；",
        "units": "单位", "topics": "主题", "metrics": "指标", "templates": "报告类型", "recipients": "报送对象",
        "more": "……另有 {count} 行未列出（加 --max-rows 0 列出全部）。",
        "withheld": "不予公开：{reason}",
        "exact": "{site}（{exact}）",
        "not_repository": "{root} 不在 git 仓库中：./dev diff 比较的是仓库的历史 — 在仓库的文件夹中运行（git：{detail}）",
        "bad_revision": "「{base}」不是这个仓库中的提交、分支或标签 — 写一个存在的版本，例如 origin/main（远程分支先用 git fetch 取得）",
        "no_git": "无法运行 git（{detail}） — 安装 git 后再运行",
        "read_failed": "git 读取 {base} 的文件时出错（{detail}） — 确认仓库完整（git fsck），再运行",
        "outside": "docs 文件夹 {docs} 不在仓库 {root} 中 — 在 mkdocs.yml 中把 docs_dir 设为仓库中的文件夹",
    },
    "en": {
        "heading": "## Changes to the archive's data",
        "against": "Compared: {base} (its merge base with HEAD, {commit}, as a pull request is compared) → the working tree (uncommitted edits included).",
        "against_direct": "Compared: {base} ({commit}) → the working tree (uncommitted edits included). {why}",
        "no_merge_base": "It has no merge base with HEAD here, so it is compared directly: a shallow clone lacks the history — in CI use fetch-depth: 0 (GitLab: GIT_DEPTH: 0).",
        "no_head": "HEAD has no commit yet, so it is compared directly.",
        "counts": "Reports: {added} added, {removed} removed, {moved} moved, {changed} with changed data; {figures} figures changed",
        "counts_translations": "; translations: {added} added, {removed} removed",
        "counts_vocabulary": "; the vocabulary changed",
        "none": "No changes to the archive's data.",
        "problems": "Note: {sides}; only the data that could be read is compared — run `./dev check` for each problem and its fix.",
        "problems_side": "{side} has {count} problems in its data",
        "side_before": "the base",
        "side_after": "the working tree",
        "join": ", ",
        "figures": "### Figures changed",
        "added": "### Reports added",
        "removed": "### Reports removed",
        "moved": "### Reports moved",
        "fields": "### Front matter changed",
        "translations": "### Translations",
        "vocabulary": "### Vocabulary",
        "figure_columns": "report|metric|before|after|change",
        "listed_columns": "report|title|reporting unit|year|report type",
        "moved_columns": "from|to|title|matched by",
        "field_columns": "report|field|before|after",
        "vocab_columns": "section|key|change",
        "same_content": "same content",
        "same_identity": "same unit, year and report type",
        "translations_added": "- added: {paths}",
        "translations_removed": "- removed: {paths}",
        "vocab_changed": "{path} changed.",
        "vocab_unchanged_terms": "{path} changed, but none of its terms did.",
        "term_added": "added ({label})",
        "term_removed": "removed ({label})",
        "term_field": "{field}: {before} → {after}",
        "term_join": "; ",
        "units": "unit", "topics": "topic", "metrics": "metric", "templates": "report type", "recipients": "recipient",
        "more": "… and {count} more (--max-rows 0 lists every row).",
        "withheld": "withheld: {reason}",
        "exact": "{site} ({exact})",
        "not_repository": "{root} is not in a git repository: ./dev diff compares the repository's history — run it in the repository's folder (git: {detail})",
        "bad_revision": "'{base}' names no commit, branch or tag of this repository — give one that exists, such as origin/main (git fetch a remote branch first)",
        "no_git": "git cannot be run ({detail}) — install git and run this again",
        "read_failed": "git failed to read the files of {base} ({detail}) — check the repository (git fsck) and run this again",
        "outside": "the docs folder {docs} is not in the repository {root} — set docs_dir in mkdocs.yml to a folder of the repository",
    },
}


def word(name: str, lang: str, **args: object) -> str:
    text = WORDS[lang][name]  # lang: the messages' language, which settings.load_settings checked
    return text.format(**args) if args else text


# ---- the two sides --------------------------------------------------------------------------

@dataclass
class Side:
    """The archive as the build would read it from one tree: checked, with each file's content id."""

    loaded: Loaded
    blobs: dict[str, str]            # src_uri of each report file → git's id of its content
    vocab_text: str | None           # the vocabulary as read, None when there is none

    @property
    def problems(self) -> int:
        return len(self.loaded.vocab_problems) + len(self.loaded.problems)


def _is_report(src_uri: str, excluded: pathspec.gitignore.GitIgnoreSpec) -> bool:
    """A file the build reads as a report or translation: Markdown under reports/, not excluded."""
    return src_uri.startswith(REPORTS) and src_uri.endswith(".md") and not excluded.match_file(src_uri)


def _load(config: Config, sources: dict[str, bytes], text: str | None, cache: CheckCache | None) -> Side:
    """Check ``sources`` as the build does (the same function as the build and ``./dev check``).

    ``cache``: the reports of the side read first; a file with the same path and text (most of
    them, in a pull request) is not checked again while the vocabulary is the same.
    """
    settings = config.settings
    others = [lang for lang in config.languages if lang != config.default_lang]
    loaded = check_archive(text, f"{config.prefix}{settings.vocabulary}", sorted(sources.items()), others,
                           settings.jump_factor, Publication(settings.public), config.prefix, cache)
    return Side(loaded, {uri: gitrepo.blob_id(data) for uri, data in sources.items()}, text)


def working_tree(config: Config, cache: CheckCache | None = None) -> Side:
    """The docs folder as it is on disk: what ``./dev build`` would read now (no link followed)."""
    excluded = pathspec.gitignore.GitIgnoreSpec.from_lines(config.exclude)
    sources = {}
    for src_uri in docs_files(config.docs_dir):
        if _is_report(src_uri, excluded) and refused_file(config.docs_dir, src_uri) is None:
            try:
                with open(os.path.join(config.docs_dir, src_uri), "rb") as handle:
                    sources[src_uri] = handle.read()
            except OSError:
                continue  # gone since listed
    try:   # None for a link or a missing file, as the build reads it
        vocab = read_vocabulary(os.path.join(config.docs_dir, config.settings.vocabulary))
    except (OSError, UnicodeDecodeError):
        vocab = ""   # unreadable: read as empty, its missing sections counted as problems
    return _load(config, sources, vocab, cache)


def committed(config: Config, root: str, revision: str, cache: CheckCache | None = None) -> Side:
    """The docs folder of commit ``revision`` of the repository at ``root``, read from git's objects."""
    docs = os.path.relpath(os.path.realpath(config.docs_dir), os.path.realpath(root)).replace(os.sep, "/")
    if docs == ".." or docs.startswith("../"):
        raise gitrepo.GitError("outside")
    base = "" if docs == "." else docs + "/"
    excluded = pathspec.gitignore.GitIgnoreSpec.from_lines(config.exclude)
    vocab_path = base + config.settings.vocabulary
    paths: dict[str, list[str]] = {}   # blob id → the paths with that content, each read once
    for blob in gitrepo.tree(root, revision, [base + REPORTS.rstrip("/"), vocab_path]):
        if blob.path == vocab_path or _is_report(blob.path[len(base):], excluded):
            paths.setdefault(blob.sha, []).append(blob.path)
    sources: dict[str, bytes] = {}
    vocab = None
    for sha, data in gitrepo.read_blobs(root, list(paths)):
        for path in paths[sha]:
            if path == vocab_path:
                vocab = data
            else:
                sources[path[len(base):]] = data
    return _load(config, sources, None if vocab is None else _text(vocab), cache)


def _text(data: bytes) -> str:
    """A file's text as Python's text mode reads it on disk (:func:`.loading.read_vocabulary`)."""
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        return ""


# ---- the comparison -------------------------------------------------------------------------

@dataclass(frozen=True)
class Listed:
    """A report added or removed."""

    path: str
    title: str
    unit: str
    year: str
    template: str


@dataclass(frozen=True)
class Move:
    before: str
    after: str
    title: str
    reason: str


@dataclass(frozen=True)
class FigureRow:
    report: str
    metric: str
    before: str
    after: str
    change: str


@dataclass(frozen=True)
class FieldRow:
    report: str
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class TermRow:
    section: str
    key: str
    change: str


@dataclass
class Changes:
    """What changed in the archive's data, every value already written for the reader."""

    added: list[Listed] = field(default_factory=list)
    removed: list[Listed] = field(default_factory=list)
    moved: list[Move] = field(default_factory=list)
    figures: list[FigureRow] = field(default_factory=list)
    fields: list[FieldRow] = field(default_factory=list)
    translations_added: list[str] = field(default_factory=list)
    translations_removed: list[str] = field(default_factory=list)
    vocabulary: list[TermRow] = field(default_factory=list)
    vocabulary_changed: bool = False
    vocabulary_path: str = ""             # as a contributor sees it: docs/vocabulary.yml
    changed: int = 0                      # reports on both sides whose figures or front matter changed
    problems: tuple[int, int] = (0, 0)    # problems on the base side, on the working tree's

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.moved or self.figures or self.fields
                    or self.translations_added or self.translations_removed or self.vocabulary_changed)


@dataclass(frozen=True)
class _View:
    """How one side's values read: its vocabulary, in the messages language, public or not."""

    vocab: Vocabulary
    lang: str
    publication: Publication

    def term(self, section: str, key: str | None) -> str:
        if key is None:
            return ABSENT
        term = self.vocab.section(section).get(key)
        return term.label(self.lang) if term else key

    def figure(self, report: Report, key: str) -> tuple[object, str]:
        """The figure as compared (None when absent) and as shown."""
        definition = self.vocab.metrics.get(key)
        if key in report.metrics:
            raw: object = ("value", report.metrics[key])
        elif key in report.withheld:
            raw = ("withheld", report.withheld[key])
        else:
            return None, ABSENT
        if self.publication.masked(report, key, self.vocab):
            return raw, masked_text(definition.unit if definition else "", self.lang)
        if raw[0] == "withheld":
            return raw, word("withheld", self.lang, reason=raw[1])
        return raw, self.number(raw[1], definition)

    def number(self, value: Number, definition: MetricDef | None) -> str:
        """As the site writes it (12.68亿元), then the exact figure when that rounds it."""
        if definition is None:
            return format_plain(value, "decimal")
        site = format_value(value, definition.unit, definition.kind, self.lang)
        exact = format_exact(value, definition.unit, definition.kind, self.lang)
        return site if exact == site else word("exact", self.lang, site=site, exact=exact)

    def field(self, report: Report, name: str) -> tuple[object, str]:
        """A front matter field as compared and as shown."""
        if name == "topics":
            labels = conventions(self.lang).list_separator.join(self.term("topics", topic) for topic in report.topics)
            return frozenset(report.topics), labels or ABSENT
        if name == "confidential":
            return report.confidential, ", ".join(sorted(report.confidential)) or ABSENT
        value = getattr(report, name)
        if name in ("unit", "template"):
            return value, self.term(f"{name}s", value)
        if name == "date":
            return value, value.isoformat() if value else ABSENT
        return value, ABSENT if value is None else str(value)


Pair = tuple[Report, Report, "str | None"]


def _pairs(before: Side, after: Side) -> tuple[list[Pair], list[Report], list[Report]]:
    """(before, after, how a move was matched or None) of every report on both sides; the rest of each side.

    A report gone from one path is matched with one new at another by content first (a plain
    move), then by unit, year and report type (moved and edited): the archive holds one report
    of each (:mod:`.figures`). Either way, the first candidate in path order.
    """
    old = {report.path: report for report in before.loaded.reports}
    new = {report.path: report for report in after.loaded.reports}
    pairs = [(old[path], new[path], None) for path in sorted(old.keys() & new.keys())]
    gone = [old[path] for path in sorted(old.keys() - new.keys())]
    came = [new[path] for path in sorted(new.keys() - old.keys())]
    for reason, key_of in (("same_content", lambda report, side: side.blobs.get(report.path)),
                           ("same_identity", lambda report, side: (report.unit, report.year, report.template)
                            if report.unit and report.year and report.template else None)):
        waiting: dict[object, list[Report]] = {}
        for report in came:
            key = key_of(report, after)
            if key is not None:
                waiting.setdefault(key, []).append(report)
        for report in list(gone):
            candidates = waiting.get(key_of(report, before))
            if candidates:
                match = candidates.pop(0)
                pairs.append((report, match, reason))
                gone.remove(report)
                came.remove(match)
    return pairs, gone, came


def _metric_order(keys: Iterable[str], *templates) -> list[str]:
    """The report type's order (as a report's figures table), then any other metric by key."""
    keys = set(keys)
    order = [key for template in templates if template for key in template.metrics if key in keys]
    order = list(dict.fromkeys(order))
    return order + sorted(keys - set(order))


def compare(before: Side, after: Side, lang: str, publication: Publication, prefix: str = "docs/",
            vocabulary: str = "vocabulary.yml") -> Changes:
    """Every change in the data from ``before`` to ``after``, written for a reader of ``lang``;
    paths start with ``prefix`` (the docs folder), ``vocabulary`` is the vocabulary's file in it."""
    old_view = _View(before.loaded.vocab, lang, publication)
    new_view = _View(after.loaded.vocab, lang, publication)
    pairs, gone, came = _pairs(before, after)
    changes = Changes(problems=(before.problems, after.problems), vocabulary_path=prefix + vocabulary)
    rows: list[tuple[str, list[FigureRow]]] = []

    def figures(old: Report | None, new: Report | None) -> list[FigureRow]:
        shown = new or old
        path = prefix + shown.path
        keys = {*(old.metrics if old else ()), *(old.withheld if old else ()),
                *(new.metrics if new else ()), *(new.withheld if new else ())}
        templates = (new_view.vocab.templates.get(new.template or "") if new else None,
                     old_view.vocab.templates.get(old.template or "") if old else None)
        found = []
        for key in _metric_order(keys, *templates):
            was, was_shown = old_view.figure(old, key) if old else (None, ABSENT)
            now, now_shown = new_view.figure(new, key) if new else (None, ABSENT)
            if was == now:
                continue
            secret = (old and publication.masked(old, key, old_view.vocab)) or \
                (new and publication.masked(new, key, new_view.vocab))
            ratio = None if secret or old is None or new is None else change(new, old, key)
            definition = new_view.vocab.metrics.get(key) or old_view.vocab.metrics.get(key)
            found.append(FigureRow(path, definition.label(lang) if definition else key, was_shown, now_shown,
                                   format_change(ratio)))
        return found

    same_vocabulary = before.vocab_text == after.vocab_text
    for old, new, reason in pairs:
        if reason:
            changes.moved.append(Move(prefix + old.path, prefix + new.path, new.title, word(reason, lang)))
        if same_vocabulary and before.blobs.get(old.path) == after.blobs.get(new.path):
            continue   # the same text read with the same vocabulary: the same data
        found = figures(old, new)
        field_rows = []
        for name in FIELDS:
            was, was_shown = old_view.field(old, name)
            now, now_shown = new_view.field(new, name)
            if was != now:
                field_rows.append(FieldRow(prefix + new.path, name, was_shown, now_shown))
        changes.fields += field_rows
        changes.changed += bool(found or field_rows)
        rows.append((new.path, found))
    for report in gone:
        changes.removed.append(_listed(report, old_view, prefix))
        rows.append((report.path, figures(report, None)))
    for report in came:
        changes.added.append(_listed(report, new_view, prefix))
        rows.append((report.path, figures(None, report)))
    changes.figures = [row for _, found in sorted(rows, key=lambda item: item[0]) for row in found]
    changes.moved.sort(key=lambda move: move.after)
    changes.fields.sort(key=lambda row: row.report)
    _translations(changes, pairs, before, after, prefix)
    changes.vocabulary_changed = before.vocab_text != after.vocab_text
    if changes.vocabulary_changed:
        changes.vocabulary = _terms(before.loaded.vocab, after.loaded.vocab, lang)
    return changes


def _listed(report: Report, view: _View, prefix: str) -> Listed:
    return Listed(prefix + report.path, report.title, view.term("units", report.unit),
                  ABSENT if report.year is None else str(report.year), view.term("templates", report.template))


def _translations(changes: Changes, pairs: list[Pair], before: Side, after: Side, prefix: str) -> None:
    """Translations by their report (a moved report's translation that moved with it is no change)."""
    renamed = {old.path: new.path for old, new, _ in pairs}
    was = {(renamed.get(r.path, r.path), lang): t.path
           for r in before.loaded.reports for lang, t in r.translations.items()}
    now = {(r.path, lang): t.path for r in after.loaded.reports for lang, t in r.translations.items()}
    changes.translations_added = sorted(prefix + now[key] for key in now.keys() - was.keys())
    changes.translations_removed = sorted(prefix + was[key] for key in was.keys() - now.keys())


def _terms(before: Vocabulary, after: Vocabulary, lang: str) -> list[TermRow]:
    """Each vocabulary term added, removed or changed, with the fields that changed."""
    rows = []
    for section in SECTIONS:
        old, new = before.section(section), after.section(section)
        for key in sorted(old.keys() | new.keys()):
            if key not in old:
                text = word("term_added", lang, label=new[key].label(lang))
            elif key not in new:
                text = word("term_removed", lang, label=old[key].label(lang))
            else:
                parts = [word("term_field", lang, field=f.name, before=_term_value(getattr(old[key], f.name)),
                              after=_term_value(getattr(new[key], f.name)))
                         for f in fields(new[key]) if f.name != "key"
                         and _term_value(getattr(old[key], f.name)) != _term_value(getattr(new[key], f.name))]
                if not parts:
                    continue
                text = word("term_join", lang).join(parts)
            rows.append(TermRow(word(section, lang), key, text))
    return rows


def _term_value(value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(getattr(item, "text", str(item)) for item in value) or ABSENT
    if isinstance(value, bool):
        return "true" if value else "false"
    return ABSENT if value is None else str(value)


# ---- Markdown -------------------------------------------------------------------------------

def _table(columns: str, rows: Sequence[Sequence[object]], lang: str, max_rows: int, numeric: int = 0) -> list[str]:
    """A Markdown table of ``rows`` (each cell escaped); the last ``numeric`` columns right-aligned."""
    names = columns.split("|")
    lines = ["| " + " | ".join(names) + " |",
             "|" + "|".join("---" if i < len(names) - numeric else "--:" for i in range(len(names))) + "|"]
    shown = rows if max_rows <= 0 else rows[:max_rows]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in shown]
    if len(shown) < len(rows):
        lines += ["", word("more", lang, count=len(rows) - len(shown))]
    return lines + [""]


def markdown(changes: Changes, lang: str, base: str, commit: str, merge_base: bool = True, why: str = "",
             max_rows: int = MAX_ROWS) -> str:
    """The summary a CI job posts: heading, what was compared, counts, then one table per kind of change."""
    compared = word("against" if merge_base else "against_direct", lang, base=cell(base), commit=commit[:12], why=why)
    lines = [word("heading", lang), "", compared, ""]
    before, after = changes.problems
    if before or after:
        sides = [word("problems_side", lang, side=word(name, lang), count=count)
                 for name, count in (("side_before", before), ("side_after", after)) if count]
        lines += [word("problems", lang, sides=word("join", lang).join(sides)), ""]
    if changes.empty:
        return "\n".join(lines + [word("none", lang), ""])
    counts = word("counts", lang, added=len(changes.added), removed=len(changes.removed), moved=len(changes.moved),
                  changed=changes.changed, figures=len(changes.figures))
    if changes.translations_added or changes.translations_removed:
        counts += word("counts_translations", lang, added=len(changes.translations_added),
                       removed=len(changes.translations_removed))
    if changes.vocabulary_changed:
        counts += word("counts_vocabulary", lang)
    lines += [counts, ""]
    if changes.figures:
        lines += [word("figures", lang), ""] + _table(word("figure_columns", lang), [
            (r.report, r.metric, r.before, r.after, r.change) for r in changes.figures], lang, max_rows, numeric=3)
    for name, listed in (("added", changes.added), ("removed", changes.removed)):
        if listed:
            lines += [word(name, lang), ""] + _table(word("listed_columns", lang), [
                (r.path, r.title, r.unit, r.year, r.template) for r in listed], lang, max_rows)
    if changes.moved:
        lines += [word("moved", lang), ""] + _table(word("moved_columns", lang), [
            (m.before, m.after, m.title, m.reason) for m in changes.moved], lang, max_rows)
    if changes.fields:
        lines += [word("fields", lang), ""] + _table(word("field_columns", lang), [
            (r.report, r.field, r.before, r.after) for r in changes.fields], lang, max_rows)
    if changes.translations_added or changes.translations_removed:
        lines += [word("translations", lang), ""]
        for name, paths in (("translations_added", changes.translations_added),
                            ("translations_removed", changes.translations_removed)):
            if paths:
                shown = paths if max_rows <= 0 else paths[:max_rows]
                lines.append(word(name, lang, paths=conventions(lang).list_separator.join(cell(p) for p in shown)))
                if len(shown) < len(paths):
                    lines.append(word("more", lang, count=len(paths) - len(shown)))
        lines.append("")
    if changes.vocabulary_changed:
        lines += [word("vocabulary", lang), ""]
        lines += [word("vocab_changed" if changes.vocabulary else "vocab_unchanged_terms", lang,
                       path=cell(changes.vocabulary_path)), ""]
        if changes.vocabulary:
            lines += _table(word("vocab_columns", lang), [(r.section, r.key, r.change) for r in changes.vocabulary],
                            lang, max_rows)
    return "\n".join(lines)


# ---- command line -------------------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="diff", description="What the working tree changes in the archive's data since BASE "
        "(from the merge base of BASE and HEAD), as Markdown for a pull request's summary.")
    parser.add_argument("base", metavar="BASE", help="a git revision: origin/main, a tag, a commit id")
    parser.add_argument("-f", "--config-file", default=None,
                        help="the configuration (default: mkdocs.yml in the current folder or the nearest above "
                        "it); -f mkdocs.public.yml masks confidential figures")
    parser.add_argument("--output", metavar="FILE", help="write the Markdown to FILE (replacing it) instead of "
                        "standard output")
    parser.add_argument("--max-rows", type=int, default=MAX_ROWS, metavar="N",
                        help=f"rows per table at most (default {MAX_ROWS}; 0 for all)")
    args = parser.parse_args(argv)
    config = config_or_status(args.config_file)
    if isinstance(config, int):
        return config
    try:
        text = run(config, args.base, args.max_rows)
    except gitrepo.GitError as error:
        print(_failure(error, config, args.base), file=sys.stderr)
        return 2
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
    return 0


def run(config: Config, base: str, max_rows: int = MAX_ROWS) -> str:
    """The Markdown for ``./dev diff BASE``; GitError when git cannot answer."""
    lang = config.settings.messages
    root = gitrepo.toplevel(config.root)
    target = gitrepo.commit(root, base)
    try:
        head = gitrepo.commit(root, "HEAD")
    except gitrepo.GitError:
        head = None
    start = gitrepo.merge_base(root, target, head) if head else None
    cache = CheckCache()   # the working tree's reports, reused for the base's unchanged files
    after = working_tree(config, cache)
    before = committed(config, root, start or target, cache)
    changes = compare(before, after, lang, Publication(config.settings.public), config.prefix,
                      config.settings.vocabulary)
    why = "" if start else word("no_head" if head is None else "no_merge_base", lang)
    return markdown(changes, lang, base, start or target, merge_base=bool(start), why=why, max_rows=max_rows)


def _failure(error: gitrepo.GitError, config: Config, base: str) -> str:
    """What went wrong with git, in the messages language, and what to do."""
    code = error.code if error.code in WORDS[config.settings.messages] else "read_failed"
    return word(code, config.settings.messages, root=config.root, base=base, detail=error.detail or "-",
                docs=config.docs_dir)
