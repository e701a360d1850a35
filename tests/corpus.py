"""Archives of real text for the search tests: ../shared/corpus/provincial-2026.

The corpus is read at test time and never copied into the repository; the tests that use it
skip without it. ``corpus_site`` writes an archive of its reports, each province a reporting
unit, optionally each report copied under distinct slugs (to test search at scale on real
text, where the truth — the reports whose text contains a term — multiplies with the copies).
"""
from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from pathlib import Path

import yaml

from sites import ROOT, Site, make_site, write_report

sys.path.insert(0, str(ROOT / "hooks"))
from archive.phrases import normalise  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "provincial-2026"
SKIP = f"the corpus is not here ({CORPUS}); search on real text is measured in CI"


def corpus() -> list[dict[str, str]]:
    csv.field_size_limit(1 << 30)
    rows = []
    for path in sorted(CORPUS.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows += list(csv.DictReader(handle))
    return rows


def slug(row: int, copy: int | None = None) -> str:
    return f"p{row:02d}" if copy is None else f"p{row:02d}-{copy:03d}"


def default_language_only(site: Site) -> Site:
    """The site built in its default language only. The corpus has no translations, so the
    other languages' pages add no search shard (a language's shards hold its translations):
    the search index is the same, built in less than half the time."""
    config = yaml.safe_load((site.root / "mkdocs.yml").read_text(encoding="utf-8"))
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "i18n" in plugin:
            for language in plugin["i18n"]["languages"]:
                language["build"] = bool(language.get("default"))
    (site.root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return site


def corpus_site(root: Path, rows: list[dict[str, str]], copies: int | None = None, **extra: object) -> Site:
    """A temporary archive of the corpus reports. Without ``copies`` each report is
    ``reports/2025/pNN/``; with it, each is copied ``copies`` times as ``reports/<year>/pNN-KKK/``,
    the copies spread over ten years and each its own unit (one report per unit, year and
    template: no copy is a duplicate the checks would set aside)."""
    units, placed = {}, []
    for n, row in enumerate(rows):
        for k in ([None] if copies is None else range(copies)):
            year = 2025 if k is None else 2016 + k % 10
            unit = f"u{n:02d}" if k is None else f"u{n:02d}-{k // 10}"
            units[unit] = {"zh": f"{row['province']}{'' if k is None else k // 10}", "en": f"Province {unit}"}
            placed.append((n, k, year, unit))
    vocab = {"units": units, "topics": {"government-work": {"zh": "政府工作", "en": "Government work"}},
             "metrics": {"growth_rate": {"zh": "增速", "en": "Growth", "unit": "%", "kind": "percent"}},
             "templates": {"gov-report": {"zh": "政府工作报告", "en": "Government work report",
                                          "optional": ["growth_rate"]}}}
    docs = root / "source"
    bodies = ["\n\n".join(line.strip() for line in row["full_text"].splitlines() if line.strip()) for row in rows]
    for n, k, year, unit in placed:
        month_day = rows[n]["publish_date"][4:10] if len(rows[n]["publish_date"]) >= 10 else "-02-01"
        front = {"title": rows[n]["title"], "date": f"{year + 1}{month_day}", "year": year, "unit": unit,
                 "topics": ["government-work"], "template": "gov-report"}
        write_report(docs / str(year) / f"{slug(n, k)}.md", front, bodies[n])
    (root / "vocabulary.yml").write_text(yaml.safe_dump(vocab, allow_unicode=True), encoding="utf-8")
    return make_site(root / "project", reports=docs, vocabulary=root / "vocabulary.yml", sample=False, **extra)


def url_of(row: int, copy: int | None = None) -> str:
    year = 2025 if copy is None else 2016 + copy % 10
    return f"/reports/{year}/{slug(row, copy)}/"


#: Runs the archive's own search engine (the worker the search box and the search page use)
#: on each search's options ({query, filters, sort, count}) and returns each one's total,
#: counts by shard and hits' URLs (without the highlight), in order.
WORKER_SEARCH = """async ([config, searches]) => {
    const worker = new Worker(config.root + 'assets/javascripts/archive-search-worker.js', { type: 'module' });
    let next = 0;
    const ask = (op, message) => new Promise((resolve, reject) => {
        const id = ++next;
        const listener = ({ data }) => {
            if (data.id !== id) return;
            worker.removeEventListener('message', listener);
            data.error ? reject(new Error(data.error)) : resolve(data.result);
        };
        worker.addEventListener('message', listener);
        worker.postMessage({ ...message, op, id });
    });
    await ask('init', { config });
    const out = [];
    for (const options of searches) {
        const found = await ask('search', { channel: 'test', count: 100000, ...options });
        out.push({ total: found.total, shards: (found.filters || {}).shard || {},
                   urls: found.hits.map((hit) => hit.url.split('?')[0]) });
    }
    worker.terminate();
    return out;
}"""


def worker_search(page, searches: list[dict], config: dict | None = None) -> list[dict]:
    """Each search's total, counts by shard and hits, asked of the worker from ``page`` (a page of the
    site, at its root unless ``config`` says where: its search config with ``root`` and ``rootPath``)."""
    if config is None:
        origin = page.evaluate("location.origin")
        config = {**json.loads(page.inner_text("#wr-search-config")), "root": origin + "/", "rootPath": "/"}
    return page.evaluate(WORKER_SEARCH, [config, searches])


def _han(character: str) -> bool:
    return unicodedata.name(character, "").startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH"))


def query_pieces(term: str, words: Path) -> list[list[str]]:
    """The pieces the search worker cuts an unquoted term into (its ``piecesOf``), each a list
    of strings a report may hold any of, for the truth of a test: a Chinese run cut with the
    indexer's words (``words``: the site's search/words/), at each character the rest of the run
    if an indexed word begins with it, else the longest indexed word the rest begins with; an
    English word, or its Snowball stem (``snowballstemmer``, not the worker's code) less a final
    e or i when 3 letters are left, else the stem. A test oracle written apart from the worker, so that the two can disagree."""
    import snowballstemmer

    english = snowballstemmer.stemmer("english")

    def starting(character: str) -> list[str]:
        path = words / f"{ord(character):x}.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []

    out: list[str] = []
    for word in re.findall(r"[^\W_]+|_+", term):
        runs = [""]
        for character in word:  # Han apart from the rest
            if runs[-1] and _han(runs[-1][-1]) != _han(character):
                runs.append("")
            runs[-1] += character
        for part in runs:
            if part and _han(part[0]):
                i = 0
                while i < len(part):
                    rest, known = part[i:], starting(part[i])
                    if any(w.startswith(rest) for w in known):
                        length = len(rest)
                    else:
                        length = max([len(w) for w in known if rest.startswith(w)] + [1])
                    out.append(part[i:i + length])
                    i += length
            elif part:
                out.append(normalise(part))
    pieces: dict[str, list[str]] = {}
    for piece in out:
        stemmed = english.stemWord(piece) if re.fullmatch(r"[a-z]+", piece) else piece
        root = stemmed[:-1] if stemmed[-1:] in ("e", "i") and len(stemmed) >= 4 else stemmed
        pieces[piece] = [piece, root] if root != piece and len(root) >= 2 else [piece]
    return [alternatives for piece, alternatives in pieces.items() if piece]


def sections(rows: list[dict[str, str]], size: int) -> list[dict[str, str]]:
    """Each report cut into consecutive runs of whole paragraphs of at least ``size`` characters
    (the last run of a report may be shorter), each a report of its own with the report's date
    and province: many distinct real texts, each short, so that a few thousand reports index
    in minutes and every shard holds a different vocabulary."""
    out = []
    for row in rows:
        paragraphs = [line.strip() for line in row["full_text"].splitlines() if line.strip()]
        run: list[str] = []
        for i, paragraph in enumerate(paragraphs):
            run.append(paragraph)
            if sum(map(len, run)) >= size or i == len(paragraphs) - 1:
                out.append({**row, "title": f"{row['title']}（{len(out) + 1}）", "full_text": "\n".join(run)})
                run = []
    return out
