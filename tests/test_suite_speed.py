"""The suite's own speed-ups hold: costly modules start first, a shared fixture site is built once
per session between the xdist workers (tests/conftest.py, tests/sites.py)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import conftest
from sites import ROOT, shared_build


class Item:
    """What the ordering hook reads of a collected test: its name and its cost marker."""

    def __init__(self, name: str, cost: float | None = None):
        self.name = name
        self.marker = None if cost is None else pytest.mark.cost(cost).mark

    def get_closest_marker(self, name: str):
        return self.marker if name == "cost" else None


def test_the_costliest_modules_come_first_and_the_rest_keep_their_order():
    items = [Item("a1"), Item("a2"), Item("slow1", 30), Item("b1"), Item("slowest1", 330), Item("slow2", 30),
             Item("slowest2", 330), Item("c1")]
    conftest.pytest_collection_modifyitems(None, items)
    assert [item.name for item in items] == ["slowest1", "slowest2", "slow1", "slow2", "a1", "a2", "b1", "c1"]


def test_the_suite_hands_whole_modules_out_in_the_hooks_order():
    options = (ROOT / "pytest.ini").read_text(encoding="utf-8")
    assert "--dist loadfile --no-loadscope-reorder" in options  # xdist's own reordering would undo the hook's


SHARE = """
import json, sys
sys.path.insert(0, {tests!r})
from pathlib import Path
from sites import shared_build
built = shared_build(Path(sys.argv[1]), strict=True, search=False)
index = built.site.out / "index.html"
print(json.dumps([str(built.site.root), built.returncode, index.stat().st_mtime_ns]))
"""


def test_two_workers_asking_for_the_same_site_build_it_once(tmp_path):
    """Two processes at once, as two xdist workers: one builds, the other waits for that build."""
    script = tmp_path / "share.py"
    script.write_text(SHARE.format(tests=str(ROOT / "tests")), encoding="utf-8")
    cache = tmp_path / "cache"
    runs = [subprocess.Popen([sys.executable, str(script), str(cache)], stdout=subprocess.PIPE, text=True)
            for _ in range(2)]
    answers = [json.loads(run.communicate(timeout=600)[0]) for run in runs]
    assert answers[0] == answers[1]  # the same folder, a passing build, written once: the same page
    assert answers[0][1] == 0
    assert sorted(p.name for p in cache.iterdir() if not p.name.endswith(".lock")) == [Path(answers[0][0]).parent.name]
    again = shared_build(cache, strict=True, search=False)
    assert str(again.site.root) == answers[0][0]
    assert (again.site.out / "index.html").stat().st_mtime_ns == answers[0][2]  # not built again
    assert "archive (zh): 4 reports" in again.output


def test_a_copy_is_the_site_to_change_and_other_inputs_are_another_site(tmp_path):
    cache = tmp_path / "cache"
    built = shared_build(cache, strict=True, search=False)
    copy = built.copy(tmp_path / "copy")
    copy.edit("reports/2022/tax-2022.md", "  refund_amount: 3.2\n", "")
    assert copy.build(strict=True).returncode == 1  # the copy builds on its own …
    assert built.site.docs.joinpath("reports/2022/tax-2022.md").read_text(encoding="utf-8").count("refund_amount: 3.2") == 1
    english = shared_build(cache, strict=True, search=False, messages="en")  # … and other settings, another build
    assert english.site.root != built.site.root and english.returncode == 0
