"""``./dev diff BASE`` as the archive grows: prints a table of reports → seconds and peak memory.

    .venv/bin/python tests/benchmarks/diff_bench.py            # 1,000 and 10,000 reports
    .venv/bin/python tests/benchmarks/diff_bench.py 1000       # or any sizes

Each row is ``python hooks/dev.py diff HEAD`` (the whole command: interpreter start, imports,
reading the commit with ``git ls-tree`` and ``git cat-file --batch``, reading the working tree,
checking both sides as the build does, the Markdown) on a synthetic archive of reports of about
3,000 characters (tests/benchmarks/synthetic.py), committed in a new repository, with one
figure edited in the working tree.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import ROOT, synthetic_site

DEV = ROOT / "hooks" / "dev.py"
GIT = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.invalid", "-c", "init.defaultBranch=main",
       "-c", "commit.gpgsign=false"]


def run(root: Path) -> tuple[float, float, int, str]:
    """Wall time, peak memory (MB), exit status and output of one ``diff HEAD`` run in ``root``."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, str(DEV), "diff", "HEAD"], stdout=out, stderr=subprocess.DEVNULL,
                                   cwd=root)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        out.seek(0)
        return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), out.read()


def main(sizes: list[int]) -> None:
    print("| reports | diff (s) | peak memory (MB) | figure rows |")
    print("|---:|---:|---:|---:|")
    for count in sizes:
        with tempfile.TemporaryDirectory() as folder:
            site = synthetic_site(Path(folder) / "site", count, search=False)
            for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "reports"]):
                subprocess.run(GIT + ["-C", str(site.root), *args], check=True)
            edited = next((site.docs / "reports").rglob("*.md"))
            text = edited.read_text(encoding="utf-8")
            edited.write_text(text.replace("growth_rate: ", "growth_rate: 1"), encoding="utf-8")
            seconds, memory, status, output = run(site.root)
            assert status == 0, output
            rows = sum(line.startswith("| docs/") for line in output.splitlines())
            print(f"| {count:,} | {seconds:.2f} | {memory:.0f} | {rows} |", flush=True)


if __name__ == "__main__":
    main([int(n) for n in sys.argv[1:]] or [1000, 10000])
