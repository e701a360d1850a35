"""Phrase search on real text, in Chromium: precision, recall, phrase-first rate, time and bytes.

    .venv/bin/python tests/benchmarks/phrase_search_bench.py          # the provincial corpus, once (31 reports)
    .venv/bin/python tests/benchmarks/phrase_search_bench.py 100      # each report 100 times under other slugs
    .venv/bin/python tests/benchmarks/phrase_search_bench.py 100 --site /tmp/x   # keep (or reuse) the built site

The reports of ../shared/corpus/provincial-2026 are read here and never stored in the
repository. Truth is "the report's normalised text contains the normalised term"
(``phrases.normalise``), multiplied by the copies. For each term, the archive's worker
(the header box's and the search page's engine) is asked directly for the quoted term —
every result, so precision and recall are over everything it returns (at more than 10
copies over the first 100 results and the stated total) — and for the term unquoted: the
phrase-first rate is the share of the first min(100, truth) results that contain the term.
Then, on a cold browser for each query, as search_bench.py measures: seconds from typing to
the first result shown and KB fetched, in the header box and on the search page (by relevance,
and for the quoted term newest first, which the phrase index answers without Pagefind).
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from search_bench import Server, measure_query, run_build
from synthetic import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
from archive.phrases import normalise  # noqa: E402

from corpus import corpus, corpus_site, url_of, worker_search  # noqa: E402

TERMS = ["新质生产力", "留抵退税", "社会主义市场经济", "国有企业改革", "高质量发展", "低空经济", "改革开放", "冰雪经济"]
CHROMIUM = "/usr/bin/chromium"


def answers(base: str, queries: list[tuple[str, int]]) -> list[dict]:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto(base + "search/")
        found = worker_search(page, [{"query": query, "count": count} for query, count in queries])
        browser.close()
    return found


def timed(base: str, path: str, input_selector: str, result_selector: str, query: str) -> tuple[float, float]:
    """Seconds from typing to the first result, and KB of search files fetched for the query, cold."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        open_box = input_selector if input_selector == ".wr-search__input" else None  # the header box opens on a click
        seconds, _, kb = measure_query(browser.new_context().new_page(), base + path, input_selector, result_selector,
                                       query, "/search/", open_box)
        browser.close()
    return seconds, kb


def main(copies: int, keep: Path | None) -> None:
    reports = corpus()
    texts = [normalise(row["title"] + " " + row["full_text"]) for row in reports]
    with tempfile.TemporaryDirectory() as tmp:
        root = keep or Path(tmp)
        site = corpus_site(root, reports, copies=copies) if not (root / "project" / "site").is_dir() else None
        if site is not None:
            seconds, peak, _ = run_build(site)
            print(f"{len(reports) * copies:,} reports built in {seconds:.0f} s, peak {peak:,.0f} MB", flush=True)
        out = root / "project" / "site"
        server = Server(out)
        try:
            everything = copies <= 10
            queries = [(f'"{term}"', 100_000 if everything else 100) for term in TERMS]
            queries += [(term, 100) for term in TERMS]
            found = answers(server.base, queries)
            print("| term | reports containing it | quoted: results, precision, recall | unquoted: results, phrase-first rate "
                  "| header box, quoted: first result (s), fetched (KB) | search page, quoted | search page, quoted, "
                  "newest first | header box, unquoted | search page, unquoted |")
            print("|---|---:|---|---|---|---|---|---|---|")
            for i, term in enumerate(TERMS):
                truth = {url_of(n, copy) for copy in range(copies) for n, text in enumerate(texts) if normalise(term) in text}
                quoted, loose = found[i], found[len(TERMS) + i]
                shown = set(quoted["urls"])
                precision = len(shown & truth) / len(shown) if shown else 1.0
                recall = (len(shown & truth) if everything else min(quoted["total"], len(truth))) / len(truth) if truth else 1.0
                wanted = min(100, len(truth))
                first = loose["urls"][:wanted]
                rate = sum(url in truth for url in first) / wanted if wanted else 1.0
                cells = []
                box = ("archive/", ".wr-search__input", ".wr-search__panel .wr-hit")
                search = ("search/", ".wr-search-page__input", ".wr-hits--page .wr-hit")
                newest = ("search/?sort=newest", ".wr-search-page__input", ".wr-hits--page .wr-hit")
                runs = [(f'"{term}"', box), (f'"{term}"', search), (f'"{term}"', newest), (term, box), (term, search)]
                for query, (path, *selectors) in runs if quoted["total"] else ():  # no result: nothing to wait for
                    seconds, kb = timed(server.base, path, *selectors, query)
                    cells.append(f"{seconds:.2f}, {kb:,.0f}")
                print(f"| {term} | {len(truth):,} | {quoted['total']:,}, {precision:.2f}, {recall:.2f} | "
                      f"{loose['total']:,}, {rate:.2f} | " + " | ".join(cells) + " |", flush=True)
        finally:
            server.close()


if __name__ == "__main__":
    arguments = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    keep = Path(sys.argv[sys.argv.index("--site") + 1]) if "--site" in sys.argv else None
    if keep is not None:
        arguments = [arg for arg in arguments if arg != str(keep)]
    main(int(arguments[0]) if arguments else 1, keep)
