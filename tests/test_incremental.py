"""A serve reload makes again only what an edit changed, and what it makes equals a fresh build's.

Listing pages (archive.pages, ``Context.listings``) and the downloads' parts (archive.downloads.Parts)
are kept by what each report shows (archive.preview.shown): these tests edit one report's title
and compare every page and both files with the ones made from nothing.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from archive.catalog import load_reports
from archive.downloads import Parts, metrics_csv, reports_json
from archive.figures import Publication
from archive.index import build_index
from archive.pages import archive_pages
from archive.preview import archive_keys
from archive.render import Context
from archive.vocabulary import load_vocabulary

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def archive():
    vocab, problems = load_vocabulary((FIXTURES / "vocabulary.yml").read_text(encoding="utf-8"), "vocabulary.yml")
    assert problems == []
    sources = [(path.relative_to(FIXTURES).as_posix(), path.read_bytes())
               for path in sorted((FIXTURES / "reports").rglob("*.md"))]
    reports, _ = load_reports(sources, vocab, ["en"], publication=Publication())
    return vocab, reports


def retitled(reports, path: str, title: str):
    """The reports, one of them with another title (a copy: the others are the same objects)."""
    return [dataclasses.replace(r, title=title) if r.path == path else r for r in reports]


def shown_of(reports) -> dict[str, str]:
    index = build_index(reports)
    return archive_keys(index, {}, {r.path: (1, 1) for r in reports}).shown


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_title_edit_makes_again_only_the_listings_that_list_the_report(archive, lang):
    vocab, reports = archive
    ctx = Context(lang=lang, vocab=vocab, lines={}, listings={}, default_lang="zh")
    before = {p.url: p for p in archive_pages(build_index(reports), ctx, shown=shown_of(reports))}
    edited = reports[0]
    changed = retitled(reports, edited.path, "改过的标题 <b>")
    after = {p.url: p for p in archive_pages(build_index(changed), ctx, shown=shown_of(changed))}
    fresh = {p.url: p for p in archive_pages(build_index(changed), Context(lang=lang, vocab=vocab, default_lang="zh"))}

    assert after == fresh  # kept or made again, every page is what a build from nothing makes
    listing = {f"archive/{edited.year}/", *(f"topics/{t}/" for t in edited.topics), f"units/{edited.unit}/"}
    made_again = {url for url, page in after.items() if page.kind in ("year", "topic", "unit") and page is not before[url]}
    assert made_again == listing
    assert all("改过的标题 &lt;b&gt;" in after[url].html for url in listing)
    kept = {url for url, page in after.items() if page.kind in ("year", "topic", "unit")} - listing
    assert kept, "the fixture archive has listings that do not list the edited report"


def test_listings_are_made_again_when_the_vocabulary_labels_change(archive):
    vocab, reports = archive
    listings = {}
    archive_pages(build_index(reports), Context(lang="en", vocab=vocab, listings=listings), shown=shown_of(reports))
    unit = reports[0].unit
    relabelled = dataclasses.replace(vocab, units={**vocab.units, unit: dataclasses.replace(vocab.units[unit], en="Renamed bureau")})
    pages = {p.url: p for p in archive_pages(build_index(reports), Context(lang="en", vocab=relabelled, listings=listings),
                                             shown=shown_of(reports))}
    assert "Renamed bureau" in pages[f"units/{unit}/"].html
    assert "Renamed bureau" in pages[f"archive/{reports[0].year}/"].html


@pytest.mark.parametrize("public", [False, True])
def test_downloads_from_kept_parts_equal_the_whole_files(archive, public):
    vocab, reports = archive
    publication, parts = Publication(public), Parts()
    for version in (reports, retitled(reports, reports[-1].path, "=SUM(A1) 标题"), reports[1:]):
        index, shown = build_index(version), shown_of(version)
        parts.start((vocab, publication, "zh", "docs/"))
        parts.retain(set(shown))
        assert metrics_csv(index, vocab, publication, parts, shown) == metrics_csv(index, vocab, publication)
        assert reports_json(index, vocab, publication, "zh", "docs/", parts, shown) == reports_json(index, vocab, publication, "zh", "docs/")
    assert {path for _, path in parts.parts} == {r.path for r in reports[1:]}


def test_a_part_is_made_again_when_the_publication_changes(archive):
    vocab, reports = archive
    index, shown, parts = build_index(reports), shown_of(reports), Parts()
    for public in (False, True):
        parts.start((vocab, Publication(public), "zh", "docs/"))
        assert (reports_json(index, vocab, Publication(public), "zh", "docs/", parts, shown)
                == reports_json(index, vocab, Publication(public), "zh", "docs/"))


def test_a_title_edit_writes_again_only_the_feeds_that_list_the_report(archive):
    from datetime import datetime, timezone

    from archive.feeds import FeedSite, archive_feeds, feed_files

    vocab, reports = archive
    ctx, site = Context(lang="zh", vocab=vocab, default_lang="zh"), FeedSite(url="https://x.example/", name="档案")
    built, kept = datetime(2024, 1, 1, tzinfo=timezone.utc), {}

    def files(version):
        feeds = archive_feeds(build_index(version), {}, 20)
        return feed_files(feeds, ctx, site, None, built, kept, shown_of(version)), feed_files(feeds, ctx, site, None, built)

    before, _ = files(reports)
    edited = reports[-1]
    after, fresh = files(retitled(reports, edited.path, "改过的标题"))
    assert after == fresh  # kept or made again, each feed is what a build from nothing writes
    listing = {"feeds/all.atom", *(f"feeds/topic-{t}.atom" for t in edited.topics), f"feeds/unit-{edited.unit}.atom"}
    assert {path for path in after if path.endswith(".atom") and after[path] is not before[path]} == listing
    assert all("改过的标题".encode() in after[path] for path in listing)
    site = FeedSite(url="https://y.example/", name="档案")  # another site: every feed made again
    moved, _ = files(reports)
    assert all(b"https://y.example/" in data for path, data in moved.items() if path.endswith(".atom"))
