"""Fixture sites: the project's own mkdocs.yml over small named reports, built for real."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml
from filelock import FileLock

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


def write_report(path: Path, front: dict, text: str) -> None:
    """Write a report file as contributors do: YAML front matter, a blank line, the text."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n" + text + "\n", encoding="utf-8")


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


@dataclass
class Built:
    """A fixture site built once per test session and shared by the modules that only read it
    (``shared_build``): read ``site``, never change it; ``copy`` gives a site of one's own."""
    site: Site
    returncode: int
    output: str  # the build's stdout and stderr together, as ``Site.build`` gives them

    def copy(self, root: Path) -> Site:
        """A private copy of the built site (sources and output) in ``root``, to edit and build
        again: a copy takes a fraction of a second, a build several seconds. make_site's
        configuration names nothing inside its own folder, so the copy builds as the original."""
        shutil.copytree(self.site.root, root, symlinks=True)
        return Site(root)


def shared_cache(tmp_path_factory) -> Path:
    """The folder where ``shared_build`` keeps its sites: the session's temporary folder, which
    pytest-xdist's workers share (each has a folder of its own inside it), so that the two
    workers of ``./dev test`` build each site once between them; a new session starts empty."""
    base = tmp_path_factory.getbasetemp()
    return (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared-sites"


def _inputs_digest(paths: list[Path]) -> str:
    """A digest of every file under ``paths``: what a build reads besides its arguments."""
    digest = hashlib.sha256()
    for base in paths:
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for path in files:
            digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def shared_build(cache: Path, reports: Path = FIXTURES / "site" / "reports", vocabulary: Path = FIXTURES / "vocabulary.yml",
                 strict: bool = True, **extra: object) -> Built:
    """``make_site(…, reports, vocabulary, **extra)`` built once per session and cache, whichever
    test module or xdist worker asks first; later calls with the same inputs get that build.

    Several modules test the same fixture site; each building its own copy cost a build of
    several seconds apiece. The key is every input: the arguments and the files the build reads
    (reports, vocabulary, mkdocs.yml, hooks, overrides, stylesheets); a file lock (filelock,
    a test dependency) makes the second worker wait for the first one's build, not repeat it."""
    arguments = json.dumps({"strict": strict, "extra": extra}, sort_keys=True, default=str)
    key = _inputs_digest([reports, vocabulary, ROOT / "mkdocs.yml", ROOT / "hooks", ROOT / "overrides",
                          ROOT / "docs" / "stylesheets"])
    folder = cache / hashlib.sha256((arguments + key).encode()).hexdigest()[:16]
    cache.mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder) + ".lock"):
        record = folder / "build.json"
        if not record.is_file():
            shutil.rmtree(folder, ignore_errors=True)  # what a build interrupted left
            site = make_site(folder / "site", reports=reports, vocabulary=vocabulary, **extra)
            result = site.build(strict=strict)
            record.write_text(json.dumps({"returncode": result.returncode, "output": result.output}), encoding="utf-8")
        done = json.loads(record.read_text(encoding="utf-8"))
    return Built(site=Site(folder / "site"), returncode=done["returncode"], output=done["output"])


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
