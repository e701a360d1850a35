"""``./dev serve`` as the archive grows: from saving an edit to seeing it. Prints a table.

    ./dev bench preview                                        # 100, 1,000 and 10,000 reports
    .venv/bin/python tests/benchmarks/preview_bench.py 1000     # or any sizes
    .venv/bin/python tests/benchmarks/preview_bench.py --edits 1 10000

The targets (issue 10): a saved edit to a report visible within 2 s at 1,000 reports and 5 s
at 10,000. Each row runs the real thing, ``./dev serve`` (live reload on, the project's hooks
and theme) on a synthetic archive (tests/benchmarks/synthetic.py, about 3,000 characters per
report, search on), waits until it serves, then, ``--edits`` times (3 by default, a different
report each time), appends a unique sentence to a report's text and measures:

- reload: until the live-reload request a browser keeps open on the page returns (MkDocs
  answers it when the rebuild is finished: the moment the browser reloads);
- visible: until the report's page, fetched every 50 ms, contains the sentence (the server
  holds a request while it rebuilds, so this is when a reader's reload shows the edit);
- both languages: until the other language's page of that report shows it too;
- a data edit: the report's title changed instead (its year, topic and unit pages change too).

CPU is the serve process's processor time (all its threads) from the edit until both languages
show it: what the edit costs, whatever else the machine is doing. Medians over the edits. RSS is the serve process's peak resident memory (VmHWM; Pagefind's
indexer is a child process, not counted). Startup is from the command to the first page served.
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

from synthetic import ROOT, synthetic_site

POLL = 0.05          # seconds between two fetches of the page
TIMEOUT = 3600.0     # seconds to wait for any one thing (10,000 reports' first build takes minutes)
LIVERELOAD = re.compile(rb"livereload\((\d+), (\d+)\)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, timeout: float = TIMEOUT) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read()
    except OSError:
        return None


def wait_for(url: str, wanted: bytes | None, process: subprocess.Popen, start: float) -> float:
    """Seconds from ``start`` until the page at ``url`` is served (and contains ``wanted``)."""
    while time.perf_counter() - start < TIMEOUT:
        if process.poll() is not None:
            sys.exit(f"./dev serve stopped (exit status {process.returncode}): see its log")
        body = fetch(url)
        if body is not None and (wanted is None or wanted in body):
            return time.perf_counter() - start
        time.sleep(POLL)
    sys.exit(f"gave up waiting for {url} after {TIMEOUT:.0f} s")


def cpu_seconds(pid: int) -> float:
    """The process's CPU time so far (user and system, all its threads): an edit's cost that a
    busy machine does not inflate, where the seconds to the screen grow with the load."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Reload(threading.Thread):
    """The request a served page's live-reload script keeps open, answered when a rebuild finished."""

    def __init__(self, base: str, page: bytes):
        super().__init__(daemon=True)
        epoch, request = LIVERELOAD.search(page).groups()
        self.url = f"{base}livereload/{epoch.decode()}/{request.decode()}"
        self.epoch = int(epoch)
        self.done: float | None = None

    def run(self) -> None:
        while True:
            answer = fetch(self.url)
            if answer is not None and int(answer) > self.epoch:
                self.done = time.perf_counter()
                return
            # MkDocs answers after a minute without a rebuild, with the same epoch: ask again


def edit_once(site, base: str, process: subprocess.Popen, number: int, data: bool, other_lang: str) -> dict[str, float]:
    """Append a sentence (or change the title) of report ``number``; seconds until each is seen."""
    path = next(site.docs.glob(f"reports/*/report-{number}.md"))
    url = f"{base}{path.relative_to(site.docs).with_suffix('').as_posix()}/"
    other = f"{base}{other_lang}/{path.relative_to(site.docs).with_suffix('').as_posix()}/"
    page = fetch(url)
    reload = Reload(base, page)
    reload.start()
    marker = f"预览{uuid.uuid4().hex[:12]}"
    text = path.read_text(encoding="utf-8")
    if data:
        text = re.sub(r"^title: (.*)$", lambda m: f"title: {m.group(1)}{marker}", text, count=1, flags=re.M)
    else:
        text = text + f"\n{marker}。\n"
    cpu = cpu_seconds(process.pid)
    start = time.perf_counter()
    path.write_text(text, encoding="utf-8")
    seen = {}
    threads = [threading.Thread(target=lambda key, u: seen.__setitem__(key, wait_for(u, marker.encode(), process, start)),
                                args=(key, u), daemon=True) for key, u in (("visible", url), ("both", other))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    reload.join(TIMEOUT)
    seen["cpu"] = cpu_seconds(process.pid) - cpu
    seen["both"] = max(seen["both"], seen["visible"])
    seen["reload"] = (reload.done - start) if reload.done else float("nan")
    return seen


def measure(count: int, edits: int, folder: Path) -> dict[str, float]:
    generated = time.perf_counter()
    site = synthetic_site(folder / "site", count)
    generated = time.perf_counter() - generated
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = open(folder / "serve.log", "w")
    start = time.perf_counter()
    process = subprocess.Popen([str(ROOT / "dev"), "serve", "-f", str(site.root / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"],
                               stdout=log, stderr=subprocess.STDOUT, cwd=site.root)
    try:
        first = f"{base}reports/2015/report-0/"
        startup = wait_for(first, None, process, start)
        time.sleep(1.0)  # the watcher starts after the first build: let it take its first look
        prose = [edit_once(site, base, process, count * k // (edits + 1), False, "en") for k in range(1, edits + 1)]
        data = edit_once(site, base, process, count * (edits + 1) // (edits + 2), True, "en")
        rss = peak_rss_mb(process.pid)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
    median = lambda key: statistics.median(e[key] for e in prose)  # noqa: E731
    return {"generated": generated, "startup": startup, "reload": median("reload"), "visible": median("visible"),
            "both": median("both"), "slowest": max(e["visible"] for e in prose), "data": data["visible"],
            "data_both": data["both"], "rss": rss, "cpu": median("cpu"), "data_cpu": data["cpu"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000, 10000])
    parser.add_argument("--edits", type=int, default=3, help="prose edits per size (a different report each)")
    args = parser.parse_args()
    print("| reports | startup (s) | edit → reload (s) | edit → visible (s): median (slowest) | both languages (s) "
          "| title edit → visible (s) | both languages (s) | CPU: edit, title edit (s) | peak RSS (MB) | generating (s) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for count in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            row = measure(count, args.edits, Path(folder))
        print(f"| {count:,} | {row['startup']:.1f} | {row['reload']:.2f} | {row['visible']:.2f} ({row['slowest']:.2f}) "
              f"| {row['both']:.2f} | {row['data']:.2f} | {row['data_both']:.2f} | {row['cpu']:.2f}, {row['data_cpu']:.2f} "
              f"| {row['rss']:.0f} "
              f"| {row['generated']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
