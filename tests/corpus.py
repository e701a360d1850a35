"""Archives of real text for the search tests: ../shared/corpus/provincial-2026.

The corpus is read at test time and never copied into the repository; the tests that use it
skip without it. ``corpus_site`` writes an archive of its reports, each province a reporting
unit, optionally each report copied under distinct slugs (to test search at scale on real
text, where the truth — the reports whose text contains a term — multiplies with the copies).
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import yaml

from sites import ROOT, Site, make_site

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
        target = docs / str(year) / f"{slug(n, k)}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n" + bodies[n] + "\n",
                          encoding="utf-8")
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
