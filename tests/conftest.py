"""Shared test set-up: the plain modules under hooks/ and the fixture vocabulary."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(ROOT / "hooks"))

from archive.vocabulary import Vocabulary, load_vocabulary  # noqa: E402


@pytest.fixture(scope="session")
def vocab() -> Vocabulary:
    """The small vocabulary of the fixture sites: two units, three topics, two templates."""
    text = (FIXTURES / "vocabulary.yml").read_text(encoding="utf-8")
    vocabulary, problems = load_vocabulary(text, "docs/vocabulary.yml")
    assert problems == []
    return vocabulary
