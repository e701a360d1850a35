"""The phrase index (hooks/archive/phrases.py): normalised text, grams, the file format,
exactness against substring truth, reproducible bytes, and a real build."""
from __future__ import annotations

import gzip
import json
import random
import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from archive import phrases
from archive.pagefind_index import Compaction, IndexFormatError, bundle_pages
from archive.phrases import (MANIFEST, Page, PhraseIndex, bitmap, bitmap_pages, bucket_count, bucket_file, bucket_of,
                             Postings, decode_entries, decode_varint, encode_entry, encode_varint, fnv1a, gram_keys,
                             length_code, normalise, page_grams, page_postings, read_manifest, term_grams,
                             write_phrase_index)
from archive.search import SearchError, Shard, ShardResult, index_phrases
from sites import ROOT, Site, make_site

CORPUS = ROOT.parent / "shared" / "corpus" / "provincial-2026"


# --- normalised text ----------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("“双碳”目标", "双碳 目标"),
    ("ＡＢＣ", "abc"),
    ("经济。社会", "经济 社会"),
    ("１，２３４人次", "1 234人次"),
    ("２０２４年", "2024年"),
    ("㍿", "株式会社"),                                  # NFKC
    ("Ⅻ", "xii"),
    ("ΟΔΟΣ", "οδος"),                                  # final sigma, as JS toLowerCase
    ("Straße", "straße"),
    ("a—b…c", "a b c"),
    ("x\u3000y", "x y"),                               # ideographic space
    # Pagefind's fragment text: a zero-width space between the words it segmented
    ("空气\u200b质量\u200b持续", "空气质量持续"),
    ("265\u200b.\u200b15", "265 15"),
    ("\ufeff税\u00ad收", "税收"),                         # BOM, soft hyphen: format characters, deleted
    # control characters
    ("a\x00b\x07c\td\ne\r\x1bf\x7fg", "a b c d e f g"),
    # astral: letters kept, emoji are symbols
    ("𠀀𠁀 😀👍🏽 x", "𠀀𠁀 x"),
    ("𝐀𝐁𝟏", "ab1"),
    ("👨\u200d👩\u200d👧", ""),
    # combining marks: composed by NFKC where they can be, else separators
    ("e\u0301", "é"),
    ("Ａ\u0308", "ä"),
    ("Z\u0351\u0352a", "z a"),
    ("İstanbul", "i stanbul"),                          # lower-case İ is i + U+0307, a mark
    # right to left, with bidi controls (format characters)
    ("مرحبا بالعالم", "مرحبا بالعالم"),
    ("\u202bمرحبا\u202c \u200fعالم\u200e", "مرحبا عالم"),
    # lone surrogates, as JSON can carry them
    ("\ud800a\udfff", "a"),
    ("", ""),
    ("  。，！ ", ""),
])
def test_normalise(text, expected):
    assert normalise(text) == expected


def reference(text: str) -> str:
    """P-spec.md's definition, a character at a time."""
    text = unicodedata.normalize("NFKC", "".join(c for c in text if unicodedata.category(c) != "Cf")).lower()
    return re.sub(" +", " ", "".join(c if unicodedata.category(c)[0] in "LN" else " " for c in text)).strip(" ")


def test_normalise_is_the_definition_on_whatever_composes():
    # marks that compose or reorder, Hangul jamo, a starter that composes (Bengali), Tibetan, compatibility
    # characters, Pagefind's U+200B, lone surrogates: NFKC on runs must be NFKC on the whole
    alphabet = ("ae AZ\u0300\u0301\u0308\u0323\u0345\u05b0\u1100\u1161\u11a8\uac00\u212b\u00c5\u09c7\u09be"
                "\u0f71\u0f72\u0f73\uff0c\ufb01\u337f\u3002\u65b0\u200b\u0130\u03a3\ud800\U0001f600\U0001d400"
                "\u00a8\u2474\x00\x01\n")
    rng = random.Random(9)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        assert normalise(text) == reference(text), ascii(text)
    everything = "".join(alphabet) * 3 + "".join(map(chr, range(1, 32)))   # every control character: no sentinel
    assert normalise(everything) == reference(everything)


def test_a_hundred_thousand_copies_of_one_character():
    text = "字" * 100_000
    assert normalise(text) == text
    assert page_grams(text) == {"字", "字字", "字字字"}
    grams = gram_keys(normalise(text))
    assert len(grams.keys) == 3 and grams.hashes.tolist() == [fnv1a(g.encode()) for g in ("字", "字字", "字字字")]
    # times capped at one byte; each first at the start
    assert grams.times.tolist() == [255, 255, 255] and grams.firsts.tolist() == [0, 0, 0]


def test_the_grams_of_a_page_and_of_a_term():
    assert page_grams("“非典”") == {"非", "典", "非典"}
    assert page_grams("A b") == {"a", " ", "b", "a ", " b", "a b"}
    assert term_grams("新质生产力") == ["新质生", "质生产", "生产力"]
    assert term_grams("“非典”") == ["非典"]
    assert term_grams("A  B") == ["a b"]
    assert term_grams("aaaaa") == ["aaa"]
    assert term_grams("。") == []


def test_numpy_grams_are_the_python_grams(tmp_path):
    rng = random.Random(5)
    for _ in range(200):
        text = "".join(rng.choice("ab c新质生产力。𝔸😀é\u200b") for _ in range(rng.randint(0, 40)))
        grams = gram_keys(normalise(text))
        expected = sorted(page_grams(text), key=lambda gram: gram.encode("utf-8"))
        decoded = ["".join(chr(c) for c in codes if c)
                   for codes in zip(*(part.tolist() for part in phrases._split(grams.keys)))]
        assert decoded == expected
        assert grams.hashes.tolist() == [fnv1a(gram.encode("utf-8")) for gram in expected]
        postings = page_postings(text)
        assert list(zip(grams.times.tolist(), grams.firsts.tolist())) == [postings[gram] for gram in expected]


def test_how_often_and_where_first():
    # 新质生产力 at 0 and 7 of 14 normalised characters (新质生产力 是 新质生产力)
    postings = page_postings("新质生产力是新质生产力。")
    assert normalise("新质生产力是新质生产力。") == "新质生产力是新质生产力"
    assert postings["新质生"] == (2, 0) and postings["是"] == (1, 5 * 256 // 11) and postings["力是新"] == (1, 4 * 256 // 11)
    assert page_postings("ab" * 300)["ab"] == (255, 0) and page_postings("xy" + "a" * 254)["a"] == (254, 2)
    assert [length_code(n) for n in (0, 1, 3, 255, 20_000, 2**31)] == [0, 8, 16, 64, 114, 248]


# --- buckets and encoding -----------------------------------------------------------

def test_fnv1a_and_buckets():
    assert fnv1a(b"") == 0x811C9DC5
    assert fnv1a(b"a") == 0xE40C292C
    assert fnv1a(b"foobar") == 0xBF9CF968
    assert bucket_of("a", 16) == 0xE40C292C % 16 == 12
    assert [bucket_count(n) for n in (0, 1, 4096, 4097, 8192, 8193, 300_000_000)] == [1, 1, 1, 2, 2, 4, 131_072]
    assert bucket_file(0) == "grams/0000.bin" and bucket_file(0xBEEF) == "grams/beef.bin"
    assert bucket_file(0x1ABCD) == "grams/1abcd.bin"


@pytest.mark.parametrize("value, encoded", [(0, b"\x00"), (127, b"\x7f"), (128, b"\x80\x01"), (300, b"\xac\x02"),
                                            (16_383, b"\xff\x7f"), (16_384, b"\x80\x80\x01"),
                                            (2**32 - 1, b"\xff\xff\xff\xff\x0f")])
def test_varints(value, encoded):
    assert encode_varint(value) == encoded
    assert decode_varint(b"\x05" + encoded, 1) == (value, 1 + len(encoded))


def test_entries_of_both_kinds_round_trip():
    count = 13  # not a multiple of 8: 2 bytes of bitmap
    assert bitmap([0, 12], count) == b"\x01\x10" and bitmap_pages(b"\x01\x10") == [0, 12]
    two = Postings(pages=[0, 12], times=[3, 1], firsts=[9, 200])
    sparse = encode_entry("新", two, count)       # ids 0, +12: 2 bytes, not more than the bitmap
    assert sparse == b"\x03" + "新".encode() + b"\x04" + b"\x00\x0c" + b"\x03\x01" + b"\x09\xc8"
    every = Postings(pages=list(range(count)), times=[1] * count, firsts=list(range(count)))
    dense = encode_entry("a b", every, count)
    assert dense == b"\x03a b" + bytes([count * 2 + 1]) + b"\xff\x1f" + b"\x01" * count + bytes(range(count))
    three = Postings(pages=[0, 200, 12_000], times=[1, 255, 2], firsts=[0, 0, 255])
    wide = encode_entry("x", three, 12_001)   # varints of 1, 2 and 2 bytes
    assert wide == b"\x01x\x06" + b"\x00" + b"\xc8\x01" + encode_varint(11_800) + b"\x01\xff\x02\x00\x00\xff"
    assert list(decode_entries(sparse + dense, count)) == [("新", two), ("a b", every)]
    assert list(decode_entries(wide, 12_001)) == [("x", three)]


def pages_of(texts: list[str]) -> list[Page]:
    return [Page(fragment=f"zh_{i:07x}", text=text, date=f"2024-01-{1 + i % 28:02d}",
                 filters={"year": [str(2020 + i % 3)], "shard": ["zh-0"], "topic": ["a", "b"][: 1 + i % 2]})
            for i, text in enumerate(texts)]


def generated(count: int, seed: int, alphabet: str = "ab c新质生产力非典型。𝔸😀") -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120))) for _ in range(count)]


def files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_the_written_buckets_are_the_reference_encoding(tmp_path):
    texts = generated(61, seed=2)   # 61 pages: ids 0 and 60, bitmaps of 8 bytes
    texts[0] += "非典型"
    texts[60] += "非典型"
    stats = write_phrase_index(str(tmp_path / "zh"), pages_of(texts), [("zh-0", 40), ("zh-1", 21)])
    truth: dict[str, Postings] = {}
    for page, text in enumerate(texts):
        for gram, (times, first) in page_postings(text).items():
            held = truth.setdefault(gram, Postings(pages=[], times=[], firsts=[]))
            held.pages.append(page)
            held.times.append(times)
            held.firsts.append(first)
    assert stats.postings == sum(len(held.pages) for held in truth.values()) and stats.grams == len(truth)
    assert stats.buckets == bucket_count(stats.postings) and stats.files == stats.buckets + 1
    for bucket in range(stats.buckets):
        data = gzip.decompress((tmp_path / "zh" / bucket_file(bucket)).read_bytes())
        grams = sorted((gram for gram in truth if bucket_of(gram, stats.buckets) == bucket), key=str.encode)
        assert data == b"".join(encode_entry(gram, truth[gram], 61) for gram in grams)
    # both kinds are written: ids where few pages hold a gram, a bitmap (8 bytes) where many do
    rare, space = truth["非典型"], truth[" "]
    assert encode_entry("非典型", rare, 61)[len("非典型".encode()) + 2:-2 * len(rare.pages)] == bytes(
        (page - before) for before, page in zip([0, *rare.pages], rare.pages))
    assert len(space.pages) > 8 and encode_entry(" ", space, 61)[3:3 + 8] == bitmap(space.pages, 61)
    assert 0 in rare.pages and 60 in rare.pages
    assert max(max(held.times) for held in truth.values()) > 1 and max(max(held.firsts) for held in truth.values()) > 200


def test_an_empty_bucket_has_a_file(tmp_path):
    stats = write_phrase_index(str(tmp_path / "en"), [Page(fragment="en_1", text="ab")], [("en-0", 1)])
    assert stats.buckets == 1 and gzip.decompress((tmp_path / "en" / "grams" / "0000.bin").read_bytes()) != b""
    stats = write_phrase_index(str(tmp_path / "en"), [Page(fragment="en_1", text="。")], [("en-0", 1)])
    assert stats.postings == 0 and gzip.decompress((tmp_path / "en" / "grams" / "0000.bin").read_bytes()) == b""
    assert PhraseIndex(str(tmp_path / "en")).pages("ab") == set()


def test_the_manifest(tmp_path):
    texts = ["新质生产力", "", "字" * 100_000, "\x00\x01\u202e"]
    write_phrase_index(str(tmp_path / "zh"), pages_of(texts), [("zh-0", 3), ("zh-1", 1)])
    manifest = read_manifest(tmp_path / "zh")
    assert manifest == {
        "format": 2, "pages": 4, "buckets": 1,
        "shards": [{"name": "zh-0", "pages": 3}, {"name": "zh-1", "pages": 1}],
        "fragments": ["zh_0000000", "zh_0000001", "zh_0000002", "zh_0000003"],
        "dates": ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"],
        "lengths": "FQCFAA==",   # 5, 0, 100,000 and 0 characters: codes 21, 0, 133, 0
        "facets": {"topic": {"a": "Dw==", "b": "Cg=="}, "year": {"2020": "CQ==", "2021": "Ag==", "2022": "BA=="}}}
    index = PhraseIndex(str(tmp_path / "zh"))
    assert index.facet("topic", "b") == {1, 3}
    assert index.pages("字字字字字") == {2} and index.pages("新质生产力") == {0} and index.pages("“”") == {0, 1, 2, 3}
    assert list(index.lengths) == [21, 0, 133, 0]
    assert index.postings("字字字字字") == {2: (255, 0)} and index.postings("产力") == {0: (1, 3 * 256 // 5)}


def test_shards_that_do_not_add_up_are_refused(tmp_path):
    with pytest.raises(ValueError, match="the shards hold 3 pages, the index 2"):
        write_phrase_index(str(tmp_path / "zh"), pages_of(["a", "b"]), [("zh-0", 3)])
    assert not (tmp_path / "zh" / MANIFEST).exists()


# --- exactness ----------------------------------------------------------------------

def test_exact_against_substring_truth_on_generated_texts(tmp_path):
    texts = generated(300, seed=7, alphabet="ab c新质生产力非典型")
    write_phrase_index(str(tmp_path / "zh"), pages_of(texts), [("zh-0", 300)])
    index = PhraseIndex(str(tmp_path / "zh"))
    normalised = [normalise(text) for text in texts]
    held = [page_grams(text) for text in texts]
    short = sorted({text[i:i + n] for text in normalised for n in (1, 2, 3) for i in range(len(text) - n + 1)})
    rng = random.Random(3)
    long = ["".join(rng.choice("ab c新质生产力非典型") for _ in range(rng.randint(4, 7))) for _ in range(300)]
    long += ["新质生产力", "非典型", "非典型非典"]
    exact = 0
    for term in short + long:
        wanted = normalise(term)
        truth = {page for page, text in enumerate(normalised) if wanted in text}
        found = index.pages(term)
        if len(wanted) <= 3:
            assert found == truth, term
        else:  # every page with all the trigrams: a superset of the truth, never less
            grams = term_grams(term)
            assert found == {page for page, grams_ in enumerate(held) if set(grams) <= grams_}, term
            assert truth <= found, term
            exact += found == truth
    assert len(short) > 200 and exact > len(long) // 2


def test_bigrams_over_match_and_trigrams_do_not_on_the_corpus(tmp_path):
    if not CORPUS.is_dir():
        pytest.skip(f"the corpus is not here ({CORPUS}); measured in CI")
    from test_search_recall import PHRASES, corpus
    texts = [row["full_text"] for row in corpus()]
    normalised = [normalise(text) for text in texts]
    write_phrase_index(str(tmp_path / "zh"), pages_of(texts), [("zh-0", len(texts))])
    index = PhraseIndex(str(tmp_path / "zh"))
    terms = PHRASES + ["社会主义市场经济", "国有企业改革", "非典", "改革开放", "共同富裕", "两个确保", "专精特新"]
    over_bigrams = []
    for term in terms:
        truth = {page for page, text in enumerate(normalised) if term in text}
        assert index.pages(term) == truth, term
        bigrams = {term[i:i + 2] for i in range(len(term) - 1)}
        if {page for page, text in enumerate(normalised) if all(gram in text for gram in bigrams)} != truth:
            over_bigrams.append(term)
    assert len(terms) == 37 and len(over_bigrams) == 8, over_bigrams


# --- reproducible, bounded ------------------------------------------------------------

def test_two_builds_are_byte_identical_however_the_postings_are_spilled(tmp_path, monkeypatch):
    texts = generated(120, seed=11)
    write_phrase_index(str(tmp_path / "one"), pages_of(texts), [("zh-0", 120)])
    write_phrase_index(str(tmp_path / "two"), pages_of(texts), [("zh-0", 120)])
    monkeypatch.setattr(phrases, "SPILL_POSTINGS", 50)   # a flush every page or so
    monkeypatch.setattr(phrases, "SPILL_PARTS", 4)
    write_phrase_index(str(tmp_path / "three"), pages_of(texts), [("zh-0", 120)], workers=1)
    write_phrase_index(str(tmp_path / "four"), pages_of(texts), [("zh-0", 120)], workers=3)
    one = files(tmp_path / "one")
    assert len(one) > 2 and one == files(tmp_path / "two") == files(tmp_path / "three") == files(tmp_path / "four")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["four", "one", "three", "two"]  # no spill left


# --- a real build ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(shared_site) -> Site:
    built = shared_site(strict=True, search_memory=1)  # shared with test_search and test_search_browser
    assert built.returncode == 0, built.output
    assert "search: phrase index zh 4 pages, " in built.output and ", en 1 pages, " in built.output
    return built.site


def fragment(site: Site, name: str) -> dict:
    path = next((site.out / "search").glob(f"*/fragment/{name}.pf_fragment"))
    return json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])


def test_the_build_lists_every_report_page_in_shard_order(site):
    manifest = read_manifest(site.out / "search" / "phrases" / "zh")
    assert manifest["shards"] == [{"name": "zh-0", "pages": 2}, {"name": "zh-1", "pages": 2}]
    urls = [fragment(site, name)["url"] for name in manifest["fragments"]]
    # zh-0 holds the newest two reports, zh-1 the others; within a shard, by URL
    assert urls == ["/reports/2022/tax-2022/", "/reports/2023/finance-2023/",
                    "/reports/2021/tax-2021/", "/reports/2022/finance-2022/"]
    assert manifest["dates"] == ["2023-01-12", "2024-01-05", "2022-01-10", "2022-12-28"]
    assert manifest["facets"]["unit"] == {"finance-bureau": "Cg==", "tax-bureau": "BQ=="}  # pages 1, 3 and 0, 2
    assert "shard" not in manifest["facets"]
    [english] = read_manifest(site.out / "search" / "phrases" / "en")["fragments"]
    assert fragment(site, english)["url"] == "/en/reports/2022/tax-2022/"


def test_the_reader_finds_a_term_exactly(site):
    index = PhraseIndex(str(site.out / "search" / "phrases" / "zh"))
    assert index.pages("留抵退税") == {0, 2}        # Pagefind's words: 留 抵 退税
    assert index.pages("“税情专报”") == {0}
    assert index.pages("一般公共预算") == {1, 3}
    assert index.pages("1,234人次") == {0}
    assert index.pages("抵退") == {0, 2} and index.pages("退税356") == {0}
    assert index.pages("新质生产力") == set() and index.pages("专报税") == set()
    texts = [normalise(fragment(site, name)["content"]) for name in index.manifest["fragments"]]
    for term in ("税务局", "收入", "亿元", "区", "报告数据", "增值税留抵退税356户"):
        assert index.pages(term) == {page for page, text in enumerate(texts) if normalise(term) in text}, term


def test_pages_are_told_where_the_phrase_indexes_are(site):
    assert ('"phrases": [{"lang": "en", "path": "search/phrases/en/"}, '
            '{"lang": "zh", "path": "search/phrases/zh/"}]') in site.page("en/archive/2022")
    assert '"phrases": [{"lang": "zh", "path": "search/phrases/zh/"}]' in site.page("archive/2022")


def test_a_bundle_that_cannot_be_read_leaves_no_phrase_index(site, tmp_path):
    out = tmp_path / "site"
    shutil.copytree(site.out / "search", out / "search")
    broken = next((out / "search" / "zh-1" / "fragment").iterdir())
    broken.write_bytes(gzip.compress(b"pagefind_dcd" + json.dumps({"url": "/x/", "meta": {}}).encode(), mtime=0))
    with pytest.raises(IndexFormatError, match=f"fragment {broken.stem}: no text content or filters, not the index "
                                               "layout of Pagefind 1.5.2"):
        list(bundle_pages(str(out / "search" / "zh-1")))
    rewritten = Compaction(chunks_before=1, chunks_after=1, bytes_before=1, bytes_after=1, words=frozenset())
    own = [ShardResult(shard=Shard(name, "zh", ("a", "b")), indexed=2, seconds=0.0, peak_mb=0.0, compaction=rewritten)
           for name in ("zh-0", "zh-1")]
    with pytest.raises(SearchError, match=r"search: the phrase index of zh could not be written \(fragment "):
        index_phrases(str(out), "zh", own)
    assert not (out / "search" / "phrases" / "zh").exists()


def test_another_pagefind_gets_no_phrase_index(tmp_path, monkeypatch):
    from test_search import another_pagefind
    script, _ = another_pagefind(tmp_path / "pagefind")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(script))
    built = make_site(tmp_path / "site", search_memory=1)
    result = built.build(strict=True)
    assert result.returncode == 0, result.output
    assert "phrase index" not in result.output
    assert not (built.out / "search" / "phrases").exists()
