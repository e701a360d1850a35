"""The sample archive in docs/: it builds strictly, and every report's checks bite."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from sites import ROOT, Site

from archive.catalog import load_reports
from archive.vocabulary import load_vocabulary

DOCS = ROOT / "docs"
REPORTS = sorted(p for p in (DOCS / "reports").rglob("*.md") if not re.search(r"\.[a-z]{2}\.md$", p.name))


def sources(docs: Path = DOCS) -> list[tuple[str, str]]:
    return [(p.relative_to(docs).as_posix(), p.read_text(encoding="utf-8")) for p in (docs / "reports").rglob("*.md")]


@pytest.fixture(scope="module")
def vocabulary():
    vocab, problems = load_vocabulary((DOCS / "vocabulary.yml").read_text(encoding="utf-8"), "docs/vocabulary.yml")
    assert problems == []
    return vocab


def test_sample_archive_is_complete_and_varied(vocabulary):
    reports, problems = load_reports(sources(), vocabulary)
    assert [p.format() for p in problems] == []
    assert len(reports) >= 13
    assert len({r.year for r in reports}) >= 4
    assert len({r.unit for r in reports}) >= 3
    assert len({t for r in reports for t in r.topics}) >= 5
    assert sum(1 for r in reports if "en" in r.translations) >= 3
    assert "reports/2022/tax-bureau-2022.md" in {r.path for r in reports}  # the seed, converted


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem)
def test_removing_a_required_metric_is_reported_at_its_line(path, vocabulary):
    """For every sample report: drop its template's first required metric, the check names file, line and metric."""
    text = path.read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---")[1])
    template = vocabulary.templates[vocabulary.resolve("templates", meta["template"])]
    key = template.required[0]
    broken = re.sub(rf"(?m)^  {key}:.*\n", "", text, count=1)
    assert broken != text
    rel = path.relative_to(DOCS).as_posix()
    metrics_line = text.splitlines().index("metrics:") + 1
    found = dict(sources())
    found[rel] = broken
    _, problems = load_reports(found.items(), vocabulary)
    definition = vocabulary.metrics[key]
    assert (f"{rel}:{metrics_line}: 缺少「{template.zh}」要求的指标 {key}（{definition.zh}） — "
            f"在 metrics 下加入 {key}: 数值（单位：{definition.unit}）") in [p.format() for p in problems]


def test_sample_archive_builds_strictly_and_fails_without_a_metric(tmp_path):
    shutil.copytree(ROOT, tmp_path / "project", ignore=shutil.ignore_patterns(".git", ".venv", "site", "tests"))
    site = Site(tmp_path / "project")
    result = site.build(strict=True)
    assert result.returncode == 0, result.output
    assert "archive (zh): " in result.output and "archive (en): " in result.output
    assert "年度工作汇报材料" in site.page("reports/2022/tax-bureau-2022")
    # the downloads cover every report and every metric value
    vocab, _ = load_vocabulary((DOCS / "vocabulary.yml").read_text(encoding="utf-8"), "docs/vocabulary.yml")
    reports, _ = load_reports(sources(), vocab)
    data = (site.out / "downloads" / "metrics.csv").read_bytes().decode("utf-8-sig")
    assert len(data.strip().splitlines()) - 1 == sum(len(r.metrics) + len(r.withheld) for r in reports)
    catalogue = json.loads((site.out / "downloads" / "reports.json").read_text(encoding="utf-8"))
    assert sorted(r["url"] for r in catalogue["reports"]) == sorted(r.url for r in reports)
    for chart_page in ("metrics", "en/metrics"):
        assert site.page(chart_page).count('<svg class="wr-chart"') >= 20
    site.edit("reports/2022/tax-bureau-2022.md", "  tax_revenue: ", "  tax_revenue_typo: ")
    result = site.build(strict=True)
    assert result.returncode == 1
    assert re.search(r"docs/reports/2022/tax-bureau-2022\.md:\d+: 缺少「[^」]+」要求的指标 tax_revenue（", result.output)
    assert "Traceback" not in result.output
