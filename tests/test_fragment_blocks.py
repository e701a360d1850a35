"""Long fragments cut into blocks of words (hooks/archive/pagefind_index.py: split_text, split_fragment)."""
from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from pathlib import Path

import cbor2
import pytest

from archive.pagefind_index import (BLOCK_SUFFIX, BLOCKS, SIGNATURE, IndexFormatError, bundle_pages, compact_bundle,
                                    decode_locations, split_text, text_words)
from archive.search import pagefind_executable

ZWS = "\u200b"


def _blocks_hold_the_words(text: str, block_words: int) -> list[list[str]]:
    """Cut the text and check every block against the whole text's words; the blocks' words."""
    split = split_text(text, block_words)
    assert "".join(split.parts) == text
    words = text_words(text, split.zws)
    assert split.words == len(words)
    out = []
    for k, (part, start) in enumerate(zip(split.parts, split.starts)):
        mine = text_words(part, split.zws)
        if k < len(split.parts) - 1:
            assert mine[-1] == ""  # the separator after the block's last word
            mine = mine[:-1]
        assert mine == words[start:start + len(mine)]
        assert len(mine) == (block_words if k < len(split.parts) - 1 else len(words) - start)
        out.append(mine)
    return out


def test_a_segmented_text_is_cut_at_its_zero_width_spaces_with_exact_word_offsets():
    text = ZWS.join(["留抵", "退税", "", "政策", "2022", "年", " ", "，", "税", "务"])  # an empty word, a space word
    blocks = _blocks_hold_the_words(text, 3)
    assert blocks == [["留抵", "退税", ""], ["政策", "2022", "年"], [" ", "，", "税"], ["务"]]
    assert split_text(text, 3).starts == [0, 3, 6, 9] and split_text(text, 3).zws


def test_a_text_without_zero_width_spaces_is_cut_at_javascripts_white_space():
    # U+3000 and U+FEFF are white space to JavaScript's \s; U+0085 and U+001F are not (Python's \s says otherwise)
    text = "\n lead one\u3000two\ufeffthree\r\n\tfour\u0085five six\x1fseven  eight \u2028nine "
    split = split_text(text, 4)
    assert not split.zws and split.words == 10
    assert _blocks_hold_the_words(text, 4) == [["", "lead", "one", "two"], ["three", "four\u0085five", "six\x1fseven", "eight"],
                                               ["nine", ""]]
    assert split.parts[1] == "three\r\n\tfour\u0085five six\x1fseven  eight \u2028"


def test_an_empty_text_and_one_huge_word_are_one_block():
    assert split_text("", 400).parts == [""] and split_text("", 400).words == 1
    huge = "税" * 100_000
    assert split_text(huge, 400).parts == [huge]
    assert split_text(ZWS + huge + ZWS, 1).parts == [ZWS, huge + ZWS, ""]


def test_a_hundred_thousand_words_make_exact_blocks():
    words = [f"词{n}" for n in range(100_000)]
    blocks = _blocks_hold_the_words(ZWS.join(words), 400)
    assert len(blocks) == 250 and blocks[-1][-1] == "词99999"
    blocks = _blocks_hold_the_words(" ".join(words), 333)
    assert len(blocks) == 301 and blocks[300] == words[99_900:]


# A bundle written by Pagefind, its long fragments cut

LONG_ZH = "".join(f"第{n}条留抵退税政策落实情况良好。" for n in range(300))
LONG_EN = " ".join(f"word{n}" for n in range(900)) + " refund at the end"


def _site(folder: Path) -> Path:
    pages = {"long-zh": ("zh", LONG_ZH), "long-en": ("en", LONG_EN), "short": ("zh", "留抵退税 短文")}
    for name, (lang, text) in pages.items():
        (folder / "site" / name).mkdir(parents=True)
        (folder / "site" / name / "index.html").write_text(
            f'<html lang="{lang}"><body><main data-pagefind-body><h1>{name}</h1><p>{text}</p>'
            f'<span hidden data-pagefind-filter="year:2024"></span></main></body></html>', encoding="utf-8")
    out = folder / "bundle"
    subprocess.run([pagefind_executable(), "--site", str(folder / "site"), "--output-path", str(out)],
                   check=True, capture_output=True)
    return out


def _fragments(bundle: Path) -> dict[str, dict]:
    return {json.loads(gzip.decompress(p.read_bytes())[len(SIGNATURE):])["url"]:
            json.loads(gzip.decompress(p.read_bytes())[len(SIGNATURE):]) for p in (bundle / "fragment").glob("*.pf_fragment")}


def _files(bundle: Path) -> dict[str, bytes]:
    return {str(p.relative_to(bundle)): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def bundles(tmp_path_factory):
    """Pagefind's bundle as it wrote it, and two rewrites of it (blocks of 100 words)."""
    root = tmp_path_factory.mktemp("blocks")
    pristine = _site(root / "one")
    whole = {url: data["content"] for url, data in _fragments(pristine).items()}
    copies = []
    for name in ("a", "b"):
        copy = root / name
        shutil.copytree(pristine, copy)
        compact_bundle(str(copy), workers=1 if name == "a" else 2, block_words=100)
        copies.append(copy)
    return pristine, whole, copies


def test_a_long_fragment_keeps_its_first_block_and_names_the_others(bundles):
    _, whole, (bundle, _) = bundles
    fragments = _fragments(bundle)
    assert BLOCKS not in fragments["/short/"] and fragments["/short/"]["content"] == whole["/short/"]
    for url in ("/long-zh/", "/long-en/"):
        data = fragments[url]
        split = split_text(whole[url], 100)
        assert data["content"] == split.parts[0]
        blocks = data[BLOCKS]
        assert blocks["words"] == split.words == data["word_count"] and blocks["zws"] == (url == "/long-zh/")
        assert [start for start, _ in blocks["blocks"]] == split.starts[1:]
        for (_, name), part in zip(blocks["blocks"], split.parts[1:]):
            assert gzip.decompress((bundle / "fragment" / f"{name}{BLOCK_SUFFIX}").read_bytes()).decode() == part
    assert len(list((bundle / "fragment").glob(f"*{BLOCK_SUFFIX}"))) == sum(
        len(fragments[url][BLOCKS]["blocks"]) for url in ("/long-zh/", "/long-en/"))
    assert not (bundle / ".blocks.tmp").exists()


def test_the_bundle_pages_are_the_whole_texts_and_word_positions_index_them(bundles):
    _, whole, (bundle, _) = bundles
    pages = {page.url: page for page in bundle_pages(str(bundle))}
    assert {url: page.text for url, page in pages.items()} == whole
    # Pagefind's positions of "refund", the last words of the English text, are in its last block
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    raw = gzip.decompress((bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta").read_bytes())
    meta = cbor2.loads(raw[len(SIGNATURE):])
    refund = [word for _, _, chunk in meta[2]
              for word in cbor2.loads(gzip.decompress((bundle / "index" / f"{chunk}.pf_index").read_bytes())[12:])[0]
              if word[0] == "refund"]
    [(position, _)] = decode_locations(refund[0][1][0][1])
    assert text_words(whole["/long-en/"], False)[position] == "refund" and position > 900


def test_the_blocks_are_the_same_in_every_build(bundles):
    _, _, (one, two) = bundles
    assert _files(one) == _files(two)


def test_a_bundle_of_another_pagefind_is_not_cut(bundles, tmp_path):
    pristine, _, _ = bundles
    bundle = tmp_path / "other"
    shutil.copytree(pristine, bundle)
    entry = bundle / "pagefind-entry.json"
    entry.write_text(entry.read_text(encoding="utf-8").replace('"version":"1.5.2"', '"version":"1.6.0"'), encoding="utf-8")
    before = _files(bundle)
    with pytest.raises(IndexFormatError, match=r"^the index is of Pagefind 1\.6\.0"):
        compact_bundle(str(bundle), workers=1, block_words=100)
    assert _files(bundle) == before and not (bundle / ".blocks.tmp").exists()


def test_a_layout_error_after_the_cutting_leaves_no_block_behind(bundles, tmp_path):
    pristine, _, _ = bundles
    bundle = tmp_path / "broken"
    shutil.copytree(pristine, bundle)
    for path in (bundle / "filter").iterdir():  # filters are read after the fragments were cut
        path.write_bytes(gzip.compress(SIGNATURE + cbor2.dumps({"year": []}), mtime=0))
    before = _files(bundle)
    with pytest.raises(IndexFormatError, match=r"^filter year is not \[filter, \[value, pages\]\]"):
        compact_bundle(str(bundle), workers=1, block_words=100)
    assert _files(bundle) == before and not (bundle / ".blocks.tmp").exists()


def test_a_missing_block_is_a_layout_error_not_a_crash(bundles, tmp_path):
    _, _, (rewritten, _) = bundles
    bundle = tmp_path / "missing"
    shutil.copytree(rewritten, bundle)
    next((bundle / "fragment").glob(f"*{BLOCK_SUFFIX}")).unlink()
    with pytest.raises(IndexFormatError, match=r"\.block is missing|FileNotFoundError"):
        list(bundle_pages(str(bundle)))
