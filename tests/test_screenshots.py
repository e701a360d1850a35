"""The screenshots in the docs (tests/screenshots.py writes them): every shot is shown on the About page
of every language, none is left over, each is one PNG screen of modest size, the README's screenshot is
the current one; and the script's server answers a missing address with the site's 404 page.

No browser here: taking the screenshots is ``tests/screenshots.py``'s job (about a minute).
"""
from __future__ import annotations

import re
import struct
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from archive.check import load_config
from screenshots import PAGES, README_SHOT, SCHEMES, SCREENS, file_name, serve

ROOT = Path(__file__).resolve().parent.parent
MAX_BYTES = 300_000
#: ![alt](…screens/name.png) in an About page, the image's alt text and file name
IMAGE = re.compile(r"!\[([^\]]*)\]\((?:[^)\s]*/)?screens/([^)\s/]+\.png)\)")


@pytest.fixture(scope="module")
def config():
    return load_config(str(ROOT / "mkdocs.yml"))


def expected_files() -> set[str]:
    return {file_name(shot.name, scheme, screen) for shot in PAGES for scheme in SCHEMES for screen, _, _ in SCREENS}


def about_pages(config) -> list[Path]:
    """The About page of each configured language (suffix structure: index.md, index.<lang>.md)."""
    about = Path(config.docs_dir) / "about"
    return [about / ("index.md" if lang == config.default_lang else f"index.{lang}.md") for lang in config.languages]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_the_shots_cover_every_page_type_in_both_schemes_and_screens():
    assert len(expected_files()) == 40
    assert [shot.name for shot in PAGES] == ["home", "year", "topic", "unit", "report", "figures", "search", "404",
                                            "report-en", "search-en"]


def test_every_about_page_shows_every_screenshot_once_with_its_own_alt_text(config):
    pages = about_pages(config)
    assert [page.name for page in pages] == ["index.md", "index.en.md"]
    for page in pages:
        found = IMAGE.findall(page.read_text(encoding="utf-8"))
        shots = [name for _, name in found if name in expected_files()]
        assert sorted(shots) == sorted(expected_files()), page
        alts = [alt for alt, name in found if name in expected_files()]
        assert all(alts) and len(set(alts)) == len(alts), page


def test_every_about_page_image_loads_when_scrolled_to(config):
    """80 screenshots (3.8 MB) would all load with the About page; each says loading="lazy" (which
    the sanitizer keeps: archive.sanitize allows lazy and eager)."""
    for page in about_pages(config):
        text = page.read_text(encoding="utf-8")
        images = re.findall(r"!\[[^\]]*\]\([^)\s]+\.png\)(\{[^}]*\})?", text)
        assert len(images) == 42, page
        assert all('loading="lazy"' in attributes for attributes in images), page


def test_the_screens_folder_holds_exactly_the_shots_each_one_png_screen_of_modest_size(config):
    folder = Path(config.docs_dir) / "about" / "screens"
    assert {path.name for path in folder.iterdir()} == expected_files()
    sizes = {screen: (width, height) for screen, width, height in SCREENS}
    for path in sorted(folder.iterdir()):
        data = path.read_bytes()
        assert png_size(data) == sizes[path.stem.rsplit("-", 1)[1]], path.name
        assert len(data) < MAX_BYTES, path.name


def test_the_readme_screenshot_is_the_current_report_page(config):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "![A report page of the sample archive](docs/images/screenshot.png)" in readme
    shot = Path(config.docs_dir) / "about" / "screens" / file_name(*README_SHOT)
    assert (Path(config.docs_dir) / "images" / "screenshot.png").read_bytes() == shot.read_bytes()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def test_the_server_answers_a_missing_address_with_the_404_page_of_its_language(tmp_path):
    (tmp_path / "en" / "reports").mkdir(parents=True)
    (tmp_path / "index.html").write_text("首页", encoding="utf-8")
    (tmp_path / "404.html").write_text("找不到页面", encoding="utf-8")
    (tmp_path / "en" / "404.html").write_text("Page not found", encoding="utf-8")
    server, base = serve(tmp_path)
    try:
        assert get(base) == (200, "首页")
        assert get(base + "reports/2020/missing/") == (404, "找不到页面")
        assert get(base + "reports/2020/missing/?q=1") == (404, "找不到页面")
        assert get(base + "en/reports/2020/missing/") == (404, "Page not found")
        assert get(base + "fr/reports/") == (404, "找不到页面")    # no fr/404.html: the site's own
        assert get(base + "index.html/../../etc/passwd") == (404, "找不到页面")
    finally:
        server.shutdown()


def test_without_a_404_page_the_server_answers_as_plain_http_server(tmp_path):
    server, base = serve(tmp_path)
    try:
        status, body = get(base + "missing/")
        assert status == 404 and "File not found" in body
    finally:
        server.shutdown()
