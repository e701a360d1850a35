"""Fixture sites: the project's own mkdocs.yml over small named reports, built for real."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MKDOCS = [sys.executable, "-m", "mkdocs"]


@dataclass
class Site:
    root: Path

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def out(self) -> Path:
        return self.root / "site"

    def page(self, url: str) -> str:
        """The HTML of a built page, by its URL: "en/archive/2022/"."""
        return (self.out / url / "index.html").read_text(encoding="utf-8")

    def write(self, path: str, text: str) -> None:
        target = self.docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def edit(self, path: str, old: str, new: str) -> None:
        target = self.docs / path
        text = target.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        target.write_text(text.replace(old, new, 1), encoding="utf-8")

    def command(self, strict: bool = True) -> tuple[list[str], dict[str, str]]:
        """The ``mkdocs build`` command line for this site, and its environment."""
        args = MKDOCS + ["build", "-f", str(self.root / "mkdocs.yml"), "-d", str(self.out)]
        if strict:
            args.append("--strict")
        return args, dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")

    def build(self, strict: bool = True) -> subprocess.CompletedProcess:
        """Run ``mkdocs build``; ``output`` holds stdout and stderr together."""
        args, env = self.command(strict)
        result = subprocess.run(args, capture_output=True, text=True, env=env, cwd=self.root)
        result.output = result.stdout + result.stderr
        return result


def make_site(root: Path, reports: Path = FIXTURES / "site" / "reports",
              vocabulary: Path = FIXTURES / "vocabulary.yml", **extra: object) -> Site:
    """A site in ``root`` built with the project's mkdocs.yml, hooks and overrides."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["hooks"] = [str(ROOT / "hooks" / "mkdocs_archive.py")]
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    config["nav"] = [item for item in config["nav"] if not str(item).startswith(("guide/", "about/"))]
    config["extra"]["archive"].update(extra)
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copytree(reports, root / "docs" / "reports")
    shutil.copy(vocabulary, root / "docs" / "vocabulary.yml")
    shutil.copytree(ROOT / "docs" / "stylesheets", root / "docs" / "stylesheets")
    return Site(root)


def output_files(folder: Path) -> dict[str, bytes]:
    """Every file of a built site as a reader's tools would see it: gzip files decompressed.

    The sitemap and Pagefind's index, filters and fragments are gzip; a secret inside them
    would not show in their bytes as stored.
    """
    import gzip
    import zlib
    found = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError, zlib.error):
                pass
        found[str(path.relative_to(folder))] = data
    return found
