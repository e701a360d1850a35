"""``./dev check``: every problem the build would report, in every file at once, without building.

A contributor (or a forge's CI job) wants the build's verdict in a second or two, not after a
full build with search. This module reads the same configuration (``mkdocs.yml``, plain YAML,
never MkDocs itself), lists ``docs/`` as MkDocs does but without following any link, and runs
the build's own checks, each through the function the build calls: the file allowlist
(:mod:`.sources`), the reports, duplicates and year-on-year jumps (:func:`.loading.load_archive`),
the pages outside the reports (:func:`.validation.check_page`), the generated pages a file
would take (``generated_page_taken``) and the HTML allowlist (:mod:`.sanitize`) on each page's
text rendered by Python-Markdown with the configured extensions — the renderer MkDocs itself
calls, with figures quoted as the build quotes them (:func:`.render.quote_figures`).

Output: ``text`` (the build's lines, ``path:line: what — fix``), ``github`` (workflow
commands, plus a Markdown table of every problem in the job summary: GitHub shows only ten
annotations per step) or ``gitlab`` (Code Quality JSON). Exit status 1 when a problem is shown,
0 when none, 2 when the configuration itself cannot be used.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import markdown
import nh3
import pathspec
import pathspec.gitignore
import yaml

from . import sanitize
from .catalog import decode, published, translation_of
from .figures import Publication
from .frontmatter import split, strip
from .mdtext import cell
from .loading import Loaded, docs_prefix, in_docs, load_archive
from .index import build_index
from .pages import archive_pages
from .plain import is_plain, known_setup
from .problems import Problem
from .render import Context, quote_figures
from .settings import Settings, SettingsError, load_settings
from .sources import refused_file, unsafe_entries
from .validation import check_page

REPORTS = "reports/"
#: what MkDocs always excludes from docs/ (mkdocs.structure.files._default_exclude)
DEFAULT_EXCLUDE = (".*", "/templates/")
#: the Markdown extensions MkDocs always loads before the configured ones (config.defaults)
BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")
FORMATS = ("text", "github", "gitlab")
#: beside mkdocs.yml: the sanitizer's results of the last check (ignored by git)
CACHE_DIR = os.path.join(".cache", "check")


class ConfigError(ValueError):
    """The configuration cannot be used; the message says what to change."""


@dataclass(frozen=True)
class Config:
    """What the check needs from mkdocs.yml."""

    root: str                                  # the folder of mkdocs.yml: problem paths are relative to it
    docs_dir: str                              # absolute
    prefix: str                                # docs_dir as problem paths show it: "docs/"
    settings: Settings
    default_lang: str
    languages: tuple[str, ...]
    extensions: tuple[str, ...]
    extension_configs: dict[str, dict] = field(default_factory=dict)
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE  # gitignore-style patterns (exclude_docs)


class _Loader(yaml.SafeLoader):
    """mkdocs.yml as plain YAML: a ``!!python/name:…`` or ``!ENV`` tag reads as its plain value."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: (
    loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else None))


def _read_yaml(path: str) -> dict:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            data = yaml.load(handle, _Loader)  # noqa: S506 - a SafeLoader subclass
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror})") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: not a mapping of setting: value")
    inherited = data.pop("INHERIT", None)
    if inherited:
        return _merge(_read_yaml(os.path.join(os.path.dirname(path), str(inherited))), data)
    return data


def _merge(base: dict, child: dict) -> dict:
    """MkDocs' INHERIT: mappings merged key by key, anything else replaced by the child's."""
    merged = dict(base)
    for key, value in child.items():
        merged[key] = _merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) \
            else value
    return merged


def load_config(path: str = "mkdocs.yml") -> Config:
    """The settings the build would use, read from ``path`` (and the file it INHERITs)."""
    path = os.path.abspath(path)
    data = _read_yaml(path)
    root = os.path.dirname(path)
    docs = str(data.get("docs_dir") or "docs")
    docs_dir = os.path.normpath(os.path.join(root, docs))
    prefix = docs_prefix(path, docs_dir)
    try:
        settings = load_settings((data.get("extra") or {}).get("archive"))
    except SettingsError as error:
        raise ConfigError(f"mkdocs.yml: {error}") from None
    exclude_docs = str(data.get("exclude_docs") or "")
    if settings.vocabulary not in exclude_docs:  # the adapter's on_config stops the build the same way
        raise ConfigError(f"mkdocs.yml: the vocabulary {settings.vocabulary} would be published — "
                          f"add /{settings.vocabulary} under exclude_docs")
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    default, languages = _languages(data.get("plugins") or [], str(theme.get("language") or "en"))
    extensions, configs = _extensions(data.get("markdown_extensions") or [])
    return Config(root=root, docs_dir=docs_dir, prefix=prefix, settings=settings, default_lang=default,
                  languages=languages, extensions=extensions, extension_configs=configs,
                  exclude=DEFAULT_EXCLUDE + tuple(line for line in exclude_docs.splitlines() if line.strip()))


def _languages(plugins: object, theme_language: str) -> tuple[str, tuple[str, ...]]:
    """The default language and every language of the i18n plugin; without it, the theme's one
    language (as the adapter's on_config reads it; Material's default is en)."""
    entries = plugins.items() if isinstance(plugins, dict) else \
        [next(iter(p.items())) if isinstance(p, dict) else (p, {}) for p in plugins]
    for name, options in entries:
        if name == "i18n" and isinstance(options, dict):
            locales = [lang for lang in options.get("languages") or [] if isinstance(lang, dict) and lang.get("locale")]
            if locales:
                default = next((lang["locale"] for lang in locales if lang.get("default") is True), locales[0]["locale"])
                return str(default), tuple(str(lang["locale"]) for lang in locales)
    return theme_language, (theme_language,)


def _extensions(configured: object) -> tuple[tuple[str, ...], dict[str, dict]]:
    """MkDocs' list: its built-in extensions, then the configured ones with their options."""
    names, configs = list(BUILTIN_EXTENSIONS), {}
    items = configured.items() if isinstance(configured, dict) else \
        [next(iter(e.items())) if isinstance(e, dict) else (e, None) for e in configured]
    for name, options in items:
        if name not in names:
            names.append(str(name))
        if isinstance(options, dict):
            configs[str(name)] = options
    return tuple(names), configs


def find_config(folder: str) -> str:
    """mkdocs.yml in ``folder`` or the nearest folder above it: a contributor may run the check from docs/."""
    current = os.path.abspath(folder)
    while True:
        candidate = os.path.join(current, "mkdocs.yml")
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(current)
        if parent == current:
            return os.path.join(os.path.abspath(folder), "mkdocs.yml")  # not found: its error names it
        current = parent


def config_or_status(config_file: str | None) -> Config | int:
    """The configuration the command line names (or the nearest mkdocs.yml), or exit status 2 with
    what is wrong printed: every command (check, new, import, diff) starts the same way."""
    try:
        return load_config(config_file or find_config(os.getcwd()))
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2


# ---- the checks ---------------------------------------------------------------------------

def docs_files(docs_dir: str) -> list[str]:
    """Every entry MkDocs would list under ``docs_dir``, as src_uri ("reports/2023/x.md"); links not followed."""
    found = []
    for folder, dirnames, filenames in os.walk(docs_dir, followlinks=False):
        dirnames.sort()
        relative = os.path.relpath(folder, docs_dir).replace(os.sep, "/")
        base = "" if relative == "." else relative + "/"
        found += [base + name for name in sorted(filenames)]
    return found


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def check(config: Config, cache_dir: str | None = None) -> list[Problem]:
    """Every problem the build of ``config`` would report, each once, in (path, line) order.

    ``cache_dir``: where to keep the sanitizer's results between checks (see :class:`_Cache`).
    """
    settings, prefix, docs = config.settings, config.prefix, config.docs_dir
    excluded = pathspec.gitignore.GitIgnoreSpec.from_lines(config.exclude)
    problems: list[Problem] = [in_docs(p, prefix) for p in unsafe_entries(docs)]
    pages: dict[str, bytes] = {}      # src_uri → content of every Markdown page MkDocs would render
    listed = docs_files(docs)
    for src_uri in listed:
        is_excluded = excluded.match_file(src_uri)
        refused = refused_file(docs, src_uri, published=not is_excluded)
        if refused is not None:
            problems.append(in_docs(refused, prefix))
        elif not is_excluded and src_uri.endswith(".md"):
            try:
                pages[src_uri] = _read_bytes(os.path.join(docs, src_uri))
            except OSError:
                continue  # gone or unreadable since listed: MkDocs reports it
    others = [lang for lang in config.languages if lang != config.default_lang]
    publication = Publication(settings.public)
    loaded = load_archive(os.path.join(docs, settings.vocabulary), f"{prefix}{settings.vocabulary}",
                          ((uri, data) for uri, data in pages.items() if uri.startswith(REPORTS)),
                          others, settings.jump_factor, publication, prefix)
    problems += loaded.vocab_problems + loaded.problems
    taken = _generated_taken(loaded, config, listed)
    problems += [Problem(f"{prefix}{uri}", 1, "generated_page_taken") for uri in sorted(taken)]
    mark = sanitize.new_mark()
    keep = published(loaded.reports)
    by_path = {report.path: report for report in loaded.reports}
    rendered: list[tuple[str, str, str, bool]] = []   # (path, source text, Markdown body, plain) of each page built
    fast = known_setup(config.extensions, config.extension_configs)
    for src_uri, data in pages.items():
        path = f"{prefix}{src_uri}"
        if src_uri in taken or (src_uri.startswith(REPORTS) and src_uri not in keep):
            continue  # not rendered by the build: its problem is already listed
        text, unreadable = decode(path, data)
        if text is None:
            problems += unreadable
            continue
        text = text.replace("\r\n", "\n").replace("\r", "\n")   # as MkDocs reads it: universal newlines
        body = strip(text)
        plain = fast and is_plain(body)   # before the quotes become the archive's markup
        if src_uri.startswith(REPORTS):
            found = translation_of(src_uri, others)
            report = by_path[found[1] if found else src_uri]
            lang = found[0] if found else config.default_lang
            body = quote_figures(body, report, Context(lang, loaded.vocab, publication), mark)
        else:
            problems += check_page(split(text, path))[1]
        rendered.append((path, text, body, plain))
    removals = _clean_all([body for _, _, body, _ in rendered], config, mark, cache_dir,
                          [plain for _, _, _, plain in rendered])
    for (path, text, _, _), removed in zip(rendered, removals):
        if removed:
            problems += sanitize.problems(removed, path, text)
    return _unique(problems, settings.messages)


#: pages per worker process: below twice this, the pages are rendered in this process
CHUNK = 200


def _clean_all(bodies: list[str], config: Config, mark: str, cache_dir: str | None = None,
               plain: Sequence[bool] = ()) -> list[tuple[sanitize.Removal, ...]]:
    """What the allowlist removes from each body rendered as MkDocs renders it, in order.

    Python-Markdown is most of the check's time (about 2 ms per 3,000-character report), so a
    body known to lose nothing (``plain``, :mod:`.plain`) is not rendered, the others of a large
    archive are rendered by one process per core, and with ``cache_dir`` the result for a body
    unchanged since the last check is reused (:class:`_Cache`).
    """
    cache = _Cache(cache_dir, config, mark) if cache_dir else None
    plain = list(plain) + [False] * (len(bodies) - len(plain))
    results: list[tuple[sanitize.Removal, ...] | None] = [
        () if known else cache.get(body) if cache else None for body, known in zip(bodies, plain)]
    todo = [index for index, found in enumerate(results) if found is None]
    setup = (config.extensions, config.extension_configs, mark)
    workers = min(os.cpu_count() or 1, len(todo) // CHUNK, 8)
    if workers < 2:
        _start_worker(*setup)
        fresh = [_removed(bodies[index]) for index in todo]
    else:
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=setup) as pool:
            fresh = list(pool.map(_removed, [bodies[index] for index in todo],
                                  chunksize=max(1, len(todo) // (workers * 4))))
    for index, removed in zip(todo, fresh):
        results[index] = removed
        if cache:
            cache.put(bodies[index], removed)
    if cache:
        cache.save()
    return results  # type: ignore[return-value]


class _Cache:
    """The removals found in each page body, by a hash of the body and of everything that decides them.

    The key covers the body (the build's random mark replaced by a constant, so that a report
    unchanged since the last check has the same key), the Markdown extensions and their options,
    the versions of Python-Markdown and nh3, and the sanitizer's own source: a change to any of
    them is a miss. A result that quotes the mark is never stored. The file keeps only the
    bodies of the last check, so it does not grow.
    """

    NAME = "sanitize-v1.json"

    def __init__(self, folder: str, config: Config, mark: str) -> None:
        self.path = os.path.join(folder, self.NAME)
        self.mark = mark
        with open(sanitize.__file__, "rb") as handle:
            source = handle.read()
        self.salt = json.dumps([markdown.__version__, getattr(nh3, "__version__", ""), config.extensions,
                                config.extension_configs, hashlib.sha256(source).hexdigest()],
                               sort_keys=True, default=str)
        try:
            with open(self.path, encoding="utf-8") as handle:
                stored = json.load(handle)
            self.stored = stored.get("removals", {}) if stored.get("salt") == self.salt else {}
        except (OSError, ValueError, AttributeError):
            self.stored = {}
        self.kept: dict[str, list] = {}

    def _key(self, body: str) -> str:
        return hashlib.sha256(body.replace(self.mark, "\0mark\0").encode("utf-8")).hexdigest()

    def get(self, body: str) -> tuple[sanitize.Removal, ...] | None:
        key = self._key(body)
        found = self.stored.get(key)
        if found is None:
            return None
        self.kept[key] = found
        return tuple(sanitize.Removal(kind, element, text, tuple(tuple(n) for n in needles))
                     for kind, element, text, needles in found)

    def put(self, body: str, removed: tuple[sanitize.Removal, ...]) -> None:
        if any(self.mark in repr(removal) for removal in removed):
            return
        self.kept[self._key(body)] = [[r.kind, r.element, r.text, [list(n) for n in r.needles]] for r in removed]

    def save(self) -> None:
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            temporary = self.path + ".tmp"
            with open(temporary, "w", encoding="utf-8") as handle:
                json.dump({"salt": self.salt, "removals": self.kept}, handle, ensure_ascii=False)
            os.replace(temporary, self.path)
        except OSError:
            pass  # a read-only checkout: the next check renders again


_worker: dict = {}


def _start_worker(extensions: tuple[str, ...], configs: dict[str, dict], mark: str) -> None:
    _worker["markdown"] = markdown.Markdown(extensions=list(extensions), extension_configs=configs)
    _worker["mark"] = mark


def _removed(body: str) -> tuple[sanitize.Removal, ...]:
    renderer = _worker["markdown"]
    renderer.reset()
    return sanitize.removals(renderer.convert(body), _worker["mark"])


def _generated_taken(loaded: Loaded, config: Config, listed: Sequence[str] = ()) -> set[str]:
    """Files in a generated page's place, in any language: the build drops them (the adapter's _add_pages).

    Which pages the archive generates is known by generating them, and building every listing
    page of 10,000 reports takes seconds; so they are built only when a ``listed`` file could be
    in one's place: an index page at the root or under the folder of one of the pages an empty
    archive has (archive/, topics/, units/…), below which every listing lies (tested).
    """
    ctx = Context(config.default_lang, loaded.vocab, Publication(config.settings.public))
    if listed and not _may_take(listed, config, ctx):
        return set()
    sources = {page.src_path for page in archive_pages(loaded.index, ctx, config.settings.latest, config.settings.sample)}
    taken = set()
    for src_path in sources:
        for lang in config.languages:
            uri = src_path if lang == config.default_lang else src_path.replace("index.md", f"index.{lang}.md")
            if os.path.isfile(os.path.join(config.docs_dir, uri)) and not os.path.islink(os.path.join(config.docs_dir, uri)):
                taken.add(uri)
    return taken


def _may_take(listed: Sequence[str], config: Config, ctx: Context) -> bool:
    """Whether a listed file is an index page (in any language) in the folders of the generated pages."""
    names = {"index.md": "index.md", **{f"index.{lang}.md": "index.md" for lang in config.languages}}
    folders = {page.src_path.split("/")[0] for page in archive_pages(build_index([]), ctx)}
    for uri in listed:
        folder, _, name = uri.rpartition("/")
        if name in names and (folder or names[name]).split("/")[0] in folders:
            return True
    return False


def _unique(problems: Iterable[Problem], lang: str) -> list[Problem]:
    """Each line once (a link is found by the tree scan and by the file check alike), by path and line."""
    seen, unique = set(), []
    for problem in sorted(problems, key=lambda p: (p.path, p.line)):
        line = problem.format(lang)
        if line not in seen:
            seen.add(line)
            unique.append(problem)
    return unique


def select(problems: Sequence[Problem], paths: Sequence[str], root: str) -> list[Problem]:
    """The problems in the files (or folders) named by ``paths``, given relative to the current folder."""
    if not paths:
        return list(problems)
    wanted = [os.path.relpath(os.path.abspath(p), root).replace(os.sep, "/").rstrip("/") for p in paths]
    return [p for p in problems if any(p.path == w or p.path.startswith(w + "/") or w == "." for w in wanted)]


# ---- output formats -----------------------------------------------------------------------

def message(problem: Problem, lang: str) -> str:
    """What is wrong and how to fix it, without the place."""
    return f"{problem.what(lang)} — {problem.fix(lang)}"


def text_lines(problems: Iterable[Problem], lang: str) -> list[str]:
    return [problem.format(lang) for problem in problems]


def _github_data(value: str) -> str:
    """GitHub's escaping of a workflow command's message (actions/toolkit, command.ts escapeData)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(value: str) -> str:
    """GitHub's escaping of a workflow command's property (escapeProperty): also ``:`` and ``,``."""
    return _github_data(value).replace(":", "%3A").replace(",", "%2C")


def github_lines(problems: Iterable[Problem], lang: str) -> list[str]:
    """One ``::error`` workflow command per problem: an annotation on the pull request's file and line."""
    return [f"::error file={_github_property(p.path)},line={p.line}::{_github_data(message(p, lang))}"
            for p in problems]


SUMMARY = {
    "zh": ("投稿检查", "发现 {count} 个问题", "没有发现问题。", ("文件", "行", "问题", "怎样修改")),
    "en": ("Contribution check", "{count} problems found", "No problems found.", ("file", "line", "problem", "how to fix it")),
}


def summary_markdown(problems: Sequence[Problem], lang: str) -> str:
    """Every problem as a Markdown table, for the job summary (annotations stop at ten per step)."""
    title, counted, clean, columns = SUMMARY[lang]
    lines = [f"## {title}", ""]
    if not problems:
        return "\n".join(lines + [clean, ""])
    lines += [counted.format(count=len(problems)), "", "| " + " | ".join(columns) + " |", "|---|--:|---|---|"]
    lines += [f"| {cell(p.path)} | {p.line} | {cell(p.what(lang))} | {cell(p.fix(lang))} |" for p in problems]
    return "\n".join(lines + [""])


def gitlab_report(problems: Sequence[Problem], lang: str) -> list[dict]:
    """GitLab Code Quality issues. The fingerprint hashes path, code and message — not the line, so
    that an issue keeps its identity when lines above it change — and counts repeats of the same
    message in one file, so that two of them stay two issues."""
    issues, seen = [], {}
    for problem in problems:
        description = message(problem, lang)
        key = (problem.path, problem.code, description)
        seen[key] = seen.get(key, 0) + 1
        digest = hashlib.sha256("\0".join((*key, str(seen[key]))).encode("utf-8")).hexdigest()
        issues.append({"description": description, "check_name": problem.code, "fingerprint": digest,
                       "severity": "major", "location": {"path": problem.path, "lines": {"begin": problem.line}}})
    return issues


# ---- command line -------------------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="check", description="Check the archive as the build does, without building: every problem in every file.")
    parser.add_argument("paths", nargs="*", help="show only the problems in these files or folders "
                        "(the whole archive is still read)")
    parser.add_argument("-f", "--config-file", default=None,
                        help="the configuration (default: mkdocs.yml in the current folder or the nearest above it)")
    parser.add_argument("--no-cache", action="store_true",
                        help="render every page again (by default, pages unchanged since the last check are not: .cache/check/)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="text (default), github or gitlab")
    args = parser.parse_args(argv)
    config = config_or_status(args.config_file)
    if isinstance(config, int):
        return config
    lang = config.settings.messages
    cache_dir = None if args.no_cache else os.path.join(config.root, CACHE_DIR)
    shown = select(check(config, cache_dir), args.paths, config.root)
    if args.format == "gitlab":
        print(json.dumps(gitlab_report(shown, lang), ensure_ascii=False, indent=2))
    elif args.format == "github":
        for line in github_lines(shown, lang):
            print(line)
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as handle:
                handle.write(summary_markdown(shown, lang))
    else:
        for line in text_lines(shown, lang):
            print(line)
        _, counted, clean, _ = SUMMARY[lang]
        print(counted.format(count=len(shown)) if shown else clean, file=sys.stderr)  # stdout: the lines alone
    return 1 if shown else 0
