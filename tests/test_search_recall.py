"""Precision and recall on real text: the provincial government work reports of ../shared/corpus.

The corpus is read at test time and never copied into the repository; without it the test
skips. The truth for a phrase is every report whose text contains it. Quoted, a phrase finds
exactly those (precision and recall 1.0); unquoted, it finds every one of them (recall 1.0),
ranked above every result that holds only the phrase's pieces (phrase-first rate 1.0).
"""
from __future__ import annotations

import pytest

from corpus import CORPUS, SKIP, corpus, corpus_site, url_of, worker_search

PHRASES = ["新质生产力", "乡村振兴", "营商环境", "人工智能", "低空经济", "城市更新", "养老服务", "生态环境",
           "数字经济", "科技创新", "民营经济", "粮食安全", "招商引资", "高质量发展", "一带一路", "碳达峰",
           "文化旅游", "房地产", "集成电路", "冰雪经济", "海洋经济", "托育服务", "以旧换新", "未来产业",
           "县域经济", "留抵退税", "减税降费", "稳就业", "城乡居民", "生物医药"]


pytestmark = pytest.mark.cost(15)  # seconds, about: started before the quick modules (conftest.py)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=SKIP)
def test_reports_containing_a_phrase_are_found_exactly(tmp_path, browser, serve):
    rows = corpus()
    assert len(rows) >= 30
    site = corpus_site(tmp_path, rows, search_memory=25)
    result = site.build(strict=False)
    assert result.returncode == 0, result.output[-3000:]
    page = browser.new_page()
    page.goto(serve(site.out, "/") + "search/")
    found = worker_search(page, [{"query": f'"{phrase}"'} for phrase in PHRASES] +
                          [{"query": phrase} for phrase in PHRASES])
    page.close()
    pairs = exact = returned = found_pairs = first = 0
    wrong = []
    for phrase, quoted, unquoted in zip(PHRASES, found, found[len(PHRASES):]):
        truth = {url_of(n) for n, row in enumerate(rows) if phrase in row["full_text"]}
        got = set(quoted["urls"])
        pairs += len(truth)
        exact += len(got & truth)
        returned += len(got)
        found_pairs += len(truth & set(unquoted["urls"]))
        first += len(truth & set(unquoted["urls"][:len(truth)]))
        if got != truth or not truth <= set(unquoted["urls"][:len(truth)]):
            wrong.append(f"{phrase}: quoted {len(got & truth)}/{len(got)} of {len(truth)}, "
                         f"unquoted first {len(truth & set(unquoted['urls'][:len(truth)]))}")
    assert pairs > 200  # the phrases occur in many reports
    print(f"{len(PHRASES)} phrases, {pairs} (phrase, report) pairs: quoted precision {exact / max(returned, 1):.3f}, "
          f"recall {exact / pairs:.3f}; unquoted recall {found_pairs / pairs:.3f}, phrase-first {first / pairs:.3f}")
    assert not wrong, wrong
