"""The phrase index at scale (hooks/archive/phrases.py): what writing it costs. Prints a table.

    .venv/bin/python tests/benchmarks/phrase_bench.py            # 1,000 and 10,000 reports, 3,000 and 20,000 characters
    .venv/bin/python tests/benchmarks/phrase_bench.py 1000:3000  # one size

Reports are written as tests/benchmarks/synthetic.py writes them (paragraphs of four random
sentences of ../shared/corpus when it is there), straight to ``write_phrase_index``: no site
build, no Pagefind (the build reads the same texts from Pagefind's fragments, a few seconds
more at 10,000). Each size runs in a process of its own, so that its peak memory (the
maximum resident set, Python and numpy included, of the process that reads the pages and of
each worker that writes the buckets, one per core) is its own. "fetched per term"
is what the search worker fetches for one term besides its manifest (index.bin): the gram files of its
grams (gzip, as stored), for the terms of issue 11.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import ROOT, sentences

sys.path.insert(0, str(ROOT / "hooks"))

from archive.phrases import MANIFEST, Page, bucket_file, bucket_of, term_grams, write_phrase_index  # noqa: E402

SIZES = [(1_000, 3_000), (1_000, 20_000), (10_000, 3_000), (10_000, 20_000)]
TERMS = ["非典", "留抵退税", "改革开放", "新质生产力", "社会主义市场经济", "营商环境", "养老服务"]


def texts(count: int, chars: int, seed: int = 1):
    """The reports' texts, one at a time (as synthetic.synthetic_site writes them)."""
    pool, rng = sentences(), random.Random(seed)
    for _ in range(count):
        text, size = [], 0
        while size < chars:
            paragraph = "".join(rng.choice(pool) for _ in range(4)).replace("*", "")
            text.append(paragraph)
            size += len(paragraph)
        yield "\n\n".join(text)


def row(count: int, chars: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="phrase-bench-") as folder:
        pages = (Page(fragment=f"zh_{hashlib.sha1(str(n).encode()).hexdigest()[:7]}", text=text, date=f"{2016 + n % 10}-01-{1 + n % 28:02d}",
                      filters={"year": [str(2015 + n % 10)], "unit": [f"u{n % 7}"], "topic": [f"t{n % 5}", f"t{n % 3 + 5}"]})
                 for n, text in enumerate(texts(count, chars)))
        index = Path(folder) / "zh"
        start = time.perf_counter()
        stats = write_phrase_index(str(index), pages, [(f"zh-{n}", min(2_500, count - n * 2_500))
                                                       for n in range(-(-count // 2_500))])
        seconds = time.perf_counter() - start
        manifest = (index / MANIFEST).read_bytes()
        fetched = [sum((index / bucket_file(bucket)).stat().st_size
                       for bucket in {bucket_of(gram, stats.buckets) for gram in term_grams(term)}) / 1e3
                   for term in TERMS]
        return {"self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                "reports": count, "chars": chars, "postings": stats.postings, "grams": stats.grams,
                "mb": stats.bytes / 1e6, "manifest_kb": len(manifest) / 1e3,
                "manifest_json_kb": len(gzip.decompress(manifest)) / 1e3, "files": stats.files,
                "seconds": seconds, "fetched": fetched}


def measure(count: int, chars: int) -> dict:
    """One size in a process of its own, so that its peak memory is its own."""
    result = subprocess.run([sys.executable, __file__, "--row", f"{count}:{chars}"], stdout=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.exit(f"{count}:{chars} failed")
    return json.loads(result.stdout)


def main(args: list[str]) -> None:
    if args[:1] == ["--row"]:
        count, chars = map(int, args[1].split(":"))
        print(json.dumps(row(count, chars)))
        return
    sizes = [tuple(map(int, arg.split(":"))) for arg in args] or SIZES
    print("| reports | characters each | postings | grams | index (MB) | manifest (KB stored; JSON) | files | "
          "seconds | peak memory (MB): main + each worker | fetched per term (KB): median (largest) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for count, chars in sizes:
        r = measure(count, chars)
        print(f"| {r['reports']:,} | {r['chars']:,} | {r['postings']:,} | {r['grams']:,} | {r['mb']:.1f} | "
              f"{r['manifest_kb']:.0f}; {r['manifest_json_kb']:.0f} | {r['files']:,} | {r['seconds']:.0f} | "
              f"{r['self_mb']:,.0f} + {r['worker_mb']:,.0f} | {statistics.median(r['fetched']):.0f} ({max(r['fetched']):.0f}) |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
