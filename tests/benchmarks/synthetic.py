"""Synthetic archives for benchmarks: many reports written from the sample archive's own sentences."""
from __future__ import annotations

import random
import re
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from sites import FIXTURES, Site, make_site  # noqa: E402


CORPUS = ROOT.parent / "shared" / "corpus" / "provincial-2026"


def corpus_sentences() -> list[str]:
    """Sentences of the real reports in ../shared/corpus, read here and never stored."""
    import csv
    csv.field_size_limit(1 << 30)
    found = []
    for path in sorted(CORPUS.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                for line in row["full_text"].splitlines()[12:]:  # past the web page's clutter
                    found += [s + "。" for s in line.split("。") if len(s) > 8]
    return found


def sentences() -> list[str]:
    """Realistic Chinese sentences: the corpus when it is here, else the sample reports'."""
    if CORPUS.is_dir():
        return corpus_sentences()
    found = []
    for path in sorted((ROOT / "docs" / "reports").rglob("*.md")):
        if path.name.endswith(".en.md"):
            continue
        body = path.read_text(encoding="utf-8").split("---", 2)[2]
        for line in body.splitlines():
            if line.startswith("#") or not line.strip():
                continue
            line = re.sub(r"\{\{[^}]*\}\}", "若干", line)
            found += [s + "。" for s in line.split("。") if len(s) > 8]
    return found


POOL: list[str] = []


def synthetic_site(root: Path, count: int, chars: int = 3000, seed: int = 1, default_nav: bool = False,
                   **settings: object) -> Site:
    """A fixture site of ``count`` reports of about ``chars`` characters each."""
    if root.exists():
        shutil.rmtree(root)
    reports = root / "source"
    pool = POOL or sentences()
    POOL[:] = pool
    rng = random.Random(seed)
    vocab = yaml.safe_load((FIXTURES / "vocabulary.yml").read_text(encoding="utf-8"))
    units, topics = list(vocab["units"]), list(vocab["topics"])
    for number in range(count):
        year = 2015 + number % 10
        unit = units[number % len(units)]
        text, size = [], 0
        while size < chars:
            paragraph = "".join(rng.choice(pool) for _ in range(4)).replace("*", "")
            text.append(paragraph)
            size += len(paragraph)
        front = {
            "title": f"第{number}号报告：{vocab['units'][unit]['zh']}{year}年度工作汇报",
            "date": f"{year + 1}-01-{1 + number % 28:02d}", "year": year, "unit": unit,
            "topics": rng.sample(topics, 2), "template": "finance-annual",
            "metrics": {"growth_rate": round(rng.uniform(-5, 15), 2)},
        }
        path = reports / str(year) / f"report-{number}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        body = "\n\n".join(text[:1] + ["增幅为{{ growth_rate }}。"] + text[1:])
        path.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n" + body + "\n", encoding="utf-8")
    site = make_site(root / "project", reports=reports, **settings)
    if default_nav:
        config = yaml.safe_load((site.root / "mkdocs.yml").read_text(encoding="utf-8"))
        del config["nav"], config["not_in_nav"]
        (site.root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return site
