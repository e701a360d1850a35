"""Recall on real text: the provincial government work reports of ../shared/corpus.

The corpus is read at test time and never copied into the repository; without it the
test skips. For each phrase, the reports whose text contains it must be found.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml

from sites import ROOT, Site

CORPUS = ROOT.parent / "shared" / "corpus" / "provincial-2026"
PHRASES = ["新质生产力", "乡村振兴", "营商环境", "人工智能", "低空经济", "城市更新", "养老服务", "生态环境",
           "数字经济", "科技创新", "民营经济", "粮食安全", "招商引资", "高质量发展", "一带一路", "碳达峰",
           "文化旅游", "房地产", "集成电路", "冰雪经济", "海洋经济", "托育服务", "以旧换新", "未来产业",
           "县域经济", "留抵退税", "减税降费", "稳就业", "城乡居民", "生物医药"]


def corpus() -> list[dict[str, str]]:
    csv.field_size_limit(1 << 30)
    rows = []
    for path in sorted(CORPUS.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows += list(csv.DictReader(handle))
    return rows


def corpus_site(root: Path, rows: list[dict[str, str]]) -> Site:
    """A temporary archive of the corpus reports, each province a reporting unit."""
    units = {f"p{n:02d}": {"zh": row["province"], "en": f"Province {n:02d}"} for n, row in enumerate(rows)}
    vocab = {"units": units, "topics": {"government-work": {"zh": "政府工作", "en": "Government work"}},
             "metrics": {"growth_rate": {"zh": "增速", "en": "Growth", "unit": "%", "kind": "percent"}},
             "templates": {"gov-report": {"zh": "政府工作报告", "en": "Government work report", "optional": ["growth_rate"]}}}
    docs = root / "source"
    for n, row in enumerate(rows):
        front = {"title": row["title"], "date": row["publish_date"], "year": 2025, "unit": f"p{n:02d}",
                 "topics": ["government-work"], "template": "gov-report"}
        body = "\n\n".join(line.strip() for line in row["full_text"].splitlines() if line.strip())
        target = docs / "2025" / f"p{n:02d}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n" + body + "\n", encoding="utf-8")
    (root / "vocabulary.yml").write_text(yaml.safe_dump(vocab, allow_unicode=True), encoding="utf-8")
    from sites import make_site
    return make_site(root / "project", reports=docs, vocabulary=root / "vocabulary.yml", search_memory=25,
                     sample=False)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the corpus is not here ({CORPUS}); recall is measured in CI")
def test_reports_containing_a_phrase_are_found(tmp_path, browser, serve):
    rows = corpus()
    assert len(rows) >= 30
    site = corpus_site(tmp_path, rows)
    result = site.build(strict=False)
    assert result.returncode == 0, result.output[-3000:]
    base = serve(site.out, "/")
    page = browser.new_page()
    page.goto(base + "search/")
    config = json.loads(page.inner_text("#wr-search-config"))
    # the archive's own search engine, as the search box and the search page use it
    found = page.evaluate("""async ([config, phrases]) => {
        const worker = new Worker('/assets/javascripts/archive-search-worker.js', { type: 'module' });
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
        await ask('init', { config: { ...config, root: location.origin + '/', rootPath: '/' } });
        const out = {};
        for (const phrase of phrases) {
            const search = await ask('search', { channel: 'recall', query: phrase, count: 100000 });
            out[phrase] = search.hits.map(hit => hit.url);
        }
        return out;
    }""", [config, PHRASES])
    page.close()
    expected_pairs = hits = returned = 0
    missed = []
    for phrase in PHRASES:
        expected = {f"/reports/2025/p{n:02d}/" for n, row in enumerate(rows) if phrase in row["full_text"]}
        got = {url.split("?")[0] for url in found[phrase]}
        expected_pairs += len(expected)
        hits += len(expected & got)
        returned += len(got)
        missed += [f"{phrase}: {url}" for url in sorted(expected - got)]
    assert expected_pairs > 200  # the phrases occur in many reports
    recall = hits / expected_pairs
    print(f"recall {recall:.3f} over {expected_pairs} (phrase, report) pairs, {len(PHRASES)} phrases; "
          f"{hits / returned:.3f} of the {returned} results contain their phrase")
    assert recall >= 0.95, f"recall {recall:.3f}; missed {missed[:20]}"
