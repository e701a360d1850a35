"""Search at scale: Pagefind (this archive) against Material's built-in search. Prints a table.

    .venv/bin/python tests/benchmarks/search_bench.py            # 1,000 and 10,000 reports, 3,000 and 20,000 characters
    .venv/bin/python tests/benchmarks/search_bench.py 1000:3000  # one size
    .venv/bin/python tests/benchmarks/search_bench.py --pagefind-only 10000:3000
Reports are generated from the sentences of ../shared/corpus when it is there. Material's
search is measured up to MATERIAL_LIMIT characters of text in all (its single JSON index
grows with the whole text; beyond that it is not run). Times are wall-clock on this machine.
"""
from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

from synthetic import synthetic_site

QUERIES = ["营商环境", "新质生产力", "养老服务"]
MATERIAL_LIMIT = 30_000_000  # characters of report text
CHROMIUM = "/usr/bin/chromium"


def run_build(site) -> tuple[float, float, str]:
    """Wall time, peak memory of the build process (MB) and its log."""
    args, env = site.command(strict=False)
    log_path = site.root / "build.log"
    with open(log_path, "w") as log:
        start = time.perf_counter()
        process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=site.root)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    output = log_path.read_text()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(output[-3000:])
    return seconds, usage.ru_maxrss / 1024, output


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


class Server:
    def __init__(self, folder: Path):
        handler = functools.partial(_Quiet, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def close(self):
        self.httpd.shutdown()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def measure_query(page, url: str, input_selector: str, result_selector: str, query: str, search_marker: str,
                  open_box: str | None = None) -> tuple[float, float, float]:
    """On a fresh ``page``: seconds from typing ``query`` on the loaded page at ``url`` to the first
    result shown, KB of requests whose URL holds ``search_marker`` loaded before the query (code,
    index entry files) and KB fetched for the query itself. One helper for both search benchmarks,
    so that they measure the same thing.

    The time is taken in the page (the input event to the first result in the DOM): waiting
    from Python would add Playwright's polling interval, up to half a second."""
    from playwright.sync_api import Error as PlaywrightError
    fetched: list[int] = []

    def finished(request) -> None:
        if search_marker not in request.url:
            return
        try:
            sizes = request.sizes()
        except PlaywrightError:  # finished while the browser closed, after the measurement
            return
        fetched.append(sizes["responseBodySize"] + sizes["responseHeadersSize"])
    page.on("requestfinished", finished)
    flying = set()  # requests not finished: the query's bytes are counted once none is left
    page.on("request", lambda request: flying.add(request))
    page.on("requestfinished", lambda request: flying.discard(request))
    page.on("requestfailed", lambda request: flying.discard(request))
    page.goto(url, wait_until="networkidle")  # a reader types on a loaded page
    # the search page makes its input when its script runs: wait for it, not for the load
    page.wait_for_selector(input_selector, state="attached", timeout=60_000)
    if open_box:
        page.click(open_box)
        page.wait_for_load_state("networkidle")
    page.evaluate(STOPWATCH, [input_selector, result_selector])
    loaded = sum(fetched)
    page.fill(input_selector, query)
    page.wait_for_function("() => window.stopwatch.shown", timeout=600_000)
    seconds = page.evaluate("() => window.stopwatch.shown - window.stopwatch.typed") / 1000
    # what the query fetches after its first result too (the search page draws its first 5
    # results, then the other 15): until no request has been in flight for half a second
    # (wait_for_load_state("networkidle") would not wait: the page reached that state before)
    quiet = 0
    while quiet < 5:
        page.wait_for_timeout(100)
        quiet = quiet + 1 if not flying else 0
    return seconds, loaded / 1024, (sum(fetched) - loaded) / 1024


def measure_queries(base: str, input_selector: str, result_selector: str, search_marker: str,
                    open_box: str | None = None, path: str = "archive/") -> dict[str, float]:
    """Over the queries, each on a fresh browser context (cold cache): seconds from typing the
    query on a loaded page to the first result shown (median and slowest); KB of search files
    the page loaded before the query (code, index entry files); KB fetched for the query
    itself (median and largest), each as ``measure_query`` takes it."""
    from playwright.sync_api import sync_playwright
    times, before, after = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for query in QUERIES:
            context = browser.new_context()  # cold cache for every query
            seconds, loaded, fetched = measure_query(context.new_page(), base + path, input_selector, result_selector,
                                                     query, search_marker, open_box)
            times.append(seconds)
            before.append(loaded)
            after.append(fetched)
            context.close()
        browser.close()
    median = lambda values: sorted(values)[len(values) // 2]  # noqa: E731
    return {"first": median(times), "slowest": max(times), "preload": median(before),
            "kb": median(after), "largest": max(after)}


STOPWATCH = """([input, result]) => {
    const watch = window.stopwatch = {};
    document.querySelector(input).addEventListener("input", () => { watch.typed ??= performance.now(); });
    new MutationObserver(() => { if (!watch.shown && document.querySelector(result)) watch.shown = performance.now(); })
        .observe(document.body, { childList: true, subtree: true });
}"""


def pagefind_row(count: int, chars: int, folder: Path) -> dict:
    site = synthetic_site(folder / "pagefind", count, chars)
    seconds, build_peak, output = run_build(site)
    found = re.search(r"search: (\d+) report pages indexed in (\d+) shards, ([\d.]+) s, peak (\d+) MB", output)
    server = Server(site.out)
    try:
        measured = measure_queries(server.base, ".wr-search__input", ".wr-search__panel .wr-hit",
                                   "/search/", open_box=".wr-search__input")
        # the search page shows 20 results: 20 fragments (and text blocks) per query
        on_page = measure_queries(server.base, ".wr-search-page__input", ".wr-hits--page .wr-hit", "/search/",
                                  path="search/")
    finally:
        server.close()
    shards = int(found.group(2))
    row = {"engine": f"Pagefind ({shards} shard{'s' if shards > 1 else ''})", "build": seconds,
           "index_mb": folder_mb(site.out / "search"), "indexing": float(found.group(3)),
           "peak": float(found.group(4)), **measured, "page": on_page}
    shutil.rmtree(folder / "pagefind")
    return row


def material_row(count: int, chars: int, folder: Path) -> dict | None:
    if count * chars > MATERIAL_LIMIT:
        return None
    site = synthetic_site(folder / "material", count, chars, search=False)
    config = yaml.safe_load((site.root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"].insert(0, "search")
    (site.root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    seconds, build_peak, _ = run_build(site)
    index = site.out / "search" / "search_index.json"
    server = Server(site.out)
    try:
        measured = measure_queries(server.base, ".md-search__input", ".md-search-result__item", "search",
                                   open_box=".md-search__input")
    finally:
        server.close()
    row = {"engine": "Material built-in", "build": seconds, "index_mb": index.stat().st_size / 1e6,
           "indexing": None, "peak": build_peak, **measured}
    shutil.rmtree(folder / "material")
    return row


def page_cell(page: dict | None) -> str:
    if page is None:
        return "(not measured)"
    return f"{page['first']:.2f} ({page['slowest']:.2f}), {page['kb']:,.0f} ({page['largest']:,.0f})"


def main(sizes: list[tuple[int, int]], material: bool = True) -> None:
    print("| reports | characters each | search | site build (s) | index (MB) | indexing (s) | "
          "indexing peak memory (MB) | first result (s): median (slowest) | loaded with the page (KB) | "
          "fetched for the query (KB): median (largest) | search page: first result (s), fetched (KB): "
          "median (largest) |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for count, chars in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            for engine in (pagefind_row, material_row) if material else (pagefind_row,):
                row = engine(count, chars, Path(tmp))
                if row is None:
                    print(f"| {count:,} | {chars:,} | Material built-in | not run: one JSON index of "
                          f"{count * chars / 1e6:.0f} million characters | | | | | | | |", flush=True)
                    continue
                indexing = f"{row['indexing']:.1f}" if row["indexing"] is not None else "(in build)"
                print(f"| {count:,} | {chars:,} | {row['engine']} | {row['build']:.0f} | {row['index_mb']:.1f} | "
                      f"{indexing} | {row['peak']:,.0f} | {row['first']:.2f} ({row['slowest']:.2f}) | {row['preload']:,.0f} | "
                      f"{row['kb']:,.0f} ({row['largest']:,.0f}) | {page_cell(row.get('page'))} |", flush=True)


if __name__ == "__main__":
    arguments = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    chosen = [tuple(int(n) for n in arg.split(":")) for arg in arguments]
    main(chosen or [(1000, 3000), (1000, 20000), (10000, 3000), (10000, 20000)],
         material="--pagefind-only" not in sys.argv)
