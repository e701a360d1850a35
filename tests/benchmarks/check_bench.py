"""``./dev check`` as the archive grows: prints a table of reports → seconds and peak memory.

    .venv/bin/python tests/benchmarks/check_bench.py            # 1,000 and 10,000 reports
    .venv/bin/python tests/benchmarks/check_bench.py 1000       # or any sizes

The targets (issue 10): under 2 s for 1,000 reports and under 10 s for 10,000. Each row is
``python hooks/check.py`` (the whole command: interpreter start, imports, every check) run
twice on a synthetic archive of reports of about 3,000 characters (tests/benchmarks/synthetic.py):
first with no cache (a fresh CI checkout), then again after one report was edited (a
contributor's next check, or a CI job that keeps ``.cache/check/``). The synthetic archive
has one unit's report twice per year and template, so most reports carry a duplicate problem.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import ROOT, synthetic_site

CHECK = ROOT / "hooks" / "check.py"


def run(root: Path, log: Path) -> tuple[float, float, int, int]:
    """Wall time, peak memory (MB), exit status and problem lines of one ``check`` run in ``root``."""
    with open(log, "w+", encoding="utf-8") as out:
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, str(CHECK)], stdout=out, stderr=subprocess.DEVNULL, cwd=root)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        out.seek(0)
        lines = len(out.read().splitlines())
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), lines


def main(sizes: list[int]) -> None:
    print("| reports | first check (s) | peak memory (MB) | again, one report edited (s) | peak memory (MB) | problem lines |")
    print("|---:|---:|---:|---:|---:|---:|")
    for count in sizes:
        with tempfile.TemporaryDirectory() as folder:
            site = synthetic_site(Path(folder) / "site", count, search=False)
            cold, cold_mb, status, lines = run(site.root, Path(folder) / "cold.log")
            edited = next((site.docs / "reports").rglob("*.md"))
            edited.write_text(edited.read_text(encoding="utf-8") + "\n一段新的文字。\n", encoding="utf-8")
            warm, warm_mb, status_again, lines_again = run(site.root, Path(folder) / "warm.log")
            assert (status, lines) == (status_again, lines_again), "the second check differs from the first"
            print(f"| {count:,} | {cold:.2f} | {cold_mb:.0f} | {warm:.2f} | {warm_mb:.0f} | {lines:,} |", flush=True)


if __name__ == "__main__":
    main([int(n) for n in sys.argv[1:]] or [1000, 10000])
