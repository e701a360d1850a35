"""The hostile corpus: every attack a pull request can carry, built strictly at once.

Each case is a file under ``tests/hostile/docs/`` (a path inside a docs tree) and its exact
problem lines, in the default language, are listed in ``tests/hostile/expected/<path>.txt``.
One strict build of the whole corpus must fail, print every expected line, and never a
traceback; a case whose line is missing names itself in the failure.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sites import Site, make_site

HOSTILE = Path(__file__).resolve().parent / "hostile"
DOCS = HOSTILE / "docs"
EXPECTED = HOSTILE / "expected"


def cases() -> list[Path]:
    """Every case file, relative to the hostile docs tree."""
    return sorted(path.relative_to(DOCS) for path in DOCS.rglob("*") if path.is_file())


def expected_lines(case: Path) -> list[str]:
    sidecar = EXPECTED / f"{case}.txt"
    return [line for line in sidecar.read_text(encoding="utf-8").splitlines() if line.strip()]


def hostile_site(root: Path) -> Site:
    """The fixture site with every hostile case added beside its reports."""
    site = make_site(root)
    for case in cases():
        target = site.docs / case
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DOCS / case, target)
    return site


@pytest.fixture(scope="module")
def strict_build(tmp_path_factory):
    site = hostile_site(tmp_path_factory.mktemp("hostile"))
    return site, site.build(strict=True)


def test_every_case_states_its_expected_problems():
    missing = [str(case) for case in cases() if not (EXPECTED / f"{case}.txt").is_file()]
    assert cases(), "the hostile corpus is empty"
    assert missing == [], f"cases without tests/hostile/expected/<case>.txt: {missing}"
    orphans = [str(path.relative_to(EXPECTED)) for path in EXPECTED.rglob("*.txt")
               if not (DOCS / str(path.relative_to(EXPECTED)).removesuffix(".txt")).is_file()]
    assert orphans == [], f"expected lines for no case: {orphans}"


def test_the_strict_build_fails_without_a_traceback(strict_build):
    _, result = strict_build
    assert result.returncode == 1, result.output[-3000:]
    assert "Traceback" not in result.output
    assert "Aborted with" in result.output


@pytest.mark.parametrize("case", cases(), ids=str)
def test_each_case_gives_its_exact_problem_lines(strict_build, case):
    _, result = strict_build
    log = result.output.splitlines()
    absent = [line for line in expected_lines(case) if not any(entry.endswith(line) for entry in log)]
    assert absent == [], f"{case}: these lines are not in the build log:\n" + "\n".join(absent)
    # one problem, one message: not repeated by the second language's build
    repeated = [line for line in expected_lines(case) if sum(entry.endswith(line) for entry in log) > 1]
    assert repeated == [], f"{case}: logged more than once:\n" + "\n".join(repeated)

