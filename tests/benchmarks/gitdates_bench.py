"""The reports' last change from git (archive.gitdates) as the archive grows: prints a table.

    .venv/bin/python tests/benchmarks/gitdates_bench.py              # 1,000 and 10,000 reports
    .venv/bin/python tests/benchmarks/gitdates_bench.py 10000        # or any sizes

Each archive (tests/benchmarks/synthetic.py, about 3,000 characters per report) is committed
with a history: the reports added 50 to a commit, then 500 commits editing one report each and
20 exact moves, one day apart. A row times :func:`archive.gitdates.read_history` (three git
commands whatever the number of files: rev-parse, one ``git log`` pass, status), median of 3.

For comparison, with ``PLUGIN=/path/to/site-packages`` holding mkdocs-git-revision-date-localized-plugin
(and GitPython, pytz), the plugin's own fast mode (``enable_parallel_processing``, its default: a
pool of min(10, CPUs) processes, one ``git log`` per page) is timed on its code, on a sample of
``PLUGIN_SAMPLE`` pages (1,000) and scaled to the whole archive.
"""
from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from synthetic import ROOT, synthetic_site

sys.path.insert(0, str(ROOT / "hooks"))

from archive.gitdates import git as run_git, read_history  # noqa: E402

START = date(2016, 1, 1)


def git(root: Path, *args: str, day: int | None = None) -> None:
    env = dict(os.environ)
    if day is not None:
        stamp = f"{(START + timedelta(days=day)).isoformat()}T10:00:00+08:00"
        env.update(GIT_COMMITTER_DATE=stamp, GIT_AUTHOR_DATE=stamp)
    subprocess.run(["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.invalid", "-c", "commit.gpgsign=false",
                    "-C", str(root), *args], check=True, capture_output=True, env=env)


def committed_archive(folder: Path, count: int) -> tuple[Path, int]:
    """A synthetic archive of ``count`` reports with a history; its docs folder and number of commits."""
    site = synthetic_site(folder / "site", count, search=False)
    root, docs = site.root, site.docs
    reports = sorted(p.relative_to(root).as_posix() for p in (docs / "reports").rglob("*.md"))
    git(root, "init", "-q")
    git(root, "add", "--", *(p for p in (root / "mkdocs.yml", docs / "vocabulary.yml", docs / "stylesheets")))
    day = commits = 0
    for start in range(0, len(reports), 50):
        git(root, "add", "--", *reports[start:start + 50])
        git(root, "commit", "-q", "-m", "reports", day=day)
        day, commits = day + 1, commits + 1
    rng = random.Random(1)
    for number in range(500):
        path = root / rng.choice(reports)
        path.write_text(path.read_text(encoding="utf-8") + f"\n补充说明第{number}条。\n", encoding="utf-8")
        git(root, "commit", "-q", "-a", "-m", "edit", day=day)
        day, commits = day + 1, commits + 1
    for old in rng.sample(reports, 20):
        if (root / old).exists():
            git(root, "mv", old, old.replace(".md", "-moved.md"))
            git(root, "commit", "-q", "-m", "move", day=day)
            day, commits = day + 1, commits + 1
    return docs, commits


def time_history(docs: Path) -> tuple[float, int]:
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        history = read_history(str(docs))
        runs.append(time.perf_counter() - start)
    assert history.available and not history.uncommitted, history.note
    return statistics.median(runs), len(history.committed)


def log_size(docs: Path) -> int:
    found = run_git(str(docs), "log", "--first-parent", "--diff-merges=first-parent", "--root", "-M100%",
                    "--name-status", "--relative", "-z", "--format=%x00%cI", "--", ".")
    return len(found.stdout)


def time_plugin(docs: Path, sample: int) -> tuple[float, int] | None:
    """The plugin's parallel mode on ``sample`` pages: seconds, pages; None without the plugin."""
    if not os.environ.get("PLUGIN"):
        return None
    sys.path.insert(0, os.environ["PLUGIN"])
    from mkdocs.structure.files import File, Files
    from mkdocs_git_revision_date_localized_plugin.plugin import GitRevisionDateLocalizedPlugin
    from mkdocs_git_revision_date_localized_plugin.util import Util
    plugin = GitRevisionDateLocalizedPlugin()
    errors, warnings = plugin.load_config({})
    assert not errors, errors
    plugin.util = Util(config=plugin.config, mkdocs_dir=str(docs.parent))
    pages = sorted(p.relative_to(docs).as_posix() for p in (docs / "reports").rglob("*.md"))
    chosen = random.Random(2).sample(pages, min(sample, len(pages)))
    files = Files([File(uri, str(docs), str(docs.parent / "site"), True) for uri in chosen])
    start = time.perf_counter()
    plugin.parallel_compute_commit_timestamps(files=files, is_first_commit=False)
    seconds = time.perf_counter() - start
    assert len(plugin.last_revision_commits) == len(chosen)
    return seconds, len(chosen)


def main(sizes: list[int]) -> None:
    sample = int(os.environ.get("PLUGIN_SAMPLE", "1000"))
    print("| reports | commits | git log output (KB) | read_history (s), median of 3 | files dated | "
          "plugin's parallel mode (s), measured pages → whole archive |")
    print("|---:|---:|---:|---:|---:|---|")
    for count in sizes:
        with tempfile.TemporaryDirectory() as folder:
            docs, commits = committed_archive(Path(folder), count)
            seconds, dated = time_history(docs)
            plugin = time_plugin(docs, sample)
            other = "not measured (PLUGIN unset)" if plugin is None else (
                f"{plugin[0]:.1f} s for {plugin[1]:,} → {plugin[0] * count / plugin[1]:.0f} s for {count:,}")
            print(f"| {count:,} | {commits:,} | {log_size(docs) / 1e3:,.0f} | {seconds:.2f} | {dated:,} | {other} |",
                  flush=True)


if __name__ == "__main__":
    main([int(n) for n in sys.argv[1:]] or [1000, 10000])
