"""Build cost per report as the archive grows: prints a table.

    ./dev bench                      # or: .venv/bin/python tests/benchmarks/build_scaling.py 10 100 1000
A build must cost the same per report at 10 reports and at 10,000; the second block shows
what listing every report in the navigation (MkDocs' default nav) would cost instead.
The search index is left out here (search=False): tests/benchmarks/search_bench.py measures it.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import synthetic_site


def measure(count: int, default_nav: bool = False) -> tuple[float, float]:
    """Wall time and peak memory of one ``mkdocs build`` of ``count`` synthetic reports."""
    with tempfile.TemporaryDirectory() as folder:
        site = synthetic_site(Path(folder), count, default_nav=default_nav, search=False)
        args, env = site.command(strict=False)
        with open(Path(folder) / "build.log", "w+") as log:
            start = time.perf_counter()
            process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=site.root)
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - start
            process.returncode = os.waitstatus_to_exitcode(status)
            if process.returncode != 0:
                log.seek(0)
                sys.exit(log.read()[-3000:])
    return seconds, usage.ru_maxrss / 1024


def main(sizes: list[int]) -> None:
    print("| reports | navigation | build (s) | ms per report | peak memory (MB) |")
    print("|---:|---|---:|---:|---:|")
    for default_nav in (False, True):
        for count in sizes:
            if default_nav and count > 2000:
                continue  # quadratic: minutes, and the point is made
            seconds, peak = measure(count, default_nav)
            nav = "every report (MkDocs default)" if default_nav else "archive pages only"
            print(f"| {count:,} | {nav} | {seconds:.1f} | {1000 * seconds / count:.1f} | {peak:.0f} |", flush=True)


if __name__ == "__main__":
    main([int(n) for n in sys.argv[1:]] or [10, 100, 1000, 10000])
